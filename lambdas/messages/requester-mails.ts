import type { Correction, RequestType, StoreOutcome } from '../domain/request.ts';
import { localizeStore, uncorrectedFields, type StoreDefinition } from '../domain/store-catalog.ts';
import { renderMail, type MailBody, type MailParts, type Organisation } from './layout.ts';
import { organisationName, privacyContact, privacyNoticeUrl, readSetting } from '../shared/settings.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { counted, formatDate, requesterTexts, type RequesterTexts } from './requester-texts.ts';

/** What every requester mail knows: the request, its status page, and the request's language (`locale`). */
interface RequesterMail {
  readonly requestId: string;
  readonly statusLink?: string;
  /** The request's locale (`fr`, `de-AT`); mails are in that language when we write it, else English. */
  readonly locale?: string;
}

/** Who answers, from the operator's settings: every requester mail's footer and the access report name it. */
export const organisationFromSettings = (): Organisation => ({
  name: readSetting(organisationName),
  noticeUrl: readSetting(privacyNoticeUrl),
  contact: readSetting(privacyContact),
});

/** Picks the texts for the request's language, and renders its mail with the shared parts filled in. */
function compose(
  input: RequesterMail,
  build: (texts: RequesterTexts, date: (iso: string) => string) => Omit<MailParts, 'requestId' | 'statusLink' | 'language' | 'organisation'>,
): MailBody {
  const language = requesterLanguageOf(input.locale);
  const texts = requesterTexts(language);
  return renderMail({
    ...build(texts, (iso) => formatDate(iso, texts.locale)),
    ...(input.statusLink ? { statusLink: input.statusLink } : {}),
    requestId: input.requestId,
    language,
    organisation: organisationFromSettings(),
  });
}

const succeeded = (outcomes: readonly StoreOutcome[]) => outcomes.filter((outcome) => outcome.status === 'succeeded');

/** The catalog's stores in the request's language, where the catalog gives it (names, legal bases, retention periods). */
const storesFor = (input: RequesterMail & { stores: readonly StoreDefinition[] }) =>
  input.stores.map((store) => localizeStore(store, requesterLanguageOf(input.locale)));

const storeName = (stores: readonly StoreDefinition[], storeId: string) => stores.find((store) => store.id === storeId)?.name ?? storeId;

/** A processor's part an officer did by hand says so after its result: it is not the processor's own answer. */
const withHandling = (texts: RequesterTexts, outcome: StoreOutcome, line: string) =>
  outcome.completedBy === 'officer' ? `${line} (${texts.handledByHand.mailLine})` : line;

/**
 * A store's detail line, then the officer's message to the requester about that store (if any) on
 * a labelled line of its own, as written. The officer's internal note is never shown: only this.
 * With no line of its own (`undefined`), the store is named on the message line alone.
 */
const withMessage = (texts: RequesterTexts, outcome: StoreOutcome, name: string, line: string | undefined): string[] => [
  ...(line === undefined ? [] : [line]),
  ...(outcome.messageToRequester ? [messageLine(texts, outcome, name, line === undefined)] : []),
];

const messageLine = (texts: RequesterTexts, outcome: StoreOutcome, name: string, alone: boolean) => {
  const line = `${name}${texts.layout.colon}${texts.layout.officerMessage}${texts.layout.colon}“${outcome.messageToRequester}”`;
  return alone ? withHandling(texts, outcome, line) : line;
};

/**
 * The verify page only has the link: the request's type rides in the fragment after the token
 * (`#t=<token>&type=delete`), so the page can say what is being confirmed without a server round trip.
 */
export function verifyLinkNaming(link: string, type: RequestType): string {
  return link.includes('#') ? `${link}&type=${type}` : link;
}

export function verificationMail(input: RequesterMail & { type: RequestType; link: string; expiresAt: string; dueAt: string }): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.verification.subject,
    heading: texts.verification.heading,
    paragraphs: [
      texts.verification.received(texts.requestTypes[input.type]),
      texts.verification.openLink(date(input.expiresAt)),
      texts.verification.answerBy(date(input.dueAt)),
    ],
    action: { label: texts.verification.action, url: verifyLinkNaming(input.link, input.type) },
    footerNote: texts.verification.notYou,
  }));
}

