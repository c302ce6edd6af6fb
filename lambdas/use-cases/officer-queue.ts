import { InvalidCursorError } from '../domain/errors.ts';
import type { DsrRequest } from '../domain/request.ts';
import { isRequestStatus, type RequestStatus } from '../domain/status.ts';
import type { Dependencies } from '../shared/dependencies.ts';

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
export async function queuePage(deps: Pick<Dependencies, 'requests'>, statuses: readonly RequestStatus[], options: { limit?: number; cursor?: string } = {}): Promise<QueuePage> {
  const limit = Math.min(Math.max(options.limit ?? maxQueuePageSize, 1), maxQueuePageSize);
  const positions = options.cursor === undefined ? new Map(statuses.map((status) => [status, ''])) : decodeQueueCursor(options.cursor, statuses);
  const reads = await Promise.all(
    [...positions].map(async ([status, position]) => ({ status, position, page: await deps.requests.listByStatus(status, { limit, ...(position ? { cursor: position } : {}) }) })),
  );
  const page = reads.flatMap((read) => read.page.items).sort(byDueDate).slice(0, limit);

  const next = new Map<RequestStatus, string>();
  for (const { status, position, page: read } of reads) {
    const taken = page.filter((request) => request.status === status);
    if (taken.length < read.items.length) next.set(status, taken.length ? deps.requests.cursorAfter(taken.at(-1)!) : position);
    else if (read.nextCursor) next.set(status, read.nextCursor);
  }
  return { requests: page, ...(next.size ? { nextCursor: encodeQueueCursor(next) } : {}) };
}

function encodeQueueCursor(positions: ReadonlyMap<RequestStatus, string>): string {
  return Buffer.from(JSON.stringify(Object.fromEntries(positions)), 'utf8').toString('base64url');
}

function decodeQueueCursor(cursor: string, statuses: readonly RequestStatus[]): Map<RequestStatus, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API gave out');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new InvalidCursorError('cursor is not one this API gave out');
  const entries = Object.entries(decoded);
  if (!entries.every(([status, position]) => isRequestStatus(status) && statuses.includes(status) && typeof position === 'string')) {
    throw new InvalidCursorError('cursor belongs to another status filter: ask for the first page again');
  }
  return new Map(entries as [RequestStatus, string][]);
}
