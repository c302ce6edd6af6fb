import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestIdHeader, signatureHeader, signWebhook, verifyWebhookSignature } from '../../lambdas/domain/webhook-signature.ts';

/**
 * "Example CRM Inc.": a small local processor speaking the webhook protocol of
 * lambdas/adapters/connectors/webhook-connector.ts, so the local stack and the tests exercise a
 * real HTTP exchange (signatures, 202 then callback, outages). It keeps its own copy of fictional
 * contacts, listens on loopback only, and calls back only to loopback URLs.
 */
export interface PartnerContact {
  contact_id: string;
  customer_id: string | null;
  email: string;
  full_name: string;
  phone: string;
  company: string;
  job_title: string;
  marketing_consent: boolean;
  notes: string;
}

/** `hold`: a processor that acknowledges and then does not answer, until `release()`. */
export type PartnerMode = 'sync' | 'async' | 'hold';

export interface PartnerCrm {
  /** Where the connector posts requests (DSR_PARTNER_CRM_URL). */
  readonly url: string;
  stop(): Promise<void>;
  /** A copy of the contacts as the partner holds them now. */
  contacts(): PartnerContact[];
  /** `async`: answer 202 and post the result to `callback_url` shortly after; `hold`: answer 202 and keep the answer. */
  setMode(mode: PartnerMode): void;
  /** Does the work held in `hold` mode now and posts each answer; resolves with each callback's HTTP status (0: not delivered). */
  release(): Promise<number[]>;
  /** The next `n` requests answer 503, as in an outage. */
  failNext(n: number): void;
  /** Request ids of the signed requests received, oldest first (the last 1,000). */
  received(): string[];
  /** Resolves once every callback already scheduled has been delivered or given up. */
  settled(): Promise<void>;
}

export interface PartnerCrmOptions {
  readonly port?: number;
  /** Verifies incoming requests. */
  readonly secret: string;
  /** Signs callbacks; the same key as `secret` unless told otherwise. */
  readonly callbackSecret?: string;
  /** Delay before an asynchronous answer is posted back. */
  readonly callbackDelayMs?: number;
}

export const partnerCrmSeed: readonly PartnerContact[] = [
  {
    contact_id: 'CRM-0001',
    customer_id: 'C-1001',
    email: 'jane.doe@example.com',
    full_name: 'Jane Doe',
    phone: '+44 20 7946 0958',
    company: 'Example Ltd',
    job_title: 'Product Manager',
    marketing_consent: true,
    notes: 'Met at the Example Expo booth; interested in the team plan.',
  },
  {
    contact_id: 'CRM-0002',
    customer_id: 'C-1003',
    email: 'amira.haddad@example.net',
    full_name: 'Amira Haddad',
    phone: '+33 1 23 45 67 89',
    company: 'Exemple SARL',
    job_title: 'Designer',
    marketing_consent: true,
    notes: 'Asked for a design-tools demo.',
  },
  {
    contact_id: 'CRM-0003',
    customer_id: 'C-1004',
    email: 'lukas.muller@example.com',
    full_name: 'Lukas Müller',
    phone: '+49 30 901820',
    company: 'Beispiel GmbH',
    job_title: 'Analyst',
    marketing_consent: false,
    notes: 'Prefers contact in German.',
  },
];

/** The fields a rectification may change, and the ones an objection may set. */
const correctableFields = new Set(['full_name', 'phone', 'company', 'job_title']);
const optOutFields = new Set(['marketing_consent']);
const requestTypes = new Set(['access', 'rectification', 'erasure', 'objection', 'erasure_verification']);

const maxBodyBytes = 64 * 1024;
const maxReceived = 1_000;
const maxPendingCallbacks = 100;
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

interface PartnerRequest {
  readonly request_id: string;
  readonly store_id?: string;
  readonly subject_request_type: string;
  readonly identities: { readonly email?: string; readonly customer_id?: string };
  readonly corrections?: readonly { readonly field: string; readonly value: unknown }[];
  readonly opt_out?: Readonly<Record<string, unknown>>;
  readonly callback_url?: string;
}

