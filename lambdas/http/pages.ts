import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  offeredJurisdictions,
  organisationName,
  privacyContact,
  privacyNoticeUrl,
  publicBaseUrlBinding,
  readSetting,
  webAssetsDirBinding,
} from '../shared/settings.ts';
import { defaultRequesterLanguage, isRequesterLanguage, requesterLanguages, type RequesterLanguage } from '../domain/languages.ts';

/**
 * Serves the requester pages (form, verify, download, status) in every supported language, the
 * officer console's page and sign-in configuration, the pages' assets and a health check.
 *
 * Every file is read once, at load, from one directory. A request can only name a file in that
 * snapshot (an exact-match lookup), so nothing a caller sends ever reaches the file system.
 *
 * A requester page is a template: `{{key}}` is the HTML-escaped string `key` of the page's
 * language (`i18n/<lang>.json`), `{{@lang}}` the language code, `{{@languages}}` the language
 * switcher and `{{@org.name}}`, `{{@org.notice}}`, `{{@org.contact}}` the organisation's settings
 * (every page's footer). The form's jurisdiction choice stays only where the settings offer both laws. Every page is rendered in every language at load, so a missing string fails the load
 * instead of reaching a requester.
 */

type Result = APIGatewayProxyStructuredResultV2;

const webDir = process.env[webAssetsDirBinding.env] || fileURLToPath(new URL('../web/', import.meta.url));

/** Route path → requester page template. */
const pageFiles: Record<string, string> = {
  '/': 'index.html',
  '/verify': 'verify.html',
  '/download': 'download.html',
  '/status': 'status.html',
};

/** The officer console: served as written (it is not a template) when its file is present. */
const consoleFile = 'console.html';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** What `/assets/{file}` may serve: plain lower-case names of the directory's css and js files. */
const assetName = /^[a-z0-9][a-z0-9-]*\.(?:css|js)$/;

const readWebFile = (name: string): string => readFileSync(join(webDir, name), 'utf8');

// --- Languages -------------------------------------------------------------------------------

/**
 * The page's language: a supported `?lang=` first (`fr`, `fr-CA`, `FR`), then the best supported
 * language of `Accept-Language` by quality (ties keep the header's order), then English.
 */
export function negotiateLanguage(requested: string | undefined, acceptLanguage: string | undefined): RequesterLanguage {
  const primary = (tag: string) => tag.trim().toLowerCase().split('-')[0] ?? '';
  if (requested) {
    const asked = primary(requested);
    if (isRequesterLanguage(asked)) return asked;
  }
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      // A weight that is not a number between 0 and 1 makes the range unusable, not preferred.
      const weight = params
        .find((param) => /^\s*q\s*=/i.test(param))
        ?.replace(/^\s*q\s*=\s*/i, '')
        .trim();
      const quality = weight === undefined ? 1 : /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(weight) ? Number(weight) : 0;
      return { language: primary(tag), quality, index };
    })
    .filter((range) => range.quality > 0 && isRequesterLanguage(range.language))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return (ranges[0]?.language as RequesterLanguage | undefined) ?? defaultRequesterLanguage;
}

type Dictionary = Readonly<Record<string, string>>;

