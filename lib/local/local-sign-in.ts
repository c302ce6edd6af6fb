import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OfficerIssuer } from './officer-issuer.ts';

/**
 * The local issuer's sign-in page, the stand-in for Cognito's hosted UI: `GET /local-auth/sign-in`
 * shows one button, `POST /local-auth/sign-in` signs in the demo privacy officer and sends the
 * browser to `/console#id_token=<jwt>` (the console takes the token out of the address bar).
 * Nothing secret is printed or logged. Plugged into the local gateway's `extra` hook.
 */
export const localSignInPath = '/local-auth/sign-in';

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

const signInPage = `<!doctype html>
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
      <h1>Sign in as the demo privacy officer (local only)</h1>
      <p>This local stack has no user directory. The button below signs you in as a demo officer
        of the <code>privacy-officers</code> group for eight hours. In AWS, officers sign in with the
        Cognito hosted sign-in page instead, with multi-factor authentication.</p>
      <form method="post" action="${localSignInPath}">
        <button type="submit" class="button primary">Sign in as the demo officer</button>
      </form>
      <p><a href="/console">Back to the console</a></p>
    </section>
  </main>
</body>
</html>
`;

/** An `extra` handler for `LocalGateway`: answers the sign-in page and returns true, or false for anything else. */
export function localSignIn(issuer: OfficerIssuer): (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<boolean> {
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== localSignInPath) return false;
    const method = request.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      response.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8' });
      response.end(method === 'HEAD' ? undefined : signInPage);
      return true;
    }
    if (method !== 'POST') {
      response.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Method not allowed');
      return true;
    }
    // A form on another site must not sign a visitor in here. The page's no-referrer policy makes
    // the browser send `Origin: null`, so the fetch metadata decides, and a real Origin must match.
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && origin !== 'null' && hostOf(origin) !== request.headers.host);
    if (crossSite) {
      response.writeHead(403, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Sign in from this site only');
      return true;
    }
    const token = await issuer.issue({ subject: 'local-demo-officer' });
    response.writeHead(303, { ...securityHeaders, Location: `/console#id_token=${token}` });
    response.end();
    return true;
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
