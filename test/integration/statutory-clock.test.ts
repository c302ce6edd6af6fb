import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { createIntakeLink } from '../../lambdas/domain/intake-link.ts';
import { eventually, isolatedStack, LocalClient, localMode } from '../fixtures/local-client.ts';

const officerEmail = 'privacy-officers@example.com';
const repositoryRoot = resolve(import.meta.dirname, '../..');

let stack: LocalStack;
let client: LocalClient;
let documents: DynamoDBDocumentClient;
let sfn: SFNClient;

beforeAll(async () => {
  // The reminder timer is off: the test runs the scheduled function itself, twice at once.
  stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0 });
  client = new LocalClient(stack);
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoDbUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  sfn = new SFNClient({ endpoint: stack.stepFunctionsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  await stack?.stop();
});

const statusLinkPattern = (requestId: string) => new RegExp(`/status#t=(${requestId}\\.[A-Za-z0-9_-]+)`);

/** Submits a request and returns its id and the status token from the verification mail. */
async function submit(email: string, extra: Record<string, unknown> = {}): Promise<{ requestId: string; statusToken: string; verifyToken: string }> {
  const submitted = await client.post('/requests', { type: 'access', email, ...extra });
  expect(submitted.status).toBe(202);
  const requestId: string = submitted.body.requestId;
  const verification = await client.waitForMail(email, new RegExp(`/verify#t=(${requestId}\\.[A-Za-z0-9_-]+)`));
  const status = statusLinkPattern(requestId).exec(verification.mail.body.text ?? '');
  expect(status, 'the verification mail links to the status page').not.toBeNull();
  return { requestId, statusToken: status![1]!, verifyToken: verification.match[1]! };
}

async function submitAndVerify(email: string, extra: Record<string, unknown> = {}) {
  const submitted = await submit(email, extra);
  expect((await client.post('/verify', { token: submitted.verifyToken })).status).toBe(200);
  return submitted;
}

const item = async (requestId: string) =>
  (await documents.send(new GetCommand({ TableName: stack.requestTableName, Key: { pk: `REQUEST#${requestId}`, sk: 'REQUEST' } }))).Item!;

/** Moves the due date the way an extension does: the attribute and the status index's sort key together. */
async function setDueAt(requestId: string, dueAt: Date): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: stack.requestTableName,
      Key: { pk: `REQUEST#${requestId}`, sk: 'REQUEST' },
      UpdateExpression: 'SET dueAt = :due, gsi1sk = :sk',
      ExpressionAttributeValues: { ':due': dueAt.toISOString(), ':sk': `${dueAt.toISOString()}#${requestId}` },
    }),
  );
}

describe('the requester status page', () => {
  it('shows where the request stands from the link in the verification mail, CCPA receipt confirmed', async () => {
    const email = 'john.smith@example.org';
    const { requestId, statusToken } = await submit(email, { jurisdiction: 'ccpa' });
    const view = await eventually(
      async () => {
        const answer = await client.post('/status', { token: statusToken });
        return answer.body?.timeline?.some((entry: { action: string }) => entry.action === 'receipt_confirmed') ? answer : undefined;
      },
      10_000,
      'the receipt confirmation on the timeline',
    );
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      requestId,
      type: 'access',
      status: 'pending_verification',
      jurisdiction: 'ccpa',
      canCancel: true,
      downloadAvailable: false,
    });
    expect(new Date(view.body.dueAt).getTime() - new Date(view.body.receivedAt).getTime()).toBeGreaterThan(44 * 86_400_000);
    expect(view.body.timeline.map((entry: { action: string }) => entry.action)).toEqual(['submitted', 'verification_sent', 'receipt_confirmed']);
    expect(JSON.stringify(view.body)).not.toContain(email);

    const officer = await client.get(`/admin/requests/${requestId}`, await client.officerHeaders());
    expect(officer.body.receiptConfirmedAt).toBeDefined();
    expect(officer.body.events.find((event: { action: string }) => event.action === 'receipt_confirmed').detail).toMatch(/policy ccpa: .*10 business days/);

    const forged = await client.post('/status', { token: `${requestId}.${'A'.repeat(43)}` });
    const junk = await client.post('/status', { token: 'nonsense' });
    expect(forged.status).toBe(404);
    expect(junk).toEqual(forged);
  });
});

