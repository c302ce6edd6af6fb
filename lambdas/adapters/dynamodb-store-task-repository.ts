import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManualEscalation } from '../domain/manual-handling.ts';
import type { StoreTask, StoreTaskRepository, StoreTaskResult } from '../ports/store-task-repository.ts';

const keyOf = (requestId: string, storeId: string) => ({ pk: `REQUEST#${requestId}`, sk: `STORE#${storeId}` });

/** Store tasks in the request table, one item per request and store, each change one conditional write. */
export class DynamoDbStoreTaskRepository implements StoreTaskRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async begin(requestId: string, storeId: string, action: string, taskToken: string): Promise<StoreTask> {
    const at = this.now().toISOString();
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId, storeId),
          UpdateExpression:
            'SET #requestId = :requestId, #storeId = :storeId, #action = :action, #status = :running, #taskToken = :taskToken, #startedAt = if_not_exists(#startedAt, :at), #updatedAt = :at, #attempts = if_not_exists(#attempts, :zero) + :one REMOVE #note, #escalated',
          // A finished task is never restarted: only a new or unfinished (or failed, for a retry) one is.
          // A new run asks the processor again: an escalation of an earlier run no longer holds.
          ConditionExpression: 'attribute_not_exists(#status) OR NOT (#status IN (:succeeded, :skipped))',
          ExpressionAttributeNames: {
            '#requestId': 'requestId',
            '#storeId': 'storeId',
            '#action': 'action',
            '#status': 'status',
            '#taskToken': 'taskToken',
            '#startedAt': 'startedAt',
            '#updatedAt': 'updatedAt',
            '#attempts': 'attempts',
            '#note': 'note',
            '#escalated': 'escalatedToManual',
          },
          ExpressionAttributeValues: {
            ':requestId': requestId,
            ':storeId': storeId,
            ':action': action,
            ':running': 'running',
            ':taskToken': taskToken,
            ':at': at,
            ':zero': 0,
            ':one': 1,
            ':succeeded': 'succeeded',
            ':skipped': 'skipped',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toTask(Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return (await this.get(requestId, storeId))!;
      throw error;
    }
  }

  async markWaiting(requestId: string, storeId: string, note: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId, storeId),
          UpdateExpression: 'SET #status = :waiting, #note = :note, #updatedAt = :at',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', '#note': 'note', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':waiting': 'waiting', ':running': 'running', ':note': note, ':at': this.now().toISOString() },
        }),
      )
      .catch((error: unknown) => {
        // A fast processor may have called back before we got here: the task is already settled.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async fail(requestId: string, storeId: string, error: string): Promise<void> {
    const result: StoreTaskResult = { status: 'failed', error };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId, storeId),
          UpdateExpression: 'SET #status = :failed, #result = :result, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(#status)',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':failed': 'failed', ':result': result, ':at': this.now().toISOString() },
        }),
      );
    } catch (failure) {
      // No task for the store (never begun): a retry runs it anyway.
      if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
    }
  }

  async finish(requestId: string, storeId: string, result: StoreTaskResult, options: { readonly escalated?: true } = {}): Promise<StoreTask | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId, storeId),
          UpdateExpression: 'SET #status = :status, #result = :result, #updatedAt = :at',
          ConditionExpression: options.escalated ? '#status IN (:running, :waiting) AND attribute_exists(#escalated)' : '#status IN (:running, :waiting)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#result': 'result',
            '#updatedAt': 'updatedAt',
            ...(options.escalated ? { '#escalated': 'escalatedToManual' } : {}),
          },
          ExpressionAttributeValues: {
            ':status': result.status,
            ':result': result,
            ':running': 'running',
            ':waiting': 'waiting',
            ':at': this.now().toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toTask(Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async escalate(requestId: string, storeId: string, escalation: ManualEscalation): Promise<StoreTask | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId, storeId),
          UpdateExpression: 'SET #escalated = :escalation, #updatedAt = :at',
          ConditionExpression: '#status = :waiting AND attribute_not_exists(#escalated)',
          ExpressionAttributeNames: { '#status': 'status', '#escalated': 'escalatedToManual', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':waiting': 'waiting', ':escalation': escalation, ':at': this.now().toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toTask(Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async get(requestId: string, storeId: string): Promise<StoreTask | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(requestId, storeId), ConsistentRead: true }));
    return Item ? toTask(Item) : undefined;
  }

  async list(requestId: string): Promise<StoreTask[]> {
    const tasks: StoreTask[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :store)',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': `REQUEST#${requestId}`, ':store': 'STORE#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      tasks.push(...(page.Items ?? []).map(toTask));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return tasks;
  }

  async removeAll(requestId: string): Promise<void> {
    for (const task of await this.list(requestId)) {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(requestId, task.storeId) }));
    }
  }
}

function toTask(item: Record<string, unknown>): StoreTask {
  const { pk: _pk, sk: _sk, ...task } = item;
  return task as unknown as StoreTask;
}
