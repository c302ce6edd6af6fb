/**
 * A local Step Functions service: runs one state machine definition (JSONPath ASL, as CDK
 * synthesizes it) with aws-local-stepfunctions, runs its Lambda tasks in-process through
 * `invoke`, and answers the Step Functions JSON 1.0 protocol so the real `@aws-sdk/client-sfn`
 * works against it with only `endpoint` changed. Executions live in memory, and with `persistDir`
 * also on disk, so a restart carries waiting executions on (see "Durability" below).
 *
 * What this adds on top of the library:
 * - task tokens: the library does not fill `$$.Task.Token`; each waitForTaskToken task gets a
 *   fresh token swapped in for a placeholder, and waits for SendTaskSuccess / SendTaskFailure;
 * - the lambda:invoke wrapper `{ExecutedVersion, Payload, StatusCode}`;
 * - handler errors keep their name (Retry/Catch match it) and carry a Lambda-shaped Cause;
 * - a task without TimeoutSeconds waits (almost) forever like AWS, not the library's 60 s, and
 *   a TimeoutSeconds over ~24.8 days is capped (setTimeout would overflow and fire at once);
 * - HeartbeatSeconds on waitForTaskToken tasks, which the library ignores;
 * - the 256 KiB payload limit on task results (States.DataLimitExceeded);
 * - execution history in the AWS event vocabulary, derived from the library's event logs.
 *
 * Durability (`persistDir`): each execution is a JSON file (execution-store.ts) rewritten when it
 * enters a top-level state, parks or answers a callback task, or ends. On start, finished
 * executions are listed again, and each running one is resumed: the library cannot start mid-way,
 * so it runs a copy of the definition whose StartAt is the top-level state the execution was in,
 * with that state's saved input. There a callback task that had been answered returns its saved
 * output, one that was parked waits again on the very same token without invoking its function
 * (so SendTaskSuccess from whoever holds the token works, and nothing is sent twice), with the
 * time left to its timeout; other tasks run again (at least once, as a Lambda retry would). A
 * resumed execution's history covers what ran after the restart only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionStore, type ParkedTask } from './execution-store.ts';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

export interface LocalStepFunctionsOptions {
  /** Plain ASL JSON (JSONPath), as synthesized by CDK and resolved (see resolve-definition.ts). */
  definition: object;
  /** e.g. arn:aws:states:us-east-1:000000000000:stateMachine:dsr-requests */
  stateMachineArn: string;
  /** Runs a Lambda handler in-process; what it throws fails the task under the error's `name`. */
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Multiplies every Retry interval (and MaxDelaySeconds); tests use e.g. 0.01. Default 1. */
  retryIntervalScale?: number;
  /** A folder where executions are kept, so waiting ones survive a restart; undefined: memory only. */
  persistDir?: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate?: Date;
  /** JSON text, as given to StartExecution. */
  readonly input: string;
  /** JSON text, once SUCCEEDED. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** One entry of GetExecutionHistory, with its `<type>EventDetails` member. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  readonly [details: string]: unknown;
}

// Types the library does not export by name, recovered from the ones it does.
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Json = Parameters<LocalHandlers[string]>[0];
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

type TaskKind = 'function' | 'invoke' | 'callback';
interface TaskInfo {
  readonly kind: TaskKind;
  readonly resource: string;
  /** For `function` tasks: the name taken from the Lambda ARN in Resource. */
  readonly functionName?: string;
  readonly timeoutSeconds?: number;
  readonly timeoutSecondsPath?: string;
  readonly heartbeatSeconds?: number;
}

interface ExecutionRecord {
  readonly executionArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: HistoryEvent[];
  /** Tokens of this execution's tasks still waiting for a callback. */
  readonly tokens: Set<string>;
  /** (state name, map index) pairs whose last attempt failed: their exit is not a TaskSucceeded. */
  readonly failedTasks: Set<string>;
  abort: () => void;
  /** Durability: the top-level state the execution is in, its parked tokens and answered tasks. */
  resumeAt?: { readonly state: string; readonly input: Json };
  readonly parked: Map<string, { readonly key: string; readonly deadline?: number }>;
  answered: [string, Json][];
  /** After a restart: what the resumed run takes back instead of invoking, by task key. */
  restored?: { readonly parked: Map<string, ParkedTask[]>; readonly answered: Map<string, Json[]> };
}

