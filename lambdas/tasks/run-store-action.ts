import { RequestNotFoundError, StoreConfigurationError } from '../domain/errors.ts';
import { catalog, connectorFor, objects, requests, type Dependencies } from '../shared/dependencies.ts';
import { taskHandler } from '../shared/task.ts';

export interface RunStoreActionInput {
  readonly requestId: string;
  readonly storeId: string;
}

export interface RunStoreActionOutput {
  readonly storeId: string;
  readonly status: 'succeeded';
  readonly recordCount: number;
}

/** Where one store's collected records wait for the export; the bucket's lifecycle sweeps leftovers. */
export const collectedKey = (requestId: string, storeId: string) => `work/${requestId}/${storeId}.json`;

/**
 * Runs the request against one store. The records go to the private bucket; only the count goes
 * back into the workflow, whose payloads must never carry personal data.
 */
export async function runStoreAction(deps: Pick<Dependencies, 'requests' | 'catalog' | 'connectorFor' | 'objects'>, input: RunStoreActionInput): Promise<RunStoreActionOutput> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const store = deps.catalog.stores.find((candidate) => candidate.id === input.storeId);
  if (!store) throw new StoreConfigurationError(`Store ${input.storeId} is not in the catalog`);
  const { records } = await deps.connectorFor(store).collect(request.subjectKeys ?? { email: [request.emailCanonical] });
  await deps.objects.putJson(collectedKey(request.requestId, store.id), { storeId: store.id, records });
  return { storeId: store.id, status: 'succeeded', recordCount: records.length };
}

export const handler = taskHandler((input: RunStoreActionInput) => runStoreAction({ requests: requests(), catalog, connectorFor, objects: objects() }, input));
