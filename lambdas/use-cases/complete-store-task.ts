import { ConflictError } from '../domain/errors.ts';
import type { StoreTaskRepository, StoreTaskResult } from '../ports/store-task-repository.ts';
import type { TaskCallbacks } from '../ports/workflow.ts';

/**
 * Settles a store's work that was waiting on someone else (a processor's signed callback, an
 * officer's manual task) and resumes the workflow. Only the first settlement wins: a replayed
 * callback or a second click is a ConflictError and resumes nothing.
 */
export async function completeStoreTask(
  deps: { storeTasks: StoreTaskRepository; taskCallbacks: TaskCallbacks },
  requestId: string,
  storeId: string,
  result: StoreTaskResult,
): Promise<void> {
  const task = await deps.storeTasks.finish(requestId, storeId, result);
  if (!task?.taskToken) throw new ConflictError(`Store ${storeId} of request ${requestId} is not waiting for an answer`);
  await deps.taskCallbacks.resume(task.taskToken, { storeId, ...result });
}
