import { ConflictError } from '../domain/errors.ts';
import { assertOfficerMayComplete } from '../domain/manual-handling.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import type { RequestRepository } from '../ports/request-repository.ts';
import type { StoreTaskRepository, StoreTaskResult } from '../ports/store-task-repository.ts';
import type { TaskCallbacks } from '../ports/workflow.ts';

/**
 * Settles a store's work that was waiting on someone else (a processor's signed callback, an
 * officer's manual task) and resumes the workflow. Only the first settlement wins: a replayed
 * callback or a second click is a ConflictError and resumes nothing. With `escalated`, only a
 * task an officer escalated to manual handling is settled.
 */
export async function completeStoreTask(
  deps: { storeTasks: Pick<StoreTaskRepository, 'finish'>; taskCallbacks: TaskCallbacks },
  requestId: string,
  storeId: string,
  result: StoreTaskResult,
  options: { readonly escalated?: true } = {},
): Promise<void> {
  const task = await deps.storeTasks.finish(requestId, storeId, result, options);
  if (!task?.taskToken) throw new ConflictError(`Store ${storeId} of request ${requestId} is not waiting for an answer`);
  await deps.taskCallbacks.resume(task.taskToken, { storeId, ...result });
}

/** What an officer says they did with a store's task. */
export interface OfficerCompletion {
  readonly outcome: 'done' | 'failed';
  readonly note: string;
  readonly recordCount?: number;
}

/**
 * An officer marks a waiting store task done (or failed) with a note. A manual system's task is
 * theirs to complete; a processor's only once escalated to manual handling, and it is then recorded
 * as done by hand (`completedBy: 'officer'`), in the outcome and the audit trail, never as the
 * processor's answer. Returns whether it was such a by-hand completion of a processor's task.
 */
export async function completeStoreTaskByOfficer(
  deps: {
    requests: Pick<RequestRepository, 'update'>;
    storeTasks: Pick<StoreTaskRepository, 'get' | 'finish'>;
    taskCallbacks: TaskCallbacks;
    now: () => Date;
  },
  requestId: string,
  store: Pick<StoreDefinition, 'id' | 'kind'>,
  officerId: string,
  completion: OfficerCompletion,
): Promise<{ byHand: boolean }> {
  const task = await deps.storeTasks.get(requestId, store.id);
  assertOfficerMayComplete(store.id, store.kind, task);
  const byHand = store.kind === 'webhook';
  const { outcome, note, recordCount } = completion;
  // Recorded before the workflow resumes: once resumed, the request may settle at once.
  await deps.requests.update(requestId, 'in_progress', {
    event: {
      at: deps.now().toISOString(),
      actor: 'officer',
      actorId: officerId,
      action: `store_${outcome}`,
      detail: byHand ? `${store.id}: settled by hand by an officer after escalation to manual handling, not by the processor's answer` : store.id,
    },
  });
  const result: StoreTaskResult = outcome === 'done' ? { status: 'succeeded', note, ...(recordCount !== undefined ? { recordCount } : {}) } : { status: 'failed', error: note };
  await completeStoreTask(deps, requestId, store.id, byHand ? { ...result, completedBy: 'officer' } : result, byHand ? { escalated: true } : {});
  return { byHand };
}
