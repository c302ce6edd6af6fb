import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { issueToken, newRequestId } from '../../lambdas/domain/tokens.ts';
import { documentClient, sfnClient } from '../../lambdas/composition/clients.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';

// Rate limits have their own tests (test/integration/abuse.test.ts); here they would share the mocked client.
vi.mock('../../lambdas/shared/rate-limits.ts', async (original) => ({
  ...(await original<typeof import('../../lambdas/shared/rate-limits.ts')>()),
  enforceIpLimit: async () => undefined,
}));

process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
// No STATE_MACHINE_ARN: resuming a parked task needs only its token, and the deployed function has no such variable.
const { handler } = await import('../../lambdas/http/verify-request.ts');

const dynamo = mockClient(documentClient());
const sfn = mockClient(sfnClient());

const invoke = async (body: string, contentType = 'application/json') => {
  const result = (await handler(httpApiEvent('POST /verify', { body, headers: { 'content-type': contentType } }), {} as never)) as {
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  };
  return { status: result.statusCode, body: JSON.parse(result.body), headers: result.headers };
};

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
});

describe('POST /verify', () => {
  const requestId = newRequestId();
  const { token, hash } = issueToken(requestId);

  it('consumes the token with the hash as the write condition and resumes the workflow', async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { requestId, status: 'pending_approval', verificationTaskToken: 'task-token-1' } });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const answer = await invoke(JSON.stringify({ token }));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('pending_approval');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':require0': hash });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('task-token-1');
  });

  it('answers a used or expired token with 400 and resumes nothing', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    dynamo.on(GetCommand).resolves({ Item: { requestId, status: 'pending_approval' } });
    const answer = await invoke(JSON.stringify({ token }));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/not valid, was already used, or has expired/);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a malformed token without touching the table', async () => {
    const answer = await invoke(JSON.stringify({ token: 'nonsense' }));
    expect(answer.status).toBe(400);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('refuses broken JSON and the wrong content type with a 4xx and a reason', async () => {
    const broken = await invoke('{"token": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/JSON/);
    const wrongType = await invoke('token=x', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBe(415);
  });

  it('answers 413 to a body over the limit', async () => {
    const answer = await invoke(JSON.stringify({ token: 'x'.repeat(20_000) }));
    expect(answer.status).toBe(413);
  });
});
