import { InvalidEmailError, parseEmailAddress } from '../domain/email-address.ts';
import type { DsrRequest } from '../domain/request.ts';
import { isRequestStatus, requestStatuses, type RequestStatus } from '../domain/status.ts';
import { requests } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, requireOfficer } from '../shared/http.ts';
import { maxQueuePageSize, queuePage } from '../use-cases/officer-queue.ts';

/** What the queue shows without `?status=`: every open and in-flight status. */
const defaultStatuses: RequestStatus[] = ['pending_approval', 'partially_completed', 'in_progress', 'pending_verification', 'submitted'];

/**
 * The queue, earliest due first: `?status=` (one or a comma-separated list), pages of `?limit=`
 * (at most 100) continued with the answer's `nextCursor` as `?cursor=`. With `?email=`, one
 * requester's requests instead, newest first, in every status unless `?status=` narrows them.
 */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const requested = event.queryStringParameters?.status?.split(',').filter(Boolean);
  const invalid = requested?.find((status) => !isRequestStatus(status));
  if (invalid) throw new HttpError(400, `status must be one of: ${requestStatuses.join(', ')}`);
  const email = event.queryStringParameters?.email;
  if (email !== undefined) {
    const history = await requests().listByRequester(canonicalOf(email), { limit: 100 });
    const inStatus = (request: DsrRequest) => !requested || requested.includes(request.status);
    return json(200, { requests: history.items.filter(inStatus), truncated: history.truncated });
  }
  const statuses = (requested as RequestStatus[] | undefined) ?? defaultStatuses;
  const { cursor, limit } = event.queryStringParameters ?? {};
  const page = await queuePage({ requests: requests() }, statuses, { ...(cursor ? { cursor } : {}), limit: pageSizeOf(limit) });
  return json(200, { requests: page.requests, truncated: page.nextCursor !== undefined, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

function pageSizeOf(limit: string | undefined): number {
  if (limit === undefined) return maxQueuePageSize;
  const size = Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > maxQueuePageSize) throw new HttpError(400, `limit must be a whole number from 1 to ${maxQueuePageSize}`);
  return size;
}

function canonicalOf(email: string): string {
  try {
    return parseEmailAddress(email).canonical;
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new HttpError(400, `email: ${error.message}`);
    throw error;
  }
}
