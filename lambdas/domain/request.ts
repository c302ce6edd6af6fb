import type { UncorrectedField } from './store-catalog.ts';
import type { Jurisdiction } from './deadline.ts';
import type { RequestStatus } from './status.ts';

/** What the requester asks for; `objection` stops direct marketing (GDPR Art. 21(2), CCPA opt-out). */
export const requestTypes = ['access', 'amend', 'delete', 'objection'] as const;
export type RequestType = (typeof requestTypes)[number];

/**
 * Fields a requester may ask to correct; stores map them to their own attributes. A correction of
 * the email address itself is accepted but always held for an officer (it moves where data goes).
 */
export const correctableFields = ['name', 'phone', 'address', 'company', 'jobTitle', 'email'] as const;
export type CorrectableField = (typeof correctableFields)[number];

export interface Correction {
  readonly field: CorrectableField;
  readonly value: string;
}

/** One line of the request's audit trail: who did what, when. No personal data beyond ids. */
export interface AuditEvent {
  readonly at: string;
  readonly actor: 'requester' | 'officer' | 'system';
  /** For officers, their subject id from the identity provider; never an email. */
  readonly actorId?: string;
  readonly action: string;
  readonly from?: RequestStatus;
  readonly to?: RequestStatus;
  readonly detail?: string;
}

export type StoreOutcomeStatus = 'succeeded' | 'failed' | 'skipped';

/** What one store did for one request: counts and reasons only, never the records themselves. */
export interface StoreResult {
  readonly status: StoreOutcomeStatus;
  readonly recordCount?: number;
  readonly updated?: number;
  readonly deleted?: number;
  readonly anonymized?: number;
  readonly retained?: number;
  /** Items the re-check after erasure still found (must be 0 for success). */
  readonly remaining?: number;
  /** Internal: what the store or the officer recorded. Officers see it; no requester mail or report ever does. */
  readonly note?: string;
  /** An officer's message to the requester about this store, shown on a labelled line of the closing mail as written. */
  readonly messageToRequester?: string;
  readonly error?: string;
  /** `officer`: a processor's task an officer completed by hand after escalating it, not the processor's own answer. */
  readonly completedBy?: 'officer';
}

/** A store's result as recorded on the request. */
export interface StoreOutcome extends StoreResult {
  readonly storeId: string;
  readonly finishedAt: string;
}

/** Why a request must be looked at by an officer even where a policy would approve it alone. */
/** `confusable_address`: the address mixes scripts or uses look-alike characters (`domain/confusable.ts`). */
/** `repeated_requests`: the mailbox made several other confirmed requests this year (`domain/repeated-requests.ts`). */
/**
 * `not_correctable_everywhere`: a store holds a corrected field it cannot change (catalog `uncorrectable`).
 * `identities_limited`: following the subject's identities stopped at its depth or fan-out limit.
 */
export type ReviewFlag =
  | 'email_change'
  | 'multiple_subjects'
  | 'no_subject_found'
  | 'confusable_address'
  | 'repeated_requests'
  | 'not_correctable_everywhere'
  | 'identities_limited';

/** What an amendment will change in one store, shown to the officer before approval. */
export interface AmendmentPreview {
  readonly storeId: string;
  readonly field: CorrectableField;
  readonly attribute: string;
  /** The distinct values the subject's records hold now; empty when the store is only reachable later (processor, person). */
  readonly before: readonly string[];
  readonly after: string;
}

/** One Art. 19 notice: who was told of a rectification or erasure, how, and when. */
export interface RecipientNotice {
  readonly storeId: string;
  readonly recipient: string;
  readonly channel: 'email' | 'webhook';
  readonly at: string;
  /** The mail could not be sent (SES refused it after retries): an officer must tell this recipient. */
  readonly notSent?: true;
}

/** The keys that identify the data subject in the stores, resolved after verification. */
export type SubjectKeys = Record<string, string[]>;

export interface DsrRequest {
  readonly requestId: string;
  readonly type: RequestType;
  readonly status: RequestStatus;
  /** Where mail goes: the address exactly as typed (trimmed, NFC). */
  readonly email: string;
  /** How we compare and look up the subject. */
  readonly emailCanonical: string;
  readonly corrections?: readonly Correction[];
  readonly jurisdiction: Jurisdiction;
  readonly locale: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly updatedAt: string;
  readonly subjectKeys?: SubjectKeys;
  readonly reviewFlags?: readonly ReviewFlag[];
  /** The stores this request runs against, fixed when it is submitted. */
  readonly storeIds?: readonly string[];
  readonly recipientNotices?: readonly RecipientNotice[];
  readonly amendmentPreview?: readonly AmendmentPreview[];
  /** Amendments only: corrected fields a store holds but cannot change, with the catalog's reason (English, for the officer). */
  readonly uncorrectedFields?: readonly UncorrectedField[];
  readonly storeOutcomes?: readonly StoreOutcome[];
  readonly exportKey?: string;
  readonly rejectionReason?: string;
  readonly verifiedAt?: string;
  readonly approvedAt?: string;
  readonly completedAt?: string;
  readonly cancelledAt?: string;
  /** When the requester was told we received the request (the verification mail). */
  readonly receiptConfirmedAt?: string;
  /** The latest extension of the due date; every extension is also an audit event. */
  readonly extension?: Extension;
  /** Reminder events already sent to officers (`<kind>@<dueAt>`), so none goes out twice. */
  readonly remindersSent?: readonly string[];
  readonly events: readonly AuditEvent[];
}

/** An extension of the due date, with the reason the requester was told. */
export interface Extension {
  /** The new due date (also the request's `dueAt`). */
  readonly dueAt: string;
  readonly reason: string;
  readonly at: string;
  readonly officerId: string;
  /** What all extensions so far add to the base period, in the policy's unit. */
  readonly totalMonths?: number;
  readonly totalDays?: number;
  /** How many extensions were decided. */
  readonly count: number;
}
