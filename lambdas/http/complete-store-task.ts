import { validationErrorFrom } from '../domain/validation.ts';
import { completeStoreTaskByOfficer, parseOfficerCompletion } from '../use-cases/complete-store-task.ts';
import { catalog, now, requests, storeTasks, taskCallbacks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * An officer marks a manual system's task done (or failed) with an internal note, and optionally a
 * message to the requester (shown in the closing mail as written); the workflow goes on. A
 * processor's task only after `.../escalate`: it is then recorded as done by hand (409 before).
 */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const requestId = pathParameter(event, 'id');
    const storeId = event.pathParameters?.storeId ?? '';
    const store = catalog.stores.find((candidate) => candidate.id === storeId);
    if (!store) throw new HttpError(404, 'No such store');
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
