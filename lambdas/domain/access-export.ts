import type { DsrRequest, StoreOutcome } from './request.ts';
import { localizeStore, type StoreDefinition, type StoreDisclosure } from './store-catalog.ts';

/**
 * The access export: what Art. 15 and Art. 20 ask for. Per store, the records themselves (in a
 * structured, machine-readable form) and the disclosure: categories, purposes, legal basis,
 * recipients, retention and source.
 */
export interface AccessExport {
  readonly format: 'dsr-workflow/access-export@1';
  /** The language of the report and of `rights` (the request's, where we write it). */
  readonly language: string;
  readonly request: { readonly requestId: string; readonly receivedAt: string; readonly generatedAt: string; readonly policy: string };
  readonly subject: { readonly email: string };
  readonly stores: readonly ExportedStore[];
  readonly rights: readonly string[];
}

export interface ExportedStore {
  readonly storeId: string;
  readonly name: string;
  /** `sent_separately`: a system only a person can search (paper); the officer sends its copy. */
  readonly status: 'included' | 'unavailable' | 'sent_separately';
  /** A processor that did not answer, whose part our privacy team did by hand (and sends separately). */
  readonly handledByHand?: true;
  readonly recordCount: number;
  readonly disclosure: StoreDisclosure;
  readonly records: readonly Readonly<Record<string, unknown>>[];
}

/**
 * The names the requester's browser saves the export under (the objects' Content-Disposition), and
 * so the names the report gives them: one place, so what the report says and what is downloaded agree.
 */
export function exportDownloadNames(requestId: string): { readonly json: string; readonly report: string } {
  const base = `personal-data-${requestId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return { json: `${base}.json`, report: `${base}.html` };
}

export function buildAccessExport(input: {
  request: Pick<DsrRequest, 'requestId' | 'receivedAt' | 'email' | 'jurisdiction'>;
  stores: readonly StoreDefinition[];
  outcomes: readonly StoreOutcome[];
  recordsByStore: ReadonlyMap<string, readonly Readonly<Record<string, unknown>>[]>;
  generatedAt: Date;
  /** The requester's rights, in `language`: what Art. 15(1)(e) and (f) ask the answer to say. */
  rights: readonly string[];
  language: string;
}): AccessExport {
  return {
    format: 'dsr-workflow/access-export@1',
    language: input.language,
    request: {
      requestId: input.request.requestId,
      receivedAt: input.request.receivedAt,
      generatedAt: input.generatedAt.toISOString(),
      policy: input.request.jurisdiction,
    },
    subject: { email: input.request.email },
    // The catalog's words (names, disclosures) in the report's language, where the catalog gives it.
    stores: input.stores
      .map((catalogStore) => localizeStore(catalogStore, input.language))
      .map((store) => {
        const outcome = input.outcomes.find((candidate) => candidate.storeId === store.id);
        const records = input.recordsByStore.get(store.id) ?? [];
        const byHand = outcome?.status === 'succeeded' && outcome.completedBy === 'officer';
        return {
          storeId: store.id,
          name: store.name,
          status: outcome?.status !== 'succeeded' ? 'unavailable' : store.kind === 'manual' || byHand ? 'sent_separately' : 'included',
          ...(byHand ? { handledByHand: true as const } : {}),
          recordCount: records.length,
          disclosure: store.disclosure,
          records,
        };
      }),
    rights: input.rights,
  };
}
