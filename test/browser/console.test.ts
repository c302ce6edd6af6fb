import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { screenshot, useBrowserSession, watchProblems } from '../fixtures/browser.ts';
import { eventually } from '../fixtures/local-client.ts';

const session = useBrowserSession();

/** What a requester typed, trying to run script in the officer's console. */
const hostileName = 'Jane <img src=x onerror="window.__pwned=1"> Doe';

const ids = { access: '', amend: '', delete: '' };

beforeAll(async () => {
  ids.access = await session.client.submitAndVerify({ type: 'access', email: 'jane.doe@example.com' });
  ids.amend = await session.client.submitAndVerify({
    type: 'amend',
    email: 'jane.doe@example.com',
    corrections: [
      { field: 'phone', value: '+44 20 7946 0000' },
      { field: 'name', value: hostileName },
    ],
  });
  // CCPA: due in 45 days, after the GDPR month of the others, so it is last in the queue.
  ids.delete = await session.client.submitAndVerify({ type: 'delete', email: 'john.smith@example.org', jurisdiction: 'ccpa' });
  // Each is ready for an officer once the workflow has prepared it (subject resolved, flags, diff).
  const officer = await session.client.officerHeaders();
  for (const requestId of Object.values(ids)) {
    await eventually(
      async () => {
        const request = await session.client.get(`/admin/requests/${requestId}`, officer);
        return request.body.events?.some((event: { action: string }) => event.action === 'awaiting_approval') ? true : undefined;
      },
      20_000,
      `${requestId} to await approval`,
    );
  }
}, 90_000);

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousViolations(page), where).toEqual([]);
}

