import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSession, watchProblems } from '../fixtures/browser.ts';

/**
 * Issue 9: the console took `#id_token=` from any link and silently replaced the signed-in
 * officer's session (session fixation, login CSRF), and the passwordless local sign-in answered
 * any Host (DNS rebinding). Each attack here is replayed against the console and the local stack.
 */
const session = useBrowserSession();

const ignored = /sign-in link that this console did not start was ignored/i;
const tokenKey = 'dsr-console.id-token';

const consoleUrl = () => `${session.stack.apiUrl}/console`;
const storedToken = (page: Page) => page.evaluate((key) => sessionStorage.getItem(key), tokenKey);

/** Signs in through the local sign-in page, as an officer does; answers the session's token. */
async function signInLocally(page: Page): Promise<string> {
  await page.goto(consoleUrl());
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /sign in as the demo officer/i }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Request queue' }).isVisible()).toBe(true);
  const token = await storedToken(page);
  expect(token).toMatch(/^eyJ/);
  return token!;
}

/** Starts a local sign-in from the console and stops on the sign-in page: answers what the console sent. */
async function startLocalSignIn(page: Page): Promise<{ state: string; nonce: string }> {
  await page.goto(consoleUrl());
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('button', { name: /sign in as the demo officer/i }).isVisible()).toBe(true);
  const url = new URL(page.url());
  expect(url.pathname).toBe('/local-auth/sign-in');
  const state = url.searchParams.get('state') ?? '';
  const nonce = url.searchParams.get('nonce') ?? '';
  expect(state).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  return { state, nonce };
}

/** What a link in an attacker's mail or page does: a fresh load of the console in the officer's tab. */
async function followLink(page: Page, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
}

