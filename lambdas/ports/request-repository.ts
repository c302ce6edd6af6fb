import type { AuditEvent, DsrRequest } from '../domain/request.ts';
import type { RequestStatus } from '../domain/status.ts';

/** A condition on a stored attribute that must hold for a write to happen. */
export type Requirement =
  | { readonly attribute: string; readonly equals: string | number | boolean }
  | { readonly attribute: string; readonly greaterThan: string | number }
  | { readonly attribute: string; readonly exists: boolean }
  /** The list (or string) attribute does not contain the value; true when the attribute is missing. */
  | { readonly attribute: string; readonly notContains: string };

export interface ChangeOptions {
  /**
   * Attributes to set (dotted names are not supported: top-level attributes only). Setting `dueAt`
   * also moves the request in the status index (its sort key is the due date).
   */
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  /** Values appended to list attributes (created when missing). */
  readonly append?: Readonly<Record<string, readonly unknown[]>>;
  /** Extra conditions; all must hold, or the write does not happen and a ConflictError is thrown. */
  readonly require?: readonly Requirement[];
  /** Appended to the request's audit trail in the same write. */
  readonly event?: AuditEvent;
}

/** Request attributes that are never part of `DsrRequest` shown to anyone: secrets' hashes, task tokens. */
export interface StoredRequest extends DsrRequest {
  readonly verificationTokenHash?: string;
  readonly verificationExpiresAt?: string;
  readonly verificationTaskToken?: string;
  /**
   * Past its mailbox's mail limit: no verification mail of its own. The mailbox owner confirms it
   * from the status page of any request to that mailbox (use-cases/confirm-held-request.ts).
   */
  readonly verificationMailHeld?: boolean;
  readonly verificationAttempts?: number;
  readonly approvalTaskToken?: string;
  readonly downloadTokenHash?: string;
  readonly downloadExpiresAt?: string;
  readonly completionNotifiedAt?: string;
  readonly baseUrl?: string;
  /** Hashes of the status-page tokens sent in our emails (each email carries a fresh one). */
  readonly statusTokenHashes?: readonly string[];
}

export interface RequestPage {
  readonly items: DsrRequest[];
  readonly nextCursor?: string;
}

export interface RequestRepository {
  /** Stores a new request; a request with the same id already stored is a ConflictError. */
  create(request: StoredRequest): Promise<void>;
  get(requestId: string): Promise<StoredRequest | undefined>;
  /**
   * Moves the status to `to` if, and only if, the stored status is one the transition table allows
   * before `to` and every requirement holds: one conditional write, so a race cannot win twice.
   * Returns the request as it is after the write.
   */
  transition(requestId: string, to: RequestStatus, options?: ChangeOptions): Promise<StoredRequest>;
  /** Changes attributes without moving the status; `expectedStatus` guards against stale callers. */
  update(requestId: string, expectedStatus: RequestStatus | readonly RequestStatus[], options: ChangeOptions): Promise<StoredRequest>;
  /** Requests in one status, the earliest due first; with `dueBefore`, only those due before it. */
  listByStatus(status: RequestStatus, options?: { limit?: number; cursor?: string; dueBefore?: string }): Promise<RequestPage>;
  /** A `listByStatus` cursor that starts right after `request` in its status's queue. */
  cursorAfter(request: DsrRequest): string;
  /**
   * The requests submitted from one mailbox (its canonical address), newest first: what an officer
   * weighs before calling a request repetitive (GDPR Art. 12(5)). `truncated` when there are more than `limit`.
   */
  listByRequester(emailCanonical: string, options?: { limit?: number }): Promise<{ items: DsrRequest[]; truncated: boolean }>;
  /**
   * Deletes a closed request for good: its history pointer first, the request last, on condition
   * that it is still in a closed status and unchanged since `unchangedSince`. False when that
   * condition no longer holds (the request itself is kept then). Its store tasks are the store-task
   * repository's to delete, before this.
   */
  purge(request: DsrRequest, closedStatuses: readonly RequestStatus[], unchangedSince: string): Promise<boolean>;
}

/** What officers and requesters may see: no token hashes, no task tokens. */
export function publicView(request: StoredRequest): DsrRequest {
  const {
    verificationTokenHash: _verificationTokenHash,
    verificationTaskToken: _verificationTaskToken,
    verificationExpiresAt: _verificationExpiresAt,
    verificationAttempts: _verificationAttempts,
    verificationMailHeld: _verificationMailHeld,
    approvalTaskToken: _approvalTaskToken,
    downloadTokenHash: _downloadTokenHash,
    downloadExpiresAt: _downloadExpiresAt,
    completionNotifiedAt: _completionNotifiedAt,
    baseUrl: _baseUrl,
    statusTokenHashes: _statusTokenHashes,
    ...visible
  } = request;
  return visible;
}
