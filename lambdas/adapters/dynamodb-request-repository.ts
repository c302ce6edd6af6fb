import { createHash } from 'node:crypto';
import { mailboxOf } from '../domain/email-address.ts';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, InvalidCursorError, RequestNotFoundError } from '../domain/errors.ts';
import { statusesAllowedBefore, type RequestStatus } from '../domain/status.ts';
import type { DsrRequest } from '../domain/request.ts';
import { sendInBatches } from './batching.ts';
import { requestTableKeys } from '../shared/request-table-schema.ts';
import { decodeCursor, encodeCursor } from '../domain/paging-cursor.ts';
import { publicView, type ChangeOptions, type RequestPage, type RequestRepository, type Requirement, type StoredRequest } from '../ports/request-repository.ts';

/**
 * Requests in one DynamoDB table, one item per request. Every change is a single conditional
 * UpdateItem (the local emulator has no transactions, and one item needs none): the status
 * move, the attribute changes and the audit event land together or not at all.
 *
 * Keys: pk = REQUEST#<id>, sk = REQUEST. Index `by-status`: gsi1pk = STATUS#<status>,
 * gsi1sk = <dueAt>#<id>, so an officer's queue is one Query, earliest deadline first.
 *
 * Beside each request, a pointer item for its mailbox: pk = REQUESTER#<hash of the case-folded
 * canonical address>, sk = <receivedAt>#<id>. A requester's history is one Query and one BatchGetItem, with
 * no index to add to a table that already holds requests. The pointer is written first, so a
 * crash in between leaves a pointer to nothing (skipped on read), never a request out of history.
 */

const keyOf = (requestId: string) => ({ pk: `REQUEST#${requestId}`, sk: 'REQUEST' });
const statusIndexKeys = (status: RequestStatus, dueAt: string, requestId: string) => ({ gsi1pk: `STATUS#${status}`, gsi1sk: `${dueAt}#${requestId}` });

// Case-folded: mail providers treat the local part case-insensitively, so history does too.
// Keyed by mailbox (local part case-folded, +tag dropped): a mailbox's history, and the held
// requests its owner may confirm, whatever spelling each request used. (Equal to the earlier
// case-folded canonical key for every address without a +tag.)
const requesterKey = (emailCanonical: string) => `REQUESTER#${createHash('sha256').update(mailboxOf(emailCanonical), 'utf8').digest('base64url')}`;

const internalAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];

/** BatchGetItem reads at most 100 keys a call; what it leaves unprocessed is asked again this often. */
const readBatchSize = 100;
const unprocessedReadRetries = 5;