describe('cancelling', () => {
  it('ends a request pending approval: execution over, status cancelled, requester told; a second cancel is 409', async () => {
    const email = 'amira.haddad@example.net';
    const { requestId, statusToken } = await submitAndVerify(email);
    await client.waitForStatus(requestId, 'pending_approval');
    // Wait until the approval task is parked, so the cancellation has a task to end.
    await eventually(async () => ((await item(requestId)).approvalTaskToken ? true : undefined), 10_000, 'the approval task to park');

    const cancelled = await client.post('/cancel', { token: statusToken });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const execution = await eventually(
      async () => {
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }));
        const found = executions.find((candidate) => candidate.name === requestId);
        return found && found.status !== 'RUNNING' ? found : undefined;
      },
      10_000,
      'the execution to end',
    );
    expect(execution.status).toBe('SUCCEEDED');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn! }));
    expect(history.events?.some((event) => event.stateEnteredEventDetails?.name === 'Cancelled')).toBe(true);

    const final = await client.waitForStatus(requestId, 'cancelled');
    expect(final.events.at(-1)).toMatchObject({ actor: 'requester', action: 'cancelled', from: 'pending_approval', to: 'cancelled' });
    const mail = await client.waitForMail(email, new RegExp(`cancelled[\\s\\S]*${requestId}`));
    expect(mail.mail.subject).toBe('Your privacy request is cancelled');
    expect(mail.mail.body.text).toMatch(statusLinkPattern(requestId));

    const again = await client.post('/cancel', { token: statusToken });
    expect(again.status).toBe(409);
    const view = await client.post('/status', { token: statusToken });
    expect(view.body).toMatchObject({ status: 'cancelled', canCancel: false });
  });

  it('ends a request cancelled before its mailbox was verified, and the old link stops working', async () => {
    const email = 'lukas.muller@example.com';
    const { requestId, statusToken, verifyToken } = await submit(email);
    expect((await client.post('/cancel', { token: statusToken })).status).toBe(200);
    expect((await client.post('/verify', { token: verifyToken })).status).toBe(400);
    await eventually(
      async () => {
        const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }));
        return executions.find((candidate) => candidate.name === requestId && candidate.status === 'SUCCEEDED');
      },
      10_000,
      'the execution to end as cancelled',
    );
  });
});

describe('extending the due date', () => {
  it('moves the due date within the policy, shows it on the status page and emails the reason', async () => {
    const email = 'jane.doe@example.com';
    const { requestId, statusToken } = await submitAndVerify(email);
    const before = await client.waitForStatus(requestId, 'pending_approval');
    const officer = await client.officerHeaders();
    const reason = 'Your data sits in a paper archive that must be searched by hand.';

    const extended = await client.post(`/admin/requests/${requestId}/extend`, { reason, months: 1 }, officer);
    expect(extended.status).toBe(200);
    expect(extended.body.requesterNotified).toBe(true);
    expect(extended.body.dueAt > before.dueAt).toBe(true);
    expect(extended.body.extension).toMatchObject({ reason, dueAt: extended.body.dueAt, officerId: 'local-officer-1', totalMonths: 1 });
    expect((await item(requestId)).gsi1sk).toBe(`${extended.body.dueAt}#${requestId}`);

    const view = await client.post('/status', { token: statusToken });
    expect(view.body.dueAt).toBe(extended.body.dueAt);
    expect(view.body.extension).toEqual({ dueAt: extended.body.dueAt, reason });
    expect(view.body.timeline.map((entry: { action: string }) => entry.action)).toContain('extended');
    expect(JSON.stringify(view.body)).not.toContain('local-officer-1');

    const mail = await client.waitForMail(email, /paper archive that must be searched by hand/);
    expect(mail.mail.subject).toBe('We need more time for your privacy request');
    expect(mail.mail.body.text).toMatch(statusLinkPattern(requestId));

    // One further month is left of the two; asking for two more is refused with the reason.
    const tooMuch = await client.post(`/admin/requests/${requestId}/extend`, { reason, months: 2 }, officer);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatch(/at most 2 further months in total; 1 already added/);

    // The queue orders by the new date.
    const queue = await client.get('/admin/requests?status=pending_approval', officer);
    expect(queue.body.requests.find((request: { requestId: string }) => request.requestId === requestId).dueAt).toBe(extended.body.dueAt);
  });
});

