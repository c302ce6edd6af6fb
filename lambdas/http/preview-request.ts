import { connectorFor } from '../composition/connectors.ts';
import { catalog, requests } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';
import { previewRequest } from '../use-cases/preview-request.ts';

/** `GET /admin/requests/{id}/preview`: what approving will do in each store, from a read-only dry run (404 unknown, 409 not awaiting a decision). */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  return json(200, await previewRequest({ requests: requests(), catalog, connectorFor }, pathParameter(event, 'id')));
});
