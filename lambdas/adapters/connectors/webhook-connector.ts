import { z } from 'zod';
import { readSecret } from '../secrets-manager.ts';
import { webhookCountSchema, webhookResultsSchema } from '../../domain/webhook-results.ts';
import { StoreConfigurationError, StoreUnavailableError } from '../../domain/errors.ts';
import type { Correction } from '../../domain/request.ts';
import type { WebhookStore } from '../../domain/store-catalog.ts';
import { quotableText } from '../../domain/untrusted-text.ts';
import { requestIdHeader, signatureHeader, signWebhook } from '../../domain/webhook-signature.ts';
import type { AmendResult, AttributeChange, CollectResult, EraseResult, Pending, StoreConnector, Subject, VerifyResult } from '../../ports/store-connector.ts';
import { asStoreError } from './store-errors.ts';

/**
 * A third-party processor reached over HTTPS (OpenDSR v2 field names where they fit). Requests are
 * signed JSON POSTs; the processor answers at once (200) or later (202, then a signed POST to
 * `callback_url`, handled by lambdas/http/store-callback.ts).
 *
 * Request body (only these fields, never more):
 * ```
 * { "api_version": "2.0", "request_id": "req_...", "store_id": "crm-partner",
 *   "subject_request_type": "access" | "rectification" | "erasure" | "objection" | "erasure_verification",
 *   "submitted_time": "<ISO 8601>",
 *   "identities": { "email"?: "...", "customer_id"?: "..." },
 *   "corrections"?: [{ "field": "<partner field>", "value": ... }],   // rectification only
 *   "opt_out"?: { "<partner field>": <value> },                       // objection only
 *   "callback_url"?: "https://.../callbacks/<store_id>" }              // all but erasure_verification
 * ```
 * Headers: `content-type: application/json; charset=utf-8`, `x-dsr-signature: t=..,v1=..`,
 * `x-dsr-request-id: req_...`.
 */
export const webhookApiVersion = '2.0';

export type SubjectRequestType = 'access' | 'rectification' | 'erasure' | 'objection' | 'erasure_verification';

/**
 * The subject keys a processor is told, under their wire names. Other identities the organisation
 * resolved stay in-house: a processor gets only what it needs to find the person (minimisation).
 */
const wireIdentities: Readonly<Record<string, string>> = { email: 'email', customerId: 'customer_id' };

export interface WebhookConnectorOptions {
  /**
   * The processor's URL, or how to find it when the connector first calls: a function that only
   * builds a connector without calling (a preview) needs no endpoint in its environment.
   */
  readonly endpoint: string | (() => string);
  /** The shared HMAC key, resolved on each call (it is cached by `resolveWebhookSecret`). */
  readonly secret: () => Promise<string>;
  /** Where the processor posts its asynchronous answer: `<public base url>/callbacks/<store id>`. */
  readonly callbackUrl: string;
  readonly fetch?: typeof fetch;
  /** Per-request limit, connecting and reading the answer included. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

const defaultTimeoutMs = 10_000;
/** Largest answer read; an access answer with more records than this is a processor we must talk to. */
const maxAnswerBytes = 5 * 1024 * 1024;

const completedAnswer = z.object({
  request_status: z.literal('completed'),
  results: webhookResultsSchema.optional(),
  remaining: webhookCountSchema.optional(),
});
type CompletedAnswer = z.infer<typeof completedAnswer>;

type Outcome = { readonly kind: 'completed'; readonly answer: CompletedAnswer } | { readonly kind: 'pending' };

export class WebhookConnector implements StoreConnector {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: WebhookStore,
    private readonly options: WebhookConnectorOptions,
  ) {
    if (typeof options.endpoint === 'string') assertSafeEndpoint(store.id, options.endpoint);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.now = options.now ?? (() => new Date());
  }

  async collect(subject: Subject): Promise<CollectResult | Pending> {
    const outcome = await this.send('access', subject);
    if (outcome.kind === 'pending') return this.pending();
    return { records: outcome.answer.results?.records ?? [] };
  }

