/**
 * End-to-end completion of 200 concurrent access requests on the local stack: all submitted at
 * once, each verified through the link in its mail, approved by an officer, its manual store
 * (the paper archive) marked done, and timed until its execution ends (the requester has been
 * told). Approval and the manual task answer 409 until the workflow is ready for them: those are
 * retried every 300 ms, as an impatient officer would. Distinct, unknown addresses, so per-address
 * limits and deduplication do not apply; per-IP limits are raised by environment (every call comes
 * from 127.0.0.1). The driver shares the stack's process and its two cores.
 */
import { startLocalStack } from '../lib/local/local-stack.ts';
import { isolatedStack } from '../test/fixtures/local-client.ts';
import { emitResult, percentile, progress, round } from './common.ts';

const total = Number(process.env.BENCH_E2E_REQUESTS ?? 200);
for (const name of ['RATE_LIMIT_IP_SUBMISSIONS', 'RATE_LIMIT_IP_TOKEN_POSTS', 'RATE_LIMIT_EMAIL_VERIFICATIONS']) process.env[name] = '100000000';
const stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0 });
const api = stack.apiUrl.replace('//localhost', '//127.0.0.1');
const officer = { authorization: `Bearer ${await stack.issuer.issue()}` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};

// One mailbox poller for everyone: verification tokens by request id.
const tokens = new Map<string, string>();
let polling = true;
const poller = (async () => {
  while (polling) {
    const { emails } = (await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: { body: { text?: string } }[] };
    for (const mail of emails) {
      for (const match of (mail.body.text ?? '').matchAll(/\/verify#t=((req_[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+)/g)) tokens.set(match[2]!, match[1]!);
    }
    await sleep(250);
  }
})();

async function retryWhile409(what: () => Promise<{ status: number }>, label: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const answer = await what();
    if (answer.status === 200) return;
    if (answer.status !== 409 || Date.now() > deadline) throw new Error(`${label} answered ${answer.status}`);
    await sleep(300);
  }
}

interface Timing {
  submittedMs: number;
  verifiedMs: number;
  approvedMs: number;
  manualDoneMs: number;
  completedMs: number;
  status: string;
}

async function oneRequest(index: number, origin: number): Promise<Timing> {
  const submitted = await post('/requests', { type: 'access', email: `e2e.${index}@example.com` });
  if (submitted.status !== 202) throw new Error(`submission ${index} answered ${submitted.status}`);
  const submittedMs = performance.now() - origin;
  const requestId = String(submitted.body!.requestId);
  while (!tokens.has(requestId)) await sleep(100);
  const verified = await post('/verify', { token: tokens.get(requestId) });
  if (verified.status !== 200) throw new Error(`verification of ${requestId} answered ${verified.status}`);
  const verifiedMs = performance.now() - origin;
  await retryWhile409(() => post(`/admin/requests/${requestId}/approve`, {}, officer), `approval of ${requestId}`);
  const approvedMs = performance.now() - origin;
  await retryWhile409(
    () => post(`/admin/requests/${requestId}/stores/paper-archive/complete`, { note: 'Searched the archive.' }, officer),
    `manual task of ${requestId}`,
  );
  const manualDoneMs = performance.now() - origin;
  for (;;) {
    const execution = stack.stepFunctions.executions().find((candidate) => candidate.input.includes(requestId));
    if (execution && execution.status !== 'RUNNING') {
      const request = await fetch(`${api}/admin/requests/${requestId}`, { headers: officer });
      const status = String(((await request.json()) as { status?: string }).status);
      return {
        submittedMs,
        verifiedMs,
        approvedMs,
        manualDoneMs,
        completedMs: (execution.stopDate?.getTime() ?? Date.now()) - (performance.timeOrigin + origin),
        status,
      };
    }
    await sleep(200);
  }
}

try {
  // Warm-up: one request through every step, so handlers are loaded before the clock starts.
  await oneRequest(-1, performance.now());
  const origin = performance.now();
  const timings = await Promise.all(Array.from({ length: total }, (_, index) => oneRequest(index, origin)));
  const wallSeconds = (performance.now() - origin) / 1000;
  const completed = timings.filter((timing) => timing.status === 'completed').length;
  const stat = (values: number[]) => ({
    p50: round(percentile(values, 50) / 1000, 2),
    p95: round(percentile(values, 95) / 1000, 2),
    max: round(Math.max(...values) / 1000, 2),
  });
  const result = {
    requests: total,
    completed,
    statuses: Object.fromEntries([...Map.groupBy(timings, (timing) => timing.status)].map(([status, group]) => [status, group.length])),
    wallSeconds: round(wallSeconds, 1),
    completedPerSecond: round(completed / wallSeconds, 2),
    completionSeconds: stat(timings.map((timing) => timing.completedMs)),
    phaseSeconds: {
      submitAnswered: stat(timings.map((timing) => timing.submittedMs)),
      verified: stat(timings.map((timing) => timing.verifiedMs)),
      approved: stat(timings.map((timing) => timing.approvedMs)),
      manualTaskDone: stat(timings.map((timing) => timing.manualDoneMs)),
    },
  };
  progress(JSON.stringify(result));
  emitResult(result);
} finally {
  polling = false;
  await poller.catch(() => undefined);
  await stack.stop();
}
process.exit(0);
