import type { Correction, SubjectKeys } from '../domain/request.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';

/** One record found for the subject, as the store holds it. */
export type StoreRecord = Readonly<Record<string, unknown>>;

/** Who the connector acts for: the request, and the keys resolved for its (verified) subject. */
export interface Subject {
  readonly requestId: string;
  readonly keys: SubjectKeys;
}

/** A change of one attribute, already mapped from the requester's field to the store's attribute. */
export interface AttributeChange {
  readonly attribute: string;
  readonly value: string | number | boolean;
}

export interface CollectResult {
  readonly records: StoreRecord[];
}

export interface AmendResult {
  /** Items (or objects) of the subject found. */
  readonly matched: number;
  /** Items actually changed; 0 on a second run with the same changes. */
  readonly updated: number;
}

export interface EraseResult {
  readonly matched: number;
  readonly deleted: number;
  /** Items kept with listed attributes removed (the `anonymize` strategy). */
  readonly anonymized: number;
  /** Items kept under a legal obligation (the `retain` strategy), with attributes the law does not need removed. */
  readonly retained: number;
}

export interface VerifyResult {
  /** Items still there that the strategy says should be gone, or attributes still present that should have been removed. */
  readonly remaining: number;
}

/** An asynchronous store (a processor's callback, a person's task) answers later. */
export interface Pending {
  readonly pending: true;
  /** What the officer console shows while waiting. */
  readonly note: string;
}

/**
 * One connector per store kind. Every operation is safe to call twice: a second erase finds
 * nothing and deletes nothing; a second amend finds the values already set.
 */
export interface StoreConnector {
  collect(subject: Subject): Promise<CollectResult | Pending>;
  amend(subject: Subject, changes: readonly AttributeChange[], corrections: readonly Correction[]): Promise<AmendResult | Pending>;
  erase(subject: Subject): Promise<EraseResult | Pending>;
  /** Re-reads the store after erasure. Asynchronous stores report what their processor confirmed. */
  verifyErased(subject: Subject): Promise<VerifyResult>;
  /** Records an objection to direct marketing where the store has its own verb for it (a processor); others get an amend. */
  optOut?(subject: Subject): Promise<AmendResult | Pending>;
  /**
   * Read only: how many items (or current objects) of the subject the store holds, for the
   * officer's preview before approving. Stores that cannot be asked without acting (processors,
   * people) have no preview.
   */
  count?(subject: Subject): Promise<number>;
}

export function isPending(result: object): result is Pending {
  return 'pending' in result && (result as Pending).pending === true;
}

/** What a connector needs from the request at hand: where processors answer asynchronously (`<base>/callbacks/<storeId>`). */
export interface ConnectorContext {
  readonly callbackBaseUrl: string;
}

/** The connector of a store: one per kind, wired to this deployment. */
export type ConnectorFactory = (store: StoreDefinition, context: ConnectorContext) => StoreConnector;
