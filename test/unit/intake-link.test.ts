import { describe, expect, it } from 'vitest';
import { createIntakeLink, signIntakeLink, verifyIntakeLink } from '../../lambdas/domain/intake-link.ts';

const key = 'k'.repeat(43);
const now = new Date('2026-11-23T10:00:00Z');

describe('intake links', () => {
  it('round-trips the address until the link expires', () => {
    const token = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date('2026-11-24T10:00:00Z') }, key);
    expect(verifyIntakeLink(token, key, now)).toEqual({ email: 'jane.doe@example.com' });
    expect(verifyIntakeLink(token, key, new Date('2026-11-24T10:00:00Z'))).toBeUndefined();
  });

  it('refuses another key, a changed payload, a changed signature and junk', () => {
    const token = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date('2026-12-24T10:00:00Z') }, key);
    expect(verifyIntakeLink(token, 'another-key', now)).toBeUndefined();
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ e: 'eve@example.com', x: 1_900_000_000 })).toString('base64url');
    expect(verifyIntakeLink(`${forged}.${mac}`, key, now)).toBeUndefined();
    expect(verifyIntakeLink(`${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, key, now)).toBeUndefined();
    for (const junk of [undefined, 42, '', 'abc', `${payload}.`, `.${mac}`, `${token}.x`]) expect(verifyIntakeLink(junk, key, now)).toBeUndefined();
  });

  it('makes a link to the form with the token in the fragment, 30 days by default', () => {
    const link = createIntakeLink('https://privacy.example.com/', ' jane.doe@example.com ', key, undefined, now);
    expect(link).toMatch(/^https:\/\/privacy\.example\.com\/#intake=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = link.split('#intake=')[1]!;
    expect(verifyIntakeLink(token, key, new Date('2026-12-23T09:59:00Z'))).toEqual({ email: 'jane.doe@example.com' });
    expect(verifyIntakeLink(token, key, new Date('2026-12-23T10:00:01Z'))).toBeUndefined();
  });

  it('refuses an address the form would refuse, and a non-positive lifetime', () => {
    expect(() => createIntakeLink('https://x.example', 'not-an-address', key)).toThrow(/intake link/);
    expect(() => createIntakeLink('https://x.example', 'jane.doe@example.com', key, 0)).toThrow(RangeError);
  });
});
