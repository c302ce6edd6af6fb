/**
 * Checks an S3 call's AWS Signature Version 4 as S3 does: the Authorization header
 * (`AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`), or a presigned URL's
 * `X-Amz-*` query parameters, recomputed with the secret of the access key named, plus the
 * clock: a header-signed call at most 15 minutes off, a presigned URL only until it expires.
 *
 * The local S3 emulator (fauxqs) checks no signature at all; this is what makes an export locally,
 * as in AWS, readable only through a link the download function signed, and only for its lifetime.
 * S3 rules only: the canonical path is the path as sent (S3 neither normalizes nor re-encodes it).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpCall } from './deployed/aws-call-actions.ts';
import type { Decision } from './deployed/policy-evaluator.ts';

export type SignatureCheck =
  | { readonly valid: true; readonly accessKeyId: string }
  | { readonly valid: false; readonly unknownKey?: true; readonly reason: string };

/** AWS's own limits: a week for a presigned URL, 15 minutes of clock skew for a signed request. */
const maxPresignedSeconds = 604_800;
const maxSkewMs = 15 * 60 * 1000;

interface Signed {
  readonly accessKeyId: string;
  readonly scope: readonly string[];
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly longDate: string;
  readonly payloadHash: string;
  readonly presignedSeconds?: number;
}

const header = (call: HttpCall, name: string): string | undefined => call.headers[name.toLowerCase()];

/** `secretOf` answers the secret access key of a key id, or undefined for a key this endpoint does not know. */
export function checkS3Signature(call: HttpCall, secretOf: (accessKeyId: string) => string | undefined, now: Date = new Date()): SignatureCheck {
  const refuse = (reason: string): SignatureCheck => ({ valid: false, reason });
  // URLSearchParams reads '+' as a space; SigV4 clients send '+' as %2B, so every value comes out as it was signed.
  const query = [...call.query];
  const authorization = header(call, 'authorization');
  const presigned = query.some(([name]) => name === 'X-Amz-Signature' || name === 'X-Amz-Credential');
  if (authorization === undefined && !presigned) return refuse('the request is not signed (no SigV4 Authorization header and no X-Amz-Signature parameter)');
  const signed = authorization !== undefined ? fromHeader(call, authorization) : fromQuery(query);
  if (typeof signed === 'string') return refuse(signed);

  const [shortDate, region, service, terminator] = signed.scope;
  if (
    signed.scope.length !== 4 ||
    terminator !== 'aws4_request' ||
    service !== 's3' ||
    !region ||
    !/^\d{8}T\d{6}Z$/.test(signed.longDate) ||
    signed.longDate.slice(0, 8) !== shortDate
  ) {
    return refuse('the credential scope is not <date>/<region>/s3/aws4_request for the signing date');
  }
  const signedAt = Date.parse(
    `${signed.longDate.slice(0, 4)}-${signed.longDate.slice(4, 6)}-${signed.longDate.slice(6, 8)}T${signed.longDate.slice(9, 11)}:${signed.longDate.slice(11, 13)}:${signed.longDate.slice(13, 15)}Z`,
  );
  if (Number.isNaN(signedAt)) return refuse('the signing date is not a date');
  if (signed.presignedSeconds === undefined) {
    if (Math.abs(now.getTime() - signedAt) > maxSkewMs) return refuse('the request was signed more than 15 minutes from now');
  } else {
    if (signedAt - now.getTime() > maxSkewMs) return refuse('the URL is signed for a time still to come');
    if (now.getTime() > signedAt + signed.presignedSeconds * 1000) return refuse('Request has expired');
  }

  const secret = secretOf(signed.accessKeyId);
  if (secret === undefined) return { valid: false, unknownKey: true, reason: `access key ${signed.accessKeyId} is not one of this endpoint's` };

  const canonicalHeaders: string[] = [];
  for (const name of signed.signedHeaders) {
    const value = header(call, name);
    if (value === undefined) return refuse(`the signed header ${name} is missing`);
    canonicalHeaders.push(
      `${name}:${value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim()}\n`,
    );
  }
  if (!signed.signedHeaders.includes('host')) return refuse('the host header is not signed');
  const canonicalQuery = query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [escapeUri(name), escapeUri(value)] as const)
    .sort(([a, aValue], [b, bValue]) => (a === b ? (aValue < bValue ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [call.method, call.path, canonicalQuery, canonicalHeaders.join(''), signed.signedHeaders.join(';'), signed.payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', signed.longDate, signed.scope.join('/'), sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(shortDate!).digest();
  for (const part of [region, service, terminator]) key = createHmac('sha256', key).update(part!).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(signed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refuse('The request signature we calculated does not match the signature you provided');
  // A signed body hash must be the body's (S3: XAmzContentSHA256Mismatch); streaming and unsigned payloads name no hash.
  if (/^[0-9a-f]{64}$/.test(signed.payloadHash) && sha256Hex(call.body) !== signed.payloadHash)
    return refuse('the body does not match its signed x-amz-content-sha256');
  return { valid: true, accessKeyId: signed.accessKeyId };
}

/**
 * A signature check as the IAM proxy's decision. A call signed wrongly, too late or not at all is
 * S3's AccessDenied with the reason (the proxy's `unsigned` answer); an unknown key InvalidAccessKeyId.
 */
export function signatureDecision(check: SignatureCheck): Decision {
  if (check.valid) return { allowed: true, action: 's3:*', resource: '*', reason: 'the call is validly signed', principal: check.accessKeyId };
  return { allowed: false, action: 's3:*', resource: '*', reason: check.reason, unrecognized: check.unknownKey ? 'unknown-access-key' : 'unsigned' };
}

function fromHeader(call: HttpCall, authorization: string): Signed | string {
  const match = /^AWS4-HMAC-SHA256 (.+)$/.exec(authorization.trim());
  if (!match) return 'only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted';
  const parts = new Map(
    match[1]!.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature))
    return 'the Authorization header lacks Credential, SignedHeaders or a Signature';
  const longDate = header(call, 'x-amz-date');
  if (!longDate) return 'a signed request needs an x-amz-date header';
  const payloadHash = header(call, 'x-amz-content-sha256');
  if (!payloadHash) return 'a signed S3 request needs an x-amz-content-sha256 header';
  const [accessKeyId, ...scope] = credential.split('/');
  return { accessKeyId: accessKeyId!, scope, signedHeaders: signedHeaders.split(';'), signature, longDate, payloadHash };
}

function fromQuery(query: readonly (readonly [string, string])[]): Signed | string {
  const get = (name: string) => query.find(([candidate]) => candidate === name)?.[1];
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'only AWS Signature Version 4 (X-Amz-Algorithm=AWS4-HMAC-SHA256) is accepted';
  const credential = get('X-Amz-Credential');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const longDate = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  if (!credential || !signedHeaders || !signature || !/^[0-9a-f]{64}$/.test(signature) || !longDate || !expires) {
    return 'a presigned URL needs X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature';
  }
  const seconds = /^\d{1,6}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!(seconds >= 1 && seconds <= maxPresignedSeconds)) return `X-Amz-Expires must be 1 to ${maxPresignedSeconds} seconds`;
  const [accessKeyId, ...scope] = credential.split('/');
  return {
    accessKeyId: accessKeyId!,
    scope,
    signedHeaders: signedHeaders.split(';'),
    signature,
    longDate,
    payloadHash: get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    presignedSeconds: seconds,
  };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
