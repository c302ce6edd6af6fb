import { describe, expect, it } from 'vitest';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { screenshot, useBrowserSession } from '../fixtures/browser.ts';
import { eventually } from '../fixtures/local-client.ts';

const session = useBrowserSession();

describe('a requester in a browser', () => {
  it('asks for a copy of their data, confirms the mailbox and downloads the export', async () => {
    const page = await session.browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });

    await page.goto(`${session.stack.apiUrl}/`);
    await screenshot(page, 'request-form');
    await page.getByLabel(/copy of my data/i).check();
    await page.getByLabel(/email/i).fill(demoSubject.email);
    await page.getByRole('button', { name: /send|submit/i }).click();
    await expect.poll(() => page.getByText(/check your mailbox/i).isVisible()).toBe(true);
    await screenshot(page, 'request-submitted');

    const verification = await session.client.waitForMail(demoSubject.email, /(http:\/\/[^\s]+\/verify#t=[A-Za-z0-9_.-]+)/);
    await page.goto(verification.match[1]!);
    expect(page.url()).not.toContain('#t=');
    await page.getByRole('button', { name: /confirm/i }).click();
    await expect
      .poll(() =>
        page
          .getByText(/confirmed/i)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await screenshot(page, 'verified');

    const requestId = /\/verify#t=(req_[^.]+)\./.exec(verification.match[1]!)![1]!;

    // The officer signs in to the console, approves, and completes the paper-archive task.
    const officerPage = await session.browser.newPage();
    await officerPage.goto(`${session.stack.apiUrl}/console`);
    await officerPage.getByRole('link', { name: 'Sign in' }).click();
    await officerPage.getByRole('button', { name: /sign in as the demo officer/i }).click();
    await expect.poll(() => officerPage.getByRole('heading', { level: 1, name: 'Request queue' }).isVisible()).toBe(true);
    await eventually(
      async () => {
        await officerPage.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);
        await officerPage.waitForTimeout(300);
        return (await officerPage.getByRole('button', { name: 'Approve' }).isVisible()) ? true : undefined;
      },
      15_000,
      'the request to wait for approval in the console',
    );
    await officerPage.getByRole('button', { name: 'Approve' }).click();
    await eventually(
      async () => {
        await officerPage.getByRole('button', { name: 'Refresh' }).click();
        await officerPage.waitForTimeout(300);
        return (await officerPage.getByRole('button', { name: 'Complete task… for paper-archive' }).isVisible()) ? true : undefined;
      },
      20_000,
      'the paper-archive task to wait for an officer',
    );
    await officerPage.getByRole('button', { name: 'Complete task… for paper-archive' }).click();
    const completeDialog = officerPage.getByRole('dialog', { name: /complete the paper-archive task/i });
    await completeDialog.getByLabel('Internal note (audit trail only)').fill('Searched the archive: nothing on paper.');
    await completeDialog.getByRole('button', { name: 'Complete task' }).click();
    await officerPage.close();

    const completion = await session.client.waitForMail(demoSubject.email, /(http:\/\/[^\s]+\/download#t=[A-Za-z0-9_.-]+)/);
    await page.goto(completion.match[1]!);
    const downloadStarted = page.waitForEvent('download');
    await page.getByRole('button', { name: /download/i }).click();
    const download = await downloadStarted;
    expect(download.suggestedFilename()).toBe(`personal-data-${requestId}.json`);
    const exported = JSON.parse(await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8'));
    expect(exported.stores.map((store: { storeId: string; recordCount: number }) => [store.storeId, store.recordCount])).toEqual([
      ['accounts', 1],
      ['marketing-preferences', 1],
      ['support-tickets', 3],
      ['survey-answers', 2],
      ['billing-records', 2],
      ['usage-events', 120],
      ['uploaded-files', 2],
      ['profile-photos', 2],
      ['crm-partner', 1],
      ['paper-archive', 0],
    ]);
    await expect.poll(() => page.getByRole('link', { name: /readable report/i }).isVisible()).toBe(true);
    await screenshot(page, 'download');
    expect(violations).toEqual([]);
  });

  it('sees an extension and then a rejection on the status page, with the reasons', async () => {
    const email = 'lukas.muller@example.com';
    const requestId = await session.client.submitAndVerify({ type: 'access', email });
    const officer = await session.client.officerHeaders();
    await eventually(
      async () => {
        const answer = await session.client.post(
          `/admin/requests/${requestId}/extend`,
          { reason: 'Our paper archive is being moved this month.', months: 1 },
          officer,
        );
        return answer.status === 200 ? answer : undefined;
      },
      10_000,
      'the extension',
    );
    const extensionMail = await session.client.waitForMail(email, /Our paper archive is being moved this month/);
    const statusLink = /(http:\/\/[^\s]+\/status#t=[A-Za-z0-9_.-]+)/.exec(extensionMail.mail.body.text ?? '')![1]!;

    const page = await session.browser.newPage();
    await page.goto(statusLink);
    await expect.poll(() => page.getByText('Our paper archive is being moved this month.').first().isVisible()).toBe(true);
    await screenshot(page, 'status-extended');

    expect((await session.client.post(`/admin/requests/${requestId}/reject`, { reason: 'We hold no account for this address.' }, officer)).status).toBe(200);
    const rejection = await session.client.waitForMail(email, /We hold no account for this address/);
    expect(rejection.mail.body.text).toMatch(/supervisory authority/);
    await page.close();
    // A fresh page, as a requester opening the new email would: same path, another token.
    const later = await session.browser.newPage();
    await later.goto(/(http:\/\/[^\s]+\/status#t=[A-Za-z0-9_.-]+)/.exec(rejection.mail.body.text ?? '')![1]!);
    await expect
      .poll(() =>
        later
          .getByText(/could not carry out your request/i)
          .first()
          .isVisible(),
      )
      .toBe(true);
    await screenshot(later, 'status-rejected');
    await later.close();
  });
});
