import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { bystanders, snapshotStores } from '../fixtures/store-snapshot.ts';

let stack: LocalStack;
let client: LocalClient;
const jane = { customerIds: [demoSubject.customerId], emails: [demoSubject.email] };
const outcomeOf = (request: { storeOutcomes: { storeId: string }[] }, storeId: string) =>
  request.storeOutcomes.find((outcome) => outcome.storeId === storeId) as Record<string, unknown>;

beforeAll(async () => {
  // Retry pauses shrink a hundredfold, so a store that keeps failing gives up in well under a second.
  stack = await startLocalStack({ ...isolatedStack, retryIntervalScale: 0.01 });
  client = new LocalClient(stack);
});

afterAll(async () => {
  await stack?.stop();
});

/** Submits, verifies, approves, completes the paper-archive task when it takes part, and waits for the end. */
async function runToEnd(body: Record<string, unknown>, options: { manual?: boolean; status?: string } = {}): Promise<any> {
  const requestId = await client.submitAndVerify(body);
  expect((await client.approve(requestId)).status).toBe(200);
  if (options.manual ?? true) await client.completeManualTask(requestId, 'paper-archive');
  return client.waitForStatus(requestId, options.status ?? 'completed');
}

describe('amend, objection and delete across every kind of store', () => {
  it('corrects a field in every store that holds it, tells recipients, and confirms what changed where', async () => {
    const before = await snapshotStores(stack);
    const requestId = await client.submitAndVerify({
      type: 'amend',
      email: demoSubject.email,
      corrections: [
        { field: 'phone', value: '+44 20 7946 0000' },
        { field: 'jobTitle', value: 'Head of Product' },
      ],
    });
    // The officer sees the change as a before/after diff before approving.
    const officer = await client.officerHeaders();
    const pending = await eventually(
      async () => {
        const request = (await client.get(`/admin/requests/${requestId}`, officer)).body;
        return request.amendmentPreview ? request : undefined;
      },
      10_000,
      'the amendment preview',
    );
    expect(pending.status).toBe('pending_approval');
    expect(pending.amendmentPreview).toEqual(
      expect.arrayContaining([
        { storeId: 'accounts', field: 'phone', attribute: 'phone', before: ['+44 20 7946 0958'], after: '+44 20 7946 0000' },
        { storeId: 'survey-answers', field: 'jobTitle', attribute: 'jobTitle', before: ['Product Manager'], after: 'Head of Product' },
        { storeId: 'crm-partner', field: 'phone', attribute: 'phone', before: [], after: '+44 20 7946 0000' },
      ]),
    );
    // Invoices hold the phone as issued and the catalog says so: flagged before approval, not hidden.
    expect(pending.reviewFlags).toEqual(['not_correctable_everywhere']);
    expect(pending.uncorrectedFields).toEqual([{ storeId: 'billing-records', field: 'phone', reason: expect.stringMatching(/^invoices already issued/) }]);
    const preview = (await client.get(`/admin/requests/${requestId}/preview`, officer)).body;
    expect(preview.stores).toContainEqual(
      expect.objectContaining({ storeId: 'billing-records', basis: 'not_run', unchanged: [{ field: 'phone', reason: expect.stringMatching(/^invoices/) }] }),
    );
    expect((await client.approve(requestId)).status).toBe(200);
    await client.completeManualTask(requestId, 'paper-archive');
    const request = await client.waitForStatus(requestId, 'completed');

    expect(request.storeIds.sort()).toEqual(['accounts', 'crm-partner', 'paper-archive', 'support-tickets', 'survey-answers']);
    expect(outcomeOf(request, 'accounts')).toMatchObject({ status: 'succeeded', updated: 1 });
    expect(outcomeOf(request, 'support-tickets')).toMatchObject({ status: 'succeeded', updated: 1 });
    expect(outcomeOf(request, 'survey-answers')).toMatchObject({ status: 'succeeded', updated: 2 });
    expect(outcomeOf(request, 'crm-partner')).toMatchObject({ status: 'succeeded', updated: 1 });

    const after = await snapshotStores(stack);
    expect(after.accounts!.find((item) => item.customerId === 'C-1001')).toMatchObject({
      phone: '+44 20 7946 0000',
      jobTitle: 'Head of Product',
      name: 'Jane Doe',
    });
    expect(after['support-tickets']!.find((item) => item.ticketId === 'T-5001')).toMatchObject({ contactPhone: '+44 20 7946 0000' });
    expect(after['support-tickets']!.find((item) => item.ticketId === 'T-5002')).not.toHaveProperty('contactPhone');
    expect(stack.partner.contacts().find((contact) => contact.customer_id === 'C-1001')).toMatchObject({
      phone: '+44 20 7946 0000',
      job_title: 'Head of Product',
    });
    expect(bystanders(after, jane)).toEqual(bystanders(before, jane));

    const confirmation = await client.waitForMail(demoSubject.email, /We corrected your personal data/);
    expect(confirmation.mail.body.text).toMatch(/Customer accounts: 1 record updated/);
    expect(confirmation.mail.body.text).not.toMatch(/every system that holds it/);
    expect(confirmation.mail.body.text).toMatch(/Billing records: your phone number stays as it was here, because invoices already issued/);
    expect(after['billing-records']!.filter((item) => item.customerId === 'C-1001').map((item) => item.phone)).toEqual([
      '+44 20 7946 0958',
      '+44 20 7946 0958',
    ]);
    const notice = await client.waitForMail('privacy@hosting.example.com', new RegExp(request.requestId));
    expect(notice.mail.body.text).toMatch(/phone: \+44 20 7946 0000/);
    expect(request.recipientNotices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ storeId: 'accounts', channel: 'email' }),
        expect.objectContaining({ storeId: 'crm-partner', channel: 'webhook' }),
      ]),
    );
  });

  it('stops marketing everywhere and tells the marketing recipients', async () => {
    const request = await runToEnd({ type: 'objection', email: demoSubject.email }, { manual: false });
    expect(request.storeIds.sort()).toEqual(['crm-partner', 'marketing-preferences']);
    const after = await snapshotStores(stack);
    expect(after['marketing-preferences']!.find((item) => item.customerId === 'C-1001')).toMatchObject({
      newsletter: false,
      productUpdates: false,
      partnerOffers: false,
    });
    expect(stack.partner.contacts().find((contact) => contact.customer_id === 'C-1001')?.marketing_consent).toBe(false);
    await client.waitForMail('dpo@mailer.example.com', new RegExp(`stop all marketing[\\s\\S]*${request.requestId}`));
    await client.waitForMail(demoSubject.email, /We stopped all marketing to you/);
  });

  it("erases by each store's strategy, re-checks, keeps bystanders byte-identical and explains what was kept", async () => {
    const before = await snapshotStores(stack);
    const request = await runToEnd({ type: 'delete', email: demoSubject.email });

    expect(outcomeOf(request, 'accounts')).toMatchObject({ status: 'succeeded', deleted: 1, remaining: 0 });
    expect(outcomeOf(request, 'marketing-preferences')).toMatchObject({ deleted: 1 });
    expect(outcomeOf(request, 'support-tickets')).toMatchObject({ deleted: 3 });
    expect(outcomeOf(request, 'survey-answers')).toMatchObject({ anonymized: 2, deleted: 0 });
    expect(outcomeOf(request, 'billing-records')).toMatchObject({ retained: 2, deleted: 0 });
    expect(outcomeOf(request, 'usage-events')).toMatchObject({ deleted: 120 });
    expect(outcomeOf(request, 'uploaded-files')).toMatchObject({ deleted: 2 });
    expect(outcomeOf(request, 'profile-photos')).toMatchObject({ deleted: 2 });
    expect(outcomeOf(request, 'crm-partner')).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect(outcomeOf(request, 'paper-archive')).toMatchObject({ status: 'succeeded' });

    const after = await snapshotStores(stack);
    const janeLeft = Object.fromEntries(
      Object.entries(after).map(([storeId, records]) => [
        storeId,
        records.filter((record) => JSON.stringify(record).includes('C-1001') || JSON.stringify(record).includes(demoSubject.email)),
      ]),
    );
    expect(janeLeft).toEqual({
      accounts: [],
      'marketing-preferences': [],
      'support-tickets': [],
      'survey-answers': [],
      'usage-events': [],
      'uploaded-files': [],
      'profile-photos': [],
      'crm-partner': [],
      'billing-records': [expect.any(Object), expect.any(Object)],
    });
    for (const invoice of janeLeft['billing-records']!) {
      expect(invoice).not.toHaveProperty('phone');
      expect(invoice).not.toHaveProperty('marketingSegment');
      expect(invoice).toHaveProperty('amount');
    }
    // The anonymised survey answers stay as statistics, without the comment or any link to Jane.
    const surveys = after['survey-answers']!.filter((answer) => String(answer.customerId).startsWith('anon-'));
    expect(surveys.map((answer) => answer.score).sort()).toEqual([8, 9]);
    for (const answer of surveys) expect(answer).not.toHaveProperty('comment');
    const withoutPseudonyms = (records: Record<string, Record<string, unknown>[]>) =>
      Object.fromEntries(Object.entries(records).map(([storeId, list]) => [storeId, list.filter((record) => !String(record.customerId).startsWith('anon-'))]));
    expect(withoutPseudonyms(bystanders(after, jane))).toEqual(bystanders(before, jane));

    const confirmation = await client.waitForMail(demoSubject.email, /We deleted your personal data/);
    expect(confirmation.mail.body.text).toMatch(/Billing records: 2 records kept because legal obligation to keep invoices/);
    expect(confirmation.mail.body.text).toMatch(/within 35 days/);
    await client.waitForMail('privacy@accounting.example.com', new RegExp(`erase the copy[\\s\\S]*${request.requestId}`));
  });

  it('changes nothing when the same erasure runs a second time', async () => {
    const before = await snapshotStores(stack);
    const request = await runToEnd({ type: 'delete', email: demoSubject.email });
    for (const outcome of request.storeOutcomes) {
      expect(outcome.status, outcome.storeId).toBe('succeeded');
      expect((outcome.deleted ?? 0) + (outcome.anonymized ?? 0), outcome.storeId).toBe(0);
    }
    expect(await snapshotStores(stack)).toEqual(before);
  });

  it('finds nothing but the retained records when the subject asks for access after the erasure', async () => {
    const request = await runToEnd({ type: 'access', email: demoSubject.email });
    const completion = await client.waitForMail(demoSubject.email, new RegExp(`/download#t=(${request.requestId}\\.[A-Za-z0-9_-]+)`));
    const links = await client.post('/download', { token: completion.match[1] });
    const exported: any = await (await fetch(links.body.json)).json();
    const found = Object.fromEntries(exported.stores.map((store: { storeId: string; recordCount: number }) => [store.storeId, store.recordCount]));
    expect(found).toEqual({
      accounts: 0,
      'marketing-preferences': 0,
      'support-tickets': 0,
      'survey-answers': 0,
      'billing-records': 2,
      'usage-events': 0,
      'uploaded-files': 0,
      'profile-photos': 0,
      'crm-partner': 0,
      'paper-archive': 0,
    });
  });

  it('leaves a request partially completed when a store keeps failing, and a retry finishes only that store', async () => {
    const lukas = { email: 'lukas.muller@example.com', customerId: 'C-1004' };
    stack.partner.failNext(1_000);
    const partial = await runToEnd({ type: 'delete', email: lukas.email }, { status: 'partially_completed' });
    expect(outcomeOf(partial, 'crm-partner')).toMatchObject({ status: 'failed', error: 'StoreUnavailableError' });
    expect(outcomeOf(partial, 'accounts')).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect(stack.partner.contacts().some((contact) => contact.customer_id === lukas.customerId)).toBe(true);

    stack.partner.failNext(0);
    const officer = await client.officerHeaders();
    const retried = await client.post(`/admin/requests/${partial.requestId}/retry`, {}, officer);
    expect(retried.status).toBe(200);
    const done = await client.waitForStatus(partial.requestId, 'completed');

    expect(outcomeOf(done, 'crm-partner')).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect(stack.partner.contacts().some((contact) => contact.customer_id === lukas.customerId)).toBe(false);
    // Stores that had finished ran once: their tasks were never started again.
    for (const task of done.storeTasks.filter((candidate: { storeId: string }) => candidate.storeId !== 'crm-partner')) {
      expect(task.attempts, task.storeId).toBe(1);
    }
    const left = await snapshotStores(stack);
    expect(
      Object.values(left)
        .flat()
        .filter((record) => JSON.stringify(record).includes(lukas.customerId) || JSON.stringify(record).includes(lukas.email)),
    ).toEqual([]);
    await client.waitForMail(lukas.email, /We deleted your personal data/);
  });
});

