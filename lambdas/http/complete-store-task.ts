import { z } from 'zod';
import { validationErrorFrom } from '../domain/validation.ts';
import { completeStoreTask } from '../use-cases/complete-store-task.ts';
import { catalog, now, requests, storeTasks, taskCallbacks } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

const completion = z.strictObject({
  outcome: z.enum(['done', 'failed']).default('done'),
  note: z.string().trim().min(3, 'a note of at least 3 characters says what was done').max(2000),
  recordCount: z.number().int().min(0).optional(),
});

/** An officer marks a manual system's task done (or failed) with a note; the workflow goes on. */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const requestId = pathParameter(event, 'id');
    const storeId = event.pathParameters?.storeId ?? '';
    const store = catalog.stores.find((candidate) => candidate.id === storeId);
    if (!store) throw new HttpError(404, 'No such store');
    const parsed = completion.safeParse(event.body);
    if (!parsed.success) throw validationErrorFrom(parsed.error);
    const { outcome, note, recordCount } = parsed.data;
    const task = await storeTasks().get(requestId, store.id);
    if (task?.status !== 'waiting') throw new HttpError(409, `Store ${store.id} is not waiting for an officer on this request`);
    // Recorded before the workflow resumes: once resumed, the request may settle at once.
    await requests().update(requestId, 'in_progress', {
      event: { at: now().toISOString(), actor: 'officer', actorId: officer.id, action: `store_${outcome}`, detail: store.id },
    });
    await completeStoreTask(
      { storeTasks: storeTasks(), taskCallbacks: taskCallbacks() },
      requestId,
      store.id,
      outcome === 'done' ? { status: 'succeeded', note, ...(recordCount !== undefined ? { recordCount } : {}) } : { status: 'failed', error: note },
    );
    return json(200, { requestId, storeId: store.id, outcome });
  },
  { jsonBody: true },
);
