import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { useBrowserSession } from '../fixtures/browser.ts';

const session = useBrowserSession();

const pages = [
  '/',
  '/verify#t=req_0000000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '/download#t=req_0000000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
];
const languages = ['en', 'fr', 'de', 'es'];

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  for (const path of pages) {
    for (const lang of languages) {
      it(`finds no serious or critical violation on ${path.split('#')[0]} in ${lang}`, async () => {
        const page = await session.browser.newPage();
        const [route, fragment] = path.split('#');
        await page.goto(`${session.stack.apiUrl}${route}?lang=${lang}${fragment ? `#${fragment}` : ''}`);
        await page.waitForLoadState('networkidle');
        expect(await seriousViolations(page)).toEqual([]);
        await page.close();
      });
    }
  }
});
