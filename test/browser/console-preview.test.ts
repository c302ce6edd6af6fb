import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { screenshot, useBrowserSession, watchProblems } from '../fixtures/browser.ts';
import { eventually } from '../fixtures/local-client.ts';

const session = useBrowserSession();

describe('the console shows what approving will do', () => {
  it('previews an erasure per store and asks for a confirmation that names the counts before erasing', async () => {
    const requestId = await session.client.submitAndVerify({ type: 'delete', email: 'jane.doe@example.com' });
    const officer = await session.client.officerHeaders();
    await eventually(async () => ((await session.client.get(`/admin/requests/${requestId}/preview`, officer)).status === 200 ? true : undefined), 20_000, 'the request to await approval');
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    const approvals: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/approve')) approvals.push(request.url());
    });
    await page.addInitScript((token) => sessionStorage.setItem('dsr-console.id-token', token), await session.stack.issuer.issue());
    await page.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);

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
    expect(await page.locator('#erase-counts').textContent()).toMatch(/^Approving will delete \d+ records, anonymise 2 records, keep 2 records under a legal obligation, across 10 stores\. 2 other systems \(processors, people\) will be asked when it runs\.$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-erasure-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(approvals).toEqual([]);
    expect((await session.client.get(`/admin/requests/${requestId}`, officer)).body.status).toBe('pending_approval');

    await page.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByRole('button', { name: 'Approve the erasure' }).click();
    await expect.poll(() => approvals.length).toBe(1);
    await eventually(async () => ((await session.client.get(`/admin/requests/${requestId}`, officer)).body.status !== 'pending_approval' ? true : undefined), 20_000, 'the approval');
    expect(problems).toEqual([]);
    await page.close();
  });
});