describe('guards', () => {
  it('flags a change of the email address itself for the officer, and no policy approves it alone', async () => {
    const requestId = await client.submitAndVerify({
      type: 'amend',
      email: 'john.smith@example.org',
      corrections: [{ field: 'email', value: 'john.smith@example.net' }],
    });
    const officer = await client.officerHeaders();
    const flagged = await eventually(
      async () => {
        const request = (await client.get(`/admin/requests/${requestId}`, officer)).body;
        return request.reviewFlags?.length ? request : undefined;
      },
      10_000,
      'the review flags',
    );
    expect(flagged.reviewFlags).toEqual(['email_change']);
    expect(flagged.status).toBe('pending_approval');
  });
});

describe('a processor that answers later', () => {
  it('resumes the workflow from its signed callback and includes its records in the export', async () => {
    stack.partner.setMode('async');
    try {
      const request = await runToEnd({ type: 'access', email: 'amira.haddad@example.net' });
      expect(request.storeTasks.find((task: { storeId: string }) => task.storeId === 'crm-partner')).toMatchObject({ status: 'succeeded' });
      const completion = await client.waitForMail('amira.haddad@example.net', new RegExp(`/download#t=(${request.requestId}\\.[A-Za-z0-9_-]+)`));
      const links = await client.post('/download', { token: completion.match[1] });
      const exported: any = await (await fetch(links.body.json)).json();
      const crm = exported.stores.find((store: { storeId: string }) => store.storeId === 'crm-partner');
      expect(crm.records).toEqual([expect.objectContaining({ customer_id: 'C-1003' })]);
    } finally {
      stack.partner.setMode('sync');
    }
  });
});
