import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import {
  resolveWebhookEndpoint,
  resolveWebhookSecret,
  WebhookConnector,
  type WebhookConnectorOptions,
} from '../../lambdas/adapters/connectors/webhook-connector.ts';
import { StoreConfigurationError, StoreUnavailableError } from '../../lambdas/domain/errors.ts';
import type { WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { newRequestId } from '../../lambdas/domain/tokens.ts';
import { requestIdHeader, signatureHeader, verifyWebhookSignature } from '../../lambdas/domain/webhook-signature.ts';
import type { Subject } from '../../lambdas/ports/store-connector.ts';
import { startPartnerCrm, type PartnerCrm } from '../../lib/local/partner-crm-service.ts';

process.env.AWS_REGION ??= 'us-east-1';

const store = storeCatalog.stores.find((candidate) => candidate.id === 'crm-partner') as WebhookStore;
const secret = 'test-partner-secret-0123456789';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const subjectOf = (keys: Subject['keys']): Subject => ({ requestId: newRequestId(), keys });
const jane = () => subjectOf({ email: ['jane.doe@example.com'], customerId: ['C-1001'] });

/** Personal data of the fictional subject that must never show in an error message. */
const personal = /jane|doe|C-1001|example\.com|not-an-email/i;

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

// Stands in for POST /callbacks/{storeId}: records what the partner posts back.
const callbacks: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    callbacks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  });
});
// Accepts connections and never answers.
const silent = createServer(() => {});
let callbackUrl: string;
let silentUrl: string;
let partner: PartnerCrm;

beforeAll(async () => {
  callbackUrl = `${await listen(receiver)}/callbacks/crm-partner`;
  silentUrl = `${await listen(silent)}/dsr`;
});
afterAll(async () => {
  await close(receiver);
  await close(silent);
});
beforeEach(async () => {
  callbacks.length = 0;
  partner = await startPartnerCrm({ secret });
});
afterEach(async () => {
  await partner.stop();
});

const connector = (overrides: Partial<WebhookConnectorOptions> = {}) =>
  new WebhookConnector(store, { endpoint: partner.url, secret: async () => secret, callbackUrl, ...overrides });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('WebhookConnector against the partner CRM (sync)', () => {
  it("access: returns the subject's contacts only, matched by customer id or email", async () => {
    const subject = jane();
    const result = await connector().collect(subject);
    expect(result).toEqual({
      records: [expect.objectContaining({ customer_id: 'C-1001', email: 'jane.doe@example.com', full_name: 'Jane Doe', marketing_consent: true })],
    });
    expect(partner.received()).toEqual([subject.requestId]);

    const byEmail = await connector().collect(subjectOf({ email: ['Jane.Doe@example.com'] }));
    expect(byEmail).toEqual({ records: [expect.objectContaining({ customer_id: 'C-1001' })] });
    const nobody = await connector().collect(subjectOf({ email: ['nobody@example.com'] }));
    expect(nobody).toEqual({ records: [] });
  });

  it('rectification: changes only the mapped fields sent, and is idempotent', async () => {
    const changes = [
      { attribute: 'full_name', value: 'Jane Q. Doe' },
      { attribute: 'job_title', value: 'Head of Product' },
    ];
    expect(await connector().amend(jane(), changes, [])).toEqual({ matched: 1, updated: 1 });
    const after = partner.contacts().find((contact) => contact.customer_id === 'C-1001')!;
    expect(after).toMatchObject({ full_name: 'Jane Q. Doe', job_title: 'Head of Product', phone: '+44 20 7946 0958', company: 'Example Ltd' });
    expect(await connector().amend(jane(), changes, [])).toEqual({ matched: 1, updated: 0 });
    // Bystanders are untouched.
    expect(partner.contacts().find((contact) => contact.customer_id === 'C-1003')!.full_name).toBe('Amira Haddad');
  });

  it('rectification with nothing this processor holds sends nothing', async () => {
    expect(await connector().amend(jane(), [], [])).toEqual({ matched: 0, updated: 0 });
    expect(partner.received()).toEqual([]);
  });

  it("erasure deletes the subject's contacts once, and verification reports what remains", async () => {
    expect(await connector().verifyErased(jane())).toEqual({ remaining: 1 });
    expect(await connector().erase(jane())).toEqual({ matched: 1, deleted: 1, anonymized: 0, retained: 0 });
    expect(partner.contacts().map((contact) => contact.customer_id)).toEqual(['C-1003', 'C-1004']);
    expect(await connector().erase(jane())).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    expect(await connector().verifyErased(jane())).toEqual({ remaining: 0 });
  });

  it("objection records the store's opt-out values", async () => {
    expect(await connector().optOut(jane())).toEqual({ matched: 1, updated: 1 });
    expect(partner.contacts().find((contact) => contact.customer_id === 'C-1001')!.marketing_consent).toBe(false);
    expect(await connector().optOut(jane())).toEqual({ matched: 1, updated: 0 });
  });
});