interface PendingTask {
  readonly executionArn: string;
  /** State name and payload (token left out): what finds the task again after a restart. */
  readonly key: string;
  readonly resolve: (output: Json) => void;
  readonly reject: (error: Error) => void;
  readonly heartbeatSeconds?: number;
  timeoutTimer?: NodeJS.Timeout;
  heartbeatTimer?: NodeJS.Timeout;
}

/** The largest delay setTimeout honours; beyond it Node fires after 1 ms. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Step Functions' limit on a state's input and output, and on an execution's input. */
const PAYLOAD_LIMIT_BYTES = 262_144;
/** Our own task-timeout timer fires this much after the library's, so the library's
 * States.Timeout (the one Retry/Catch treat as a timeout) always wins the race. */
const TIMEOUT_MARGIN_MS = 25;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;

/** A protocol error: HTTP 400 with `__type`, which the SDK turns into its typed exception. */
class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export class LocalStepFunctions {
  private readonly machine: StateMachine;
  private readonly definitionJson: string;
  private readonly tasks: Map<string, TaskInfo>;
  private readonly stateMachineName: string;
  private readonly region: string;
  private readonly account: string;
  /** Stands in for `$$.Task.Token` until a task swaps in its own token. */
  private readonly tokenPlaceholder = `local-sfn-task-token-placeholder-${randomBytes(8).toString('hex')}`;
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly byName = new Map<string, ExecutionRecord>();
  private readonly pending = new Map<string, PendingTask>();
  /** Tokens that were issued and are closed (answered, timed out, execution over). */
  private readonly closedTokens = new Set<string>();
  private server?: Server;
  /** The definition as run locally, kept to derive resumed runs from. */
  private readonly prepared: Record<string, unknown>;
  private readonly store?: ExecutionStore;
  /** Set by stop(): what the stop itself does to executions is not written down. */
  private stopping = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    const arn = parseStateMachineArn(options.stateMachineArn);
    this.stateMachineName = arn.name;
    this.region = arn.region;
    this.account = arn.account;
    this.definitionJson = JSON.stringify(options.definition);

