import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { officerGroup } from '../../lib/catalog.ts';
import { signIntakeLink } from '../../lambdas/domain/intake-link.ts';
import { issueToken, newRequestId } from '../../lambdas/domain/tokens.ts';
import { documentClient, sesClient, sfnClient } from '../../lambdas/shared/clients.ts';

// Rate limits have their own tests (test/integration/abuse.test.ts); here they would share the mocked client.
vi.mock('../../lambdas/shared/rate-limits.ts', async (original) => ({ ...(await original<typeof import('../../lambdas/shared/rate-limits.ts')>()), enforceIpLimit: async () => undefined }));

process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
// No STATE_MACHINE_ARN: resuming a parked task needs only its token, and the deployed function has no such variable.
process.env.MAIL_FROM = 'privacy@example.com';
process.env.PUBLIC_BASE_URL = 'https://privacy.example.com';
process.env.INTAKE_LINK_SECRET = 'unit-test-intake-key-0123456789abcdefghijklmnop';
const { handler: statusHandler } = await import('../../lambdas/http/request-status.ts');
const { handler: cancelHandler } = await import('../../lambdas/http/cancel-request.ts');
const { handler: extendHandler } = await import('../../lambdas/http/extend-request.ts');
const { handler: intakeHandler } = await import('../../lambdas/http/open-intake-link.ts');

const dynamo = mockClient(documentClient());
const sfn = mockClient(sfnClient());
const ses = mockClient(sesClient());

type Handler = (event: never, context: never) => Promise<unknown>;
const call = async (handler: Handler, body: unknown, options: { path?: string; id?: string; groups?: string[] } = {}) => {
  const event = {
    version: '2.0',
    routeKey: `POST ${options.path ?? '/status'}`,
    rawPath: options.path ?? '/status',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
    requestContext: {
      http: { method: 'POST', path: options.path ?? '/status', sourceIp: '203.0.113.9' },
      domainName: 'example.com',
      stage: '$default',
      ...(options.groups ? { authorizer: { jwt: { claims: { sub: 'officer-7', 'cognito:groups': options.groups }, scopes: [] } } } : {}),
    },
  };
  const result = (await handler(event as never, {} as never)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

const requestId = newRequestId(new Date('2026-11-23T10:00:00Z'));
const statusToken = issueToken(requestId);
const stored = (extra: Record<string, unknown> = {}) => ({
  requestId,
  type: 'access',
  status: 'pending_approval',
  email: 'jane.doe@example.com',
  emailCanonical: 'jane.doe@example.com',
  jurisdiction: 'gdpr',
  locale: 'en',
  receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  dueAt: new Date(Date.now() + 27 * 86_400_000).toISOString(),
  updatedAt: new Date().toISOString(),
  statusTokenHashes: [issueToken(requestId).hash, statusToken.hash],
  approvalTaskToken: 'approval-task-token',
  events: [
    { at: '2026-11-20T10:00:00.000Z', actor: 'requester', action: 'submitted', detail: 'type access, policy gdpr' },
    { at: '2026-11-20T10:00:01.000Z', actor: 'system', action: 'awaiting_approval', detail: 'customerId: 2 match(es), flag: multiple_subjects' },
    { at: '2026-11-20T10:00:02.000Z', actor: 'officer', actorId: 'officer-secret-id', action: 'store_done', detail: 'accounts' },
  ],
  ...extra,
});

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  ses.reset();
  // The mailbox's history (held requests on the status page): none unless a test says so.
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

describe('POST /status', () => {
  it('answers the requester-safe view of the request for any token we emailed', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored({ extension: { dueAt: '2027-01-20T23:59:59.999Z', reason: 'Manual archive search', at: 'x', officerId: 'officer-secret-id', count: 1, totalMonths: 1 } }) });
    const answer = await call(statusHandler, { token: statusToken.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ requestId, type: 'access', status: 'pending_approval', jurisdiction: 'gdpr', canCancel: true, downloadAvailable: false, heldForMailbox: [] });
    expect(answer.body.extension).toEqual({ dueAt: '2027-01-20T23:59:59.999Z', reason: 'Manual archive search' });
    expect(answer.body.timeline).toEqual([
      { at: '2026-11-20T10:00:00.000Z', action: 'submitted' },
      { at: '2026-11-20T10:00:01.000Z', action: 'awaiting_approval' },
    ]);
    const text = JSON.stringify(answer.body);
    for (const secret of ['officer-secret-id', 'jane.doe', 'match', 'TokenHash', 'approval-task-token']) expect(text).not.toContain(secret);
  });

  it('keeps a closed request viewable, offering the download while it lasts', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored({ status: 'completed', exportKey: 'exports/x/export.json', downloadTokenHash: 'h', downloadExpiresAt: new Date(Date.now() + 86_400_000).toISOString() }) });
    const answer = await call(statusHandler, { token: statusToken.token });
    expect(answer.body).toMatchObject({ status: 'completed', canCancel: false, downloadAvailable: true });
  });

  it('answers unknown tokens, unknown requests and junk with the same 404', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored() });
    const wrongSecret = await call(statusHandler, { token: issueToken(requestId).token });
    dynamo.on(GetCommand).resolves({});
    const unknownRequest = await call(statusHandler, { token: statusToken.token });
    dynamo.reset();
    const junk = await call(statusHandler, { token: 'nonsense' });
    expect(dynamo.calls()).toHaveLength(0);
    for (const answer of [wrongSecret, unknownRequest, junk]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(wrongSecret.body);
    }
  });
});

