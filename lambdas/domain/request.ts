import type { Jurisdiction } from './deadline.ts';
import type { RequestStatus } from './status.ts';

/** What the requester asks for. */
export const requestTypes = ['access', 'amend', 'delete'] as const;
export type RequestType = (typeof requestTypes)[number];

/** Fields a requester may ask to correct; stores map them to their own attributes. */
export const correctableFields = ['name', 'phone', 'address', 'company', 'jobTitle'] as const;
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

export type StoreOutcomeStatus = 'succeeded' | 'failed';

/** What happened in one data store. Counts and reasons only, never the records themselves. */
export interface StoreOutcome {
  readonly storeId: string;
  readonly status: StoreOutcomeStatus;
  readonly recordCount?: number;
  readonly error?: string;
  readonly finishedAt: string;
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
  readonly storeOutcomes?: readonly StoreOutcome[];
  readonly exportKey?: string;
  readonly rejectionReason?: string;
  readonly verifiedAt?: string;
  readonly approvedAt?: string;
  readonly completedAt?: string;
  readonly events: readonly AuditEvent[];
}
