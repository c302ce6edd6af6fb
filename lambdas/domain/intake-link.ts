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

/**
 * A link to the request form for `email`: `<baseUrl>/#intake=<token>` (in the fragment, which
 * browsers never send to a server or in a Referer). Refuses an address the form would refuse.
 */
export function createIntakeLink(baseUrl: string, email: string, key: IntakeKey, ttlDays = 30, now: Date = new Date()): string {
  if (!Number.isFinite(ttlDays) || ttlDays <= 0) throw new RangeError('ttlDays must be a positive number of days');
  let address: string;
  try {
    address = parseEmailAddress(email).address;
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new InvalidEmailError(`Cannot make an intake link: ${error.message}`);
    throw error;
  }
  const token = signIntakeLink({ email: address, expiresAt: new Date(now.getTime() + ttlDays * 86_400_000) }, key);
  return `${baseUrl.replace(/\/+$/, '')}/#intake=${token}`;
}
