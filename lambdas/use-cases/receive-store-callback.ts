import { z } from 'zod';
import { SignatureRefusedError, UnknownStoreError, ValidationError } from '../domain/errors.ts';
import { collectedKey } from '../domain/object-keys.ts';
import type { StoreCatalog, WebhookStore } from '../domain/store-catalog.ts';
import { issuesOf } from '../domain/validation.ts';
import { webhookResultsSchema } from '../domain/webhook-results.ts';
import { verifyWebhookSignature } from '../domain/webhook-signature.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import type { StoreTaskResult } from '../ports/store-task-repository.ts';
import { completeStoreTask } from './complete-store-task.ts';

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

export interface CallbackDeps extends Pick<Dependencies, 'storeTasks' | 'taskCallbacks' | 'objects' | 'now'> {
  readonly catalog: StoreCatalog;
  /** The store's shared signing key (Secrets Manager in AWS). */
  readonly webhookSecret: (store: WebhookStore) => Promise<string>;
}

/**
 * A processor's signed, asynchronous answer to a webhook request. The signature is checked over
 * the exact raw body before anything is parsed; the first valid answer settles the store's task
 * and resumes the workflow, a replay is a conflict.
 *
 * Body: `{ "request_id": "req_...", "store_id"?: "<storeId>", "request_status": "completed" | "failed",
 *          "results"?: { "matched"?, "updated"?, "deleted"?, "anonymized"?, "retained"?, "remaining"?, "records"?: [...] },
 *          "reason"?: "..." }`
 */
export async function receiveStoreCallback(
  deps: CallbackDeps,
  storeId: string | undefined,
  rawBody: () => string,
  signature: string | undefined,
): Promise<{ requestId: string; storeId: string; status: Callback['request_status'] }> {
  const store = deps.catalog.stores.find((candidate) => candidate.id === storeId);
  if (store?.kind !== 'webhook') throw new UnknownStoreError(`No webhook store ${storeId}`);
  const raw = rawBody();
  const secret = await deps.webhookSecret(store);
  if (!verifyWebhookSignature(secret, raw, signature, Math.floor(deps.now().getTime() / 1000)))
    throw new SignatureRefusedError(`Callback for ${store.id}: signature refused`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError('The body is not valid JSON');
  }
  const checked = callbackSchema.safeParse(parsed);
  if (!checked.success) {
    const issues = issuesOf(checked.error);
    throw new ValidationError(`The callback is malformed: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues);
  }
  const callback = checked.data;
  if (callback.store_id !== undefined && callback.store_id !== store.id) throw new ValidationError('store_id does not match the callback URL');

  // An asynchronous access answer's records join the others in the private bucket (none is an
  // empty list): also when it comes before the store's own run has marked the task waiting.
  if (callback.request_status === 'completed') {
    const task = await deps.storeTasks.get(callback.request_id, store.id);
    if (task?.action === 'collect' && (task.status === 'waiting' || task.status === 'running')) {
      await deps.objects.putJson(collectedKey(callback.request_id, store.id), { storeId: store.id, records: callback.results?.records ?? [] });
    }
  }
  await completeStoreTask(deps, callback.request_id, store.id, resultOf(callback));
  return { requestId: callback.request_id, storeId: store.id, status: callback.request_status };
}

/** Counts only: records (if an access answer carries them) never reach the task or the workflow. */
function resultOf(callback: Callback): StoreTaskResult {
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