    // Validate the definition as written, then run a copy adjusted for local use.
    new StateMachine(options.definition as StateMachineDefinition, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const prepared = structuredClone(options.definition) as Record<string, unknown>;
    this.tasks = prepareDefinition(prepared, options.retryIntervalScale ?? 1);
    this.prepared = prepared;
    if (options.persistDir) this.store = new ExecutionStore(options.persistDir);
    this.machine = new StateMachine(prepared as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  }

  async start(): Promise<{ url: string; port: number }> {
    if (this.server) throw new Error('LocalStepFunctions is already started');
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.restore();
    return { url: `http://127.0.0.1:${port}`, port };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const record of this.records.values()) {
      if (record.status === 'RUNNING') this.stopExecution(record, 'LocalStepFunctionsStopped', 'The local Step Functions service stopped');
    }
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // The SDK keeps connections alive; without this close() waits for them.
      server.closeAllConnections();
    });
  }

  executions(): ExecutionSummary[] {
    return [...this.records.values()].map((record) => this.summary(record));
  }

  // ---------------------------------------------------------------- protocol

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (request.method !== 'POST') throw new ApiError('UnknownOperationException', `${request.method} is not supported; POST / with X-Amz-Target`);
      const target = request.headers['x-amz-target'];
      const operation = typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
      const body = await readBody(request);
      let params: unknown;
      try {
        params = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        throw new ApiError('SerializationException', 'The request body is not valid JSON');
      }
      if (!isRecord(params)) throw new ApiError('SerializationException', 'The request body must be a JSON object');
      const result = this.dispatch(operation, params);
      send(response, 200, result);
    } catch (error) {
      if (error instanceof ApiError) {
        send(response, 400, { __type: error.type, message: error.message });
      } else {
        send(response, 500, { __type: 'InternalServerError', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private dispatch(operation: string, params: Record<string, unknown>): object {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(params);
      case 'DescribeExecution':
        return this.describeExecution(params);
      case 'ListExecutions':
        return this.listExecutions(params);
      case 'StopExecution':
        return this.stopExecutionOperation(params);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(params);
      case 'SendTaskFailure':
        return this.sendTaskFailure(params);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(params);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(params);
      case 'DescribeStateMachine':
        return this.describeStateMachine(params);
      case 'ListStateMachines':
        return { stateMachines: [{ stateMachineArn: this.options.stateMachineArn, name: this.stateMachineName, type: 'STANDARD', creationDate: 0 }] };
      default:
        throw new ApiError('UnknownOperationException', `Unknown operation ${operation || '(no X-Amz-Target)'}`);
    }
  }

  private startExecution(params: Record<string, unknown>): object {
    this.requireStateMachine(params.stateMachineArn);
    const name = optionalString(params, 'name') ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = optionalString(params, 'input') ?? '{}';
    if (Buffer.byteLength(input) > PAYLOAD_LIMIT_BYTES) {
      throw new ApiError('ValidationException', `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT_BYTES}`);
    }
    let parsedInput: Json;
    try {
      parsedInput = JSON.parse(input) as Json;
    } catch {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }

    const existing = this.byName.get(name);
    if (existing) {
      // AWS Standard: the same name and input while the execution runs is the same call.
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: existing.executionArn, startDate: epochSeconds(existing.startDate) };
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }

    const record: ExecutionRecord = {
      executionArn: `arn:aws:states:${this.region}:${this.account}:execution:${this.stateMachineName}:${name}`,
      name,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      history: [],
      tokens: new Set(),
      failedTasks: new Set(),
      abort: () => {},
      parked: new Map(),
      answered: [],
    };
    this.records.set(record.executionArn, record);
    this.byName.set(name, record);
    this.persist(record);
    this.run(record, parsedInput);
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  }

  private describeExecution(params: Record<string, unknown>): object {
    const record = this.requireExecution(params.executionArn);
    const summary = this.summary(record);
    return {
      ...wireSummary(summary),
      input: summary.input,
      inputDetails: { included: true },
      ...(summary.output === undefined ? {} : { output: summary.output, outputDetails: { included: true } }),
      ...(summary.error === undefined ? {} : { error: summary.error }),
      ...(summary.cause === undefined ? {} : { cause: summary.cause }),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  private listExecutions(params: Record<string, unknown>): object {
    this.requireStateMachine(params.stateMachineArn);
    const statusFilter = optionalString(params, 'statusFilter');
    if (statusFilter !== undefined && !['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT', 'PENDING_REDRIVE'].includes(statusFilter)) {
      throw new ApiError('ValidationException', `Invalid statusFilter: '${statusFilter}'`);
    }
    // Newest first, as AWS lists them.
    const matching = [...this.records.values()]
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .reverse()
      .map((record) => wireSummary(this.summary(record)));
    return paginate(matching, params, 'executions');
  }

  private stopExecutionOperation(params: Record<string, unknown>): object {
    const record = this.requireExecution(params.executionArn);
    if (record.status === 'RUNNING') this.stopExecution(record, optionalString(params, 'error'), optionalString(params, 'cause'));
    return { stopDate: epochSeconds(record.stopDate ?? new Date()) };
  }

  private sendTaskSuccess(params: Record<string, unknown>): object {
    const output = requiredString(params, 'output');
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new ApiError('InvalidOutput', 'Invalid output: the output is not valid JSON');
    }
    const token = this.requireOpenTask(params.taskToken);
    this.closeTask(token, { output: parsed });
    return {};
  }

  private sendTaskFailure(params: Record<string, unknown>): object {
    const token = this.requireOpenTask(params.taskToken);
    const error = optionalString(params, 'error') ?? '';
    const cause = optionalString(params, 'cause') ?? '';
    // The name is what the state's Retry and Catch compare against.
    this.closeTask(token, { error: namedError(error, cause) });
    return {};
  }

  private sendTaskHeartbeat(params: Record<string, unknown>): object {
    const token = this.requireOpenTask(params.taskToken);
    const task = this.pending.get(token);
    if (task) this.armHeartbeat(token, task);
    return {};
  }

  private getExecutionHistory(params: Record<string, unknown>): object {
    const record = this.requireExecution(params.executionArn);
    const events = params.reverseOrder === true ? [...record.history].reverse() : record.history;
    const includeData = params.includeExecutionData !== false;
    return paginate(
      events.map((event) => wireEvent(event, includeData)),
      params,
      'events',
    );
  }

  private describeStateMachine(params: Record<string, unknown>): object {
    this.requireStateMachine(params.stateMachineArn);
    return {
      stateMachineArn: this.options.stateMachineArn,
      name: this.stateMachineName,
      status: 'ACTIVE',
      definition: this.definitionJson,
      roleArn: `arn:aws:iam::${this.account}:role/local-step-functions`,
      type: 'STANDARD',
      creationDate: 0,
    };
  }

  private requireStateMachine(arn: unknown): void {
    if (typeof arn !== 'string') throw new ApiError('ValidationException', "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
    if (arn !== this.options.stateMachineArn) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private requireExecution(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string') throw new ApiError('ValidationException', "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null");
    const record = this.records.get(arn);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private requireOpenTask(token: unknown): string {
    if (typeof token !== 'string' || token.length === 0) throw new ApiError('ValidationException', "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null");
    if (this.pending.has(token)) return token;
    // AWS answers TaskTimedOut for a token whose task is already closed, whatever closed it.
    if (this.closedTokens.has(token)) throw new ApiError('TaskTimedOut', 'Task Timed Out: the task for this token is already closed');
    throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the token was not issued by this state machine');
  }

  // ---------------------------------------------------------------- executions

  private run(record: ExecutionRecord, input: Json, machine: StateMachine = this.machine, executionInput: Json = input): void {
    const context = {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        Input: executionInput,
        StartTime: record.startDate.toISOString(),
        RoleArn: `arn:aws:iam::${this.account}:role/local-step-functions`,
      },
      StateMachine: { Id: this.options.stateMachineArn, Name: this.stateMachineName },
      Task: { Token: this.tokenPlaceholder },
    };
    const handlers: LocalHandlers = {};
    for (const [stateName, task] of this.tasks) handlers[stateName] = (taskInput) => this.runTask(record, stateName, task, taskInput);

    let execution: ReturnType<StateMachine['run']>;
    try {
      execution = machine.run(input, { overrides: { taskResourceLocalHandlers: handlers }, context });
    } catch (error) {
      this.finish(record, { error });
      return;
    }
    record.abort = execution.abort;
    const historyDone = this.recordHistory(record, execution.eventLogs);
    execution.result.then(
      async (output) => {
        await settledOrLater(historyDone);
        this.finish(record, { output });
      },
      async (error: unknown) => {
        await settledOrLater(historyDone);
        this.finish(record, { error });
      },
    );
  }

  private finish(record: ExecutionRecord, outcome: { output: Json } | { error: unknown }): void {
    this.closeExecutionTasks(record);
    if (record.status !== 'RUNNING') return; // stopped meanwhile: ABORTED stays
    record.stopDate = new Date();
    if ('output' in outcome) {
      record.status = 'SUCCEEDED';
      record.output = JSON.stringify(outcome.output ?? null);
      this.persist(record);
      return;
    }
    const { error } = outcome;
    if (error instanceof ExecutionTimeoutError) {
      record.status = 'TIMED_OUT';
      record.error = 'States.Timeout';
    } else if (error instanceof ExecutionAbortedError) {
      record.status = 'ABORTED';
    } else {
      // ExecutionError wraps the state's error as `cause`; its name is the ASL error code.
      const failure = error instanceof ExecutionError && error.cause !== undefined ? error.cause : error;
      record.status = 'FAILED';
      record.error = failure instanceof Error ? failure.name : 'States.Runtime';
      record.cause = failure instanceof Error ? failure.message : String(failure);
    }
    this.persist(record);
  }

  private stopExecution(record: ExecutionRecord, error: string | undefined, cause: string | undefined): void {
    record.status = 'ABORTED';
    record.stopDate = new Date();
    record.error = error;
    record.cause = cause;
    record.abort();
    this.closeExecutionTasks(record);
    this.persist(record);
  }

  private closeExecutionTasks(record: ExecutionRecord): void {
    for (const token of [...record.tokens]) this.closeTask(token, { error: executionClosedError() });
  }

  private summary(record: ExecutionRecord): ExecutionSummary {
    return {
      executionArn: record.executionArn,
      stateMachineArn: this.options.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      ...(record.stopDate === undefined ? {} : { stopDate: record.stopDate }),
      input: record.input,
      ...(record.output === undefined ? {} : { output: record.output }),
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.cause === undefined ? {} : { cause: record.cause }),
    };
  }

  // ---------------------------------------------------------------- tasks

  private async runTask(record: ExecutionRecord, stateName: string, task: TaskInfo, input: Json): Promise<Json> {
    // A retry after StopExecution must not start new work.
    if (record.status !== 'RUNNING') throw executionClosedError();
    switch (task.kind) {
      case 'function':
        return this.callFunction(task.functionName ?? '', input);
      case 'invoke': {
        const { functionName, payload } = invokeParameters(input);
        const result = await this.callFunction(functionName, payload);
        return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
      }
      case 'callback':
        return this.waitForCallback(record, stateName, task, input);
    }
  }

  /** Calls the handler the way Lambda would: JSON in, JSON out, errors named by `errorType`. */
  private async callFunction(functionName: string, payload: Json): Promise<Json> {
    let result: unknown;
    try {
      result = await this.options.invoke(functionName, structuredClone(payload));
    } catch (error) {
      throw lambdaError(error);
    }
    const text = JSON.stringify(result ?? null);
    if (Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES) {
      throw namedError('States.DataLimitExceeded', `The result of function ${functionName} is ${Buffer.byteLength(text)} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`);
    }
    return JSON.parse(text) as Json;
  }

  private waitForCallback(record: ExecutionRecord, stateName: string, task: TaskInfo, input: Json): Promise<Json> {
    const { functionName, payload } = invokeParameters(input);
    const key = `${stateName}\n${JSON.stringify(replaceInStrings(payload, this.tokenPlaceholder, '$$.Task.Token'))}`;
    // After a restart: a task answered before it returns its answer; a parked one waits again.
    const answered = record.restored?.answered.get(key)?.shift();
    if (answered !== undefined) return Promise.resolve(answered);
    const parked = record.restored?.parked.get(key)?.shift();
    const token = parked?.token ?? randomBytes(48).toString('base64url');
    const payloadWithToken = replaceInStrings(payload, this.tokenPlaceholder, token);
    return new Promise<Json>((resolve, reject) => {
      const pending: PendingTask = {
        executionArn: record.executionArn,
        key,
        resolve,
        reject,
        ...(task.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.heartbeatSeconds }),
      };
      this.pending.set(token, pending);
      record.tokens.add(token);

      // The library enforces the state's timeout; this timer only closes the token afterwards,
      // so a late SendTaskSuccess gets TaskTimedOut as on AWS.
      const timeoutSeconds = task.timeoutSeconds ?? secondsAt(input, task.timeoutSecondsPath);
      const deadline = parked ? parked.deadline : timeoutSeconds === undefined ? undefined : Date.now() + Math.min(timeoutSeconds, MAX_TIMER_SECONDS) * 1000;
      if (deadline !== undefined) {
        pending.timeoutTimer = setTimeout(
          () => this.closeTask(token, { error: namedError('States.Timeout', 'The task timed out') }),
          Math.max(0, deadline - Date.now()) + TIMEOUT_MARGIN_MS,
        );
      }
      this.armHeartbeat(token, pending);
      record.parked.set(token, { key, ...(deadline === undefined ? {} : { deadline }) });
      this.persist(record);
      if (parked) return; // its function ran before the restart; whoever holds the token answers

      // Registered before the call: an in-process handler may answer before invoke returns.
      this.callFunction(functionName, payloadWithToken).catch((error: unknown) => {
        this.closeTask(token, { error: error instanceof Error ? error : namedError('States.TaskFailed', String(error)) });
      });
    });
  }

  private armHeartbeat(token: string, task: PendingTask): void {
    if (task.heartbeatSeconds === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(
      () => this.closeTask(token, { error: namedError('States.HeartbeatTimeout', 'No heartbeat arrived within HeartbeatSeconds') }),
      Math.min(task.heartbeatSeconds, MAX_TIMER_SECONDS) * 1000,
    );
  }

  private closeTask(token: string, outcome: { output: Json } | { error: Error }): void {
    const task = this.pending.get(token);
    if (!task) return;
    this.pending.delete(token);
    this.closedTokens.add(token);
    const record = this.records.get(task.executionArn);
    record?.tokens.delete(token);
    record?.parked.delete(token);
    clearTimeout(task.timeoutTimer);
    clearTimeout(task.heartbeatTimer);
    if ('error' in outcome) {
      if (record) this.persist(record);
      task.reject(outcome.error);
      return;
    }
    if (record) {
      record.answered.push([task.key, outcome.output]);
      this.persist(record);
    }
    const size = Buffer.byteLength(JSON.stringify(outcome.output));
    if (size > PAYLOAD_LIMIT_BYTES) {
      task.reject(namedError('States.DataLimitExceeded', `The task output is ${size} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`));
      return;
    }
    task.resolve(outcome.output);
  }

  // ---------------------------------------------------------------- durability

  private persist(record: ExecutionRecord): void {
    if (!this.store || this.stopping) return;
    this.store.save({
      name: record.name,
      executionArn: record.executionArn,
      input: record.input,
      startDate: record.startDate.toISOString(),
      status: record.status,
      ...(record.stopDate === undefined ? {} : { stopDate: record.stopDate.toISOString() }),
      ...(record.output === undefined ? {} : { output: record.output }),
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.cause === undefined ? {} : { cause: record.cause }),
      ...(record.resumeAt === undefined ? {} : { resumeAt: record.resumeAt }),
      parked: [...record.parked].map(([token, { key, deadline }]) => ({ key, token, ...(deadline === undefined ? {} : { deadline }) })),
      answered: record.answered,
    });
  }

  /** Lists the executions kept on disk again and carries the running ones on. */
  private restore(): void {
    if (!this.store) return;
    for (const saved of this.store.load()) {
      if (this.byName.has(saved.name)) continue;
      const record: ExecutionRecord = {
        executionArn: saved.executionArn,
        name: saved.name,
        input: saved.input,
        startDate: new Date(saved.startDate),
        status: saved.status as ExecutionStatus,
        ...(saved.stopDate === undefined ? {} : { stopDate: new Date(saved.stopDate) }),
        ...(saved.output === undefined ? {} : { output: saved.output }),
        ...(saved.error === undefined ? {} : { error: saved.error }),
        ...(saved.cause === undefined ? {} : { cause: saved.cause }),
        history: [],
        tokens: new Set(),
        failedTasks: new Set(),
        abort: () => {},
        parked: new Map(),
        answered: [...(saved.answered as [string, Json][])],
        ...(saved.resumeAt === undefined ? {} : { resumeAt: saved.resumeAt as { state: string; input: Json } }),
      };
      this.records.set(record.executionArn, record);
      this.byName.set(record.name, record);
      if (record.status !== 'RUNNING') continue;
      for (const { token } of saved.parked) this.closedTokens.delete(token);
      const executionInput = JSON.parse(saved.input) as Json;
      if (!record.resumeAt) {
        this.run(record, executionInput); // stopped before its first state: start it again
        continue;
      }
      const restored = { parked: new Map<string, ParkedTask[]>(), answered: new Map<string, Json[]>() };
      for (const task of saved.parked) restored.parked.set(task.key, [...(restored.parked.get(task.key) ?? []), task]);
      for (const [key, output] of record.answered) restored.answered.set(key, [...(restored.answered.get(key) ?? []), output]);
      record.restored = restored;
      const derived = { ...this.prepared, StartAt: record.resumeAt.state };
      const machine = new StateMachine(derived as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
      this.run(record, record.resumeAt.input, machine, executionInput);
    }
  }

  // ---------------------------------------------------------------- history

  private async recordHistory(record: ExecutionRecord, events: AsyncGenerator<EventLog>): Promise<void> {
    try {
      for await (const event of events) this.appendHistory(record, event);
    } catch {
      // History is a diagnostic; losing its tail must never fail the execution.
    }
  }

  private appendHistory(record: ExecutionRecord, event: EventLog): void {
    const at = new Date(event.timestamp);
    const push = (type: string, details?: Record<string, unknown>): void => {
      const id = record.history.length + 1;
      record.history.push({ id, previousEventId: id - 1, timestamp: at, type, ...details });
    };
    const taskDetails = (name: string): { resourceType: string; resource: string } => {
      const task = this.tasks.get(name);
      if (!task) return { resourceType: 'lambda', resource: 'unknown' };
      return task.kind === 'function'
        ? { resourceType: 'lambda', resource: task.resource }
        : { resourceType: 'lambda', resource: task.kind === 'callback' ? 'invoke.waitForTaskToken' : 'invoke' };
    };

    switch (event.type) {
      case 'ExecutionStarted':
        push('ExecutionStarted', {
          executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn: `arn:aws:iam::${this.account}:role/local-step-functions` },
        });
        return;
      case 'ExecutionSucceeded':
        push('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null), outputDetails: { truncated: false } } });
        return;
      case 'ExecutionFailed':
        push('ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } });
        return;
      case 'ExecutionAborted':
        push('ExecutionAborted', { executionAbortedEventDetails: { ...(record.error === undefined ? {} : { error: record.error }), ...(record.cause === undefined ? {} : { cause: record.cause }) } });
        return;
      case 'ExecutionTimeout':
        push('ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } });
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        push(event.type, { [`${lowerFirst(event.type)}EventDetails`]: { name: event.parentState.name, index: event.index } });
        return;
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return; // AWS has no per-branch events
      case 'StateEntered': {
        const { name, type } = event.state;
        if (event.index === undefined && record.resumeAt?.state !== name) {
          // A new top-level state: where a restart would carry on from.
          record.resumeAt = { state: name, input: (event.state.input ?? null) as Json };
          record.answered = [];
          this.persist(record);
        }
        push(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(event.state.input ?? null), inputDetails: { truncated: false } } });
        if (type === 'Task') {
          push('TaskScheduled', { taskScheduledEventDetails: { ...taskDetails(name), region: this.region } });
          push('TaskStarted', { taskStartedEventDetails: taskDetails(name) });
        } else if (type === 'Map') {
          push('MapStateStarted', { mapStateStartedEventDetails: {} });
        } else if (type === 'Parallel') {
          push('ParallelStateStarted');
        }
        return;
      }
      case 'StateRetried': {
        const { name, type } = event.state;
        record.failedTasks.delete(taskKey(name, event.index));
        if (type === 'Task') {
          push('TaskScheduled', { taskScheduledEventDetails: { ...taskDetails(name), region: this.region } });
          push('TaskStarted', { taskStartedEventDetails: taskDetails(name) });
        }
        return;
      }
      case 'StateFailed': {
        const { name, type } = event.state;
        const details = { error: event.Error, cause: causeText(event.Cause) };
        if (type === 'Task') {
          record.failedTasks.add(taskKey(name, event.index));
          if (event.Error === 'States.Timeout') push('TaskTimedOut', { taskTimedOutEventDetails: { ...taskDetails(name), ...details } });
          else push('TaskFailed', { taskFailedEventDetails: { ...taskDetails(name), ...details } });
        } else if (type === 'Map' || type === 'Parallel') {
          push(`${type}StateFailed`);
        }
        return;
      }
      case 'StateCaught':
        return; // AWS shows a caught failure as the Failed event, then the state's exit
      case 'StateExited': {
        const { name, type } = event.state;
        const key = taskKey(name, event.index);
        if (type === 'Task' && !record.failedTasks.delete(key)) push('TaskSucceeded', { taskSucceededEventDetails: taskDetails(name) });
        if ((type === 'Map' || type === 'Parallel') && !record.failedTasks.delete(key)) push(`${type}StateSucceeded`);
        push(`${type}StateExited`, { stateExitedEventDetails: { name, output: JSON.stringify(event.state.output ?? null), outputDetails: { truncated: false } } });
        return;
      }
    }
  }
}

// ---------------------------------------------------------------- definition

/**
 * Walks every state (inside Map and Parallel too), collects the Task states to override, and
 * adjusts the copy for local running: scaled Retry intervals, AWS's "no timeout" default.
 */
function prepareDefinition(definition: Record<string, unknown>, retryIntervalScale: number): Map<string, TaskInfo> {
  if (definition.QueryLanguage === 'JSONata') throw new Error('JSONata state machines are not supported locally (aws-local-stepfunctions ignores JSONata); use JSONPath');
  const tasks = new Map<string, TaskInfo>();
  for (const [name, state] of walkStates(definition)) {
    if (state.QueryLanguage === 'JSONata') throw new Error(`State ${name} uses JSONata, which is not supported locally`);
    if (Array.isArray(state.Retry)) {
      for (const retrier of state.Retry as unknown[]) {
        if (!isRecord(retrier)) continue;
        retrier.IntervalSeconds = (typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1) * retryIntervalScale;
        if (typeof retrier.MaxDelaySeconds === 'number') retrier.MaxDelaySeconds *= retryIntervalScale;
      }
    }
    if (state.Type !== 'Task') continue;
    const task = taskInfo(name, state);
    if (tasks.has(name)) throw new Error(`Task state name ${name} is used twice; local overrides are keyed by state name`);
    tasks.set(name, task);
    // The library times a task out after 60 s unless told; AWS waits up to a year. Also keep
    // timers within what setTimeout can hold.
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = MAX_TIMER_SECONDS;
    else if (typeof state.TimeoutSeconds === 'number') state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
  }
  return tasks;
}

function taskInfo(name: string, state: Record<string, unknown>): TaskInfo {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const timing = {
    ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
    ...(typeof state.TimeoutSecondsPath === 'string' ? { timeoutSecondsPath: state.TimeoutSecondsPath } : {}),
    ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
  };
  if (/^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(resource)) {
    return { kind: 'function', resource, functionName: functionNameFrom(resource), ...timing };
  }
  if (/^arn:aws[\w-]*:states:::lambda:invoke$/.test(resource)) return { kind: 'invoke', resource, ...timing };
  if (/^arn:aws[\w-]*:states:::lambda:invoke\.waitForTaskToken$/.test(resource)) return { kind: 'callback', resource, ...timing };
  // Anything else would make the library call real AWS: refuse up front.
  throw new Error(`Task state ${name} uses resource ${resource}; locally only Lambda function ARNs, lambda:invoke and lambda:invoke.waitForTaskToken are supported`);
}

function* walkStates(machine: Record<string, unknown>): Generator<[string, Record<string, unknown>]> {
  if (!isRecord(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isRecord(state)) continue;
    yield [name, state];
    const processor = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && isRecord(processor)) yield* walkStates(processor);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches as unknown[]) if (isRecord(branch)) yield* walkStates(branch);
    }
  }
}

