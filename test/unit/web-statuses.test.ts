import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWebStatusesCommand, renderWebStatuses, webStatusesFile } from '../../bin/generate-web-statuses.ts';
import { requestStatuses } from '../../lambdas/domain/status.ts';

describe('lambdas/web/request-statuses.js', () => {
  it('is exactly what the generator writes from lambdas/domain/status.ts', () => {
    const committed = existsSync(webStatusesFile) ? readFileSync(webStatusesFile, 'utf8') : '';
    expect(committed, `lambdas/web/request-statuses.js is out of date with lambdas/domain/status.ts: run \`${generateWebStatusesCommand}\``).toBe(
      renderWebStatuses(),
    );
  });

  it('is the only place the browser code lists statuses', () => {
    // Two or more status names in one array or set literal is a copy of a set.
    const webDir = join(webStatusesFile, '..');
    const names = requestStatuses.join('|');
    const copy = new RegExp(`\\[\\s*'(?:${names})'\\s*,\\s*'(?:${names})'`);
    for (const file of readdirSync(webDir).filter((name) => name.endsWith('.js') && name !== 'request-statuses.js')) {
      expect(readFileSync(join(webDir, file), 'utf8'), file).not.toMatch(copy);
    }
  });
});
