import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import { assertEscalable, parseEscalationReason, type ManualEscalation } from '../domain/manual-handling.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import type { RequestRepository } from '../ports/request-repository.ts';
import type { StoreTaskRepository } from '../ports/store-task-repository.ts';

/**
 * An officer takes a processor's unanswered task over by hand, with a reason: recorded on the
 * store task (`escalatedToManual`) and as a `store_escalated` audit event. Only then may the task
 * be completed by hand. The workflow keeps waiting on the same task: should the processor still
 * answer before the officer completes it, its answer settles the task as usual.
 */
export async function escalateStoreTask(
  deps: {
    requests: Pick<RequestRepository, 'get' | 'update'>;
    storeTasks: Pick<StoreTaskRepository, 'get' | 'escalate'>;
    now: () => Date;
  },
  requestId: string,
  store: Pick<StoreDefinition, 'id' | 'kind'>,
  officerId: string,
  body: unknown,
): Promise<{ requestId: string; storeId: string; escalatedToManual: ManualEscalation }> {
  const reason = parseEscalationReason(body);
  const request = await deps.requests.get(requestId);
  if (!request) throw new RequestNotFoundError(`Request ${requestId} does not exist`);
  if (request.status !== 'in_progress')
    throw new ConflictError(`Request ${requestId} is ${request.status}; only a request in progress has a processor to wait for`);
  assertEscalable(store.id, store.kind, await deps.storeTasks.get(requestId, store.id));

  const at = deps.now().toISOString();
  const escalation: ManualEscalation = { at, by: officerId, reason };
  // The conditional write decides between two officers, or an officer and the processor's callback.
  const escalated = await deps.storeTasks.escalate(requestId, store.id, escalation);
  if (!escalated) throw new ConflictError(`Store ${store.id} is no longer waiting for its processor, or was escalated meanwhile`);
  // The reason stays on the store task (officers see it there); the audit trail says who and when.
  // Should the run have settled meanwhile, this refuses, and a retry's new run clears the escalation.
  await deps.requests.update(requestId, 'in_progress', {
    event: {
      at,
      actor: 'officer',
      actorId: officerId,
      action: 'store_escalated',
      detail: `${store.id}: escalated to manual handling, the processor has not answered`,
    },
  });
  return { requestId, storeId: store.id, escalatedToManual: escalation };
}
