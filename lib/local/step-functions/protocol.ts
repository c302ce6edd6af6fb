/**
 * The Step Functions JSON 1.0 protocol (`POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`),
 * so the real `@aws-sdk/client-sfn` works against the local service with only `endpoint` changed.
 * Errors answer HTTP 400 with `__type`, which the SDK turns into its typed exception.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalStateMachine } from './definition.ts';
import { namedError } from './errors.ts';
import type { Executions } from './executions.ts';
import { isRecord, PAYLOAD_LIMIT_BYTES, type ExecutionRecord, type ExecutionSummary, type HistoryEvent, type Json } from './model.ts';
import type { TaskStates } from './task-states.ts';

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

export class StepFunctionsProtocol {
  constructor(
    private readonly stateMachine: LocalStateMachine,
    private readonly executions: Executions,
    private readonly tasks: TaskStates,
  ) {}

  /** Answers one request; never throws. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
        return this.stopExecution(params);
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
        return { stateMachines: [{ stateMachineArn: this.stateMachine.arn, name: this.stateMachine.name, type: 'STANDARD', creationDate: 0 }] };
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
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${PAYLOAD_LIMIT_BYTES}`,
      );
    }
    let parsedInput: Json;
    try {
      parsedInput = JSON.parse(input) as Json;
    } catch {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }

    const existing = this.executions.named(name);
    if (existing) {
      // AWS Standard: the same name and input while the execution runs is the same call.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn: existing.executionArn, startDate: epochSeconds(existing.startDate) };
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }

    const record = this.executions.start(name, input, parsedInput);
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  }

  private describeExecution(params: Record<string, unknown>): object {
    const record = this.requireExecution(params.executionArn);
    const summary = this.executions.summary(record);
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
    const matching = this.executions
      .all()
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .reverse()
      .map((record) => wireSummary(this.executions.summary(record)));
    return paginate(matching, params, 'executions');
  }

  private stopExecution(params: Record<string, unknown>): object {
    const record = this.requireExecution(params.executionArn);
    if (record.status === 'RUNNING') this.executions.stop(record, optionalString(params, 'error'), optionalString(params, 'cause'));
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
    this.tasks.closeTask(token, { output: parsed });
    return {};
  }

  private sendTaskFailure(params: Record<string, unknown>): object {
    const token = this.requireOpenTask(params.taskToken);
    const error = optionalString(params, 'error') ?? '';
    const cause = optionalString(params, 'cause') ?? '';
    // The name is what the state's Retry and Catch compare against.
    this.tasks.closeTask(token, { error: namedError(error, cause) });
    return {};
  }

  private sendTaskHeartbeat(params: Record<string, unknown>): object {
    const token = this.requireOpenTask(params.taskToken);
    this.tasks.heartbeat(token);
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
      stateMachineArn: this.stateMachine.arn,
      name: this.stateMachine.name,
      status: 'ACTIVE',
      definition: this.stateMachine.definitionJson,
      roleArn: this.stateMachine.roleArn,
      type: 'STANDARD',
      creationDate: 0,
    };
  }

  private requireStateMachine(arn: unknown): void {
    if (typeof arn !== 'string')
      throw new ApiError(
        'ValidationException',
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
      );
    if (arn !== this.stateMachine.arn) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private requireExecution(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string')
      throw new ApiError(
        'ValidationException',
        "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
      );
    const record = this.executions.get(arn);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private requireOpenTask(token: unknown): string {
    if (typeof token !== 'string' || token.length === 0)
      throw new ApiError('ValidationException', "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null");
    const state = this.tasks.tokenState(token);
    if (state === 'open') return token;
    // AWS answers TaskTimedOut for a token whose task is already closed, whatever closed it.
    if (state === 'closed') throw new ApiError('TaskTimedOut', 'Task Timed Out: the task for this token is already closed');
    throw new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the token was not issued by this state machine');
  }
}

function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('ValidationException', `${key} must be a string`);
  return value;
}

function requiredString(params: Record<string, unknown>, key: string): string {
  const value = optionalString(params, key);
  if (value === undefined)
    throw new ApiError('ValidationException', `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
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
