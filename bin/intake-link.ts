/**
 * `npm run --silent intake-link -- jane.doe@example.com [--days 30] [--base https://privacy.example.com]`
 * prints a signed "manage my data" link that opens the request form pre-filled with the address.
 *
 * The key: `INTAKE_LINK_SECRET` when set (in AWS, the value of the secret named by the stack's
 * `IntakeSecretName` output), otherwise the local stack's key file `.local/intake-link.key`
 * (created on first use). The base URL: `--base`; else with `INTAKE_LINK_SECRET` `PUBLIC_BASE_URL`;
 * else the running local stack (the port `npm start` wrote to `.local/stack.json`), then
 * `PUBLIC_BASE_URL`. `--days`: whole days, 1 to 365. See lib/local/intake-link-command.ts.
 */
import { resolve } from 'node:path';
import { intakeLinkCommand } from '../lib/local/intake-link-command.ts';

const result = intakeLinkCommand(process.argv.slice(2), process.env, resolve(import.meta.dirname, '../.local'));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
