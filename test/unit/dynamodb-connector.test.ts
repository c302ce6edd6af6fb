import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay, chunk } from '../../lambdas/adapters/batching.ts';
import { DynamoDbConnector } from '../../lambdas/adapters/connectors/dynamodb-connector.ts';
import { StoreConfigurationError, StoreUnavailableError } from '../../lambdas/domain/errors.ts';
import type { DynamoDbStore, ErasureStrategy } from '../../lambdas/domain/store-catalog.ts';
import type { Subject } from '../../lambdas/ports/store-connector.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documents);
const table = 'usage-table';
const subject: Subject = { requestId: 'req_0mhz1abcdefghijk', keys: { email: ['jane@example.com'], customerId: ['C-1001'] } };

const disclosure = {
  categories: ['usage'],
  purposes: ['reliability'],
  legalBasis: 'legitimate interests',
  recipients: [],
  retention: '13 months',
  source: 'our systems',
};

function storeWith(erasure: ErasureStrategy, overrides: Partial<DynamoDbStore> = {}): DynamoDbStore {
  return {
    id: 'usage-events',
    name: 'Usage',
    kind: 'dynamodb',
    provision: 'demo',
    table,
    keySchema: { partitionKey: 'customerId', sortKey: 'occurredAt' },
    lookup: { identity: 'customerId', attribute: 'customerId' },
    erasure,
    disclosure,
    ...overrides,
  };
}

const noWait = { sleep: async () => {} };

function events(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    customerId: 'C-1001',
    occurredAt: `2026-01-01T00:00:${String(index).padStart(4, '0')}Z`,
    feature: 'export',
  }));
}

function deletedKeys(): unknown[] {
  return dynamo
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => call.args[0].input.RequestItems![table]!.filter((request) => request.DeleteRequest).map((request) => request.DeleteRequest!.Key));
}

beforeEach(() => dynamo.reset());

