import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localIntakeKeyEnvName } from '../../lambdas/shared/settings.ts';
import { createIntakeLink, maxIntakeLinkDays } from '../../lambdas/domain/intake-link.ts';
import { loadOrCreateIntakeKey } from './intake-key-file.ts';
import { runningStack } from './stack-file.ts';

export const intakeLinkUsage = `Usage: npm run --silent intake-link -- <email> [--days 1-${maxIntakeLinkDays}, default 30] [--base https://privacy.example.com]`;

export interface CommandResult {
  /** 0 printed a link; 1 it could not be made; 2 the command line is wrong. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run intake-link`, apart from the process: arguments and environment in, what to print out.
 *
 * The key: `INTAKE_LINK_SECRET` when set (a deployment's key), else the local stack's key file in
 * `dataDir`. The base URL: `--base`; else, with a deployment's key, `PUBLIC_BASE_URL` (a link
 * signed with it works only there); else the local stack running from `dataDir` (the port it
 * really listens on, from its stack.json), then `PUBLIC_BASE_URL`; else it says what to do.
 */
export function intakeLinkCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
  now: Date = new Date(),
): CommandResult {
  const fail = (code: number, message: string): CommandResult => ({ code, stdout: '', stderr: `${message}\n` });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return fail(2, `${(error as Error).message}\n${intakeLinkUsage}`);
  }
  const { values, positionals } = parsed;
  const [email] = positionals;
  if (!email || positionals.length > 1) return fail(2, intakeLinkUsage);
  // Digits only: Number() would also take "1e9", "0x10" or " 7 ".
  if (!/^[0-9]{1,4}$/.test(values.days))
    return fail(2, `--days takes a whole number of days from 1 to ${maxIntakeLinkDays}, not ${JSON.stringify(values.days)}`);

  const deploymentKey = env[localIntakeKeyEnvName];
  const publicBaseUrl = env.PUBLIC_BASE_URL || undefined;
  const baseUrl = values.base ?? (deploymentKey ? publicBaseUrl : (runningStack(dataDir)?.apiUrl ?? publicBaseUrl));
  if (!baseUrl) {
    return fail(
      1,
      deploymentKey
        ? `${localIntakeKeyEnvName} is a deployment's key: give its address with --base or PUBLIC_BASE_URL`
        : 'No local stack is running (npm start) and PUBLIC_BASE_URL is not set: give the address of the form with --base',
    );
  }
  const key = deploymentKey || loadOrCreateIntakeKey(join(dataDir, 'intake-link.key'));
  try {
    return { code: 0, stdout: `${createIntakeLink(baseUrl, email, key, Number(values.days), now)}\n`, stderr: '' };
  } catch (error) {
    return fail(1, (error as Error).message);
  }
}

function parse(args: readonly string[]) {
  return parseArgs({ args: [...args], allowPositionals: true, strict: true, options: { days: { type: 'string', default: '30' }, base: { type: 'string' } } });
}
