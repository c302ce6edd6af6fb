// The way a request takes through the stack: the HTTP API and who may call its officer routes,
// the state machine that carries the request, and the alarms that watch both.
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { functionCatalog, officerGroup, routes } from '../../lib/function-catalog.ts';
import { buildDsrApp, workflowStates } from '../../lib/dsr-stack.ts';
import { staleAcknowledgements, unacknowledgedFindings } from './cdk-nag-findings.ts';
import { asl, functionByLogicalId, logicalIdOf, logicalIdOfConstruct, noBundling, ofType, stack, synthesize, template } from './synthesized-stack.ts';

beforeAll(synthesize);

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
      {
        And: [
          { Variable: '$.phase', IsPresent: true },
          { Variable: '$.phase', StringEquals: 'retry' },
        ],
        Next: workflowStates.runStores,
      },
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
    expect(asl.States.StartVerification.Catch).toEqual(
      expect.arrayContaining([{ ErrorEquals: ['States.Timeout', 'MailNotSentError'], ResultPath: '$.failure', Next: 'ExpireRequest' }]),
    );
    expect(asl.States.ExpireRequest).toMatchObject({ Resource: 'fn:expireRequest', Parameters: { 'requestId.$': '$.requestId' }, Next: 'Expired' });
    expect(asl.States.Expired.Type).toBe('Succeed');
    expect(asl.States.AwaitApproval.Catch).toEqual(
      // The wire names earlier versions' parked executions catch (lambdas/domain/errors.ts wireName).
      expect.arrayContaining([{ ErrorEquals: ['RequestRejected'], ResultPath: null, Next: 'NotifyRequester' }]),
    );
  });

  it('expires a request no officer decided within the approval window, instead of failing the execution', () => {
    expect(asl.States.AwaitApproval.Catch).toEqual(
      expect.arrayContaining([{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'ExpireRequest' }]),
    );
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
      expect(asl.States[state].Catch, state).toEqual(
        expect.arrayContaining([{ ErrorEquals: ['RequestCancelled'], ResultPath: null, Next: workflowStates.cancelled }]),
      );
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
