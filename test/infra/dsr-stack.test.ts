import { Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { operatorSettings, settingsEnvironment, type SettingKey } from '../../lambdas/shared/settings.ts';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { envNames, functionCatalog, officerGroup, routes, type FunctionName, type FunctionSpec } from '../../lib/catalog.ts';
import { buildDsrApp, workflowStates, type DsrStack } from '../../lib/dsr-stack.ts';
import { resolveDefinitionString } from '../../lib/local/resolve-definition.ts';
import { requestTableKeys } from '../../lambdas/adapters/dynamodb-request-repository.ts';
import { requestRejectedError } from '../../lambdas/use-cases/decide-request.ts';
import { requestCancelledError } from '../../lambdas/use-cases/cancel-request.ts';
import { storesReadBeforeApproval, type DynamoDbStore, type S3Store, type StoreCatalog, type WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { flattenReference } from '../../lib/constructs/nag-acknowledgements.ts';

// Prepare: one stack for the whole file, without bundling (the handlers are not built here).
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const catalogNames = Object.keys(functionCatalog) as FunctionName[];
const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';

let stack: DsrStack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: any }>;
let functionByLogicalId: Record<string, FunctionName>;
let logicalIdOf: Record<FunctionName, string>;
let asl: { StartAt: string; States: Record<string, any> };

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const asList = (value: unknown): any[] => (Array.isArray(value) ? value : [value]);
const sameSet = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && b.every((item) => a.includes(item));
const withCapability = (...capabilities: string[]) =>
  catalogNames.filter((name) => (functionCatalog[name].capabilities as readonly string[]).some((capability) => capabilities.includes(capability))).sort();

const dynamoStores = storeCatalog.stores.filter((store): store is DynamoDbStore => store.kind === 'dynamodb');
const s3Stores = storeCatalog.stores.filter((store): store is S3Store => store.kind === 's3');
const webhookStores = storeCatalog.stores.filter((store): store is WebhookStore => store.kind === 'webhook');
const fixedPrefix = (store: S3Store) => store.prefixTemplate.split('{')[0]!;
/** The write actions the erasure, amendment and opt-out paths use on a store table. */
const storeItemWrites = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'];

const logicalIdOfConstruct = (construct: IConstruct): string =>
  stack.resolve(((construct.node.defaultChild ?? construct) as IConstruct & { logicalId: string }).logicalId) as string;
const storeTableId = (storeId: string) => logicalIdOfConstruct(stack.stores.tables[storeId]!);
const storeBucketId = (storeId: string) => logicalIdOfConstruct(stack.stores.buckets[storeId]!);
const storeResourceIds = () => [...dynamoStores.map((store) => storeTableId(store.id)), ...s3Stores.map((store) => storeBucketId(store.id))];

/** Every statement of every IAM policy, with the function whose role the policy is attached to. */
const statements = () =>
  ofType('AWS::IAM::Policy').flatMap(([id, policy]) => {
    const roles = asList(policy.Properties.Roles).map((role: { Ref: string }) => role.Ref);
    const owner = catalogNames.find((name) => roles.includes(logicalIdOfConstruct(stack.functions.roles[name])));
    return (policy.Properties.PolicyDocument.Statement as any[]).map((statement) => ({ id, owner: owner ?? id, statement }));
  });
const statementsOf = (name: FunctionName) => statements().filter(({ owner }) => owner === name).map(({ statement }) => statement);
/** Resources as cdk-nag names them: `<Logical.Arn>/uploads/*`. */
const resourcesOf = (statement: { Resource: unknown }): string[] => asList(statement.Resource).map((resource) => flattenReference(resource));
const grantedTo = (action: string) => [...new Set(statements().filter(({ statement }) => asList(statement.Action).includes(action)).map(({ owner }) => owner))].sort();
const onStoreResource = (statement: { Resource: unknown }) =>
  resourcesOf(statement).some((resource) => storeResourceIds().some((id) => resource.startsWith(`<${id}.`)));
const grantedOnStores = (action: string) =>
  [...new Set(statements().filter(({ statement }) => asList(statement.Action).includes(action) && onStoreResource(statement)).map(({ owner }) => owner))].sort();
/** The statement CDK's grantReadWrite writes for exports:write (finishRequest has it as well). */
const exportsWriteStatement = () => {
  const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
  return statementsOf('finishRequest').find((statement) => asList(statement.Action).includes('s3:PutObject') && resourcesOf(statement).includes(`${exportBucket}/*`))!;
};

beforeAll(() => {
  ({ stack } = buildDsrApp({ context: noBundling }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  logicalIdOf = Object.fromEntries(
    catalogNames.map((name) => [name, stack.resolve((stack.functions.functions[name].node.defaultChild as CfnFunction).logicalId)]),
  ) as Record<FunctionName, string>;
  functionByLogicalId = Object.fromEntries(Object.entries(logicalIdOf).map(([name, id]) => [id, name as FunctionName]));
  const [, stateMachine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
  asl = resolveDefinitionString(stateMachine.Properties.DefinitionString, (logicalId, attribute) =>
    functionByLogicalId[logicalId] ? `fn:${functionByLogicalId[logicalId]}` : `${logicalId}${attribute ? `.${attribute}` : ''}`,
  ) as typeof asl;
});

describe('the HTTP API', () => {
  it('has exactly one route per entry of the route table', () => {
    const routeKeys = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('sends each route to the function the route table names', () => {
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration'));
    for (const [, route] of ofType('AWS::ApiGatewayV2::Route')) {
      const spec = routes.find((candidate) => `${candidate.method} ${candidate.path}` === route.Properties.RouteKey)!;
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
      const uri = integrations[integrationId]!.Properties.IntegrationUri;
      expect(functionByLogicalId[uri['Fn::GetAtt'][0]], route.Properties.RouteKey).toBe(spec.function);
    }
  });

  it('puts every officer route, and only those, behind the Cognito JWT authorizer', () => {
    const [[authorizerId, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, any]];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toMatch(/cognito-idp\./);
    const clientId = stack.resolve((stack.officers.client.node.defaultChild as IConstruct & { logicalId: string }).logicalId);
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
    for (const [, route] of ofType('AWS::ApiGatewayV2::Route')) {
      const spec = routes.find((candidate) => `${candidate.method} ${candidate.path}` === route.Properties.RouteKey)!;
      if (spec.auth === 'officer') {
        expect(route.Properties.AuthorizationType, spec.path).toBe('JWT');
        expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      } else {
        expect(route.Properties.AuthorizationType ?? 'NONE', spec.path).toBe('NONE');
      }
    }
  });

  it('throttles the default stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
    });
  });

  it('keeps personal data out of the access log format', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, any]];
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/sourceIp|userAgent|\$context\.path/);
  });
});

