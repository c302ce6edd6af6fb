import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../lib/function-catalog.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { defaultTestMailbox, runSmokeChecks, type SmokeReport } from '../../lib/smoke/smoke-checks.ts';
import { isolatedStack, LocalClient } from '../fixtures/local-client.ts';

/** The deployment under test. Another local-stack mode (e.g. deployed bundles) swaps only this. */
const startStack = (): Promise<LocalStack> => startLocalStack(isolatedStack);

const repositoryRoot = resolve(import.meta.dirname, '../..');

let stack: LocalStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * Runs the CLI as an operator would, in a child process. Asynchronously: the local stack answers
 * from this process, so a blocking spawn would wait for itself.
 */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'bin/smoke.ts', ...args], { cwd: repositoryRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A stand-in for a deployment that answers however the test says. */
async function startFakeDeployment(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(answer);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      // A hanging answer must not hold the test up.
      server.closeAllConnections();
      return new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

const check = (report: SmokeReport, name: string) => {
  const found = report.checks.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no check named "${name}" in ${report.checks.map((candidate) => candidate.name).join(', ')}`);
  return found;
};

/** What lambdas/http/pages.ts sends on every page. */
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const requesterRecord = 'jane.doe@example.com';

/** Healthy on /health, pages without any security header, and an officer queue open to anyone. */
const brokenDeployment = (request: IncomingMessage, response: ServerResponse) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health') {
    response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}');
  } else if (['/', '/verify', '/download', '/status', '/console'].includes(path)) {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>form</body></html>');
  } else if (path === '/admin/requests') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests: [{ email: requesterRecord }] }));
  } else {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
  }
};

describe('smoke checks against the local stack', () => {
  it('pass every check, officer routes of the route table included', async () => {
    // Act
    const report = await runSmokeChecks({ baseUrl: stack.apiUrl });

    // Assess
    expect(report.checks.filter((result) => !result.passed)).toEqual([]);
    expect(report.failed).toBe(0);
    for (const route of routes.filter((candidate) => candidate.auth === 'officer')) {
      expect(check(report, `officer ${route.method} ${route.path} without a token`).detail).toMatch(/^401 /);
    }
    expect(check(report, 'page GET /verify').detail).toContain('no-referrer');
    expect(check(report, 'GET /console/config').detail).toContain('sign-in kind local');
  });

  it('submit a real request: its verification mail reaches the test mailbox', async () => {
    // Act
    const report = await runSmokeChecks({ baseUrl: stack.apiUrl });

    // Assess
    expect(check(report, 'POST /requests (test mailbox)').passed).toBe(true);
    const mail = await new LocalClient(stack).waitForMail(defaultTestMailbox, /\/verify#t=/);
    expect(mail.mail.subject).toBe('Confirm your privacy request');
  });

  it('run from the CLI end with one line per check, "N passed, 0 failed" and exit code 0', async () => {
    // Act
    const { code, stdout } = await runCli(['--url', stack.apiUrl]);

    // Assess
    const lines = stdout.trimEnd().split('\n');
    const closing = lines.pop()!;
    expect(closing).toBe(`${lines.length} passed, 0 failed`);
    expect(lines.every((line) => /^✓ .+ — .+$/.test(line))).toBe(true);
    expect(code).toBe(0);
    // No personal data: the only address in the output is the test mailbox.
    expect(stdout.replaceAll(defaultTestMailbox, '')).not.toContain('@');
  });

  it('give a machine-readable report with --json', async () => {
    // Act
    const { code, stdout } = await runCli(['--url', stack.apiUrl, '--json', '--mailbox', 'smoke-json@example.com']);

    // Assess
    const report = JSON.parse(stdout) as SmokeReport;
    expect(report).toMatchObject({ baseUrl: stack.apiUrl, failed: 0 });
    expect(check(report, 'POST /requests (test mailbox)').detail).toContain('smoke-json@example.com');
    expect(code).toBe(0);
  });
});

describe('smoke checks against a broken deployment', () => {
  it('fail where it is broken, say what they expected and got, and never print what an open route answered', async () => {
    // Prepare
    const broken = await startFakeDeployment(brokenDeployment);

    try {
      // Act
      const report = await runSmokeChecks({ baseUrl: broken.url });

      // Assess
      expect(check(report, 'GET /health')).toMatchObject({ passed: false, detail: 'expected 200 JSON, got 500 application/json' });
      const verifyPage = check(report, 'page GET /verify');
      expect(verifyPage.passed).toBe(false);
      expect(verifyPage.detail).toContain('no Content-Security-Policy');
      expect(verifyPage.detail).toContain('expected Referrer-Policy: no-referrer (a token page), got none');
      expect(verifyPage.detail).toContain('expected X-Content-Type-Options: nosniff, got none');
      expect(check(report, 'officer GET /admin/requests without a token')).toMatchObject({
        passed: false,
        detail: expect.stringContaining('answered without a token'),
      });
      // Independent: the checks behind the failures still ran and judged on their own.
      expect(check(report, 'unknown path').passed).toBe(true);
      expect(JSON.stringify(report)).not.toContain(requesterRecord);
    } finally {
      await broken.stop();
    }
  });

  it('make the CLI exit with code 1 and count the failures in its closing line', async () => {
    // Prepare
    const broken = await startFakeDeployment(brokenDeployment);

    try {
      // Act
      const { code, stdout } = await runCli(['--url', broken.url]);

      // Assess
      expect(stdout).toContain('✗ GET /health — expected 200 JSON, got 500 application/json');
      expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
      expect(stdout).not.toContain(requesterRecord);
      expect(code).toBe(1);
    } finally {
      await broken.stop();
    }
  });

  it('end a check that gets no answer at its time limit, without holding up the others', async () => {
    // Prepare: /status never answers.
    const hanging = await startFakeDeployment((request, response) => {
      if (request.url === '/status') return;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });

    try {
      // Act
      const startedAt = Date.now();
      const report = await runSmokeChecks({ baseUrl: hanging.url, timeoutMs: 300 });

      // Assess
      expect(check(report, 'page GET /status')).toMatchObject({ passed: false, detail: 'no answer within 0.3 s' });
      expect(check(report, 'GET /health').passed).toBe(true);
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await hanging.stop();
    }
  });

  it("over https, ask every page for Strict-Transport-Security and refuse 'unsafe-inline'", async () => {
    // Prepare: pages as pages.ts sends them plus HSTS, except /download (no HSTS) and /status (inline styles).
    const nearlyRight = await startFakeDeployment((request, response) => {
      const hsts = request.url === '/download' ? {} : { 'strict-transport-security': 'max-age=31536000; includeSubDomains' };
      const csp = request.url === '/status' ? { 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'" } : {};
      response.writeHead(200, { ...pageHeaders, ...hsts, ...csp }).end('<!doctype html><html lang="en"><body></body></html>');
    });
    const viaHttps: typeof fetch = (input, init) => fetch(String(input).replace('https://privacy.example.org', nearlyRight.url), init);

    try {
      // Act
      const report = await runSmokeChecks({ baseUrl: 'https://privacy.example.org', fetch: viaHttps });

      // Assess
      expect(check(report, 'page GET /')).toMatchObject({ passed: true, detail: expect.stringContaining('HSTS max-age=31536000') });
      expect(check(report, 'page GET /download')).toMatchObject({ passed: false, detail: 'no Strict-Transport-Security (expected one over https)' });
      expect(check(report, 'page GET /status')).toMatchObject({ passed: false, detail: expect.stringContaining("CSP style-src allows 'unsafe-inline'") });
    } finally {
      await nearlyRight.stop();
    }
  });
});

describe('the smoke CLI', () => {
  it('refuses to run without an http(s) --url, with exit code 2 and a clear message', async () => {
    // Act
    const [missing, notHttp] = await Promise.all([runCli([]), runCli(['--url', 'ftp://privacy.example.org'])]);

    // Assess
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('--url is required');
    expect(notHttp.code).toBe(2);
    expect(notHttp.stderr).toContain('must start with https:// or http://');
  });
});
