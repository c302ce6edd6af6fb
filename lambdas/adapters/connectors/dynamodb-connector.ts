import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubjectKeys } from '../../domain/request.ts';
import type { DynamoDbStore } from '../../domain/store-catalog.ts';
import type { CollectResult, StoreConnector, StoreRecord } from '../../ports/store-connector.ts';
import { asStoreError } from './store-errors.ts';

/** A DynamoDB table (or one of its indexes) where the subject's items share a key attribute. */
export class DynamoDbConnector implements StoreConnector {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly store: DynamoDbStore,
    private readonly tableName: string,
  ) {}

  async collect(keys: SubjectKeys): Promise<CollectResult> {
    const records: StoreRecord[] = [];
    for (const value of keys[this.store.lookup.identity] ?? []) {
      for await (const item of this.query(value)) records.push(item);
    }
    return { records };
  }

  private async *query(value: string): AsyncGenerator<StoreRecord> {
    let startKey: Record<string, unknown> | undefined;
    do {
      try {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: this.store.lookup.indexName,
            KeyConditionExpression: '#subject = :subject',
            ExpressionAttributeNames: { '#subject': this.store.lookup.attribute },
            ExpressionAttributeValues: { ':subject': value },
            ExclusiveStartKey: startKey,
          }),
        );
        yield* page.Items ?? [];
        startKey = page.LastEvaluatedKey;
      } catch (error) {
        throw asStoreError(this.store.id, error);
      }
    } while (startKey);
  }
}

