import { publicView } from '../ports/request-repository.ts';
import { catalog, requests, storeTasks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/** One request as an officer sees it: status, audit trail, and each store's progress and kind (never task tokens). */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const requestId = pathParameter(event, 'id');
  const [request, tasks] = await Promise.all([requests().get(requestId), storeTasks().list(requestId)]);
  if (!request) throw new HttpError(404, 'No such request');
  const kindOf = (storeId: string) => catalog.stores.find((store) => store.id === storeId)?.kind;
  return json(200, { ...publicView(request), storeTasks: tasks.map(({ taskToken: _taskToken, ...task }) => ({ ...task, storeKind: kindOf(task.storeId) })) });
});
