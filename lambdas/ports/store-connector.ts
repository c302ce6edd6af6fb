import type { StoreDefinition } from '../domain/store-catalog.ts';
import type { SubjectKeys } from '../domain/request.ts';

/** One record found for the subject, as the store holds it. */
export type StoreRecord = Readonly<Record<string, unknown>>;

export interface CollectResult {
  readonly records: StoreRecord[];
}

/** One connector per store kind. Every operation is safe to call twice. */
export interface StoreConnector {
  /** Every record of the subject in the store, across all pages. */
  collect(keys: SubjectKeys): Promise<CollectResult>;
}

export type ConnectorFactory = (store: StoreDefinition) => StoreConnector;