  /** The processor gets the store's own attribute names (`changes`), not the requester's field names. */
  async amend(subject: Subject, changes: readonly AttributeChange[], _corrections: readonly Correction[] = []): Promise<AmendResult | Pending> {
    // Nothing this processor holds is being corrected: telling it anyway would only disclose the request.
    if (changes.length === 0) return { matched: 0, updated: 0 };
    // The processor stores and shows these values as if from us: only quotable text leaves (domain/untrusted-text.ts).
    const corrections = changes.map((change) => ({
      field: change.attribute,
      value: typeof change.value === 'string' ? quotableText(change.value) : change.value,
    }));
    const outcome = await this.send('rectification', subject, { corrections });
    if (outcome.kind === 'pending') return this.pending();
    return { matched: outcome.answer.results?.matched ?? 0, updated: outcome.answer.results?.updated ?? 0 };
  }

  async erase(subject: Subject): Promise<EraseResult | Pending> {
    const outcome = await this.send('erasure', subject);
    if (outcome.kind === 'pending') return this.pending();
    const results = outcome.answer.results ?? {};
    return { matched: results.matched ?? 0, deleted: results.deleted ?? 0, anonymized: results.anonymized ?? 0, retained: results.retained ?? 0 };
  }

  /** The processor re-checks and answers synchronously: there is no task to park for a re-check. */
  async verifyErased(subject: Subject): Promise<VerifyResult> {
    const outcome = await this.send('erasure_verification', subject);
    if (outcome.kind === 'pending') {
      throw new StoreConfigurationError(`Store ${this.store.id} must answer erasure_verification synchronously (it answered 202)`);
    }
    const remaining = outcome.answer.remaining ?? outcome.answer.results?.remaining;
    if (remaining === undefined) throw new StoreConfigurationError(`Store ${this.store.id} answered erasure_verification without "remaining"`);
    return { remaining };
  }

  /** Objection to direct marketing (GDPR Art. 21): the processor records the store's opt-out values. */
  async optOut(subject: Subject): Promise<AmendResult | Pending> {
    const optOut = this.store.marketingOptOut;
    if (!optOut || Object.keys(optOut).length === 0) throw new StoreConfigurationError(`Store ${this.store.id} declares no marketingOptOut values`);
    const outcome = await this.send('objection', subject, { opt_out: { ...optOut } });
    if (outcome.kind === 'pending') return this.pending();
    return { matched: outcome.answer.results?.matched ?? 0, updated: outcome.answer.results?.updated ?? 0 };
  }

  private pending(): Pending {
    return { pending: true, note: `Waiting for ${this.store.name} to confirm` };
  }

