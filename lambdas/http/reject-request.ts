import { rejectRequest } from '../use-cases/decide-request.ts';
import { now, requests, taskCallbacks } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    return json(200, await rejectRequest({ requests: requests(), taskCallbacks: taskCallbacks(), now }, pathParameter(event, 'id'), officer.id, event.body));
  },
  { jsonBody: true },
);
