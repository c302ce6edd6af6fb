import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../lambdas/http/pages.ts';

const webDir = fileURLToPath(new URL('../../lambdas/web/', import.meta.url));

const csp =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An HTTP API (payload v2) event as the router hands it over. */
function event(routeKey: string, rawPath: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 {
  const [method] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {},
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: { http: { method: method === '$default' ? 'GET' : method, path: rawPath } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const asset = (file: string) => handler(event('GET /assets/{file}', `/assets/${file}`, { file }));

function expectSecurityHeaders(result: APIGatewayProxyStructuredResultV2, expectedCsp = csp) {
  expect(result.headers).toMatchObject({
    'Content-Security-Policy': expectedCsp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
}

function expectNotFound(result: APIGatewayProxyStructuredResultV2) {
  expect(result.statusCode).toBe(404);
  expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(result.body ?? '')).toEqual({ error: expect.any(String) });
  expectSecurityHeaders(result);
}

const pages = [
  { path: '/', file: 'index.html', script: 'request-form.js', heading: 'Make a privacy request' },
  { path: '/verify', file: 'verify.html', script: 'verify.js', heading: 'Confirm your request' },
  { path: '/download', file: 'download.html', script: 'download.js', heading: 'Download your data' },
];

describe('pages handler', () => {
  it.each(pages)('serves $path as $file with the security headers', async ({ path, file, script, heading }) => {
    const result = await handler(event(`GET ${path}`, path));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expectSecurityHeaders(result);
    expect(result.body).toBe(readFileSync(join(webDir, file), 'utf8'));
    expect(result.body).toContain(`<h1>${heading}</h1>`);
    expect(result.body).toContain(`<script type="module" src="/assets/${script}"></script>`);
    expect(result.body).toContain('Your privacy requests');
  });

  it.each(pages)('serves every asset $file refers to, cacheable, with its type', async ({ file }) => {
    const html = readFileSync(join(webDir, file), 'utf8');
    const referenced = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((match) => match[1]!);
    expect(referenced.length).toBeGreaterThanOrEqual(2);
    for (const name of referenced) {
      const result = await asset(name);
      expect(result.statusCode, name).toBe(200);
      expect(result.headers?.['Content-Type']).toBe(name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(result.headers?.['Cache-Control']).toBe('public, max-age=300');
      expectSecurityHeaders(result);
      expect(result.body).toBe(readFileSync(join(webDir, name), 'utf8'));
    }
  });

  it('answers the health check', async () => {
    const result = await handler(event('GET /health', '/health'));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok' });
    expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expectSecurityHeaders(result);
  });

  it('answers HEAD without a body', async () => {
    const result = await handler(event('HEAD /verify', '/verify'));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('');
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('refuses other methods', async () => {
    const result = await handler(event('POST /', '/'));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe('GET, HEAD');
    expectSecurityHeaders(result);
  });

  it('answers unknown routes with a JSON 404', async () => {
    expectNotFound(await handler(event('GET /admin', '/admin')));
    expectNotFound(await handler(event('GET /index.html', '/index.html')));
  });

  it.each([
    '../http/pages.ts',
    '../../package.json',
    '..%2Fhttp%2Fpages.ts',
    '%2e%2e%2fhttp%2fpages.ts',
    '..%252Fhttp%252Fpages.ts',
    '..\\http\\pages.ts',
    '/etc/passwd',
    'index.html',
    'verify.html',
    'unknown.js',
    'app.css/',
    'app.css%00.js',
    './app.css',
    'APP.CSS',
    '.',
    '..',
    '',
    '__proto__',
    'constructor',
  ])('never serves %j as an asset', async (file) => {
    expectNotFound(await asset(file));
  });

  it('answers an asset route without a file name with a 404', async () => {
    expectNotFound(await handler(event('GET /assets/{file}', '/assets/')));
  });

  it('works from the raw path behind a catch-all route, without decoding it', async () => {
    expect((await handler(event('$default', '/assets/app.css'))).statusCode).toBe(200);
    expect((await handler(event('$default', '/verify'))).statusCode).toBe(200);
    expectNotFound(await handler(event('$default', '/assets/../http/pages.ts')));
    expectNotFound(await handler(event('$default', '/assets/..%2Fhttp%2Fpages.ts')));
    expectNotFound(await handler(event('$default', '/assets/sub/app.css')));
  });
});

describe('pages handler configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('adds CSP_CONNECT_EXTRA to connect-src', async () => {
    vi.stubEnv('CSP_CONNECT_EXTRA', ' https://exports.s3.eu-west-1.amazonaws.com  http://localhost:4566 ');
    vi.resetModules();
    const fresh = await import('../../lambdas/http/pages.ts');
    const result = await fresh.handler(event('GET /', '/'));
    expectSecurityHeaders(
      result,
      csp.replace("connect-src 'self'", "connect-src 'self' https://exports.s3.eu-west-1.amazonaws.com http://localhost:4566"),
    );
  });

  it('refuses a CSP_CONNECT_EXTRA that would add directives or keywords', async () => {
    vi.stubEnv('CSP_CONNECT_EXTRA', "https://x.example; script-src 'unsafe-inline'");
    vi.resetModules();
    await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/CSP_CONNECT_EXTRA/);
  });

  it('reads the files once, from WEB_ASSETS_DIR when set, serving only css and js as assets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-web-'));
    try {
      for (const file of ['index.html', 'verify.html', 'download.html']) writeFileSync(join(dir, file), `<h1>${file}</h1>`);
      writeFileSync(join(dir, 'site.css'), 'body{}');
      writeFileSync(join(dir, 'secrets.txt'), 'no');
      writeFileSync(join(dir, '.env'), 'no');
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      const fresh = await import('../../lambdas/http/pages.ts');
      writeFileSync(join(dir, 'index.html'), 'changed after load');
      expect((await fresh.handler(event('GET /', '/'))).body).toBe('<h1>index.html</h1>');
      expect((await fresh.handler(event('GET /assets/{file}', '/assets/site.css', { file: 'site.css' }))).body).toBe('body{}');
      for (const file of ['secrets.txt', '.env', 'index.html', 'app.css']) {
        expect((await fresh.handler(event('GET /assets/{file}', `/assets/${file}`, { file }))).statusCode, file).toBe(404);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails at load when a page is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-web-'));
    try {
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/index\.html/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('web files under the CSP', () => {
  const files = readdirSync(webDir);
  const htmlFiles = files.filter((file) => file.endsWith('.html'));
  const scriptFiles = files.filter((file) => file.endsWith('.js'));

  it('has the three pages', () => {
    expect(htmlFiles.sort()).toEqual(['download.html', 'index.html', 'verify.html']);
  });

  describe.each(htmlFiles)('%s', (file) => {
    const html = readFileSync(join(webDir, file), 'utf8');
    const tags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((match) => match[0]);

    it('has no inline script', () => {
      for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(attributes).toMatch(/\bsrc="\/assets\/[a-z0-9-]+\.js"/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/javascript:/i);
    });

    it('has no inline style', () => {
      expect(html).not.toMatch(/<style\b/i);
      for (const tag of tags) expect(tag).not.toMatch(/\sstyle\s*=/i);
    });

    it('has no inline event handler', () => {
      for (const tag of tags) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    });

    it('loads nothing from another origin', () => {
      for (const tag of tags) expect(tag).not.toMatch(/\s(?:src|href)\s*=\s*"(?:https?:)?\/\//i);
    });
  });

  it.each(scriptFiles)('%s sets no inline style or handler and no HTML from strings', (file) => {
    const js = readFileSync(join(webDir, file), 'utf8');
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(js).not.toMatch(/setAttribute\(\s*['"](?:style|on[a-z]+)['"]/);
  });
});
