import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import { previewRequest } from '../use-cases/preview-request.ts';
import { connectorFor } from '../shared/connectors.ts';
import { catalog, requests } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/** `GET /admin/requests/{id}/preview`: what approving will do in each store, from a read-only dry run. */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  try {
    return json(200, await previewRequest({ requests: requests(), catalog, connectorFor }, pathParameter(event, 'id')));
  } catch (error) {
    if (error instanceof RequestNotFoundError) throw new HttpError(404, 'No such request');
    if (error instanceof ConflictError) throw new HttpError(409, error.message);
    throw error;
  }
});