function readDictionary(language: RequesterLanguage): Dictionary {
  const name = `i18n/${language}.json`;
  const parsed: unknown = JSON.parse(readWebFile(name));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${name} must be a JSON object of strings`);
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new Error(`${name}: "${key}" must be a string`);
  }
  return parsed as Dictionary;
}

const dictionaries = Object.fromEntries(requesterLanguages.map((language) => [language, readDictionary(language)])) as Record<RequesterLanguage, Dictionary>;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

/** Links to the same page in every language, each named in its own language. */
function languageSwitcher(current: RequesterLanguage): string {
  const items = requesterLanguages.map((language) => {
    const name = escapeHtml(dictionaries[language]['@name'] ?? language);
    const currentMark = language === current ? ' aria-current="true"' : '';
    return `<li><a href="?lang=${language}" lang="${language}" hreflang="${language}"${currentMark}>${name}</a></li>`;
  });
  return `<nav class="language-switcher" aria-label="${escapeHtml(dictionaries[current]['site.languages'] ?? 'Language')}"><ul>${items.join('')}</ul></nav>`;
}

/** Who answers requesters (operator settings), shown on every page; read once, at load. */
export interface PageSettings {
  readonly organisationName: string;
  readonly privacyNoticeUrl: string;
  readonly privacyContact: string;
  readonly offeredJurisdictions: readonly string[];
}

const pageSettings: PageSettings = {
  organisationName: readSetting(organisationName),
  privacyNoticeUrl: readSetting(privacyNoticeUrl),
  privacyContact: readSetting(privacyContact),
  offeredJurisdictions: readSetting(offeredJurisdictions),
};

/** The form's jurisdiction choice, between its markers: kept where the settings offer more than one law. */
const jurisdictionChoice = /[ \t]*<!-- jurisdiction-choice:[^>]*-->\n[\s\S]*?<!-- \/jurisdiction-choice -->\n/;

export function withJurisdictionChoice(template: string, settings: Pick<PageSettings, 'offeredJurisdictions'> = pageSettings): string {
  return settings.offeredJurisdictions.length > 1 ? template : template.replace(jurisdictionChoice, '');
}

/** The `{{key}}` placeholders of a template, in order of appearance. */
export const placeholderPattern = /\{\{\s*(@?[A-Za-z0-9_.-]+)\s*\}\}/g;

/** Fills a template in one language; a key the dictionary lacks is an error. */
export function renderTemplate(template: string, language: RequesterLanguage, file = 'template', settings: PageSettings = pageSettings): string {
  const dictionary = dictionaries[language];
  return template.replace(placeholderPattern, (_placeholder, key: string) => {
    if (key === '@lang') return language;
    if (key === '@languages') return languageSwitcher(language);
    if (key === '@org.name') return escapeHtml(settings.organisationName);
    if (key === '@org.notice') return escapeHtml(settings.privacyNoticeUrl);
    if (key === '@org.contact') return escapeHtml(settings.privacyContact);
    const text = Object.hasOwn(dictionary, key) ? dictionary[key] : undefined;
    if (text === undefined) throw new Error(`${file}: no "${key}" in i18n/${language}.json`);
    return escapeHtml(text);
  });
}

/**
 * Every requester page shares `layout.html` (head, header, language switcher); a page file starts
 * with `<!-- layout: title=<key> script=<file> -->` and holds what goes in the body.
 */
export function composePage(layout: string, page: string, file = 'page'): string {
  const declaration = /^<!-- layout: title=([A-Za-z0-9_.-]+) script=([a-z0-9-]+\.js) -->\n/.exec(page);
  if (!declaration) throw new Error(`${file}: the first line must be <!-- layout: title=<key> script=<file.js> -->`);
  const [header, title, script] = declaration;
  return layout
    .replace('{{@title}}', `{{${title}}}`)
    .replace('{{@script}}', script!)
    .replace('{{@content}}', () => page.slice(header.length));
}

const layout = readWebFile('layout.html');

const pages = new Map(
  Object.entries(pageFiles).map(([path, file]) => {
    const template = withJurisdictionChoice(composePage(layout, readWebFile(file), file));
    return [
      path,
      Object.fromEntries(requesterLanguages.map((language) => [language, renderTemplate(template, language, file)])) as Record<RequesterLanguage, string>,
    ];
  }),
);

const consolePage = existsSync(join(webDir, consoleFile)) ? readWebFile(consoleFile) : undefined;

const assets = new Map(
  readdirSync(webDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && assetName.test(entry.name))
    .map((entry) => [entry.name, { body: readWebFile(entry.name), contentType: contentTypes[extname(entry.name)]! }]),
);

// --- Responses -------------------------------------------------------------------------------

/**
 * `CSP_CONNECT_EXTRA` adds origins the pages may fetch from (space-separated CSP sources). A value
 * that could end the directive or start another one is a configuration bug: fail at load.
 */
export function contentSecurityPolicy(connectExtra = ''): string {
  const extra = connectExtra.trim().replace(/\s+/g, ' ');
  if (/[;,'"]/.test(extra)) throw new Error('CSP_CONNECT_EXTRA must be a space-separated list of origins');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${extra ? ` ${extra}` : ''}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(process.env.CSP_CONNECT_EXTRA),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Deployed, the pages are served over https only: browsers must never try plain http. (Ignored over http locally.)
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

const send = (statusCode: number, body: string, contentType: string, cacheControl: string, extra: Record<string, string> = {}): Result => ({
  statusCode,
  headers: { ...securityHeaders, 'Content-Type': contentType, 'Cache-Control': cacheControl, ...extra },
  body,
});

const json = (statusCode: number, body: unknown, extra?: Record<string, string>): Result =>
  send(statusCode, JSON.stringify(body), contentTypes['.json']!, 'no-store', extra);

/**
 * How the console signs officers in. `CONSOLE_AUTH_KIND=cognito`: the Cognito hosted UI of
 * `COGNITO_DOMAIN_URL` with the app client `CONSOLE_CLIENT_ID`, back to `/console` on the public
 * base URL (or the host the request came to); otherwise the local issuer's sign-in page.
 */
export function consoleConfig(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv = process.env): unknown {
  if (env.CONSOLE_AUTH_KIND !== 'cognito') return { signIn: { kind: 'local', url: '/local-auth/sign-in' } };
  const domain = (env.COGNITO_DOMAIN_URL ?? '').replace(/\/+$/, '');
  const base = (env[publicBaseUrlBinding.env] ?? '').replace(/\/+$/, '') || `https://${event.requestContext?.domainName ?? ''}`;
  return {
    signIn: {
      kind: 'cognito',
      authorizeUrl: `${domain}/oauth2/authorize`,
      tokenUrl: `${domain}/oauth2/token`,
      logoutUrl: `${domain}/logout`,
      clientId: env.CONSOLE_CLIENT_ID ?? '',
      redirectUri: `${base}/console`,
    },
  };
}

