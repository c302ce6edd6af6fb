/**
 * The one status set of a data-subject request and the transitions allowed between them. The
 * repository turns this table into conditional writes (`statusesAllowedBefore`), so the stored
 * status can only ever move along these arrows. The browser code gets the same sets from
 * lambdas/web/request-statuses.js, generated from this file.
 */
export const requestStatuses = [
  'submitted',
  'pending_verification',
  'pending_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'expired',
  'rejected',
  'cancelled',
] as const;

export type RequestStatus = (typeof requestStatuses)[number];

const allowedTransitions: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['pending_verification', 'cancelled'],
  pending_verification: ['pending_approval', 'expired', 'cancelled'],
  pending_approval: ['in_progress', 'rejected', 'cancelled', 'expired'],
  in_progress: ['completed', 'partially_completed'],
  partially_completed: ['in_progress'],
  completed: [],
  expired: [],
  rejected: [],
  cancelled: [],
};

/** Before any store work: the requester can still cancel. */
export const notStartedStatuses: readonly RequestStatus[] = ['submitted', 'pending_verification', 'pending_approval'];

/** Not yet answered: the statutory clock runs (not started, being carried out, or a partial run waiting for a retry). */
export const unfinishedStatuses: readonly RequestStatus[] = [...notStartedStatuses, 'in_progress', 'partially_completed'];

export function isRequestStatus(value: unknown): value is RequestStatus {
  return typeof value === 'string' && (requestStatuses as readonly string[]).includes(value);
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/** The statuses a request may be in for a move to `to` to be legal. */
export function statusesAllowedBefore(to: RequestStatus): RequestStatus[] {
  return requestStatuses.filter((from) => canTransition(from, to));
}

export function isTerminal(status: RequestStatus): boolean {
  return allowedTransitions[status].length === 0;
}

/** The statuses a request never leaves: completed, expired, rejected, cancelled. */
export const terminalStatuses: readonly RequestStatus[] = requestStatuses.filter(isTerminal);