  private async send(type: SubjectRequestType, subject: Subject, extra: Record<string, unknown> = {}): Promise<Outcome> {
    const identities = identitiesOf(subject);
    if (Object.keys(identities).length === 0) throw new StoreConfigurationError(`Store ${this.store.id}: the subject has no identity this processor can use`);
    const body = JSON.stringify({
      api_version: webhookApiVersion,
      request_id: subject.requestId,
      store_id: this.store.id,
      subject_request_type: type,
      submitted_time: this.now().toISOString(),
      identities,
      ...extra,
      // A re-check is answered on the spot, so the processor is not invited to call back.
      ...(type === 'erasure_verification' ? {} : { callback_url: this.options.callbackUrl }),
    });
    // A missing or unsafe endpoint is a configuration error, never retried as an unavailable processor.
    const endpoint = typeof this.options.endpoint === 'string' ? this.options.endpoint : this.options.endpoint();
    const secret = await this.options.secret();
    const signature = signWebhook(secret, body, Math.floor(this.now().getTime() / 1000));

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          [signatureHeader]: signature,
          [requestIdHeader]: subject.requestId,
        },
        body,
        // A redirect would resend personal data to wherever the answer points: refuse to follow.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await readBounded(response, maxAnswerBytes);
    } catch (error) {
      if (error instanceof StoreConfigurationError) throw error;
      // Timeouts, refused connections, resets, DNS: all may pass, so the state machine retries.
      const name = error instanceof Error ? error.name : 'UnknownError';
      throw new StoreUnavailableError(
        `Store ${this.store.id} did not answer ${type}: ${name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : name}`,
        { cause: error },
      );
    }

    const status = response.status;
    if (status === 202) return { kind: 'pending' };
    // 408 and 429 say "later", not "wrong": they are retried like 5xx.
    if (status >= 500 || status === 408 || status === 429) throw new StoreUnavailableError(`Store ${this.store.id} answered ${type} with HTTP ${status}`);
    if (status < 200 || status >= 300) throw new StoreConfigurationError(`Store ${this.store.id} refused ${type} with HTTP ${status}`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StoreConfigurationError(`Store ${this.store.id} answered ${type} with HTTP ${status} but no JSON body`);
    }
    if ((parsed as { request_status?: unknown } | null)?.request_status === 'pending') return { kind: 'pending' };
    if ((parsed as { request_status?: unknown } | null)?.request_status === 'failed') {
      // The processor's reason may quote the person: it is not copied into the error.
      throw new StoreConfigurationError(`Store ${this.store.id} reported that ${type} failed`);
    }
    const answer = completedAnswer.safeParse(parsed);
    if (!answer.success) {
      const where = answer.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
      throw new StoreConfigurationError(`Store ${this.store.id} answered ${type} in an unexpected shape (${where})`);
    }
    return { kind: 'completed', answer: answer.data };
  }
}

/** The first value of each identity the processor may be told, under its wire name. */
function identitiesOf(subject: Subject): Record<string, string> {
  const identities: Record<string, string> = {};
  for (const [name, wireName] of Object.entries(wireIdentities)) {
    const value = subject.keys[name]?.find((candidate) => candidate.length > 0);
    if (value) identities[wireName] = value;
  }
  return identities;
}

async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel();
    throw new StoreConfigurationError(`The answer is larger than ${limit} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new StoreConfigurationError(`The answer is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Personal data leaves only over TLS; plain HTTP is allowed to this machine, for the local stack. */
function assertSafeEndpoint(storeId: string, endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StoreConfigurationError(`Store ${storeId}: the endpoint is not a valid URL`);
  }
  const loopback = loopbackHosts.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new StoreConfigurationError(`Store ${storeId}: the endpoint must use https (plain http only to localhost)`);
  }
  if (url.username || url.password) throw new StoreConfigurationError(`Store ${storeId}: the endpoint must not carry credentials; use the signing secret`);
}

/** The endpoint as declared, or read from the environment variable the store names. */
export function resolveWebhookEndpoint(store: WebhookStore): string {
  const endpoint = typeof store.endpoint === 'string' ? store.endpoint : process.env[store.endpoint.env];
  if (!endpoint) {
    const variable = typeof store.endpoint === 'string' ? undefined : store.endpoint.env;
    throw new StoreConfigurationError(`Store ${store.id}: no endpoint${variable ? `; set the environment variable ${variable}` : ''}`);
  }
  assertSafeEndpoint(store.id, endpoint);
  return endpoint;
}

/** `crm-partner` → `DSR_SECRET_CRM_PARTNER`: how the local stack hands a store its key. */
export function webhookSecretEnvName(storeId: string): string {
  return `DSR_SECRET_${storeId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * The store's shared HMAC key: `DSR_SECRET_<STORE_ID>` when set (the local stack), otherwise the
 * Secrets Manager secret `secretId` (the deployment's location for the store: a demo store's
 * generated secret ARN; else the catalog's `secretName`), cached per container for a few minutes.
 */
export async function resolveWebhookSecret(store: WebhookStore, secretId: string = store.secretName): Promise<string> {
  const fromEnv = process.env[webhookSecretEnvName(store.id)];
  if (fromEnv) return fromEnv;
  return readSecret(secretId, (cause) =>
    cause === undefined ? new StoreConfigurationError(`Store ${store.id}: secret ${secretId} has no string value`) : asStoreError(store.id, cause),
  );
}
