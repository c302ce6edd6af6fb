import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbRequestRepository } from '../../lambdas/adapters/dynamodb-request-repository.ts';
import { ConflictError, RequestNotFoundError } from '../../lambdas/domain/errors.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documents);
const repository = new DynamoDbRequestRepository(documents, 'requests', () => new Date('2026-11-23T10:00:00Z'));
const requestId = 'req_0mhz1abcdefghijk';

beforeEach(() => dynamo.reset());

describe('the DynamoDB request repository', () => {
  it('moves a status only from the statuses the transition table allows, in one conditional write', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { pk: `REQUEST#${requestId}`, sk: 'REQUEST', requestId, status: 'pending_approval' } });
    const updated = await repository.transition(requestId, 'pending_approval', {
      require: [
        { attribute: 'verificationTokenHash', equals: 'h' },
        { attribute: 'verificationExpiresAt', greaterThan: '2026-11-23T10:00:00.000Z' },
      ],
      remove: ['verificationTokenHash'],
      event: { at: '2026-11-23T10:00:00.000Z', actor: 'requester', action: 'verified' },
    });
    expect(updated).toEqual({ requestId, status: 'pending_approval' });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_exists(#pk) AND #status IN (:expected0) AND #require0 = :require0 AND #require1 > :require1');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':expected0': 'pending_verification', ':require0': 'h' });
    expect(input.UpdateExpression).toContain('list_append(if_not_exists(#events, :empty), :event)');
    expect(input.UpdateExpression).toContain('REMOVE #remove0');
    expect(Object.values(input.ExpressionAttributeValues ?? {})).toContain('STATUS#pending_approval');
  });

  it('explains a lost race as a conflict naming the current status', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    dynamo.on(GetCommand).resolves({ Item: { requestId, status: 'pending_approval' } });
    await expect(repository.transition(requestId, 'pending_approval')).rejects.toThrow(
      new ConflictError(`Request ${requestId} is pending_approval and cannot become pending_approval`),
    );
  });

  it('tells a missing request apart from a conflict', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    dynamo.on(GetCommand).resolves({});
    await expect(repository.transition(requestId, 'in_progress')).rejects.toBeInstanceOf(RequestNotFoundError);
  });

  it('never returns its own key attributes', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'REQUEST#x', sk: 'REQUEST', gsi1pk: 'STATUS#completed', gsi1sk: 'x', requestId } });
    expect(await repository.get(requestId)).toEqual({ requestId });
  });

  it('claims a list entry once: NOT contains as the condition of the append', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { requestId, status: 'pending_approval' } });
    await repository.update(requestId, 'pending_approval', {
      append: { remindersSent: ['due_soon@x'] },
      require: [{ attribute: 'remindersSent', notContains: 'due_soon@x' }],
    });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_exists(#pk) AND #status IN (:expected0) AND NOT contains(#require0, :require0)');
    expect(input.ExpressionAttributeNames).toMatchObject({ '#require0': 'remindersSent', '#append0': 'remindersSent' });
    expect(input.ExpressionAttributeValues).toMatchObject({ ':require0': 'due_soon@x', ':append0': ['due_soon@x'] });
  });

  it('moves the request in the status index when its due date moves', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { requestId, status: 'pending_approval' } });
    await repository.update(requestId, 'pending_approval', { set: { dueAt: '2027-01-01T23:59:59.999Z' } });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    const names = input.ExpressionAttributeNames ?? {};
    const placeholder = Object.keys(names).find((key) => names[key] === 'gsi1sk')!;
    expect(input.ExpressionAttributeValues?.[placeholder.replace('#', ':')]).toBe(`2027-01-01T23:59:59.999Z#${requestId}`);
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({ Attributes: { requestId, status: 'pending_approval' } });
    await repository.update(requestId, 'pending_approval', { set: { note: 'x' } });
    expect(Object.values(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeNames ?? {})).not.toContain('gsi1sk');
  });

  describe("a requester's history", () => {
    const stored = (id: string, receivedAt: string) => ({
      pk: `REQUEST#${id}`,
      sk: 'REQUEST',
      gsi1pk: 'STATUS#completed',
      requestId: id,
      type: 'access',
      status: 'completed',
      email: 'Jane.Doe@example.com',
      emailCanonical: 'Jane.Doe@example.com',
      receivedAt,
      dueAt: '2026-12-23T23:59:59.999Z',
      verificationTokenHash: 'secret-hash',
    });

    it('files a pointer under the mailbox before the request, keyed by a hash, never by the address', async () => {
      dynamo.on(PutCommand).resolves({});
      await repository.create({ ...stored(requestId, '2026-11-23T10:00:00.000Z'), status: 'submitted' } as never);
      const [pointer, request] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
      expect(pointer).toEqual({ pk: expect.stringMatching(/^REQUESTER#[A-Za-z0-9_-]{43}$/), sk: `2026-11-23T10:00:00.000Z#${requestId}`, requestId });
      expect(JSON.stringify(pointer).toLowerCase()).not.toContain('jane');
      expect(request).toMatchObject({ pk: `REQUEST#${requestId}`, requestId });
    });

    it('finds the same history whatever the case of the address', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [] });
      await repository.listByRequester('Jane.Doe@example.com');
      await repository.listByRequester('jane.doe@example.com');
      const [first, second] = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.ExpressionAttributeValues?.[':requester']);
      expect(first).toBe(second);
    });

    it('lists the requests newest first, as officers see them, skipping a pointer to nothing', async () => {
      dynamo.on(QueryCommand).resolves({
        Items: [
          { pk: 'REQUESTER#h', sk: '2026-11-20T09:00:00.000Z#req_new', requestId: 'req_new' },
          { pk: 'REQUESTER#h', sk: '2026-11-10T09:00:00.000Z#req_lost', requestId: 'req_lost' },
          { pk: 'REQUESTER#h', sk: '2026-10-01T09:00:00.000Z#req_old', requestId: 'req_old' },
        ],
        LastEvaluatedKey: { pk: 'REQUESTER#h', sk: '2026-10-01T09:00:00.000Z#req_old' },
      });
      // BatchGetItem answers in any order, and leaves a key unprocessed now and then.
      dynamo
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { requests: [stored('req_old', '2026-10-01T09:00:00.000Z')] },
          UnprocessedKeys: { requests: { Keys: [{ pk: 'REQUEST#req_new', sk: 'REQUEST' }] } },
        })
        .resolves({ Responses: { requests: [stored('req_new', '2026-11-20T09:00:00.000Z')] } });
      const history = await repository.listByRequester('Jane.Doe@example.com', { limit: 3 });
      expect(history.items.map((request) => request.requestId)).toEqual(['req_new', 'req_old']);
      expect(history.truncated).toBe(true);
      expect(history.items[0]).not.toHaveProperty('verificationTokenHash');
      expect(history.items[0]).not.toHaveProperty('pk');
      const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
      expect(query).toMatchObject({ ScanIndexForward: false, Limit: 3 });
      expect(query.IndexName).toBeUndefined();
    });
  });

  describe('purging a closed request', () => {
    const closed = ['completed', 'rejected', 'cancelled', 'expired'] as const;
    const stored = {
      requestId,
      status: 'completed',
      emailCanonical: 'Jane.Doe@example.com',
      receivedAt: '2023-01-01T10:00:00.000Z',
      updatedAt: '2023-01-05T10:00:00.000Z',
      dueAt: '2023-02-01T23:59:59.999Z',
    };

    it('deletes the history pointer first and the request last, on condition it is still closed and unchanged', async () => {
      dynamo.on(GetCommand).resolves({ Item: { pk: `REQUEST#${requestId}`, sk: 'REQUEST', ...stored } });
      dynamo.on(DeleteCommand).resolves({});
      expect(await repository.purge(stored as never, closed, '2023-11-24T00:00:00.000Z')).toBe(true);
      const deletes = dynamo.commandCalls(DeleteCommand).map((call) => call.args[0].input);
      expect(deletes.map((input) => input.Key?.sk)).toEqual([`2023-01-01T10:00:00.000Z#${requestId}`, 'REQUEST']);
      expect(deletes[0]!.Key?.pk).toMatch(/^REQUESTER#/);
      expect(deletes.at(-1)!.ConditionExpression).toBe('#status IN (:closed0, :closed1, :closed2, :closed3) AND #updatedAt < :since');
    });

    it('leaves a request alone that changed, or is open again, since the cutoff', async () => {
      dynamo.on(GetCommand).resolves({ Item: { ...stored, updatedAt: '2023-12-01T10:00:00.000Z' } });
      expect(await repository.purge(stored as never, closed, '2023-11-24T00:00:00.000Z')).toBe(false);
      dynamo.on(GetCommand).resolves({ Item: { ...stored, status: 'in_progress' } });
      expect(await repository.purge(stored as never, closed, '2023-11-24T00:00:00.000Z')).toBe(false);
      expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
    });

    it('refuses a queue cursor it did not give out for that status, before asking DynamoDB', async () => {
      const forged = Buffer.from(JSON.stringify({ pk: 'REQUEST#x', sk: 'REQUEST', gsi1pk: 'STATUS#completed', gsi1sk: 'x' })).toString('base64url');
      await expect(repository.listByStatus('pending_approval', { cursor: forged })).rejects.toThrow(/for this status/);
      await expect(repository.listByStatus('pending_approval', { cursor: '%%%' })).rejects.toThrow(/not one this API gave out/);
      expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
      const after = repository.cursorAfter({ requestId, status: 'pending_approval', dueAt: '2026-12-23T23:59:59.999Z' } as never);
      dynamo.on(QueryCommand).resolves({ Items: [] });
      await repository.listByStatus('pending_approval', { cursor: after });
      expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual({
        pk: `REQUEST#${requestId}`,
        sk: 'REQUEST',
        gsi1pk: 'STATUS#pending_approval',
        gsi1sk: `2026-12-23T23:59:59.999Z#${requestId}`,
      });
    });

    it('reads only the part of a status queue due before the cutoff', async () => {
      dynamo.on(QueryCommand).resolves({ Items: [] });
      await repository.listByStatus('completed', { dueBefore: '2023-11-24T00:00:00.000Z' });
      const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
      expect(query.KeyConditionExpression).toBe('#gsi1pk = :status AND #gsi1sk < :dueBefore');
      expect(query.ExpressionAttributeValues).toMatchObject({ ':status': 'STATUS#completed', ':dueBefore': '2023-11-24T00:00:00.000Z' });
    });
  });
});