describe('the privacy-officer console', () => {
  it('signs in locally, works the queue, decides requests, completes a manual task and charts it all', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);

    // Signed out: the console offers the local sign-in page.
    await page.goto(`${session.stack.apiUrl}/console`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in view');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: /demo privacy officer \(local only\)/i }).isVisible()).toBe(true);
    expect(await page.locator('body').textContent()).not.toMatch(/eyJ/); // no token on the page
    await screenshot(page, 'console-local-sign-in');
    await expectAccessible(page, 'local sign-in page');
    await page.getByRole('button', { name: /sign in as the demo officer/i }).click();

    // The queue, earliest due first; the token left the address bar.
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Request queue' }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${session.stack.apiUrl}/console`);
    expect(await page.evaluate(() => sessionStorage.getItem('dsr-console.id-token'))).toMatch(/^eyJ/);
    const rows = page.locator('#queue-rows tr');
    await expect.poll(() => rows.count()).toBe(3);
    const queued = await rows.locator('th a').allTextContents();
    expect(queued.at(-1)).toBe(ids.delete);
    expect(new Set(queued)).toEqual(new Set(Object.values(ids)));
    const due = await rows.locator('td:nth-child(5) time').evaluateAll((times) => times.map((time) => time.getAttribute('datetime') ?? ''));
    expect([...due].sort()).toEqual(due);
    await expect.poll(() => page.locator('#queue-rows').textContent()).toMatch(/\d+ days/);
    await screenshot(page, 'console-queue');
    await expectAccessible(page, 'queue');

    // Filters: type (client side) and status (server side).
    await page.getByLabel('Type').selectOption('delete');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Overdue only').check();
    await expect.poll(() => page.getByText('No requests match these filters.').isVisible()).toBe(true);
    await page.getByLabel('Overdue only').uncheck();
    await page.getByLabel('Type').selectOption('');
    await expect.poll(() => rows.count()).toBe(3);

    // One requester's history: found by address in any case, in every status; a bad address is named.
    const emailSearch = page.getByLabel("Requester's email");
    await emailSearch.fill('not an address');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.locator('#filter-email-error').textContent()).toMatch(/email address looks like name@example\.com/);
    expect(await emailSearch.getAttribute('aria-invalid')).toBe('true');
    await emailSearch.fill('JANE.DOE@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.locator('#queue-summary').textContent()).toMatch(/^2 requests from JANE\.DOE@example\.com, newest first/);
    expect(new Set(await rows.locator('th a').allTextContents())).toEqual(new Set([ids.access, ids.amend]));
    expect(await page.locator('#filter-email-error').isVisible()).toBe(false);
    expect(await page.getByLabel('Status').inputValue()).toBe('*'); // the history, in every status
    await screenshot(page, 'console-requester-search');
    await expectAccessible(page, 'requester search');
    await emailSearch.fill('');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => page.locator('#queue-summary').textContent()).toMatch(/earliest due first/);
    expect(await page.getByLabel('Status').inputValue()).toBe('');

    // The amendment: its diff, the hostile value shown as text and never run.
    await page.getByRole('link', { name: ids.amend }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: `Request ${ids.amend}` }).isVisible()).toBe(true);
    const diff = page.locator('table.diff');
    await expect.poll(() => diff.isVisible()).toBe(true);
    const phoneRow = diff.locator('tr', { hasText: 'phone' }).first();
    expect(await phoneRow.locator('del').first().textContent()).toBe('+44 20 7946 0958');
    expect(await phoneRow.locator('ins').textContent()).toBe('+44 20 7946 0000');
    expect(await diff.locator('ins', { hasText: '<img' }).first().textContent()).toBe(hostileName);
    // Invoices keep the phone as issued: the officer sees it flagged and in the diff, with the reason.
    expect(await page.getByRole('region', { name: 'Needs your judgement' }).textContent()).toMatch(/Not correctable everywhere: A store holds a field/);
    const kept = diff.locator('tr.unchanged', { hasText: 'Billing records' });
    expect(await kept.textContent()).toMatch(/phone.*Stays as it was: the catalog says this store cannot change it, because invoices already issued/);
    expect(await page.locator('#detail-body img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(
      await page
        .getByRole('table', { name: /every audit event/i })
        .locator('tbody tr')
        .count(),
    ).toBeGreaterThanOrEqual(3);
    // The same mailbox's other request, to weigh a repetitive one (GDPR Art. 12(5)).
    const history = page.getByRole('region', { name: 'Other requests from this address' });
    await expect.poll(() => history.textContent()).toMatch(/1 other request from this mailbox in the last 12 months/);
    expect(await history.getByRole('link').allTextContents()).toEqual([ids.access]);
    await screenshot(page, 'console-amend-diff');
    await expectAccessible(page, 'amend detail');

    // Extend the amendment's due date by two months; a third month is more than GDPR allows.
    const dueBefore = (await session.client.waitForStatus(ids.amend, 'pending_approval')).dueAt as string;
    await page.getByRole('button', { name: 'Extend due date…' }).click();
    const extendDialog = page.getByRole('dialog', { name: 'Extend the due date' });
    await extendDialog.getByLabel('2 months').check();
    await extendDialog.getByLabel('Reason for the requester (sent to the requester)').fill('The corrections touch a processor and a paper archive.');
    await screenshot(page, 'console-extend-dialog');
    await expectAccessible(page, 'extend dialog');
    await extendDialog.getByRole('button', { name: 'Extend due date' }).click();
    await expect.poll(() => extendDialog.isVisible()).toBe(false);
    await expect.poll(() => page.locator('#detail-body .facts').textContent()).toMatch(/Extended1 time, 2 months in all: The corrections touch/);
    expect(await page.getByRole('table', { name: /every audit event/i }).textContent()).toContain('Due date extended');
    const dueAfter = (await session.client.waitForStatus(ids.amend, 'pending_approval')).dueAt as string;
    expect(dueAfter > dueBefore).toBe(true);
    await page.getByRole('button', { name: 'Extend due date…' }).click();
    await extendDialog.getByLabel('Reason for the requester (sent to the requester)').fill('Still more work.');
    await extendDialog.getByRole('button', { name: 'Extend due date' }).click();
    await expect.poll(() => extendDialog.locator('#extend-error').isVisible()).toBe(true);
    expect(await extendDialog.locator('#extend-error').textContent()).not.toBe('');
    await screenshot(page, 'console-extend-refused');
    await extendDialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => extendDialog.isVisible()).toBe(false);

    // Reject the delete request with a reason.
    await page.goto(`${session.stack.apiUrl}/console#/requests/${ids.delete}`);
    await page.getByRole('button', { name: 'Reject…' }).click();
    const rejectDialog = page.getByRole('dialog', { name: 'Reject this request' });
    await expect.poll(() => rejectDialog.isVisible()).toBe(true);
    await rejectDialog.getByRole('button', { name: 'Reject request' }).click();
    await expect.poll(() => rejectDialog.getByText(/at least 3 characters/).isVisible()).toBe(true);
    await rejectDialog.getByLabel('Reason for the requester (sent to the requester)').fill('We could not match this address to an account we hold.');
    await screenshot(page, 'console-reject-dialog');
    await expectAccessible(page, 'reject dialog');
    await rejectDialog.getByRole('button', { name: 'Reject request' }).click();
    await expect.poll(() => rejectDialog.isVisible()).toBe(false);
    await expect.poll(() => page.locator('#detail-body .facts').textContent()).toMatch(/Rejected.*We could not match this address/s);
    await expect.poll(() => page.locator('#result').textContent()).toMatch(/rejected/i);
    expect((await session.client.waitForStatus(ids.delete, 'rejected')).rejectionReason).toBe('We could not match this address to an account we hold.');

    // Approve the access request, then complete the paper archive's manual task.
    await page.getByRole('link', { name: /back to the queue/i }).click();
    await page.getByRole('link', { name: ids.access }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('#detail-body .facts').textContent()).toMatch(/In progress/);
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(300);
        return (await page.getByRole('button', { name: 'Complete task… for paper-archive' }).isVisible()) ? true : undefined;
      },
      20_000,
      'the paper-archive task to wait for an officer',
    );
    await screenshot(page, 'console-manual-task-waiting');
    await page.getByRole('button', { name: 'Complete task… for paper-archive' }).click();
    const completeDialog = page.getByRole('dialog', { name: /complete the paper-archive task/i });
    await completeDialog.getByLabel('Internal note (audit trail only)').fill('Searched the archive: nothing on paper.');
    await completeDialog.getByLabel(/records found/i).fill('0');
    // Two kinds of text: the internal note, and a message to the requester shown as it will be sent.
    expect(await completeDialog.locator('#complete-message-preview').textContent()).toMatch(/No message: .*internal note is never sent/);
    const message = 'We searched our paper archive and hold no papers about you.';
    await completeDialog.getByLabel('Message to the requester (optional, sent as written)').fill(`  ${message}  `);
    await expect
      .poll(() => completeDialog.locator('#complete-message-line').textContent())
      .toBe(`Signed contracts archive (paper): Message from our privacy team: “${message}”`);
    await expectAccessible(page, 'complete dialog with a message to the requester');
    await completeDialog.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => completeDialog.isVisible()).toBe(false);
    const completed = await session.client.waitForStatus(ids.access, 'completed');
    const { mail } = await session.client.waitForMail(completed.email, /Message from our privacy team: “(.+)”/);
    expect(mail.body.text).toContain(`Signed contracts archive (paper): Message from our privacy team: “${message}”`);
    expect(mail.body.text).not.toContain('Searched the archive');
    expect(
      completed.events.some(
        (event: { action: string; detail?: string }) =>
          event.action === 'store_done' &&
          event.detail === `paper-archive; internal note: Searched the archive: nothing on paper.; message to the requester: ${message}`,
      ),
    ).toBe(true);
    await eventually(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(300);
        return /Completed/.test((await page.locator('#detail-body .facts').textContent()) ?? '') ? true : undefined;
      },
      10_000,
      'the console to show the completed request',
    );
    expect(await page.locator('table.stores').textContent()).toContain('Internal note: Searched the archive: nothing on paper.');
    expect(await page.locator('table.stores').textContent()).toContain(`Sent to the requester: ${message}`);
    await screenshot(page, 'console-completed-detail');
    await expectAccessible(page, 'completed detail');

    // The dashboard: four charts, each with its text alternative.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.locator('figure.chart').count()).toBe(4);
    for (const title of ['Requests by status', 'Requests by type', 'Days left for open requests', 'Time to completion']) {
      const chart = page.getByRole('figure', { name: title });
      expect(await chart.locator('svg rect').count()).toBeGreaterThan(0);
      expect(await chart.locator('svg desc').textContent()).toMatch(/\d+ request/);
    }
    expect(await page.getByRole('figure', { name: 'Requests by status' }).locator('svg desc').textContent()).toMatch(
      /Completed: 1 request;.*Rejected: 1 request/,
    );
    expect(await page.getByRole('figure', { name: 'Time to completion' }).textContent()).toMatch(/1 request completed; median/);
    await screenshot(page, 'console-dashboard');
    await expectAccessible(page, 'dashboard');

    // A phone-sized screen: the queue still reads.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Queue' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await screenshot(page, 'console-queue-narrow');
    await expectAccessible(page, 'narrow queue');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Sign out clears the session; an API 401 would do the same.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('dsr-console.id-token'))).toBeNull();

    // The refused address search and the refused extension are the browser's only complaints: no script error, no CSP violation.
    expect(problems).toEqual(Array(2).fill('Failed to load resource: the server responded with a status of 400 (Bad Request)'));
    await page.close();
  }, 120_000);

  it('shows more of a long queue on demand, focus on the first request added', async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    const queued = (id: string, day: number) => ({
      requestId: id,
      type: 'access',
      status: 'pending_approval',
      receivedAt: '2026-11-20T10:00:00.000Z',
      dueAt: `2026-12-${String(day).padStart(2, '0')}T23:59:59.999Z`,
      reviewFlags: [],
    });
    const asked: string[] = [];
    await page.route('**/admin/requests?**', async (route) => {
      const url = new URL(route.request().url());
      asked.push(url.searchParams.get('cursor') ?? '');
      const body =
        url.searchParams.get('cursor') === 'page-2'
          ? { requests: [queued('req_third', 22)], truncated: false }
          : { requests: [queued('req_first', 20), queued('req_second', 21)], truncated: true, nextCursor: 'page-2' };
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    });
    // Already signed in: the session lives in sessionStorage (a token in a link is never taken, see console-sign-in-attacks).
    await page.addInitScript((token) => sessionStorage.setItem('dsr-console.id-token', token), await session.stack.issuer.issue());
    await page.goto(`${session.stack.apiUrl}/console`);
    const rows = page.locator('#queue-rows tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('#queue-summary').textContent()).toMatch(/More are due later/);
    await page.getByRole('button', { name: 'Show more requests' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.locator('th a').allTextContents()).toEqual(['req_first', 'req_second', 'req_third']);
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent),
    ).toBe('req_third');
    expect(await page.getByRole('button', { name: 'Show more requests' }).isHidden()).toBe(true);
    expect(asked).toEqual(['', 'page-2']);
    await expectAccessible(page, 'queue after showing more');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('returns to sign-in when the API refuses the token', async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    await page.addInitScript((token) => sessionStorage.setItem('dsr-console.id-token', token), 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.c2lnbmF0dXJl');
    await page.goto(`${session.stack.apiUrl}/console`);
    await expect.poll(() => page.getByText(/session has ended/i).isVisible()).toBe(true);
    expect(page.url()).toBe(`${session.stack.apiUrl}/console`);
    expect(await page.evaluate(() => sessionStorage.getItem('dsr-console.id-token'))).toBeNull();
    // The browser logs the refused call itself; nothing else may go wrong.
    expect(problems.filter((problem) => !/401/.test(problem))).toEqual([]);
    await page.close();
  });
});
