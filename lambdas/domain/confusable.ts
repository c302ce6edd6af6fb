import { domainToUnicode } from 'node:url';

/**
 * Whether an email address could pass for another one to a human eye, so that an officer should
 * look before data goes to it (review flag `confusable_address`). A small, explainable check, not
 * a full UTS #39 implementation:
 *
 * 1. NFKC differs from NFC: compatibility characters (fullwidth `ｊａｎｅ`, ligatures, superscripts,
 *    the Kelvin sign where NFC has not already folded it) render like other, plainer characters.
 * 2. Mixed scripts within the local part or within one label of the domain (IDN labels decoded;
 *    `例え.jp` is fine, a Japanese name under a Latin TLD):
 *    `jane.dоe` with a Cyrillic `о` among Latin letters. Han with Hiragana/Katakana (Japanese) or
 *    Hangul (Korean) counts as one script; digits and punctuation count as none.
 * 3. Latin letters that pass for other ASCII letters: dotless `ı`, long `ſ`.
 *
 * An address written wholly in one script (`иван@пример.рф`, `müller@example.de`) is not flagged.
 */
export function isConfusableAddress(address: string): boolean {
  const nfc = address.normalize('NFC');
  if (nfc.normalize('NFKC') !== nfc) return true;
  const at = nfc.lastIndexOf('@');
  const local = at >= 0 ? nfc.slice(0, at) : nfc;
  const domain = at >= 0 ? domainToUnicode(nfc.slice(at + 1).toLowerCase()) || nfc.slice(at + 1) : '';
  if (/[\u0131\u017F]/u.test(nfc) || /[\u0131\u017F]/u.test(domain)) return true;
  return scriptsOf(local).size > 1 || domain.split('.').some((label) => scriptsOf(label).size > 1);
}

const scripts: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

/** The scripts of the letters in `text` (letters of no listed script count as `Other`). */
export function scriptsOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(scripts.find(([, pattern]) => pattern.test(char))?.[0] ?? 'Other');
  }
  return found;
}
