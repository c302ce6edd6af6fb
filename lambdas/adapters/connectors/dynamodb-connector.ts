import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  UpdateCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { StoreConfigurationError, StoreUnavailableError } from '../../domain/errors.ts';
import type { Correction, SubjectKeys } from '../../domain/request.ts';
import type { DynamoDbStore } from '../../domain/store-catalog.ts';
import type {
  AmendResult,
  AttributeChange,
  CollectResult,
  EraseResult,
  StoreConnector,
  StoreRecord,
  Subject,
  VerifyResult,
} from '../../ports/store-connector.ts';
import { mapWithConcurrency, sendInBatches, type Sleep } from '../batching.ts';
import { asStoreError } from './store-errors.ts';

type Item = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** BatchWriteItem takes at most 25 requests, BatchGetItem at most 100 keys. */
const writeBatchSize = 25;
const readBatchSize = 100;
/** Single-item updates in flight at once: fast enough for thousands of items, gentle on on-demand tables. */
const updateConcurrency = 8;

export interface DynamoDbConnectorOptions {
  readonly sleep?: Sleep;
  /** How often the part of a batch DynamoDB left unprocessed is sent again before giving up. */
  readonly maxUnprocessedRetries?: number;
}

/**
 * A DynamoDB table (or one of its indexes) where the subject's items share an attribute.
 * Every operation finds the items afresh, so each is safe to run twice.
 */