export function accessCompletedMail(
  input: RequesterMail & { link: string; expiresAt: string; outcomes: readonly StoreOutcome[]; storeNames: Readonly<Record<string, string>> },
): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.accessCompleted.subject,
    heading: texts.accessCompleted.heading,
    paragraphs: [texts.accessCompleted.collected, texts.accessCompleted.linkValid(date(input.expiresAt))],
    action: { label: texts.accessCompleted.action, url: input.link },
    details: input.outcomes.flatMap((outcome) =>
      withMessage(
        texts,
        outcome,
        input.storeNames[outcome.storeId] ?? outcome.storeId,
        withHandling(
          texts,
          outcome,
          `${input.storeNames[outcome.storeId] ?? outcome.storeId}${texts.layout.colon}${counted(texts.accessCompleted.records, outcome.recordCount ?? 0, texts.locale)}`,
        ),
      ),
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

export function amendCompletedMail(
  input: RequesterMail & { corrections: readonly Correction[]; outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] },
): MailBody {
  const stores = storesFor(input);
  // A system that keeps a corrected field as it was takes no part in the amendment: it is named, never hidden behind "everywhere".
  const keptAsItWas = uncorrectedFields(
    stores,
    input.corrections.map((correction) => correction.field),
  );
  return compose(input, (texts) => {
    const words = texts.amendCompleted;
    const fields = input.corrections.map((correction) => texts.fields[correction.field] ?? correction.field).join(', ');
    const result = (outcome: StoreOutcome) =>
      outcome.updated === undefined
        ? words.handledByStaff
        : `${counted(words.updated, outcome.updated, texts.locale)}${outcome.updated === 0 ? words.alreadyCorrect : ''}`;
    return {
      subject: words.subject,
      heading: words.heading,
      paragraphs: [keptAsItWas.length ? words.askedWithExceptions(fields) : words.asked(fields), words.whatChanged],
      details: [
        ...succeeded(input.outcomes).flatMap((outcome) => {
          const name = storeName(stores, outcome.storeId);
          // A person's message alone speaks for a store they handled without a count.
          const line =
            outcome.messageToRequester && outcome.updated === undefined
              ? undefined
              : withHandling(texts, outcome, `${name}${texts.layout.colon}${result(outcome)}`);
          return withMessage(texts, outcome, name, line);
        }),
        ...keptAsItWas.map((kept) => `${storeName(stores, kept.storeId)}${texts.layout.colon}${words.keptAsItWas(texts.fields[kept.field], kept.reason)}`),
      ],
    };
  });
}

export function deleteCompletedMail(
  input: RequesterMail & { outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[]; backupDays: number },
): MailBody {
  const stores = storesFor(input);
  return compose(input, (texts) => {
    const words = texts.deleteCompleted;
    const lines = succeeded(input.outcomes).flatMap((outcome) => {
      const store = stores.find((candidate) => candidate.id === outcome.storeId);
      const parts: string[] = [];
      if (outcome.deleted) parts.push(counted(words.deleted, outcome.deleted, texts.locale));
      if (outcome.anonymized) parts.push(counted(words.anonymized, outcome.anonymized, texts.locale));
      if (outcome.retained && store?.erasure.strategy === 'retain') {
        parts.push(`${counted(words.retained, outcome.retained, texts.locale)}${words.retainedWhy(store.erasure.legalBasis, store.erasure.retentionPeriod)}`);
      }
      if (parts.length === 0 && outcome.messageToRequester) return withMessage(texts, outcome, store?.name ?? outcome.storeId, undefined);
      if (parts.length === 0) parts.push(words.nothingHeld);
      return withMessage(
        texts,
        outcome,
        store?.name ?? outcome.storeId,
        withHandling(texts, outcome, `${store?.name ?? outcome.storeId}${texts.layout.colon}${parts.join('; ')}`),
      );
    });
    return { subject: words.subject, heading: words.heading, paragraphs: [words.erased, words.backups(input.backupDays), words.perSystem], details: lines };
  });
}

export function objectionCompletedMail(input: RequesterMail & { outcomes: readonly StoreOutcome[]; stores: readonly StoreDefinition[] }): MailBody {
  const stores = storesFor(input);
  return compose(input, (texts) => ({
    subject: texts.objectionCompleted.subject,
    heading: texts.objectionCompleted.heading,
    paragraphs: [texts.objectionCompleted.recorded, texts.objectionCompleted.stillSent],
    details: succeeded(input.outcomes).flatMap((outcome) =>
      withMessage(
        texts,
        outcome,
        storeName(stores, outcome.storeId),
        withHandling(texts, outcome, `${storeName(stores, outcome.storeId)}${texts.layout.colon}${texts.objectionCompleted.switchedOff}`),
      ),
    ),
  }));
}

export function cancelledMail(input: RequesterMail & { type: RequestType }): MailBody {
  return compose(input, (texts) => ({
    subject: texts.cancelled.subject,
    heading: texts.cancelled.heading,
    paragraphs: [texts.cancelled.stopped(texts.requestTypes[input.type]), texts.cancelled.newRequest],
  }));
}

export function extensionMail(
  input: RequesterMail & { type: RequestType; reason: string; previousDueAt: string; dueAt: string; policyLabel: string },
): MailBody {
  return compose(input, (texts, date) => ({
    subject: texts.extension.subject,
    heading: texts.extension.heading,
    paragraphs: [
      texts.extension.working(texts.requestTypes[input.type], input.reason),
      texts.extension.newDate(date(input.dueAt), date(input.previousDueAt), input.policyLabel),
    ],
  }));
}
