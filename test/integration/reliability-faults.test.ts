import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { snapshotStores } from '../fixtures/store-snapshot.ts';
import { inPool, leftOf, seedSubjects, type Subject } from './reliability-seed.ts';

/**
 * Faults at the emulator boundary, nothing changed in the product: a small HTTP proxy stands in
 * front of dynalite, fauxqs and the partner CRM, and the handlers' SDK clients and webhook
 * connector are pointed at it (the endpoint variables are read when the clients are first made,
 * which is after this file swaps them). The proxy fails ~30% of the calls that reach a data store
 * (demo tables, demo buckets, the processor), half as a 5xx, half as a stall cut off by a reset
 * (what a client sees when a timeout fires); the request table and the export bucket are
 * forwarded untouched, so what is under test is how the workflow survives its stores.
 */
interface FaultProxy {
  readonly url: string;
  readonly stats: { calls: number; errors: number; stalls: number };
  enabled: boolean;
  stop(): Promise<void>;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startFaultProxy(
  target: string,
  isStoreCall: (request: IncomingMessage, body: string) => boolean,
  fail: (response: import('node:http').ServerResponse) => void,
  seed: number,
): Promise<FaultProxy> {
  const next = random(seed);
  const targetUrl = new URL(target);
  const proxy: FaultProxy = { url: '', stats: { calls: 0, errors: 0, stalls: 0 }, enabled: true, stop: async () => undefined };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (proxy.enabled && isStoreCall(request, body.toString('utf8'))) {
      proxy.stats.calls += 1;
      const roll = next();
      if (roll < 0.15) {
        proxy.stats.errors += 1;
        return fail(response);
      }
      if (roll < 0.3) {
        proxy.stats.stalls += 1;
        setTimeout(() => request.socket.destroy(), 150);
        return;
      }
    }
    const forwarded = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return Object.assign(proxy, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const demoTable = /"(dsr-demo-[a-z-]+)"/;

let stack: LocalStack;
let client: LocalClient;
let proxies: { dynamodb: FaultProxy; s3: FaultProxy; webhook: FaultProxy };
let subjects: Subject[];

beforeAll(async () => {
  stack = await startLocalStack({ ...isolatedStack, retryIntervalScale: 0.01, reminderIntervalMs: 0 });
  client = new LocalClient(stack);
  subjects = await seedSubjects(stack, 'RF', 200);
  proxies = {
    // DynamoDB JSON protocol: the table is named in the body (TableName, or a key of RequestItems).
    dynamodb: await startFaultProxy(
      stack.dynamoDbUrl,
      (_request, body) => demoTable.test(body),
      (response) => {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected fault' }));
      },
      1,
    ),
    // S3 path style: the bucket is the first path segment.
    s3: await startFaultProxy(
      stack.s3Url,
      (request) => /^\/dsr-demo-/.test(request.url ?? ''),
      (response) => {
        response.writeHead(500, { 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected fault</Message></Error>');
      },
      2,
    ),
    webhook: await startFaultProxy(
      new URL(stack.partner.url).origin,
      () => true,
      (response) => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end('{"error":"injected fault"}');
      },
      3,
    ),
  };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url,
    AWS_ENDPOINT_URL_S3: proxies.s3.url,
    DSR_PARTNER_CRM_URL: `${proxies.webhook.url}/dsr`,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  for (const proxy of Object.values(proxies ?? {})) await proxy.stop();
});

const settled = ['completed', 'partially_completed'];

async function waitSettled(requestId: string): Promise<any> {
  const officer = await client.officerHeaders();
  return eventually(
    async () => {
      const request = (await client.get(`/admin/requests/${requestId}`, officer)).body;
      return settled.includes(request.status) ? request : undefined;
    },
    45_000,
    `${requestId} to settle`,
  );
}

describe('store faults on ~30% of calls', () => {
  it('ends every request completed or visibly partially completed, and officer retries leave nothing of the subjects', async () => {
    // 150 erasures and 50 access requests of seeded subjects, 12 at a time (about 8,000 store calls),
    // with faults on from the start: resolving the subject before approval meets them too.
    const erased = subjects.slice(0, 150);
    const jobs = [
      ...erased.map((subject) => ({ type: 'delete', email: subject.email })),
      ...subjects.slice(150).map((subject) => ({ type: 'access', email: subject.email })),
    ];
    const officerView = await client.officerHeaders();
    const ids = await inPool(jobs, 12, async (job) => {
      const requestId = await client.submitAndVerify(job);
      await eventually(
        async () => ((await client.get(`/admin/requests/${requestId}`, officerView)).body.reviewFlags ? true : undefined),
        20_000,
        `${requestId} to be prepared for approval`,
      );
      return requestId;
    });
    const first = await inPool(ids, 12, async (requestId) => {
      expect((await client.approve(requestId)).status).toBe(200);
      await client.completeManualTask(requestId, 'paper-archive');
      return waitSettled(requestId);
    });
    for (const request of first) {
      expect(settled).toContain(request.status);
      const failed = request.storeOutcomes.filter((outcome: { status: string }) => outcome.status === 'failed');
      // "Visibly": a partial result names each failed store; a completed one has none.
      expect(failed.length > 0).toBe(request.status === 'partially_completed');
    }
    const partial = first.filter((request) => request.status === 'partially_completed');

    // The officer retries what failed (the faults stay on) until everything is done.
    const officer = await client.officerHeaders();
    let open = partial.map((request) => request.requestId as string);
    let rounds = 0;
    while (open.length && rounds < 6) {
      rounds += 1;
      const again = await inPool(open, 12, async (requestId) => {
        expect((await client.post(`/admin/requests/${requestId}/retry`, {}, officer)).status).toBe(200);
        return waitSettled(requestId);
      });
      open = again.filter((request) => request.status !== 'completed').map((request) => request.requestId);
    }
    expect(open).toEqual([]);

    const snapshot = await snapshotStores(stack);
    for (const subject of erased) expect(leftOf(snapshot, subject), subject.customerId).toEqual({});
    const stats = Object.fromEntries(Object.entries(proxies).map(([kind, proxy]) => [kind, proxy.stats]));
    console.log(`fault injection: ${jobs.length} requests, ${partial.length} partially completed at first, ${rounds} retry round(s);`, JSON.stringify(stats));
    for (const proxy of Object.values(proxies)) {
      expect(proxy.stats.errors + proxy.stats.stalls).toBeGreaterThan(proxy.stats.calls * 0.12);
    }
  }, 400_000);
});
