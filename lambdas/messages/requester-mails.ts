import type { RequestType, StoreOutcome } from '../domain/request.ts';
import { renderMail, type MailBody } from './layout.ts';

const typeLabels: Record<RequestType, string> = {
  access: 'a copy of your personal data',
  amend: 'a correction of your personal data',
  delete: 'the deletion of your personal data',
};

const formatDate = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function verificationMail(input: { requestId: string; type: RequestType; link: string; expiresAt: string; dueAt: string }): MailBody {
  return renderMail({
    subject: 'Confirm your privacy request',
    heading: 'Please confirm your request',
    paragraphs: [
      `We received a request for ${typeLabels[input.type]}. To protect your data, we need to know that this mailbox is yours.`,
      `Open the link below and press "Confirm". The link works until ${formatDate(input.expiresAt)}.`,
      `Once confirmed, we will answer by ${formatDate(input.dueAt)} at the latest.`,
    ],
    action: { label: 'Confirm my request', url: input.link },
    requestId: input.requestId,
  });
}

export function accessCompletedMail(input: { requestId: string; link: string; expiresAt: string; outcomes: readonly StoreOutcome[]; storeNames: Readonly<Record<string, string>> }): MailBody {
  return renderMail({
    subject: 'Your personal data is ready to download',
    heading: 'Your copy of your personal data is ready',
    paragraphs: [
      'We collected the personal data we hold about you from each of our systems. The download holds a machine-readable file (JSON) and a readable report that also says why we hold the data, who receives it, how long we keep it and where it came from.',
      `For your security the download link works until ${formatDate(input.expiresAt)}, and only from this email.`,
    ],
    action: { label: 'Download my data', url: input.link },
    details: input.outcomes.map((outcome) => `${input.storeNames[outcome.storeId] ?? outcome.storeId}: ${outcome.recordCount ?? 0} record(s)`),
    requestId: input.requestId,
  });
}

export function rejectedMail(input: { requestId: string; type: RequestType; reason: string }): MailBody {
  return renderMail({
    subject: 'About your privacy request',
    heading: 'We could not carry out your request',
    paragraphs: [
      `We reviewed your request for ${typeLabels[input.type]} and could not carry it out, for this reason: ${input.reason}`,
      'You have the right to lodge a complaint with a data-protection supervisory authority, in particular in the country where you live or work, and the right to seek a judicial remedy.',
      'You are welcome to reply to this email if you think we made a mistake.',
    ],
    requestId: input.requestId,
  });
}
