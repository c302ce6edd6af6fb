import type { AmendmentPreview, RequestType } from './request.ts';
import type { StoreDefinition, UncorrectedField } from './store-catalog.ts';

/**
 * What approving a request will do in one store, as the officer sees it before deciding: read
 * from the store now (`found`), never by acting on it.
 */
export interface StorePreview {
  readonly storeId: string;
  readonly storeName: string;
  readonly kind: StoreDefinition['kind'];
  /**
   * `counted`: read from the store now; `at_run_time`: a processor answers only when asked;
   * `by_hand`: a person searches; `not_run`: the store takes no part (it keeps a corrected field it cannot change).
   */
  readonly basis: 'counted' | 'at_run_time' | 'by_hand' | 'not_run';
  /** Access: records to collect. */
  readonly collect?: number;
  /** Erasure: records to delete, anonymise, and keep (with the law that requires keeping them). */
  readonly delete?: number;
  readonly anonymize?: number;
  readonly retain?: number;
  readonly retainBasis?: string;
  /** Amendment: the before/after of each corrected field. */
  readonly changes?: readonly AmendmentPreview[];
  /** Amendment: corrected fields this store holds but cannot change, and why (the requester is told). */
  readonly unchanged?: readonly Pick<UncorrectedField, 'field' | 'reason'>[];
  /** Objection: the attribute values set to record it. */
  readonly optOut?: Readonly<Record<string, string | number | boolean>>;
}

/** One store's preview from the subject's item count there (undefined when it cannot be counted without acting). */
export function previewStore(
  store: StoreDefinition,
  type: RequestType,
  found: number | undefined,
  amendments: readonly AmendmentPreview[],
  uncorrected: readonly UncorrectedField[] = [],
): StorePreview {
  const base = {
    storeId: store.id,
    storeName: store.name,
    kind: store.kind,
    basis: found !== undefined ? ('counted' as const) : store.kind === 'manual' ? ('by_hand' as const) : ('at_run_time' as const),
  };
  switch (type) {
    case 'access':
      return { ...base, ...(found !== undefined ? { collect: found } : {}) };
    case 'delete': {
      if (found === undefined) return base;
      const erasure = store.erasure;
      if (erasure.strategy === 'delete') return { ...base, delete: found, anonymize: 0, retain: 0 };
      if (erasure.strategy === 'anonymize') return { ...base, delete: 0, anonymize: found, retain: 0 };
      return { ...base, delete: 0, anonymize: 0, retain: found, retainBasis: `${erasure.legalBasis}; kept ${erasure.retentionPeriod}` };
    }
    case 'amend': {
      const unchanged = uncorrected.filter((item) => item.storeId === store.id).map(({ field, reason }) => ({ field, reason }));
      return { ...base, changes: amendments.filter((change) => change.storeId === store.id), ...(unchanged.length ? { unchanged } : {}) };
    }
    case 'objection':
      return { ...base, ...(store.marketingOptOut ? { optOut: store.marketingOptOut } : {}) };
  }
}

/** A store that holds corrected fields but takes no part in the amendment: what stays as it was there. */
export function previewUnchangedStore(store: StoreDefinition, uncorrected: readonly UncorrectedField[]): StorePreview {
  const unchanged = uncorrected.filter((item) => item.storeId === store.id).map(({ field, reason }) => ({ field, reason }));
  return { storeId: store.id, storeName: store.name, kind: store.kind, basis: 'not_run', changes: [], unchanged };
}

/** The totals an erasure confirmation names. */
export function erasureTotals(stores: readonly StorePreview[]): { delete: number; anonymize: number; retain: number; uncounted: number } {
  const sum = (pick: (store: StorePreview) => number | undefined) => stores.reduce((total, store) => total + (pick(store) ?? 0), 0);
  return {
    delete: sum((store) => store.delete),
    anonymize: sum((store) => store.anonymize),
    retain: sum((store) => store.retain),
    uncounted: stores.filter((store) => store.basis !== 'counted').length,
  };
}
