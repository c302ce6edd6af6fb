/**
 * The one status set of a data-subject request and the transitions allowed between them.
 * Every status write goes through `assertTransition`, and the repository turns the same table
 * into conditional writes, so the stored status can only ever move along these arrows.
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

export const openStatuses: readonly RequestStatus[] = ['submitted', 'pending_verification', 'pending_approval'];


/** Statuses in which the statutory clock runs: open, or being carried out (a partial run waits for a retry). */
export const clockRunningStatuses: readonly RequestStatus[] = [...openStatuses, 'in_progress', 'partially_completed'];

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

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`A request cannot move from ${from} to ${to}`);
  }
}

export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
