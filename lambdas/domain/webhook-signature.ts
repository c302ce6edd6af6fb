import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of webhook requests and callbacks exchanged with processors (both directions use the
 * store's shared key). The header reads `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`:
 * the timestamp is inside the MAC, so a captured request cannot be replayed outside the tolerance
 * window, and the MAC covers the exact bytes sent, so the receiver must verify before parsing.
 */
export const signatureHeader = 'x-dsr-signature';
/** Carries the request id beside the body, so a processor can route or deduplicate before parsing. */
export const requestIdHeader = 'x-dsr-request-id';

/** How far a signature's timestamp may be from the receiver's clock, either way. */
export const defaultToleranceSeconds = 300;

/** Longest header accepted: one timestamp and a few v1 values (key rotation), no more. */
const maxHeaderLength = 512;
const timestampPattern = /^\d{1,12}$/;
const hexMacPattern = /^[0-9a-f]{64}$/;

function mac(secret: string, rawBody: string, timestampSeconds: number): Buffer {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest();
}

export function signWebhook(secret: string, rawBody: string, timestampSeconds: number): string {
  if (!secret) throw new Error('A webhook signing secret is required');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new Error('The timestamp must be whole seconds');
  return `t=${timestampSeconds},v1=${mac(secret, rawBody, timestampSeconds).toString('hex')}`;
}

interface ParsedSignature {
  readonly timestamp: number;
  readonly macs: readonly Buffer[];
}

/** Undefined for anything that is not exactly `t=<digits>` and one or more `v1=<64 hex>`, comma-separated. */
function parseSignatureHeader(header: string): ParsedSignature | undefined {
  if (header.length > maxHeaderLength) return undefined;
  let timestamp: number | undefined;
  const macs: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return undefined;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (timestamp !== undefined || !timestampPattern.test(value)) return undefined;
      timestamp = Number(value);
    } else if (name === 'v1') {
      if (!hexMacPattern.test(value)) return undefined;
      macs.push(Buffer.from(value, 'hex'));
    } else {
      return undefined;
    }
  }
  if (timestamp === undefined || macs.length === 0) return undefined;
  return { timestamp, macs };
}

/**
 * True only for a well-formed header whose timestamp is within `toleranceSeconds` of now and whose
 * MAC (any of the v1 values, so a sender may sign with an old and a new key while rotating)
 * matches the raw body. Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  header: string | undefined | null,
  nowSeconds: number,
  toleranceSeconds: number = defaultToleranceSeconds,
): boolean {
  if (!secret || typeof header !== 'string') return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const expected = mac(secret, rawBody, parsed.timestamp);
  let matched = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (const candidate of parsed.macs) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}
