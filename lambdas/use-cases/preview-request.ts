import { erasureTotals, previewStore, previewUnchangedStore, type StorePreview } from '../domain/approval-preview.ts';
import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import type { RequestType } from '../domain/request.ts';
import type { Dependencies } from '../ports/dependencies.ts';

export interface RequestPreview {
  readonly requestId: string;
  readonly type: RequestType;
  readonly stores: readonly StorePreview[];
  /** Erasure only: what the confirmation names. */
  readonly totals?: ReturnType<typeof erasureTotals>;
}

/**
 * A read-only dry run of what approving will do, per store: the subject's items counted in each
 * store that can be read (DynamoDB tables, S3 prefixes), classified by the store's erasure
 * strategy; amendments' before/after as prepared, and the stores that keep a corrected field as
 * it was; objections' switches. Counting reads and
 * changes nothing; processors and people are not asked (they would act).
 */
export async function previewRequest(deps: Pick<Dependencies, 'requests' | 'catalog' | 'connectorFor'>, requestId: string): Promise<RequestPreview> {
  const request = await deps.requests.get(requestId);
  if (!request) throw new RequestNotFoundError(`Request ${requestId} does not exist`);
  if (request.status !== 'pending_approval' || !request.subjectKeys) {
    throw new ConflictError(`Request ${requestId} is ${request.status}: a preview is shown while it waits for a decision, once its subject is resolved`);
  }
  const subject = { requestId, keys: request.subjectKeys };
  const stores = deps.catalog.stores.filter((store) => (request.storeIds ?? []).includes(store.id));
  const previews = await Promise.all(
    stores.map(async (store) => {
      const connector = deps.connectorFor(store, { callbackBaseUrl: '' });
      const found = connector.count ? await connector.count(subject) : undefined;
      return previewStore(store, request.type, found, request.amendmentPreview ?? [], request.uncorrectedFields ?? []);
    }),
  );
  const uncorrected = request.uncorrectedFields ?? [];
  const notRun = deps.catalog.stores.filter((store) => !stores.includes(store) && uncorrected.some((item) => item.storeId === store.id));
  const all = [...previews, ...notRun.map((store) => previewUnchangedStore(store, uncorrected))];
  return { requestId, type: request.type, stores: all, ...(request.type === 'delete' ? { totals: erasureTotals(all) } : {}) };
}