type Answer = { readonly request_status: 'completed'; readonly results?: Record<string, unknown>; readonly remaining?: number };

export async function startPartnerCrm(options: PartnerCrmOptions): Promise<PartnerCrm> {
  const { secret } = options;
  const callbackSecret = options.callbackSecret ?? secret;
  const callbackDelayMs = options.callbackDelayMs ?? 50;
  let contacts: PartnerContact[] = partnerCrmSeed.map((contact) => ({ ...contact }));
  let mode: PartnerMode = 'sync';
  let failures = 0;
  const receivedIds: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const deliveries = new Set<Promise<unknown>>();
  const held: { readonly request: PartnerRequest; readonly callbackUrl: string }[] = [];
  let stopped = false;
  // Cancels callbacks in flight, so stop() never waits for a slow or dead receiver.
  const stopping = new AbortController();

  const matches = (identities: PartnerRequest['identities']) => (contact: PartnerContact) =>
    (identities.customer_id !== undefined && contact.customer_id === identities.customer_id) ||
    (identities.email !== undefined && contact.email.toLowerCase() === identities.email.toLowerCase());

  function perform(request: PartnerRequest): Answer {
    const isSubject = matches(request.identities);
    const found = contacts.filter(isSubject);
    switch (request.subject_request_type) {
      case 'access':
        return { request_status: 'completed', results: { matched: found.length, records: found.map((contact) => ({ ...contact })) } };
      case 'rectification': {
        // Fields this CRM does not hold are ignored, as the catalog's mapping promises.
        const changes = (request.corrections ?? []).filter(({ field, value }) => correctableFields.has(field) && typeof value === 'string');
        return { request_status: 'completed', results: { matched: found.length, updated: applyChanges(found, changes) } };
      }
      case 'erasure':
        contacts = contacts.filter((contact) => !isSubject(contact));
        return { request_status: 'completed', results: { matched: found.length, deleted: found.length } };
      case 'objection': {
        const changes = Object.entries(request.opt_out ?? {})
          .filter(([field, value]) => optOutFields.has(field) && typeof value === 'boolean')
          .map(([field, value]) => ({ field, value }));
        return { request_status: 'completed', results: { matched: found.length, updated: applyChanges(found, changes) } };
      }
      default: // erasure_verification
        return { request_status: 'completed', remaining: found.length };
    }
  }

  function scheduleCallback(request: PartnerRequest, callbackUrl: string): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      // The work happens when the processor gets to it, not when it acknowledged the request.
      const answer = perform(request);
      const delivery = deliverCallback(callbackUrl, { request_id: request.request_id, store_id: request.store_id, ...answer }).finally(() =>
        deliveries.delete(delivery),
      );
      deliveries.add(delivery);
    }, callbackDelayMs);
    timers.add(timer);
  }

  /** The receiver's last HTTP status, 0 when it never answered. */
  async function deliverCallback(callbackUrl: string, payload: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify(payload);
    let status = 0;
    // A few attempts with a short backoff, like a real processor; a 4xx (replay, bad signature) is final.
    for (let attempt = 0; attempt < 3 && !stopped; attempt += 1) {
      try {
        const response = await fetch(callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            [signatureHeader]: signWebhook(callbackSecret, body, Math.floor(Date.now() / 1000)),
            [requestIdHeader]: String(payload.request_id),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(5_000), stopping.signal]),
        });
        await response.body?.cancel();
        status = response.status;
        if (response.status < 500) return status;
      } catch {
        // network error or timeout: try again
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
    return status;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/dsr') return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    if (failures > 0) {
      failures -= 1;
      req.resume();
      return send(res, 503, { error: 'temporarily unavailable' });
    }
    const raw = await readBody(req);
    if (raw === undefined) return send(res, 413, { error: 'body too large' });
    const header = req.headers[signatureHeader];
    if (!verifyWebhookSignature(secret, raw, typeof header === 'string' ? header : undefined, Math.floor(Date.now() / 1000))) {
      return send(res, 401, { error: 'invalid signature' });
    }
    let request: PartnerRequest;
    try {
      request = JSON.parse(raw) as PartnerRequest;
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    const problem = validate(request);
    if (problem) return send(res, 400, { error: problem });
    receivedIds.push(request.request_id);
    if (receivedIds.length > maxReceived) receivedIds.shift();

    // A re-check is a read: always answered on the spot.
    if (mode !== 'sync' && request.subject_request_type !== 'erasure_verification') {
      const callbackUrl = request.callback_url;
      if (!callbackUrl || !isLoopbackUrl(callbackUrl)) return send(res, 400, { error: 'callback_url must be a loopback http(s) URL' });
      if (timers.size + deliveries.size + held.length >= maxPendingCallbacks) return send(res, 503, { error: 'too many pending requests' });
      if (mode === 'hold') held.push({ request, callbackUrl });
      else scheduleCallback(request, callbackUrl);
      return send(res, 202, { request_status: 'pending' });
    }
    return send(res, 200, perform(request));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Bounded: few connections, short timeouts.
  server.maxConnections = 64;
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/dsr`,
    async stop() {
      stopped = true;
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      held.length = 0;
      await Promise.allSettled([...deliveries]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    contacts: () => contacts.map((contact) => ({ ...contact })),
    setMode(next) {
      mode = next;
    },
    failNext(n) {
      failures = Math.max(0, Math.floor(n));
    },
    received: () => [...receivedIds],
    async release() {
      // The work happens now, when the processor finally gets to it.
      return Promise.all(
        held
          .splice(0)
          .map(({ request, callbackUrl }) => deliverCallback(callbackUrl, { request_id: request.request_id, store_id: request.store_id, ...perform(request) })),
      );
    },
    async settled() {
      while (timers.size > 0 || deliveries.size > 0) {
        await Promise.allSettled([...deliveries]);
        if (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

function validate(request: PartnerRequest): string | undefined {
  if (typeof request !== 'object' || request === null) return 'body must be an object';
  if ((request as { api_version?: unknown }).api_version !== '2.0') return 'api_version must be "2.0"';
  if (typeof request.request_id !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(request.request_id)) return 'request_id is missing or malformed';
  if (!requestTypes.has(request.subject_request_type)) return 'subject_request_type is not supported';
  const identities = request.identities as unknown;
  if (typeof identities !== 'object' || identities === null) return 'identities are required';
  const { email, customer_id: customerId } = request.identities;
  if (email === undefined && customerId === undefined) return 'identities need an email or a customer_id';
  if (email !== undefined && (typeof email !== 'string' || email.length > 254 || !/^[^@\s]+@[^@\s]+$/.test(email)))
    return 'identities.email is not an email address';
  if (customerId !== undefined && (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > 100))
    return 'identities.customer_id is malformed';
  if (request.subject_request_type === 'rectification' && !Array.isArray(request.corrections)) return 'corrections are required for rectification';
  if (request.subject_request_type === 'objection' && (typeof request.opt_out !== 'object' || request.opt_out === null))
    return 'opt_out is required for objection';
  return undefined;
}

function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopbackHosts.has(url.hostname);
  } catch {
    return false;
  }
}

/** Undefined when the body is over the limit; the rest is drained so the 413 can still be sent. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** Sets each field on each contact; counts the contacts that actually changed (0 on a repeat). */
function applyChanges(found: readonly PartnerContact[], changes: readonly { field: string; value: unknown }[]): number {
  let updated = 0;
  for (const contact of found) {
    const record = contact as unknown as Record<string, unknown>;
    let changed = false;
    for (const { field, value } of changes) {
      if (record[field] !== value) {
        record[field] = value;
        changed = true;
      }
    }
    if (changed) updated += 1;
  }
  return updated;
}