/**
 * The route's method and path template, from `routeKey` (`GET /assets/{file}`). Behind a catch-all
 * route (`$default`) the raw path stands in; the asset name is then taken verbatim, never decoded.
 */
function routeOf(event: APIGatewayProxyEventV2): { method: string; path: string; file: string | undefined } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(event.routeKey ?? '');
  if (match) return { method: match[1]!, path: match[2]!, file: event.pathParameters?.file };
  const method = event.requestContext?.http?.method ?? 'GET';
  const rawPath = event.rawPath ?? '/';
  if (rawPath.startsWith('/assets/')) return { method, path: '/assets/{file}', file: rawPath.slice('/assets/'.length) };
  return { method, path: rawPath, file: undefined };
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function languageOf(event: APIGatewayProxyEventV2): RequesterLanguage {
  const requested = event.queryStringParameters?.lang ?? new URLSearchParams(event.rawQueryString ?? '').get('lang') ?? undefined;
  return negotiateLanguage(requested, header(event, 'accept-language'));
}

function respond(event: APIGatewayProxyEventV2, path: string, file: string | undefined): Result {
  if (path === '/health') return json(200, { status: 'ok' });
  if (path === '/console/config') return json(200, consoleConfig(event));
  if (path === '/console' && consolePage !== undefined) return send(200, consolePage, contentTypes['.html']!, 'no-store');
  const page = pages.get(path);
  if (page !== undefined) {
    const language = languageOf(event);
    return send(200, page[language], contentTypes['.html']!, 'no-store', { 'Content-Language': language, Vary: 'Accept-Language' });
  }
  const asset = path === '/assets/{file}' && file !== undefined ? assets.get(file) : undefined;
  if (asset) return send(200, asset.body, asset.contentType, 'public, max-age=300');
  return json(404, { error: 'Not found' });
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<Result> => {
  const { method, path, file } = routeOf(event);
  if (method !== 'GET' && method !== 'HEAD') return json(405, { error: 'Method not allowed' }, { Allow: 'GET, HEAD' });
  const result = respond(event, path, file);
  return method === 'HEAD' ? { ...result, body: '' } : result;
};
