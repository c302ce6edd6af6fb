import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OfficerIssuer } from './officer-issuer.ts';

/**
 * The local issuer's sign-in page, the stand-in for Cognito's hosted UI: the console starts a
 * sign-in with `GET /local-auth/sign-in?state=&nonce=&redirect_uri=`, the page shows one button,
 * `POST /local-auth/sign-in` signs in the demo privacy officer (the token carries the nonce) and
 * sends the browser to `/console#id_token=<jwt>&state=<state>`; the console keeps the token only
 * if state and nonce are the ones it sent. Passwordless, so it answers on a loopback host only
 * (DNS rebinding sends the attacker's name as Host) and takes a POST from that same origin only.
 * Nothing secret is printed or logged. Plugged into the local gateway's `extra` hook.
 */
export const localSignInPath = '/local-auth/sign-in';

/** Where the token may go: the console on the host the request came to, nowhere else. */
const consolePath = '/console';

/** localhost, 127.0.0.1 or [::1], any port: a whole-string match, so `localhost.evil.example` is not one. */
const loopbackHost = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/i;

/** What the console generates for state and nonce: base64url of random bytes. */
const flowValue = /^[A-Za-z0-9_-]{16,128}$/;

/** The same policy the pages are served under. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** The page's own policy: same-origin, so its form's POST carries the real Origin (no-referrer sends `null`). */
const pageHeaders = { ...securityHeaders, 'Referrer-Policy': 'same-origin', 'Content-Type': 'text/html; charset=utf-8' };

interface Flow {
  readonly state: string;
  readonly nonce: string;
}

const page = (main: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in (local only) – Privacy officer console</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/assets/base.css">
  <link rel="stylesheet" href="/assets/console.css">
</head>
<body>
  <header class="topbar">
    <div class="topbar-inner">
      <span class="brand">Privacy officer console</span>
    </div>
  </header>
  <main id="main" class="page narrow">
    <section class="panel">
${main}
      <p><a href="${consolePath}">Back to the console</a></p>
    </section>
  </main>
</body>
</html>
`;

// State and nonce match `flowValue` (no character that HTML would read) before they reach the form.
const signInPage = (flow: Flow) =>
  page(`      <h1>Sign in as the demo privacy officer (local only)</h1>
      <p>This local stack has no user directory. The button below signs you in as a demo officer
        of the <code>privacy-officers</code> group for eight hours. In AWS, officers sign in with the
        Cognito hosted sign-in page instead, with multi-factor authentication.</p>
      <form method="post" action="${localSignInPath}">
        <input type="hidden" name="state" value="${flow.state}">
        <input type="hidden" name="nonce" value="${flow.nonce}">
        <input type="hidden" name="redirect_uri" value="${consolePath}">
        <button type="submit" class="button primary">Sign in as the demo officer</button>
      </form>`);

const notStartedPage = page(`      <h1>Start signing in from the console</h1>
      <p>This sign-in was not started by the console, so it cannot continue. Open the console and
        choose Sign in there.</p>`);

/** An `extra` handler for `LocalGateway`: answers the sign-in page and returns true, or false for anything else. */
export function localSignIn(issuer: OfficerIssuer): (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<boolean> {
  return async (request, response, body) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== localSignInPath) return false;
    const method = request.method ?? 'GET';
    const host = request.headers.host ?? '';
    const here = loopbackHost.test(host) ? originOf(host) : undefined;
    if (!here) {
      refuse(response, 403, 'The local sign-in answers on localhost, 127.0.0.1 or [::1] only.');
      return true;
    }
    if (method === 'GET' || method === 'HEAD') {
      const flow = flowOf(new URL(request.url ?? '/', 'http://localhost').searchParams, here);
      response.writeHead(flow ? 200 : 400, pageHeaders);
      response.end(method === 'HEAD' ? undefined : flow ? signInPage(flow) : notStartedPage);
      return true;
    }
    if (method !== 'POST') {
      response.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Method not allowed');
      return true;
    }
    // A form on another site (or a sandboxed frame, `Origin: null`) must not sign a visitor in
    // here. The page sends its real Origin; clients without one (curl) pass on the Host check alone.
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin.toLowerCase() !== here);
    if (crossSite) {
      refuse(response, 403, 'Sign in from this site only.');
      return true;
    }
    const flow = flowOf(new URLSearchParams(body.toString('utf8')), here);
    if (!flow) {
      refuse(response, 400, 'Start signing in from the console.');
      return true;
    }
    const token = await issuer.issue({ subject: 'local-demo-officer', nonce: flow.nonce });
    response.writeHead(303, { ...securityHeaders, Location: `${consolePath}#${new URLSearchParams({ id_token: token, state: flow.state })}` });
    response.end();
    return true;
  };
}

/** The console's state and nonce, or undefined when either is missing or malformed or the redirect goes anywhere but this console. */
function flowOf(parameters: URLSearchParams, here: string): Flow | undefined {
  const state = parameters.get('state') ?? '';
  const nonce = parameters.get('nonce') ?? '';
  if (!flowValue.test(state) || !flowValue.test(nonce)) return undefined;
  const redirect = parameters.get('redirect_uri');
  if (redirect !== null && !isThisConsole(redirect, here)) return undefined;
  return { state, nonce };
}

function isThisConsole(redirect: string, here: string): boolean {
  try {
    const url = new URL(redirect, here);
    return url.origin === here && url.pathname === consolePath && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** `http://` and the Host, as a browser serializes an origin (lower case, no default port); undefined for a port out of range. */
function originOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).origin;
  } catch {
    return undefined;
  }
}

function refuse(response: ServerResponse, status: 400 | 403, text: string): void {
  response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
