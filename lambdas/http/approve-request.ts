import { approveRequest } from '../use-cases/decide-request.ts';
import { now, requests, taskCallbacks, workflow } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

export const handler = httpHandler(async (event) => {
  const officer = requireOfficer(event);
  return json(
    200,
    await approveRequest({ requests: requests(), taskCallbacks: taskCallbacks(), workflow: workflow(), now }, pathParameter(event, 'id'), officer.id),
  );
});
