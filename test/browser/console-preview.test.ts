import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { screenshot, useBrowserSession, watchProblems } from '../fixtures/browser.ts';
import { eventually } from '../fixtures/local-client.ts';

const session = useBrowserSession();

/** A signed-in officer session in `page`, as the console keeps it after signing in. */
const signIn = async (page: Page) => page.addInitScript((token) => sessionStorage.setItem('dsr-console.id-token', token), await session.stack.issuer.issue());

/** A verified request, once its preview answers: it waits for an officer's decision. */
async function awaitingApproval(body: Record<string, unknown>): Promise<string> {
  const requestId = await session.client.submitAndVerify(body);
  const officer = await session.client.officerHeaders();
  await eventually(
    async () => ((await session.client.get(`/admin/requests/${requestId}/preview`, officer)).status === 200 ? true : undefined),
    20_000,
    'the request to await approval',
  );
  return requestId;
}

describe('the console shows what approving will do', () => {
  it('previews an erasure per store and asks for a confirmation that names the counts before erasing', async () => {
    const requestId = await awaitingApproval({ type: 'delete', email: 'jane.doe@example.com' });
    const officer = await session.client.officerHeaders();
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    const approvals: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/approve')) approvals.push(request.url());
    });
    await signIn(page);
    await page.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);

    // Who the workflow resolved the requester to, and from where: what a person searching by hand needs.
    const identities = page.locator('section[aria-labelledby="detail-identities"] table');
    await expect.poll(() => identities.isVisible()).toBe(true);
    expect(await identities.locator('tr', { hasText: 'customerId' }).textContent()).toMatch(/customerIdC-1001Customer accounts, found by email/);
    expect(await identities.locator('tr', { hasText: /^email/ }).textContent()).toMatch(/The mailbox the requester confirmed/);

    const preview = page.locator('#preview-body table');
    await expect.poll(() => preview.isVisible()).toBe(true);
    expect(await preview.locator('tr', { hasText: 'Product usage history' }).textContent()).toMatch(/Deletes 120 records/);
    expect(await preview.locator('tr', { hasText: 'Billing' }).textContent()).toMatch(/Keeps 2 records \(.*legal obligation/i);
    expect(await preview.textContent()).toMatch(/The processor is asked when the request runs/);
    await screenshot(page, 'console-erasure-preview');

    // The first click asks; cancelling erases nothing.
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve this erasure?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.locator('#erase-counts').textContent()).toMatch(
      /^Approving will delete \d+ records, anonymise 2 records, keep 2 records under a legal obligation, across 10 stores\. 2 other systems \(processors, people\) will be asked when it runs\.$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-erasure-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(approvals).toEqual([]);
    expect((await session.client.get(`/admin/requests/${requestId}`, officer)).body.status).toBe('pending_approval');

    await page.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByRole('button', { name: 'Approve the erasure' }).click();
    await expect.poll(() => approvals.length).toBe(1);
    await eventually(
      async () => ((await session.client.get(`/admin/requests/${requestId}`, officer)).body.status !== 'pending_approval' ? true : undefined),
      20_000,
      'the approval',
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it("follows a running request without a click, and shows each action's result on the page", async () => {
    const requestId = await awaitingApproval({ type: 'access', email: 'lukas.muller@example.com' });
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    await signIn(page);
    await page.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);
    await expect.poll(() => page.getByRole('button', { name: 'Approve' }).isVisible()).toBe(true);

    // Another officer approves (here: the API); this page follows on its own.
    expect((await session.client.approve(requestId)).status).toBe(200);
    await expect.poll(() => page.locator('#announcer').textContent(), { timeout: 20_000 }).toMatch(/The request is now/);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expect.poll(() => page.locator('table.stores').textContent(), { timeout: 20_000 }).toMatch(/Waiting|Succeeded/);

    // An action's result is visible, not only spoken.
    await page.getByRole('button', { name: 'Extend due date…' }).click();
    await page.locator('#extend-reason').fill('Many systems to search for this customer.');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Extend/ })
      .click();
    await expect.poll(() => page.locator('#result').isVisible()).toBe(true);
    expect(await page.locator('#result').textContent()).toMatch(/extended|due/i);
    await screenshot(page, 'console-live-result');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hides no action or status on a 390 px phone: queue rows and store rows become cards', async () => {
    const requestId = await session.client.submitAndVerify({ type: 'access', email: 'amira.haddad@example.net' });
    expect((await session.client.approve(requestId)).status).toBe(200);
    const page = await session.browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems = watchProblems(page);
    await signIn(page);
    const noSidewaysScroll = () =>
      page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    const inView = async (locator: import('playwright-core').Locator) => {
      const box = await locator.boundingBox();
      return box !== null && box.x >= 0 && box.x + box.width <= 390;
    };

    await page.goto(`${session.stack.apiUrl}/console#/queue?status=in_progress`);
    const row = page.locator('#queue-rows tr', { hasText: requestId });
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await inView(row.locator('td[data-label="Status"]'))).toBe(true);
    expect(await inView(row.locator('td[data-label="Due"]'))).toBe(true);
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-queue-phone');

    await page.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);
    const complete = page.getByRole('button', { name: /Complete task… for/ });
    await expect.poll(() => complete.isVisible(), { timeout: 20_000 }).toBe(true);
    await complete.scrollIntoViewIfNeeded();
    expect(await inView(complete)).toBe(true);
    expect(await noSidewaysScroll()).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-detail-phone');
    expect(problems).toEqual([]);
    await page.close();
  });
});
