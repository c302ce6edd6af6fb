import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIntakeLink, verifyIntakeLink } from '../../lambdas/domain/intake-link.ts';
import { intakeLinkCommand } from '../../lib/local/intake-link-command.ts';
import { removeStackFile, runningStack, writeStackFile } from '../../lib/local/stack-file.ts';

const key = 'k'.repeat(43);
const now = new Date('2026-11-23T10:00:00Z');
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'dsr-intake-cli-'));
  writeFileSync(join(dataDir, 'intake-link.key'), `${key}\n`);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** A pid no process has: the child has exited by the time this resolves. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('createIntakeLink', () => {
  it('refuses a lifetime that is not 1 to 365 whole days (1e9 days overflowed into a link that never works)', () => {
    for (const days of [1e9, 366, 0.5, 7.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createIntakeLink('https://privacy.example.com', 'jane.doe@example.com', key, days, now), String(days)).toThrow(
        /whole number of days from 1 to 365/,
      );
    }
    const link = createIntakeLink('https://privacy.example.com', 'jane.doe@example.com', key, 365, now);
    expect(verifyIntakeLink(link.split('#intake=')[1], key, new Date('2027-11-23T09:59:00Z'))).toEqual({ email: 'jane.doe@example.com' });
  });

  it('refuses a base that is not an https URL with at most a path after the host', () => {
    for (const base of [
      'javascript:alert(document.cookie)//',
      'data:text/html,<script>alert(1)</script>',
      'http://privacy.example.com',
      'ftp://privacy.example.com',
      'https://privacy.example.com/?next=https://evil.example',
      'https://privacy.example.com/#x',
      'https://user:pass@privacy.example.com',
      'privacy.example.com',
      '',
    ]) {
      expect(() => createIntakeLink(base, 'jane.doe@example.com', key, 30, now), base).toThrow(RangeError);
    }
    expect(createIntakeLink('https://privacy.example.com/dsr/', 'jane.doe@example.com', key, 30, now)).toMatch(
      /^https:\/\/privacy\.example\.com\/dsr\/#intake=/,
    );
    expect(createIntakeLink('http://localhost:3001', 'jane.doe@example.com', key, 30, now)).toMatch(/^http:\/\/localhost:3001\/#intake=/);
  });
});

describe('npm run intake-link', () => {
  const run = (args: string[], env: Record<string, string> = {}) => intakeLinkCommand(args, env, dataDir, now);

  it('refuses --days 1e9 and other non-whole or out-of-range lifetimes', () => {
    for (const days of ['1e9', '0x10', '7.5', ' 7', '0', '366', '']) {
      const result = run(['jane.doe@example.com', '--days', days, '--base', 'https://privacy.example.com']);
      expect(result.code, days).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/whole number of days from 1 to 365/);
    }
  });

  it('refuses --base javascript: and anything but an http(s) URL with a path', () => {
    const result = run(['jane.doe@example.com', '--base', 'javascript:alert(1)//']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/https/);
  });

  it('points at the port the running local stack listens on, by default', () => {
    writeStackFile(dataDir, 'http://localhost:3517');
    const result = run(['jane.doe@example.com'], { PUBLIC_BASE_URL: 'https://privacy.example.com' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^http:\/\/localhost:3517\/#intake=/);
    // Signed with the stack's key file.
    expect(verifyIntakeLink(result.stdout.trim().split('#intake=')[1], key, now)).toEqual({ email: 'jane.doe@example.com' });
  });

  it('ignores a stack file a stopped run left behind, then uses PUBLIC_BASE_URL, then says what to do', async () => {
    writeStackFile(dataDir, 'http://localhost:3517', await deadPid());
    expect(run(['jane.doe@example.com'], { PUBLIC_BASE_URL: 'https://privacy.example.com' }).stdout).toMatch(/^https:\/\/privacy\.example\.com\/#intake=/);
    const none = run(['jane.doe@example.com']);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/No local stack is running.*--base/);
  });

  it('with a deployment key, links to PUBLIC_BASE_URL, never to the local stack', () => {
    writeStackFile(dataDir, 'http://localhost:3517');
    const result = run(['jane.doe@example.com'], { INTAKE_LINK_SECRET: 'd'.repeat(43), PUBLIC_BASE_URL: 'https://privacy.example.com' });
    expect(result.stdout).toMatch(/^https:\/\/privacy\.example\.com\/#intake=/);
    expect(verifyIntakeLink(result.stdout.trim().split('#intake=')[1], 'd'.repeat(43), now)).toBeDefined();
    expect(run(['jane.doe@example.com'], { INTAKE_LINK_SECRET: 'd'.repeat(43) }).stderr).toMatch(/deployment's key/);
  });

  it('prints the usage for a missing address or an unknown option', () => {
    expect(run([]).code).toBe(2);
    expect(run(['jane.doe@example.com', '--dayz', '3']).code).toBe(2);
  });
});

describe('the stack file', () => {
  it('records the API URL while this process runs and is removed only by the process that wrote it', async () => {
    expect(runningStack(dataDir)).toBeUndefined();
    writeStackFile(dataDir, 'http://localhost:3517');
    expect(runningStack(dataDir)).toEqual({ apiUrl: 'http://localhost:3517', pid: process.pid });
    removeStackFile(dataDir, process.pid + 1);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(true);
    removeStackFile(dataDir);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    writeFileSync(join(dataDir, 'stack.json'), JSON.stringify({ apiUrl: 'http://localhost:1', pid: 0 }));
    expect(runningStack(dataDir)).toBeUndefined();
    expect(readFileSync(join(dataDir, 'intake-link.key'), 'utf8').trim()).toBe(key);
  });
});
