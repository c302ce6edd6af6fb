/**
 * Collecting and erasing one subject with 10,000 items across four DynamoDB stores, through the
 * product's DynamoDB connector, against raw Query and BatchWriteItem of the same items on the same
 * dynalite (in-process, in memory), in the same run. Each round seeds afresh; rounds alternate the
 * two ways and the medians are reported.
 *
 * Stores: three found by their partition key, one found through a global index on `email` (the
 * connector then re-reads those items from the table, since an index may lag or project less).
 * Raw baseline: Query every page (on the index for the fourth), then BatchWriteItem deletes, 25 a
 * call and 4 calls in flight, as the connector sends them.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureActiveTable, storeTableDefinition } from '../lib/local/local-tables.ts';
import { DynamoDbConnector } from '../lambdas/adapters/connectors/dynamodb-connector.ts';
import type { DynamoDbStore } from '../lambdas/domain/store-catalog.ts';
import { emitResult, median, progress, round } from './common.ts';

const require = createRequire(import.meta.url);
const totalItems = Number(process.env.BENCH_BULK_ITEMS ?? 10_000);
const rounds = Number(process.env.BENCH_BULK_ROUNDS ?? 3);
const subject = { customerId: 'C-BENCH', email: 'bench.subject@example.com' };

const disclosure = { categories: ['bench'], purposes: ['bench'], legalBasis: 'bench', recipients: ['none'], retention: 'none', source: 'bench' };
const stores: DynamoDbStore[] = [
  {
    id: 'events-a',
    name: 'Events A',
    kind: 'dynamodb',
    provision: 'existing',
    table: 'bench-events-a',
    keySchema: { partitionKey: 'customerId', sortKey: 'sk' },
    lookup: { identity: 'customerId', attribute: 'customerId' },
    erasure: { strategy: 'delete' },
    disclosure,
  },
  {
    id: 'events-b',
    name: 'Events B',
    kind: 'dynamodb',
    provision: 'existing',
    table: 'bench-events-b',
    keySchema: { partitionKey: 'customerId', sortKey: 'sk' },
    lookup: { identity: 'customerId', attribute: 'customerId' },
    erasure: { strategy: 'delete' },
    disclosure,
  },
  {
    id: 'events-c',
    name: 'Events C',
    kind: 'dynamodb',
    provision: 'existing',
    table: 'bench-events-c',
    keySchema: { partitionKey: 'customerId', sortKey: 'sk' },
    lookup: { identity: 'customerId', attribute: 'customerId' },
    erasure: { strategy: 'delete' },
    disclosure,
  },
  {
    id: 'orders',
    name: 'Orders (by email index)',
    kind: 'dynamodb',
    provision: 'existing',
    table: 'bench-orders',
    keySchema: { partitionKey: 'orderId' },
    lookup: { identity: 'email', attribute: 'email', indexName: 'by-email' },
    erasure: { strategy: 'delete' },
    disclosure,
  },
] as DynamoDbStore[];
/**
 * Items per store. The index store holds 1,000: dynalite 4.0.0 answers a Query on a global index
 * with at most 2,499 items and no LastEvaluatedKey (seen here with 2,500: one item silently
 * missing), which real DynamoDB never does; below that it pages correctly.
 */
const indexStoreItems = Math.min(1_000, Math.floor(totalItems / stores.length));
const perStoreOf = (store: DynamoDbStore): number =>
  store.lookup.indexName ? indexStoreItems : Math.floor((totalItems - indexStoreItems) / (stores.length - 1));
const expectedItems = stores.reduce((sum, store) => sum + perStoreOf(store), 0);

function itemsOf(store: DynamoDbStore): Record<string, unknown>[] {
  return Array.from({ length: perStoreOf(store) }, (_, index) => ({
    ...(store.keySchema.sortKey
      ? { customerId: subject.customerId, sk: `E#${String(index).padStart(6, '0')}` }
      : { orderId: `O-${index}`, email: subject.email }),
    customerId: subject.customerId,
    feature: ['dashboard', 'reports', 'export', 'settings'][index % 4],
    device: ['desktop', 'mobile'][index % 2],
    note: 'x'.repeat(200),
    at: new Date(1_700_000_000_000 + index * 60_000).toISOString(),
  }));
}

async function inBatches(documents: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[]): Promise<number> {
  let calls = 0;
  const batches: Record<string, unknown>[][] = [];
  for (let index = 0; index < requests.length; index += 25) batches.push(requests.slice(index, index + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let batch = batches[next++]!;
      while (batch.length) {
        calls += 1;
        const output = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: batch as never } }));
        batch = (output.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return calls;
}

