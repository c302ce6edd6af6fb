import { InvalidEmailError, parseEmailAddress } from '../domain/email-address.ts';
import type { DsrRequest } from '../domain/request.ts';
import { isRequestStatus, requestStatuses, type RequestStatus } from '../domain/status.ts';
import { requests } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, requireOfficer } from '../shared/http.ts';

/** What the queue shows without `?status=`: every open and in-flight status. */
const defaultStatuses: RequestStatus[] = ['pending_approval', 'partially_completed', 'in_progress', 'pending_verification', 'submitted'];

/**
 * The queue, earliest due first: `?status=` (one or a comma-separated list). With `?email=`, one
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
  const pages = await Promise.all(statuses.map((status) => requests().listByStatus(status, { limit: 100 })));
  const queue = pages.flatMap((page) => page.items).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return json(200, { requests: queue, truncated: pages.some((page) => page.nextCursor !== undefined) });
});

function canonicalOf(email: string): string {
  try {
    return parseEmailAddress(email).canonical;
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new HttpError(400, `email: ${error.message}`);
    throw error;
  }
}
