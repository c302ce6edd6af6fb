// The Lambda functions: one per catalog entry, each with its runtime, limits, environment and
// operator settings from the deploy context, and the schedules that run some of them.
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { operatorSettings, settingsEnvironment, type SettingKey } from '../../lambdas/shared/settings.ts';
import { envNames, functionCatalog, type FunctionName, type FunctionSpec } from '../../lib/function-catalog.ts';
import { buildDsrApp } from '../../lib/dsr-stack.ts';
import { resolveDefinitionString } from '../../lib/local/resolve-definition.ts';
import {
  catalogNames,
  functionByLogicalId,
  logicalIdOf,
  logicalIdOfConstruct,
  noBundling,
  ofType,
  resources,
  stack,
  synthesize,
  template,
  webhookStores,
  withCapability,
} from './synthesized-stack.ts';

const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';

beforeAll(synthesize);

describe('the functions', () => {
  it('are exactly one Lambda per catalog entry, on Node 24 and ARM64', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([id]) => functionByLogicalId[id]).sort()).toEqual([...catalogNames].sort());
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties.Handler, id).toBe('index.handler');
    }
  });

  it('take memory and timeout from the catalog, with the documented defaults', () => {
    for (const name of catalogNames) {
      const spec: { kind: string; memoryMb?: number; timeoutSeconds?: number } = functionCatalog[name];
      const fn = resources[logicalIdOf[name]]!.Properties;
      expect(fn.MemorySize, name).toBe(spec.memoryMb ?? 256);
      expect(fn.Timeout, name).toBe(spec.timeoutSeconds ?? (spec.kind === 'http' ? 29 : 60));
    }
  });

  it('log to their own group, kept one month', () => {
    for (const name of catalogNames) {
      const logGroupId = resources[logicalIdOf[name]]!.Properties.LoggingConfig.LogGroup.Ref;
      expect(resources[logGroupId]!.Properties.RetentionInDays, name).toBe(30);
    }
  });

  it('get the environment variable of each capability they have, and none of the others', () => {
    const variableOf: Partial<Record<string, string>> = {
      'requests:read': envNames.requestTable,
      'requests:write': envNames.requestTable,
      'exports:read': envNames.exportBucket,
      'exports:write': envNames.exportBucket,
      'exports:collect': envNames.exportBucket,
      'requests:purge': envNames.requestTable,
      'workflow:start': envNames.stateMachineArn,
      'mail:send': envNames.mailFrom,
      'stores:read': envNames.storeLocations,
      'stores:write': envNames.storeLocations,
      'stores:preview': envNames.storeLocations,
      'stores:secrets': envNames.storeLocations,
      'intake:secret': envNames.intakeSecretName,
      'limits:count': envNames.requestTable,
    };
    const capabilityVariables = new Set(Object.values(variableOf));
    for (const name of catalogNames) {
      const spec: { capabilities: readonly string[] } = functionCatalog[name];
      const variables = Object.keys(resources[logicalIdOf[name]]!.Properties.Environment.Variables);
      const expected = [...new Set(spec.capabilities.map((capability) => variableOf[capability]).filter(Boolean))].sort();
      expect(variables.filter((variable) => capabilityVariables.has(variable)).sort(), name).toEqual(expected);
      expect(variables, name).toEqual(expect.arrayContaining(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']));
    }
  });

  it('give each operator setting, default included, to exactly the functions the catalog says read it', () => {
    for (const name of catalogNames) {
      const variables = resources[logicalIdOf[name]]!.Properties.Environment.Variables;
      const reads = ((functionCatalog[name] as FunctionSpec).settings ?? []).filter((key): key is SettingKey => key in operatorSettings);
      const given = Object.entries(operatorSettings)
        .filter(([, spec]) => spec.env in variables)
        .map(([key]) => key);
      expect(given.sort(), name).toEqual([...reads].sort());
      for (const key of reads) expect(variables[operatorSettings[key].env], `${name} ${key}`).toBe(settingsEnvironment({}, [key])[operatorSettings[key].env]);
    }
  });

  it('take every operator setting from the deploy context, and refuse a bad value naming the context key', () => {
    const { stack: tuned } = buildDsrApp({ context: { ...noBundling, autoApprove: 'access', ipSubmissionsLimit: '50', verificationTtlHours: '48' } });
    const tunedResources = Template.fromStack(tuned).toJSON().Resources;
    const variablesOf = (name: FunctionName) =>
      tunedResources[tuned.resolve((tuned.functions.functions[name].node.defaultChild as CfnFunction).logicalId)].Properties.Environment.Variables;
    expect(variablesOf('prepareApproval').AUTO_APPROVE).toBe('access');
    expect(variablesOf('submitRequest').RATE_LIMIT_IP_SUBMISSIONS).toBe('50');
    expect(variablesOf('startVerification').VERIFICATION_TTL_HOURS).toBe('48');
    // The state machine waits exactly as long as the link works.
    const tunedAsl = resolveDefinitionString(tuned.workflow.definitionString(), (id) => id) as { States: Record<string, { TimeoutSeconds?: number }> };
    expect(tunedAsl.States.StartVerification!.TimeoutSeconds).toBe(48 * 3600);
    expect(() => buildDsrApp({ context: { ...noBundling, autoApprove: 'everything' } })).toThrow(
      '-c autoApprove must be "none" or a comma-separated list of access, amend, delete, objection (got "everything")',
    );
    expect(() => buildDsrApp({ context: { ...noBundling, backupWindowDays: '-3' } })).toThrow(
      '-c backupWindowDays must be a whole number, 0 or more (got "-3")',
    );
  });

  it('warn at synth about values that would deploy a product serving nobody, unless the demo is meant', () => {
    const warnings = (context: Record<string, unknown>) => {
      const { stack: built } = buildDsrApp({ context: { ...noBundling, ...context } });
      return Annotations.fromStack(built)
        .findWarning('*', Match.anyValue())
        .map((warning) => String(warning.entry.data));
    };
    const demo = warnings({});
    expect(demo.join('\n')).toMatch(/mailFrom is privacy@example.com/);
    expect(demo.join('\n')).toMatch(/creates demo stores/);
    expect(demo.join('\n')).toMatch(/example addresses nobody reads/);
    expect(demo.join('\n')).toMatch(/crm-partner have no endpoint/);
    expect(demo.join('\n')).toMatch(/Reminders and escalations go to privacy-officers@example.com/);
    const trial = warnings({ allowDemo: 'true', mailFrom: 'privacy@acme-privacy.eu' });
    expect(trial).toEqual([]);
  });

  it("tell the officers' address only to the functions that mail officers, from the context", () => {
    for (const name of catalogNames) {
      const variables = resources[logicalIdOf[name]]!.Properties.Environment.Variables;
      expect(variables[envNames.officerEmail], name).toBe(name === 'sendReminders' ? 'privacy-officers@example.com' : undefined);
    }
    const { stack: custom } = buildDsrApp({ context: { ...noBundling, officerEmail: 'dpo@example.org' } });
    const id = custom.resolve((custom.functions.functions.sendReminders.node.defaultChild as CfnFunction).logicalId) as string;
    expect(Template.fromStack(custom).toJSON().Resources[id].Properties.Environment.Variables[envNames.officerEmail]).toBe('dpo@example.org');
    expect(() => buildDsrApp({ context: { ...noBundling, officerEmail: 'not an address' } })).toThrow(/officerEmail/);
  });

  it('run every scheduled function hourly from an EventBridge rule, and nothing else on a schedule', () => {
    const rules = ofType('AWS::Events::Rule');
    const scheduled = catalogNames.filter((name) => functionCatalog[name].kind === 'scheduled');
    expect(scheduled).toEqual(['sendReminders', 'purgeClosedRequests']);
    expect(rules).toHaveLength(scheduled.length);
    const targeted: string[] = [];
    for (const [, rule] of rules) {
      expect(rule.Properties.ScheduleExpression).toBe('rate(1 hour)');
      expect(rule.Properties.State ?? 'ENABLED').toBe('ENABLED');
      expect(rule.Properties.Targets).toHaveLength(1);
      targeted.push(String(functionByLogicalId[rule.Properties.Targets[0].Arn['Fn::GetAtt'][0]]));
    }
    expect(targeted.sort()).toEqual([...scheduled].sort());
    for (const name of scheduled) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [logicalIdOf[name], 'Arn'] },
      });
    }
  });

  it('tell the pages function how officers sign in to the console (Cognito domain and app client)', () => {
    const variables = resources[logicalIdOf.pages]!.Properties.Environment.Variables;
    expect(variables.CONSOLE_AUTH_KIND).toBe('cognito');
    const clientId = logicalIdOfConstruct(stack.officers.client);
    expect(variables.CONSOLE_CLIENT_ID).toEqual({ Ref: clientId });
    expect(JSON.stringify(variables.COGNITO_DOMAIN_URL)).toContain(logicalIdOfConstruct(stack.officers.domain));
    expect(JSON.stringify(variables.COGNITO_DOMAIN_URL)).toMatch(/amazoncognito\.com/);
  });

  it('serve a custom domain with its certificate, and let the console sign in there', () => {
    const { stack: withDomain } = buildDsrApp({
      context: { ...noBundling, domainName: 'privacy.example.com', certificateArn, officerCallbackUrls: 'https://other.example.com/console' },
    });
    const served = Template.fromStack(withDomain);
    served.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'privacy.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn })],
    });
    served.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { DomainName: { Ref: Match.anyValue() }, Stage: '$default' });
    served.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://privacy.example.com/console', 'https://other.example.com/console'],
    });
    served.hasOutput('PublicDomainTarget', {});
  });

  it('refuse a public URL the stack would not serve (no certificate), naming what is missing', () => {
    // Links and sign-in used to point at https://privacy.your-domain.example with nothing serving it.
    expect(() => buildDsrApp({ context: { ...noBundling, publicBaseUrl: 'https://privacy.example.com/' } })).toThrow(/needs certificateArn/);
    expect(() => buildDsrApp({ context: { ...noBundling, domainName: 'privacy.example.com' } })).toThrow(/needs certificateArn/);
    expect(() => buildDsrApp({ context: { ...noBundling, publicBaseUrl: 'https://privacy.example.com/app', certificateArn } })).toThrow(
      /nothing after the host/,
    );
  });

  it('tell the pages function where its copied web assets are', () => {
    expect(resources[logicalIdOf.pages]!.Properties.Environment.Variables[envNames.webAssetsDir]).toBe('/var/task/web');
  });

  it("pass PUBLIC_BASE_URL, the API's own URL or the custom domain, to exactly the functions that write links", () => {
    const linkWriters = catalogNames.filter((name) => (functionCatalog[name] as FunctionSpec).settings?.includes('publicBaseUrl'));
    expect(linkWriters).toEqual(expect.arrayContaining(['submitRequest', 'startVerification', 'notifyRequester', 'sendReminders']));
    for (const name of catalogNames) {
      const variables = resources[logicalIdOf[name]]!.Properties.Environment.Variables;
      if (linkWriters.includes(name)) expect(JSON.stringify(variables[envNames.publicBaseUrl]), name).toContain(logicalIdOfConstruct(stack.api.httpApi));
      else expect(variables[envNames.publicBaseUrl], name).toBeUndefined();
    }
    const { stack: withDomain } = buildDsrApp({ context: { ...noBundling, domainName: 'privacy.example.com', certificateArn } });
    const functions = Template.fromStack(withDomain).findResources('AWS::Lambda::Function');
    expect(Object.values(functions).filter((fn) => fn.Properties.Environment.Variables[envNames.publicBaseUrl] === 'https://privacy.example.com')).toHaveLength(
      linkWriters.length,
    );
  });

  it('map the id of every store with an AWS resource (tables, buckets, generated secrets) to its physical name, and nothing else', () => {
    const withResource = storeCatalog.stores
      .filter((store) => store.kind === 'dynamodb' || store.kind === 's3' || (store.kind === 'webhook' && store.provision === 'demo'))
      .map((store) => store.id);
    const resourceType = { dynamodb: 'AWS::DynamoDB::Table', s3: 'AWS::S3::Bucket', webhook: 'AWS::SecretsManager::Secret' } as Record<string, string>;
    for (const name of withCapability('stores:read', 'stores:preview', 'stores:write', 'stores:secrets')) {
      const locations = resolveDefinitionString(
        resources[logicalIdOf[name]]!.Properties.Environment.Variables[envNames.storeLocations],
        (logicalId) => logicalId,
      ) as Record<string, unknown>;
      expect(Object.keys(locations).sort(), name).toEqual(withResource.sort());
      for (const [storeId, physical] of Object.entries(locations)) {
        const store = storeCatalog.stores.find((candidate) => candidate.id === storeId)!;
        expect(resources[physical as string]?.Type, storeId).toBe(resourceType[store.kind]);
      }
    }
  });

  it('give processor endpoints from the context to the functions that call or verify processors, and only when given', () => {
    const endpointVariables = webhookStores.flatMap((store) => (typeof store.endpoint === 'string' ? [] : [store.endpoint.env]));
    expect(endpointVariables.length).toBeGreaterThan(0);
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      for (const variable of endpointVariables) expect(fn.Properties.Environment.Variables[variable]).toBeUndefined();
    }

    const urls = Object.fromEntries(webhookStores.map((store) => [store.id, `https://${store.id}.processor.example/dsr`]));
    const { stack: withUrls } = buildDsrApp({ context: { ...noBundling, webhookEndpoints: JSON.stringify(urls) } });
    const functions = Template.fromStack(withUrls).findResources('AWS::Lambda::Function');
    const receivers = withCapability('stores:write', 'stores:secrets');
    for (const name of catalogNames) {
      const id = withUrls.resolve((withUrls.functions.functions[name].node.defaultChild as CfnFunction).logicalId) as string;
      const variables = functions[id]!.Properties.Environment.Variables;
      for (const store of webhookStores) {
        if (typeof store.endpoint === 'string') continue;
        expect(variables[store.endpoint.env], `${name} ${store.endpoint.env}`).toBe(receivers.includes(name) ? urls[store.id] : undefined);
      }
    }
  });

  it('refuse processor endpoints that cannot be right', () => {
    const build = (webhookEndpoints: unknown) => () => buildDsrApp({ context: { ...noBundling, webhookEndpoints } });
    expect(build({ 'no-such-store': 'https://x.example' })).toThrow(/not a webhook store/);
    expect(build({ accounts: 'https://x.example' })).toThrow(/not a webhook store/);
    expect(build({ [webhookStores[0]!.id]: 'http://x.example' })).toThrow(/https/);
    expect(build('{not json')).toThrow(/JSON/);
  });
});
