/**
 * `npm run smoke -- --url <base url> [--mailbox <address>] [--json]`: checks a running deployment
 * from outside, with no AWS credentials (see lib/smoke/smoke-checks.ts for what it checks).
 * Exit code 0 when every check passes, 1 when one fails, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { defaultTestMailbox, formatSmokeReport, normalizeBaseUrl, runSmokeChecks } from '../lib/smoke/smoke-checks.ts';

const synopsis = 'Usage: npm run smoke -- --url <base url> [--mailbox <address>] [--json]';

const usage = `${synopsis}

Checks a running dsr-workflow deployment from outside (no AWS credentials): health, the
requester pages and their security headers, the console's sign-in settings, a test request,
a malformed request, every officer route without a token, and an unknown path.

  --url <base url>     the deployment's base URL, https://... (required), e.g. the stack's API URL
  --mailbox <address>  where the test request's verification mail goes (default ${defaultTestMailbox},
                       a reserved domain nothing is delivered to). While SES is in its sandbox it
                       only sends to verified addresses: pass a mailbox verified in SES (or
                       success@simulator.amazonses.com, SES's mailbox simulator).
  --json               print the report as JSON (use npm run --silent to keep npm's lines out)
  -h, --help           print this help

Each run submits one access request for the mailbox; it waits for verification and expires
unconfirmed after 72 hours. Exit code: 0 every check passed, 1 a check failed, 2 usage error.`;

function usageError(message: string): never {
  process.stderr.write(`smoke: ${message}\n${synopsis}\n(--help says more)\n`);
  process.exit(2);
}

let values: { url?: string; mailbox?: string; json?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    allowPositionals: false,
    strict: true,
    options: {
      url: { type: 'string' },
      mailbox: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  usageError((error as Error).message);
}

if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!values.url) usageError('--url is required');
let baseUrl: string;
try {
  baseUrl = normalizeBaseUrl(values.url);
} catch (error) {
  usageError(`--url: ${(error as Error).message}`);
}
// Only a plain address: it goes into the request and into the report.
if (values.mailbox !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.mailbox)) usageError('--mailbox must be an email address, like name@example.com');

const report = await runSmokeChecks({ baseUrl, ...(values.mailbox ? { testMailbox: values.mailbox } : {}) });
process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatSmokeReport(report)}\n`);
// exitCode, not exit(): the report is flushed first even when stdout is a pipe.
process.exitCode = report.failed === 0 ? 0 : 1;