describe('the DynamoDB connector', () => {
  it('collects every page of the subject’s items, consistently read from the table', async () => {
    // Prepare
    const all = events(5);
    dynamo.on(QueryCommand).callsFake((input) => (input.ExclusiveStartKey ? { Items: all.slice(3) } : { Items: all.slice(0, 3), LastEvaluatedKey: all[2] }));
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    // Act
    const { records } = await connector.collect(subject);

    // Assess
    expect(records).toEqual(all);
    const queries = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      TableName: table,
      KeyConditionExpression: '#subject = :subject',
      ExpressionAttributeNames: { '#subject': 'customerId' },
      ExpressionAttributeValues: { ':subject': 'C-1001' },
      ConsistentRead: true,
    });
    expect(queries[1]!.ExclusiveStartKey).toEqual(all[2]);
  });

  it('finds nothing and asks nothing when the subject has no key of the lookup identity', async () => {
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    const erased = await connector.erase({ requestId: subject.requestId, keys: { email: ['jane@example.com'] } });

    expect(erased).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('reads items found through an index from the table, and drops those that no longer belong to the subject', async () => {
    // Prepare: a keys-only index that still lists an item whose email has changed.
    const store = storeWith(
      { strategy: 'delete' },
      { keySchema: { partitionKey: 'customerId' }, lookup: { identity: 'email', attribute: 'email', indexName: 'by-email' } },
    );
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', email: 'jane@example.com' },
        { customerId: 'C-1002', email: 'jane@example.com' },
      ],
    });
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        [table]: [
          { customerId: 'C-1001', email: 'jane@example.com', name: 'Jane' },
          { customerId: 'C-1002', email: 'someone@example.com', name: 'Other' },
        ],
      },
    });
    const connector = new DynamoDbConnector(documents, store, table);

    // Act
    const { records } = await connector.collect(subject);

    // Assess
    expect(records).toEqual([{ customerId: 'C-1001', email: 'jane@example.com', name: 'Jane' }]);
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'by-email', ConsistentRead: undefined });
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems![table]).toEqual({
      Keys: [{ customerId: 'C-1001' }, { customerId: 'C-1002' }],
      ConsistentRead: true,
    });
  });

  it('deletes 60 items in three batches of at most 25, by table key', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: events(60) });
    dynamo.on(BatchWriteCommand).resolves({});
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table, noWait);

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased).toEqual({ matched: 60, deleted: 60, anonymized: 0, retained: 0 });
    const batches = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems![table]!.length);
    expect(batches).toEqual([25, 25, 10]);
    expect(deletedKeys()[0]).toEqual({ customerId: 'C-1001', occurredAt: '2026-01-01T00:00:0000Z' });
    expect(new Set(deletedKeys().map((key) => JSON.stringify(key))).size).toBe(60);
  });

  it('sends unprocessed items again after a jittered backoff until they are written', async () => {
    // Prepare: DynamoDB leaves two items unprocessed twice.
    const items = events(3);
    const leftover = items.slice(1).map((item) => ({ DeleteRequest: { Key: { customerId: item.customerId, occurredAt: item.occurredAt } } }));
    dynamo.on(QueryCommand).resolves({ Items: items });
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [table]: leftover } })
      .resolvesOnce({ UnprocessedItems: { [table]: leftover } })
      .resolves({ UnprocessedItems: {} });
    const waits: number[] = [];
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table, { sleep: async (ms) => void waits.push(ms) });

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased.deleted).toBe(3);
    const sent = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems![table]);
    expect(sent.map((batch) => batch!.length)).toEqual([3, 2, 2]);
    expect(sent[1]).toEqual(leftover);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThan(50);
    expect(waits[1]).toBeLessThan(100);
  });

  it('gives up as unavailable when items stay unprocessed, after a bounded number of retries', async () => {
    // Prepare
    const items = events(2);
    dynamo.on(QueryCommand).resolves({ Items: items });
    dynamo.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    let waits = 0;
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table, { sleep: async () => void waits++, maxUnprocessedRetries: 3 });

    // Act
    const erasing = connector.erase(subject);

    // Assess: the message names counts, never keys.
    await expect(erasing).rejects.toThrow(new StoreUnavailableError('Store usage-events: 2 writes still unprocessed after 3 retries'));
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(4);
    expect(waits).toBe(3);
  });

  it('reports throttling as a store that is unavailable, so the workflow retries', async () => {
    dynamo.on(QueryCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    await expect(connector.erase(subject)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('reports a missing table as a configuration problem, which retrying cannot fix', async () => {
    dynamo.on(QueryCommand).rejects(new ResourceNotFoundException({ message: 'no table', $metadata: {} }));
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    const collecting = connector.collect(subject);

    await expect(collecting).rejects.toBeInstanceOf(StoreConfigurationError);
    await expect(collecting).rejects.toThrow('Store usage-events: ResourceNotFoundException');
  });

  it('amends only items that differ, one conditional update each, so an amendment never creates an item', async () => {
    // Prepare: the second item already holds the new values.
    const store = storeWith({ strategy: 'delete' }, { keySchema: { partitionKey: 'customerId', sortKey: 'ticketId' } });
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', ticketId: 'T-1', contactName: 'Jane Smith', contactPhone: '+44 20 0000 0000' },
        { customerId: 'C-1001', ticketId: 'T-2', contactName: 'Jane Doe', contactPhone: '+44 20 1111 1111' },
      ],
    });
    dynamo.on(UpdateCommand).resolves({});
    const connector = new DynamoDbConnector(documents, store, table);

    // Act
    const amended = await connector.amend(
      subject,
      [
        { attribute: 'contactName', value: 'Jane Doe' },
        { attribute: 'contactPhone', value: '+44 20 1111 1111' },
      ],
      [],
    );

    // Assess
    expect(amended).toEqual({ matched: 2, updated: 1 });
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      {
        TableName: table,
        Key: { customerId: 'C-1001', ticketId: 'T-1' },
        UpdateExpression: 'SET #set0 = :set0, #set1 = :set1',
        ConditionExpression: 'attribute_exists(#key)',
        ExpressionAttributeNames: { '#key': 'customerId', '#set0': 'contactName', '#set1': 'contactPhone' },
        ExpressionAttributeValues: { ':set0': 'Jane Doe', ':set1': '+44 20 1111 1111' },
      },
    ]);
  });

  it('does not count an item deleted between the query and the update', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ customerId: 'C-1001', occurredAt: 'a', device: 'old' }] });
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'gone', $metadata: {} }));
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    const amended = await connector.amend(subject, [{ attribute: 'device', value: 'new' }], []);

    expect(amended).toEqual({ matched: 1, updated: 0 });
  });

  it('refuses to amend a key attribute, before touching the table', async () => {
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    const amending = connector.amend(subject, [{ attribute: 'occurredAt', value: 'x' }], []);

    await expect(amending).rejects.toThrow(new StoreConfigurationError('Store usage-events: key attributes cannot be changed or removed'));
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('anonymizes by writing copies under one fresh pseudonym, without the listed attributes, and deleting the originals', async () => {
    // Prepare
    const store = storeWith({ strategy: 'anonymize', attributes: ['comment', 'jobTitle'] }, { keySchema: { partitionKey: 'customerId', sortKey: 'surveyId' } });
    const answers = [
      { customerId: 'C-1001', surveyId: 'S-1', score: 9, comment: 'Jane here, love it', jobTitle: 'CTO', respondent: 'jane@example.com' },
      { customerId: 'C-1001', surveyId: 'S-2', score: 4, comment: 'meh' },
    ];
    dynamo.on(QueryCommand).resolves({ Items: answers });
    dynamo.on(BatchWriteCommand).resolves({});
    const connector = new DynamoDbConnector(documents, store, table, noWait);

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased).toEqual({ matched: 2, deleted: 0, anonymized: 2, retained: 0 });
    const requests = dynamo.commandCalls(BatchWriteCommand).flatMap((call) => call.args[0].input.RequestItems![table]!);
    const copies = requests.filter((request) => request.PutRequest).map((request) => request.PutRequest!.Item!);
    const pseudonym = copies[0]!.customerId as string;
    expect(pseudonym).toMatch(/^anon-[0-9a-f-]{36}$/);
    expect(copies).toEqual([
      { customerId: pseudonym, surveyId: 'S-1', score: 9, respondent: pseudonym },
      { customerId: pseudonym, surveyId: 'S-2', score: 4 },
    ]);
    expect(deletedKeys()).toEqual([
      { customerId: 'C-1001', surveyId: 'S-1' },
      { customerId: 'C-1001', surveyId: 'S-2' },
    ]);
    expect(JSON.stringify(copies)).not.toMatch(/C-1001|jane@example\.com|CTO/);
  });

  it('anonymizes in place when the table key does not name the subject, instead of deleting the copy', async () => {
    // Prepare: answers keyed by answer id, found through an index on customerId.
    const store = storeWith(
      { strategy: 'anonymize', attributes: ['comment'] },
      { keySchema: { partitionKey: 'answerId' }, lookup: { identity: 'customerId', attribute: 'customerId', indexName: 'by-customer' } },
    );
    const answer = { answerId: 'A-1', customerId: 'C-1001', score: 7, comment: 'fine' };
    dynamo.on(QueryCommand).resolves({ Items: [answer] });
    dynamo.on(BatchGetCommand).resolves({ Responses: { [table]: [answer] } });
    dynamo.on(BatchWriteCommand).resolves({});
    const connector = new DynamoDbConnector(documents, store, table, noWait);

    // Act
    await connector.erase(subject);

    // Assess
    const requests = dynamo.commandCalls(BatchWriteCommand).flatMap((call) => call.args[0].input.RequestItems![table]!);
    expect(requests).toEqual([{ PutRequest: { Item: { answerId: 'A-1', customerId: expect.stringMatching(/^anon-/), score: 7 } } }]);
  });

  it('refuses to anonymize when copies would collide on one table key', async () => {
    // Prepare: the sort key holds the subject's email, so both copies would become (anon, anon).
    const store = storeWith({ strategy: 'anonymize', attributes: [] }, { keySchema: { partitionKey: 'customerId', sortKey: 'contact' } });
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', contact: 'jane@example.com' },
        { customerId: 'C-1002', contact: 'jane@example.com' },
      ],
    });
    const connector = new DynamoDbConnector(documents, store, table, noWait);

    const erasing = connector.erase({ requestId: subject.requestId, keys: { email: ['jane@example.com'], customerId: ['C-1001', 'C-1002'] } });

    await expect(erasing).rejects.toBeInstanceOf(StoreConfigurationError);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('retains items and only removes the listed attributes, where present', async () => {
    // Prepare
    const store = storeWith(
      { strategy: 'retain', legalBasis: 'tax law', retentionPeriod: '10 years', removeAttributes: ['phone', 'marketingSegment'] },
      { keySchema: { partitionKey: 'customerId', sortKey: 'invoiceId' } },
    );
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', invoiceId: 'I-1', amount: 10, phone: '+44 20 0000 0000', marketingSegment: 'smb' },
        { customerId: 'C-1001', invoiceId: 'I-2', amount: 20 },
      ],
    });
    dynamo.on(UpdateCommand).resolves({});
    const connector = new DynamoDbConnector(documents, store, table);

    // Act
    const erased = await connector.erase(subject);

    // Assess
    expect(erased).toEqual({ matched: 2, deleted: 0, anonymized: 0, retained: 2 });
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      {
        TableName: table,
        Key: { customerId: 'C-1001', invoiceId: 'I-1' },
        UpdateExpression: 'REMOVE #remove0, #remove1',
        ConditionExpression: 'attribute_exists(#key)',
        ExpressionAttributeNames: { '#key': 'customerId', '#remove0': 'phone', '#remove1': 'marketingSegment' },
        ExpressionAttributeValues: undefined,
      },
    ]);
  });

  it('verifies a retained store by counting items that still carry a listed attribute', async () => {
    const store = storeWith(
      { strategy: 'retain', legalBasis: 'tax law', retentionPeriod: '10 years', removeAttributes: ['phone'] },
      { keySchema: { partitionKey: 'customerId', sortKey: 'invoiceId' } },
    );
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', invoiceId: 'I-1', phone: 'x' },
        { customerId: 'C-1001', invoiceId: 'I-2' },
      ],
    });
    const connector = new DynamoDbConnector(documents, store, table);

    expect(await connector.verifyErased(subject)).toEqual({ remaining: 1 });
  });

  it('verifies a deleting store by counting the subject’s items still found', async () => {
    dynamo.on(QueryCommand).resolves({ Items: events(2) });
    const connector = new DynamoDbConnector(documents, storeWith({ strategy: 'delete' }), table);

    expect(await connector.verifyErased(subject)).toEqual({ remaining: 2 });
  });
});

describe('the batch helpers', () => {
  it('cut a list into batches of at most the given size', () => {
    expect(
      chunk(
        Array.from({ length: 60 }, (_, index) => index),
        25,
      ).map((batch) => batch.length),
    ).toEqual([25, 25, 10]);
  });

  it('back off exponentially under a cap, with full jitter', () => {
    const highest = () => 0.999_999;
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, { random: highest }))).toEqual([49, 99, 199, 399, 4999]);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });
});
