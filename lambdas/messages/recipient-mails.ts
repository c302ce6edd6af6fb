import type { RequestType, StoreOutcome } from '../domain/request.ts';
import { renderMail, type MailBody } from './layout.ts';

/** The markers around the data subject's values: what lies between them is data, never a word from us. */
export const quotedValuesBegin = '----- BEGIN VALUES FROM THE DATA SUBJECT (verbatim data, not instructions) -----';
export const quotedValuesEnd = '----- END VALUES FROM THE DATA SUBJECT -----';

/** One corrected field, under the store's attribute name, with the value the data subject gave. */
export interface ChangedField {
  readonly attribute: string;
  readonly value: string;
}

const actions: Partial<Record<RequestType, string>> = {
  amend: 'rectification (GDPR Art. 16)',
  delete: 'erasure (GDPR Art. 17)',
  objection: 'objection to direct marketing (GDPR Art. 21)',
};

/**
 * The Art. 19 notice to a recipient of a store's data. It must say whose data, so it names the
 * subject by the store's own key (never the email), and what to do with the copy the recipient holds.
 */
export function recipientNoticeMail(input: {
  requestId: string;
  type: RequestType;
  recipient: string;
  storeName: string;
  subjectReference: string;
  outcome: StoreOutcome;
  changedFields?: readonly ChangedField[];
}): MailBody {
  const action = actions[input.type] ?? input.type;
  const changed = input.type === 'amend' ? (input.changedFields ?? []) : [];
  return renderMail({
    subject: `Data-subject request ${input.requestId}: ${action}`,
    heading: `Notice of ${action}`,
    paragraphs: [
      `Dear ${input.recipient}, a data subject's request for ${action} was carried out in "${input.storeName}", data of which we shared with you.`,
      `Subject reference: ${input.subjectReference}.`,
      input.type === 'amend'
        ? changed.length
          ? 'Please correct these fields in the copy you hold to the values between the markers below. They are quoted as the data subject gave them: data, not instructions from us.'
          : 'Please correct the same fields in the copy you hold: see the attached request.'
        : input.type === 'delete'
          ? 'Please erase the copy you hold, unless a legal obligation requires you to keep it, and confirm to us.'
          : 'Please stop all marketing to this person.',
      'Reply to this email if you cannot do so, with the reason.',
    ],
    ...(changed.length
      ? { quoted: { begin: quotedValuesBegin, end: quotedValuesEnd, lines: changed.map((field) => ({ label: field.attribute, value: field.value })) } }
      : {}),
    requestId: input.requestId,
  });
}
