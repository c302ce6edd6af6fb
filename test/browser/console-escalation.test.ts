import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { screenshot, useBrowserSession, watchProblems } from '../fixtures/browser.ts';
import { eventually } from '../fixtures/local-client.ts';

const session = useBrowserSession();

/** Two access requests whose processor (crm-partner) acknowledges and then never answers. */
const ids = { escalated: '', raced: '' };

/** What the officer types, with markup that must stay text on the page. */
const reason = 'Example CRM has not answered for five days <b>at all</b>; we export the contact from their portal.';

async function crmTask(requestId: string): Promise<any> {
  const request = await session.client.get(`/admin/requests/${requestId}`, await session.client.officerHeaders());
  return request.body.storeTasks?.find((task: { storeId: string }) => task.storeId === 'crm-partner');
}

beforeAll(async () => {
  session.stack.partner.setMode('hold');
  [ids.escalated, ids.raced] = await Promise.all([
    session.client.submitAndVerify({ type: 'access', email: 'amira.haddad@example.net' }),
    session.client.submitAndVerify({ type: 'access', email: 'lukas.muller@example.com' }),
  ]);
  for (const requestId of Object.values(ids)) {
    expect((await session.client.approve(requestId)).status).toBe(200);
    await eventually(async () => ((await crmTask(requestId))?.status === 'waiting' ? true : undefined), 20_000, `the crm-partner task of ${requestId} to wait`);
  }
}, 90_000);

/**
 * A console page already signed in (the session lives in sessionStorage, see console.test.ts),
 * showing one request, with the browser's complaints collected. `prepare` runs before loading.
 */
async function openRequest(requestId: string, prepare?: (page: Page) => Promise<void>): Promise<{ page: Page; problems: string[] }> {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watchProblems(page);
  await prepare?.(page);
  await page.addInitScript((token) => sessionStorage.setItem('dsr-console.id-token', token), await session.stack.issuer.issue());
  await page.goto(`${session.stack.apiUrl}/console#/requests/${requestId}`);
  await expect.poll(() => page.getByRole('heading', { level: 1, name: `Request ${requestId}` }).isVisible()).toBe(true);
  await expect.poll(() => page.locator('table.stores').isVisible()).toBe(true);
  return { page, problems };
}

async function refreshUntil(page: Page, probe: () => Promise<boolean>, what: string): Promise<void> {
  await eventually(
    async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(300);
      return (await probe()) ? true : undefined;
    },
    20_000,
    what,
  );
}

