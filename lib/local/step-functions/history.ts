/**
 * Execution history in the AWS event vocabulary (GetExecutionHistory), derived from the library's
 * event logs. Entering a top-level state is also where an execution's restart point moves on.
 */
import type { LocalStateMachine } from './definition.ts';
import type { Durability } from './durability.ts';
import type { EventLog, ExecutionRecord, Json } from './model.ts';

export class ExecutionHistory {
  constructor(
    private readonly stateMachine: LocalStateMachine,
    private readonly durability: Durability,
  ) {}

  /** Appends each event the library logs to the record's history, until the run ends. */
  async record(record: ExecutionRecord, events: AsyncGenerator<EventLog>): Promise<void> {
    try {
      for await (const event of events) this.append(record, event);
    } catch {
      // History is a diagnostic; losing its tail must never fail the execution.
    }
  }

  private append(record: ExecutionRecord, event: EventLog): void {
    const at = new Date(event.timestamp);
    const push = (type: string, details?: Record<string, unknown>): void => {
      const id = record.history.length + 1;
      record.history.push({ id, previousEventId: id - 1, timestamp: at, type, ...details });
    };
    const taskDetails = (name: string): { resourceType: string; resource: string } => {
      const task = this.stateMachine.tasks.get(name);
      if (!task) return { resourceType: 'lambda', resource: 'unknown' };
      return task.kind === 'function'
        ? { resourceType: 'lambda', resource: task.resource }
        : { resourceType: 'lambda', resource: task.kind === 'callback' ? 'invoke.waitForTaskToken' : 'invoke' };
    };

    switch (event.type) {
      case 'ExecutionStarted':
        push('ExecutionStarted', {
          executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn: this.stateMachine.roleArn },
        });
        return;
      case 'ExecutionSucceeded':
        push('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(event.output ?? null), outputDetails: { truncated: false } } });
        return;
      case 'ExecutionFailed':
        push('ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } });
        return;
      case 'ExecutionAborted':
        push('ExecutionAborted', {
          executionAbortedEventDetails: {
            ...(record.error === undefined ? {} : { error: record.error }),
            ...(record.cause === undefined ? {} : { cause: record.cause }),
          },
        });
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
          this.durability.enteredTopLevelState(record, name, (event.state.input ?? null) as Json);
        }
        push(`${type}StateEntered`, {
          stateEnteredEventDetails: { name, input: JSON.stringify(event.state.input ?? null), inputDetails: { truncated: false } },
        });
        if (type === 'Task') {
          push('TaskScheduled', { taskScheduledEventDetails: { ...taskDetails(name), region: this.stateMachine.region } });
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
          push('TaskScheduled', { taskScheduledEventDetails: { ...taskDetails(name), region: this.stateMachine.region } });
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
        push(`${type}StateExited`, {
          stateExitedEventDetails: { name, output: JSON.stringify(event.state.output ?? null), outputDetails: { truncated: false } },
        });
        return;
      }
    }
  }
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
