import { RequestNotFoundError } from '../domain/errors.ts';
import type { SubjectKeys } from '../domain/request.ts';
import { catalog, connectorFor, now, requests, type Dependencies } from '../shared/dependencies.ts';
import { taskHandler } from '../shared/task.ts';

export interface PrepareApprovalInput {
  readonly requestId: string;
  readonly taskToken: string;
}

/**
 * Gets the case ready for an officer: resolves the verified email into the keys the stores use
 * (so the officer sees how many subjects matched), then parks the workflow on the task token.
 */
export async function prepareApproval(deps: Pick<Dependencies, 'requests' | 'catalog' | 'connectorFor' | 'now'>, input: PrepareApprovalInput): Promise<void> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const subjectKeys = await resolveSubjectKeys(deps, request.emailCanonical);
  const matches = Object.entries(subjectKeys)
    .filter(([identity]) => identity !== 'email')
    .map(([identity, values]) => `${identity}: ${values.length} match(es)`);
  await deps.requests.update(request.requestId, 'pending_approval', {
    set: { approvalTaskToken: input.taskToken, subjectKeys },
    event: { at: deps.now().toISOString(), actor: 'system', action: 'awaiting_approval', detail: matches.join(', ') || 'no identities to resolve' },
  });
}

export async function resolveSubjectKeys(deps: Pick<Dependencies, 'catalog' | 'connectorFor'>, emailCanonical: string): Promise<SubjectKeys> {
  const keys: Record<string, string[]> = { email: [emailCanonical] };
  for (const resolver of deps.catalog.identityResolvers) {
    const store = deps.catalog.stores.find((candidate) => candidate.id === resolver.storeId)!;
    const { records } = await deps.connectorFor(store).collect({ email: [emailCanonical] });
    const values = records.map((record) => record[resolver.attribute]).filter((value): value is string => typeof value === 'string' && value.length > 0);
    keys[resolver.as] = [...new Set([...(keys[resolver.as] ?? []), ...values])];
  }
  return keys;
}

export const handler = taskHandler((input: PrepareApprovalInput) => prepareApproval({ requests: requests(), catalog, connectorFor, now }, input));
