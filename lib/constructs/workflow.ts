import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type CfnStateMachine,
  type IChainable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { functionCatalog, type FunctionName, type FunctionSpec } from '../function-catalog.ts';
import { functionTimeoutSeconds } from './functions.ts';
import {
  ErasureIncompleteError,
  errorNameOf,
  MailNotSentError,
  RequestCancelledError,
  RequestRejectedError,
  StoreUnavailableError,
} from '../../lambdas/domain/errors.ts';
import { acknowledgeWildcards, resourceFinding } from './nag-acknowledgements.ts';

/** The state names: the local stack maps them to handlers, so they are part of the contract. */
export const workflowStates = {
  startVerification: 'StartVerification',
  route: 'Route',
  expireRequest: 'ExpireRequest',
  expired: 'Expired',
  cancelled: 'Cancelled',
  awaitApproval: 'AwaitApproval',
  runStores: 'RunStores',
  runStoreAction: 'RunStoreAction',
  recordStoreFailure: 'RecordStoreFailure',
  finishRequest: 'FinishRequest',
  finishWithoutRecipientMail: 'FinishWithoutRecipientMail',
  notifyRequester: 'NotifyRequester',
} as const;

/** Error names the state machine routes on: the names of the error classes the handlers throw (or fail parked tasks with). */
export const workflowErrors = {
  requestRejected: errorNameOf(RequestRejectedError),
  requestCancelled: errorNameOf(RequestCancelledError),
  storeUnavailable: errorNameOf(StoreUnavailableError),
  erasureIncomplete: errorNameOf(ErasureIncompleteError),
  mailNotSent: errorNameOf(MailNotSentError),
} as const;

/** Transient Lambda service errors, worth a retry on every task. */
export const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** The catalog functions the state machine invokes (and may invoke: nothing else). */
export const workflowTaskFunctions = ['startVerification', 'prepareApproval', 'runStoreAction', 'finishRequest', 'notifyRequester', 'expireRequest'] as const;

export type WorkflowTaskFunctions = Pick<Record<FunctionName, IFunction>, (typeof workflowTaskFunctions)[number]>;

export interface WorkflowProps {
  readonly functions: WorkflowTaskFunctions;
  /** How long the requester has to open the verification link; the handler uses the same value. */
  readonly verificationTtl?: Duration;
  /** How long an officer may take to decide (Standard executions end after one year). */
  readonly approvalTimeout?: Duration;
  readonly maxStoreConcurrency?: number;
  /** How long one store may take, callbacks and manual tasks included: the stack's catalog's longest wait, plus an hour. */
  readonly storeTaskTimeout: Duration;
  readonly logRetention?: RetentionDays;
}

/**
 * A response-only task waits a little longer than its function may run, so a hung invocation fails
 * the state in AWS and locally alike (the local engine's default is 60 s).
 */
const invocationTimeout = (name: FunctionName) => {
  const spec: FunctionSpec = functionCatalog[name];
  return Timeout.duration(Duration.seconds(functionTimeoutSeconds(spec) + 30));
};

const serviceRetry: RetryProps = {
  errors: [...lambdaServiceErrors],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 4,
  jitterStrategy: JitterType.FULL,
};

/** SES throttles and blinks: every task that mails retries for about a quarter of an hour before giving up. */
const mailRetry: RetryProps = {
  errors: [workflowErrors.mailNotSent],
  interval: Duration.seconds(30),
  backoffRate: 2,
  maxAttempts: 5,
  jitterStrategy: JitterType.FULL,
};

