import { z } from 'zod';
import { validationErrorFrom } from '../domain/validation.ts';
import { completeStoreTaskByOfficer } from '../use-cases/complete-store-task.ts';
import { catalog, now, requests, storeTasks, taskCallbacks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

const completion = z.strictObject({
  outcome: z.enum(['done', 'failed']).default('done'),
  note: z.string().trim().min(3, 'a note of at least 3 characters says what was done').max(2000),
  recordCount: z.number().int().min(0).optional(),
});

/**
 * An officer marks a manual system's task done (or failed) with a note; the workflow goes on. A
 * processor's task only after `.../escalate`: it is then recorded as done by hand (409 before).
 */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const requestId = pathParameter(event, 'id');
    const storeId = event.pathParameters?.storeId ?? '';
    const store = catalog.stores.find((candidate) => candidate.id === storeId);
    if (!store) throw new HttpError(404, 'No such store');
    const parsed = completion.safeParse(event.body);
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