describe('the officers', () => {
  it('sign in to an invite-only pool with MFA, and belong to the officer group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: officerGroup });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      GenerateSecret: false,
      // Without a custom domain, the console is the API's own URL: a host the stack serves.
      CallbackURLs: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOfConstruct(stack.api.httpApi), 'ApiEndpoint'] }, '/console']] }],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

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
      const given = Object.entries(operatorSettings).filter(([, spec]) => spec.env in variables).map(([key]) => key);
      expect(given.sort(), name).toEqual([...reads].sort());
      for (const key of reads) expect(variables[operatorSettings[key].env], `${name} ${key}`).toBe(settingsEnvironment({}, [key])[operatorSettings[key].env]);
    }
  });

  it('take every operator setting from the deploy context, and refuse a bad value naming the context key', () => {
    const { stack: tuned } = buildDsrApp({ context: { ...noBundling, autoApprove: 'access', ipSubmissionsLimit: '50', verificationTtlHours: '48' } });
    const tunedResources = Template.fromStack(tuned).toJSON().Resources;
    const variablesOf = (name: FunctionName) => tunedResources[tuned.resolve((tuned.functions.functions[name].node.defaultChild as CfnFunction).logicalId)].Properties.Environment.Variables;
    expect(variablesOf('prepareApproval').AUTO_APPROVE).toBe('access');
    expect(variablesOf('submitRequest').RATE_LIMIT_IP_SUBMISSIONS).toBe('50');
    expect(variablesOf('startVerification').VERIFICATION_TTL_HOURS).toBe('48');
    // The state machine waits exactly as long as the link works.
    const tunedAsl = resolveDefinitionString(tuned.workflow.definitionString(), (id) => id) as { States: Record<string, { TimeoutSeconds?: number }> };
    expect(tunedAsl.States.StartVerification!.TimeoutSeconds).toBe(48 * 3600);
    expect(() => buildDsrApp({ context: { ...noBundling, autoApprove: 'everything' } })).toThrow('-c autoApprove must be "none" or a comma-separated list of access, amend, delete, objection (got "everything")');
    expect(() => buildDsrApp({ context: { ...noBundling, backupWindowDays: '-3' } })).toThrow('-c backupWindowDays must be a whole number, 0 or more (got "-3")');
  });

  it('warn at synth about values that would deploy a product serving nobody, unless the demo is meant', () => {
    const warnings = (context: Record<string, unknown>) => {
      const { stack: built } = buildDsrApp({ context: { ...noBundling, ...context } });
      return Annotations.fromStack(built).findWarning('*', Match.anyValue()).map((warning) => String(warning.entry.data));
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

  it('tell the officers\' address only to the functions that mail officers, from the context', () => {
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
      template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [logicalIdOf[name], 'Arn'] } });
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
    const { stack: withDomain } = buildDsrApp({ context: { ...noBundling, domainName: 'privacy.example.com', certificateArn, officerCallbackUrls: 'https://other.example.com/console' } });
    const served = Template.fromStack(withDomain);
    served.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'privacy.example.com', DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn })] });
    served.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { DomainName: { Ref: Match.anyValue() }, Stage: '$default' });
    served.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://privacy.example.com/console', 'https://other.example.com/console'] });
    served.hasOutput('PublicDomainTarget', {});
  });

  it('refuse a public URL the stack would not serve (no certificate), naming what is missing', () => {
    // Links and sign-in used to point at https://privacy.your-domain.example with nothing serving it.
    expect(() => buildDsrApp({ context: { ...noBundling, publicBaseUrl: 'https://privacy.example.com/' } })).toThrow(/needs certificateArn/);
    expect(() => buildDsrApp({ context: { ...noBundling, domainName: 'privacy.example.com' } })).toThrow(/needs certificateArn/);
    expect(() => buildDsrApp({ context: { ...noBundling, publicBaseUrl: 'https://privacy.example.com/app', certificateArn } })).toThrow(/nothing after the host/);
  });

  it('tell the pages function where its copied web assets are', () => {
    expect(resources[logicalIdOf.pages]!.Properties.Environment.Variables[envNames.webAssetsDir]).toBe('/var/task/web');
  });

  it('pass PUBLIC_BASE_URL, the API\'s own URL or the custom domain, to exactly the functions that write links', () => {
    const linkWriters = catalogNames.filter((name) => (functionCatalog[name] as FunctionSpec).settings?.includes('publicBaseUrl'));
    expect(linkWriters).toEqual(expect.arrayContaining(['submitRequest', 'startVerification', 'notifyRequester', 'sendReminders']));
    for (const name of catalogNames) {
      const variables = resources[logicalIdOf[name]]!.Properties.Environment.Variables;
      if (linkWriters.includes(name)) expect(JSON.stringify(variables[envNames.publicBaseUrl]), name).toContain(logicalIdOfConstruct(stack.api.httpApi));
      else expect(variables[envNames.publicBaseUrl], name).toBeUndefined();
    }
    const { stack: withDomain } = buildDsrApp({ context: { ...noBundling, domainName: 'privacy.example.com', certificateArn } });
    const functions = Template.fromStack(withDomain).findResources('AWS::Lambda::Function');
    expect(Object.values(functions).filter((fn) => fn.Properties.Environment.Variables[envNames.publicBaseUrl] === 'https://privacy.example.com')).toHaveLength(linkWriters.length);
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

describe('the state machine', () => {
  it('is a Standard workflow, traced, logging errors without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has exactly the states the local stack maps', () => {
    const names = [...Object.keys(asl.States), ...Object.keys(asl.States.RunStores.ItemProcessor.States)];
    expect(names.sort()).toEqual(Object.values(workflowStates).sort());
    expect(JSON.stringify(asl)).not.toMatch(/JSONata/i);
  });

  it("starts with the Route choice: an officer's retry goes straight to the stores, anything else to verification", () => {
    expect(asl.StartAt).toBe(workflowStates.route);
    const route = asl.States.Route;
    expect(route.Type).toBe('Choice');
    expect(route.Default).toBe(workflowStates.startVerification);
    expect(route.Choices).toEqual([
      { And: [{ Variable: '$.phase', IsPresent: true }, { Variable: '$.phase', StringEquals: 'retry' }], Next: workflowStates.runStores },
    ]);
  });

  it('parks the two human steps with waitForTaskToken, passing only the request id and the token', () => {
    for (const [state, fn] of [
      ['StartVerification', 'startVerification'],
      ['AwaitApproval', 'prepareApproval'],
    ] as const) {
      const task = asl.States[state];
      expect(task.Resource, state).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
      expect(task.Parameters).toEqual({ FunctionName: `fn:${fn}`, Payload: { 'requestId.$': '$.requestId', 'taskToken.$': '$$.Task.Token' } });
      expect(task.ResultPath, state).toBeNull();
    }
    expect(asl.States.StartVerification.TimeoutSeconds).toBe(72 * 3600);
    expect(asl.States.AwaitApproval.TimeoutSeconds).toBe(360 * 24 * 3600);
  });

  it('expires an unverified request, and tells the requester when an officer rejects', () => {
    expect(asl.States.StartVerification.Catch).toEqual(expect.arrayContaining([{ ErrorEquals: ['States.Timeout', 'MailNotSentError'], ResultPath: null, Next: 'ExpireRequest' }]));
    expect(asl.States.ExpireRequest).toMatchObject({ Resource: 'fn:expireRequest', Parameters: { 'requestId.$': '$.requestId' }, Next: 'Expired' });
    expect(asl.States.Expired.Type).toBe('Succeed');
    expect(asl.States.AwaitApproval.Catch).toEqual(expect.arrayContaining([{ ErrorEquals: [requestRejectedError], ResultPath: null, Next: 'NotifyRequester' }]));
  });

  it('expires a request no officer decided within the approval window, instead of failing the execution', () => {
    expect(asl.States.AwaitApproval.Catch).toEqual(expect.arrayContaining([{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ExpireRequest' }]));
  });

  it('retries mail SES did not take in every task that mails, not only Lambda service errors', () => {
    // One SES throttle used to fail StartVerification and FinishRequest outright and strand the request.
    for (const state of ['StartVerification', 'FinishRequest', 'NotifyRequester']) {
      const mailRetry = asl.States[state].Retry.find((retry: { ErrorEquals: string[] }) => retry.ErrorEquals.includes('MailNotSentError'));
      expect(mailRetry, state).toMatchObject({ IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 5 });
    }
  });

  it('ends the execution as Cancelled when the requester cancels while it waits for them or an officer', () => {
    for (const state of ['StartVerification', 'AwaitApproval']) {
      expect(asl.States[state].Catch, state).toEqual(expect.arrayContaining([{ ErrorEquals: [requestCancelledError], ResultPath: null, Next: workflowStates.cancelled }]));
      // Besides cancellation, each catches exactly one other way out (expiry, or the officer's rejection and the approval window's timeout).
      expect(asl.States[state].Catch, state).toHaveLength(state === 'AwaitApproval' ? 3 : 2);
    }
    expect(asl.States[workflowStates.cancelled].Type).toBe('Succeed');
  });

  it('runs every store, retrying transient errors and recording failures without losing the others', () => {
    const map = asl.States.RunStores;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.stores',
      ItemSelector: { 'requestId.$': '$.requestId', 'storeId.$': '$$.Map.Item.Value' },
      ResultPath: '$.outcomes',
      MaxConcurrency: 10,
      Next: 'FinishRequest',
    });
    const action = map.ItemProcessor.States.RunStoreAction;
    // Every store kind parks the item: sync stores resume at once, processors and people later.
    expect(action.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(action.Parameters).toEqual({
      FunctionName: 'fn:runStoreAction',
      Payload: { 'requestId.$': '$.requestId', 'storeId.$': '$.storeId', 'taskToken.$': '$$.Task.Token' },
    });
    const longestWaitHours = Math.max(
      1,
      ...storeCatalog.stores.map((store) => (store.kind === 'webhook' ? store.callbackTimeoutHours : store.kind === 'manual' ? store.taskTimeoutHours : 0)),
    );
    expect(action.TimeoutSeconds).toBe((longestWaitHours + 1) * 3600);
    expect(action.Retry).toEqual([
      {
        ErrorEquals: [
          'StoreUnavailableError',
          'ErasureIncompleteError',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
        ],
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 4,
        JitterStrategy: 'FULL',
      },
    ]);
    expect(action.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordStoreFailure' }]);
    expect(map.ItemProcessor.States.RecordStoreFailure).toMatchObject({
      Type: 'Pass',
      Parameters: { 'storeId.$': '$.storeId', status: 'failed', 'error.$': '$.failure.Error' },
    });
  });

  it('finishes with ids and outcomes only, then notifies, retrying mail that did not go', () => {
    expect(asl.States.FinishRequest).toMatchObject({
      Resource: 'fn:finishRequest',
      Parameters: { 'requestId.$': '$.requestId', 'type.$': '$.type', 'outcomes.$': '$.outcomes' },
      ResultPath: null,
      Next: 'NotifyRequester',
    });
    // Mail SES keeps refusing (after the retries) settles the request all the same, notices recorded unsent.
    expect(asl.States.FinishRequest.Catch).toEqual([{ ErrorEquals: ['MailNotSentError'], ResultPath: null, Next: 'FinishWithoutRecipientMail' }]);
    expect(asl.States.FinishWithoutRecipientMail).toMatchObject({
      Resource: 'fn:finishRequest',
      Parameters: { 'requestId.$': '$.requestId', 'type.$': '$.type', 'outcomes.$': '$.outcomes', recipientMail: 'failed' },
      Next: 'NotifyRequester',
    });
    const notify = asl.States.NotifyRequester;
    expect(notify).toMatchObject({ Resource: 'fn:notifyRequester', Parameters: { 'requestId.$': '$.requestId' }, ResultPath: null, End: true });
    expect(notify.Retry.flatMap((retry: { ErrorEquals: string[] }) => retry.ErrorEquals)).toEqual(
      expect.arrayContaining(['Lambda.ServiceException', 'MailNotSentError']),
    );
  });

  it('gives every task a timeout, so the local engine never applies its 60 s default', () => {
    const tasks = [...Object.values(asl.States), ...Object.values(asl.States.RunStores.ItemProcessor.States)].filter((state) => state.Type === 'Task');
    for (const task of tasks) expect(task.TimeoutSeconds).toBeGreaterThan(60);
  });
});

describe('the data', () => {
  it('keeps requests in a retained, protected, recoverable, KMS-encrypted table with the status index', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: requestTableKeys.partitionKey, KeyType: 'HASH' },
          { AttributeName: requestTableKeys.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: requestTableKeys.statusIndex })],
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps exports private, TLS-only, KMS-encrypted and short-lived', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 8, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'work/', ExpirationInDays: 1, Status: 'Enabled' }),
        ]),
      },
    });
    const exportBucketId = stack.resolve((stack.exports.bucket.node.defaultChild as IConstruct & { logicalId: string }).logicalId);
    expect(resources[exportBucketId]!.Properties.VersioningConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: exportBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('creates a table for every demo DynamoDB store, with its key schema and lookup index, encrypted and recoverable', () => {
    const demoTables = dynamoStores.filter((store) => store.provision === 'demo');
    expect(demoTables.length).toBeGreaterThan(0);
    for (const store of demoTables) {
      const table = resources[storeTableId(store.id)]!;
      expect(table.Type, store.id).toBe('AWS::DynamoDB::Table');
      expect(table.Properties.KeySchema, store.id).toEqual([
        { AttributeName: store.keySchema.partitionKey, KeyType: 'HASH' },
        ...(store.keySchema.sortKey ? [{ AttributeName: store.keySchema.sortKey, KeyType: 'RANGE' }] : []),
      ]);
      const indexes = table.Properties.GlobalSecondaryIndexes ?? [];
      expect(indexes.map((index: { IndexName: string }) => index.IndexName), store.id).toEqual(store.lookup.indexName ? [store.lookup.indexName] : []);
      if (store.lookup.indexName) {
        expect(indexes[0]).toMatchObject({ KeySchema: [{ AttributeName: store.lookup.attribute, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } });
      }
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    }
  });

  it('creates the demo buckets private and KMS-encrypted, versioning exactly the versioned ones with a noncurrent-version expiry', () => {
    const demoBuckets = s3Stores.filter((store) => store.provision === 'demo');
    expect(demoBuckets.some((store) => store.versioned)).toBe(true);
    for (const store of demoBuckets) {
      const bucket = resources[storeBucketId(store.id)]!.Properties;
      expect(bucket.PublicAccessBlockConfiguration, store.id).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, store.id).toBe('aws:kms');
      if (store.versioned) {
        expect(bucket.VersioningConfiguration, store.id).toEqual({ Status: 'Enabled' });
        expect(bucket.LifecycleConfiguration.Rules, store.id).toEqual(
          expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' })]),
        );
      } else {
        expect(bucket.VersioningConfiguration, store.id).toBeUndefined();
      }
    }
  });

  it('creates the demo webhook signing secrets, generated, encrypted with the data key, named by CloudFormation and found by ARN', () => {
    const dataKeyId = logicalIdOfConstruct(stack.node.findChild('DataKey').node.findChild('Key'));
    const demoWebhooks = webhookStores.filter((candidate) => candidate.provision === 'demo');
    expect(demoWebhooks.length).toBeGreaterThan(0);
    for (const store of demoWebhooks) {
      const secretId = logicalIdOfConstruct(stack.stores.secrets[store.id]!);
      const secret = resources[secretId]!;
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secret.Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
      // A fixed name would stay taken for the recovery window after a destroy: the next deploy would fail.
      expect(secret.Properties.Name).toBeUndefined();
      expect(secret.Properties.SecretString).toBeUndefined();
      // Every function that reads the secret learns its ARN from STORE_LOCATIONS.
      for (const name of ['storeCallback', 'runStoreAction', 'prepareApproval'] as const) {
        expect(JSON.stringify(resources[logicalIdOf[name]]!.Properties.Environment.Variables[envNames.storeLocations]), name).toContain(`{"Ref":"${secretId}"}`);
      }
    }
  });

  it('creates nothing for manual stores, and gives them no location', () => {
    const manual = storeCatalog.stores.filter((store) => store.kind === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    for (const store of manual) {
      expect(stack.stores.node.children.filter((child) => child.node.id.startsWith(store.id)), store.id).toEqual([]);
      expect(stack.stores.locations[store.id]).toBeUndefined();
    }
  });
});

describe('stores the operator already has', () => {
  // The same catalog, every store declared `existing`: imported by name, nothing created.
  const existingCatalog: StoreCatalog = { ...storeCatalog, stores: storeCatalog.stores.map((store) => ({ ...store, provision: 'existing' as const })) };
  let existing: DsrStack;
  let existingResources: Record<string, { Type: string; Properties?: any }>;
  beforeAll(() => {
    ({ stack: existing } = buildDsrApp({ context: noBundling, props: { storeCatalog: existingCatalog } }));
    existingResources = Template.fromStack(existing).toJSON().Resources;
  });

  it('creates no store resource, and grants on the declared names', () => {
    const types = Object.values(existingResources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::DynamoDB::Table')).toHaveLength(1); // the request table
    expect(types.filter((type) => type === 'AWS::SecretsManager::Secret')).toHaveLength(1); // the intake-link key
    const policies = JSON.stringify(Object.values(existingResources).filter((resource) => resource.Type === 'AWS::IAM::Policy'));
    for (const store of dynamoStores) expect(policies, store.id).toContain(`:table/${store.table}`);
    for (const store of s3Stores) expect(policies, store.id).toContain(`:s3:::${store.bucket}/${fixedPrefix(store)}*`);
    for (const store of webhookStores) expect(policies, store.id).toContain(`:secret:${store.secretName}-??????`);
  });

  it('passes cdk-nag, acknowledging only findings that exist', () => {
    expect(unacknowledgedFindings(existing)).toEqual([]);
    expect(staleAcknowledgements(existing)).toEqual([]);
  });
});

describe('the alarms', () => {
  it('watch failed and timed-out executions and store failures', () => {
    const watched = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => `${alarm.Properties.Namespace}/${alarm.Properties.MetricName}`);
    expect(watched.sort()).toEqual(['AWS/Lambda/Errors', 'AWS/States/ExecutionsFailed', 'AWS/States/ExecutionsTimedOut']);
    const storeErrors = ofType('AWS::CloudWatch::Alarm').find(([, alarm]) => alarm.Properties.MetricName === 'Errors')![1];
    expect(JSON.stringify(storeErrors.Properties.Dimensions)).toContain(logicalIdOf.runStoreAction);
  });

  it('are backed by logs that are all kept for a bounded time', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(Object.keys(functionCatalog).length);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });

  it('have no action unless an alarm email is given', () => {
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) expect(alarm.Properties.AlarmActions).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('email the given address through an encrypted, TLS-only topic, and pass cdk-nag', () => {
    const { stack: withEmail } = buildDsrApp({ context: { ...noBundling, alarmEmail: 'ops@example.com' } });
    const emailed = Template.fromStack(withEmail);
    emailed.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    emailed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    emailed.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const alarms = Object.values(emailed.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
    expect(unacknowledgedFindings(withEmail)).toEqual([]);
    expect(staleAcknowledgements(withEmail)).toEqual([]);
  });
});

describe('least privilege', () => {
  const dataActions = /^(dynamodb|s3|secretsmanager|kms):/;

  it('never grants data, secret or key actions on every resource', () => {
    for (const { id, statement } of statements()) {
      const touchesData = asList(statement.Action).some((action: string) => dataActions.test(action));
      if (touchesData) expect(asList(statement.Resource), id).not.toContain('*');
    }
  });

  it('sends mail only from the configured identity and configuration set, to recipients the SES sandbox checks too', () => {
    expect(grantedTo('ses:SendEmail')).toEqual(withCapability('mail:send'));
    const sendStatements = statements().filter(({ statement }) => asList(statement.Action).includes('ses:SendEmail'));
    for (const name of withCapability('mail:send')) {
      const own = sendStatements.filter(({ owner }) => owner === name).map(({ statement }) => statement);
      // The sender identity and configuration set, without condition.
      expect(own.some((statement) => asList(statement.Resource).length === 2 && !statement.Condition), name).toBe(true);
      // The sandbox checks each recipient's identity as well: any identity, only from our sender address.
      const recipients = own.find((statement) => flattenReference(statement.Resource).endsWith(':identity/*'));
      expect(recipients?.Condition, name).toEqual({ StringEquals: { 'ses:FromAddress': 'privacy@example.com' } });
    }
    for (const { statement } of sendStatements) expect(asList(statement.Resource)).not.toContain('*');
  });

  it('lets only the functions with the workflow capabilities start or resume executions', () => {
    expect(grantedTo('states:StartExecution')).toEqual(withCapability('workflow:start'));
    expect(grantedTo('states:SendTaskSuccess')).toEqual(withCapability('workflow:callback'));
  });

  it('lets runStoreAction change and delete items in every catalog table', () => {
    const own = statementsOf('runStoreAction');
    for (const store of dynamoStores) {
      const table = `<${storeTableId(store.id)}.Arn>`;
      for (const action of storeItemWrites) {
        expect(
          own.some((statement) => asList(statement.Action).includes(action) && resourcesOf(statement).includes(table)),
          `${action} on ${store.id}`,
        ).toBe(true);
      }
      // Finding the subject's items: the table, and its lookup index when it has one.
      expect(own.some((statement) => asList(statement.Action).includes('dynamodb:Query') && resourcesOf(statement).includes(table)), store.id).toBe(true);
      if (store.lookup.indexName) {
        expect(own.some((statement) => asList(statement.Action).includes('dynamodb:Query') && resourcesOf(statement).includes(`${table}/index/*`)), store.id).toBe(true);
      }
    }
  });

  it('lets runStoreAction delete objects and their versions only under each store prefix', () => {
    const own = statementsOf('runStoreAction');
    for (const store of s3Stores) {
      const bucket = `<${storeBucketId(store.id)}.Arn>`;
      const keys = `${bucket}/${fixedPrefix(store)}*`;
      const deletes = own.find((statement) => sameSet(asList(statement.Action), ['s3:DeleteObject', 's3:DeleteObjectVersion']) && resourcesOf(statement).includes(keys));
      expect(deletes, store.id).toBeDefined();
      expect(own.some((statement) => asList(statement.Action).includes('s3:GetBucketVersioning') && resourcesOf(statement).includes(bucket)), store.id).toBe(true);
      const listVersions = own.find((statement) => asList(statement.Action).includes('s3:ListBucketVersions') && resourcesOf(statement).includes(bucket));
      expect(listVersions?.Condition, store.id).toEqual({ StringLike: { 's3:prefix': [`${fixedPrefix(store)}*`] } });
    }

    const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
    const storeKeyPatterns = new Set(s3Stores.map((store) => `<${storeBucketId(store.id)}.Arn>/${fixedPrefix(store)}*`));
    for (const statement of own) {
      const actions = asList(statement.Action) as string[];
      if (!actions.some((action) => action.startsWith('s3:Delete'))) continue;
      expect(resourcesOf(statement), JSON.stringify(statement)).not.toContain('*');
      if (resourcesOf(statement).some((resource) => resource.startsWith(exportBucket))) {
        // The export bucket only through exports:write (work files and exports), never a store grant.
        expect(actions.sort()).toEqual([...exportsWriteStatement().Action].sort());
        expect(resourcesOf(statement).sort()).toEqual([exportBucket, `${exportBucket}/*`]);
      } else {
        expect(actions.sort(), 'store deletes name their actions').toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
        for (const resource of resourcesOf(statement)) expect(storeKeyPatterns.has(resource), resource).toBe(true);
      }
    }
  });

  it('gives store write access to exactly the functions with stores:write', () => {
    const writers = withCapability('stores:write');
    for (const action of [...storeItemWrites, 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:ListBucketVersions']) {
      expect(grantedOnStores(action), action).toEqual(writers);
    }
    for (const name of catalogNames.filter((candidate) => !writers.includes(candidate))) {
      for (const statement of statementsOf(name)) {
        const onStores = resourcesOf(statement).filter((resource) => storeResourceIds().some((id) => resource.startsWith(`<${id}.`)));
        if (onStores.length === 0) continue;
        const writes = (asList(statement.Action) as string[]).filter((action) => storeItemWrites.includes(action) || /^s3:(Delete|Put|Abort)/.test(action));
        expect(writes, `${name} on ${onStores.join(', ')}`).toEqual([]);
      }
    }
  });

  it('lets the token pages count calls against the per-IP limits, and touch nothing else of the request table', () => {
    for (const name of ['openIntakeLink'] as const) {
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(resources[logicalIdOf[name]]!.Properties.Role['Fn::GetAtt'][0]))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[]);
      const dynamo = statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
      expect(dynamo, name).toEqual([expect.objectContaining({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } } })]);
    }
  });

  it('gives no role Scan or BatchWriteItem on the request table, and DeleteItem to the retention purge only', () => {
    const requestTable = `<${logicalIdOfConstruct(stack.requests.table)}.Arn>`;
    const onRequestTable = (action: string) =>
      [...new Set(statements().filter(({ statement }) => asList(statement.Action).includes(action) && resourcesOf(statement).some((resource) => resource.startsWith(requestTable))).map(({ owner }) => owner))].sort();
    expect(onRequestTable('dynamodb:Scan')).toEqual([]);
    expect(onRequestTable('dynamodb:BatchWriteItem')).toEqual([]);
    expect(onRequestTable('dynamodb:DeleteItem')).toEqual(['purgeClosedRequests']);
    expect(withCapability('requests:purge')).toEqual(['purgeClosedRequests']);
  });

  it('uses the data key for the request table through DynamoDB only', () => {
    const dataKey = `<${logicalIdOfConstruct(stack.node.findChild('DataKey').node.findChild('Key'))}.Arn>`;
    for (const name of withCapability('requests:read', 'requests:write', 'limits:count')) {
      const keyStatements = statementsOf(name).filter((statement) => resourcesOf(statement).includes(dataKey));
      const viaDynamoDb = keyStatements.filter((statement) => statement.Condition?.StringEquals?.['kms:ViaService'] !== undefined && JSON.stringify(statement.Condition).includes('dynamodb.'));
      expect(viaDynamoDb.length, name).toBeGreaterThan(0);
    }
    // openIntakeLink touches nothing but its rate-limit counters: no unconditioned key use at all.
    for (const statement of statementsOf('openIntakeLink').filter((candidate) => resourcesOf(candidate).includes(dataKey))) {
      expect(JSON.stringify(statement.Condition ?? null), JSON.stringify(statement.Action)).toMatch(/kms:(ViaService|EncryptionContext)/);
    }
  });

  it('lets storeCallback and runStoreAction only add work files to the export bucket: never read or delete an export', () => {
    const exportBucket = `<${logicalIdOfConstruct(stack.exports.bucket)}.Arn>`;
    expect(withCapability('exports:collect')).toEqual(['runStoreAction', 'storeCallback']);
    for (const name of ['storeCallback', 'runStoreAction'] as const) {
      const onExports = statementsOf(name).filter((statement) => resourcesOf(statement).some((resource) => resource.startsWith(exportBucket)));
      expect(onExports, name).toEqual([expect.objectContaining({ Action: 's3:PutObject' })]);
      expect(resourcesOf(onExports[0]!), name).toEqual([`${exportBucket}/work/*`]);
    }
    // The download route presigns finished exports only, never work files.
    const downloads = statementsOf('downloadExport').filter((statement) => resourcesOf(statement).some((resource) => resource.startsWith(`${exportBucket}/`)));
    expect(downloads.flatMap(resourcesOf).filter((resource) => resource.startsWith(`${exportBucket}/`))).toEqual([`${exportBucket}/exports/*`]);
  });

  it('lets prepareApproval read only the stores it resolves identities in or previews amendments from', () => {
    const readable = new Set(storesReadBeforeApproval(storeCatalog).flatMap((storeId) => {
      const store = storeCatalog.stores.find((candidate) => candidate.id === storeId)!;
      return store.kind === 'dynamodb' ? [storeTableId(store.id)] : store.kind === 's3' ? [storeBucketId(store.id)] : [];
    }));
    const touched = new Set(statementsOf('prepareApproval').filter(onStoreResource).flatMap(resourcesOf).map((resource) => /^<([^.>]+)/.exec(resource)![1]!));
    expect([...touched].sort()).toEqual([...readable].sort());
    // None of the demo buckets: nothing before approval reads files.
    for (const store of s3Stores) expect(touched.has(storeBucketId(store.id)), store.id).toBe(false);
  });

  it('lets prepareApproval read the stores but not change them', () => {
    const own = statementsOf('prepareApproval');
    const onStores = own.filter(onStoreResource);
    expect(onStores.length).toBeGreaterThan(0);
    for (const statement of onStores) {
      for (const action of asList(statement.Action) as string[]) {
        expect(action, JSON.stringify(statement.Resource)).toMatch(/^(dynamodb:(BatchGetItem|Query|GetItem|Scan|ConditionCheckItem|DescribeTable|GetRecords|GetShardIterator)|s3:(GetObject\*|GetBucket\*|List\*))$/);
      }
    }
    expect(own.some((statement) => asList(statement.Action).some((action: string) => action.startsWith('secretsmanager:')))).toBe(false);
  });

  it('lets storeCallback read the webhook signing secrets, and nothing else of the stores', () => {
    const secretIds = webhookStores.map((store) => `<${logicalIdOfConstruct(stack.stores.secrets[store.id]!)}>`).sort();
    expect(secretIds.length).toBeGreaterThan(0);
    const intakeSecretId = `<${logicalIdOfConstruct(stack.intakeLinks.secret)}>`;
    const secretStatements = statements().filter(({ statement }) => asList(statement.Action).some((action: string) => action.startsWith('secretsmanager:')));
    for (const { owner, statement } of secretStatements) {
      expect(statement.Action).toBe('secretsmanager:GetSecretValue');
      for (const resource of resourcesOf(statement)) expect(withCapability('intake:secret').includes(owner as FunctionName) && resource === intakeSecretId ? secretIds.concat(intakeSecretId) : secretIds).toContain(resource);
    }
    expect(grantedTo('secretsmanager:GetSecretValue')).toEqual(withCapability('stores:secrets', 'intake:secret'));
    // The intake-link key: only the functions with intake:secret, and only that secret.
    expect(secretStatements.filter(({ statement }) => resourcesOf(statement).includes(intakeSecretId)).map(({ owner }) => owner).sort()).toEqual(withCapability('intake:secret'));
    for (const name of withCapability('intake:secret')) {
      const own = statementsOf(name);
      expect(own.filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue')).flatMap(resourcesOf)).toEqual([intakeSecretId]);
      const decrypt = own.find((statement) => statement.Action === 'kms:Decrypt');
      expect(decrypt?.Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual({ Ref: intakeSecretId.slice(1, -1) });
    }

    const own = statementsOf('storeCallback');
    expect(own.filter((statement) => asList(statement.Action).includes('secretsmanager:GetSecretValue')).flatMap(resourcesOf).sort()).toEqual(secretIds);
    for (const statement of own) {
      for (const resource of resourcesOf(statement)) {
        const storeId = storeResourceIds().find((id) => resource.startsWith(`<${id}.`));
        expect(storeId, `storeCallback touches ${resource}`).toBeUndefined();
      }
    }
    // Decrypting a secret only through Secrets Manager, and only that secret.
    const decrypt = own.find((statement) => statement.Action === 'kms:Decrypt' && statement.Condition);
    expect(decrypt?.Condition.StringEquals['kms:EncryptionContext:SecretARN']).toEqual({ Ref: secretIds[0]!.slice(1, -1) });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding', () => {
    expect(unacknowledgedFindings(stack)).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(stack).success).toBe(true);
  });

  it('acknowledges only findings that exist, each with a specific reason', () => {
    expect(acknowledgementsOf(stack).length).toBeGreaterThan(0);
    expect(staleAcknowledgements(stack)).toEqual([]);
  });

  it('acknowledges the public callback route with its own reason, the signature check', () => {
    const callback = acknowledgementsOf(stack).find(({ path, id }) => id === 'AwsSolutions-APIG4' && path.includes('callbacks'));
    expect(callback?.reason).toMatch(/signature/i);
    expect(callback?.reason).toMatch(/processor/i);
  });

  it('acknowledges the demo webhook secret\'s missing rotation with the reason', () => {
    const rotation = acknowledgementsOf(stack).filter(({ id, path }) => id === 'AwsSolutions-SMG4' && path.includes('/Stores/'));
    expect(rotation.map(({ path }) => path)).toEqual(webhookStores.filter((store) => store.provision === 'demo').map((store) => stack.stores.secrets[store.id]!.node.path));
    for (const { reason } of rotation) expect(reason).toMatch(/processor/);
  });

  it('acknowledges the intake-link key\'s missing rotation: it would break the links in flight', () => {
    const rotation = acknowledgementsOf(stack).filter(({ id, path }) => id === 'AwsSolutions-SMG4' && path === stack.intakeLinks.secret.node.path);
    expect(rotation).toHaveLength(1);
    expect(rotation[0]!.reason).toMatch(/links/);
  });

  it('explains why the status, cancel and intake routes are public: a token or a signature', () => {
    const reasonOf = (path: string) => acknowledgementsOf(stack).find(({ id, reason }) => id === 'AwsSolutions-APIG4' && reason.startsWith(`POST ${path} `))?.reason;
    expect(reasonOf('/status')).toMatch(/token/);
    expect(reasonOf('/cancel')).toMatch(/token/);
    expect(reasonOf('/intake')).toMatch(/signature/);
  });

  it('gives every public route a written reason, the new requester routes included', () => {
    for (const route of routes.filter((candidate) => candidate.auth === 'public')) {
      const acknowledged = acknowledgementsOf(stack).filter(({ id, reason }) => id === 'AwsSolutions-APIG4' && reason.startsWith(`${route.method} ${route.path} `));
      expect(acknowledged, `${route.method} ${route.path}`).toHaveLength(1);
    }
  });
});

