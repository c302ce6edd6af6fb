/**
 * The executions: each runs the definition in aws-local-stepfunctions and keeps its record
 * (status, result, history) in memory; Durability keeps a copy on disk when asked to.
 */
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, type StateMachine } from 'aws-local-stepfunctions';
import type { LocalStateMachine } from './definition.ts';
import type { Durability } from './durability.ts';
import type { ExecutionHistory } from './history.ts';
import type { ExecutionRecord, ExecutionSummary, Json } from './model.ts';
import type { TaskStates } from './task-states.ts';

export class Executions {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly byName = new Map<string, ExecutionRecord>();

  constructor(
    private readonly stateMachine: LocalStateMachine,
    private readonly tasks: TaskStates,
    private readonly durability: Durability,
    private readonly history: ExecutionHistory,
  ) {}

  /** Every execution, in the order they were added. */
  all(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  get(executionArn: string): ExecutionRecord | undefined {
    return this.records.get(executionArn);
  }

  named(name: string): ExecutionRecord | undefined {
    return this.byName.get(name);
  }

  add(record: ExecutionRecord): void {
    this.records.set(record.executionArn, record);
    this.byName.set(record.name, record);
  }

  /** A new execution, already running; `input` is its JSON text, `parsedInput` the value. */
  start(name: string, input: string, parsedInput: Json): ExecutionRecord {
    const record: ExecutionRecord = {
      executionArn: `arn:aws:states:${this.stateMachine.region}:${this.stateMachine.account}:execution:${this.stateMachine.name}:${name}`,
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
    this.add(record);
    this.durability.persist(record);
    this.run(record, parsedInput);
    return record;
  }

  /** Runs `machine` (a resumed run: one that starts mid-way) on `input`; `$$.Execution.Input` stays the execution's. */
  run(record: ExecutionRecord, input: Json, machine: StateMachine = this.stateMachine.machine, executionInput: Json = input): void {
    const context = {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        Input: executionInput,
        StartTime: record.startDate.toISOString(),
        RoleArn: this.stateMachine.roleArn,
      },
      StateMachine: { Id: this.stateMachine.arn, Name: this.stateMachine.name },
      Task: { Token: this.tasks.tokenPlaceholder },
    };
    const handlers = this.tasks.handlersFor(record);

    let execution: ReturnType<StateMachine['run']>;
    try {
      execution = machine.run(input, { overrides: { taskResourceLocalHandlers: handlers }, context });
    } catch (error) {
      this.finish(record, { error });
      return;
    }
    record.abort = execution.abort;
    const historyDone = this.history.record(record, execution.eventLogs);
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

  /** StopExecution: ABORTED, with the caller's error and cause. */
  stop(record: ExecutionRecord, error: string | undefined, cause: string | undefined): void {
    record.status = 'ABORTED';
    record.stopDate = new Date();
    record.error = error;
    record.cause = cause;
    record.abort();
    this.tasks.closeExecutionTasks(record);
    this.durability.persist(record);
  }

  summary(record: ExecutionRecord): ExecutionSummary {
    return {
      executionArn: record.executionArn,
      stateMachineArn: this.stateMachine.arn,
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

  private finish(record: ExecutionRecord, outcome: { output: Json } | { error: unknown }): void {
    this.tasks.closeExecutionTasks(record);
    if (record.status !== 'RUNNING') return; // stopped meanwhile: ABORTED stays
    record.stopDate = new Date();
    if ('output' in outcome) {
      record.status = 'SUCCEEDED';
      record.output = JSON.stringify(outcome.output ?? null);
      this.durability.persist(record);
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
    this.durability.persist(record);
  }
}

/** Waits for the history to catch up with the result, but never for long. */
async function settledOrLater(promise: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, 100)))]);
  clearTimeout(timer);
}
