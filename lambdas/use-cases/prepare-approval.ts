import { isConfusableAddress } from '../domain/confusable.ts';
import { RequestNotFoundError } from '../domain/errors.ts';
import { isRepeatedRequest } from '../domain/repeated-requests.ts';
import type { AmendmentPreview, RequestType, ReviewFlag, SubjectKeys } from '../domain/request.ts';
import { resolveIdentityGraph, type IdentityGraph } from '../domain/identity-graph.ts';
import { uncorrectedFields, type DynamoDbStore, type IdentityResolver } from '../domain/store-catalog.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import { cancelledByRequester, lostToCancellation } from './cancellation-race.ts';
import type { Dependencies } from '../ports/dependencies.ts';

export interface PrepareApprovalInput {
  readonly requestId: string;
  readonly taskToken: string;
}

type Deps = Pick<Dependencies, 'requests' | 'taskCallbacks' | 'catalog' | 'connectorFor' | 'now'>;

/** Operator settings: the request types approved without an officer, and how many recent requests flag a mailbox. */
export interface ApprovalPolicy {
  readonly autoApprove: readonly RequestType[];
  readonly repeatedRequestsFlagAt: number;
}

/**
 * Gets the case ready for an officer: resolves the verified email into the keys the stores use,
 * flags what an officer must look at (a change of the email itself, more than one matching
 * subject, a mailbox that keeps asking, a corrected field some store cannot change), then parks
 * the workflow on the task token. Request types the operator lets through on their own
 * (`AUTO_APPROVE`, e.g. `access`) go straight on when nothing is flagged.
 */
export async function prepareApproval(deps: Deps, input: PrepareApprovalInput, policy: ApprovalPolicy): Promise<void> {
  const { autoApprove, repeatedRequestsFlagAt } = policy;
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  // Cancelled before this task could park: fail it by the name the state machine catches.
  if (request.status === 'cancelled') throw cancelledByRequester(request.requestId);
  const graph = await resolveIdentities(deps, request.emailCanonical);
  const subjectKeys = graph.keys;
  const history = await deps.requests.listByRequester(request.emailCanonical, { limit: 50 });
  const repeated = isRepeatedRequest(history.items, request.requestId, deps.now(), repeatedRequestsFlagAt);
  const amendmentPreview = request.type === 'amend' ? await previewAmendment(deps, request, subjectKeys) : undefined;
  // From the whole catalog: a store that cannot change a field takes no part in the amendment, yet holds it.
  const uncorrected =
    request.type === 'amend'
      ? uncorrectedFields(
          deps.catalog.stores,
          (request.corrections ?? []).map((correction) => correction.field),
        )
      : [];
  const reviewFlags = [
    ...flagsFor(request, subjectKeys),
    ...(repeated ? (['repeated_requests'] as const) : []),
    ...(uncorrected.length ? (['not_correctable_everywhere'] as const) : []),
    ...(graph.limited ? (['identities_limited'] as const) : []),
  ];
  const at = deps.now().toISOString();
  const matches = Object.entries(subjectKeys)
    .filter(([identity]) => identity !== 'email')
    .map(([identity, values]) => `${identity}: ${values.length} match(es)`);
  await deps.requests
    .update(request.requestId, 'pending_approval', {
      set: {
        approvalTaskToken: input.taskToken,
        subjectKeys,
        reviewFlags,
        ...(amendmentPreview ? { amendmentPreview } : {}),
        ...(uncorrected.length ? { uncorrectedFields: uncorrected } : {}),
      },
      event: {
        at,
        actor: 'system',
        action: 'awaiting_approval',
        detail: [...matches, ...reviewFlags.map((flag) => `flag: ${flag}`)].join(', ') || 'no identities to resolve',
      },
    })
    .catch(async (error: unknown) => {
      // Cancelled while we resolved the subject: the token was never stored, so nobody else ends this task.
      if (await lostToCancellation(deps, request.requestId, error)) throw cancelledByRequester(request.requestId, error);
      throw error;
    });

  if (autoApprove.includes(request.type) && reviewFlags.length === 0) {
    try {
      await deps.requests.transition(request.requestId, 'in_progress', {
        require: [{ attribute: 'approvalTaskToken', equals: input.taskToken }],
        set: { approvedAt: at },
        event: {
          at,
          actor: 'system',
          action: 'auto_approved',
          from: 'pending_approval',
          to: 'in_progress',
          detail: `policy approves ${request.type} requests from a verified mailbox`,
        },
      });
    } catch (error) {
      // Cancelled after the token was stored: the cancellation already ended this task with it.
      if (await lostToCancellation(deps, request.requestId, error)) return;
      throw error;
    }
    await deps.taskCallbacks.resume(input.taskToken, { approved: true });
  }
}

/** The verified mailbox resolved into every identity the catalog's resolvers reach (domain/identity-graph.ts). */
async function resolveIdentities(deps: Pick<Dependencies, 'catalog' | 'connectorFor'>, emailCanonical: string): Promise<IdentityGraph> {
  const storeOf = (resolver: IdentityResolver) => deps.catalog.stores.find((candidate) => candidate.id === resolver.storeId) as DynamoDbStore;
  return resolveIdentityGraph(
    deps.catalog,
    (resolver) => storeOf(resolver).lookup.identity,
    async (resolver, keys) => {
      const found = await deps.connectorFor(storeOf(resolver), { callbackBaseUrl: '' }).collect({ requestId: 'resolve', keys });
      return 'records' in found ? found.records : [];
    },
    emailCanonical,
  );
}

/**
 * The before/after of every corrected field in every store that holds it, read now so the officer
 * approves exactly what will change. Stores reached later (processors, people) show no "before".
 */
async function previewAmendment(deps: Pick<Dependencies, 'catalog' | 'connectorFor'>, request: StoredRequest, keys: SubjectKeys): Promise<AmendmentPreview[]> {
  const preview: AmendmentPreview[] = [];
  for (const store of deps.catalog.stores.filter((candidate) => (request.storeIds ?? []).includes(candidate.id))) {
    const corrections = (request.corrections ?? []).filter((correction) => store.fields?.[correction.field]);
    if (corrections.length === 0) continue;
    const readable = store.kind === 'dynamodb';
    const found = readable ? await deps.connectorFor(store, { callbackBaseUrl: '' }).collect({ requestId: request.requestId, keys }) : undefined;
    const records = found && 'records' in found ? found.records : [];
    for (const correction of corrections) {
      const attribute = store.fields![correction.field]!;
      const before = [
        ...new Set(
          records
            .map((record) => record[attribute])
            .filter((value) => value !== undefined && value !== null)
            .map(String),
        ),
      ];
      preview.push({ storeId: store.id, field: correction.field, attribute, before, after: correction.value });
    }
  }
  return preview;
}

function flagsFor(request: StoredRequest, keys: SubjectKeys): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  if (request.corrections?.some((correction) => correction.field === 'email')) flags.push('email_change');
  // Data goes to this mailbox: one that can pass for another's waits for an officer.
  const newEmail = request.corrections?.find((correction) => correction.field === 'email')?.value;
  if (isConfusableAddress(request.email) || (newEmail !== undefined && isConfusableAddress(newEmail))) flags.push('confusable_address');
  const resolved = Object.entries(keys).filter(([identity]) => identity !== 'email');
  if (resolved.some(([, values]) => values.length > 1)) flags.push('multiple_subjects');
  if (request.type !== 'access' && resolved.length > 0 && resolved.every(([, values]) => values.length === 0)) flags.push('no_subject_found');
  return flags;
}
