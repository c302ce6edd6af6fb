import { requests } from '../composition/dependencies.ts';
import { httpHandler, json, requireOfficer } from '../shared/http.ts';
import { officerQueue } from '../use-cases/officer-queue.ts';

/** `GET /admin/requests?status=&limit=&cursor=` or `?email=`: the officers' queue (use-cases/officer-queue.ts). */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  return json(200, await officerQueue({ requests: requests() }, event.queryStringParameters ?? {}));
});
