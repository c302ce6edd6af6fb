import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureActiveTable, storeTableDefinition } from '../../lib/local/local-tables.ts';
import { storeCatalog } from '../../config/stores.ts';
import { chunk } from '../../lambdas/adapters/batching.ts';
import { DynamoDbConnector } from '../../lambdas/adapters/connectors/dynamodb-connector.ts';
import { S3Connector } from '../../lambdas/adapters/connectors/s3-connector.ts';
import { StoreConfigurationError } from '../../lambdas/domain/errors.ts';
import type { DynamoDbStore, S3Store } from '../../lambdas/domain/store-catalog.ts';
import type { Subject } from '../../lambdas/ports/store-connector.ts';

type Item = Record<string, unknown>;

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const subject: Subject = { requestId: 'req_0mhz1abcdefghijk', keys: { email: ['jane@example.com'], customerId: ['C-1001'] } };
// Every seeded item carries both identities, so it is found whichever one a demo store looks up by.
const jane = { customerId: 'C-1001', email: 'jane@example.com' };
const john = { customerId: 'C-2002', email: 'john@example.com' };
// A bystander whose customer id starts like the subject's.
const janet = { customerId: 'C-10010', email: 'janet@example.com' };

let dynamoServer: Server;
let s3Server: FauxqsServer;
let documents: DynamoDBDocumentClient;
let s3: S3Client;
/** Query calls sent, to show that collecting really crossed pages. */
let queriesSent = 0;

function dynamoStore(id: string): DynamoDbStore {
  const store = storeCatalog.stores.find((candidate) => candidate.id === id);
  if (store?.kind !== 'dynamodb') throw new Error(`demo store ${id} is not a DynamoDB store`);
  return store;
}

function s3Store(id: string): S3Store {
  const store = storeCatalog.stores.find((candidate) => candidate.id === id);
  if (store?.kind !== 's3') throw new Error(`demo store ${id} is not an S3 store`);
  return store;
}

async function seed(table: string, items: readonly Item[]): Promise<void> {
  for (const batch of chunk(items, 25)) {
    const output = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: batch.map((item) => ({ PutRequest: { Item: item } })) } }));
    expect(output.UnprocessedItems?.[table] ?? []).toHaveLength(0);
  }
}

