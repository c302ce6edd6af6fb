import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../lambdas/composition/clients.ts';
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
const { handler } = await import('../../lambdas/http/request-status.ts');

const dynamo = mockClient(documentClient());

/** Calls the handler as API Gateway would, with a JSON body; answers the status and the parsed body. */
const call = async (body: unknown) => {
  const result = (await handler(httpApiEvent('POST /status', { json: body }), {} as never)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

beforeEach(() => {
  dynamo.reset();
  // The mailbox's history (held requests on the status page): none unless a test says so.
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('POST /status', () => {
  it('answers the requester-safe view of the request for any token we emailed', async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedRequest({
        extension: { dueAt: '2027-01-20T23:59:59.999Z', reason: 'Manual archive search', at: 'x', officerId: 'officer-secret-id', count: 1, totalMonths: 1 },
      }),
    });
    const answer = await call({ token: statusToken.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      requestId,
      type: 'access',
      status: 'pending_approval',
      jurisdiction: 'gdpr',
      canCancel: true,
      downloadAvailable: false,
      heldForMailbox: [],
    });
    expect(answer.body.extension).toEqual({ dueAt: '2027-01-20T23:59:59.999Z', reason: 'Manual archive search' });
    expect(answer.body.timeline).toEqual([
      { at: '2026-11-20T10:00:00.000Z', action: 'submitted' },
      { at: '2026-11-20T10:00:01.000Z', action: 'awaiting_approval' },
    ]);
    const text = JSON.stringify(answer.body);
    for (const secret of ['officer-secret-id', 'jane.doe', 'match', 'TokenHash', 'approval-task-token']) expect(text).not.toContain(secret);
  });

  it('keeps a closed request viewable, offering the download while it lasts', async () => {
    dynamo.on(GetCommand).resolves({
      Item: storedRequest({
        status: 'completed',
        exportKey: 'exports/x/export.json',
        downloadTokenHash: 'h',
        downloadExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    const answer = await call({ token: statusToken.token });
    expect(answer.body).toMatchObject({ status: 'completed', canCancel: false, downloadAvailable: true });
  });

  it('answers unknown tokens, unknown requests and junk with the same 404', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedRequest() });
    const wrongSecret = await call({ token: issueToken(requestId).token });
    dynamo.on(GetCommand).resolves({});
    const unknownRequest = await call({ token: statusToken.token });
    dynamo.reset();
    const junk = await call({ token: 'nonsense' });
    expect(dynamo.calls()).toHaveLength(0);
    for (const answer of [wrongSecret, unknownRequest, junk]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(wrongSecret.body);
    }
  });
});
