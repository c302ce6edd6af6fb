import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requesterLanguages as languages } from '../../lambdas/domain/languages.ts';
import { composePage, handler, negotiateLanguage, placeholderPattern, renderTemplate, withJurisdictionChoice } from '../../lambdas/http/pages.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';

const webDir = fileURLToPath(new URL('../../lambdas/web/', import.meta.url));

const csp =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** A page as a browser asks for it: `?lang=` and `Accept-Language` optional. */
const pageIn = (path: string, { lang, accept }: { lang?: string; accept?: string } = {}) =>
  handler(
    httpApiEvent(`GET ${path}`, {
      query: lang === undefined ? '' : `lang=${encodeURIComponent(lang)}`,
      headers: accept === undefined ? {} : { 'accept-language': accept },
    }),
  );

const dictionary = (language: string): Record<string, string> => JSON.parse(readFileSync(join(webDir, 'i18n', `${language}.json`), 'utf8'));

const asset = (file: string) => handler(httpApiEvent('GET /assets/{file}', { path: `/assets/${file}`, pathParameters: { file } }));

function expectSecurityHeaders(result: APIGatewayProxyStructuredResultV2, expectedCsp = csp) {
  expect(result.headers).toMatchObject({
    'Content-Security-Policy': expectedCsp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  });
}

function expectNotFound(result: APIGatewayProxyStructuredResultV2) {
  expect(result.statusCode).toBe(404);
  expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(result.body ?? '')).toEqual({ error: expect.any(String) });
  expectSecurityHeaders(result);
}

const pages = [
  { path: '/', file: 'index.html', script: 'request-form.js', heading: 'form.title' },
  { path: '/verify', file: 'verify.html', script: 'verify.js', heading: 'verify.title' },
  { path: '/download', file: 'download.html', script: 'download.js', heading: 'download.title' },
  { path: '/status', file: 'status.html', script: 'status.js', heading: 'status.title' },
];

