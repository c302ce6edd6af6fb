import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDbStore } from '../../lambdas/domain/store-catalog.ts';

/** The table a demo store lives in: its key schema, and its lookup index if it has one. */
export function storeTableDefinition(store: DynamoDbStore): CreateTableCommandInput {
  const { partitionKey, sortKey } = store.keySchema;
  const attributes = new Set([partitionKey, ...(sortKey ? [sortKey] : []), ...(store.lookup.indexName ? [store.lookup.attribute] : [])]);
  return {
    TableName: store.table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' as const }] : [])],
    ...(store.lookup.indexName
      ? {
          GlobalSecondaryIndexes: [
            {
              IndexName: store.lookup.indexName,
              KeySchema: [{ AttributeName: store.lookup.attribute, KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }
      : {}),
  };
}

/**
 * Creates the table unless it exists, then waits until it is ACTIVE: dynalite answers CreateTable while the
 * table is still CREATING and refuses writes to it until then. Says whether it created the table.
 */
export async function ensureActiveTable(client: DynamoDBClient, input: CreateTableCommandInput): Promise<boolean> {
  let created = false;
  try {
    await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(input));
    created = true;
  }
  await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.02, maxDelay: 0.2 }, { TableName: input.TableName });
  return created;
}
