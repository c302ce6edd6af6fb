import type { DsrRequest } from './request.ts';

/**
 * GDPR Art. 12(5): a controller may refuse, or charge for, requests that are manifestly excessive,
 * "in particular because of their repetitive character", and must be able to show it. We never
 * decide that: we count and flag, and an officer weighs it with the history in front of them.
 */
export const repeatedRequestsWindowDays = 365;

/** Other requests from the same mailbox, confirmed by it, received within the last year. */
export function confirmedRequestsInLastYear(history: readonly DsrRequest[], requestId: string, now: Date): number {
  const since = now.getTime() - repeatedRequestsWindowDays * 86_400_000;
  return history.filter((other) => other.requestId !== requestId && other.verifiedAt !== undefined && Date.parse(other.receivedAt) >= since).length;
}

/** Whether the officer should weigh the request as a repeated one: `flagAt` or more others in a year (0 turns the flag off). */
export function isRepeatedRequest(history: readonly DsrRequest[], requestId: string, now: Date, flagAt: number): boolean {
  return flagAt > 0 && confirmedRequestsInLastYear(history, requestId, now) >= flagAt;
}
