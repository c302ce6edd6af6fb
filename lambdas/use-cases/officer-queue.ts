import { InvalidEmailError, parseEmailAddress } from '../domain/email-address.ts';
import { InvalidCursorError, ValidationError } from '../domain/errors.ts';
import { decodeCursor, encodeCursor } from '../domain/paging-cursor.ts';
import type { DsrRequest } from '../domain/request.ts';
import { isRequestStatus, requestStatuses, unfinishedStatuses, type RequestStatus } from '../domain/status.ts';
import type { Dependencies } from '../ports/dependencies.ts';

export const maxQueuePageSize = 100;

export interface QueuePage {
  readonly requests: DsrRequest[];
  /** Where the next page starts; absent on the last page. */
  readonly nextCursor?: string;
}

/** The index order: due date, then id (the status index sorts by `<dueAt>#<id>`). */
const byDueDate = (a: DsrRequest, b: DsrRequest) => a.dueAt.localeCompare(b.dueAt) || a.requestId.localeCompare(b.requestId);

/**
 * One page of the officers' queue over several statuses, earliest due first. Each status's index
 * is read from where the previous page left it; the page takes the earliest `limit` of what came
 * back, and the cursor records, per status, the position after its last request on the page (or
 * where its read had got to, when the page took all of it). A status missing from a cursor is done.
 */
export async function queuePage(
  deps: Pick<Dependencies, 'requests'>,
  statuses: readonly RequestStatus[],
  options: { limit?: number; cursor?: string } = {},
): Promise<QueuePage> {
  const limit = Math.min(Math.max(options.limit ?? maxQueuePageSize, 1), maxQueuePageSize);
  const positions = options.cursor === undefined ? new Map(statuses.map((status) => [status, ''])) : decodeQueueCursor(options.cursor, statuses);
  const reads = await Promise.all(
    [...positions].map(async ([status, position]) => ({
      status,
      position,
      page: await deps.requests.listByStatus(status, { limit, ...(position ? { cursor: position } : {}) }),
    })),
  );
  const page = reads
    .flatMap((read) => read.page.items)
    .sort(byDueDate)
    .slice(0, limit);

  const next = new Map<RequestStatus, string>();
  for (const { status, position, page: read } of reads) {
    const taken = page.filter((request) => request.status === status);
    if (taken.length < read.items.length) next.set(status, taken.length ? deps.requests.cursorAfter(taken.at(-1)!) : position);
    else if (read.nextCursor) next.set(status, read.nextCursor);
  }
  return { requests: page, ...(next.size ? { nextCursor: encodeQueueCursor(next) } : {}) };
}

const encodeQueueCursor = (positions: ReadonlyMap<RequestStatus, string>): string => encodeCursor(Object.fromEntries(positions));

function decodeQueueCursor(cursor: string, statuses: readonly RequestStatus[]): Map<RequestStatus, string> {
  const entries = Object.entries(decodeCursor(cursor));
  if (!entries.every(([status, position]) => isRequestStatus(status) && statuses.includes(status) && typeof position === 'string')) {
    throw new InvalidCursorError('cursor belongs to another status filter: ask for the first page again');
  }
  return new Map(entries as [RequestStatus, string][]);
}

/** What an officer asks of the queue: the API's query string, unchecked. */
export interface QueueQuery {
  readonly status?: string;
  readonly email?: string;
  readonly cursor?: string;
  readonly limit?: string;
}

/**
 * The queue, earliest due first: `status` (one or a comma-separated list; by default every
 * unfinished status), pages of `limit` (at most 100) continued with the answer's `nextCursor`.
 * With `email`, one requester's requests instead, newest first, in every status unless `status`
 * narrows them.
 */
export async function officerQueue(
  deps: Pick<Dependencies, 'requests'>,
  query: QueueQuery,
): Promise<{ requests: DsrRequest[]; truncated: boolean; nextCursor?: string }> {
  const requested = query.status?.split(',').filter(Boolean);
  const invalid = requested?.find((status) => !isRequestStatus(status));
  if (invalid) throw new ValidationError(`status must be one of: ${requestStatuses.join(', ')}`, [{ path: 'status', message: `"${invalid}" is not a status` }]);
  if (query.email !== undefined) {
    const history = await deps.requests.listByRequester(canonicalOf(query.email), { limit: 100 });
    const inStatus = (request: DsrRequest) => !requested || requested.includes(request.status);
    return { requests: history.items.filter(inStatus), truncated: history.truncated };
  }
  const statuses = (requested as RequestStatus[] | undefined) ?? unfinishedStatuses;
  const page = await queuePage(deps, statuses, { ...(query.cursor ? { cursor: query.cursor } : {}), limit: pageSizeOf(query.limit) });
  return { requests: page.requests, truncated: page.nextCursor !== undefined, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

function pageSizeOf(limit: string | undefined): number {
  if (limit === undefined) return maxQueuePageSize;
  const size = Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > maxQueuePageSize)
    throw new ValidationError(`limit must be a whole number from 1 to ${maxQueuePageSize}`, [
      { path: 'limit', message: `a whole number from 1 to ${maxQueuePageSize}` },
    ]);
  return size;
}

function canonicalOf(email: string): string {
  try {
    return parseEmailAddress(email).canonical;
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new ValidationError(`email: ${error.message}`, [{ path: 'email', message: error.message }]);
    throw error;
  }
}
