import { isRequestStatus, requestStatuses, type RequestStatus } from '../domain/status.ts';
import { requests } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, requireOfficer } from '../shared/http.ts';

/** The queue: `?status=` (one or a comma-separated list; default every open and in-flight status), earliest due first. */
const defaultStatuses: RequestStatus[] = ['pending_approval', 'partially_completed', 'in_progress', 'pending_verification', 'submitted'];

export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const requested = event.queryStringParameters?.status?.split(',').filter(Boolean);
  const invalid = requested?.find((status) => !isRequestStatus(status));
  if (invalid) throw new HttpError(400, `status must be one of: ${requestStatuses.join(', ')}`);
  const statuses = (requested as RequestStatus[] | undefined) ?? defaultStatuses;
  const pages = await Promise.all(statuses.map((status) => requests().listByStatus(status, { limit: 100 })));
  const queue = pages.flatMap((page) => page.items).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return json(200, { requests: queue, truncated: pages.some((page) => page.nextCursor !== undefined) });
});
