import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient, sesClient, sfnClient } from '../../lambdas/composition/clients.ts';
import { issueToken } from '../../lambdas/domain/tokens.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';
import { requestId, statusToken, storedRequest } from './stored-request.ts';

// Rate limits have their own tests (test/integration/abuse.test.ts); here they would share the mocked client.
vi.mock('../../lambdas/shared/rate-limits.ts', async (original) => ({
  ...(await original<typeof import('../../lambdas/shared/rate-limits.ts')>()),
  enforceIpLimit: async () => undefined,
}));

process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
// No STATE_MACHINE_ARN: resuming a parked task needs only its token, and the deployed function has no such variable.
process.env.MAIL_FROM = 'privacy@example.com';
process.env.PUBLIC_BASE_URL = 'https://privacy.example.com';
const { handler } = await import('../../lambdas/http/cancel-request.ts');

const dynamo = mockClient(documentClient());
const sfn = mockClient(sfnClient());
const ses = mockClient(sesClient());

/** Calls the handler as API Gateway would, with a JSON body; answers the status and the parsed body. */
const call = async (body: unknown) => {
  const result = (await handler(httpApiEvent('POST /cancel', { json: body }), {} as never)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  ses.reset();
  // The mailbox's history: none unless a test says so.
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('POST /cancel', () => {
  it('cancels on the status it saw, ends the parked approval task and mails the requester', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest() });
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: storedRequest({ status: 'cancelled' }) })
      .resolves({ Attributes: storedRequest({ status: 'cancelled' }) });
    sfn.on(SendTaskFailureCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const answer = await call({ token: statusToken.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ requestId, status: 'cancelled' });
    const cancel = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(cancel.ConditionExpression).toContain('#require0 = :require0');
    expect(cancel.ExpressionAttributeValues).toMatchObject({ ':require0': 'pending_approval' });
    expect(Object.values(cancel.ExpressionAttributeValues ?? {})).toContain('STATUS#cancelled');
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toMatchObject({ taskToken: 'approval-task-token', error: 'RequestCancelled' });
    const mail = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(mail.Content?.Simple?.Subject?.Data).toBe('Your privacy request is cancelled');
    expect(mail.Content?.Simple?.Body?.Text?.Data).toContain('https://privacy.example.com/status#t=');
  });

  it('ends the verification task when the request still waits for the mailbox', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest({ status: 'pending_verification', verificationTaskToken: 'verification-task-token' }) });
    dynamo.on(UpdateCommand).resolves({ Attributes: storedRequest({ status: 'cancelled', verificationTaskToken: 'verification-task-token' }) });
    ses.on(SendEmailCommand).resolves({});
    expect((await call({ token: statusToken.token })).status).toBe(200);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input.taskToken).toBe('verification-task-token');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toContain('REMOVE');
  });

  it('answers 409 once the request is under way, and ends nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest({ status: 'in_progress' }) });
    const answer = await call({ token: statusToken.token });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/can no longer be cancelled/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('looks again when the workflow moved on between reading and writing', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: storedRequest({ status: 'pending_verification' }) })
      .resolves({ Item: storedRequest({ status: 'in_progress' }) });
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const answer = await call({ token: statusToken.token });
    expect(answer.status).toBe(409);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 404 to a token that is not ours', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest() });
    expect((await call({ token: issueToken(requestId).token })).status).toBe(404);
  });
});