describe("the console takes a processor's unanswered task over by hand", () => {
  it('escalates with a reason, completes the task by hand and shows it as done by hand', async () => {
    const { page, problems } = await openRequest(ids.escalated);
    const escalations: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/stores/crm-partner/escalate')) escalations.push(request.postData() ?? '');
    });
    const stores = page.locator('table.stores');
    const crmRow = stores.locator('tr', { has: page.locator('th', { hasText: 'crm-partner' }) });

    // Waiting for the processor: escalation is offered, completing it by hand is not (yet).
    const escalate = page.getByRole('button', { name: 'Escalate to manual… for crm-partner' });
    await expect.poll(() => escalate.isVisible()).toBe(true);
    expect(await escalate.textContent()).toBe('Escalate to manual…');
    expect(await page.getByRole('button', { name: 'Complete task… for crm-partner' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Complete task… for paper-archive' }).isVisible()).toBe(true);

    // Keyboard: the button opens the dialog, focus moves into it (the reason), Escape closes it and focus returns.
    const dialog = page.getByRole('dialog', { name: 'Escalate the crm-partner task to manual handling' });
    await escalate.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('escalate-reason');
    expect(await dialog.getByText(/recorded as done by hand, never as the processor's answer/).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.locator(':focus').getAttribute('aria-label')).toBe('Escalate to manual… for crm-partner');

    // A reason too short (after trimming) is refused in the dialog, before anything is sent.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const reasonField = dialog.getByLabel('Reason for escalating');
    await reasonField.fill('   too short   ');
    await dialog.getByRole('button', { name: 'Escalate to manual handling' }).click();
    const error = dialog.locator('#escalate-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/at least 10 characters; 9 so far/);
    expect(await reasonField.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('escalate-reason');
    expect(escalations).toEqual([]);
    await screenshot(page, 'console-escalate-too-short');
    expect(await seriousViolations(page), 'escalate dialog with an error').toEqual([]);

    // A valid reason: typing clears the error; the escalation is sent trimmed and recorded.
    await reasonField.fill(`  ${reason}  `);
    expect(await error.isVisible()).toBe(false);
    await dialog.getByRole('button', { name: 'Escalate to manual handling' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(escalations.map((body) => JSON.parse(body))).toEqual([{ reason }]);
    await expect.poll(() => page.locator('#result').textContent()).toMatch(/escalated to manual handling/);
    const note = crmRow.locator('.escalation-note');
    await expect.poll(() => note.textContent()).toMatch(/^Escalated to manual handling by local-officer-1 at .+: /);
    expect(await note.locator('.prewrap').textContent()).toBe(reason);
    expect(await note.locator('time').getAttribute('datetime')).toBe((await crmTask(ids.escalated)).escalatedToManual.at);
    expect(await page.locator('#detail-body b').count()).toBe(0); // the officer's text is never markup
    expect(await page.getByRole('button', { name: 'Escalate to manual… for crm-partner' }).count()).toBe(0);
    await screenshot(page, 'console-escalated-task');

    // Completing it by hand: the dialog says what that records.
    await page.getByRole('button', { name: 'Complete task… for crm-partner' }).click();
    const complete = page.getByRole('dialog', { name: /complete the crm-partner task/i });
    await expect.poll(() => complete.isVisible()).toBe(true);
    const warning = complete.locator('#complete-by-hand');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toMatch(/records the processor's part as done by hand by you, not as crm-partner's own answer/);
    await complete.getByLabel('Internal note (audit trail only)').fill('Exported the contact from the partner portal.');
    await complete.getByLabel(/records found/i).fill('1');
    await screenshot(page, 'console-complete-escalated-dialog');
    expect(await seriousViolations(page), 'complete dialog for an escalated task').toEqual([]);
    await complete.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => complete.isVisible()).toBe(false);
    // Before the request records its outcomes, the task's own result says so.
    await expect.poll(() => crmRow.locator('td').nth(1).textContent()).toMatch(/Succeeded\s*Done by hand/);

    // The paper archive is a manual store: its dialog carries no such warning.
    await page.getByRole('button', { name: 'Complete task… for paper-archive' }).click();
    const archive = page.getByRole('dialog', { name: /complete the paper-archive task/i });
    await expect.poll(() => archive.isVisible()).toBe(true);
    expect(await archive.locator('#complete-by-hand').isVisible()).toBe(false);
    expect(await archive.locator('#complete-by-hand').textContent()).toBe('');
    await archive.getByLabel('Internal note (audit trail only)').fill('Searched the archive: nothing on paper.');
    await archive.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => archive.isVisible()).toBe(false);

    // The outcome is the officer's, marked done by hand; the timeline names the escalation.
    const completed = await session.client.waitForStatus(ids.escalated, 'completed');
    expect(completed.storeOutcomes.find((outcome: { storeId: string }) => outcome.storeId === 'crm-partner')).toMatchObject({ completedBy: 'officer' });
    await refreshUntil(
      page,
      async () => /Completed/.test((await page.locator('#detail-body .facts').textContent()) ?? ''),
      'the console to show the completed request',
    );
    const outcomeCell = crmRow.locator('td').nth(2);
    expect(await outcomeCell.locator('.badge').allTextContents()).toEqual(['Succeeded', 'Done by hand']);
    expect(
      await stores
        .locator('tr', { has: page.locator('th', { hasText: 'paper-archive' }) })
        .locator('.by-hand')
        .count(),
    ).toBe(0);
    expect(await crmRow.locator('.escalation-note').count()).toBe(1); // kept with the settled task, as the record of why
    const timeline = page.getByRole('table', { name: /every audit event/i });
    const escalatedEvent = timeline.locator('tr', { has: page.locator('th', { hasText: 'Escalated to manual handling' }) });
    expect(await escalatedEvent.count()).toBe(1);
    expect(await escalatedEvent.textContent()).toMatch(/local-officer-1.*crm-partner: escalated to manual handling/s);
    await screenshot(page, 'console-escalation-completed');
    expect(await seriousViolations(page), 'completed request with a task done by hand').toEqual([]);

    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("shows the server's refusal in the dialog when another officer escalated first", async () => {
    const { page, problems } = await openRequest(ids.raced);
    await page.getByRole('button', { name: 'Escalate to manual… for crm-partner' }).click();
    const dialog = page.getByRole('dialog', { name: 'Escalate the crm-partner task to manual handling' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Reason for escalating').fill('The processor has been silent for a week now.');

    // Meanwhile a colleague takes the same task over.
    const colleague = { authorization: `Bearer ${await session.stack.issuer.issue({ subject: 'local-officer-2' })}` };
    const first = await session.client.post(
      `/admin/requests/${ids.raced}/stores/crm-partner/escalate`,
      { reason: 'Escalated by a colleague first.' },
      colleague,
    );
    expect(first.status).toBe(200);

    await dialog.getByRole('button', { name: 'Escalate to manual handling' }).click();
    const error = dialog.locator('#escalate-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/already escalated to manual handling/);
    expect(await dialog.getByLabel('Reason for escalating').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'console-escalate-refused');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const note = page.locator('table.stores .escalation-note');
    await expect.poll(() => note.textContent()).toMatch(/^Escalated to manual handling by local-officer-2 at .+: Escalated by a colleague first\.$/);
    expect(await page.getByRole('button', { name: 'Complete task… for crm-partner' }).isVisible()).toBe(true);

    // The refused escalation is the browser's only complaint.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await page.close();
  });

  it('labels a retry that could not start, and a reason over 1000 characters is refused before sending', async () => {
    // A request as the API returns it after a retry failed to start, its processor waiting again.
    const at = '2026-11-21T10:00:00.000Z';
    const request = {
      requestId: 'req_retry',
      type: 'access',
      status: 'in_progress',
      email: 'someone@example.com',
      jurisdiction: 'gdpr',
      locale: 'en',
      receivedAt: '2026-11-20T10:00:00.000Z',
      dueAt: '2026-12-20T23:59:59.999Z',
      updatedAt: at,
      storeIds: ['crm-partner'],
      otherRequests: [],
      storeTasks: [
        {
          requestId: 'req_retry',
          storeId: 'crm-partner',
          storeKind: 'webhook',
          action: 'access',
          status: 'waiting',
          note: 'Waiting for Example CRM Inc. to confirm',
          startedAt: at,
          updatedAt: at,
          attempts: 2,
        },
      ],
      events: [
        {
          at,
          actor: 'system',
          action: 'retry_not_started',
          from: 'in_progress',
          to: 'partially_completed',
          detail: 'attempt 2: the workflow could not be started',
        },
      ],
    };
    const { page, problems } = await openRequest('req_retry', async (page) => {
      await page.route('**/admin/requests/req_retry', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(request) }),
      );
    });
    const timeline = page.getByRole('table', { name: /every audit event/i });
    await expect.poll(() => timeline.locator('tbody th').allTextContents()).toEqual(['Retry could not start']);

    const escalate = page.getByRole('button', { name: 'Escalate to manual… for crm-partner' });
    await escalate.click();
    const dialog = page.getByRole('dialog', { name: 'Escalate the crm-partner task to manual handling' });
    await dialog.getByLabel('Reason for escalating').fill('x'.repeat(1001));
    await dialog.getByRole('button', { name: 'Escalate to manual handling' }).click();
    await expect.poll(() => dialog.locator('#escalate-error').textContent()).toMatch(/1000 characters at most \(it has 1001\)/);
    expect(await dialog.isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
