import { describe, expect, it } from 'vitest';
import { isConfusableAddress, scriptsOf } from '../../lambdas/domain/confusable.ts';
import { parseEmailAddress } from '../../lambdas/domain/email-address.ts';

describe('confusable addresses', () => {
  it.each([
    ['jane.doe@example.com'],
    ['Jane.Doe@EXAMPLE.com'],
    ['lukas.müller@example.de'],
    ['иван@пример.рф'],
    ['jane@xn--mller-kva.de'],
    ['山田@例え.jp'],
    ['やまだ.山田@example.jp'],
  ])('lets %s through: one script, no look-alikes', (address) => {
    expect(isConfusableAddress(parseEmailAddress(address).address)).toBe(false);
  });

  it.each([
    ['jane.d\u043Ee@example.com', 'a Cyrillic o among Latin letters'],
    ['jane.doe@ex\u0430mple.com', 'a Cyrillic a in the domain'],
    ['jane.doe@xn--exmple-4nf.com', 'the same, IDNA-encoded'],
    ['\uFF4A\uFF41\uFF4E\uFF45@example.com', 'fullwidth letters (NFKC differs)'],
    ['jane.doe@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com', 'a fullwidth domain'],
    ['jane.d\u0131e@example.com', 'a dotless i'],
    ['\u017Fam@example.com', 'a long s'],
    ['\u03B1lice@example.com', 'a Greek alpha among Latin letters'],
  ])('flags %s: %s', (address) => {
    expect(isConfusableAddress(address)).toBe(true);
  });

  it('never matches a look-alike to the real subject, and keeps what was typed for mail', () => {
    const real = parseEmailAddress('jane.doe@example.com');
    expect(parseEmailAddress('jane.doe@EXAMPLE.com').canonical).toBe(real.canonical);
    expect(parseEmailAddress('jane.doe@EXAMPLE.com').address).toBe('jane.doe@EXAMPLE.com');
    expect(parseEmailAddress('jane.d\u043Ee@example.com').canonical).not.toBe(real.canonical);
    expect(parseEmailAddress('\uFF4A\uFF41\uFF4E\uFF45.doe@example.com').canonical).not.toBe(real.canonical);
    // NFD and NFC spell one address
    expect(parseEmailAddress('lukas.mu\u0308ller@example.com').canonical).toBe(parseEmailAddress('lukas.m\u00FCller@example.com').canonical);
    // The Kelvin sign is canonically K: NFC folds it, so it compares as the ASCII letter
    expect(parseEmailAddress('\u212Aate@example.com').canonical).toBe('Kate@example.com');
  });

  it('counts the scripts of letters only', () => {
    expect([...scriptsOf('jane.doe+1')]).toEqual(['Latin']);
    expect([...scriptsOf('jane.d\u043Ee')].sort()).toEqual(['Cyrillic', 'Latin']);
    expect(scriptsOf('123-_.').size).toBe(0);
  });
});