// ---------------------------------------------------------------- helpers

/** A function name from a name, a full or partial Lambda ARN, or an ARN with a qualifier. */
export function functionNameFrom(nameOrArn: string): string {
  const match = /(?:^|:)function:([^:]+)/.exec(nameOrArn);
  if (match?.[1]) return match[1];
  return nameOrArn.split(':').at(-1) ?? nameOrArn;
}

function invokeParameters(input: Json): { functionName: string; payload: Json } {
  if (!isRecord(input) || typeof input.FunctionName !== 'string') {
    throw namedError('States.Runtime', 'lambda:invoke needs Parameters with a FunctionName string', { retryable: false, catchable: false });
  }
  return { functionName: functionNameFrom(input.FunctionName), payload: (input.Payload ?? {}) as Json };
}

/**
 * An Error the library matches by `name` in Retry/Catch. The library reads `isRetryable` and
 * `isCatchable` (default true) off the error, which lets us make some errors terminal.
 */
function namedError(name: string, message: string, flags: { retryable?: boolean; catchable?: boolean } = {}): Error {
  const error = new Error(message);
  error.name = name;
  if (flags.retryable === false) Object.defineProperty(error, 'isRetryable', { value: false });
  if (flags.catchable === false) Object.defineProperty(error, 'isCatchable', { value: false });
  return error;
}

