/**
 * The load generator, run in its own process so it does not share an event loop with the stack:
 * autocannon against one route for a bounded time, every response's latency kept (autocannon's
 * own summary has no p95). `POST /requests` gets a different address in every body, so the
 * submissions are distinct requests and not one deduplicated submission.
 * Usage: tsx bench/load-client.ts <baseUrl> <GET|POST> <path> <seconds> <connections>
 */
import autocannon from 'autocannon';
import { emitResult, percentile, round } from './common.ts';

const [baseUrl, method, path, seconds, connections] = process.argv.slice(2);
if (!baseUrl?.startsWith('http://127.0.0.1') || !method || !path)
  throw new Error('usage: load-client.ts http://127.0.0.1:<port> <GET|POST> <path> <seconds> <connections>');

let sequence = 0;
const latencies: number[] = [];
const instance = autocannon({
  url: baseUrl,
  connections: Number(connections ?? 10),
  duration: Math.min(Number(seconds ?? 10), 30),
  requests: [
    method === 'POST'
      ? {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json' },
          setupRequest: (request: Record<string, unknown>) => ({
            ...request,
            body: JSON.stringify({ type: 'access', email: `load.${process.pid}.${sequence++}@example.com` }),
          }),
        }
      : { method: 'GET', path },
  ],
});
instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
const result = await instance;
emitResult({
  method,
  path,
  connections: result.connections,
  seconds: result.duration,
  requests: result.requests.total,
  requestsPerSecond: round(result.requests.total / result.duration, 1),
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count])),
  errors: result.errors,
  timeouts: result.timeouts,
  latencyMs: {
    p50: round(percentile(latencies, 50), 1),
    p95: round(percentile(latencies, 95), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(Math.max(...latencies), 1),
  },
});
