import { retryRequest } from '../use-cases/retry-request.ts';
import { now, requests, workflow } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

export const handler = httpHandler(async (event) => {
  const officer = requireOfficer(event);
  return json(200, await retryRequest({ requests: requests(), workflow: workflow(), now }, pathParameter(event, 'id'), officer.id));
});
