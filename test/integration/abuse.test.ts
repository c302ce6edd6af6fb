/**
 * Everything an attacker tried against the public intake, reproduced. The attacks that need a
 * browser, a second stack or another level live beside it, one file per surface:
 * test/browser/console-sign-in-attacks.test.ts (session fixation, forged sign-in, DNS rebinding),
 * test/integration/local-exposure.test.ts (listeners, unsigned S3), requester-text.test.ts (text
 * smuggled to processors), processor-escalation.test.ts (faked processor answers),
 * model-based.test.ts (officer and requester actions from every status).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import fc from 'fast-check';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../lib/function-catalog.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { localAudience, localIssuer } from '../../lib/local/officer-issuer.ts';
import { LocalClient, eventually, relaxedRateLimits } from '../fixtures/local-client.ts';

let stack: LocalStack;
let client: LocalClient;
let dynamo: DynamoDBDocumentClient;
const captured: string[] = [];
const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // Handler logs (Powertools writes JSON to stdout) are kept for the leak scan.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(String(chunk));
    return writes.out(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(String(chunk));
    return writes.err(chunk, ...rest);
  }) as typeof process.stderr.write;
  stack = await startLocalStack({
    port: 0,
    mailPort: 0,
    s3Port: 0,
    partnerPort: 0,
    reminderIntervalMs: 0,
    retryIntervalScale: 0.01,
    settings: relaxedRateLimits,
  });
  client = new LocalClient(stack);
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoDbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});

afterAll(async () => {
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
  await stack?.stop();
});

/** Runs `body` with the real default limits (the file otherwise relaxes them). */
async function withDefaultLimits<T>(names: (keyof typeof relaxedRateLimits)[], body: () => Promise<T>): Promise<T> {
  for (const name of names) delete process.env[name];
  try {
    return await body();
  } finally {
    Object.assign(process.env, relaxedRateLimits);
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

/** One HTTP call from a chosen loopback address (127.0.0.x): the gateway takes the source IP from the socket. */
function call(method: string, path: string, options: { body?: string | unknown; ip?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(path, stack.apiUrl);
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // agent: false: a fresh connection per call. A pooled keep-alive socket the server is closing
      // just then fails the call with ECONNRESET on a loaded machine (seen in CI).
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: options.ip ?? '127.0.0.1',
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const requestItem = async (requestId: string) =>
  (await dynamo.send(new GetCommand({ TableName: 'dsr-requests', Key: { pk: `REQUEST#${requestId}`, sk: 'REQUEST' }, ConsistentRead: true }))).Item;
const allItems = async () => (await dynamo.send(new ScanCommand({ TableName: 'dsr-requests' }))).Items ?? [];
const mailsTo = async (address: string) => (await client.mails()).filter((mail) => mail.destination.to.includes(address));

async function submitAndToken(
  email: string,
  body: Record<string, unknown> = { type: 'access' },
  ip = '127.0.0.1',
): Promise<{ requestId: string; token: string }> {
  const answer = await call('POST', '/requests', { body: { ...body, email }, ip });
  expect(answer.status).toBe(202);
  const requestId = answer.body.requestId as string;
  const mail = await client.waitForMail(email, new RegExp(`/verify#t=(${requestId}\\.[A-Za-z0-9_-]+)`));
  return { requestId, token: mail.match[1]! };
}

describe('rate limits, enumeration and idempotent submissions', () => {
  it('answers a flood from one IP with 429 and Retry-After after 20 submissions, whatever X-Forwarded-For says', async () => {
    await withDefaultLimits(['RATE_LIMIT_IP_SUBMISSIONS'], async () => {
      const answers: Answer[] = [];
      for (let index = 0; index < 24; index++) {
        answers.push(
          await call('POST', '/requests', {
            body: { type: 'access', email: `ip-flood-${index}@example.com` },
            ip: '127.0.0.2',
            headers: { 'x-forwarded-for': `198.51.100.${index}` },
          }),
        );
      }
      expect(answers.slice(0, 20).map((answer) => answer.status)).toEqual(Array(20).fill(202));
      for (const refused of answers.slice(20)) {
        expect(refused.status).toBe(429);
        expect(refused.body).toEqual({ error: expect.any(String) });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
      }
      // Another address is not held back by this one's flood.
      expect((await call('POST', '/requests', { body: { type: 'access', email: 'other-network@example.com' }, ip: '127.0.0.3' })).status).toBe(202);
    });
  });

  it('answers a flood of link tokens from one IP with 429 on every token route after 60 posts', async () => {
    await withDefaultLimits(['RATE_LIMIT_IP_TOKEN_POSTS'], async () => {
      const routes = ['/verify', '/download', '/status', '/cancel', '/intake'];
      const answers: Answer[] = [];
      for (let index = 0; index < 65; index++) {
        answers.push(await call('POST', routes[index % routes.length]!, { body: { token: `req_0000000000000000.${'a'.repeat(43)}` }, ip: '127.0.0.4' }));
      }
      expect(answers.slice(0, 60).every((answer) => answer.status >= 400 && answer.status < 500 && answer.status !== 429)).toBe(true);
      expect(answers.slice(60).map((answer) => answer.status)).toEqual(Array(5).fill(429));
    });
  });

  it('sends at most 3 verification mails a day to one address, answering every submission the same way', async () => {
    await withDefaultLimits(['RATE_LIMIT_EMAIL_VERIFICATIONS', 'SUBMISSION_ANSWER_FLOOR_MS'], async () => {
      const email = 'mail-bomb.target@example.com';
      const answers: Answer[] = [];
      const took: number[] = [];
      for (let index = 0; index < 8; index++) {
        const started = performance.now();
        answers.push(
          await call('POST', '/requests', {
            body: { type: 'amend', email, corrections: [{ field: 'phone', value: `+44 20 7946 000${index}` }] },
            ip: '127.0.0.4',
          }),
        );
        took.push(performance.now() - started);
      }
      // The 5 held back did less work, but none answers sooner than the 400 ms floor.
      expect(Math.min(...took)).toBeGreaterThanOrEqual(400);
      const shape = (answer: Answer) => ({
        status: answer.status,
        keys: Object.keys(answer.body).sort(),
        status2: answer.body.status,
        message: answer.body.message,
        idShape: /^req_[A-Za-z0-9_-]{19,}$/.test(answer.body.requestId),
      });
      expect(new Set(answers.map((answer) => JSON.stringify(shape(answer)))).size).toBe(1);
      expect(new Set(answers.map((answer) => answer.body.requestId)).size).toBe(8);
      await eventually(async () => ((await mailsTo(email)).length >= 3 ? true : undefined), 15_000, 'three verification mails');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await mailsTo(email)).toHaveLength(3);
      // Nothing is dropped: all 8 are stored; the 5 past the limit got no mail of their own.
      const stored = await eventually(
        async () => {
          const items = await Promise.all(answers.map((answer) => requestItem(answer.body.requestId)));
          return items.every((item) => item?.status === 'pending_verification') ? items : undefined;
        },
        15_000,
        'all eight requests parked for verification',
      );
      expect(stored.filter((item) => item?.verificationMailHeld === true)).toHaveLength(5);
      // A flood of an unknown address looks exactly like a flood of a known one.
      const known = await call('POST', '/requests', { body: { type: 'access', email: 'john.smith@example.org' }, ip: '127.0.0.4' });
      const unknown = await call('POST', '/requests', { body: { type: 'access', email: 'nobody.known@example.com' }, ip: '127.0.0.4' });
      expect([known.status, Object.keys(known.body).sort(), known.body.message]).toEqual([
        unknown.status,
        Object.keys(unknown.body).sort(),
        unknown.body.message,
      ]);
    });
  });

  it('makes one request, one execution and one mail of 100 concurrent identical submissions, and tells no submitter which request holds them', async () => {
    const email = 'same.again@example.com';
    const body = { type: 'amend', email, corrections: [{ field: 'jobTitle', value: 'Engineer' }] };
    const answers = await Promise.all(Array.from({ length: 100 }, () => call('POST', '/requests', { body, ip: '127.0.0.5' })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(202));
    await client.waitForMail(email, /\/verify#t=/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailsTo(email)).toHaveLength(1);
    const requests = (await allItems()).filter((item) => item.emailCanonical === email && String(item.pk).startsWith('REQUEST#'));
    expect(requests).toHaveLength(1);
    const stored = String(requests[0]!.requestId);
    // Every answer is a fresh id: the stored request's id (and so its time) reaches only the mailbox.
    expect(new Set(answers.map((answer) => answer.body.requestId)).size).toBe(100);
    expect(answers.filter((answer) => answer.body.requestId === stored).length).toBeLessThanOrEqual(1);
    const sfn = new SFNClient({ endpoint: stack.stepFunctionsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }))).executions ?? [];
    expect(executions.filter((execution) => execution.name?.includes(stored))).toHaveLength(1);
  });

  it("never answers a stranger's repeat with the victim's request id, and the victim's link keeps working", async () => {
    const email = 'repeat.target@example.com';
    const victim = await submitAndToken(email, { type: 'delete' });
    const stranger = await call('POST', '/requests', { body: { type: 'delete', email }, ip: '127.0.0.6' });
    expect(stranger.status).toBe(202);
    expect(stranger.body.requestId).not.toBe(victim.requestId);
    // Wrong tokens aimed at the victim's request (had its id leaked anyway) change nothing.
    for (let index = 0; index < 20; index++) {
      expect((await call('POST', '/verify', { body: { token: `${victim.requestId}.${randomBytes(32).toString('base64url')}` }, ip: '127.0.0.6' })).status).toBe(
        400,
      );
    }
    expect((await call('POST', '/verify', { body: { token: victim.token } })).status).toBe(200);
  });

  it('counts spellings of one mailbox together: case variants and +tags share the 3 mails a day', async () => {
    await withDefaultLimits(['RATE_LIMIT_EMAIL_VERIFICATIONS', 'SUBMISSION_ANSWER_FLOOR_MS'], async () => {
      const spellings = [
        'Flood.Target@example.com',
        'flood.target@example.com',
        'FLOOD.target@example.com',
        'flood.TARGET@example.com',
        'flood.target+a@example.com',
        'Flood.Target+b@example.com',
      ];
      // Six different requests (so no duplicate of another), each for a spelling of one mailbox.
      for (const [index, email] of spellings.entries()) {
        const body = { type: 'amend', email, corrections: [{ field: 'phone', value: `+44 20 7946 010${index}` }] };
        expect((await call('POST', '/requests', { body, ip: '127.0.0.7' })).status).toBe(202);
      }
      const toTheMailbox = async () => (await client.mails()).filter((mail) => /flood\.target/i.test(mail.destination.to.join()));
      await eventually(async () => ((await toTheMailbox()).length >= 3 ? true : undefined), 15_000, 'three mails');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await toTheMailbox()).toHaveLength(3);
    });
  });

  it("lets the owner confirm their own request the same day after strangers used up the mailbox's mails, from any of those mails", async () => {
    await withDefaultLimits(['RATE_LIMIT_EMAIL_VERIFICATIONS', 'SUBMISSION_ANSWER_FLOOR_MS'], async () => {
      const email = 'crowded.mailbox@example.com';
      // A stranger spends the day's three mails on requests the owner never made.
      for (let index = 0; index < 3; index++) {
        const body = { type: 'amend', email, corrections: [{ field: 'phone', value: `+44 20 7946 020${index}` }] };
        expect((await call('POST', '/requests', { body, ip: '127.0.0.10' })).status).toBe(202);
      }
      await eventually(async () => ((await mailsTo(email)).length >= 3 ? true : undefined), 15_000, "the stranger's three mails");
      // The owner asks for their data: no fourth mail, but the request is kept, not dropped.
      const own = await call('POST', '/requests', { body: { type: 'access', email: 'Crowded.Mailbox@example.com' } });
      expect(own.status).toBe(202);
      const ownId: string = own.body.requestId;
      await eventually(async () => ((await requestItem(ownId))?.status === 'pending_verification' ? true : undefined), 15_000, "the owner's request parked");
      expect(await mailsTo(email)).toHaveLength(3);

      // Any of the day's mails carries a status link; its page lists the held request for confirmation.
      const mail = (await mailsTo(email))[0]!;
      const statusToken = /\/status(?:\?[^#\s]*)?#t=([A-Za-z0-9_.-]+)/.exec(mail.body.text ?? '')![1]!;
      const page = await call('POST', '/status', { body: { token: statusToken } });
      expect(page.status).toBe(200);
      expect(page.body.heldForMailbox).toEqual([expect.objectContaining({ requestId: ownId, type: 'access' })]);

      // Someone else's status link, or a request that was mailed, cannot be confirmed this way.
      const other = await submitAndToken('someone.else@example.com');
      const otherMail = await client.waitForMail('someone.else@example.com', new RegExp(`/status(?:\\?[^#\\s]*)?#t=(${other.requestId}\\.[A-Za-z0-9_-]+)`));
      expect((await call('POST', '/status/confirm', { body: { token: otherMail.match[1], requestId: ownId } })).status).toBe(404);
      expect((await call('POST', '/status/confirm', { body: { token: statusToken, requestId: String(page.body.requestId) } })).status).toBe(404);

      const confirmed = await call('POST', '/status/confirm', { body: { token: statusToken, requestId: ownId } });
      expect(confirmed.status).toBe(200);
      await client.waitForStatus(ownId, 'pending_approval');
      expect((await call('POST', '/status/confirm', { body: { token: statusToken, requestId: ownId } })).status).toBe(404);
    });
  });

  it('refuses an address with invisible characters in its domain, which would have matched the real customer', async () => {
    for (const hidden of ['\u00AD', '\u200B', '\u034F', '\uFE0F']) {
      const answer = await call('POST', '/requests', { body: { type: 'access', email: `jane.doe@exa${hidden}mple.com` }, ip: '127.0.0.8' });
      expect(answer.status, JSON.stringify(hidden)).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(/invisible/);
    }
  });

  it('refuses a law the organisation does not answer under, which would have stretched the deadline, and stores nothing', async () => {
    // This stack runs the default settings: GDPR only. CCPA's 45 days would outrun GDPR's month.
    // Counters (IP, mailbox) may move; no request, claim or execution may appear.
    const requestItems = async () => (await allItems()).filter((item) => String(item.pk).startsWith('REQUEST#')).length;
    const before = await requestItems();
    const answer = await call('POST', '/requests', { body: { type: 'delete', email: 'ccpa.named@example.com', jurisdiction: 'ccpa' }, ip: '127.0.0.9' });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([
      { path: 'jurisdiction', message: expect.stringMatching(/"ccpa" is not a law this organisation answers requests under; it answers under: gdpr$/) },
    ]);
    expect(await requestItems()).toBe(before);
    expect((await call('POST', '/requests', { body: { type: 'access', email: 'gdpr.named@example.com', jurisdiction: 'gdpr' }, ip: '127.0.0.9' })).status).toBe(
      202,
    );
  });
});

describe('tokens', () => {
  it('stores only hashes, and 50 concurrent confirmations with one token succeed exactly once', async () => {
    const { requestId, token } = await submitAndToken('race.condition@example.com');
    const secret = token.split('.')[1]!;
    const item = await requestItem(requestId);
    expect(item?.verificationTokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await allItems())).not.toContain(secret);
    expect(secret.length).toBeGreaterThanOrEqual(22); // 43 base64url characters: 256 bits
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/verify', { body: { token } })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(49);
  });

  it('refuses an expired token before any TTL deletes it', async () => {
    const { requestId, token } = await submitAndToken('late.again@example.com');
    await dynamo.send(
      new UpdateCommand({
        TableName: 'dsr-requests',
        Key: { pk: `REQUEST#${requestId}`, sk: 'REQUEST' },
        UpdateExpression: 'SET verificationExpiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expect((await call('POST', '/verify', { body: { token } })).status).toBe(400);
    expect((await requestItem(requestId))?.status).toBe('pending_verification');
  });

  it('never disables a genuine link, however many wrong tokens are sent for its request', async () => {
    const { requestId, token } = await submitAndToken('guess.work@example.com');
    for (let index = 0; index < 30; index++) {
      expect((await call('POST', '/verify', { body: { token: `${requestId}.${randomBytes(32).toString('base64url')}` }, ip: '127.0.0.9' })).status).toBe(400);
    }
    expect((await requestItem(requestId))?.verificationTokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call('POST', '/verify', { body: { token } })).status).toBe(200);
  });

  it('changes nothing on GET or HEAD of a link page', async () => {
    const { requestId, token } = await submitAndToken('link.scanner@example.com');
    const before = await requestItem(requestId);
    for (const path of ['/verify', '/download', '/status']) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await call(method, `${path}?t=${encodeURIComponent(token)}#t=${token}`);
        expect(answer.status).toBeLessThan(500);
      }
    }
    expect(await requestItem(requestId)).toEqual(before);
  });
});

describe('unicode identity', () => {
  it('matches jane.doe@EXAMPLE.com to Jane, but not a Cyrillic look-alike, which is held for an officer and mailed only where typed', async () => {
    const upper = await client.submitAndVerify({ type: 'access', email: 'jane.doe@EXAMPLE.com' });
    const lookAlike = 'jane.d\u043Ee@example.com';
    const fake = await client.submitAndVerify({ type: 'delete', email: lookAlike });
    const officer = await client.officerHeaders();
    const prepared = async (requestId: string) =>
      eventually(
        async () => {
          const request = (await client.get(`/admin/requests/${requestId}`, officer)).body;
          return request.reviewFlags ? request : undefined;
        },
        15_000,
        'approval to be prepared',
      );
    const jane = await prepared(upper);
    expect(jane.subjectKeys.customerId).toEqual(['C-1001']);
    expect(jane.reviewFlags).not.toContain('confusable_address');
    const other = await prepared(fake);
    expect(other.subjectKeys.customerId ?? []).toEqual([]);
    expect(other.reviewFlags).toContain('confusable_address');
    const mails = await client.mails();
    expect(mails.filter((mail) => mail.destination.to.includes(lookAlike)).length).toBeGreaterThan(0);
    for (const mail of mails.filter((mail) => mail.body.text?.includes(fake))) expect(mail.destination.to).toEqual([lookAlike]);
  });
});

const officerToken = () => stack.issuer.issue();

describe('input fuzzing of every route', () => {
  const concrete = (path: string) => path.replace('{id}', 'req_0000000000000000000').replace('{storeId}', 'crm-partner').replace('{file}', 'app.js');
  const postRoutes = routes.filter((route) => route.method === 'POST');

  it('answers malformed bodies with a 4xx and a JSON reason, never a 5xx', async () => {
    const officer = { authorization: `Bearer ${await officerToken()}` };
    const malformed: { body: string; headers?: Record<string, string>; status?: number }[] = [
      { body: '{"token":' },
      { body: '{"token":"a","token":"b","type":"access","type":"x"}' },
      { body: '['.repeat(5000) + ']'.repeat(5000) },
      { body: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}` },
      { body: JSON.stringify({ token: 'x'.repeat(17 * 1024) }), status: 413 },
      { body: JSON.stringify({ type: 'access', email: 'a@example.com\r\nBcc: victim@example.net' }) },
      { body: JSON.stringify({ type: 'access', email: 'a\u0000b@example.com', token: 'req_\u0000\r\n' }) },
      { body: 'token=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { body: '', headers: { 'content-type': 'text/plain' } },
      { body: 'null' },
      { body: '"just a string"' },
    ];
    for (const route of postRoutes) {
      for (const { body, headers, status } of malformed) {
        const answer = await call('POST', concrete(route.path), { body, headers: { ...(route.auth === 'officer' ? officer : {}), ...headers } });
        expect(answer.status, `${route.path} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${route.path} ${body.slice(0, 40)}`).toBeLessThan(500);
        if (status) expect(answer.status).toBe(route.function === 'storeCallback' ? 401 : status);
        expect(answer.body?.error ?? answer.body?.message, `${route.path} answered ${answer.text.slice(0, 80)}`).toEqual(expect.any(String));
      }
    }
  });

  it('never answers generated JSON with a 5xx (fast-check, fixed seed)', async () => {
    const officer = { authorization: `Bearer ${await officerToken()}` };
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('access', 'amend', 'delete', '\r\n', '\u0000', 'a@example.com', 'req_0000000000000000000.x'),
      fc.integer(),
      fc.constant(null),
    );
    const bodies = fc.dictionary(
      fc.constantFrom('type', 'email', 'token', 'corrections', 'reason', 'note', 'months', 'days', 'locale', 'jurisdiction', 'outcome'),
      fc.oneof(value, fc.array(fc.record({ field: fc.constantFrom('phone', 'email', 'x'), value }), { maxLength: 3 })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postRoutes), bodies, async (route, body) => {
        const answer = await call('POST', concrete(route.path), { body, headers: route.auth === 'officer' ? officer : {} });
        return answer.status < 500 && (answer.status < 400 || typeof (answer.body?.error ?? answer.body?.message) === 'string');
      }),
      { seed: 20240501, numRuns: 150 },
    );
  });

  it('answers wrong methods with a JSON 4xx, and no mail carries an injected recipient or header', async () => {
    for (const route of routes) {
      for (const method of ['PUT', 'DELETE', 'PATCH', route.method === 'GET' ? 'POST' : 'GET']) {
        if (routes.some((other) => other.method === method && other.path === route.path)) continue;
        const answer = await call(method, concrete(route.path), { body: method === 'GET' ? undefined : '{}' });
        expect(answer.status, `${method} ${route.path}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${route.path}`).toBeLessThan(500);
        expect(
          answer.body?.error ?? answer.body?.message,
          `${method} ${route.path}: ${answer.status} ${JSON.stringify(answer.headers)} ${answer.text.slice(0, 80)}`,
        ).toEqual(expect.any(String));
      }
    }
    for (const mail of await client.mails()) {
      expect(mail.destination.to).toHaveLength(1);
      expect(mail.destination.to[0]).not.toMatch(/[\r\n\u0000,;<>]/);
      expect(mail.subject).not.toMatch(/[\r\n\u0000]/);
      expect(mail.destination.to[0]).not.toContain('victim');
    }
  });
});

describe('authorization matrix', () => {
  it('gives no unexpected 2xx to any caller on any route', async () => {
    const requester = await submitAndToken('matrix.requester@example.com');
    const target = await submitAndToken('matrix.target@example.com');
    const otherKeys = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ 'cognito:groups': ['privacy-officers'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'local-1' })
      .setSubject('intruder')
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(otherKeys.privateKey);
    const expired = await stack.issuer.issue({ expiresIn: '-1m' });
    const notOfficer = await stack.issuer.issue({ groups: ['staff'] });
    // Another request's secret on the target's id: a token never reaches a request it was not made for.
    const crossToken = `${target.requestId}.${requester.token.split('.')[1]}`;
    const callers: Record<string, { headers: Record<string, string>; token?: string }> = {
      anonymous: { headers: {} },
      'requester of another request': { headers: { authorization: `Bearer ${requester.token}` }, token: crossToken },
      'signed in, not an officer': { headers: { authorization: `Bearer ${notOfficer}` } },
      'expired officer token': { headers: { authorization: `Bearer ${expired}` } },
      'token from another issuer': { headers: { authorization: `Bearer ${foreign}` } },
    };
    const path = (template: string) =>
      template
        .replace('{id}', target.requestId)
        .replace('{storeId}', template.includes('callbacks') ? 'crm-partner' : 'paper-archive')
        .replace('{file}', 'app.js');
    const rows: string[] = [];
    for (const route of routes) {
      for (const [name, caller] of Object.entries(callers)) {
        const body = route.method === 'POST' ? { token: caller.token ?? 'none', reason: 'Because I say so, at length.', note: 'done', months: 1 } : undefined;
        const answer = await call(route.method, path(route.path), { body, headers: caller.headers });
        // Public pages answer everyone; nothing else may succeed for these callers.
        const allowed = route.method === 'GET' && route.auth === 'public';
        if (!allowed && answer.status < 300) rows.push(`${route.method} ${route.path} as ${name}: ${answer.status}`);
        if (route.auth === 'officer') expect([401, 403], `${route.path} as ${name}`).toContain(answer.status);
      }
    }
    expect(rows).toEqual([]);
    expect((await requestItem(target.requestId))?.status).toBe('pending_verification');
  });
});

describe('leak scan after access, amend and delete', () => {
  it('finds no email address or raw token in logs, audit events or execution history', async () => {
    const officer = await client.officerHeaders();
    const run = async (body: Record<string, unknown>) => {
      const requestId = await client.submitAndVerify(body);
      expect((await client.approve(requestId)).status).toBe(200);
      await client.completeManualTask(requestId, 'paper-archive');
      return (await client.waitForStatus(requestId, 'completed')).requestId as string;
    };
    const ids = [
      await run({ type: 'access', email: 'amira.haddad@example.net' }),
      await run({ type: 'amend', email: 'john.smith@example.org', corrections: [{ field: 'phone', value: '+44 20 7946 0999' }] }),
      await run({ type: 'delete', email: 'lukas.muller@example.com' }),
    ];
    const mails = await client.mails();
    const tokens = mails.flatMap((mail) =>
      [...(mail.body.text ?? '').matchAll(/#(?:t|intake)=([A-Za-z0-9_.-]+)/g)].map((match) => match[1]!.split('.').pop()!),
    );
    expect(tokens.length).toBeGreaterThan(0);
    const addresses = [...new Set(mails.flatMap((mail) => mail.destination.to))];
    const secretsIn = (text: string) => [
      ...addresses.filter((address) => text.includes(address)),
      ...tokens.filter((token) => text.includes(token)),
      ...(text.match(/[\w.+-]+@[\w-]+\.[\w.-]+/g) ?? []).filter((found) => !found.startsWith('privacy')),
    ];

    const audit = JSON.stringify(await Promise.all(ids.map(async (id) => (await client.get(`/admin/requests/${id}`, officer)).body.events)));
    expect(secretsIn(audit)).toEqual([]);

    const sfn = new SFNClient({ endpoint: stack.stepFunctionsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const executions = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: process.env.STATE_MACHINE_ARN! }))).executions ?? [];
    const histories = await Promise.all(
      executions.map(async (execution) => JSON.stringify((await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn! }))).events)),
    );
    expect(histories.length).toBeGreaterThan(3);
    expect(secretsIn(histories.join('\n'))).toEqual([]);

    expect(captured.length).toBeGreaterThan(0);
    expect(secretsIn(captured.join('\n'))).toEqual([]);
  });
});
