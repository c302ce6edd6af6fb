import { routes, type Route } from '../function-catalog.ts';

/**
 * Smoke checks of a running deployment, from outside and with no AWS credentials: only what any
 * browser or attacker can ask the public URL. `npm run smoke -- --url <base url>` runs them after
 * `cdk deploy`; test/integration/smoke.test.ts runs them against the local stack.
 *
 * Details never quote a response body: an officer route that answered without a token could be
 * answering with personal data. They name statuses, content types and header values only.
 */

export interface SmokeOptions {
  /** The deployment's base URL (an API stage path is fine): `https://abc.execute-api.eu-west-1.amazonaws.com`. */
  readonly baseUrl: string;
  /** Where the test request's verification mail goes; default {@link defaultTestMailbox}. */
  readonly testMailbox?: string;
  /** Injected in tests (and to reach a deployment through a proxy). */
  readonly fetch?: typeof fetch;
  /** How long each check may take, in milliseconds; default {@link defaultTimeoutMs}. */
  readonly timeoutMs?: number;
}

export interface SmokeCheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** One line: what was expected and what came back. */
  readonly detail: string;
  readonly durationMs: number;
}

export interface SmokeReport {
  readonly baseUrl: string;
  readonly checks: readonly SmokeCheckResult[];
  readonly passed: number;
  readonly failed: number;
}

/** A reserved domain (RFC 2606): nothing is ever delivered there. */
export const defaultTestMailbox = 'smoke-test@example.com';

/** Generous enough for a Lambda cold start behind API Gateway. */
export const defaultTimeoutMs = 10_000;

/** The requester pages (and the console); the token pages carry a token in their fragment. */
const pages = ['/', '/verify', '/download', '/status', '/console'] as const;
const tokenPages: ReadonlySet<string> = new Set(['/verify', '/download', '/status']);

/**
 * Placeholders for officer routes' path parameters. The id has the shape of a real one, so that a
 * route whose authorizer were missing would get past the id check and show it (404, not 401).
 */
const placeholders: Record<string, string> = { id: 'req_smoke_placeholder', storeId: 'smoke-store' };

/** A path no route serves. */
const unknownPath = '/smoke-check/no-such-path';

/** A check either returns its passing detail or throws a {@link CheckFailed} with the failing one. */
class CheckFailed extends Error {}

interface Check {
  readonly name: string;
  readonly run: () => Promise<string>;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Checks the URL an operator gave: http(s), no credentials, query or fragment; returns it without a trailing slash. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a URL; give the deployment's base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the URL must start with https:// or http://, not ${url.protocol}//`);
  // Credentials would end up in the report; a query or fragment would be glued to every path.
  if (url.username || url.password) throw new Error('the URL must not carry a user name or password');
  if (url.search || url.hash) throw new Error('the URL must not carry a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

export async function runSmokeChecks(options: SmokeOptions): Promise<SmokeReport> {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const testMailbox = options.testMailbox ?? defaultTestMailbox;
  const https = baseUrl.startsWith('https:');

  const ask = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    try {
      const response = await doFetch(`${baseUrl}${path}`, {
        method,
        // A redirect is reported as what it is, never followed to something that happens to answer 200.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      throw new CheckFailed(networkProblem(error, timeoutMs));
    }
  };

  const checks: Check[] = [
    {
      name: 'GET /health',
      run: async () => {
        const answer = await ask('GET', '/health');
        const body = jsonOf(answer);
        if (answer.status !== 200 || body === undefined) throw new CheckFailed(`expected 200 JSON, got ${describe(answer)}`);
        const status = typeof body === 'object' && body !== null && 'status' in body ? ` {"status":${JSON.stringify(String(body.status)).slice(0, 40)}}` : '';
        return `200 JSON${status}`;
      },
    },
    ...pages.map((path): Check => ({ name: `page GET ${path}`, run: () => checkPage(ask, path, https) })),
    {
      name: 'GET /console/config',
      run: async () => {
        const answer = await ask('GET', '/console/config');
        const body = jsonOf(answer) as { signIn?: { kind?: unknown; clientId?: unknown; authorizeUrl?: unknown } } | undefined;
        if (answer.status !== 200 || body === undefined) throw new CheckFailed(`expected 200 JSON, got ${describe(answer)}`);
        const kind = body?.signIn?.kind;
        if (typeof kind !== 'string' || !kind) throw new CheckFailed('expected JSON with signIn.kind (how officers sign in), got none');
        if (kind === 'cognito') {
          // Without these the console cannot send an officer to the hosted UI.
          if (typeof body.signIn?.clientId !== 'string' || !body.signIn.clientId)
            throw new CheckFailed('sign-in kind cognito, but no clientId: the console cannot sign anyone in');
          if (typeof body.signIn?.authorizeUrl !== 'string' || !body.signIn.authorizeUrl.startsWith('https://'))
            throw new CheckFailed('sign-in kind cognito, but no https authorizeUrl');
        }
        return `200 JSON, sign-in kind ${kind.slice(0, 40)}`;
      },
    },
    {
      name: 'POST /requests (test mailbox)',
      run: async () => {
        const answer = await ask('POST', '/requests', { type: 'access', email: testMailbox });
        const requestId = (jsonOf(answer) as { requestId?: unknown } | undefined)?.requestId;
        if (answer.status === 429)
          throw new CheckFailed('expected 202, got 429: this address is over the submission limit; wait (10 minutes by default) and run again');
        if (answer.status !== 202) throw new CheckFailed(`expected 202 with a requestId, got ${describe(answer)}${issuesOf(answer)}`);
        if (typeof requestId !== 'string' || !requestId) throw new CheckFailed('202, but no requestId in the answer');
        return `202, requestId ${requestId.slice(0, 80)}; a verification mail goes to ${testMailbox}`;
      },
    },
    {
      name: 'POST /requests (malformed)',
      run: async () => {
        const answer = await ask('POST', '/requests', { type: 'access', email: 'not-an-address' });
        const body = jsonOf(answer) as { error?: unknown; issues?: { path?: unknown }[] } | undefined;
        if (answer.status !== 400) throw new CheckFailed(`expected 400 naming the email, got ${describe(answer)}`);
        const paths = Array.isArray(body?.issues) ? body.issues.map((issue) => String(issue?.path)) : [];
        const error = typeof body?.error === 'string' ? body.error : '';
        if (!paths.includes('email') && !/email/i.test(error))
          throw new CheckFailed(`400, but neither its error nor its issues name the email (error ${JSON.stringify(error.slice(0, 80))})`);
        return `400, issues name ${paths.length ? paths.join(', ') : 'the email'}`;
      },
    },
    ...routes
      .filter((route) => route.auth === 'officer')
      .map((route): Check => ({ name: `officer ${route.method} ${route.path} without a token`, run: () => checkOfficerRoute(ask, route) })),
    {
      name: 'unknown path',
      run: async () => {
        const answer = await ask('GET', unknownPath);
        if (answer.status !== 404) throw new CheckFailed(`expected 404 for GET ${unknownPath}, got ${describe(answer)}`);
        return `404 for GET ${unknownPath}`;
      },
    },
  ];

  // Independent and side by side: one check's failure or hang never holds up another.
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs)));
  const passed = results.filter((result) => result.passed).length;
  return { baseUrl, checks: results, passed, failed: results.length - passed };
}

