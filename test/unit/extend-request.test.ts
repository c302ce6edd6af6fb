import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { documentClient, sesClient } from '../../lambdas/composition/clients.ts';
import { officerGroup } from '../../lib/function-catalog.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';
import { requestId, storedRequest } from './stored-request.ts';

process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
process.env.MAIL_FROM = 'privacy@example.com';
process.env.PUBLIC_BASE_URL = 'https://privacy.example.com';
const { handler } = await import('../../lambdas/http/extend-request.ts');

const dynamo = mockClient(documentClient());
const ses = mockClient(sesClient());

/** Calls the handler as API Gateway would for a signed-in caller in `groups`; answers the status and the parsed body. */
const call = async (body: unknown, groups: string[]) => {
  const event = httpApiEvent('POST /admin/requests/{id}/extend', {
    path: `/admin/requests/${requestId}/extend`,
    pathParameters: { id: requestId },
    json: body,
    officer: { sub: 'officer-7', groups },
  });
  const result = (await handler(event, {} as never)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

beforeEach(() => {
  dynamo.reset();
  ses.reset();
});

describe('POST /admin/requests/{id}/extend', () => {
  it('moves the due date and its index key in one conditional write, and tells the requester why', async () => {
    const request = storedRequest();
    dynamo.on(GetCommand).resolves({ Item: request });
    dynamo.on(UpdateCommand).callsFake((input) => ({
      Attributes: { ...request, dueAt: input.ExpressionAttributeValues[':set0'], extension: input.ExpressionAttributeValues[':set1'] },
    }));
    ses.on(SendEmailCommand).resolves({});
    const answer = await call({ reason: 'We must search a paper archive.', months: 1 }, [officerGroup]);
    expect(answer.status).toBe(200);
    expect(answer.body.requesterNotified).toBe(true);
    expect(answer.body.extension).toMatchObject({ reason: 'We must search a paper archive.', officerId: 'officer-7', totalMonths: 1, count: 1 });
    const update = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    const values = update.ExpressionAttributeValues ?? {};
    const names = update.ExpressionAttributeNames ?? {};
    expect(Object.entries(names).find(([, name]) => name === 'gsi1sk')).toBeDefined();
    expect(Object.values(values)).toContain(`${answer.body.dueAt}#${requestId}`);
    expect(values[':require0']).toBe(request.dueAt);
    expect(new Date(answer.body.dueAt).getTime()).toBeGreaterThan(new Date(request.dueAt).getTime());
    const text = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toContain('We must search a paper archive.');
    expect(text).toContain('/status#t=');
  });

  it('answers 400 with the reason when the policy forbids the extension', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest({ jurisdiction: 'ccpa' }) });
    const answer = await call({ reason: 'More time needed.', days: 60 }, [officerGroup]);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/at most 45 days/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 400 without a reason, and 403 to someone who is not an officer', async () => {
    expect((await call({ months: 1 }, [officerGroup])).status).toBe(400);
    expect((await call({ reason: 'More time needed.' }, ['staff'])).status).toBe(403);
    expect(dynamo.calls()).toHaveLength(0);
  });
});
