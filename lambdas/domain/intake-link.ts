import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidEmailError, parseEmailAddress } from './email-address.ts';

/**
 * Signed "manage my data" links, which the organisation puts in its own emails so a person can
 * start a request for that address with the form pre-filled. The token is
 * `<base64url JSON {e: email, x: expiry in unix seconds}>.<base64url HMAC-SHA256 of the first part>`.
 *
 * A link only pre-fills the form: the request it starts is still verified through the mailbox
 * like any other, so a leaked link reveals one address and grants nothing.
 */
export interface IntakeLinkClaims {
  readonly email: string;
  readonly expiresAt: Date;
}

export type IntakeKey = string | Buffer;

const signature = (payload: string, key: IntakeKey) => createHmac('sha256', key).update(payload, 'utf8').digest();

export function signIntakeLink(claims: IntakeLinkClaims, key: IntakeKey): string {
  const payload = Buffer.from(JSON.stringify({ e: claims.email, x: Math.floor(claims.expiresAt.getTime() / 1000) }), 'utf8').toString('base64url');
  return `${payload}.${signature(payload, key).toString('base64url')}`;
}

const tokenPattern = /^([A-Za-z0-9_-]{8,1024})\.([A-Za-z0-9_-]{43})$/;

/** The address of a genuine, unexpired link; undefined for anything else (no reason given: nothing to learn from). */
export function verifyIntakeLink(token: unknown, key: IntakeKey, now: Date = new Date()): { email: string } | undefined {
  if (typeof token !== 'string') return undefined;
  const match = tokenPattern.exec(token);
  if (!match) return undefined;
  const [, payload, mac] = match as unknown as [string, string, string];
  const expected = signature(payload, key);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: { e?: unknown; x?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { e?: unknown; x?: unknown };
  } catch {
    return undefined;
  }
  if (typeof claims.e !== 'string' || typeof claims.x !== 'number' || claims.x * 1000 <= now.getTime()) return undefined;
  return { email: claims.e };
}

/** The longest an intake link lives: it goes into the organisation's mails, which are kept for years. */
export const maxIntakeLinkDays = 365;

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the form is: an https URL (plain http only to this machine, for the local stack), with
 * nothing after the host but an optional path: no credentials, query or fragment, which would
 * change where the link leads or what the form receives. Answers it without a trailing slash.
 */
export function parseIntakeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`The base URL ${JSON.stringify(baseUrl)} is not a URL; give one like https://privacy.example.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname))) {
    throw new RangeError(`The base URL must use https (plain http only to localhost), not ${JSON.stringify(url.protocol)}`);
  }
  if (url.username || url.password || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new RangeError('The base URL may hold a path after the host, but no credentials, query or fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * A link to the request form for `email`: `<baseUrl>/#intake=<token>` (in the fragment, which
 * browsers never send to a server or in a Referer). Refuses an address the form would refuse, a
 * base URL `parseIntakeBaseUrl` refuses, and a lifetime that is not 1 to 365 whole days.
 */
export function createIntakeLink(baseUrl: string, email: string, key: IntakeKey, ttlDays = 30, now: Date = new Date()): string {
  if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > maxIntakeLinkDays)
    throw new RangeError(`The lifetime must be a whole number of days from 1 to ${maxIntakeLinkDays}`);
  const base = parseIntakeBaseUrl(baseUrl);
  let address: string;
  try {
    address = parseEmailAddress(email).address;
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new InvalidEmailError(`Cannot make an intake link: ${error.message}`);
    throw error;
  }
  const token = signIntakeLink({ email: address, expiresAt: new Date(now.getTime() + ttlDays * 86_400_000) }, key);
  return `${base}/#intake=${token}`;
}
