/**
 * Batches, bounded concurrency and backoff for the AWS batch APIs the adapters use (DynamoDB
 * BatchWriteItem takes 25 requests, S3 DeleteObjects 1000 keys): retrying the part of a batch the
 * service did not process, with jittered exponential waits.
 */

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Exponential backoff with full jitter (a random wait up to the exponential ceiling), so that
 * concurrent callers that were throttled together do not come back together.
 */
export function backoffDelay(attempt: number, options: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const { baseMs = 50, capMs = 5_000, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Runs `work` over `items` with at most `concurrency` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface BatchOptions {
  /** Requests per call: 25 for BatchWriteItem, 100 keys for BatchGetItem, 1000 for DeleteObjects. */
  readonly batchSize: number;
  /** Retries of the requests a call left unprocessed, after the first attempt. */
  readonly maxRetries: number;
  /** Calls in flight at once. */
  readonly concurrency?: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

/**
 * Sends `requests` in batches. `send` sends one batch and returns the requests the service left
 * unprocessed; those are sent again after a backoff, at most `maxRetries` times. Returns what is
 * still unprocessed after that (empty when everything went through): the caller decides what to throw.
 */
export async function sendInBatches<T>(requests: readonly T[], send: (batch: T[]) => Promise<T[]>, options: BatchOptions): Promise<T[]> {
  const { batchSize, maxRetries, concurrency = 4, sleep = realSleep, random } = options;
  const leftovers = await mapWithConcurrency(chunk(requests, batchSize), concurrency, async (batch) => {
    let pending = await send(batch);
    for (let attempt = 0; pending.length > 0 && attempt < maxRetries; attempt++) {
      await sleep(backoffDelay(attempt, { random }));
      pending = await send(pending);
    }
    return pending;
  });
  return leftovers.flat();
}