/**
 * The request workflow, a Standard state machine in JSONPath (the local engine ignores JSONata):
 *
 *   Route ─phase=retry─► RunStores
 *   StartVerification (token) ─timeout─► ExpireRequest ─► Expired
 *     ► AwaitApproval (token) ─RequestRejected─► NotifyRequester
 *     ► RunStores (Map: RunStoreAction, failures recorded by RecordStoreFailure)
 *     ► FinishRequest ► NotifyRequester   (recipient mail refused: ─► FinishWithoutRecipientMail ► NotifyRequester)
 *
 * Execution input: `{ requestId, type, stores, phase? }`. Payloads carry ids only, never collected data.
 */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly definition: IChainable;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const fns = props.functions;
    const requestIdOnly = TaskInput.fromObject({ requestId: JsonPath.stringAt('$.requestId') });
    const parkedTask = TaskInput.fromObject({ requestId: JsonPath.stringAt('$.requestId'), taskToken: JsonPath.taskToken });

    // Reached only from a Catch that keeps its error in $.failure: the audit trail says which it was.
    const expireRequest = LambdaInvoke.jsonPath(this, workflowStates.expireRequest, {
      lambdaFunction: fns.expireRequest,
      payloadResponseOnly: true,
      taskTimeout: invocationTimeout('expireRequest'),
      payload: TaskInput.fromObject({ requestId: JsonPath.stringAt('$.requestId'), failure: JsonPath.objectAt('$.failure') }),
      retryOnServiceExceptions: false,
      resultPath: JsonPath.DISCARD,
    })
      .addRetry(serviceRetry)
      .next(Succeed.jsonPath(this, workflowStates.expired, { comment: 'The mailbox was never verified' }));

    // The requester withdrew the request: the cancel handler already recorded it and told them.
    const cancelled = Succeed.jsonPath(this, workflowStates.cancelled, { comment: 'Cancelled by the requester' });

    const startVerification = LambdaInvoke.jsonPath(this, workflowStates.startVerification, {
      lambdaFunction: fns.startVerification,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: parkedTask,
      retryOnServiceExceptions: false,
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(props.verificationTtl ?? Duration.hours(72)),
    })
      .addRetry(serviceRetry)
      .addRetry(mailRetry)
      .addCatch(cancelled, { errors: [workflowErrors.requestCancelled], resultPath: JsonPath.DISCARD })
      // Never confirmed in time, or the link could not be mailed at all: the request ends as expired.
      .addCatch(expireRequest, { errors: ['States.Timeout', workflowErrors.mailNotSent], resultPath: '$.failure' });

    const notifyRequester = LambdaInvoke.jsonPath(this, workflowStates.notifyRequester, {
      lambdaFunction: fns.notifyRequester,
      payloadResponseOnly: true,
      taskTimeout: invocationTimeout('notifyRequester'),
      payload: requestIdOnly,
      retryOnServiceExceptions: false,
      resultPath: JsonPath.DISCARD,
    })
      .addRetry(serviceRetry)
      .addRetry(mailRetry);

    const awaitApproval = LambdaInvoke.jsonPath(this, workflowStates.awaitApproval, {
      lambdaFunction: fns.prepareApproval,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: parkedTask,
      retryOnServiceExceptions: false,
      resultPath: JsonPath.DISCARD,
      // A Standard execution lives a year at most: verification (days) plus approval must fit in it.
      taskTimeout: Timeout.duration(props.approvalTimeout ?? Duration.days(360)),
    })
      // Resolving the subject reads the stores: a store that blinks must not end the request.
      .addRetry({ ...serviceRetry, errors: [workflowErrors.storeUnavailable, ...lambdaServiceErrors] })
      .addCatch(notifyRequester, { errors: [workflowErrors.requestRejected], resultPath: JsonPath.DISCARD })
      .addCatch(cancelled, { errors: [workflowErrors.requestCancelled], resultPath: JsonPath.DISCARD })
      // Nobody decided within the approval window: the request ends as expired, not stranded.
      .addCatch(expireRequest, { errors: ['States.Timeout'], resultPath: '$.failure' });

    // One state for every store kind: synchronous stores resume it at once, processors by a signed
    // callback, manual systems when an officer marks the task done; a timeout becomes a failed store.
    const runStoreAction = LambdaInvoke.jsonPath(this, workflowStates.runStoreAction, {
      lambdaFunction: fns.runStoreAction,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      taskTimeout: Timeout.duration(props.storeTaskTimeout),
      payload: TaskInput.fromObject({ requestId: JsonPath.stringAt('$.requestId'), storeId: JsonPath.stringAt('$.storeId'), taskToken: JsonPath.taskToken }),
      retryOnServiceExceptions: false,
    })
      .addRetry({ ...serviceRetry, errors: [workflowErrors.storeUnavailable, workflowErrors.erasureIncomplete, ...lambdaServiceErrors] })
      .addCatch(
        Pass.jsonPath(this, workflowStates.recordStoreFailure, {
          parameters: { storeId: JsonPath.stringAt('$.storeId'), status: 'failed', error: JsonPath.stringAt('$.failure.Error') },
        }),
        { errors: ['States.ALL'], resultPath: '$.failure' },
      );

    const runStores = MapState.jsonPath(this, workflowStates.runStores, {
      itemsPath: JsonPath.stringAt('$.stores'),
      itemSelector: { requestId: JsonPath.stringAt('$.requestId'), storeId: JsonPath.stringAt('$$.Map.Item.Value') },
      resultPath: '$.outcomes',
      maxConcurrency: props.maxStoreConcurrency ?? 10,
    }).itemProcessor(runStoreAction);

    // Both settle the request from ids and outcomes; the second after recipient mail kept failing.
    const finishTask = (stateName: string, extra: Record<string, string>) =>
      LambdaInvoke.jsonPath(this, stateName, {
        lambdaFunction: fns.finishRequest,
        payloadResponseOnly: true,
        taskTimeout: invocationTimeout('finishRequest'),
        payload: TaskInput.fromObject({
          requestId: JsonPath.stringAt('$.requestId'),
          type: JsonPath.stringAt('$.type'),
          outcomes: JsonPath.listAt('$.outcomes'),
          ...extra,
        }),
        retryOnServiceExceptions: false,
        resultPath: JsonPath.DISCARD,
      }).addRetry(serviceRetry);
    // Art. 19 notices go out before the status settles: a throttled send is retried, not fatal.
    const finishRequest = finishTask(workflowStates.finishRequest, {}).addRetry(mailRetry);
    // A recipient SES keeps refusing must not strand the request: it settles all the same, the
    // unsent notices recorded for an officer to send by hand.
    const finishWithoutRecipientMail = finishTask(workflowStates.finishWithoutRecipientMail, { recipientMail: 'failed' });
    finishRequest.addCatch(finishWithoutRecipientMail, { errors: [workflowErrors.mailNotSent], resultPath: JsonPath.DISCARD });
    finishWithoutRecipientMail.next(notifyRequester);

    runStores.next(finishRequest).next(notifyRequester);
    startVerification.next(awaitApproval).next(runStores);
    // An officer's retry starts a new execution that goes straight to the stores that failed.
    this.definition = Choice.jsonPath(this, workflowStates.route)
      .when(Condition.and(Condition.isPresent('$.phase'), Condition.stringEquals('$.phase', 'retry')), runStores)
      .otherwise(startVerification);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(this.definition),
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });

    this.acknowledgeFindings(fns);
  }

  /** The definition as CloudFormation will receive it: an `Fn::Join` of strings and references. */
  definitionString(): unknown {
    return Stack.of(this).resolve((this.stateMachine.node.defaultChild as CfnStateMachine).definitionString);
  }

  private acknowledgeFindings(fns: WorkflowTaskFunctions): void {
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logs at level ERROR without execution data by design: every status change is already an audit event in the request table, and ALL-level logging of every transition would only add cost and risk (payloads carry ids only).',
    });
    const role = this.stateMachine.role;
    acknowledgeWildcards(role, [
      {
        finding: 'Resource::*',
        reason:
          'Only the vended-logs delivery actions Step Functions logging needs (logs:Create/Get/Update/Delete/ListLogDelivery, logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets): none of them supports resource-level permissions, so AWS documents "*" for them.',
      },
      ...workflowTaskFunctions.map((name) => ({
        finding: resourceFinding(role, `${fns[name].functionArn}:*`),
        reason: `LambdaInvoke grants lambda:InvokeFunction on this one function and its qualified versions/aliases (<arn>:*), nothing else.`,
      })),
    ]);
  }
}
