import { validationErrorFrom } from '../domain/validation.ts';
import { completeStoreTaskByOfficer, parseOfficerCompletion } from '../use-cases/complete-store-task.ts';
import { catalog, now, requests, storeTasks, taskCallbacks } from '../composition/dependencies.ts';
import { declaredStore } from '../domain/store-catalog.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * An officer marks a manual system's task done (or failed) with an internal note, and optionally a
 * message to the requester (shown in the closing mail as written); the workflow goes on. A
 * processor's task only after `.../escalate`: it is then recorded as done by hand (409 before).
 */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const requestId = pathParameter(event, 'id');
    const store = declaredStore(catalog, event.pathParameters?.storeId);
    const parsed = parseOfficerCompletion(event.body);
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const { byHand } = await completeStoreTaskByOfficer(
      { requests: requests(), storeTasks: storeTasks(), taskCallbacks: taskCallbacks(), now },
      requestId,
      store,
      officer.id,
      parsed.data,
    );
    return json(200, { requestId, storeId: store.id, outcome: parsed.data.outcome, ...(byHand ? { completedBy: 'officer' } : {}) });
  },
  { jsonBody: true },
);
