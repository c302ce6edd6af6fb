import { publicView } from '../ports/request-repository.ts';
import { requests } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const request = await requests().get(pathParameter(event, 'id'));
  if (!request) throw new HttpError(404, 'No such request');
  return json(200, publicView(request));
});