const read = (file: string) => readFileSync(join(webDir, file), 'utf8');
/** A requester page as the handler renders it: its file inside the shared layout. */
const template = (file: string) => (pages.some((page) => page.file === file) ? composePage(read('layout.html'), read(file), file) : read(file));
/** A page as served with the default settings (one law offered: no jurisdiction choice). */
const served = (file: string) => withJurisdictionChoice(template(file));
const keysOf = (html: string) => new Set([...html.matchAll(placeholderPattern)].map((match) => match[1]!));
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('pages handler', () => {
  it.each(pages)('serves $path from $file in English by default, with the security headers', async ({ path, file, script, heading }) => {
    const result = await handler(httpApiEvent(`GET ${path}`));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expect(result.headers?.['Content-Language']).toBe('en');
    expect(result.headers?.Vary).toBe('Accept-Language');
    expectSecurityHeaders(result);
    expect(result.body).toBe(renderTemplate(served(file), 'en'));
    expect(result.body).toContain('<html lang="en">');
    expect(result.body).toContain(`<h1>${escapeHtml(dictionary('en')[heading]!)}</h1>`);
    expect(result.body).toContain(`<script type="module" src="/assets/${script}"></script>`);
    expect(result.body).toContain('Your privacy requests');
  });

  it.each(pages)('serves every asset $file refers to, cacheable, with its type', async ({ file }) => {
    const html = template(file);
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
    const result = await handler(httpApiEvent('GET /health'));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok' });
    expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expectSecurityHeaders(result);
  });

  it('answers HEAD without a body', async () => {
    const result = await handler(httpApiEvent('HEAD /verify'));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('');
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('refuses other methods', async () => {
    const result = await handler(httpApiEvent('POST /'));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.Allow).toBe('GET, HEAD');
    expectSecurityHeaders(result);
  });

  it('answers unknown routes with a JSON 404', async () => {
    expectNotFound(await handler(httpApiEvent('GET /admin')));
    expectNotFound(await handler(httpApiEvent('GET /index.html')));
    expectNotFound(await handler(httpApiEvent('GET /status.html')));
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
    'status.html',
    'console.html',
    'unknown.js',
    'app.css/',
    'app.css%00.js',
    './app.css',
    'APP.CSS',
    'i18n/fr.json',
    'i18n%2Ffr.json',
    'fr.json',
    '.',
    '..',
    '',
    '__proto__',
    'constructor',
  ])('never serves %j as an asset', async (file) => {
    expectNotFound(await asset(file));
  });

  it('answers an asset route without a file name with a 404', async () => {
    expectNotFound(await handler(httpApiEvent('GET /assets/{file}', { path: '/assets/' })));
  });

  it('works from the raw path behind a catch-all route, without decoding it', async () => {
    expect((await handler(httpApiEvent('$default', { path: '/assets/app.css' }))).statusCode).toBe(200);
    expect((await handler(httpApiEvent('$default', { path: '/verify' }))).statusCode).toBe(200);
    expect((await handler(httpApiEvent('$default', { path: '/status', query: 'lang=es' }))).body).toContain('<html lang="es">');
    expectNotFound(await handler(httpApiEvent('$default', { path: '/assets/../http/pages.ts' })));
    expectNotFound(await handler(httpApiEvent('$default', { path: '/assets/..%2Fhttp%2Fpages.ts' })));
    expectNotFound(await handler(httpApiEvent('$default', { path: '/assets/sub/app.css' })));
  });

  it('serves the officer console page as written when it is there', async () => {
    const result = await handler(httpApiEvent('GET /console'));
    if (!existsSync(join(webDir, 'console.html'))) return expectNotFound(result);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expectSecurityHeaders(result);
    expect(result.body).toBe(template('console.html'));
  });
});

describe('page language', () => {
  it.each([
    // [?lang, Accept-Language, expected]
    [undefined, undefined, 'en'],
    [undefined, '', 'en'],
    ['fr', undefined, 'fr'],
    ['fr', 'de-DE,de;q=0.9', 'fr'],
    ['FR', 'de', 'fr'],
    ['es-MX', 'de', 'es'],
    [undefined, 'de-DE,de;q=0.9,en;q=0.8', 'de'],
    [undefined, 'fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', 'fr'],
    [undefined, 'en;q=0.5, es;q=0.9', 'es'],
    [undefined, 'de;q=0.8, fr;q=0.8', 'de'],
    [undefined, 'it, pt-BR;q=0.9, es;q=0.1', 'es'],
    [undefined, 'fr;q=0, de;q=0.2', 'de'],
    [undefined, 'fr;q=0', 'en'],
    [undefined, 'it, ja;q=0.9', 'en'],
    [undefined, '*', 'en'],
    [undefined, 'de;q=abc, es;q=0.3', 'es'],
    [undefined, 'de;q=2, fr;q=0.3', 'fr'],
    [undefined, 'de ; q = 0.4 , es;q=0.35', 'de'],
    ['xx', 'es', 'es'],
    ['', 'de', 'de'],
    ['../../etc', undefined, 'en'],
    ['xx', 'zz', 'en'],
  ] as const)('?lang=%j with Accept-Language %j is %s', async (lang, accept, expected) => {
    expect(negotiateLanguage(lang, accept)).toBe(expected);
    const result = await pageIn('/', { ...(lang === undefined ? {} : { lang }), ...(accept === undefined ? {} : { accept }) });
    expect(result.body).toContain(`<html lang="${expected}">`);
    expect(result.headers?.['Content-Language']).toBe(expected);
    expect(result.headers?.Vary).toBe('Accept-Language');
  });

  it('reads Accept-Language whatever the header name case', async () => {
    const result = await handler(httpApiEvent('GET /verify', { headers: { 'Accept-Language': 'es-ES' } }));
    expect(result.body).toContain('<html lang="es">');
  });

  it('offers a switcher linking every language, named in its own language, the current one marked', async () => {
    const body = (await pageIn('/status', { lang: 'de' })).body ?? '';
    const nav = /<nav class="language-switcher" aria-label="Sprache">(.*?)<\/nav>/.exec(body)?.[1];
    expect(nav).toBeDefined();
    expect(
      [...nav!.matchAll(/<a href="\?lang=(\w+)" lang="(\w+)" hreflang="(\w+)"( aria-current="true")?>([^<]+)<\/a>/g)].map((m) => [
        m[1],
        m[2],
        m[3],
        Boolean(m[4]),
        m[5],
      ]),
    ).toEqual([
      ['en', 'en', 'en', false, 'English'],
      ['fr', 'fr', 'fr', false, 'Français'],
      ['de', 'de', 'de', true, 'Deutsch'],
      ['es', 'es', 'es', false, 'Español'],
    ]);
  });

  it('keeps the language on links back to the form', async () => {
    const body = (await pageIn('/verify', { lang: 'es' })).body ?? '';
    expect(body).toContain('href="/?lang=es"');
    expect(body).not.toMatch(/href="\/"/);
  });
});

describe('translations', () => {
  const english = dictionary('en');

  it.each(languages)('%s has exactly the keys of English, each a non-empty string with the same {placeholders}', (language) => {
    const strings = dictionary(language);
    expect(Object.keys(strings).sort()).toEqual(Object.keys(english).sort());
    const fields = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of Object.entries(strings)) {
      expect(typeof text, key).toBe('string');
      expect(text.trim(), key).not.toBe('');
      expect(fields(text), key).toEqual(fields(english[key]!));
    }
  });

  it('are translations, not copies of English', () => {
    // Names that read the same in some languages.
    const sameEverywhere = new Set(['status.law.ccpa', 'form.jurisdiction.ccpa']);
    for (const language of languages.filter((language) => language !== 'en')) {
      const strings = dictionary(language);
      const same = Object.keys(english).filter((key) => !sameEverywhere.has(key) && strings[key] === english[key] && english[key]!.length > 12);
      expect(same, language).toEqual([]);
    }
  });

  it('offers the jurisdiction choice only where the settings offer both laws, and names the organisation on every page', () => {
    const form = template('index.html');
    expect(withJurisdictionChoice(form, { offeredJurisdictions: ['gdpr'] })).not.toContain('name="jurisdiction"');
    expect(withJurisdictionChoice(form, { offeredJurisdictions: ['ccpa'] })).not.toContain('jurisdiction-choice');
    const both = renderTemplate(withJurisdictionChoice(form, { offeredJurisdictions: ['gdpr', 'ccpa'] }), 'de', 'index.html', {
      organisationName: 'Acme & Söhne <GmbH>',
      privacyNoticeUrl: 'https://acme.example/datenschutz?a=1&b=2',
      privacyContact: 'dpo@acme.example',
      offeredJurisdictions: ['gdpr', 'ccpa'],
    });
    expect(both).toContain('<legend class="legend-large">Welches Recht soll für Ihre Anfrage gelten?</legend>');
    expect(both).toMatch(/id="jurisdiction-gdpr" name="jurisdiction" value="gdpr"[^>]* checked>/);
    expect(both).toContain('Diese Seiten betreibt <strong>Acme &amp; Söhne &lt;GmbH&gt;</strong>.');
    expect(both).toContain('<a href="https://acme.example/datenschutz?a=1&amp;b=2">Datenschutzerklärung</a>');
    expect(both).toContain('<a href="mailto:dpo@acme.example">dpo@acme.example</a>');
  });

  it('every string is used by a page', () => {
    const used = new Set(pages.flatMap(({ file }) => [...keysOf(template(file))]));
    const unused = Object.keys(english).filter((key) => !key.startsWith('@') && key !== 'site.languages' && !used.has(key));
    expect(unused).toEqual([]);
  });

  describe.each(pages)('$path', ({ path, file }) => {
    it('names only keys every language has', () => {
      for (const key of keysOf(template(file))) {
        if (key.startsWith('@')) continue;
        for (const language of languages) expect(Object.hasOwn(dictionary(language), key), `${key} in ${language}`).toBe(true);
      }
    });

    it.each(languages)('in %s has no placeholder left, the right lang, unique ids and escaped text', async (language) => {
      const body = (await pageIn(path, { lang: language })).body ?? '';
      expect(body).not.toMatch(/\{\{|\}\}/);
      expect(body).toContain(`<html lang="${language}">`);
      const ids = [...body.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
      expect(ids.length).toBe(new Set(ids).size);
      const strings = dictionary(language);
      for (const key of keysOf(served(file))) {
        if (!key.startsWith('@')) expect(body, key).toContain(escapeHtml(strings[key]!));
      }
    });
  });

  it('keeps the error texts the scripts show in #messages, in the page language', async () => {
    const french = (await pageIn('/', { lang: 'fr' })).body ?? '';
    const messages = /<div id="messages" hidden>([\s\S]*?)<\/div>/.exec(french)?.[1] ?? '';
    expect(messages).toContain('data-message="email-invalid">Saisissez une adresse e-mail au bon format');
    expect(messages).toContain('data-message="network-error">Nous n’avons pas pu joindre notre serveur');
  });

  it('the status page words every timeline action it is told about, and has a fallback', async () => {
    const body = (await pageIn('/status')).body ?? '';
    const actions = [
      'submitted',
      'verification_sent',
      'receipt_confirmed',
      'verified',
      'awaiting_approval',
      'approved',
      'auto_approved',
      'completed',
      'partially_completed',
      'rejected',
      'cancelled',
      'expired',
      'extended',
      'requester_notified',
      'other',
    ];
    for (const action of actions) expect(body).toMatch(new RegExp(`data-message="action-${action}">[^<]+</p>`));
    for (const status of [
      'submitted',
      'pending_verification',
      'pending_approval',
      'in_progress',
      'partially_completed',
      'completed',
      'rejected',
      'cancelled',
      'expired',
      'unknown',
    ]) {
      expect(body).toMatch(new RegExp(`data-message="status-${status}">[^<]+</p>`));
    }
  });
});

describe('console sign-in configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const config = async (domainName = 'abc123.execute-api.eu-west-1.amazonaws.com') => {
    const result = await handler(httpApiEvent('GET /console/config', { domainName }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expectSecurityHeaders(result);
    return JSON.parse(result.body ?? '');
  };

  it('points at the local issuer by default', async () => {
    vi.stubEnv('CONSOLE_AUTH_KIND', '');
    expect(await config()).toEqual({ signIn: { kind: 'local', url: '/local-auth/sign-in' } });
    vi.stubEnv('CONSOLE_AUTH_KIND', 'local');
    expect(await config()).toEqual({ signIn: { kind: 'local', url: '/local-auth/sign-in' } });
  });

  it('points at the Cognito hosted UI, back to /console on the host the request came to', async () => {
    vi.stubEnv('CONSOLE_AUTH_KIND', 'cognito');
    vi.stubEnv('COGNITO_DOMAIN_URL', 'https://org-privacy.auth.eu-west-1.amazoncognito.com/');
    vi.stubEnv('CONSOLE_CLIENT_ID', '5abc1234client');
    vi.stubEnv('PUBLIC_BASE_URL', '');
    expect(await config()).toEqual({
      signIn: {
        kind: 'cognito',
        authorizeUrl: 'https://org-privacy.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
        tokenUrl: 'https://org-privacy.auth.eu-west-1.amazoncognito.com/oauth2/token',
        logoutUrl: 'https://org-privacy.auth.eu-west-1.amazoncognito.com/logout',
        clientId: '5abc1234client',
        redirectUri: 'https://abc123.execute-api.eu-west-1.amazonaws.com/console',
      },
    });
  });

  it('redirects to PUBLIC_BASE_URL when set', async () => {
    vi.stubEnv('CONSOLE_AUTH_KIND', 'cognito');
    vi.stubEnv('COGNITO_DOMAIN_URL', 'https://org-privacy.auth.eu-west-1.amazoncognito.com');
    vi.stubEnv('CONSOLE_CLIENT_ID', 'client');
    vi.stubEnv('PUBLIC_BASE_URL', 'https://privacy.example.org/');
    expect((await config()).signIn.redirectUri).toBe('https://privacy.example.org/console');
  });
});

/** A web directory with the least the handler needs: four templates and four dictionaries. */
function minimalWebDir(strings: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-web-'));
  writeFileSync(join(dir, 'layout.html'), '<html lang="{{@lang}}">{{@content}}');
  for (const { file } of pages) writeFileSync(join(dir, file), `<!-- layout: title=greeting script=x.js -->\n<h1>${file} {{greeting}}</h1>`);
  mkdirSync(join(dir, 'i18n'));
  for (const language of languages) {
    writeFileSync(
      join(dir, 'i18n', `${language}.json`),
      JSON.stringify({ '@name': language, 'site.languages': 'Language', greeting: `hello-${language}`, ...strings }),
    );
  }
  return dir;
}

describe('the shared layout', () => {
  it('puts every page in the layout, with its title and script, and refuses a page that does not say which', () => {
    const page = composePage(
      '<title>{{@title}}</title><script src="/assets/{{@script}}"></script>{{@content}}',
      '<!-- layout: title=verify.title script=verify.js -->\n<main>$& {{x}}</main>',
    );
    expect(page).toBe('<title>{{verify.title}}</title><script src="/assets/verify.js"></script><main>$& {{x}}</main>');
    expect(() => composePage('{{@content}}', '<main></main>', 'broken.html')).toThrow(/broken.html: the first line/);
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
    const result = await fresh.handler(httpApiEvent('GET /'));
    expectSecurityHeaders(result, csp.replace("connect-src 'self'", "connect-src 'self' https://exports.s3.eu-west-1.amazonaws.com http://localhost:4566"));
  });

  it('refuses a CSP_CONNECT_EXTRA that would add directives or keywords', async () => {
    vi.stubEnv('CSP_CONNECT_EXTRA', "https://x.example; script-src 'unsafe-inline'");
    vi.resetModules();
    await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/CSP_CONNECT_EXTRA/);
  });

  it('reads the files once, from WEB_ASSETS_DIR when set, serving only css and js as assets', async () => {
    const dir = minimalWebDir();
    try {
      writeFileSync(join(dir, 'site.css'), 'body{}');
      writeFileSync(join(dir, 'secrets.txt'), 'no');
      writeFileSync(join(dir, '.env'), 'no');
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      const fresh = await import('../../lambdas/http/pages.ts');
      writeFileSync(join(dir, 'index.html'), 'changed after load');
      writeFileSync(join(dir, 'console.html'), 'added after load');
      expect((await fresh.handler(httpApiEvent('GET /'))).body).toBe('<html lang="en"><h1>index.html hello-en</h1>');
      expect((await fresh.handler(httpApiEvent('GET /status', { query: 'lang=de' }))).body).toBe('<html lang="de"><h1>status.html hello-de</h1>');
      expect((await fresh.handler(httpApiEvent('GET /assets/{file}', { path: '/assets/site.css', pathParameters: { file: 'site.css' } }))).body).toBe('body{}');
      expect((await fresh.handler(httpApiEvent('GET /console'))).statusCode).toBe(404);
      for (const file of ['secrets.txt', '.env', 'index.html', 'app.css', 'console.html']) {
        expect((await fresh.handler(httpApiEvent('GET /assets/{file}', { path: `/assets/${file}`, pathParameters: { file } }))).statusCode, file).toBe(404);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves console.html at /console when it is there at load', async () => {
    const dir = minimalWebDir();
    try {
      writeFileSync(join(dir, 'console.html'), '<h1>Console {{not a template}}</h1>');
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      const fresh = await import('../../lambdas/http/pages.ts');
      const result = await fresh.handler(httpApiEvent('GET /console'));
      expect(result.statusCode).toBe(200);
      expect(result.body).toBe('<h1>Console {{not a template}}</h1>');
      expectSecurityHeaders(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('escapes translated text', async () => {
    const dir = minimalWebDir({ greeting: '<script>alert("x")</script> & \'more\'' });
    try {
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      const fresh = await import('../../lambdas/http/pages.ts');
      expect((await fresh.handler(httpApiEvent('GET /'))).body).toBe(
        '<html lang="en"><h1>index.html &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;</h1>',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails at load when a page names a string a language lacks', async () => {
    const dir = minimalWebDir();
    try {
      writeFileSync(join(dir, 'verify.html'), '<!-- layout: title=greeting script=x.js -->\n<h1>{{greeting}} {{missing.key}}</h1>');
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/verify\.html: no "missing\.key" in i18n\/en\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails at load when a language file is missing', async () => {
    const dir = minimalWebDir();
    try {
      rmSync(join(dir, 'i18n', 'es.json'));
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/es\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails at load when a page is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsr-web-'));
    try {
      vi.stubEnv('WEB_ASSETS_DIR', dir);
      vi.resetModules();
      await expect(import('../../lambdas/http/pages.ts')).rejects.toThrow(/index\.html|i18n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('web files under the CSP', () => {
  const files = readdirSync(webDir);
  const htmlFiles = files.filter((file) => file.endsWith('.html'));
  const scriptFiles = files.filter((file) => file.endsWith('.js'));

  it('has the requester pages (and the console page, when it is there)', () => {
    expect(htmlFiles.filter((file) => file !== 'console.html').sort()).toEqual(['download.html', 'index.html', 'layout.html', 'status.html', 'verify.html']);
  });

  describe.each(htmlFiles)('%s', (file) => {
    const html = readFileSync(join(webDir, file), 'utf8');
    const tags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((match) => match[0]);

    it('has no inline script', () => {
      for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        // The layout names its page's script by placeholder; the page file says which.
        expect(attributes).toMatch(/\bsrc="\/assets\/([a-z0-9-]+\.js|\{\{@script\}\})"/);
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
