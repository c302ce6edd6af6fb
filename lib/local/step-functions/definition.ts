/**
 * The state machine as the local service runs it: the definition checked as written, then a copy
 * adjusted for local running (scaled Retry intervals, AWS's "no timeout" default for tasks), the
 * Task states the service runs itself, and the identity its ARN gives.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isRecord, MAX_TIMER_SECONDS, type TaskInfo } from './model.ts';

export class LocalStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly account: string;
  /** The role executions report they run as. */
  readonly roleArn: string;
  /** The definition as written, for DescribeStateMachine. */
  readonly definitionJson: string;
  /** Every Task state (inside Map and Parallel too), by state name. */
  readonly tasks: Map<string, TaskInfo>;
  /** Runs executions from the definition's StartAt. */
  readonly machine: StateMachine;
  /** The definition as run locally, kept to derive resumed runs from. */
  private readonly prepared: Record<string, unknown>;

  constructor(definition: object, stateMachineArn: string, retryIntervalScale: number) {
    const arn = parseStateMachineArn(stateMachineArn);
    this.arn = stateMachineArn;
    this.name = arn.name;
    this.region = arn.region;
    this.account = arn.account;
    this.roleArn = `arn:aws:iam::${arn.account}:role/local-step-functions`;
    this.definitionJson = JSON.stringify(definition);

    // Validate the definition as written, then run a copy adjusted for local use.
    new StateMachine(definition as StateMachineDefinition, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const prepared = structuredClone(definition) as Record<string, unknown>;
    this.tasks = prepareDefinition(prepared, retryIntervalScale);
    this.prepared = prepared;
    this.machine = new StateMachine(prepared as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  }

  /** The same machine starting at a top-level state: how a restarted execution carries on. */
  startingAt(state: string): StateMachine {
    const derived = { ...this.prepared, StartAt: state };
    return new StateMachine(derived as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  }
}

/** A function name from a name, a full or partial Lambda ARN, or an ARN with a qualifier. */
export function functionNameFrom(nameOrArn: string): string {
  const match = /(?:^|:)function:([^:]+)/.exec(nameOrArn);
  if (match?.[1]) return match[1];
  return nameOrArn.split(':').at(-1) ?? nameOrArn;
}

/**
 * Walks every state (inside Map and Parallel too), collects the Task states to override, and
 * adjusts the copy for local running: scaled Retry intervals, AWS's "no timeout" default.
 */
function prepareDefinition(definition: Record<string, unknown>, retryIntervalScale: number): Map<string, TaskInfo> {
  if (definition.QueryLanguage === 'JSONata')
    throw new Error('JSONata state machines are not supported locally (aws-local-stepfunctions ignores JSONata); use JSONPath');
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
  throw new Error(
    `Task state ${name} uses resource ${resource}; locally only Lambda function ARNs, lambda:invoke and lambda:invoke.waitForTaskToken are supported`,
  );
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

function parseStateMachineArn(arn: string): { region: string; account: string; name: string } {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new Error(`Not a state machine ARN: ${arn}`);
  }
  return { region: parts[3] ?? '', account: parts[4] ?? '', name: parts[6] ?? '' };
}