describe('officer reminders', () => {
  it('sends each reminder event once, even when two runs race and a third follows', async () => {
    const handler = (): Promise<{ sent: Record<string, string[] | undefined> }> => stack.invoke('sendReminders', {});
    const now = Date.now();
    const soon = await submitAndVerify('jane.doe@example.com', { type: 'delete' });
    const tomorrow = await submitAndVerify('john.smith@example.org', { type: 'amend', corrections: [{ field: 'phone', value: '+44 20 7946 0001' }] });
    const late = await submitAndVerify('amira.haddad@example.net', { type: 'objection' });
    for (const { requestId } of [soon, tomorrow, late]) await client.waitForStatus(requestId, 'pending_approval');
    await setDueAt(soon.requestId, new Date(now + 4 * 86_400_000));
    await setDueAt(tomorrow.requestId, new Date(now + 60 * 60_000));
    await setDueAt(late.requestId, new Date(now - 60 * 60_000));

    const runs = await Promise.all([handler(), handler()]);
    await handler();
    const claimed = runs.flatMap((run) => Object.entries(run.sent).flatMap(([kind, ids]) => ids!.map((id) => `${kind}:${id}`)));
    for (const expected of [`due_soon:${soon.requestId}`, `due_tomorrow:${tomorrow.requestId}`, `overdue:${late.requestId}`]) {
      expect(
        claimed.filter((entry) => entry === expected),
        expected,
      ).toHaveLength(1);
    }

    const officerMails = (await client.mails()).filter((mail) => mail.destination.to.includes(officerEmail));
    const mentioning = (requestId: string) => officerMails.filter((mail) => mail.body.text?.includes(requestId));
    expect(mentioning(soon.requestId).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Due within 7 days/)]);
    expect(mentioning(tomorrow.requestId).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Due tomorrow/)]);
    expect(mentioning(late.requestId).map((mail) => mail.subject)).toEqual([expect.stringMatching(/^OVERDUE/)]);
    expect(mentioning(late.requestId)[0]!.body.text).toMatch(new RegExp(`${late.requestId}: objection, pending approval, GDPR, due \\d{4}-\\d{2}-\\d{2}`));
    for (const mail of officerMails) expect(mail.body.text).not.toMatch(/@example\.(com|org|net)/);

    for (const [{ requestId }, kind] of [
      [soon, 'due_soon'],
      [tomorrow, 'due_tomorrow'],
      [late, 'overdue'],
    ] as const) {
      const stored = await item(requestId);
      expect(stored.remindersSent).toEqual([`${kind}@${stored.dueAt}`]);
      expect(stored.events.filter((event: { action: string }) => event.action === 'reminder_sent')).toHaveLength(1);
    }
  });
});

