import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { escapeHtml } from '../../lambdas/messages/layout.ts';
import { requesterTexts } from '../../lambdas/messages/requester-texts.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack(isolatedStack);
  client = new LocalClient(stack);
  // The demo processor acknowledges every request and then does not answer, until released.
  stack.partner.setMode('hold');
});

afterAll(async () => {
  await stack?.stop();
});

const byHand = requesterTexts('en').handledByHand;

describe("an officer takes over a processor's task that gets no answer", () => {
  it('refuses to complete it before an escalation with a reason, then records and tells that it was done by hand', async () => {
    const email = 'amira.haddad@example.net';
    const requestId = await client.submitAndVerify({ type: 'access', email });
    expect((await client.approve(requestId)).status).toBe(200);
    const officer = await client.officerHeaders();
    const crmTask = async () =>
      (await client.get(`/admin/requests/${requestId}`, officer)).body.storeTasks?.find((task: { storeId: string }) => task.storeId === 'crm-partner');
    await eventually(async () => ((await crmTask())?.status === 'waiting' ? true : undefined), 20_000, 'the processor task to wait');

    // Completing a processor's task by hand, with any count, is refused until it is escalated.
    const early = await client.post(
      `/admin/requests/${requestId}/stores/crm-partner/complete`,
      { note: 'Looked it up in their portal.', recordCount: 7 },
      officer,
    );
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/escalate/);

    // The escalation needs a reason of 10 to 1000 characters, counted after trimming.
    const route = `/admin/requests/${requestId}/stores/crm-partner/escalate`;
    expect((await client.post(route, {}, officer)).status).toBe(400);
    expect((await client.post(route, { reason: '   too short   ' }, officer)).status).toBe(400);
    expect((await client.post(route, { reason: 'x'.repeat(1001) }, officer)).status).toBe(400);
    // Only a processor is escalated: a manual system is already an officer's.
    expect(
      (await client.post(`/admin/requests/${requestId}/stores/paper-archive/escalate`, { reason: 'The archive is slow to answer.' }, officer)).status,
    ).toBe(409);
    expect((await client.post(`/admin/requests/${requestId}/stores/nowhere/escalate`, { reason: 'No such store at all here.' }, officer)).status).toBe(404);

    const reason = '  Example CRM has not answered for five days; we exported the contact from their portal.  ';
    const escalated = await client.post(route, { reason }, officer);
    expect(escalated.status).toBe(200);
    expect((await client.post(route, { reason: 'Escalating the same task a second time.' }, officer)).status).toBe(409);
    const task = await crmTask();
    expect(task.escalatedToManual).toEqual({ at: expect.any(String), by: expect.any(String), reason: reason.trim() });
    expect(task.status).toBe('waiting');

    const completed = await client.post(
      `/admin/requests/${requestId}/stores/crm-partner/complete`,
      { note: 'Exported the contact from the partner portal.', recordCount: 1 },
      officer,
    );
    expect(completed).toMatchObject({ status: 200, body: { completedBy: 'officer' } });
    await client.completeManualTask(requestId, 'paper-archive');
    const request = await client.waitForStatus(requestId, 'completed');

    // The outcome and the audit trail say it was done by hand, after whose escalation.
    expect(request.storeOutcomes.find((outcome: { storeId: string }) => outcome.storeId === 'crm-partner')).toMatchObject({
      status: 'succeeded',
      completedBy: 'officer',
      recordCount: 1,
    });
    const events = request.events as { action: string; actorId?: string; detail?: string }[];
    expect(events.find((event) => event.action === 'store_escalated')).toMatchObject({
      actorId: task.escalatedToManual.by,
      detail: expect.stringMatching(/^crm-partner: escalated/),
    });
    expect(events.find((event) => event.action === 'store_done' && event.detail?.startsWith('crm-partner'))?.detail).toMatch(/by hand.*not by the processor/);

    // The requester is told so, in the mail and in the report; the export has no records posing as the processor's.
    const completion = await client.waitForMail(email, new RegExp(`/download#t=(${requestId}\\.[A-Za-z0-9_-]+)`));
    expect(completion.mail.body.text).toContain(`Sales CRM (Example CRM Inc., processor): 1 record (${byHand.mailLine})`);
    const links = await client.post('/download', { token: completion.match[1] });
    const exported: any = await (await fetch(links.body.json)).json();
    expect(exported.stores.find((store: { storeId: string }) => store.storeId === 'crm-partner')).toMatchObject({
      status: 'sent_separately',
      handledByHand: true,
      records: [],
    });
    const report = await (await fetch(links.body.report)).text();
    expect(report).toContain(escapeHtml(byHand.report));

    // The processor's late answer is refused as already settled, and changes nothing.
    expect(await stack.partner.release()).toEqual([409]);
    expect((await client.waitForStatus(requestId, 'completed')).storeOutcomes).toEqual(request.storeOutcomes);
  });
});
