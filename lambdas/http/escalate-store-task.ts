import { escalateStoreTask } from '../use-cases/escalate-store-task.ts';
import { catalog, now, requests, storeTasks } from '../composition/dependencies.ts';
import { declaredStore } from '../domain/store-catalog.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * `POST /admin/requests/{id}/stores/{storeId}/escalate {reason}`: an officer takes a processor's
 * unanswered task over by hand. 400 without a reason of 10 to 1000 characters; 409 unless the
 * store is a processor whose task is waiting and not yet escalated.
 */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const requestId = pathParameter(event, 'id');
    const store = declaredStore(catalog, event.pathParameters?.storeId);
    return json(200, await escalateStoreTask({ requests: requests(), storeTasks: storeTasks(), now }, requestId, store, officer.id, event.body));
  },
  { jsonBody: true },
);
