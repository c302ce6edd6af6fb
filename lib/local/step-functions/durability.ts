/**
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
import { ExecutionStore, type ParkedTask } from '../execution-store.ts';
import type { LocalStateMachine } from './definition.ts';
import type { Executions } from './executions.ts';
import type { ExecutionRecord, ExecutionStatus, Json } from './model.ts';
import type { TaskStates } from './task-states.ts';

export class Durability {
  private readonly store?: ExecutionStore;
  /** Set by halt(): what the stop itself does to executions is not written down. */
  private stopping = false;

  /** Without a folder, executions live in memory only and every method is a no-op. */
  constructor(persistDir: string | undefined) {
    if (persistDir) this.store = new ExecutionStore(persistDir);
  }

  /** The service is stopping: nothing is written from now on. */
  halt(): void {
    this.stopping = true;
  }

  persist(record: ExecutionRecord): void {
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

  /** A new top-level state: where a restart would carry on from, with that state's input. */
  enteredTopLevelState(record: ExecutionRecord, state: string, input: Json): void {
    record.resumeAt = { state, input };
    record.answered = [];
    this.persist(record);
  }

  /** Lists the executions kept on disk again and carries the running ones on. */
  restore(stateMachine: LocalStateMachine, executions: Executions, tasks: TaskStates): void {
    if (!this.store) return;
    for (const saved of this.store.load()) {
      if (executions.named(saved.name)) continue;
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
      executions.add(record);
      if (record.status !== 'RUNNING') continue;
      for (const { token } of saved.parked) tasks.reopen(token);
      const executionInput = JSON.parse(saved.input) as Json;
      if (!record.resumeAt) {
        executions.run(record, executionInput); // stopped before its first state: start it again
        continue;
      }
      const restored = { parked: new Map<string, ParkedTask[]>(), answered: new Map<string, Json[]>() };
      for (const task of saved.parked) restored.parked.set(task.key, [...(restored.parked.get(task.key) ?? []), task]);
      for (const [key, output] of record.answered) restored.answered.set(key, [...(restored.answered.get(key) ?? []), output]);
      record.restored = restored;
      executions.run(record, record.resumeAt.input, stateMachine.startingAt(record.resumeAt.state), executionInput);
    }
  }
}
