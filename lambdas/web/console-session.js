// @ts-check
// The officer's session: the sign-in settings, the sign-in flows (the local issuer, or the Cognito
// hosted UI with PKCE) and the id token, which lives in sessionStorage only.
//
// Every sign-in starts here: the console remembers a random state and nonce (and, for Cognito, the
// PKCE verifier) in sessionStorage and keeps a token only from the answer that carries them. A
// token in a link someone else made (session fixation, login CSRF) is never taken.

/**
 * How officers sign in, from GET /console/config (lambdas/http/pages.ts).
 * @typedef {{ kind: 'local', url: string }
 *   | { kind: 'cognito', authorizeUrl: string, tokenUrl: string, logoutUrl: string, clientId: string, redirectUri: string }} SignIn
 */
/** @typedef {{ kind: SignIn['kind'], state: string, nonce: string, startedAt: number, returnTo: string, verifier?: string }} PendingSignIn */
/** @typedef {{ exp?: number, nonce?: string, email?: string, sub?: string, 'cognito:username'?: string }} Claims */

const tokenKey = 'dsr-console.id-token';
const pendingKey = 'dsr-console.sign-in';
// Long enough for a hosted-UI sign-in with MFA; an older answer is treated as one never asked for.
const pendingLifetimeMs = 15 * 60_000;
const notStartedHere = 'A sign-in link that this console did not start was ignored. Your session did not change.';

/** @type {SignIn | undefined} */
let signIn;

/** The sign-in settings, once `loadSignIn` has read them. */
export const signInSettings = () => signIn;

/** Reads the sign-in settings; answers false when the server did not give them. */
export async function loadSignIn() {
  try {
    const response = await fetch('/console/config', { headers: { Accept: 'application/json' } });
    if (!response.ok) return false;
    const body = await response.json();
    signIn = body?.signIn && typeof body.signIn === 'object' ? body.signIn : undefined;
  } catch {
    signIn = undefined;
  }
  return signIn !== undefined;
}

/** @param {string} text */
function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** @param {Uint8Array} bytes */
function base64UrlEncode(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * The token's claims, read without checking its signature: the API checks it on every call.
 * @param {string} token
 * @returns {Claims | undefined}
 */
export function claimsOf(token) {
  try {
    const claims = JSON.parse(base64UrlDecode(token.split('.')[1] ?? ''));
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** The session's token, unless it has expired (it is then dropped). */
export function currentToken() {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return undefined;
  const claims = claimsOf(token);
  if (!claims || (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now())) {
    sessionStorage.removeItem(tokenKey);
    return undefined;
  }
  return token;
}

export const dropToken = () => sessionStorage.removeItem(tokenKey);

const randomValue = () => base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));

/**
 * Remembers the sign-in being started; `kind` is the flow whose answer may complete it.
 * @param {SignIn['kind']} kind
 * @param {{ verifier?: string }} [extra]
 * @returns {PendingSignIn}
 */
function beginSignIn(kind, extra = {}) {
  const pending = {
    kind,
    state: randomValue(),
    nonce: randomValue(),
    startedAt: Date.now(),
    returnTo: location.hash.startsWith('#/') ? location.hash : '',
    ...extra,
  };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  return pending;
}

/**
 * The pending sign-in this answer's state belongs to, spent by taking it; a wrong state leaves it for the real answer.
 * @param {SignIn['kind']} kind
 * @param {string | null} state
 * @returns {PendingSignIn | undefined}
 */
function takePending(kind, state) {
  let pending;
  try {
    pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  } catch {
    pending = null;
  }
  if (!pending || typeof pending.state !== 'string' || !state || pending.state !== state || pending.kind !== kind) return undefined;
  sessionStorage.removeItem(pendingKey);
  if (typeof pending.startedAt !== 'number' || Date.now() - pending.startedAt > pendingLifetimeMs) return undefined;
  return pending;
}

/**
 * The local sign-in page, sent the state and nonce it must hand back.
 * @param {MouseEvent} event
 */
export function startLocalSignIn(event) {
  event.preventDefault();
  if (signIn?.kind !== 'local') return;
  const pending = beginSignIn('local');
  const url = new URL(signIn.url, location.origin);
  url.search = new URLSearchParams({ state: pending.state, nonce: pending.nonce, redirect_uri: location.origin + location.pathname }).toString();
  location.assign(url.toString());
}

export async function startCognitoSignIn() {
  if (signIn?.kind !== 'cognito') return;
  const { authorizeUrl, clientId, redirectUri } = signIn;
  const verifier = randomValue();
  const challenge = base64UrlEncode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending = beginSignIn('cognito', { verifier });
  const url = new URL(authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** A sign-in answer in the address bar: `#id_token=&state=` (local sign-in) or `?code=&state=` / `?error=` (Cognito). */
export function hasSignInAnswer() {
  const query = new URLSearchParams(location.search);
  return new URLSearchParams(location.hash.slice(1)).has('id_token') || query.has('code') || query.has('error');
}

/**
 * Takes a sign-in answer out of the address bar and keeps its token only if it answers the
 * pending sign-in of this console's kind: same state, and a token whose nonce is the one sent.
 * Cognito answers with a code only (PKCE), so a fragment token there is never one. The token's
 * signature is checked by the API on every call. Returns what to tell the officer, if anything.
 * @returns {Promise<string | undefined>}
 */
export async function finishSignIn() {
  if (!hasSignInAnswer()) return undefined;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const inFragment = fragment.has('id_token');
  const pending = takePending(inFragment ? 'local' : 'cognito', (inFragment ? fragment : query).get('state'));
  const rest = new URLSearchParams(location.search);
  for (const name of ['code', 'state', 'error', 'error_description']) rest.delete(name);
  history.replaceState(null, '', location.pathname + (rest.size ? `?${rest}` : '') + (pending?.returnTo ?? ''));
  if (!pending || pending.kind !== signIn?.kind) return notStartedHere;

  let token;
  if (inFragment) {
    token = fragment.get('id_token');
  } else if (signIn.kind === 'cognito') {
    const error = query.get('error');
    if (error) return `The sign-in did not complete (${query.get('error_description') ?? error}).`;
    try {
      const response = await fetch(signIn.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: signIn.clientId,
          code: query.get('code') ?? '',
          redirect_uri: signIn.redirectUri,
          code_verifier: pending.verifier ?? '',
        }),
      });
      const tokens = await response.json().catch(() => ({}));
      if (!response.ok || typeof tokens.id_token !== 'string') return 'The sign-in service did not issue a token. Please sign in again.';
      token = tokens.id_token;
    } catch {
      return 'The sign-in service could not be reached. Please try again.';
    }
  }
  if (!token || claimsOf(token)?.nonce !== pending.nonce) return notStartedHere;
  sessionStorage.setItem(tokenKey, token);
  return undefined;
}