describe('WebhookConnector against the partner CRM (async)', () => {
  it('answers Pending on 202, then the partner posts a signed result to callback_url', async () => {
    partner.setMode('async');
    const subject = jane();
    expect(await connector().erase(subject)).toEqual({ pending: true, note: `Waiting for ${store.name} to confirm` });
    await partner.settled();
    expect(callbacks).toHaveLength(1);
    const [callback] = callbacks;
    expect(verifyWebhookSignature(secret, callback!.body, callback!.headers[signatureHeader] as string, nowSeconds())).toBe(true);
    expect(callback!.headers[requestIdHeader]).toBe(subject.requestId);
    expect(JSON.parse(callback!.body)).toEqual({
      request_id: subject.requestId,
      store_id: 'crm-partner',
      request_status: 'completed',
      results: { matched: 1, deleted: 1 },
    });
    expect(partner.contacts().some((contact) => contact.customer_id === 'C-1001')).toBe(false);
    // A re-check is always answered on the spot.
    expect(await connector().verifyErased(subject)).toEqual({ remaining: 0 });
  });

  it('access, rectification and objection are pending too', async () => {
    partner.setMode('async');
    expect(await connector().collect(jane())).toMatchObject({ pending: true });
    expect(await connector().amend(jane(), [{ attribute: 'phone', value: '+44 20 7946 0000' }], [])).toMatchObject({ pending: true });
    expect(await connector().optOut(jane())).toMatchObject({ pending: true });
    await partner.settled();
    expect(callbacks.map((callback) => JSON.parse(callback.body).results)).toEqual(
      expect.arrayContaining([expect.objectContaining({ records: [expect.objectContaining({ customer_id: 'C-1001' })] }), { matched: 1, updated: 1 }]),
    );
  });
});

