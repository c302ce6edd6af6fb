/**
 * The public API under load on the local stack: `GET /health` and `POST /requests`, each for a
 * bounded time with autocannon in a separate process (bench/load-client.ts), against 127.0.0.1
 * only. `POST /requests` runs twice: with the default per-IP limit (over loopback every call comes
 * from one address, so most answers are 429: that is the limit working) and with the limit raised
 * by environment, which measures the submission path itself. Last, the per-email limit's timing:
 * one address submitting 12 times in a row, with the answer floor off and on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { startLocalStack } from '../lib/local/local-stack.ts';
import { isolatedStack } from '../test/fixtures/local-client.ts';
import { emitResult, median, progress, round } from './common.ts';

const root = resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 10);

// Asynchronous: the stack answers from this process's event loop meanwhile.
async function load(apiUrl: string, method: string, path: string): Promise<Record<string, unknown>> {
  const { stdout: output } = await promisify(execFile)(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'bench/load-client.ts'), apiUrl.replace('//localhost', '//127.0.0.1'), method, path, String(seconds), String(connections)],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = output.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`load-client gave no result: ${output.slice(0, 500)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Record<string, unknown>;
}

const stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0 });
// Rate-limit variables are read on every call (lambdas/shared/rate-limits.ts).
const limitVariables = ['RATE_LIMIT_IP_SUBMISSIONS', 'RATE_LIMIT_IP_TOKEN_POSTS', 'RATE_LIMIT_EMAIL_VERIFICATIONS'];
const runs: Record<string, unknown>[] = [];
const emailLimitTiming: Record<string, unknown>[] = [];

/**
 * One address submits `count` distinct amendments in a row: the first 3 (the default per-email
 * limit) are new requests, the rest are held back and do less work. Returns each answer's time.
 */
async function submissionTimes(apiUrl: string, email: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const answer = await fetch(`${apiUrl}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'amend', email, corrections: [{ field: 'phone', value: `+44 20 7946 ${String(index).padStart(4, '0')}` }] }),
    });
    await answer.text();
    if (answer.status !== 202) throw new Error(`submission answered ${answer.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

try {
  for (const name of limitVariables) delete process.env[name];
  // A few calls first, so every handler is loaded before anything is timed.
  for (const path of ['/health']) await fetch(`${stack.apiUrl}${path}`);
  await fetch(`${stack.apiUrl}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'access', email: 'warm.up@example.com' }),
  });

  runs.push({ label: 'GET /health', limits: 'default', ...(await load(stack.apiUrl, 'GET', '/health')) });
  progress(`GET /health: ${JSON.stringify(runs.at(-1))}`);
  runs.push({ label: 'POST /requests, default per-IP limit', limits: 'default', ...(await load(stack.apiUrl, 'POST', '/requests')) });
  progress(`POST /requests (default limits): ${JSON.stringify(runs.at(-1))}`);
  for (const name of limitVariables) process.env[name] = '100000000';
  runs.push({ label: 'POST /requests, limits raised', limits: 'raised to 10^8 by environment', ...(await load(stack.apiUrl, 'POST', '/requests')) });
  progress(`POST /requests (limits raised): ${JSON.stringify(runs.at(-1))}`);

  delete process.env.RATE_LIMIT_EMAIL_VERIFICATIONS;
  for (const floorMs of [0, 400]) {
    process.env.SUBMISSION_ANSWER_FLOOR_MS = String(floorMs);
    const times = await submissionTimes(stack.apiUrl, `timing-floor-${floorMs}@example.com`, 12);
    const [created, held] = [times.slice(0, 3), times.slice(3)];
    emailLimitTiming.push({
      floorMs,
      newRequestMs: round(median(created), 1),
      heldBackMs: round(median(held), 1),
      differenceMs: round(median(created) - median(held), 1),
    });
    progress(`per-email limit timing: ${JSON.stringify(emailLimitTiming.at(-1))}`);
  }
} finally {
  await stack.stop();
}
emitResult({ seconds, connections, runs, emailLimitTiming });
process.exit(0);
