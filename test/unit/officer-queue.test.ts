import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../lambdas/domain/errors.ts';
import type { DsrRequest } from '../../lambdas/domain/request.ts';
import type { RequestStatus } from '../../lambdas/domain/status.ts';
import type { RequestPage, RequestRepository } from '../../lambdas/ports/request-repository.ts';
import { queuePage } from '../../lambdas/use-cases/officer-queue.ts';

const indexKey = (request: Pick<DsrRequest, 'dueAt' | 'requestId'>) => `${request.dueAt}#${request.requestId}`;

/** The status index as DynamoDB keeps it: sorted by `<dueAt>#<id>`, pages of `limit`, a cursor whenever a page is full. */
function statusIndex(stored: readonly DsrRequest[]): Pick<RequestRepository, 'listByStatus' | 'cursorAfter'> & { reads: number } {
  const index = {
    reads: 0,
    async listByStatus(status: RequestStatus, options: { limit?: number; cursor?: string } = {}): Promise<RequestPage> {
      index.reads += 1;
      const after = options.cursor ? (JSON.parse(options.cursor) as { after: string }).after : '';
      const items = stored.filter((request) => request.status === status && indexKey(request) > after).sort((a, b) => indexKey(a).localeCompare(indexKey(b)));
      const page = items.slice(0, options.limit ?? 50);
      return { items: page, ...(page.length === (options.limit ?? 50) ? { nextCursor: JSON.stringify({ after: indexKey(page.at(-1)!) }) } : {}) };
    },
    cursorAfter: (request: DsrRequest) => JSON.stringify({ after: indexKey(request) }),
  };
  return index;
}

const request = (requestId: string, status: RequestStatus, dueAt: string) => ({ requestId, status, dueAt }) as DsrRequest;

async function allPages(repository: Pick<RequestRepository, 'listByStatus' | 'cursorAfter'>, statuses: RequestStatus[], limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await queuePage({ requests: repository as RequestRepository }, statuses, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page.requests.map((item) => item.requestId));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 1000);
  return pages;
}

describe('the officer queue, page by page', () => {
  const statuses: RequestStatus[] = ['pending_approval', 'in_progress', 'partially_completed'];

  it('merges the statuses earliest due first, and the next page goes on where this one stopped', async () => {
    const stored = [
      request('a', 'pending_approval', '2026-12-01'),
      request('b', 'in_progress', '2026-12-02'),
      request('c', 'pending_approval', '2026-12-03'),
      request('d', 'partially_completed', '2026-12-04'),
      request('e', 'in_progress', '2026-12-05'),
    ];
    expect(await allPages(statusIndex(stored), statuses, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(await allPages(statusIndex(stored), statuses, 100)).toEqual([['a', 'b', 'c', 'd', 'e']]);
  });

  it('lists every request exactly once, in due order, whatever the page size (fast-check)', async () => {
    const arbitraryRequest = fc.record({
      status: fc.constantFrom(...statuses),
      // Few distinct dates, so ties (broken by id, as the index does) are common.
      dueAt: fc.constantFrom('2026-12-01', '2026-12-02', '2026-12-03'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryRequest, { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), async (drawn, limit) => {
        const stored = drawn.map((item, index) => request(`req_${String(index).padStart(3, '0')}`, item.status, item.dueAt));
        const pages = await allPages(statusIndex(stored), statuses, limit);
        const expected = [...stored].sort((a, b) => indexKey(a).localeCompare(indexKey(b))).map((item) => item.requestId);
        expect(pages.flat()).toEqual(expected);
        expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      }),
      { seed: 20261123, numRuns: 200 },
    );
  });

  it('refuses a cursor it did not give out, or one given for other statuses', async () => {
    const repository = statusIndex([]) as unknown as RequestRepository;
    await expect(queuePage({ requests: repository }, statuses, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
    const forOther = Buffer.from(JSON.stringify({ rejected: '' })).toString('base64url');
    await expect(queuePage({ requests: repository }, statuses, { cursor: forOther })).rejects.toThrow(/another status filter/);
  });
});
