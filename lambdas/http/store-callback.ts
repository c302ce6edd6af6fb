import { z } from 'zod';
import { issuesOf } from '../domain/validation.ts';
import { webhookResultsSchema } from '../domain/webhook-results.ts';
import { resolveWebhookSecret } from '../adapters/connectors/webhook-connector.ts';
import { signatureHeader, verifyWebhookSignature } from '../domain/webhook-signature.ts';
import type { StoreTaskResult } from '../ports/store-task-repository.ts';
import { collectedKey } from '../domain/object-keys.ts';
import { catalog, objects, storeTasks, taskCallbacks } from '../shared/dependencies.ts';
import { storeLocations } from '../shared/config.ts';
import { HttpError, httpHandler, json, type HttpEvent } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { completeStoreTask } from '../use-cases/complete-store-task.ts';

/**
 * `POST /callbacks/{storeId}`: a processor's signed, asynchronous answer to a webhook request.
 * The signature is checked over the exact raw body before anything is parsed; the first valid
 * answer settles the store's task and resumes the workflow, a replay gets 409.
 *
 * Body: `{ "request_id": "req_...", "store_id"?: "<storeId>", "request_status": "completed" | "failed",
 *          "results"?: { "matched"?, "updated"?, "deleted"?, "anonymized"?, "retained"?, "remaining"?, "records"?: [...] },
 *          "reason"?: "..." }`
 */

/** Larger than other routes' limit: an access answer may carry the records it found. */
const maxCallbackBytes = 1024 * 1024;
/** A processor's reason is shown to officers; bounded so it cannot carry a dump. */
const maxReasonLength = 500;

const callbackSchema = z.object({
  request_id: z.string().regex(/^req_[A-Za-z0-9_-]{10,64}$/, 'request_id must be one of our request ids'),
  store_id: z.string().optional(),
  request_status: z.enum(['completed', 'failed']),
  results: webhookResultsSchema.optional(),
  reason: z.string().max(maxReasonLength).optional(),
});
type Callback = z.infer<typeof callbackSchema>;

function rawBodyOf(event: HttpEvent): string {
  if (typeof event.body !== 'string' || event.body.length === 0) throw new HttpError(400, 'A JSON body is required');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > maxCallbackBytes) throw new HttpError(413, `The body is larger than ${maxCallbackBytes} bytes`);
  return raw;
}

/** Counts only: records (if an access answer carries them) never reach the task or the workflow. */
function toResult(callback: Callback): StoreTaskResult {
  if (callback.request_status === 'failed') {
    return { status: 'failed', error: callback.reason?.trim() || 'The processor reported that it could not complete the request' };
  }
  const results = callback.results ?? {};
  const counts = {
    recordCount: results.records?.length ?? results.matched,
    updated: results.updated,
    deleted: results.deleted,
    anonymized: results.anonymized,
    retained: results.retained,
    remaining: results.remaining,
  };
  return { status: 'succeeded', ...Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== undefined)) };
}

export const handler = httpHandler(async (event) => {
  const storeId = event.pathParameters?.storeId;
  const store = catalog.stores.find((candidate) => candidate.id === storeId);
  if (!store || store.kind !== 'webhook') throw new HttpError(404, 'No such store');
  const raw = rawBodyOf(event);

  const secret = await resolveWebhookSecret(store, storeLocations()[store.id]);
  if (!verifyWebhookSignature(secret, raw, event.headers[signatureHeader], Math.floor(Date.now() / 1000))) {
    logger.warn('Callback signature refused', { storeId: store.id });
    throw new HttpError(401, 'Missing or invalid signature');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
  const checked = callbackSchema.safeParse(parsed);
  if (!checked.success) {
    const issues = issuesOf(checked.error);
    throw new HttpError(400, `The callback is malformed: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues });
  }
  const callback = checked.data;
  if (callback.store_id !== undefined && callback.store_id !== store.id) throw new HttpError(400, 'store_id does not match the callback URL');

  logger.appendKeys({ requestId: callback.request_id });
  // An asynchronous access answer carries the records: they join the others in the private bucket.
  if (callback.request_status === 'completed' && callback.results?.records) {
    const task = await storeTasks().get(callback.request_id, store.id);
    if (task?.action === 'collect' && task.status === 'waiting') {
      await objects().putJson(collectedKey(callback.request_id, store.id), { storeId: store.id, records: callback.results.records });
    }
  }
  await completeStoreTask({ storeTasks: storeTasks(), taskCallbacks: taskCallbacks() }, callback.request_id, store.id, toResult(callback));
  logger.info('Store callback settled the task', { storeId: store.id, status: callback.request_status });
  return json(200, { received: true });
}, { maxBodyBytes: maxCallbackBytes });