describe('record retention', () => {
  // Three years pass by calling the purge with a moved clock in this process; a bundle in its worker has no such seam.
  it.skipIf(localMode === 'deployed')(
    'deletes a closed request with its store tasks and history pointer once three years have passed, and nothing else',
    async () => {
      const { purgeClosedRequests } = await import('../../lambdas/use-cases/purge-closed-requests.ts');
      const { requests, storeTasks } = await import('../../lambdas/composition/dependencies.ts');
      const email = 'retention.subject@example.org';
      const officer = await client.officerHeaders();
      const prepared = (requestId: string) =>
        eventually(
          async () => ((await client.get(`/admin/requests/${requestId}`, officer)).body.reviewFlags ? true : undefined),
          20_000,
          `${requestId} to be prepared`,
        );

      // Completed (with a store task per store), rejected, cancelled, and one left open.
      const completed = await submitAndVerify(email);
      await prepared(completed.requestId);
      expect((await client.approve(completed.requestId)).status).toBe(200);
      await client.completeManualTask(completed.requestId, 'paper-archive');
      await client.waitForStatus(completed.requestId, 'completed');
      const rejected = await submitAndVerify(email, { type: 'delete' });
      await prepared(rejected.requestId);
      expect((await client.post(`/admin/requests/${rejected.requestId}/reject`, { reason: 'We hold nothing for this address.' }, officer)).status).toBe(200);
      const cancelled = await submit(email, { type: 'objection' });
      expect((await client.post('/cancel', { token: cancelled.statusToken })).status).toBe(200);
      const open = await submitAndVerify(email, { type: 'amend', corrections: [{ field: 'phone', value: '+44 20 7946 0002' }] });
      await client.waitForStatus(cancelled.requestId, 'cancelled');
      const closed = [completed, rejected, cancelled].map((request) => request.requestId);
      const itemsUnder = async (requestId: string) =>
        (
          await documents.send(
            new QueryCommand({
              TableName: stack.requestTableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `REQUEST#${requestId}` },
            }),
          )
        ).Items ?? [];
      expect((await itemsUnder(completed.requestId)).length).toBeGreaterThan(10); // the request and its store tasks

      const at = (days: number) => () => new Date(Date.now() + days * 86_400_000);
      expect(await purgeClosedRequests({ requests: requests(), storeTasks: storeTasks(), now: at(365) }, 1095)).toMatchObject({ purged: 0 });
      expect((await client.get(`/admin/requests?email=${encodeURIComponent(email)}`, officer)).body.requests).toHaveLength(4);

      const run = await purgeClosedRequests({ requests: requests(), storeTasks: storeTasks(), now: at(1095 + 40) }, 1095);
      expect(run.purged).toBeGreaterThanOrEqual(3); // other test files' closed requests in this stack go too
      for (const requestId of closed) {
        expect((await client.get(`/admin/requests/${requestId}`, officer)).status).toBe(404);
        expect(await itemsUnder(requestId)).toEqual([]);
      }
      const history = await client.get(`/admin/requests?email=${encodeURIComponent(email)}`, officer);
      expect(history.body.requests.map((request: { requestId: string }) => request.requestId)).toEqual([open.requestId]);
      expect((await client.get(`/admin/requests/${open.requestId}`, officer)).body.status).toBe('pending_approval');
      expect(await purgeClosedRequests({ requests: requests(), storeTasks: storeTasks(), now: at(1095 + 40) }, 1095)).toMatchObject({ purged: 0 });
    },
  );
});

describe('intake links', () => {
  it('round-trips an address from a signed link, made by the library and by the CLI', async () => {
    const key = stack.intakeLinkKey;
    expect(key).toBeTruthy();
    const link = createIntakeLink(stack.apiUrl, 'jane.doe@example.com', key);
    const token = link.split('#intake=')[1]!;
    expect(await client.post('/intake', { token })).toEqual({ status: 200, body: { email: 'jane.doe@example.com' } });
    expect((await client.post('/intake', { token: `${token.slice(0, -2)}xx` })).status).toBe(400);

    const printed = execFileSync(
      resolve(repositoryRoot, 'node_modules/.bin/tsx'),
      ['bin/intake-link.ts', 'lukas.muller@example.com', '--base', stack.apiUrl, '--days', '2'],
      {
        cwd: repositoryRoot,
        env: { ...process.env, INTAKE_LINK_SECRET: key },
        encoding: 'utf8',
      },
    ).trim();
    expect(printed.startsWith(`${stack.apiUrl}/#intake=`)).toBe(true);
    expect(await client.post('/intake', { token: printed.split('#intake=')[1] })).toEqual({ status: 200, body: { email: 'lukas.muller@example.com' } });
  });
});
