import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Link tokens: `<requestId>.<secret>`. The request id selects the record (so no index on token
 * hashes is needed); the secret is 256 random bits, stored only as its SHA-256 hash. Consuming a
 * token is a conditional write on that hash, so only one of many concurrent uses can win.
 */
export interface IssuedToken {
  /** Goes into the link, and nowhere else. */
  readonly token: string;
  /** Goes into the database. */
  readonly hash: string;
}

const secretBytes = 32;

export function issueToken(requestId: string): IssuedToken {
  const secret = randomBytes(secretBytes).toString('base64url');
  return { token: `${requestId}.${secret}`, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export interface ParsedToken {
  readonly requestId: string;
  readonly hash: string;
}

const tokenPattern = /^(req_[A-Za-z0-9_-]{10,64})\.([A-Za-z0-9_-]{43})$/;

/** Returns undefined for anything that cannot be one of our tokens. */
export function parseToken(token: unknown): ParsedToken | undefined {
  if (typeof token !== 'string') return undefined;
  const match = tokenPattern.exec(token);
  if (!match) return undefined;
  return { requestId: match[1]!, hash: hashSecret(match[2]!) };
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Request ids: sortable by time, 80 random bits, safe in URLs and execution names. */
export function newRequestId(now: Date = new Date()): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  return `req_${time}${randomBytes(10).toString('base64url')}`;
}
