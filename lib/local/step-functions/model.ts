/**
 * What the parts of the local Step Functions service share: its options, the shapes it answers
 * with, the record of one execution (which every part reads and writes), and Step Functions'
 * limits.
 */
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { ParkedTask } from '../execution-store.ts';

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
export type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type Json = Parameters<LocalHandlers[string]>[0];
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type TaskKind = 'function' | 'invoke' | 'callback';
export interface TaskInfo {
  readonly kind: TaskKind;
  readonly resource: string;
  /** For `function` tasks: the name taken from the Lambda ARN in Resource. */
  readonly functionName?: string;
  readonly timeoutSeconds?: number;
  readonly timeoutSecondsPath?: string;
  readonly heartbeatSeconds?: number;
}

export interface ExecutionRecord {
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

/** The largest delay setTimeout honours; beyond it Node fires after 1 ms. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Step Functions' limit on a state's input and output, and on an execution's input. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
