/**
 * The Task states, which the local service runs itself instead of the library: each in-process
 * through `invoke`, the way Lambda would (JSON in and out, errors named for Retry/Catch, the
 * lambda:invoke wrapper, the 256 KiB result limit), and the waitForTaskToken ones parked on a
 * task token until SendTaskSuccess / SendTaskFailure, a timeout or a missed heartbeat closes it.
 */
import { randomBytes } from 'node:crypto';
import type { Durability } from './durability.ts';
import { functionNameFrom } from './definition.ts';
import { executionClosedError, lambdaError, namedError } from './errors.ts';
import {
  isRecord,
  MAX_TIMER_SECONDS,
  PAYLOAD_LIMIT_BYTES,
  type ExecutionRecord,
  type Json,
  type LocalHandlers,
  type LocalStepFunctionsOptions,
  type TaskInfo,
} from './model.ts';

interface PendingTask {
  readonly record: ExecutionRecord;
  /** State name and payload (token left out): what finds the task again after a restart. */
  readonly key: string;
  readonly resolve: (output: Json) => void;
  readonly reject: (error: Error) => void;
  readonly heartbeatSeconds?: number;
  timeoutTimer?: NodeJS.Timeout;
  heartbeatTimer?: NodeJS.Timeout;
}

/** Our own task-timeout timer fires this much after the library's, so the library's
 * States.Timeout (the one Retry/Catch treat as a timeout) always wins the race. */
const TIMEOUT_MARGIN_MS = 25;

export class TaskStates {
  /** Stands in for `$$.Task.Token` until a task swaps in its own token. */
  readonly tokenPlaceholder = `local-sfn-task-token-placeholder-${randomBytes(8).toString('hex')}`;
  private readonly pending = new Map<string, PendingTask>();
  /** Tokens that were issued and are closed (answered, timed out, execution over). */
  private readonly closedTokens = new Set<string>();

  constructor(
    private readonly tasks: ReadonlyMap<string, TaskInfo>,
    private readonly invoke: LocalStepFunctionsOptions['invoke'],
    private readonly durability: Durability,
  ) {}

  /** The library's overrides for one execution: every Task state runs here. */
  handlersFor(record: ExecutionRecord): LocalHandlers {
    const handlers: LocalHandlers = {};
    for (const [stateName, task] of this.tasks) handlers[stateName] = (taskInput) => this.runTask(record, stateName, task, taskInput);
    return handlers;
  }

  /** Whether a token's task waits for its callback, was closed (whatever closed it), or was never issued here. */
  tokenState(token: string): 'open' | 'closed' | 'unknown' {
    if (this.pending.has(token)) return 'open';
    return this.closedTokens.has(token) ? 'closed' : 'unknown';
  }

  /** A token parked before a restart waits again: it is no longer closed. */
  reopen(token: string): void {
    this.closedTokens.delete(token);
  }

  heartbeat(token: string): void {
    const task = this.pending.get(token);
    if (task) this.armHeartbeat(token, task);
  }

  /** Ends a waiting task with its output or an error; a token no longer waiting is left alone. */
  closeTask(token: string, outcome: { output: Json } | { error: Error }): void {
    const task = this.pending.get(token);
    if (!task) return;
    this.pending.delete(token);
    this.closedTokens.add(token);
    const { record } = task;
    record.tokens.delete(token);
    record.parked.delete(token);
    clearTimeout(task.timeoutTimer);
    clearTimeout(task.heartbeatTimer);
    if ('error' in outcome) {
      this.durability.persist(record);
      task.reject(outcome.error);
      return;
    }
    record.answered.push([task.key, outcome.output]);
    this.durability.persist(record);
    const size = Buffer.byteLength(JSON.stringify(outcome.output));
    if (size > PAYLOAD_LIMIT_BYTES) {
      task.reject(namedError('States.DataLimitExceeded', `The task output is ${size} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`));
      return;
    }
    task.resolve(outcome.output);
  }

  /** Ends every task of an execution that is over. */
  closeExecutionTasks(record: ExecutionRecord): void {
    for (const token of [...record.tokens]) this.closeTask(token, { error: executionClosedError() });
  }

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
      result = await this.invoke(functionName, structuredClone(payload));
    } catch (error) {
      throw lambdaError(error);
    }
    const text = JSON.stringify(result ?? null);
    if (Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES) {
      throw namedError(
        'States.DataLimitExceeded',
        `The result of function ${functionName} is ${Buffer.byteLength(text)} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`,
      );
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
        record,
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
      this.durability.persist(record);
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
}

function invokeParameters(input: Json): { functionName: string; payload: Json } {
  if (!isRecord(input) || typeof input.FunctionName !== 'string') {
    throw namedError('States.Runtime', 'lambda:invoke needs Parameters with a FunctionName string', { retryable: false, catchable: false });
  }
  return { functionName: functionNameFrom(input.FunctionName), payload: (input.Payload ?? {}) as Json };
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