async function rawQuery(documents: DynamoDBDocumentClient, store: DynamoDbStore): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: store.table,
        IndexName: store.lookup.indexName,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': store.lookup.attribute },
        ExpressionAttributeValues: { ':v': store.lookup.identity === 'email' ? subject.email : subject.customerId },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const keyOf = (store: DynamoDbStore, item: Record<string, unknown>) =>
  Object.fromEntries([store.keySchema.partitionKey, ...(store.keySchema.sortKey ? [store.keySchema.sortKey] : [])].map((name) => [name, item[name]]));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function main(): Promise<void> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dynamo = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const documents = DynamoDBDocumentClient.from(dynamo);
  for (const store of stores) await ensureActiveTable(dynamo, storeTableDefinition(store));
  const connectors = stores.map((store) => new DynamoDbConnector(documents, store, store.table));
  const subjectArg = { requestId: 'req_bench', keys: { customerId: [subject.customerId], email: [subject.email] } };
  const seed = () =>
    timed(async () =>
      Promise.all(
        stores.map((store) =>
          inBatches(
            documents,
            store.table,
            itemsOf(store).map((Item) => ({ PutRequest: { Item } })),
          ),
        ),
      ),
    );
  const count = async () => {
    let total = 0;
    for (const store of stores) total += (await documents.send(new ScanCommand({ TableName: store.table, Select: 'COUNT' }))).Count ?? 0;
    return total;
  };

  const samples = {
    seedMs: [] as number[],
    connectorCollectMs: [] as number[],
    rawQueryMs: [] as number[],
    connectorEraseMs: [] as number[],
    rawEraseMs: [] as number[],
  };
  let collected = 0;
  let erased = 0;
  for (let round_ = 0; round_ < rounds; round_ += 1) {
    // Stores one after the other, as a request's Map would not run them in one process either way.
    samples.seedMs.push((await seed()).ms);
    const collect = await timed(async () => {
      let n = 0;
      for (const connector of connectors) n += (await connector.collect(subjectArg)).records.length;
      return n;
    });
    const query = await timed(async () => {
      let n = 0;
      for (const store of stores) n += (await rawQuery(documents, store)).length;
      return n;
    });
    if (collect.value !== expectedItems || query.value !== collect.value) throw new Error(`collected ${collect.value}, queried ${query.value}`);
    collected = collect.value;
    samples.connectorCollectMs.push(collect.ms);
    samples.rawQueryMs.push(query.ms);

    const erase = await timed(async () => {
      let n = 0;
      for (const connector of connectors) n += (await connector.erase(subjectArg)).deleted;
      return n;
    });
    if ((await count()) !== 0) throw new Error('the connector left items behind');
    erased = erase.value;
    samples.connectorEraseMs.push(erase.ms);

    samples.seedMs.push((await seed()).ms);
    const raw = await timed(async () => {
      for (const store of stores) {
        const items = await rawQuery(documents, store);
        await inBatches(
          documents,
          store.table,
          items.map((item) => ({ DeleteRequest: { Key: keyOf(store, item) } })),
        );
      }
    });
    if ((await count()) !== 0) throw new Error('the raw erase left items behind');
    samples.rawEraseMs.push(raw.ms);
    progress(
      `round ${round_ + 1}: collect ${collect.ms.toFixed(0)} ms vs raw ${query.ms.toFixed(0)} ms; erase ${erase.ms.toFixed(0)} ms vs raw ${raw.ms.toFixed(0)} ms`,
    );
  }
  server.close();
  const medians = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, round(median(values), 0)])) as Record<keyof typeof samples, number>;
  emitResult({
    items: expectedItems,
    stores: stores.map((store) => ({
      id: store.id,
      items: perStoreOf(store),
      lookup: store.lookup.indexName ? `index ${store.lookup.indexName}` : 'partition key',
    })),
    itemBytesApprox: JSON.stringify(itemsOf(stores[0]!)[0]).length,
    rounds,
    collected,
    erased,
    medianMs: medians,
    samples,
    ratios: { collect: round(medians.connectorCollectMs / medians.rawQueryMs, 2), erase: round(medians.connectorEraseMs / medians.rawEraseMs, 2) },
    itemsPerSecond: {
      seed: round(expectedItems / (medians.seedMs / 1000), 0),
      connectorCollect: round(collected / (medians.connectorCollectMs / 1000), 0),
      rawQuery: round(collected / (medians.rawQueryMs / 1000), 0),
      connectorErase: round(erased / (medians.connectorEraseMs / 1000), 0),
      rawErase: round(erased / (medians.rawEraseMs / 1000), 0),
    },
  });
}

await main();
