/**
 * Helpers shared by the measurements: statistics, a counting HTTP proxy for the AWS emulators,
 * and the way a measurement hands its figures back to the runner (one JSON line on stdout
 * prefixed with BENCH_RESULT, so each measurement can run in its own process).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export function emitResult(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface DynamoDbTally {
  /** Requests by operation (X-Amz-Target), e.g. PutItem: 12. */
  readonly operations: Record<string, number>;
  /** Capacity units the emulator reported (ReturnConsumedCapacity TOTAL is added to every call). */
  readUnits: number;
  writeUnits: number;
}

export interface S3Tally {
  /** PUT, COPY, POST, LIST requests (one price tier) and GET, HEAD and everything else. */
  putClass: number;
  getClass: number;
  deletes: number;
}

/**
 * A proxy in front of an emulator that counts what goes through. For DynamoDB it asks for
 * `ReturnConsumedCapacity: TOTAL` on every call (dynalite computes units as DynamoDB does: 1 KB
 * per write unit, 4 KB per read unit, half for eventually consistent reads) and adds up the units.
 */
export async function startCountingProxy(
  target: string,
  kind: 'dynamodb' | 's3',
): Promise<{ url: string; dynamodb: DynamoDbTally; s3: S3Tally; reset(): void; stop(): Promise<void> }> {
  const targetUrl = new URL(target);
  const dynamodb: DynamoDbTally = { operations: {}, readUnits: 0, writeUnits: 0 };
  const s3: S3Tally = { putClass: 0, getClass: 0, deletes: 0 };
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      let body = await readAll(incoming);
      const headers = { ...incoming.headers };
      let operation = '';
      if (kind === 'dynamodb') {
        const target = String(headers['x-amz-target'] ?? '');
        operation = target.split('.').at(-1) ?? '';
        dynamodb.operations[operation] = (dynamodb.operations[operation] ?? 0) + 1;
        if (body.length && !['CreateTable', 'DescribeTable', 'DeleteTable', 'ListTables'].includes(operation)) {
          const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          parsed.ReturnConsumedCapacity = 'TOTAL';
          body = Buffer.from(JSON.stringify(parsed));
          headers['content-length'] = String(body.length);
        }
      } else {
        const url = new URL(incoming.url ?? '/', 'http://x');
        const method = incoming.method ?? 'GET';
        if (method === 'DELETE' || (method === 'POST' && url.searchParams.has('delete'))) s3.deletes += 1;
        else if (method === 'PUT' || method === 'POST' || (method === 'GET' && /^\/[^/]+\/?$/.test(url.pathname)))
          s3.putClass += 1; // LIST is billed with PUT
        else s3.getClass += 1;
      }
      const forward = httpRequest({ host: targetUrl.hostname, port: targetUrl.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
        void (async () => {
          const answerBody = await readAll(answer);
          if (kind === 'dynamodb' && answer.statusCode === 200 && answerBody.length) {
            try {
              const parsed = JSON.parse(answerBody.toString('utf8')) as { ConsumedCapacity?: unknown };
              const capacities = Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : parsed.ConsumedCapacity ? [parsed.ConsumedCapacity] : [];
              for (const capacity of capacities as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[]) {
                const units = capacity.CapacityUnits ?? 0;
                if (/^(Get|Query|Scan|BatchGet)/.test(operation)) dynamodb.readUnits += capacity.ReadCapacityUnits ?? units;
                else dynamodb.writeUnits += capacity.WriteCapacityUnits ?? units;
              }
            } catch {
              // not JSON: nothing to add up
            }
          }
          const answerHeaders = { ...answer.headers, 'content-length': String(answerBody.length) };
          delete answerHeaders['transfer-encoding'];
          outgoing.writeHead(answer.statusCode ?? 502, answerHeaders);
          outgoing.end(answerBody);
        })();
      });
      forward.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forward.end(body);
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dynamodb,
    s3,
    reset() {
      for (const key of Object.keys(dynamodb.operations)) delete dynamodb.operations[key];
      dynamodb.readUnits = 0;
      dynamodb.writeUnits = 0;
      s3.putClass = 0;
      s3.getClass = 0;
      s3.deletes = 0;
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
