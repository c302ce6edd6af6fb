import { describe, expect, it } from 'vitest';
import { InvalidEmailError, parseEmailAddress } from '../../lambdas/domain/email-address.ts';

describe('email addresses', () => {
  it('keeps the address as typed for sending and lower-cases only the domain to compare', () => {
    expect(parseEmailAddress('  Jane.Doe@Example.COM ')).toEqual({
      address: 'Jane.Doe@Example.COM',
      canonical: 'Jane.Doe@example.com',
      mailbox: 'jane.doe@example.com',
    });
  });

  it("counts every spelling of one mailbox as that mailbox: the local part's case and a +tag", () => {
    const spellings = [
      'Flood.Victim@example.com',
      'flood.victim@example.com',
      'FLOOD.VICTIM@EXAMPLE.COM',
      'flood.victim+x1@example.com',
      'Flood.Victim+anything@Example.com',
    ];
    expect(new Set(spellings.map((spelling) => parseEmailAddress(spelling).mailbox))).toEqual(new Set(['flood.victim@example.com']));
    // Mail still goes exactly where it was typed.
    expect(parseEmailAddress('Flood.Victim+x1@example.com').address).toBe('Flood.Victim+x1@example.com');
  });

  it('refuses invisible and format characters anywhere, which IDNA would silently drop from a domain', () => {
    for (const hidden of ['\u00AD', '\u200B', '\u034F', '\uFE0F', '\u200D', '\u202E', '\u2060', '\uFEFF']) {
      expect(() => parseEmailAddress(`jane.doe@exa${hidden}mple.com`), JSON.stringify(hidden)).toThrow(/invisible/);
      expect(() => parseEmailAddress(`jane${hidden}.doe@example.com`), JSON.stringify(hidden)).toThrow(InvalidEmailError);
    }
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
    for (const bad of [
      'jane@example.com\r\nBcc: x@example.org',
      'jane@example.com,x@example.org',
      '<jane@example.com>',
      'jane doe@example.com',
      'jane\u0000@example.com',
    ]) {
      expect(() => parseEmailAddress(bad)).toThrow(InvalidEmailError);
    }
  });

  it('refuses addresses without a proper domain', () => {
    for (const bad of ['', 'jane', 'jane@', '@example.com', 'jane@localhost', 'jane@example..com']) {
      expect(() => parseEmailAddress(bad)).toThrow(InvalidEmailError);
    }
  });
});
