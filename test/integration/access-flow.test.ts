import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack(isolatedStack);
  client = new LocalClient(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('an access request, end to end on the local stack', () => {
  it('delivers the subject a download of their data from every demo store', async () => {
    // Prepare: the requester submits the form.
    const submitted = await client.post('/requests', { type: 'access', email: demoSubject.email });
    expect(submitted.status).toBe(202);
    const requestId: string = submitted.body.requestId;
    expect(requestId).toMatch(/^req_/);

    // The mailbox receives a verification link with the token in the fragment.
    const verification = await client.waitForMail(demoSubject.email, /\/verify#t=([A-Za-z0-9_.-]+)/);
    expect(verification.mail.subject).toBe('Confirm your privacy request');
    const verified = await client.post('/verify', { token: verification.match[1] });
    expect(verified.status).toBe(200);

    // The same link cannot be used twice.
    const replay = await client.post('/verify', { token: verification.match[1] });
    expect(replay.status).toBe(400);

    // An officer sees it waiting and approves.
    const officer = await client.officerHeaders();
    await eventually(
      async () => {
        const queue = await client.get('/admin/requests?status=pending_approval', officer);
        return queue.body.requests.some((request: { requestId: string }) => request.requestId === requestId) ? true : undefined;
      },
      10_000,
      'the request in the approval queue',
    );
    const approved = await eventually(
      async () => {
        const answer = await client.post(`/admin/requests/${requestId}/approve`, {}, officer);
        return answer.status === 409 ? undefined : answer;
      },
      10_000,
      'the approval to be accepted',
    );
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('in_progress');
    // The paper archive is searched by a person, who marks the task done.
    await client.completeManualTask(requestId, 'paper-archive');

    // The completion mail links to the download page.
    const completion = await client.waitForMail(demoSubject.email, /\/download#t=([A-Za-z0-9_.-]+)/);
    expect(completion.mail.subject).toBe('Your personal data is ready to download');
    const links = await client.post('/download', { token: completion.match[1] });
    expect(links.status).toBe(200);

    // Assess: the export carries every store's records and disclosures, and nobody else's data.
    const exported: any = await (await fetch(links.body.json)).json();
    const byStore = Object.fromEntries(exported.stores.map((store: { storeId: string }) => [store.storeId, store]));
    expect(byStore.accounts.records).toEqual([expect.objectContaining({ customerId: 'C-1001', name: 'Jane Doe', email: demoSubject.email })]);
    expect(byStore['marketing-preferences'].records).toHaveLength(1);
    expect(byStore['support-tickets'].records.map((ticket: { ticketId: string }) => ticket.ticketId).sort()).toEqual(['T-5001', 'T-5002', 'T-5003']);
    expect(byStore['uploaded-files'].records.map((file: { file: string }) => file.file).sort()).toEqual(['cv.md', 'profile-notes.txt']);
    expect(Buffer.from(byStore['uploaded-files'].records.find((file: { file: string }) => file.file === 'cv.md').contentBase64, 'base64').toString()).toContain(
      'Product Manager',
    );
    expect(byStore['survey-answers'].records).toHaveLength(2);
    expect(byStore['billing-records'].records).toHaveLength(2);
    expect(byStore['usage-events'].records).toHaveLength(120);
    expect(byStore['profile-photos'].records.map((file: { file: string }) => file.file).sort()).toEqual(['avatar-2024.svg', 'avatar.svg']);
    expect(byStore['crm-partner'].records).toEqual([expect.objectContaining({ customer_id: 'C-1001', full_name: 'Jane Doe' })]);
    expect(byStore['paper-archive'].status).toBe('sent_separately');
    expect(byStore.accounts.disclosure.legalBasis).toMatch(/contract/);
    expect(JSON.stringify(exported)).not.toMatch(/C-1002|C-1003|C-1004/);

    const report = await (await fetch(links.body.report)).text();
    expect(report).toContain('Customer accounts');
    expect(report).toContain('T-5003');

    const final = await client.get(`/admin/requests/${requestId}`, officer);
    expect(final.body.status).toBe('completed');
    expect(final.body.storeOutcomes).toHaveLength(10);
    // The receipt confirmation is recorded once the verification mail has gone, which may be just
    // after the requester confirmed: it is checked on its own, not by position.
    const actions: string[] = final.body.events.map((event: { action: string }) => event.action);
    expect(actions.filter((action) => action === 'receipt_confirmed')).toHaveLength(1);
    expect(actions.filter((action) => action !== 'receipt_confirmed')).toEqual([
      'submitted',
      'verification_sent',
      'verified',
      'awaiting_approval',
      'approved',
      'store_done',
      'completed',
      'requester_notified',
    ]);
    expect(JSON.stringify(final.body)).not.toMatch(/TokenHash|TaskToken/);
  });

  it('fails only the stores whose collected records expired while a person took their time, and a retry collects them again', async () => {
    const requestId = await client.submitAndVerify({ type: 'access', email: demoSubject.email });
    expect((await client.approve(requestId)).status).toBe(200);
    const officer = await client.officerHeaders();
    // Every automated store has answered; the paper archive still waits for a person.
    await eventually(
      async () => {
        const tasks = (await client.get(`/admin/requests/${requestId}`, officer)).body.storeTasks as { storeId: string; status: string }[];
        return tasks.filter((task) => task.status === 'succeeded').length >= 4 ? true : undefined;
      },
      20_000,
      'the automated stores to answer',
    );
    // Days later, the bucket's lifecycle has expired the accounts store's collected records.
    const s3 = new S3Client({ endpoint: stack.s3Url, forcePathStyle: true });
    await s3.send(new DeleteObjectCommand({ Bucket: stack.exportBucketName, Key: `work/${requestId}/accounts.json` }));
    await client.completeManualTask(requestId, 'paper-archive');
    const partial = await client.waitForStatus(requestId, 'partially_completed');
    expect(partial.storeOutcomes.find((outcome: { storeId: string }) => outcome.storeId === 'accounts')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/are missing \(expired before every store had answered, or never stored\); a retry collects them again/),
    });
    expect(partial.storeOutcomes.filter((outcome: { status: string }) => outcome.status === 'failed')).toHaveLength(1);

    expect((await client.post(`/admin/requests/${requestId}/retry`, {}, officer)).status).toBe(200);
    const done = await client.waitForStatus(requestId, 'completed');
    expect(done.storeOutcomes.find((outcome: { storeId: string }) => outcome.storeId === 'accounts')).toMatchObject({ status: 'succeeded', recordCount: 1 });
    s3.destroy();
  });

  it('answers a stranger exactly as it answers a known person', async () => {
    const known = await client.post('/requests', { type: 'access', email: 'john.smith@example.org' });
    const unknown = await client.post('/requests', { type: 'access', email: 'nobody.here@example.com' });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(known.body).sort());
    expect(unknown.body.message).toBe(known.body.message);
  });

  it('refuses invalid input with a 400 that names the problem', async () => {
    const answer = await client.post('/requests', { type: 'access', email: 'not-an-address' });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([expect.objectContaining({ path: 'email' })]);
    const unknownType = await client.post('/requests', { type: 'sell', email: demoSubject.email });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error).toMatch(/type/);
  });

  it('keeps officer routes closed without a valid officer token', async () => {
    expect((await client.get('/admin/requests')).status).toBe(401);
    expect((await client.get('/admin/requests', { authorization: 'Bearer forged.token.value' })).status).toBe(401);
    const notAnOfficer = { authorization: `Bearer ${await stack.issuer.issue({ groups: ['staff'] })}` };
    expect((await client.get('/admin/requests', notAnOfficer)).status).toBe(403);
  });

  it('lets an officer reject with a reason that the requester receives with their rights', async () => {
    const email = 'amira.haddad@example.net';
    const { body } = await client.post('/requests', { type: 'access', email });
    const verification = await client.waitForMail(email, /\/verify#t=([A-Za-z0-9_.-]+)/);
    expect((await client.post('/verify', { token: verification.match[1] })).status).toBe(200);
    const officer = await client.officerHeaders();
    const rejected = await eventually(
      async () => {
        const answer = await client.post(`/admin/requests/${body.requestId}/reject`, { reason: 'We could not match this request to an account.' }, officer);
        return answer.status === 409 ? undefined : answer;
      },
      10_000,
      'the rejection to be accepted',
    );
    expect(rejected.status).toBe(200);
    const mail = await client.waitForMail(email, /could not match this request to an account/);
    expect(mail.mail.body.text).toMatch(/supervisory authority/);
    expect(mail.mail.body.text).toMatch(/judicial remedy/);
  });

  it('shows an officer every request from one mailbox, whatever its case, beside each of them', async () => {
    const first = await client.submitAndVerify({ type: 'access', email: 'kofi.mensah@example.org' });
    const second = await client.submitAndVerify({ type: 'delete', email: 'Kofi.Mensah@EXAMPLE.org' });
    await client.submitAndVerify({ type: 'access', email: 'someone.else@example.org' });
    const officer = await client.officerHeaders();

    const found = await client.get(`/admin/requests?email=${encodeURIComponent('KOFI.MENSAH@example.org')}`, officer);
    expect(found.status).toBe(200);
    expect(found.body.requests.map((request: { requestId: string }) => request.requestId)).toEqual([second, first]);
    expect(found.body.truncated).toBe(false);
    const narrowed = await client.get(`/admin/requests?email=kofi.mensah%40example.org&status=pending_approval,in_progress`, officer);
    expect(narrowed.body.requests.every((request: { status: string }) => ['pending_approval', 'in_progress'].includes(request.status))).toBe(true);

    const detail = await client.get(`/admin/requests/${second}`, officer);
    expect(detail.body.otherRequests).toEqual([
      expect.objectContaining({ requestId: first, type: 'access', receivedAt: expect.any(String), status: expect.any(String) }),
    ]);
    expect(JSON.stringify(detail.body.otherRequests)).not.toContain('Token');

    expect((await client.get('/admin/requests?email=nobody.here%40example.org', officer)).body).toEqual({ requests: [], truncated: false });
    const invalid = await client.get('/admin/requests?email=not-an-address', officer);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatch(/email/);
    expect((await client.get('/admin/requests?email=kofi.mensah%40example.org')).status).toBe(401);
  });

  it('flags a request from a mailbox that made three other confirmed requests this year, for an officer to weigh', async () => {
    const email = 'ama.owusu@example.org';
    const earlier = [
      await client.submitAndVerify({ type: 'access', email }),
      await client.submitAndVerify({ type: 'delete', email }),
      await client.submitAndVerify({ type: 'amend', email, corrections: [{ field: 'phone', value: '+233 30 000 0000' }] }),
    ];
    const latest = await client.submitAndVerify({ type: 'objection', email });
    const officer = await client.officerHeaders();
    const flagsOf = (requestId: string) =>
      eventually(
        async () => (await client.get(`/admin/requests/${requestId}`, officer)).body.reviewFlags as string[] | undefined,
        20_000,
        `${requestId} to be prepared`,
      );
    expect(await flagsOf(latest)).toContain('repeated_requests');
    expect(await flagsOf(earlier[0]!)).not.toContain('repeated_requests');
    const detail = await client.get(`/admin/requests/${latest}`, officer);
    expect(detail.body.otherRequests.map((other: { requestId: string }) => other.requestId)).toEqual([...earlier].reverse());
    expect(detail.body.events.find((event: { action: string }) => event.action === 'awaiting_approval').detail).toContain('flag: repeated_requests');
  });

  it('pages the queue over several statuses, earliest due first, each request once', async () => {
    const officer = await client.officerHeaders();
    const statuses = 'pending_approval,in_progress,completed,rejected,pending_verification';
    const whole = await client.get(`/admin/requests?status=${statuses}`, officer);
    expect(whole.body.truncated).toBe(false);
    expect(whole.body.requests.length).toBeGreaterThan(5);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.get(`/admin/requests?status=${statuses}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, officer);
      expect(page.status).toBe(200);
      expect(page.body.requests.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.requests.map((request: { requestId: string }) => request.requestId));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Nothing moves meanwhile (every request here has settled), so the pages add up to the whole.
    expect(paged).toEqual(whole.body.requests.map((request: { requestId: string }) => request.requestId));
    expect((await client.get(`/admin/requests?status=${statuses}&cursor=forged`, officer)).status).toBe(400);
    expect((await client.get('/admin/requests?limit=0', officer)).body.error).toMatch(/limit must be a whole number from 1 to 100/);
  });
});