describe('the console accepts a token only from the sign-in it started (local sign-in)', () => {
  it("keeps the signed-in officer's session when a link carries someone else's token", async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    const officerToken = await signInLocally(page);
    expect(await page.locator('#signed-in-as').textContent()).toBe('Signed in as local-demo-officer');

    // The attacker's own, validly signed token, in a link to the console.
    const attackerToken = await session.stack.issuer.issue({ subject: 'attacker-b' });
    await followLink(page, `${consoleUrl()}#id_token=${attackerToken}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBe(officerToken);
    expect(page.url()).toBe(consoleUrl());
    expect(await page.locator('#signed-in-as').textContent()).toBe('Signed in as local-demo-officer');
    expect(await page.getByRole('heading', { level: 1, name: 'Request queue' }).isVisible()).toBe(true);

    // The same link followed within the open console (a fragment change, no reload).
    await page.evaluate((token) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = `id_token=${token}&state=guessed`;
    }, attackerToken);
    await expect.poll(() => page.url()).toBe(consoleUrl());
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBe(officerToken);
    expect(await page.locator('#signed-in-as').textContent()).toBe('Signed in as local-demo-officer');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("does not sign a signed-out visitor in with a link's token (login CSRF)", async () => {
    const page = await session.browser.newPage();
    const attackerToken = await session.stack.issuer.issue({ subject: 'attacker-b' });
    await page.goto(`${consoleUrl()}#id_token=${attackerToken}`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    expect(page.url()).toBe(consoleUrl());
    await page.close();
  });

  it('refuses a token whose state does not match the pending sign-in', async () => {
    const page = await session.browser.newPage();
    const { nonce } = await startLocalSignIn(page);
    const token = await session.stack.issuer.issue({ subject: 'attacker-b', nonce });
    await followLink(page, `${consoleUrl()}#id_token=${token}&state=not-the-pending-state`);
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    expect(page.url()).toBe(consoleUrl());
    await page.close();
  });

  it('refuses a token whose nonce is not the one the console sent, and spends the sign-in', async () => {
    const page = await session.browser.newPage();
    const { state, nonce } = await startLocalSignIn(page);
    const wrongNonce = await session.stack.issuer.issue({ subject: 'attacker-b', nonce: 'an-attackers-own-nonce-value' });
    await followLink(page, `${consoleUrl()}#id_token=${wrongNonce}&state=${state}`);
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    // Without a nonce claim at all (what `npm run officer-token` prints).
    await followLink(page, `${consoleUrl()}#id_token=${await session.stack.issuer.issue()}&state=${state}`);
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    // The state is spent: even the right token no longer signs in.
    const right = await session.stack.issuer.issue({ nonce });
    await followLink(page, `${consoleUrl()}#id_token=${right}&state=${state}`);
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    await page.close();
  });

  it('signs in end to end, back where the officer was, and the answer cannot be replayed', async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    await page.goto(`${consoleUrl()}#/dashboard`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    let answer = '';
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().includes('id_token=')) answer = frame.url();
    });
    await page.getByRole('button', { name: /sign in as the demo officer/i }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Dashboard' }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${consoleUrl()}#/dashboard`);
    const token = await storedToken(page);
    expect(token).toMatch(/^eyJ/);
    expect(answer).toMatch(/#id_token=eyJ[^&]+&state=/);

    // Signed out, the same answer again (from the history or a leaked link) signs no one in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await followLink(page, answer);
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the console in Cognito mode: code flow with PKCE, state and nonce only', () => {
  /**
   * Stands in for the hosted UI on this origin (so the console's `connect-src 'self'` allows the
   * token call): the authorize page sends the browser back with a code; the token endpoint checks
   * the PKCE verifier and answers an id token from the local issuer, which the local API accepts.
   */
  async function fakeCognito(page: Page, options: { nonce?: (sent: string) => string } = {}) {
    const seen = { authorize: [] as URL[], token: [] as URLSearchParams[] };
    await page.route('**/console/config', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          signIn: {
            kind: 'cognito',
            authorizeUrl: `${session.stack.apiUrl}/fake-cognito/oauth2/authorize`,
            tokenUrl: `${session.stack.apiUrl}/fake-cognito/oauth2/token`,
            logoutUrl: `${session.stack.apiUrl}/fake-cognito/logout`,
            clientId: 'console-client',
            redirectUri: consoleUrl(),
          },
        }),
      }),
    );
    const codes = new Map<string, { challenge: string; nonce: string }>();
    await page.route('**/fake-cognito/oauth2/authorize?**', async (route) => {
      const url = new URL(route.request().url());
      seen.authorize.push(url);
      const code = `code-${codes.size + 1}`;
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') ?? '' });
      await route.fulfill({
        status: 302,
        headers: { Location: `${url.searchParams.get('redirect_uri')}?code=${code}&state=${url.searchParams.get('state')}` },
      });
    });
    await page.route('**/fake-cognito/oauth2/token', async (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      seen.token.push(form);
      const issued = codes.get(form.get('code') ?? '');
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (!issued || challenge !== issued.challenge) return route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"invalid_grant"}' });
      codes.delete(form.get('code') ?? '');
      const nonce = options.nonce ? options.nonce(issued.nonce) : issued.nonce;
      const idToken = await session.stack.issuer.issue({ subject: 'cognito-officer-a', nonce });
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ id_token: idToken, access_token: 'unused', token_type: 'Bearer' }),
      });
    });
    return seen;
  }

  it('signs in with the code flow, then ignores a fragment token and a code it did not ask for', async () => {
    const page = await session.browser.newPage();
    const problems = watchProblems(page);
    const seen = await fakeCognito(page);
    await page.goto(consoleUrl());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Request queue' }).isVisible()).toBe(true);
    const authorize = seen.authorize[0]!;
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(page.url()).toBe(consoleUrl());
    const officerToken = await storedToken(page);
    expect(await page.locator('#signed-in-as').textContent()).toBe('Signed in as cognito-officer-a');

    // Cognito never answers with a token in the fragment (no implicit flow): such a link is an attack.
    const attackerToken = await session.stack.issuer.issue({ subject: 'attacker-b', nonce: authorize.searchParams.get('nonce')! });
    await followLink(page, `${consoleUrl()}#id_token=${attackerToken}&state=${authorize.searchParams.get('state')}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBe(officerToken);
    expect(page.url()).toBe(consoleUrl());

    // A code for the attacker's account (login CSRF): never exchanged, the session kept.
    await followLink(page, `${consoleUrl()}?code=attackers-code&state=guessed`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(ignored);
    expect(page.url()).toBe(consoleUrl());
    expect(seen.token).toHaveLength(1);
    expect(await storedToken(page)).toBe(officerToken);
    expect(await page.locator('#signed-in-as').textContent()).toBe('Signed in as cognito-officer-a');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("refuses an id token whose nonce is not the sign-in's", async () => {
    const page = await session.browser.newPage();
    await fakeCognito(page, { nonce: () => 'a-nonce-from-another-sign-in' });
    await page.goto(consoleUrl());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-reason').textContent()).toMatch(ignored);
    expect(await storedToken(page)).toBeNull();
    expect(page.url()).toBe(consoleUrl());
    await page.close();
  });
});

/** One raw HTTP request with exactly these headers (fetch would not send a Host of our choosing). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; location: string | undefined; text: string }> {
  const { port } = new URL(session.stack.apiUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, location: response.headers.location, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('the local sign-in answers only its own loopback origin', () => {
  const state = 'aaaaaaaaaaaaaaaaaaaaaa';
  const nonce = 'bbbbbbbbbbbbbbbbbbbbbb';
  const form = (fields: Record<string, string> = { state, nonce }) => new URLSearchParams(fields).toString();
  const formHeaders = (host: string, extra: Record<string, string> = {}) => ({ host, 'content-type': 'application/x-www-form-urlencoded', ...extra });
  const local = () => new URL(session.stack.apiUrl).host;
  const port = () => new URL(session.stack.apiUrl).port;

  it('refuses a DNS-rebinding Host on the page and on the sign-in itself', async () => {
    const evil = `evil.example:${port()}`;
    expect((await raw('GET', `/local-auth/sign-in?state=${state}&nonce=${nonce}`, { host: evil })).status).toBe(403);
    expect((await raw('GET', '/local-auth/sign-in', { host: 'evil.example' })).status).toBe(403);
    // The attacker's page is same-origin with itself: Origin and Host agree, both the attacker's.
    const posted = await raw('POST', '/local-auth/sign-in', formHeaders(evil, { origin: `http://${evil}`, 'sec-fetch-site': 'same-origin' }), form());
    expect(posted.status).toBe(403);
    expect(posted.location).toBeUndefined();
    expect((await raw('POST', '/local-auth/sign-in', formHeaders(evil), form())).status).toBe(403);
    // Names that only start or end like a loopback one.
    for (const host of [`localhost.evil.example:${port()}`, `127.0.0.1.nip.io:${port()}`, `evil.example@localhost:${port()}`]) {
      expect((await raw('GET', `/local-auth/sign-in?state=${state}&nonce=${nonce}`, { host })).status, host).toBe(403);
    }
  });

  it("refuses a POST from another origin, even another loopback port's", async () => {
    for (const origin of ['http://evil.example', `http://localhost:${Number(port()) + 1}`, 'null']) {
      const posted = await raw('POST', '/local-auth/sign-in', formHeaders(local(), { origin }), form());
      expect(posted.status, origin).toBe(403);
      expect(posted.location, origin).toBeUndefined();
    }
  });

  it('refuses a sign-in the console did not start (no state or nonce) and a foreign redirect', async () => {
    const page = await raw('GET', '/local-auth/sign-in', { host: local() });
    expect(page.status).toBe(400);
    expect(page.text).not.toMatch(/<form/);
    const incomplete: Record<string, string>[] = [{}, { state }, { nonce }, { state: 'short', nonce }, { state, nonce: 'x"><script>' }];
    for (const fields of incomplete) {
      const posted = await raw('POST', '/local-auth/sign-in', formHeaders(local(), { origin: `http://${local()}` }), form(fields));
      expect(posted.status, JSON.stringify(fields)).toBe(400);
      expect(posted.location).toBeUndefined();
    }
    for (const redirect of [
      'https://evil.example/console',
      `http://evil.example:${port()}/console`,
      `http://${local()}/admin/requests`,
      '//evil.example/console',
    ]) {
      const posted = await raw('POST', '/local-auth/sign-in', formHeaders(local()), form({ state, nonce, redirect_uri: redirect }));
      expect(posted.status, redirect).toBe(400);
      expect(posted.location).toBeUndefined();
    }
  });

  it('signs in from a loopback host and puts the nonce in the token', async () => {
    for (const host of [local(), `127.0.0.1:${port()}`, `[::1]:${port()}`, 'localhost']) {
      const page = await raw('GET', `/local-auth/sign-in?state=${state}&nonce=${nonce}&redirect_uri=${encodeURIComponent(`http://${host}/console`)}`, { host });
      expect(page.status, host).toBe(200);
      expect(page.text).toContain(`name="state" value="${state}"`);
    }
    const posted = await raw(
      'POST',
      '/local-auth/sign-in',
      formHeaders(local(), { origin: `http://${local()}`, 'sec-fetch-site': 'same-origin' }),
      form({ state, nonce, redirect_uri: `http://${local()}/console` }),
    );
    expect(posted.status).toBe(303);
    const location = new URL(posted.location ?? '', session.stack.apiUrl);
    expect(`${location.origin}${location.pathname}`).toBe(`${session.stack.apiUrl}/console`);
    const answer = new URLSearchParams(location.hash.slice(1));
    expect(answer.get('state')).toBe(state);
    const claims = await session.stack.issuer.verify(answer.get('id_token') ?? '');
    expect(claims?.nonce).toBe(nonce);
    expect(claims?.sub).toBe('local-demo-officer');
    // A curl-style POST (no Origin, no fetch metadata) from loopback still works.
    expect((await raw('POST', '/local-auth/sign-in', formHeaders(local()), form())).status).toBe(303);
    // The CLI's token carries no nonce: it is for the API, never for the console.
    expect((await session.stack.issuer.verify(await session.stack.issuer.issue()))?.nonce).toBeUndefined();
  });
});