describe('WebhookConnector errors', () => {
  it('503 → StoreUnavailableError (retried), and the next call succeeds', async () => {
    partner.failNext(1);
    const error = await failure(connector().erase(jane()));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.name).toBe('StoreUnavailableError');
    expect(error.message).toMatch(/HTTP 503/);
    expect(await connector().erase(jane())).toMatchObject({ deleted: 1 });
  });

  it('400 → StoreConfigurationError (not retried), without personal data in the message', async () => {
    const error = await failure(connector().collect(subjectOf({ email: ['not-an-email'] })));
    expect(error).toBeInstanceOf(StoreConfigurationError);
    expect(error.message).toMatch(/HTTP 400/);
    expect(error.message).not.toMatch(personal);
  });

  it('a wrong secret → the partner answers 401 → StoreConfigurationError', async () => {
    const error = await failure(connector({ secret: async () => 'not-the-shared-secret' }).erase(jane()));
    expect(error).toBeInstanceOf(StoreConfigurationError);
    expect(error.message).toMatch(/HTTP 401/);
    expect(partner.contacts()).toHaveLength(3);
  });

  it('no answer in time → StoreUnavailableError', async () => {
    const started = Date.now();
    const error = await failure(connector({ endpoint: silentUrl, timeoutMs: 150 }).erase(jane()));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).toMatch(/no answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a refused connection → StoreUnavailableError', async () => {
    const closed = createServer();
    const url = `${await listen(closed)}/dsr`;
    await close(closed);
    const error = await failure(connector({ endpoint: url }).collect(jane()));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.message).not.toMatch(personal);
  });

  it('does not follow redirects; 429 is retried; a malformed or failed answer is a configuration error', async () => {
    const answering = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const calls: RequestInit[] = [];
      const fake = (async (_url: string, init: RequestInit) => {
        calls.push(init);
        return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
      }) as unknown as typeof fetch;
      return { fake, calls };
    };
    const redirect = answering(307, undefined, { location: 'https://elsewhere.example.net/' });
    expect(await failure(connector({ fetch: redirect.fake }).erase(jane()))).toBeInstanceOf(StoreConfigurationError);
    expect(redirect.calls[0]!.redirect).toBe('manual');
    expect(await failure(connector({ fetch: answering(429, {}).fake }).erase(jane()))).toBeInstanceOf(StoreUnavailableError);
    expect(await failure(connector({ fetch: answering(200, { request_status: 'completed', results: { deleted: -1 } }).fake }).erase(jane()))).toBeInstanceOf(
      StoreConfigurationError,
    );
    const failed = await failure(
      connector({ fetch: answering(200, { request_status: 'failed', reason: 'jane.doe@example.com is locked' }).fake }).erase(jane()),
    );
    expect(failed).toBeInstanceOf(StoreConfigurationError);
    expect(failed.message).not.toMatch(personal);
    expect(await failure(connector({ fetch: answering(202, { request_status: 'pending' }).fake }).verifyErased(jane()))).toBeInstanceOf(
      StoreConfigurationError,
    );
  });

  it('refuses a plain-http endpoint that is not this machine', () => {
    expect(() => connector({ endpoint: 'http://crm.example.net/dsr' })).toThrow(StoreConfigurationError);
  });
});

describe('the wire format', () => {
  const documented = [
    'api_version',
    'request_id',
    'store_id',
    'subject_request_type',
    'submitted_time',
    'identities',
    'corrections',
    'opt_out',
    'callback_url',
  ];

  it('sends only documented fields, signed, with the request id header', async () => {
    const sent: { headers: Record<string, string>; body: string }[] = [];
    const recording = (async (url: string, init: RequestInit) => {
      sent.push({ headers: init.headers as Record<string, string>, body: init.body as string });
      return fetch(url, init);
    }) as unknown as typeof fetch;
    const now = () => new Date('2026-11-23T10:00:00Z');
    const subject = subjectOf({ email: ['jane.doe@example.com', 'jane@example.org'], customerId: ['C-1001'], internalId: ['X-99'] });
    const wired = connector({ fetch: recording });
    await wired.collect(subject);
    await wired.amend(subject, [{ attribute: 'phone', value: '+44 20 7946 0000' }], [{ field: 'phone', value: '+44 20 7946 0000' }]);
    await wired.optOut(subject);
    await wired.erase(subject);
    await wired.verifyErased(subject);
    // A fixed clock is used by the signature too: check it separately, against the real clock.
    await connector({ fetch: recording, now })
      .collect(subject)
      .catch(() => undefined);

    const bodies = sent.map((request) => JSON.parse(request.body) as Record<string, unknown>);
    expect(bodies.map((body) => body.subject_request_type)).toEqual(['access', 'rectification', 'objection', 'erasure', 'erasure_verification', 'access']);
    for (const [index, request] of sent.entries()) {
      const body = bodies[index]!;
      for (const key of Object.keys(body)) expect(documented).toContain(key);
      expect(body).toMatchObject({ api_version: '2.0', request_id: subject.requestId, store_id: 'crm-partner' });
      // First value of each identity the processor may know; nothing else the organisation resolved.
      expect(body.identities).toEqual({ email: 'jane.doe@example.com', customer_id: 'C-1001' });
      expect(request.headers[requestIdHeader]).toBe(subject.requestId);
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.headers[signatureHeader]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const timestamp = Number(/^t=(\d+)/.exec(request.headers[signatureHeader]!)![1]);
      expect(verifyWebhookSignature(secret, request.body, request.headers[signatureHeader], timestamp)).toBe(true);
      if (body.subject_request_type === 'erasure_verification') expect(body).not.toHaveProperty('callback_url');
      else expect(body.callback_url).toBe(callbackUrl);
    }
    expect(bodies[1]!.corrections).toEqual([{ field: 'phone', value: '+44 20 7946 0000' }]);
    expect(bodies[2]!.opt_out).toEqual({ marketing_consent: false });
    for (const body of [bodies[0], bodies[3], bodies[4]]) {
      expect(body).not.toHaveProperty('corrections');
      expect(body).not.toHaveProperty('opt_out');
    }
    expect(bodies[5]!.submitted_time).toBe('2026-11-23T10:00:00.000Z');
    expect(Date.parse(bodies[0]!.submitted_time as string)).not.toBeNaN();
  });

  it('the partner refuses a stale signature (the timestamp is inside the MAC)', async () => {
    const error = await failure(connector({ now: () => new Date(Date.now() - 10 * 60 * 1000) }).collect(jane()));
    expect(error).toBeInstanceOf(StoreConfigurationError);
    expect(error.message).toMatch(/HTTP 401/);
  });
});

