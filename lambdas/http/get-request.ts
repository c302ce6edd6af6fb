import { publicView } from '../ports/request-repository.ts';
import { catalog, requests, storeTasks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * One request as an officer sees it: status, audit trail, each store's progress and kind (never
 * task tokens), and the other requests from the same mailbox, newest first, to weigh a repetitive one.
 */
export const handler = httpHandler(async (event) => {
  requireOfficer(event);
  const requestId = pathParameter(event, 'id');
  const [request, tasks] = await Promise.all([requests().get(requestId), storeTasks().list(requestId)]);
  if (!request) throw new HttpError(404, 'No such request');
  const history = await requests().listByRequester(request.emailCanonical, { limit: 21 });
  const others = history.items.filter((other) => other.requestId !== requestId);
  const otherRequests = others
    .slice(0, 20)
    .map(({ requestId: id, type, status, receivedAt, dueAt, completedAt }) => ({ requestId: id, type, status, receivedAt, dueAt, ...(completedAt ? { completedAt } : {}) }));
  const storeOf = (storeId: string) => catalog.stores.find((store) => store.id === storeId);
  return json(200, {
    ...publicView(request),
    storeTasks: tasks.map(({ taskToken: _taskToken, ...task }) => ({ ...task, storeKind: storeOf(task.storeId)?.kind, storeName: storeOf(task.storeId)?.name })),
    otherRequests,
    otherRequestsTruncated: history.truncated || others.length > 20,
  });
});
