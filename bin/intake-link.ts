/**
 * `npm run --silent intake-link -- jane.doe@example.com [--days 30] [--base https://privacy.example.com]`
 * prints a signed "manage my data" link that opens the request form pre-filled with the address.
 *
 * The key: `INTAKE_LINK_SECRET` when set (in AWS, the value of the secret named by the stack's
 * `IntakeSecretName` output), otherwise the local stack's key file `.local/intake-link.key`
 * (created on first use). The base URL: `--base`, else `PUBLIC_BASE_URL`, else the local stack.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createIntakeLink } from '../lambdas/domain/intake-link.ts';
import { intakeKeyEnvName } from '../lambdas/adapters/intake-link-key.ts';
import { loadOrCreateIntakeKey } from '../lib/local/intake-key-file.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { days: { type: 'string', default: '30' }, base: { type: 'string' } },
});
const [email] = positionals;
if (!email || positionals.length > 1) {
  process.stderr.write('Usage: npm run --silent intake-link -- <email> [--days 30] [--base https://privacy.example.com]\n');
  process.exit(2);
}
const days = Number(values.days);
const baseUrl = values.base ?? process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const key = process.env[intakeKeyEnvName] || loadOrCreateIntakeKey(resolve(import.meta.dirname, '../.local/intake-link.key'));
try {
  process.stdout.write(`${createIntakeLink(baseUrl, email, key, days)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
