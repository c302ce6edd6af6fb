import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { launchBrowser, screenshot } from '../fixtures/browser.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';

let stack: LocalStack;
let client: LocalClient;
let browser: Browser;

beforeAll(async () => {
  stack = await startLocalStack(isolatedStack);
  client = new LocalClient(stack);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a requester in a browser', () => {
  it('asks for a copy of their data, confirms the mailbox and downloads the export', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });

    await page.goto(`${stack.apiUrl}/`);
    await screenshot(page, 'request-form');
    await page.getByLabel(/copy of my data/i).check();
    await page.getByLabel(/email/i).fill(demoSubject.email);
    await page.getByRole('button', { name: /send|submit/i }).click();
    await expect.poll(() => page.getByText(/check your mailbox/i).isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'request-submitted');

    const verification = await client.waitForMail(demoSubject.email, /(http:\/\/[^\s]+\/verify#t=[A-Za-z0-9_.-]+)/);
    await page.goto(verification.match[1]!);
    expect(page.url()).not.toContain('#t=');
    await page.getByRole('button', { name: /confirm/i }).click();
    await expect.poll(() => page.getByText(/confirmed/i).first().isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'verified');

    const requestId = /\/verify#t=(req_[^.]+)\./.exec(verification.match[1]!)![1]!;
    const officer = await client.officerHeaders();
    await eventually(async () => {
      const answer = await client.post(`/admin/requests/${requestId}/approve`, {}, officer);
      return answer.status === 409 ? undefined : answer;
    }, 10_000, 'the approval');
    await client.completeManualTask(requestId, 'paper-archive');

    const completion = await client.waitForMail(demoSubject.email, /(http:\/\/[^\s]+\/download#t=[A-Za-z0-9_.-]+)/);
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
    await expect.poll(() => page.getByRole('link', { name: /readable report/i }).isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'download');
    expect(violations).toEqual([]);
  });
});
