import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { envNames } from '../../lib/catalog.ts';

/**
 * Serves the requester pages (form, verify, download), their assets and a health check.
 *
 * Every file is read once, at load, from one directory. A request can only name a file in that
 * snapshot (an exact-match lookup), so nothing a caller sends ever reaches the file system.
 */

type Result = APIGatewayProxyStructuredResultV2;

const webDir = process.env[envNames.webAssetsDir] || fileURLToPath(new URL('../web/', import.meta.url));

/** Route path → page file. */
const pageFiles: Record<string, string> = {
  '/': 'index.html',
  '/verify': 'verify.html',
  '/download': 'download.html',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** What `/assets/{file}` may serve: plain lower-case names of the directory's css and js files. */
const assetName = /^[a-z0-9][a-z0-9-]*\.(?:css|js)$/;

const readWebFile = (name: string): string => readFileSync(join(webDir, name), 'utf8');

const pages = new Map(Object.entries(pageFiles).map(([path, file]) => [path, readWebFile(file)]));

const assets = new Map(
  readdirSync(webDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && assetName.test(entry.name))
    .map((entry) => [entry.name, { body: readWebFile(entry.name), contentType: contentTypes[extname(entry.name)]! }]),
);

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
};

const send = (statusCode: number, body: string, contentType: string, cacheControl: string, extra: Record<string, string> = {}): Result => ({
  statusCode,
  headers: { ...securityHeaders, 'Content-Type': contentType, 'Cache-Control': cacheControl, ...extra },
  body,
});

const json = (statusCode: number, body: unknown, extra?: Record<string, string>): Result =>
  send(statusCode, JSON.stringify(body), contentTypes['.json']!, 'no-store', extra);

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

function respond(path: string, file: string | undefined): Result {
  if (path === '/health') return json(200, { status: 'ok' });
  const page = pages.get(path);
  if (page !== undefined) return send(200, page, contentTypes['.html']!, 'no-store');
  const asset = path === '/assets/{file}' && file !== undefined ? assets.get(file) : undefined;
  if (asset) return send(200, asset.body, asset.contentType, 'public, max-age=300');
  return json(404, { error: 'Not found' });
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<Result> => {
  const { method, path, file } = routeOf(event);
  if (method !== 'GET' && method !== 'HEAD') return json(405, { error: 'Method not allowed' }, { Allow: 'GET, HEAD' });
  const result = respond(path, file);
  return method === 'HEAD' ? { ...result, body: '' } : result;
};
