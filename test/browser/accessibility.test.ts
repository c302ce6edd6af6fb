import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { seriousViolations } from '../fixtures/axe.ts';
import { launchBrowser } from '../fixtures/browser.ts';
import { isolatedStack } from '../fixtures/local-client.ts';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startLocalStack(isolatedStack);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const pages = ['/', '/verify#t=req_0000000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '/download#t=req_0000000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'];
const languages = ['en', 'fr', 'de', 'es'];

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  for (const path of pages) {
    for (const lang of languages) {
      it(`finds no serious or critical violation on ${path.split('#')[0]} in ${lang}`, async () => {
        const page = await browser.newPage();
        const [route, fragment] = path.split('#');
        await page.goto(`${stack.apiUrl}${route}?lang=${lang}${fragment ? `#${fragment}` : ''}`);
        await page.waitForLoadState('networkidle');
        expect(await seriousViolations(page)).toEqual([]);
        await page.close();
      });
    }
  }
});