/** A handler failure as Step Functions reports a Lambda error: Error = errorType, Cause = JSON. */
function lambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return namedError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

function executionClosedError(): Error {
  return namedError('ExecutionClosed', 'The execution is no longer running', { retryable: false, catchable: false });
}

function replaceInStrings(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, search, replacement));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceInStrings(item as Json, search, replacement)]));
  return value;
}

/** TimeoutSecondsPath, for the simple `$.a.b` paths a definition uses. */
function secondsAt(input: Json, path: string | undefined): number | undefined {
  if (!path?.startsWith('$')) return undefined;
  let value: unknown = input;
  for (const key of path.slice(1).split('.').filter(Boolean)) value = isRecord(value) ? value[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

function parseStateMachineArn(arn: string): { region: string; account: string; name: string } {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new Error(`Not a state machine ARN: ${arn}`);
  }
  return { region: parts[3] ?? '', account: parts[4] ?? '', name: parts[6] ?? '' };
}

function taskKey(name: string, index: number | undefined): string {
  return `${name}#${index ?? ''}`;
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause ?? null);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('ValidationException', `${key} must be a string`);
  return value;
}

function requiredString(params: Record<string, unknown>, key: string): string {
  const value = optionalString(params, key);
  if (value === undefined) throw new ApiError('ValidationException', `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function wireSummary(summary: ExecutionSummary): Record<string, unknown> {
  return {
    executionArn: summary.executionArn,
    stateMachineArn: summary.stateMachineArn,
    name: summary.name,
    status: summary.status,
    startDate: epochSeconds(summary.startDate),
    ...(summary.stopDate === undefined ? {} : { stopDate: epochSeconds(summary.stopDate) }),
  };
}

function wireEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: epochSeconds(event.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(wire)) {
      if (key.endsWith('EventDetails') && isRecord(value)) {
        const { input: _input, output: _output, ...rest } = value;
        wire[key] = rest;
      }
    }
  }
  return wire;
}

/** maxResults / nextToken paging; the token is the offset, opaque to clients. */
function paginate(items: Record<string, unknown>[], params: Record<string, unknown>, key: string): object {
  const max = typeof params.maxResults === 'number' && params.maxResults > 0 ? Math.min(params.maxResults, 1000) : 100;
  let offset = 0;
  if (typeof params.nextToken === 'string') {
    offset = Number.parseInt(Buffer.from(params.nextToken, 'base64url').toString(), 10);
    if (!Number.isInteger(offset) || offset < 0) throw new ApiError('InvalidToken', 'Invalid Token');
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max < items.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return { [key]: page, ...(next === undefined ? {} : { nextToken: next }) };
}

/** Waits for the history to catch up with the result, but never for long. */
async function settledOrLater(promise: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, 100)))]);
  clearTimeout(timer);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new ApiError('ValidationException', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}