/** The report as an operator reads it: one line per check, then the totals. */
export function formatSmokeReport(report: SmokeReport): string {
  const lines = report.checks.map((check) => `${check.passed ? '✓' : '✗'} ${check.name} — ${check.detail}`);
  return [...lines, `${report.passed} passed, ${report.failed} failed`].join('\n');
}

async function runOne(check: Check, timeoutMs: number): Promise<SmokeCheckResult> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  // A backstop for an injected fetch that ignores its abort signal: the check still ends.
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no result within ${seconds(timeoutMs + 1000)}`)), timeoutMs + 1000);
  });
  try {
    const detail = await Promise.race([check.run(), deadline]);
    return { name: check.name, passed: true, detail, durationMs: Date.now() - startedAt };
  } catch (error) {
    const detail = error instanceof CheckFailed ? error.message : `the check itself failed: ${(error as Error)?.message ?? String(error)}`;
    return { name: check.name, passed: false, detail, durationMs: Date.now() - startedAt };
  } finally {
    clearTimeout(timer);
  }
}

type Ask = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/**
 * What lambdas/http/pages.ts promises on every page: HTML, a CSP that allows no inline script or
 * style, nosniff, no referrer (a token page's URL must not travel on), no framing; plus HSTS over
 * https, so a browser never falls back to plain http.
 */
async function checkPage(ask: Ask, path: string, https: boolean): Promise<string> {
  const answer = await ask('GET', path);
  const contentType = answer.headers.get('content-type') ?? '';
  if (answer.status !== 200 || !/^text\/html/i.test(contentType)) throw new CheckFailed(`expected 200 HTML, got ${describe(answer)}`);
  if (!/<html[\s>]/i.test(answer.text)) throw new CheckFailed('200 text/html, but the body is not an HTML page');

  const problems: string[] = [];
  const passing: string[] = ['200 HTML'];

  const csp = answer.headers.get('content-security-policy');
  const cspProblem = csp === null ? "no Content-Security-Policy (expected one whose script-src and style-src leave out 'unsafe-inline')" : inlineProblem(csp);
  if (cspProblem) problems.push(cspProblem);
  else passing.push("CSP without 'unsafe-inline'");

  if (https) {
    const hsts = answer.headers.get('strict-transport-security');
    const maxAge = Number(/(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(hsts ?? '')?.[1] ?? 0);
    if (!hsts) problems.push('no Strict-Transport-Security (expected one over https)');
    else if (maxAge <= 0) problems.push(`Strict-Transport-Security without a positive max-age (got "${hsts.slice(0, 80)}")`);
    else passing.push(`HSTS max-age=${maxAge}`);
  }

  const nosniff = answer.headers.get('x-content-type-options');
  if (nosniff?.trim().toLowerCase() !== 'nosniff') problems.push(`expected X-Content-Type-Options: nosniff, got ${quoted(nosniff)}`);
  else passing.push('nosniff');

  const referrer = answer.headers.get('referrer-policy');
  const noReferrer = (referrer ?? '')
    .split(',')
    .map((policy) => policy.trim().toLowerCase())
    .includes('no-referrer');
  if (!noReferrer) problems.push(`expected Referrer-Policy: no-referrer${tokenPages.has(path) ? ' (a token page)' : ''}, got ${quoted(referrer)}`);
  else passing.push('no-referrer');

  const frameOptions = answer.headers.get('x-frame-options')?.trim().toUpperCase();
  const frameAncestors = directives(csp ?? '').get('frame-ancestors');
  if (frameOptions !== 'DENY' && !(frameAncestors?.length === 1 && frameAncestors[0] === "'none'")) {
    problems.push(`expected framing refused (X-Frame-Options: DENY or CSP frame-ancestors 'none'), got ${quoted(answer.headers.get('x-frame-options'))}`);
  } else passing.push('no framing');

  if (problems.length) throw new CheckFailed(problems.join('; '));
  return passing.join(', ');
}

/** An officer route asked with no token must refuse: 401 (or 403), never answer, never crash. */
async function checkOfficerRoute(ask: Ask, route: Route): Promise<string> {
  const path = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(placeholders[name] ?? 'smoke'));
  // A JSON body on POST, so that a refusal is about the missing token, not the content type.
  const answer = await ask(route.method, path, route.method === 'POST' ? {} : undefined);
  if (answer.status === 401 || answer.status === 403) return `${answer.status} for ${route.method} ${path}`;
  if (answer.status >= 200 && answer.status < 300)
    throw new CheckFailed(`expected 401, got ${answer.status}: ${route.method} ${path} answered without a token (body not shown)`);
  throw new CheckFailed(`expected 401 (or 403) for ${route.method} ${path}, got ${describe(answer)}`);
}

/** What is wrong with the CSP's script and style sources, or undefined when nothing is. */
function inlineProblem(csp: string): string | undefined {
  // Several CSP headers arrive joined by commas; a browser enforces every one of them.
  const policies = csp.split(',').map(directives);
  const scriptAndStyle = ['script-src', 'script-src-elem', 'script-src-attr', 'style-src', 'style-src-elem', 'style-src-attr'];
  for (const policy of policies) {
    for (const name of scriptAndStyle) {
      if (policy.get(name)?.includes("'unsafe-inline'")) return `CSP ${name} allows 'unsafe-inline' (got "${name} ${policy.get(name)!.join(' ')}")`;
    }
  }
  for (const name of ['script-src', 'style-src']) {
    // A missing directive falls back to default-src; with neither, anything goes.
    const restricted = policies.some((policy) => policy.has(name) || policy.has('default-src'));
    if (!restricted) return `CSP restricts neither ${name} nor default-src (got "${csp.slice(0, 120)}")`;
    const fallback = policies.find((policy) => !policy.has(name) && policy.get('default-src')?.includes("'unsafe-inline'"));
    if (fallback) return `CSP has no ${name} and its default-src allows 'unsafe-inline'`;
  }
  return undefined;
}

/** A policy's directives, by lower-case name; the first of a repeated directive counts, as in browsers. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const directive of policy.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name && !map.has(name.toLowerCase()))
      map.set(
        name.toLowerCase(),
        sources.map((source) => source.toLowerCase()),
      );
  }
  return map;
}

function jsonOf(answer: Answer): unknown {
  if (!/application\/json/i.test(answer.headers.get('content-type') ?? '')) return undefined;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** A status and content type (and where a redirect points), never the body. */
function describe(answer: Answer): string {
  const contentType = answer.headers.get('content-type')?.split(';')[0]?.trim();
  const location = answer.status >= 300 && answer.status < 400 ? answer.headers.get('location') : null;
  if (location) return `${answer.status} redirect to ${location.slice(0, 120)}`;
  return `${answer.status}${contentType ? ` ${contentType}` : ' with no content type'}`;
}

/** The issue paths of a 400, which name fields of what we sent; not their messages. */
function issuesOf(answer: Answer): string {
  if (answer.status !== 400) return '';
  const issues = (jsonOf(answer) as { issues?: { path?: unknown }[] } | undefined)?.issues;
  return Array.isArray(issues) && issues.length
    ? ` (issues: ${issues
        .map((issue) => String(issue?.path))
        .join(', ')
        .slice(0, 120)})`
    : '';
}

const quoted = (value: string | null | undefined): string => (value ? `"${value.slice(0, 80)}"` : 'none');

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** Why no answer came: a timeout, a refused connection, an unknown host, a TLS problem. */
function networkProblem(error: unknown, timeoutMs: number): string {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : ((error as Error | undefined)?.message ?? String(error));
  return `no answer: ${code && !message.includes(code) ? `${code} ` : ''}${message}`.slice(0, 200);
}