export class DynamoDbRequestRepository implements RequestRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(request: StoredRequest): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: requesterKey(request.emailCanonical), sk: `${request.receivedAt}#${request.requestId}`, requestId: request.requestId },
      }),
    );
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf(request.requestId), ...statusIndexKeys(request.status, request.dueAt, request.requestId), ...request },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConflictError(`Request ${request.requestId} already exists`, { cause: error });
      throw error;
    }
  }

  async get(requestId: string): Promise<StoredRequest | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keyOf(requestId), ConsistentRead: true }));
    return Item ? toRequest(Item) : undefined;
  }

  async transition(requestId: string, to: RequestStatus, options: ChangeOptions = {}): Promise<StoredRequest> {
    // The transition table becomes the write's condition: only a status allowed before `to` may move.
    return this.write(requestId, statusesAllowedBefore(to), { ...options, set: { ...options.set, status: to, gsi1pk: `STATUS#${to}` } }, `cannot become ${to}`);
  }

  async update(requestId: string, expectedStatus: RequestStatus | readonly RequestStatus[], options: ChangeOptions): Promise<StoredRequest> {
    const expected = typeof expectedStatus === 'string' ? [expectedStatus] : [...expectedStatus];
    return this.write(requestId, expected, options, 'cannot be changed now');
  }

  async listByStatus(status: RequestStatus, options: { limit?: number; cursor?: string; dueBefore?: string } = {}): Promise<RequestPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: requestTableKeys.statusIndex,
        KeyConditionExpression: options.dueBefore ? '#gsi1pk = :status AND #gsi1sk < :dueBefore' : '#gsi1pk = :status',
        ExpressionAttributeNames: { '#gsi1pk': 'gsi1pk', ...(options.dueBefore ? { '#gsi1sk': 'gsi1sk' } : {}) },
        ExpressionAttributeValues: { ':status': `STATUS#${status}`, ...(options.dueBefore ? { ':dueBefore': options.dueBefore } : {}) },
        Limit: options.limit ?? 50,
        ...(options.cursor ? { ExclusiveStartKey: statusIndexPosition(options.cursor, status) } : {}),
      }),
    );
    return {
      items: Items.map((item) => publicView(toRequest(item))),
      ...(LastEvaluatedKey ? { nextCursor: encodeCursor(LastEvaluatedKey) } : {}),
    };
  }

  cursorAfter(request: DsrRequest): string {
    return encodeCursor({ ...keyOf(request.requestId), ...statusIndexKeys(request.status, request.dueAt, request.requestId) });
  }

  async listByRequester(emailCanonical: string, options: { limit?: number } = {}): Promise<{ items: DsrRequest[]; truncated: boolean }> {
    const limit = options.limit ?? 50;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :requester',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':requester': requesterKey(emailCanonical) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const keys = Items.map((pointer) => keyOf(String(pointer.requestId)));
    const found = new Map<string, DsrRequest>();
    const unread = await sendInBatches(
      keys,
      async (batch) => {
        const output = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } } }));
        for (const item of output.Responses?.[this.tableName] ?? []) found.set(String(item.requestId), publicView(toRequest(item)));
        return (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof batch;
      },
      { batchSize: readBatchSize, maxRetries: unprocessedReadRetries },
    );
    if (unread.length > 0) throw new Error(`${unread.length} requests of a requester's history still unread after ${unprocessedReadRetries} retries`);
    const items = Items.map((pointer) => found.get(String(pointer.requestId))).filter((request): request is DsrRequest => request !== undefined);
    return { items, truncated: LastEvaluatedKey !== undefined };
  }

  async purge(request: DsrRequest, closedStatuses: readonly RequestStatus[], unchangedSince: string): Promise<boolean> {
    const current = await this.get(request.requestId);
    if (!current) return true;
    if (!closedStatuses.includes(current.status) || current.updatedAt >= unchangedSince) return false;
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: requesterKey(current.emailCanonical), sk: `${current.receivedAt}#${current.requestId}` } }),
    );
    const statusPlaceholders = Object.fromEntries(closedStatuses.map((status, index) => [`:closed${index}`, status]));
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(request.requestId),
          ConditionExpression: `#status IN (${Object.keys(statusPlaceholders).join(', ')}) AND #updatedAt < :since`,
          ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ...statusPlaceholders, ':since': unchangedSince },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async write(requestId: string, expectedStatuses: readonly RequestStatus[], options: ChangeOptions, failure: string): Promise<StoredRequest> {
    const names: Record<string, string> = { '#pk': 'pk', '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':updatedAt': this.now().toISOString() };
    const setClauses = ['#updatedAt = :updatedAt'];
    const conditions = ['attribute_exists(#pk)'];

    const statusPlaceholders = expectedStatuses.map((status, index) => {
      values[`:expected${index}`] = status;
      return `:expected${index}`;
    });
    conditions.push(`#status IN (${statusPlaceholders.join(', ')})`);

    // The status index sorts by due date: a new due date moves the request in the queue too.
    const dueAt = options.set?.dueAt;
    const set = typeof dueAt === 'string' ? { ...options.set, gsi1sk: `${dueAt}#${requestId}` } : (options.set ?? {});
    Object.entries(set).forEach(([attribute, value], index) => {
      names[`#set${index}`] = attribute;
      values[`:set${index}`] = value;
      setClauses.push(`#set${index} = :set${index}`);
    });
    if (options.event) {
      names['#events'] = 'events';
      values[':event'] = [options.event];
      values[':empty'] = [];
      setClauses.push('#events = list_append(if_not_exists(#events, :empty), :event)');
    }
    Object.entries(options.append ?? {}).forEach(([attribute, items], index) => {
      names[`#append${index}`] = attribute;
      values[`:append${index}`] = items;
      values[':empty'] = [];
      setClauses.push(`#append${index} = list_append(if_not_exists(#append${index}, :empty), :append${index})`);
    });
    const removeClauses = (options.remove ?? []).map((attribute, index) => {
      names[`#remove${index}`] = attribute;
      return `#remove${index}`;
    });
    for (const [index, requirement] of (options.require ?? []).entries()) conditions.push(conditionFor(requirement, index, names, values));

    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(requestId),
          UpdateExpression: `SET ${setClauses.join(', ')}${removeClauses.length ? ` REMOVE ${removeClauses.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRequest(Attributes!);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const current = await this.get(requestId);
        if (!current) throw new RequestNotFoundError(`Request ${requestId} does not exist`, { cause: error });
        throw new ConflictError(`Request ${requestId} is ${current.status} and ${failure}`, { cause: error });
      }
      throw error;
    }
  }
}

/** A status-index position from a cursor we gave out for this status; anything else is refused. */
function statusIndexPosition(cursor: string, status: RequestStatus): Record<string, string> {
  const position = decodeCursor(cursor);
  const keys = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  const valid =
    Object.keys(position).length === keys.length && keys.every((key) => typeof position[key] === 'string') && position.gsi1pk === `STATUS#${status}`;
  if (!valid) throw new InvalidCursorError('cursor is not one this API gave out for this status');
  return position as Record<string, string>;
}

function conditionFor(requirement: Requirement, index: number, names: Record<string, string>, values: Record<string, unknown>): string {
  const name = `#require${index}`;
  names[name] = requirement.attribute;
  if ('equals' in requirement) {
    values[`:require${index}`] = requirement.equals;
    return `${name} = :require${index}`;
  }
  if ('greaterThan' in requirement) {
    values[`:require${index}`] = requirement.greaterThan;
    return `${name} > :require${index}`;
  }
  if ('notContains' in requirement) {
    values[`:require${index}`] = requirement.notContains;
    return `NOT contains(${name}, :require${index})`;
  }
  return requirement.exists ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
}

function toRequest(item: Record<string, unknown>): StoredRequest {
  const copy = { ...item };
  for (const attribute of internalAttributes) delete copy[attribute];
  return copy as unknown as StoredRequest;
}
