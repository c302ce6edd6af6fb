import type { Correction, RequestType, StoreOutcome } from '../domain/request.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import { renderMail, type MailBody, type MailParts } from './layout.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { counted, formatDate, requesterTexts, type RequesterTexts } from './requester-texts.ts';

/** What every requester mail knows: the request, its status page, and the request's language (`locale`). */
interface RequesterMail {
  readonly requestId: string;
  readonly statusLink?: string;
  /** The request's locale (`fr`, `de-AT`); mails are in that language when we write it, else English. */
  readonly locale?: string;
}

/** Picks the texts for the request's language, and renders its mail with the shared parts filled in. */
function compose(input: RequesterMail, build: (texts: RequesterTexts, date: (iso: string) => string) => Omit<MailParts, 'requestId' | 'statusLink' | 'language'>): MailBody {
  const language = requesterLanguageOf(input.locale);
  const texts = requesterTexts(language);
  return renderMail({
    ...build(texts, (iso) => formatDate(iso, texts.locale)),
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
    language,
  });
}

const succeeded = (outcomes: readonly StoreOutcome[]) => outcomes.filter((outcome) => outcome.status === 'succeeded');

const storeName = (stores: readonly StoreDefinition[], storeId: string) => stores.find((store) => store.id === storeId)?.name ?? storeId;

/** A processor's part an officer did by hand says so after its result: it is not the processor's own answer. */
const withHandling = (texts: RequesterTexts, outcome: StoreOutcome, line: string) => (outcome.completedBy === 'officer' ? `${line} (${texts.handledByHand.mailLine})` : line);

export function verificationMail(input: RequesterMail & { type: RequestType; link: string; expiresAt: string; dueAt: string }): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.verification.subject,
    heading: texts.verification.heading,
    paragraphs: [texts.verification.received(texts.requestTypes[input.type]), texts.verification.openLink(date(input.expiresAt)), texts.verification.answerBy(date(input.dueAt))],
    action: { label: texts.verification.action, url: input.link },
  }));
}

export function accessCompletedMail(input: RequesterMail & { link: string; expiresAt: string; outcomes: readonly StoreOutcome[]; storeNames: Readonly<Record<string, string>> }): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.accessCompleted.subject,
    heading: texts.accessCompleted.heading,
    paragraphs: [texts.accessCompleted.collected, texts.accessCompleted.linkValid(date(input.expiresAt))],
    action: { label: texts.accessCompleted.action, url: input.link },
    details: input.outcomes.map((outcome) =>
      withHandling(texts, outcome, `${input.storeNames[outcome.storeId] ?? outcome.storeId}${texts.layout.colon}${counted(texts.accessCompleted.records, outcome.recordCount ?? 0, texts.locale)}`),
    ),
  }));
}

export function rejectedMail(input: RequesterMail & { type: RequestType; reason: string }): MailBody {
  return compose(input, (texts) => ({
    subject: texts.rejected.subject,
    heading: texts.rejected.heading,
    paragraphs: [texts.rejected.reason(texts.requestTypes[input.type], input.reason), texts.rejected.rights, texts.rejected.reply],
  }));
}

export function amendCompletedMail(input: RequesterMail & { corrections: readonly Correction[]; outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] }): MailBody {
  return compose(input, (texts) => ({
    subject: texts.amendCompleted.subject,
    heading: texts.amendCompleted.heading,
    paragraphs: [texts.amendCompleted.asked(input.corrections.map((correction) => texts.fields[correction.field] ?? correction.field).join(', ')), texts.amendCompleted.whatChanged],
    details: succeeded(input.outcomes).map((outcome) =>
      withHandling(
        texts,
        outcome,
        outcome.note && outcome.updated === undefined
          ? `${storeName(input.stores, outcome.storeId)}${texts.layout.colon}${outcome.note}`
          : `${storeName(input.stores, outcome.storeId)}${texts.layout.colon}${counted(texts.amendCompleted.updated, outcome.updated ?? 0, texts.locale)}${outcome.updated === 0 ? texts.amendCompleted.alreadyCorrect : ''}`,
      ),
    ),
  }));
}

export function deleteCompletedMail(input: RequesterMail & { outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[]; backupDays: number }): MailBody {
  return compose(input, (texts) => {
    const words = texts.deleteCompleted;
    const lines = succeeded(input.outcomes).map((outcome) => {
      const store = input.stores.find((candidate) => candidate.id === outcome.storeId);
      const parts: string[] = [];
      if (outcome.deleted) parts.push(counted(words.deleted, outcome.deleted, texts.locale));
      if (outcome.anonymized) parts.push(counted(words.anonymized, outcome.anonymized, texts.locale));
      if (outcome.retained && store?.erasure.strategy === 'retain') {
        parts.push(`${counted(words.retained, outcome.retained, texts.locale)}${words.retainedWhy(store.erasure.legalBasis, store.erasure.retentionPeriod)}`);
      }
      if (parts.length === 0) parts.push(outcome.note ?? words.nothingHeld);
      return withHandling(texts, outcome, `${store?.name ?? outcome.storeId}${texts.layout.colon}${parts.join('; ')}`);
    });
    return { subject: words.subject, heading: words.heading, paragraphs: [words.erased, words.backups(input.backupDays), words.perSystem], details: lines };
  });
}

export function objectionCompletedMail(input: RequesterMail & { outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] }): MailBody {
  return compose(input, (texts) => ({
    subject: texts.objectionCompleted.subject,
    heading: texts.objectionCompleted.heading,
    paragraphs: [texts.objectionCompleted.recorded, texts.objectionCompleted.stillSent],
    details: succeeded(input.outcomes).map((outcome) => withHandling(texts, outcome, `${storeName(input.stores, outcome.storeId)}${texts.layout.colon}${texts.objectionCompleted.switchedOff}`)),
  }));
}

export function cancelledMail(input: RequesterMail & { type: RequestType }): MailBody {
  return compose(input, (texts) => ({
    subject: texts.cancelled.subject,
    heading: texts.cancelled.heading,
    paragraphs: [texts.cancelled.stopped(texts.requestTypes[input.type]), texts.cancelled.newRequest],
  }));
}

export function extensionMail(input: RequesterMail & { type: RequestType; reason: string; previousDueAt: string; dueAt: string; policyLabel: string }): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.extension.subject,
    heading: texts.extension.heading,
    paragraphs: [texts.extension.working(texts.requestTypes[input.type], input.reason), texts.extension.newDate(date(input.dueAt), date(input.previousDueAt), input.policyLabel)],
  }));
}