export class DynamoDbConnector implements StoreConnector {
  private readonly sleep: Sleep | undefined;
  private readonly maxUnprocessedRetries: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly store: DynamoDbStore,
    private readonly tableName: string,
    options: DynamoDbConnectorOptions = {},
  ) {
    this.sleep = options.sleep;
    this.maxUnprocessedRetries = options.maxUnprocessedRetries ?? 8;
  }

  async collect(subject: Subject): Promise<CollectResult> {
    const records: StoreRecord[] = await this.findItems(subject.keys);
    return { records };
  }

  async count(subject: Subject): Promise<number> {
    return (await this.findItems(subject.keys)).length;
  }

  /** `changes` already name this store's attributes; the requester's corrections are not needed here. */
  async amend(subject: Subject, changes: readonly AttributeChange[], _corrections: readonly Correction[]): Promise<AmendResult> {
    this.refuseKeyAttributes(changes.map((change) => change.attribute));
    // The last change of an attribute wins, as it would in a form.
    const wanted = new Map(changes.map((change) => [change.attribute, change.value]));
    const items = await this.findItems(subject.keys);
    const outcomes = await mapWithConcurrency(items, updateConcurrency, async (item) => {
      // A correction fixes what is held: an item that never carried a field does not gain it.
      const differing = [...wanted].filter(([attribute, value]) => Object.hasOwn(item, attribute) && item[attribute] !== value);
      // Already as asked: writing again would only bump versions and streams.
      if (differing.length === 0) return false;
      return this.updateExisting(item, { set: differing });
    });
    return { matched: items.length, updated: outcomes.filter(Boolean).length };
  }

  async erase(subject: Subject): Promise<EraseResult> {
    const erasure = this.store.erasure;
    switch (erasure.strategy) {
      case 'delete': {
        const items = await this.findItems(subject.keys);
        await this.writeAll(items.map((item) => ({ DeleteRequest: { Key: this.tableKey(item) } })));
        return { matched: items.length, deleted: items.length, anonymized: 0, retained: 0 };
      }
      case 'anonymize': {
        this.refuseKeyAttributes(erasure.attributes);
        const items = await this.findItems(subject.keys);
        await this.writeAll(this.anonymizedWrites(items, subject.keys, erasure.attributes));
        return { matched: items.length, deleted: 0, anonymized: items.length, retained: 0 };
      }
      case 'retain': {
        const remove = erasure.removeAttributes ?? [];
        this.refuseKeyAttributes(remove);
        const items = await this.findItems(subject.keys);
        const kept = await mapWithConcurrency(items, updateConcurrency, async (item) =>
          remove.some((attribute) => Object.hasOwn(item, attribute)) ? this.updateExisting(item, { remove }) : true,
        );
        // An item deleted meanwhile (by its owner's process) is not retained.
        return { matched: items.length, deleted: 0, anonymized: 0, retained: kept.filter(Boolean).length };
      }
    }
  }

  async verifyErased(subject: Subject): Promise<VerifyResult> {
    const items = await this.findItems(subject.keys);
    const erasure = this.store.erasure;
    if (erasure.strategy !== 'retain') return { remaining: items.length };
    const remove = erasure.removeAttributes ?? [];
    return { remaining: items.filter((item) => remove.some((attribute) => Object.hasOwn(item, attribute))).length };
  }

  /**
   * The items stay for statistics but lose the link to the subject: every attribute holding one of
   * the subject's key values gets one pseudonym (so the rows stay groupable), the listed attributes
   * go. The copy is written and the original deleted in the same batch; when the table key does not
   * change, the copy simply replaces the original.
   */
  private anonymizedWrites(items: readonly Item[], keys: SubjectKeys, attributes: readonly string[]): WriteRequest[] {
    const subjectValues = new Set(
      Object.values(keys)
        .flat()
        .filter((value) => value.length > 0),
    );
    const removed = new Set(attributes);
    const pseudonym = `anon-${randomUUID()}`;
    const copyKeys = new Set<string>();
    const writes: WriteRequest[] = [];
    for (const item of items) {
      const copy = Object.fromEntries(
        Object.entries(item)
          .filter(([attribute]) => !removed.has(attribute))
          .map(([attribute, value]) => [attribute, typeof value === 'string' && subjectValues.has(value) ? pseudonym : value]),
      );
      const copyKey = this.keyId(copy);
      // Two copies on one key would overwrite each other and lose a row: refuse before writing anything.
      if (copyKeys.has(copyKey))
        throw new StoreConfigurationError(`Store ${this.store.id}: anonymized items would share a table key; the sort key must not hold a subject key`);
      copyKeys.add(copyKey);
      writes.push({ PutRequest: { Item: copy } });
      if (copyKey !== this.keyId(item)) writes.push({ DeleteRequest: { Key: this.tableKey(item) } });
    }
    return writes;
  }

  /** Every item of the subject, read from the table itself (an index may project less, and lag). */
  private async findItems(keys: SubjectKeys): Promise<Item[]> {
    const values = [...new Set(keys[this.store.lookup.identity] ?? [])].filter((value) => value.length > 0);
    const found = new Map<string, Item>();
    for (const value of values) {
      for await (const item of this.query(value)) found.set(this.keyId(item), item);
    }
    if (!this.store.lookup.indexName || found.size === 0) return [...found.values()];
    const current = await this.readFromTable([...found.values()].map((item) => this.tableKey(item)));
    // Keep only items that still belong to the subject, in the order the index gave them.
    return [...found.keys()].flatMap((id) => {
      const item = current.get(id);
      return item && values.includes(item[this.store.lookup.attribute] as string) ? [item] : [];
    });
  }

  private async *query(value: string): AsyncGenerator<Item> {
    const { indexName, attribute } = this.store.lookup;
    let startKey: Record<string, unknown> | undefined;
    do {
      try {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: indexName,
            KeyConditionExpression: '#subject = :subject',
            ExpressionAttributeNames: { '#subject': attribute },
            ExpressionAttributeValues: { ':subject': value },
            ExclusiveStartKey: startKey,
            // A global index cannot be read consistently; the table can, so a verify right after an erase is exact.
            ConsistentRead: indexName ? undefined : true,
          }),
        );
        yield* page.Items ?? [];
        startKey = page.LastEvaluatedKey;
      } catch (error) {
        throw asStoreError(this.store.id, error);
      }
    } while (startKey);
  }

  private async readFromTable(keys: readonly Item[]): Promise<Map<string, Item>> {
    const items = new Map<string, Item>();
    const unread = await sendInBatches(
      keys,
      async (batch) => {
        try {
          const output = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch, ConsistentRead: true } } }));
          for (const item of output.Responses?.[this.tableName] ?? []) items.set(this.keyId(item), item);
          return output.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        } catch (error) {
          throw asStoreError(this.store.id, error);
        }
      },
      { batchSize: readBatchSize, maxRetries: this.maxUnprocessedRetries, sleep: this.sleep },
    );
    if (unread.length > 0)
      throw new StoreUnavailableError(`Store ${this.store.id}: ${unread.length} reads still unprocessed after ${this.maxUnprocessedRetries} retries`);
    return items;
  }

  private async writeAll(requests: readonly WriteRequest[]): Promise<void> {
    const unprocessed = await sendInBatches(
      requests,
      async (batch) => {
        try {
          const output = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }));
          return output.UnprocessedItems?.[this.tableName] ?? [];
        } catch (error) {
          throw asStoreError(this.store.id, error);
        }
      },
      { batchSize: writeBatchSize, maxRetries: this.maxUnprocessedRetries, sleep: this.sleep },
    );
    if (unprocessed.length > 0)
      throw new StoreUnavailableError(`Store ${this.store.id}: ${unprocessed.length} writes still unprocessed after ${this.maxUnprocessedRetries} retries`);
  }

  /**
   * Sets and removes attributes of an item that must still exist: an update never creates an item.
   * Returns false when the item is gone.
   */
  private async updateExisting(item: Item, change: { set?: readonly (readonly [string, unknown])[]; remove?: readonly string[] }): Promise<boolean> {
    const names: Record<string, string> = { '#key': this.store.keySchema.partitionKey };
    const values: Record<string, unknown> = {};
    const clauses: string[] = [];
    const set = change.set ?? [];
    if (set.length > 0) {
      set.forEach(([attribute, value], index) => {
        names[`#set${index}`] = attribute;
        values[`:set${index}`] = value;
      });
      clauses.push(`SET ${set.map((_, index) => `#set${index} = :set${index}`).join(', ')}`);
    }
    const remove = change.remove ?? [];
    if (remove.length > 0) {
      for (const [index, attribute] of remove.entries()) names[`#remove${index}`] = attribute;
      clauses.push(`REMOVE ${remove.map((_, index) => `#remove${index}`).join(', ')}`);
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.tableKey(item),
          UpdateExpression: clauses.join(' '),
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        }),
      );
      return true;
    } catch (error) {
      // By name: a second copy of the SDK in a bundle would defeat instanceof.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw asStoreError(this.store.id, error);
    }
  }

  /** Key attributes identify the item: changing or removing one would create another item, or fail. */
  private refuseKeyAttributes(attributes: readonly string[]): void {
    const { partitionKey, sortKey } = this.store.keySchema;
    if (attributes.some((attribute) => attribute === partitionKey || attribute === sortKey)) {
      throw new StoreConfigurationError(`Store ${this.store.id}: key attributes cannot be changed or removed`);
    }
  }

  private tableKey(item: Item): Item {
    const { partitionKey, sortKey } = this.store.keySchema;
    if (item[partitionKey] === undefined || (sortKey !== undefined && item[sortKey] === undefined)) {
      throw new StoreConfigurationError(`Store ${this.store.id}: an item found has no table key; check keySchema`);
    }
    return sortKey === undefined ? { [partitionKey]: item[partitionKey] } : { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] };
  }

  /** A comparable identity of an item's table key. */
  private keyId(item: Item): string {
    const { partitionKey, sortKey } = this.store.keySchema;
    return JSON.stringify([item[partitionKey], sortKey === undefined ? null : item[sortKey]]);
  }
}
