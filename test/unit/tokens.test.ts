import { describe, expect, it } from 'vitest';
import { hashesEqual, issueToken, newRequestId, parseToken } from '../../lambdas/domain/tokens.ts';

describe('link tokens', () => {
  const requestId = newRequestId(new Date('2026-11-23T10:00:00Z'));

  it('carries at least 128 random bits and is stored only as a hash', () => {
    const { token, hash } = issueToken(requestId);
    const secret = token.split('.')[1]!;
    expect(Buffer.from(secret, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(hash).not.toContain(secret);
    expect(parseToken(token)).toEqual({ requestId, hash });
  });

  it('never issues the same token twice', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => issueToken(requestId).token));
    expect(tokens.size).toBe(200);
  });

  it('refuses anything that is not one of our tokens', () => {
    for (const bad of [
      undefined,
      42,
      '',
      'abc',
      `${requestId}.`,
      `${requestId}.short`,
      `x${requestId}.${'a'.repeat(43)}`,
      `${requestId}.${'a'.repeat(43)}\n`,
    ]) {
      expect(parseToken(bad)).toBeUndefined();
    }
  });

  it('compares hashes of different lengths without throwing', () => {
    expect(hashesEqual('abc', 'abcd')).toBe(false);
    expect(hashesEqual('abc', 'abc')).toBe(true);
  });

  it('makes request ids that sort by time', () => {
    const earlier = newRequestId(new Date('2026-01-01T00:00:00Z'));
    const later = newRequestId(new Date('2026-06-01T00:00:00Z'));
    expect(earlier < later).toBe(true);
  });
});
