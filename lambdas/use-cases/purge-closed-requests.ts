import { closedStatuses, isPastRetention, retentionCutoff } from '../domain/retention.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';

export interface RetentionRun {
  /** Closed requests due before the cutoff that were looked at. */
  readonly checked: number;
  /** Requests deleted, with their store tasks and history pointers. */
  readonly purged: number;
  readonly cutoff?: string;
}

/**
 * The scheduled retention run (hourly in AWS, a timer locally): deletes the records of requests
 * closed, and due, more than `retentionDays` ago (`domain/retention.ts`): store tasks, history
 * pointer, then the request. Each status's queue is
 * read only up to the cutoff, so a run costs little once the backlog is gone. Safe to run twice at
 * once: every delete is conditional, and a request already gone counts as purged. 0 keeps everything.
 */
export async function purgeClosedRequests(deps: Pick<Dependencies, 'requests' | 'storeTasks' | 'now'>, retentionDays: number): Promise<RetentionRun> {
  if (retentionDays <= 0) return { checked: 0, purged: 0 };
  const cutoff = retentionCutoff(deps.now(), retentionDays);
  const since = cutoff.toISOString();
  let checked = 0;
  let purged = 0;
  for (const status of closedStatuses) {
    let cursor: string | undefined;
    do {
      const page = await deps.requests.listByStatus(status, { limit: 100, dueBefore: since, ...(cursor ? { cursor } : {}) });
      for (const request of page.items) {
        checked += 1;
        if (!isPastRetention(request, cutoff)) continue;
        // The request goes last: a run that stops midway leaves it, and the next run finishes.
        await deps.storeTasks.removeAll(request.requestId);
        if (await deps.requests.purge(request, closedStatuses, since)) purged += 1;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  // Counts only: the records are gone, and their ids say nothing once they are.
  logger.info('Retention run', { retentionDays, cutoff: since, checked, purged });
  return { checked, purged, cutoff: since };
}
