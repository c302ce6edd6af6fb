import { describe, expect, it } from 'vitest';
import { InvalidEmailError, parseEmailAddress } from '../../lambdas/domain/email-address.ts';

describe('email addresses', () => {
  it('keeps the address as typed for sending and lower-cases only the domain to compare', () => {
    expect(parseEmailAddress('  Jane.Doe@Example.COM ')).toEqual({ address: 'Jane.Doe@Example.COM', canonical: 'Jane.Doe@example.com' });
  });

  it('encodes international domains with IDNA', () => {
    expect(parseEmailAddress('anna@bücher.example').canonical).toBe('anna@xn--bcher-kva.example');
  });

  it('treats composed and decomposed accents as the same address', () => {
    const composed = parseEmailAddress('ren\u00e9@example.com');
    const decomposed = parseEmailAddress('rene\u0301@example.com');
    expect(decomposed.canonical).toBe(composed.canonical);
  });

  it('refuses anything that could inject a mail header or a second recipient', () => {
    for (const bad of ['jane@example.com\r\nBcc: x@example.org', 'jane@example.com,x@example.org', '<jane@example.com>', 'jane doe@example.com', 'jane\u0000@example.com']) {
      expect(() => parseEmailAddress(bad)).toThrow(InvalidEmailError);
    }
  });

  it('refuses addresses without a proper domain', () => {
    for (const bad of ['', 'jane', 'jane@', '@example.com', 'jane@localhost', 'jane@example..com']) {
      expect(() => parseEmailAddress(bad)).toThrow(InvalidEmailError);
    }
  });

});