async function itemsOf(table: string, partitionKey: string, value: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
        ExpressionAttributeValues: { ':pk': value },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function scan(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

beforeAll(async () => {
  // DynamoDB: dynalite in this process, on a free port.
  const dynalite = createRequire(import.meta.url)('dynalite') as (options: Record<string, unknown>) => Server;
  dynamoServer = dynalite({ createTableMs: 0 });
  await new Promise<void>((listening) => dynamoServer.listen(0, '127.0.0.1', listening));
  const dynamoClient = new DynamoDBClient({ region, credentials, endpoint: `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}` });
  dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queriesSent++;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  documents = DynamoDBDocumentClient.from(dynamoClient);
  for (const id of ['accounts', 'support-tickets', 'survey-answers', 'billing-records', 'usage-events'])
    await ensureActiveTable(dynamoClient, storeTableDefinition(dynamoStore(id)));

  // S3: fauxqs, which has no versioning: the versioned path is covered by the unit tests.
  s3Server = await startFauxqs({ port: 0, logger: false });
  s3 = new S3Client({ region, credentials, endpoint: `http://127.0.0.1:${s3Server.port}`, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: s3Store('uploaded-files').bucket }));
});

afterAll(async () => {
  documents?.destroy();
  s3?.destroy();
  await s3Server?.stop();
  await new Promise<void>((closed) => (dynamoServer ? dynamoServer.close(() => closed()) : closed()));
});

describe('the DynamoDB connector on dynalite', () => {
  it('collects and deletes all 260 usage events of the subject, and a second erase finds nothing', async () => {
    // Prepare: events large enough that the query crosses DynamoDB's 1 MB page, and two bystanders.
    const store = dynamoStore('usage-events');
    const padding = 'x'.repeat(5_000);
    const events = Array.from({ length: 260 }, (_, index) => ({
      ...jane,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
      feature: index % 2 === 0 ? 'export' : 'search',
      device: 'laptop',
      padding,
    }));
    const bystanders = [
      { ...john, occurredAt: '2026-01-01T00:00:00.000Z', feature: 'export', device: 'phone' },
      { ...janet, occurredAt: '2026-01-02T00:00:00.000Z', feature: 'search', device: 'tablet', score: 3 },
    ];
    await seed(store.table, [...events, ...bystanders]);
    const before = JSON.stringify([await itemsOf(store.table, 'customerId', 'C-2002'), await itemsOf(store.table, 'customerId', 'C-10010')]);
    const connector = new DynamoDbConnector(documents, store, store.table);

    // Act
    queriesSent = 0;
    const { records } = await connector.collect(subject);
    const collectQueries = queriesSent;
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);
    const again = await connector.erase(subject);

    // Assess
    expect(records).toHaveLength(260);
    expect(collectQueries).toBeGreaterThan(1);
    expect(erased).toEqual({ matched: 260, deleted: 260, anonymized: 0, retained: 0 });
    expect(verified).toEqual({ remaining: 0 });
    expect(again).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    expect(await itemsOf(store.table, 'customerId', 'C-1001')).toHaveLength(0);
    expect(JSON.stringify([await itemsOf(store.table, 'customerId', 'C-2002'), await itemsOf(store.table, 'customerId', 'C-10010')])).toBe(before);
  });

  it('anonymizes survey answers: the rows stay under one pseudonym, without comments or job titles, and nothing is left under the subject', async () => {
    // Prepare
    const store = dynamoStore('survey-answers');
    const answers = Array.from({ length: 30 }, (_, index) => ({
      ...jane,
      surveyId: `S-${String(index).padStart(3, '0')}`,
      score: index % 11,
      comment: `Jane here, answer ${index}`,
      jobTitle: 'CTO',
      answeredBy: 'jane@example.com',
    }));
    const bystanders = [
      { ...john, surveyId: 'S-000', score: 5, comment: 'fine', jobTitle: 'Engineer' },
      { ...john, surveyId: 'S-001', score: 8, comment: 'good' },
    ];
    await seed(store.table, [...answers, ...bystanders]);
    const before = JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'));
    const connector = new DynamoDbConnector(documents, store, store.table);

    // Act
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);
    const again = await connector.erase(subject);

    // Assess
    expect(erased).toEqual({ matched: 30, deleted: 0, anonymized: 30, retained: 0 });
    expect(verified).toEqual({ remaining: 0 });
    expect(again).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    const anonymous = (await scan(store.table)).filter((item) => String(item.customerId).startsWith('anon-'));
    expect(anonymous).toHaveLength(30);
    expect(new Set(anonymous.map((item) => item.customerId)).size).toBe(1);
    expect(
      anonymous.every((item) => !('comment' in item) && !('jobTitle' in item) && item.answeredBy === item.customerId && item.email === item.customerId),
    ).toBe(true);
    expect(anonymous.map((item) => item.score).sort()).toEqual(answers.map((answer) => answer.score).sort());
    expect(JSON.stringify(anonymous)).not.toMatch(/C-1001|jane@example\.com|Jane here|CTO/);
    expect(await itemsOf(store.table, 'customerId', 'C-1001')).toHaveLength(0);
    expect(JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'))).toBe(before);
  });

  it('retains billing records and removes only the listed attributes', async () => {
    // Prepare
    const store = dynamoStore('billing-records');
    const invoices = Array.from({ length: 40 }, (_, index) => ({
      ...jane,
      invoiceId: `I-${String(index).padStart(3, '0')}`,
      amount: 100 + index,
      billingAddress: '1 High Street, London',
      phone: '+44 20 7946 0000',
      marketingSegment: 'smb',
    }));
    const bystander = { ...john, invoiceId: 'I-900', amount: 5, phone: '+44 20 7946 0999', marketingSegment: 'enterprise' };
    await seed(store.table, [...invoices, bystander]);
    const before = JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'));
    const connector = new DynamoDbConnector(documents, store, store.table);

    // Act
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);

    // Assess
    expect(erased).toEqual({ matched: 40, deleted: 0, anonymized: 0, retained: 40 });
    expect(verified).toEqual({ remaining: 0 });
    const kept = await itemsOf(store.table, 'customerId', 'C-1001');
    expect(kept).toEqual(invoices.map(({ phone: _phone, marketingSegment: _segment, ...rest }) => rest));
    expect(JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'))).toBe(before);
  });

  it('amends only the subject’s tickets, reports nothing to update the second time, and never touches a key', async () => {
    // Prepare: one ticket already carries the new name.
    const store = dynamoStore('support-tickets');
    const tickets = [
      { ...jane, ticketId: 'T-1', contactName: 'Jane Smith', contactPhone: '+44 20 0000 0000', subject: 'Login' },
      { ...jane, ticketId: 'T-2', contactName: 'Jane Smith', subject: 'Invoice' },
      { ...jane, ticketId: 'T-3', contactName: 'Jane Doe', subject: 'Export' },
    ];
    const bystanders = [
      { ...john, ticketId: 'T-9', contactName: 'Jane Smith', subject: 'Login' },
      { ...janet, ticketId: 'T-8', contactName: 'Janet Roe', subject: 'Billing' },
    ];
    await seed(store.table, [...tickets, ...bystanders]);
    const before = JSON.stringify([await itemsOf(store.table, 'customerId', 'C-2002'), await itemsOf(store.table, 'customerId', 'C-10010')]);
    const connector = new DynamoDbConnector(documents, store, store.table);

    // Act
    const amended = await connector.amend(subject, [{ attribute: 'contactName', value: 'Jane Doe' }], []);
    const again = await connector.amend(subject, [{ attribute: 'contactName', value: 'Jane Doe' }], []);
    const nobody = await connector.amend(
      { requestId: subject.requestId, keys: { email: ['nobody@example.com'], customerId: ['C-4040'] } },
      [{ attribute: 'contactName', value: 'Nobody' }],
      [],
    );
    const keyChange = connector.amend(subject, [{ attribute: 'ticketId', value: 'T-100' }], []);

    // Assess
    expect(amended).toEqual({ matched: 3, updated: 2 });
    expect(again).toEqual({ matched: 3, updated: 0 });
    expect(nobody).toEqual({ matched: 0, updated: 0 });
    await expect(keyChange).rejects.toBeInstanceOf(StoreConfigurationError);
    expect((await itemsOf(store.table, 'customerId', 'C-1001')).map((ticket) => [ticket.ticketId, ticket.contactName, ticket.subject])).toEqual([
      ['T-1', 'Jane Doe', 'Login'],
      ['T-2', 'Jane Doe', 'Invoice'],
      ['T-3', 'Jane Doe', 'Export'],
    ]);
    expect(await itemsOf(store.table, 'customerId', 'C-4040')).toHaveLength(0);
    expect(JSON.stringify([await itemsOf(store.table, 'customerId', 'C-2002'), await itemsOf(store.table, 'customerId', 'C-10010')])).toBe(before);
  });

  it('finds an account through the email index, amends it, and deletes it by its table key', async () => {
    // Prepare
    const store = dynamoStore('accounts');
    const account = { ...jane, name: 'Jane Smith', phone: '+44 20 0000 0000' };
    const bystander = { ...john, name: 'John Roe' };
    await seed(store.table, [account, bystander]);
    const before = JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'));
    const connector = new DynamoDbConnector(documents, store, store.table);

    // Act
    const { records } = await connector.collect(subject);
    const amended = await connector.amend(subject, [{ attribute: 'name', value: 'Jane Doe' }], []);
    const amendedRecords = (await connector.collect(subject)).records;
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);

    // Assess
    expect(records).toEqual([account]);
    expect(amended).toEqual({ matched: 1, updated: 1 });
    expect(amendedRecords).toEqual([{ ...account, name: 'Jane Doe' }]);
    expect(erased).toEqual({ matched: 1, deleted: 1, anonymized: 0, retained: 0 });
    expect(verified).toEqual({ remaining: 0 });
    expect(JSON.stringify(await itemsOf(store.table, 'customerId', 'C-2002'))).toBe(before);
  });
});

