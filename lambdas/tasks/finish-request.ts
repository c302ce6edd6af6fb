import { buildAccessExport } from '../domain/access-export.ts';
import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import type { RequestType, StoreOutcome } from '../domain/request.ts';
import type { RequestStatus } from '../domain/status.ts';
import { renderAccessReport } from '../messages/access-report-html.ts';
import type { StoreRecord } from '../ports/store-connector.ts';
import { catalog, now, objects, requests, type Dependencies } from '../shared/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { collectedKey } from './run-store-action.ts';

export interface FinishRequestInput {
  readonly requestId: string;
  readonly type: RequestType;
  readonly outcomes: readonly { storeId: string; status: 'succeeded' | 'failed'; recordCount?: number; error?: string }[];
}

export const exportPrefix = (requestId: string) => `exports/${requestId}/`;

/**
 * Settles the request after the stores ran: records each store's outcome, builds the access
 * export, and moves to completed, or to partially_completed naming the stores that failed.
 */
export async function finishRequest(deps: Pick<Dependencies, 'requests' | 'catalog' | 'objects' | 'now'>, input: FinishRequestInput): Promise<{ status: RequestStatus }> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const now = deps.now();
  const outcomes: StoreOutcome[] = input.outcomes.map((outcome) => ({
    storeId: outcome.storeId,
    status: outcome.status,
    ...(outcome.recordCount !== undefined ? { recordCount: outcome.recordCount } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    finishedAt: now.toISOString(),
  }));
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  const status: RequestStatus = failed.length === 0 ? 'completed' : 'partially_completed';

  let exportKey: string | undefined;
  if (input.type === 'access') {
    const recordsByStore = new Map<string, StoreRecord[]>();
    for (const outcome of outcomes.filter((candidate) => candidate.status === 'succeeded')) {
      const collected = await deps.objects.getJson<{ records: StoreRecord[] }>(collectedKey(request.requestId, outcome.storeId));
      recordsByStore.set(outcome.storeId, collected.records);
    }
    const document = buildAccessExport({ request, stores: deps.catalog.stores, outcomes, recordsByStore, generatedAt: now });
    exportKey = `${exportPrefix(request.requestId)}export.json`;
    await deps.objects.putJson(exportKey, document, { downloadName: `personal-data-${request.requestId}.json` });
    await deps.objects.putText(`${exportPrefix(request.requestId)}report.html`, renderAccessReport(document), 'text/html; charset=utf-8');
  }

  try {
    await deps.requests.transition(request.requestId, status, {
      set: { storeOutcomes: outcomes, completedAt: now.toISOString(), ...(exportKey ? { exportKey } : {}) },
      event: {
        at: now.toISOString(),
        actor: 'system',
        action: status,
        from: request.status,
        to: status,
        detail: failed.length ? `failed stores: ${failed.map((outcome) => outcome.storeId).join(', ')}` : `${outcomes.length} store(s) done`,
      },
    });
  } catch (error) {
    // A retried run finds the request already settled the same way: nothing more to do.
    if (!(error instanceof ConflictError) || (await deps.requests.get(request.requestId))?.status !== status) throw error;
  }
  if (input.type === 'access') await deps.objects.deletePrefix(`work/${request.requestId}/`);
  return { status };
}

export const handler = taskHandler((input: FinishRequestInput) => finishRequest({ requests: requests(), catalog, objects: objects(), now }, input));
