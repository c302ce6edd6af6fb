import { ErasureIncompleteError, RequestNotFoundError, StoreConfigurationError } from '../domain/errors.ts';
import type { Correction } from '../domain/request.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import { collectedKey } from '../domain/object-keys.ts';
import { storeActionOf } from '../domain/store-plan.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import { isPending, type AttributeChange, type Pending, type StoreConnector, type Subject } from '../ports/store-connector.ts';
import type { StoreTaskResult } from '../ports/store-task-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';

export interface RunStoreActionInput {
  readonly requestId: string;
  readonly storeId: string;
  readonly taskToken: string;
}

type Deps = Pick<Dependencies, 'requests' | 'storeTasks' | 'taskCallbacks' | 'catalog' | 'connectorFor' | 'objects' | 'publicBaseUrl'>;

/**
 * Runs the request against one store, as a task the workflow waits on. A synchronous store
 * finishes here and resumes the workflow at once; a processor that answers later, or a person
 * who must act, resumes it through a callback or the console. Work already finished for this
 * store (by an earlier attempt or run) is reported, never redone. Only counts go back into the
 * workflow; collected records go to the private bucket.
 */
export async function runStoreAction(deps: Deps, input: RunStoreActionInput): Promise<void> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const store = deps.catalog.stores.find((candidate) => candidate.id === input.storeId);
  if (!store) throw new StoreConfigurationError(`Store ${input.storeId} is not in the catalog`);

  const task = await deps.storeTasks.begin(request.requestId, store.id, storeActionOf[request.type], input.taskToken);
  if ((task.status === 'succeeded' || task.status === 'skipped') && task.result) {
    await deps.taskCallbacks.resume(input.taskToken, { storeId: store.id, ...task.result });
    return;
  }

  const connector = deps.connectorFor(store, { callbackBaseUrl: deps.publicBaseUrl ?? request.baseUrl ?? '' });
  const subject: Subject = { requestId: request.requestId, keys: request.subjectKeys ?? { email: [request.emailCanonical] } };
  const outcome = await perform(deps, request, store, connector, subject);
  if (isPending(outcome)) {
    await deps.storeTasks.markWaiting(request.requestId, store.id, outcome.note);
    return;
  }
  // Only the first settlement resumes the workflow (a processor's callback may race us).
  if (await deps.storeTasks.finish(request.requestId, store.id, outcome)) {
    await deps.taskCallbacks.resume(input.taskToken, { storeId: store.id, ...outcome });
  }
}

async function perform(
  deps: Deps,
  request: StoredRequest,
  store: StoreDefinition,
  connector: StoreConnector,
  subject: Subject,
): Promise<StoreTaskResult | Pending> {
  switch (request.type) {
    case 'access': {
      const collected = await connector.collect(subject);
      if (isPending(collected)) return collected;
      await deps.objects.putJson(collectedKey(request.requestId, store.id), { storeId: store.id, records: collected.records });
      return { status: 'succeeded', recordCount: collected.records.length };
    }
    case 'amend': {
      const changes = mappedChanges(store, request.corrections ?? []);
      if (changes.length === 0 && store.kind !== 'manual') return { status: 'skipped', note: 'holds none of the corrected fields' };
      const amended = await connector.amend(subject, changes, request.corrections ?? []);
      if (isPending(amended)) return amended;
      return {
        status: 'succeeded',
        recordCount: amended.matched,
        updated: amended.updated,
        note: `fields: ${changes.map((change) => change.attribute).join(', ')}`,
      };
    }
    case 'delete': {
      const erased = await connector.erase(subject);
      if (isPending(erased)) return erased;
      const { remaining } = await connector.verifyErased(subject);
      if (remaining > 0) throw new ErasureIncompleteError(`Store ${store.id}: ${remaining} item(s) still found after erasure`);
      return {
        status: 'succeeded',
        recordCount: erased.matched,
        deleted: erased.deleted,
        anonymized: erased.anonymized,
        retained: erased.retained,
        remaining,
        ...(store.erasure.strategy === 'retain' && erased.retained > 0
          ? { note: `kept: ${store.erasure.legalBasis}; until ${store.erasure.retentionPeriod}` }
          : {}),
      };
    }
    case 'objection': {
      if (!store.marketingOptOut) return { status: 'skipped', note: 'holds no marketing consent' };
      const changes = Object.entries(store.marketingOptOut).map(([attribute, value]) => ({ attribute, value }));
      const optedOut = connector.optOut ? await connector.optOut(subject) : await connector.amend(subject, changes, []);
      if (isPending(optedOut)) return optedOut;
      return { status: 'succeeded', recordCount: optedOut.matched, updated: optedOut.updated, note: 'marketing switched off' };
    }
  }
}

/** The requester's corrections in this store's own attribute names; fields the store does not hold are left out. */
export function mappedChanges(store: StoreDefinition, corrections: readonly Correction[]): AttributeChange[] {
  return corrections.flatMap((correction) => {
    const attribute = store.fields?.[correction.field];
    return attribute ? [{ attribute, value: correction.value }] : [];
  });
}
