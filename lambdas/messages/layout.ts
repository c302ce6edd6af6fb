import type { RequesterLanguage } from '../domain/languages.ts';
import { quotableText } from '../domain/untrusted-text.ts';
import { requesterTexts } from './requester-texts.ts';

/** Escapes text for HTML; everything a requester typed passes through here before it reaches a page or a mail. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface MailBody {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The organisation that answers requesters: operator settings (`organisationName`, `privacyNoticeUrl`, `privacyContact`). */
export interface Organisation {
  readonly name: string;
  readonly noticeUrl: string;
  readonly contact: string;
}

export interface MailParts {
  readonly subject: string;
  readonly heading: string;
  /** Paragraphs of plain text. */
  readonly paragraphs: readonly string[];
  readonly action?: { readonly label: string; readonly url: string };
  /** Plain-text lines after the action (a list, a footer). */
  readonly details?: readonly string[];
  /** Values someone outside the organisation typed, shown after the paragraphs inside a delimited block (see `QuotedBlock`). */
  readonly quoted?: QuotedBlock;
  /** The requester's status page (every requester mail links to it). */
  readonly statusLink?: string;
  readonly requestId: string;
  /** Who answers (the requester's mails): named in the footer with its privacy notice and contact. */
  readonly organisation?: Organisation;
  /** A sentence after the reference in the footer, for the one mail it fits (the verification mail's "ignore this"). */
  readonly footerNote?: string;
  /** The reader's language, for the mail's own words (link labels, footer); English by default. */
  readonly language?: RequesterLanguage;
}

/**
 * Text from outside (a data subject's corrections), quoted as data: a BEGIN line, one `label: value`
 * line per value, an END line. Each value goes through `quotableText` (domain/untrusted-text.ts)
 * here: with no line breaks left, a value cannot start a line of its own, so it cannot forge the
 * END marker or a line of ours. Labels are ours (a store's attribute names). In HTML the block is a <pre>, each value escaped and isolated (<bdi>)
 * so right-to-left text cannot reorder what stands around it.
 */
export interface QuotedBlock {
  readonly begin: string;
  readonly end: string;
  readonly lines: readonly { readonly label: string; readonly value: string }[];
}

/** One layout for every mail: a plain-text body and an HTML body that say the same thing. */
export function renderMail(parts: MailParts): MailBody {
  const language = parts.language ?? 'en';
  const { statusLink: statusLinkLabel, copyLink, footer: footerOf, colon, sentBy, privacyNotice, contact } = requesterTexts(language).layout;
  const organisation = parts.organisation;
  const footer = [footerOf(parts.requestId), parts.footerNote].filter(Boolean).join(' ');
  const quoted = parts.quoted && { ...parts.quoted, lines: parts.quoted.lines.map((line) => ({ label: line.label, value: quotableText(line.value) })) };
  const text = [
    parts.heading,
    '',
    ...parts.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(quoted ? [quoted.begin, ...quoted.lines.map((line) => `${line.label}: ${line.value}`), quoted.end, ''] : []),
    ...(parts.action ? [`${parts.action.label}${colon}${parts.action.url}`, ''] : []),
    ...(parts.details?.length ? [...parts.details, ''] : []),
    ...(parts.statusLink ? [`${statusLinkLabel}${colon}${parts.statusLink}`, ''] : []),
    footer,
    ...(organisation ? [sentBy(organisation.name), `${privacyNotice}${colon}${organisation.noticeUrl}`, `${contact}${colon}${organisation.contact}`] : []),
  ].join('\n');
  const html = `<!doctype html><html lang="${language}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:40rem;margin:auto;padding:1rem">
<h1 style="font-size:1.3rem">${escapeHtml(parts.heading)}</h1>
${parts.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${quoted ? `<pre style="white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #9aa5b1;background:#f5f7fa;padding:.75rem;font-size:.9rem">${[escapeHtml(quoted.begin), ...quoted.lines.map((line) => `${escapeHtml(line.label)}: <bdi>${escapeHtml(line.value)}</bdi>`), escapeHtml(quoted.end)].join('\n')}</pre>` : ''}
${parts.action ? `<p><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:.6rem 1rem;border-radius:.4rem;text-decoration:none">${escapeHtml(parts.action.label)}</a></p>\n<p style="font-size:.85rem">${escapeHtml(copyLink)} ${escapeHtml(parts.action.url)}</p>` : ''}
${parts.details?.length ? `<ul>${parts.details.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
${parts.statusLink ? `<p>${escapeHtml(statusLinkLabel)}${escapeHtml(colon)}<a href="${escapeHtml(parts.statusLink)}">${escapeHtml(parts.statusLink)}</a></p>` : ''}
<p style="font-size:.8rem;color:#52606d">${escapeHtml(footer)}${
    organisation
      ? `<br>${escapeHtml(sentBy(organisation.name))}<br>${escapeHtml(privacyNotice)}${escapeHtml(colon)}<a href="${escapeHtml(organisation.noticeUrl)}">${escapeHtml(organisation.noticeUrl)}</a><br>${escapeHtml(contact)}${escapeHtml(colon)}<a href="mailto:${escapeHtml(organisation.contact)}">${escapeHtml(organisation.contact)}</a>`
      : ''
  }</p>
</body></html>`;
  return { subject: parts.subject, text, html };
}
