import type { Correction, RequestType } from './request.ts';
import type { StoreCatalog, StoreDefinition } from './store-catalog.ts';

/**
 * Which stores a request runs against, decided once at submission and kept on the request:
 * every store for access and erasure; for a correction, the stores that hold a corrected field;
 * for an objection, the stores that record marketing consent. Manual systems take part in
 * everything but objections, because a person has to look.
 */
export function planStores(catalog: StoreCatalog, type: RequestType, corrections: readonly Correction[] = []): StoreDefinition[] {
  const takesPart: Record<RequestType, (store: StoreDefinition) => boolean> = {
    access: () => true,
    delete: () => true,
    amend: (store) => store.kind === 'manual' || corrections.some((correction) => store.fields?.[correction.field] !== undefined),
    objection: (store) => store.marketingOptOut !== undefined,
  };
  return catalog.stores.filter(takesPart[type]);
}

/** The action a store performs for a request type: the verb connectors and processors understand. */
export const storeActionOf = {
  access: 'collect',
  amend: 'amend',
  delete: 'erase',
  objection: 'opt-out',
} as const satisfies Record<RequestType, string>;
