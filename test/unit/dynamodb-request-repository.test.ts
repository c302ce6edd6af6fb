import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
      require: [{ attribute: 'verificationTokenHash', equals: 'h' }, { attribute: 'verificationExpiresAt', greaterThan: '2026-11-23T10:00:00.000Z' }],
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
    await expect(repository.transition(requestId, 'pending_approval')).rejects.toThrow(new ConflictError(`Request ${requestId} is pending_approval and cannot become pending_approval`));
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
    await repository.update(requestId, 'pending_approval', { append: { remindersSent: ['due_soon@x'] }, require: [{ attribute: 'remindersSent', notContains: 'due_soon@x' }] });
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
});
