import { ConflictError, RequestCancelledError } from '../domain/errors.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/**
 * The requester may cancel at any moment, also between a workflow task's read and its write. These
 * are the one way a task tells that race from a real conflict.
 */

/** The error a workflow task fails with for a cancelled request: the state machine catches it by name. */
export const cancelledByRequester = (requestId: string, cause?: unknown): RequestCancelledError =>
  new RequestCancelledError(`Request ${requestId} was cancelled by the requester`, cause === undefined ? undefined : { cause });

/** Whether a failed write lost to the requester's cancellation: a conflict, and the request is now cancelled. */
export async function lostToCancellation(deps: Pick<Dependencies, 'requests'>, requestId: string, error: unknown): Promise<boolean> {
  return error instanceof ConflictError && (await deps.requests.get(requestId))?.status === 'cancelled';
}
