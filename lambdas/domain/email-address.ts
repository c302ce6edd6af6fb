import { domainToASCII } from 'node:url';

/**
 * Email addresses in two forms: the address as the requester typed it (trimmed, NFC), to which
 * mail is sent, and a canonical form used only to compare and to match data stores: the domain
 * lower-cased and IDNA-encoded. The local part stays as typed (RFC 5321 lets it be case
 * sensitive), but is NFC-normalised so that visually identical input compares equal.
 */
export interface EmailAddress {
  /** What we send mail to: exactly what the requester typed, trimmed and NFC-normalised. */
  readonly address: string;
  /** What we compare and look up by. */
  readonly canonical: string;
  /**
   * The mailbox the address delivers to, for limits and duplicate submissions: the canonical form
   * with the local part case-folded and any `+tag` dropped. Every provider we know treats those
   * spellings as one mailbox; where one does not, counting them together only makes a limit
   * stricter for that person, never lets a flood through. Never used to send mail or match data.
   */
  readonly mailbox: string;
}

const maxLength = 254;
// Printable characters only in the local part: no whitespace, no control characters, no quotes
// or angle brackets that could smuggle a second address or a header into a mail.
const localPartPattern = /^[^\s@"<>()[\]\\,;:\p{Cc}\p{Cf}]+$/u;
const asciiDomainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError';
}

/**
 * Characters that render as nothing (soft hyphen, zero-width space and joiners, the combining
 * grapheme joiner, variation selectors, bidi controls...): IDNA would silently drop them from a
 * domain, so `jane@exa\u00ADmple.com` would match Jane's records while looking like another
 * address. Refused anywhere in an address.
 */
const invisible = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/u;

export function parseEmailAddress(input: string): EmailAddress {
  const address = input.trim().normalize('NFC');
  if (address.length === 0) throw new InvalidEmailError('An email address is required');
  if (invisible.test(address)) throw new InvalidEmailError('The email address contains invisible or control characters: please type it again');
  if (address.length > maxLength) throw new InvalidEmailError(`An email address has at most ${maxLength} characters`);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new InvalidEmailError('An email address looks like name@example.com');
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (localPart.length > 64 || !localPartPattern.test(localPart) || localPart.startsWith('.') || localPart.endsWith('.') || localPart.includes('..')) {
    throw new InvalidEmailError('The part of the email address before the @ is not valid');
  }
  const asciiDomain = domainToASCII(domain.toLowerCase());
  if (!asciiDomain || !asciiDomainPattern.test(asciiDomain)) {
    throw new InvalidEmailError('The domain of the email address is not valid');
  }
  const canonical = `${localPart}@${asciiDomain}`;
  return { address, canonical, mailbox: mailboxOf(canonical) };
}

/** The mailbox of a canonical address (see EmailAddress.mailbox): also for requests already stored. */
export function mailboxOf(canonical: string): string {
  const at = canonical.lastIndexOf('@');
  return `${canonical.slice(0, at).split('+')[0]!.toLowerCase()}${canonical.slice(at)}`;
}
