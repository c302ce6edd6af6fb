import { ConflictError, errorNameOf, ParkedTaskClosedError, RequestRejectedError, ValidationError } from '../domain/errors.ts';
import type { DsrRequest } from '../domain/request.ts';
import { publicView, type RequestRepository } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/** The part of the request repository a decision uses. */
type RequestReads = { readonly requests: Pick<RequestRepository, 'get' | 'transition'> };

const notReady = 'The request is still being prepared for approval; try again in a moment.';

/**
 * An officer approves: the workflow resumes into execution across the stores. Only a request
 * waiting for a decision is approved; anything else is a ConflictError that writes nothing.
 */
export async function approveRequest(
  deps: Pick<Dependencies, 'taskCallbacks' | 'workflow' | 'now'> & RequestReads,
  requestId: string,
  officerId: string,
): Promise<DsrRequest> {
  const now = deps.now().toISOString();
  const approved = await deps.requests
    .transition(requestId, 'in_progress', {
      // The table also lets partially_completed become in_progress (a retry), and such a request
      // still holds its long-closed approval token: only a request waiting for a decision is approved.
      require: [
        { attribute: 'status', equals: 'pending_approval' },
        { attribute: 'approvalTaskToken', exists: true },
      ],
      set: { approvedAt: now },
      event: { at: now, actor: 'officer', actorId: officerId, action: 'approved', from: 'pending_approval', to: 'in_progress' },
    })
    .catch((error: unknown) => rethrowNotReady(deps, requestId, error));
  try {
    await deps.taskCallbacks.resume(approved.approvalTaskToken!, { approved: true });
  } catch (error) {
    if (!(error instanceof ParkedTaskClosedError)) throw error;
    // The approval window closed as the officer approved: the decision stands, and a run of its
    // own carries it out, or the request would sit in_progress with no workflow at all.
    await deps.workflow.start({ requestId, type: approved.type, stores: approved.storeIds ?? [], phase: 'retry' }, `${requestId}-approved`);
  }
  return publicView(approved);
}

/** An officer rejects with a reason; the requester is told the reason and their rights. */
export async function rejectRequest(
  deps: Pick<Dependencies, 'taskCallbacks' | 'now'> & RequestReads,
  requestId: string,
  officerId: string,
  body: unknown,
): Promise<DsrRequest> {
  const reason = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
  if (typeof reason !== 'string' || reason.trim().length < 3 || reason.length > 2000) {
    throw new ValidationError('reason: a rejection needs a reason of 3 to 2000 characters', [
      { path: 'reason', message: 'a rejection needs a reason of 3 to 2000 characters' },
    ]);
  }
  const now = deps.now().toISOString();
  const rejected = await deps.requests
    .transition(requestId, 'rejected', {
      require: [{ attribute: 'approvalTaskToken', exists: true }],
      set: { rejectionReason: reason.trim(), rejectedAt: now },
      event: { at: now, actor: 'officer', actorId: officerId, action: 'rejected', from: 'pending_approval', to: 'rejected' },
    })
    .catch((error: unknown) => rethrowNotReady(deps, requestId, error));
  await deps.taskCallbacks.fail(rejected.approvalTaskToken!, errorNameOf(RequestRejectedError), 'Rejected by a privacy officer');
  return publicView(rejected);
}

async function rethrowNotReady(deps: RequestReads, requestId: string, error: unknown): Promise<never> {
  if (error instanceof ConflictError) {
    const current = await deps.requests.get(requestId);
    // Still pending approval means the task token was not stored when we wrote (it may be by now).
    if (current?.status === 'pending_approval') throw new ConflictError(notReady, { cause: error });
    if (current)
      throw new ConflictError(
        `Request ${requestId} is ${current.status}; only a request waiting for a decision (pending_approval) can be approved or rejected`,
        { cause: error },
      );
  }
  throw error;
}