function unacknowledgedFindings(scope: DsrStack): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
}

function acknowledgementsOf(scope: DsrStack): { path: string; id: string; reason: string }[] {
  const acknowledgements: { path: string; id: string; reason: string }[] = [];
  const walk = (construct: IConstruct) => {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        acknowledgements.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
    construct.node.children.forEach(walk);
  };
  walk(scope);
  return acknowledgements;
}

/** Acknowledgements without a finding they answer, or with a reason too short to say anything. */
function staleAcknowledgements(scope: DsrStack): string[] {
  // The raw findings, as if nothing were acknowledged (cdk-nag keeps that check private).
  const raw = new AwsSolutionsChecks();
  (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const rawFindings = new Map<string, Set<string>>();
  for (const violation of raw.validateScope(scope).violations) {
    rawFindings.set(violation.ruleName, new Set(violation.violatingResources.map((resource) => resource.constructPath!)));
  }
  const problems: string[] = [];
  for (const { path, id, reason } of acknowledgementsOf(scope)) {
    if (reason.length < 60) problems.push(`reason too short: ${id} at ${path}`);
    const hits = [...(rawFindings.get(id) ?? [])].filter((resourcePath) => resourcePath === path || resourcePath.startsWith(`${path}/`));
    if (hits.length === 0) problems.push(`stale acknowledgement ${id} at ${path}`);
  }
  return problems;
}