describe('POST /cancel', () => {
  it('cancels on the status it saw, ends the parked approval task and mails the requester', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored() });
    dynamo.on(UpdateCommand).resolvesOnce({ Attributes: stored({ status: 'cancelled' }) }).resolves({ Attributes: stored({ status: 'cancelled' }) });
    sfn.on(SendTaskFailureCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const answer = await call(cancelHandler, { token: statusToken.token }, { path: '/cancel' });
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
    dynamo.on(GetCommand).resolves({ Item: stored({ status: 'pending_verification', verificationTaskToken: 'verification-task-token' }) });
    dynamo.on(UpdateCommand).resolves({ Attributes: stored({ status: 'cancelled', verificationTaskToken: 'verification-task-token' }) });
    ses.on(SendEmailCommand).resolves({});
    expect((await call(cancelHandler, { token: statusToken.token }, { path: '/cancel' })).status).toBe(200);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input.taskToken).toBe('verification-task-token');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.UpdateExpression).toContain('REMOVE');
  });

  it('answers 409 once the request is under way, and ends nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored({ status: 'in_progress' }) });
    const answer = await call(cancelHandler, { token: statusToken.token }, { path: '/cancel' });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/can no longer be cancelled/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('looks again when the workflow moved on between reading and writing', async () => {
    dynamo.on(GetCommand).resolvesOnce({ Item: stored({ status: 'pending_verification' }) }).resolves({ Item: stored({ status: 'in_progress' }) });
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const answer = await call(cancelHandler, { token: statusToken.token }, { path: '/cancel' });
    expect(answer.status).toBe(409);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 404 to a token that is not ours', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored() });
    expect((await call(cancelHandler, { token: issueToken(requestId).token }, { path: '/cancel' })).status).toBe(404);
  });
});

describe('POST /admin/requests/{id}/extend', () => {
  const path = `/admin/requests/${requestId}/extend`;

  it('moves the due date and its index key in one conditional write, and tells the requester why', async () => {
    const request = stored();
    dynamo.on(GetCommand).resolves({ Item: request });
    dynamo.on(UpdateCommand).callsFake((input) => ({ Attributes: { ...request, dueAt: input.ExpressionAttributeValues[':set0'], extension: input.ExpressionAttributeValues[':set1'] } }));
    ses.on(SendEmailCommand).resolves({});
    const answer = await call(extendHandler, { reason: 'We must search a paper archive.', months: 1 }, { path, id: requestId, groups: [officerGroup] });
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
    dynamo.on(GetCommand).resolves({ Item: stored({ jurisdiction: 'ccpa' }) });
    const answer = await call(extendHandler, { reason: 'More time needed.', days: 60 }, { path, id: requestId, groups: [officerGroup] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/at most 45 days/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers 400 without a reason, and 403 to someone who is not an officer', async () => {
    expect((await call(extendHandler, { months: 1 }, { path, id: requestId, groups: [officerGroup] })).status).toBe(400);
    expect((await call(extendHandler, { reason: 'More time needed.' }, { path, id: requestId, groups: ['staff'] })).status).toBe(403);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('POST /intake', () => {
  it('returns the address of a genuine link, and 400 for anything else', async () => {
    const token = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date(Date.now() + 86_400_000) }, process.env.INTAKE_LINK_SECRET!);
    expect(await call(intakeHandler, { token }, { path: '/intake' })).toEqual({ status: 200, body: { email: 'jane.doe@example.com' } });
    const expired = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date(Date.now() - 1000) }, process.env.INTAKE_LINK_SECRET!);
    expect((await call(intakeHandler, { token: expired }, { path: '/intake' })).status).toBe(400);
    expect((await call(intakeHandler, { token: signIntakeLink({ email: 'x@example.com', expiresAt: new Date(Date.now() + 1000) }, 'another key') }, { path: '/intake' })).status).toBe(400);
    expect((await call(intakeHandler, {}, { path: '/intake' })).status).toBe(400);
  });
});
