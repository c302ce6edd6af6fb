import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { DynamoDbConnector } from '../../lambdas/adapters/connectors/dynamodb-connector.ts';
import { erasureTotals, previewStore, previewUnchangedStore } from '../../lambdas/domain/approval-preview.ts';
import type { DynamoDbStore, StoreDefinition } from '../../lambdas/domain/store-catalog.ts';

const storeOf = (id: string): StoreDefinition => storeCatalog.stores.find((store) => store.id === id)!;

describe('the approval preview of one store', () => {
  it("classifies an erasure by the store's strategy, naming the law for what is kept", () => {
    expect(previewStore(storeOf('accounts'), 'delete', 4, [])).toMatchObject({ basis: 'counted', delete: 4, anonymize: 0, retain: 0 });
    expect(previewStore(storeOf('survey-answers'), 'delete', 2, [])).toMatchObject({ delete: 0, anonymize: 2, retain: 0 });
    const kept = previewStore(storeOf('billing-records'), 'delete', 3, []);
    expect(kept).toMatchObject({ delete: 0, anonymize: 0, retain: 3 });
    expect(kept.retainBasis).toMatch(/legal obligation/i);
  });

  it('says a processor answers at run time and a person searches, without counting either', () => {
    expect(previewStore(storeOf('crm-partner'), 'delete', undefined, [])).toEqual({
      storeId: 'crm-partner',
      storeName: storeOf('crm-partner').name,
      kind: 'webhook',
      basis: 'at_run_time',
    });
    expect(previewStore(storeOf('paper-archive'), 'access', undefined, [])).toMatchObject({ basis: 'by_hand' });
  });

  it("shows the records an access collects, an amendment's diff and an objection's switches", () => {
    expect(previewStore(storeOf('usage-events'), 'access', 120, [])).toMatchObject({ collect: 120 });
    const diff = [
      { storeId: 'accounts', field: 'phone' as const, attribute: 'phone', before: ['+44 1'], after: '+44 2' },
      { storeId: 'survey-answers', field: 'jobTitle' as const, attribute: 'jobTitle', before: [], after: 'x' },
    ];
    expect(previewStore(storeOf('accounts'), 'amend', 1, diff).changes).toEqual([diff[0]]);
    const marketing = storeCatalog.stores.find((store) => store.marketingOptOut)!;
    expect(previewStore(marketing, 'objection', 1, []).optOut).toEqual(marketing.marketingOptOut);
  });

  it('shows the officer where a corrected field stays as it was, and why', () => {
    const uncorrected = [{ storeId: 'billing-records', field: 'phone' as const, reason: 'invoices already issued must be kept as issued' }];
    expect(previewUnchangedStore(storeOf('billing-records'), uncorrected)).toEqual({
      storeId: 'billing-records',
      storeName: 'Billing records',
      kind: 'dynamodb',
      basis: 'not_run',
      changes: [],
      unchanged: [{ field: 'phone', reason: 'invoices already issued must be kept as issued' }],
    });
    expect(previewStore(storeOf('accounts'), 'amend', 1, [], uncorrected)).not.toHaveProperty('unchanged');
  });

  it('totals an erasure for the confirmation, counting the stores it could not count', () => {
    const previews = [
      previewStore(storeOf('accounts'), 'delete', 1, []),
      previewStore(storeOf('usage-events'), 'delete', 120, []),
      previewStore(storeOf('billing-records'), 'delete', 2, []),
      previewStore(storeOf('crm-partner'), 'delete', undefined, []),
    ];
    expect(erasureTotals(previews)).toEqual({ delete: 121, anonymize: 0, retain: 2, uncounted: 1 });
  });
});

describe('counting in a DynamoDB store', () => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const dynamo = mockClient(documents);
  beforeEach(() => dynamo.reset());

  it("reads the subject's items and writes nothing", async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        { customerId: 'C-1001', occurredAt: 'a' },
        { customerId: 'C-1001', occurredAt: 'b' },
      ],
    });
    const connector = new DynamoDbConnector(documents, storeOf('usage-events') as DynamoDbStore, 'usage-table');
    expect(await connector.count({ requestId: 'req_x', keys: { email: ['jane@example.com'], customerId: ['C-1001'] } })).toBe(2);
    expect(
      [dynamo.commandCalls(BatchWriteCommand), dynamo.commandCalls(PutCommand), dynamo.commandCalls(UpdateCommand), dynamo.commandCalls(DeleteCommand)].flat(),
    ).toEqual([]);
  });
});
