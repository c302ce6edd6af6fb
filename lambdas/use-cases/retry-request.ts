import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import type { DsrRequest } from '../domain/request.ts';
import { publicView, type RequestRepository } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/**
 * An officer retries a partially completed request: only the stores that failed run again, in a
 * new execution that goes straight to the stores; finished stores are never redone.
 */
export async function retryRequest(
  deps: Pick<Dependencies, 'workflow' | 'now'> & { requests: Pick<RequestRepository, 'get' | 'transition'> },
  requestId: string,
  officerId: string,
): Promise<DsrRequest> {
  const request = await deps.requests.get(requestId);
  if (!request) throw new RequestNotFoundError(`Request ${requestId} does not exist`);
  if (request.status !== 'partially_completed')
    throw new ConflictError(`Request ${requestId} is ${request.status}; only a partially completed request can be retried`);
  const failed = (request.storeOutcomes ?? []).filter((outcome) => outcome.status === 'failed').map((outcome) => outcome.storeId);
  const attempt = request.events.filter((event) => event.action === 'retried').length + 1;
  const at = deps.now().toISOString();
  const retried = await deps.requests.transition(requestId, 'in_progress', {
    // The status condition alone would also let pending_approval through: a retry needs a partial result.
    require: [{ attribute: 'status', equals: 'partially_completed' }],
    event: {
      at,
      actor: 'officer',
      actorId: officerId,
      action: 'retried',
      from: 'partially_completed',
      to: 'in_progress',
      detail: `attempt ${attempt}: ${failed.join(', ')}`,
    },
  });
  try {
    await deps.workflow.start({ requestId, type: request.type, stores: failed, phase: 'retry' }, `${requestId}-retry-${attempt}`);
  } catch (error) {
    // No run started: back to partially_completed, so the request waits for the next retry
    // instead of sitting in_progress with no workflow (and refusing every retry).
    await deps.requests.transition(requestId, 'partially_completed', {
      require: [{ attribute: 'status', equals: 'in_progress' }],
      event: {
        at: deps.now().toISOString(),
        actor: 'system',
        action: 'retry_not_started',
        from: 'in_progress',
        to: 'partially_completed',
        detail: `attempt ${attempt}: the workflow could not be started`,
      },
    });
    throw error;
  }
  return publicView(retried);
}
