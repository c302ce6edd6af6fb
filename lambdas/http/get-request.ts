import { catalog, requests, storeTasks } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';
import { requestDetail } from '../use-cases/request-detail.ts';

/** `GET /admin/requests/{id}`: one request as an officer sees it (use-cases/request-detail.ts). */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  return json(200, await requestDetail({ requests: requests(), storeTasks: storeTasks(), catalog }, pathParameter(event, 'id')));
});
