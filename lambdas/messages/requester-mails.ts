import type { Correction, RequestType, StoreOutcome } from '../domain/request.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import { renderMail, type MailBody } from './layout.ts';

const typeLabels: Record<RequestType, string> = {
  access: 'a copy of your personal data',
  amend: 'a correction of your personal data',
  delete: 'the deletion of your personal data',
  objection: 'an end to marketing messages',
};

const formatDate = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function verificationMail(input: { requestId: string; statusLink?: string; type: RequestType; link: string; expiresAt: string; dueAt: string }): MailBody {
  return renderMail({
    subject: 'Confirm your privacy request',
    heading: 'Please confirm your request',
    paragraphs: [
      `We received a request for ${typeLabels[input.type]}. To protect your data, we need to know that this mailbox is yours.`,
      `Open the link below and press "Confirm". The link works until ${formatDate(input.expiresAt)}.`,
      `Once confirmed, we will answer by ${formatDate(input.dueAt)} at the latest.`,
    ],
    action: { label: 'Confirm my request', url: input.link },
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function accessCompletedMail(input: { requestId: string; statusLink?: string; link: string; expiresAt: string; outcomes: readonly StoreOutcome[]; storeNames: Readonly<Record<string, string>> }): MailBody {
  return renderMail({
    subject: 'Your personal data is ready to download',
    heading: 'Your copy of your personal data is ready',
    paragraphs: [
      'We collected the personal data we hold about you from each of our systems. The download holds a machine-readable file (JSON) and a readable report that also says why we hold the data, who receives it, how long we keep it and where it came from.',
      `For your security the download link works until ${formatDate(input.expiresAt)}, and only from this email.`,
    ],
    action: { label: 'Download my data', url: input.link },
    details: input.outcomes.map((outcome) => `${input.storeNames[outcome.storeId] ?? outcome.storeId}: ${outcome.recordCount ?? 0} record(s)`),
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function rejectedMail(input: { requestId: string; statusLink?: string; type: RequestType; reason: string }): MailBody {
  return renderMail({
    subject: 'About your privacy request',
    heading: 'We could not carry out your request',
    paragraphs: [
      `We reviewed your request for ${typeLabels[input.type]} and could not carry it out, for this reason: ${input.reason}`,
      'You have the right to lodge a complaint with a data-protection supervisory authority, in particular in the country where you live or work, and the right to seek a judicial remedy.',
      'You are welcome to reply to this email if you think we made a mistake.',
    ],
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function amendCompletedMail(input: { requestId: string; statusLink?: string; corrections: readonly Correction[]; outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] }): MailBody {
  const nameOf = (storeId: string) => input.stores.find((store) => store.id === storeId)?.name ?? storeId;
  const changed = input.outcomes.filter((outcome) => outcome.status === 'succeeded');
  return renderMail({
    subject: 'Your personal data has been corrected',
    heading: 'We corrected your personal data',
    paragraphs: [
      `You asked us to correct: ${input.corrections.map((correction) => correction.field).join(', ')}. We made the change in every system that holds it, and told the companies we share it with (GDPR Art. 19).`,
      'Here is what changed where:',
    ],
    details: changed.map((outcome) =>
      outcome.note && outcome.updated === undefined
        ? `${nameOf(outcome.storeId)}: ${outcome.note}`
        : `${nameOf(outcome.storeId)}: ${plural(outcome.updated ?? 0, 'record')} updated${outcome.updated === 0 ? ' (already correct)' : ''}`,
    ),
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function deleteCompletedMail(input: { requestId: string; statusLink?: string; outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[]; backupDays: number }): MailBody {
  const lines = input.outcomes
    .filter((outcome) => outcome.status === 'succeeded')
    .map((outcome) => {
      const store = input.stores.find((candidate) => candidate.id === outcome.storeId);
      const name = store?.name ?? outcome.storeId;
      const parts: string[] = [];
      if (outcome.deleted) parts.push(`${plural(outcome.deleted, 'record')} deleted`);
      if (outcome.anonymized) parts.push(`${plural(outcome.anonymized, 'record')} anonymised (kept only as statistics, no longer linked to you)`);
      if (outcome.retained && store?.erasure.strategy === 'retain') {
        parts.push(`${plural(outcome.retained, 'record')} kept because ${store.erasure.legalBasis}, until ${store.erasure.retentionPeriod}, used for nothing else`);
      }
      if (parts.length === 0) parts.push(outcome.note ?? 'nothing held about you');
      return `${name}: ${parts.join('; ')}`;
    });
  return renderMail({
    subject: 'Your personal data has been deleted',
    heading: 'We deleted your personal data',
    paragraphs: [
      'We erased the personal data we held about you in every one of our systems, checked afterwards that it is gone, and told the companies we had shared it with (GDPR Art. 19).',
      `Copies in our backups cannot be changed one by one; they expire on their own within ${input.backupDays} days, and we never restore your data from them.`,
      'Here is what we did in each system:',
    ],
    details: lines,
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function objectionCompletedMail(input: { requestId: string; statusLink?: string; outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] }): MailBody {
  const nameOf = (storeId: string) => input.stores.find((store) => store.id === storeId)?.name ?? storeId;
  return renderMail({
    subject: 'You will no longer receive marketing from us',
    heading: 'We stopped all marketing to you',
    paragraphs: [
      'Your objection to direct marketing (GDPR Art. 21) is recorded. We switched off every marketing preference we hold for you and told the companies that send marketing on our behalf.',
      'We still send messages you need for the service itself, such as security notices and invoices.',
    ],
    details: input.outcomes.filter((outcome) => outcome.status === 'succeeded').map((outcome) => `${nameOf(outcome.storeId)}: marketing switched off`),
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function cancelledMail(input: { requestId: string; statusLink?: string; type: RequestType }): MailBody {
  return renderMail({
    subject: 'Your privacy request is cancelled',
    heading: 'You cancelled your request',
    paragraphs: [
      `As you asked, we stopped working on your request for ${typeLabels[input.type]}. Nothing more will happen with it.`,
      'You can make a new request at any time.',
    ],
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}

export function extensionMail(input: { requestId: string; statusLink?: string; type: RequestType; reason: string; previousDueAt: string; dueAt: string; policyLabel: string }): MailBody {
  return renderMail({
    subject: 'We need more time for your privacy request',
    heading: 'We need more time for your request',
    paragraphs: [
      `We are working on your request for ${typeLabels[input.type]}, and we need more time to complete it properly, for this reason: ${input.reason}`,
      `We will now answer by ${formatDate(input.dueAt)} at the latest, instead of ${formatDate(input.previousDueAt)}, as the law (${input.policyLabel}) allows.`,
    ],
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
  });
}