describe('resolveWebhookEndpoint and resolveWebhookSecret', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const variant = (suffix: string): WebhookStore => ({ ...store, id: `crm-${suffix}`, secretName: `dsr-workflow/test-${suffix}` });
  beforeEach(() => secretsManager.reset());
  afterAll(() => secretsManager.restore());

  it('reads the endpoint from the variable the store names, and says which one is missing', () => {
    const previous = process.env.DSR_PARTNER_CRM_URL;
    try {
      delete process.env.DSR_PARTNER_CRM_URL;
      expect(() => resolveWebhookEndpoint(store)).toThrow(/DSR_PARTNER_CRM_URL/);
      process.env.DSR_PARTNER_CRM_URL = 'https://crm.example.net/dsr';
      expect(resolveWebhookEndpoint(store)).toBe('https://crm.example.net/dsr');
      process.env.DSR_PARTNER_CRM_URL = 'http://crm.example.net/dsr';
      expect(() => resolveWebhookEndpoint(store)).toThrow(StoreConfigurationError);
      expect(resolveWebhookEndpoint({ ...store, endpoint: 'http://127.0.0.1:4000/dsr' })).toBe('http://127.0.0.1:4000/dsr');
    } finally {
      if (previous === undefined) delete process.env.DSR_PARTNER_CRM_URL;
      else process.env.DSR_PARTNER_CRM_URL = previous;
    }
  });

  it('prefers DSR_SECRET_<STORE_ID> (the local stack) over Secrets Manager', async () => {
    process.env.DSR_SECRET_CRM_LOCAL = 'from-env';
    try {
      expect(await resolveWebhookSecret(variant('local'))).toBe('from-env');
      expect(secretsManager.calls()).toHaveLength(0);
    } finally {
      delete process.env.DSR_SECRET_CRM_LOCAL;
    }
  });

  it('reads Secrets Manager once per container', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'dsr-workflow/test-cached' }).resolves({ SecretString: 'from-secrets-manager' });
    expect(await resolveWebhookSecret(variant('cached'))).toBe('from-secrets-manager');
    expect(await resolveWebhookSecret(variant('cached'))).toBe('from-secrets-manager');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("reads the secret the deployment locates (a generated secret's ARN) in place of the catalog name", async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:StorescrmpartnerSecret-AbCdEfGhIjKl-XyZ123';
    secretsManager.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: 'generated' });
    expect(await resolveWebhookSecret(variant('located'), arn)).toBe('generated');
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId)).toEqual([arn]);
  });

  it('a missing secret is a configuration error, and is not cached', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({ SecretString: 'created-later' });
    expect(await failure(resolveWebhookSecret(variant('missing')))).toBeInstanceOf(StoreConfigurationError);
    expect(await resolveWebhookSecret(variant('missing'))).toBe('created-later');
  });
});
