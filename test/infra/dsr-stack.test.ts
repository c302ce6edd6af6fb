import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { envNames, functionCatalog, officerGroup, routes, type FunctionName } from '../../lib/catalog.ts';
import { buildDsrApp, workflowStates, type DsrStack } from '../../lib/dsr-stack.ts';
import { resolveDefinitionString } from '../../lib/local/resolve-definition.ts';
import { requestTableKeys } from '../../lambdas/adapters/dynamodb-request-repository.ts';
import { requestRejectedError } from '../../lambdas/use-cases/decide-request.ts';

// Prepare: one stack for the whole file, without bundling (the handlers are not built here).
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const catalogNames = Object.keys(functionCatalog) as FunctionName[];

let stack: DsrStack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: any }>;
let functionByLogicalId: Record<string, FunctionName>;
let logicalIdOf: Record<FunctionName, string>;
let asl: { StartAt: string; States: Record<string, any> };

const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);

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
      CallbackURLs: ['https://localhost/console'],
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
      'workflow:start': envNames.stateMachineArn,
      'mail:send': envNames.mailFrom,
      'stores:read': envNames.storeLocations,
    };
    const capabilityVariables = new Set(Object.values(variableOf));
    for (const name of catalogNames) {
      const spec: { capabilities: readonly string[] } = functionCatalog[name];
      const variables = Object.keys(resources[logicalIdOf[name]]!.Properties.Environment.Variables);
      const expected = [...new Set(spec.capabilities.map((capability) => variableOf[capability]).filter(Boolean))].sort();
      expect(variables.filter((variable) => capabilityVariables.has(variable)).sort(), name).toEqual(expected);
      expect(variables, name).toEqual(expect.arrayContaining(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']));
      expect(variables, name).not.toContain(envNames.publicBaseUrl);
    }
  });

  it('tell the pages function where its copied web assets are', () => {
    expect(resources[logicalIdOf.pages]!.Properties.Environment.Variables[envNames.webAssetsDir]).toBe('/var/task/web');
  });

  it('pass PUBLIC_BASE_URL only when the context gives one', () => {
    const { stack: withUrl } = buildDsrApp({ context: { ...noBundling, publicBaseUrl: 'https://privacy.example.com/' } });
    for (const [, fn] of Object.entries(Template.fromStack(withUrl).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables[envNames.publicBaseUrl]).toBe('https://privacy.example.com');
    }
  });

  it('map every catalog store id to the physical name of its table or bucket', () => {
    const locations = resolveDefinitionString(
      resources[logicalIdOf.runStoreAction]!.Properties.Environment.Variables[envNames.storeLocations],
      (logicalId) => logicalId,
    ) as Record<string, unknown>;
    expect(Object.keys(locations).sort()).toEqual(storeCatalog.stores.map((store) => store.id).sort());
    for (const [storeId, physical] of Object.entries(locations)) {
      expect(resources[physical as string]?.Type, storeId).toMatch(/^AWS::(DynamoDB::Table|S3::Bucket)$/);
    }
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
    expect(asl.StartAt).toBe(workflowStates.startVerification);
    expect(JSON.stringify(asl)).not.toMatch(/JSONata/i);
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
    expect(asl.States.StartVerification.Catch).toEqual([{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'ExpireRequest' }]);
    expect(asl.States.ExpireRequest).toMatchObject({ Resource: 'fn:expireRequest', Parameters: { 'requestId.$': '$.requestId' }, Next: 'Expired' });
    expect(asl.States.Expired.Type).toBe('Succeed');
    expect(asl.States.AwaitApproval.Catch).toEqual([{ ErrorEquals: [requestRejectedError], ResultPath: null, Next: 'NotifyRequester' }]);
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
    expect(action.Resource).toBe('fn:runStoreAction');
    expect(action.Parameters).toEqual({ 'requestId.$': '$.requestId', 'storeId.$': '$.storeId' });
    expect(action.Retry).toEqual([
      {
        ErrorEquals: ['StoreUnavailableError', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
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

  it('creates each demo store with its lookup index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } })],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

describe('least privilege', () => {
  const statements = () =>
    ofType('AWS::IAM::Policy').flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument.Statement as any[]).map((statement) => ({ id, statement })),
    );
  const asList = (value: unknown) => (Array.isArray(value) ? value : [value]);

  it('never grants DynamoDB or S3 actions on every resource', () => {
    for (const { id, statement } of statements()) {
      const touchesData = asList(statement.Action).some((action: string) => /^(dynamodb|s3):/.test(action));
      if (touchesData) expect(asList(statement.Resource), id).not.toContain('*');
    }
  });

  const grantedTo = (action: string) =>
    statements()
      .filter(({ statement }) => asList(statement.Action).includes(action))
      .map(({ id }) => catalogNames.find((name) => id.startsWith(`Functions${name}Role`)) ?? id)
      .sort();
  const withCapability = (capability: string) =>
    catalogNames.filter((name) => (functionCatalog[name].capabilities as readonly string[]).includes(capability)).sort();

  it('sends mail only from the configured identity and configuration set', () => {
    expect(grantedTo('ses:SendEmail')).toEqual(withCapability('mail:send'));
    for (const { statement } of statements().filter(({ statement }) => asList(statement.Action).includes('ses:SendEmail'))) {
      expect(asList(statement.Resource)).toHaveLength(2);
      expect(asList(statement.Resource)).not.toContain('*');
    }
  });

  it('lets only the functions with the workflow capabilities start or resume executions', () => {
    expect(grantedTo('states:StartExecution')).toEqual(withCapability('workflow:start'));
    expect(grantedTo('states:SendTaskSuccess')).toEqual(withCapability('workflow:callback'));
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that exist, each with a specific reason', () => {
    // The raw findings, as if nothing were acknowledged (cdk-nag keeps that check private).
    const raw = new AwsSolutionsChecks();
    (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const rawFindings = new Map<string, Set<string>>();
    for (const violation of raw.validateScope(stack).violations) {
      rawFindings.set(violation.ruleName, new Set(violation.violatingResources.map((resource) => resource.constructPath!)));
    }

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
    walk(stack);

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(60);
      const hits = [...(rawFindings.get(id) ?? [])].filter((resourcePath) => resourcePath === path || resourcePath.startsWith(`${path}/`));
      expect(hits.length, `stale acknowledgement ${id} at ${path}`).toBeGreaterThan(0);
    }
  });
});
