import type { DsrRequest } from './request.ts';
import { terminalStatuses } from './status.ts';

/**
 * How long we keep the record of a request once it is closed: the proof that we answered (GDPR
 * Art. 5(2) accountability, CCPA's 24-month record-keeping) without keeping the requester's data
 * forever (Art. 5(1)(e)). Three years by default, then the request, its store tasks and its
 * history pointer are deleted.
 */
export const defaultRecordRetentionDays = 1095;

/** Only requests in a status they never leave are ever purged. */
export const closedStatuses = terminalStatuses;

/** Records that closed, and fell due, before this instant are past retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

/**
 * A closed request is past retention once both its last change and its due date are older than the
 * cutoff (the due date bounds the search: the queue index is sorted by it). A request closed early
 * is kept until its due date has aged too, at most the statutory period longer.
 */
export function isPastRetention(request: Pick<DsrRequest, 'status' | 'updatedAt' | 'dueAt'>, cutoff: Date): boolean {
  const at = cutoff.getTime();
  return closedStatuses.includes(request.status) && Date.parse(request.updatedAt) < at && Date.parse(request.dueAt) < at;
}
