/**
 * `npm run generate:web` writes lambdas/web/request-statuses.js: the status sets of
 * lambdas/domain/status.ts as a browser module, so the console and the status page never keep a
 * copy of their own. test/unit/web-statuses.test.ts fails when the committed file is not what this
 * writes.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notStartedStatuses, requestStatuses, terminalStatuses, unfinishedStatuses } from '../lambdas/domain/status.ts';

export const webStatusesFile = fileURLToPath(new URL('../lambdas/web/request-statuses.js', import.meta.url));
export const generateWebStatusesCommand = 'npm run generate:web';

const list = (statuses: readonly string[]) => `[${statuses.map((status) => `'${status}'`).join(', ')}]`;

/** The module's text: every set of status.ts, typed for the browser code's checker (tsconfig.web.json). */
export function renderWebStatuses(): string {
  return `// @ts-check
// Generated from lambdas/domain/status.ts by \`${generateWebStatusesCommand}\`; do not edit.

/** Every status a request can be in. */
export const requestStatuses = /** @type {const} */ (${list(requestStatuses)});

/** @typedef {(typeof requestStatuses)[number]} RequestStatus */

/** Before any store work: the requester can still cancel. */
export const notStartedStatuses = /** @type {readonly RequestStatus[]} */ (${list(notStartedStatuses)});

/** Not yet answered: the statutory clock runs. */
export const unfinishedStatuses = /** @type {readonly RequestStatus[]} */ (${list(unfinishedStatuses)});

/** The statuses a request never leaves. */
export const terminalStatuses = /** @type {readonly RequestStatus[]} */ (${list(terminalStatuses)});
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(webStatusesFile, renderWebStatuses());
  console.log(`Wrote ${webStatusesFile}`);
}