describe('the S3 connector on fauxqs', () => {
  it('erases every file under the subject’s prefix, across pages, and nothing else', async () => {
    // Prepare: more files than one listing page and one DeleteObjects call hold, and bystanders
    // whose prefixes start like the subject's.
    const store = s3Store('uploaded-files');
    const files = Array.from({ length: 1_050 }, (_, index) => `uploads/C-1001/${index % 2 === 0 ? 'docs/' : ''}file-${index}.txt`);
    for (const batch of chunk(files, 50)) {
      await Promise.all(
        batch.map((key) => s3.send(new PutObjectCommand({ Bucket: store.bucket, Key: key, Body: `content of ${key}`, ContentType: 'text/plain' }))),
      );
    }
    const bystanders = ['uploads/C-10010/contract.pdf', 'uploads/C-2002/photo.png', 'uploads/C-1001.txt'];
    for (const key of bystanders) await s3.send(new PutObjectCommand({ Bucket: store.bucket, Key: key, Body: `bystander ${key}` }));
    const connector = new S3Connector(s3, store, store.bucket);

    // Act
    const amended = await connector.amend(subject, [{ attribute: 'name', value: 'Jane Doe' }], []);
    const { records } = await connector.collect(subject);
    const erased = await connector.erase(subject);
    const verified = await connector.verifyErased(subject);
    const again = await connector.erase(subject);

    // Assess
    expect(amended).toEqual({ matched: 1_050, updated: 0 });
    expect(records).toHaveLength(1_050);
    expect(records).toContainEqual(
      expect.objectContaining({
        file: 'docs/file-0.txt',
        contentType: 'text/plain',
        contentBase64: Buffer.from('content of uploads/C-1001/docs/file-0.txt').toString('base64'),
      }),
    );
    expect(erased).toEqual({ matched: 1_050, deleted: 1_050, anonymized: 0, retained: 0 });
    expect(verified).toEqual({ remaining: 0 });
    expect(again).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    const left = await s3.send(new ListObjectsV2Command({ Bucket: store.bucket }));
    expect((left.Contents ?? []).map((object) => object.Key).sort()).toEqual([...bystanders].sort());
    for (const key of bystanders) {
      const object = await s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
      expect(await object.Body!.transformToString()).toBe(`bystander ${key}`);
    }
  });
});
