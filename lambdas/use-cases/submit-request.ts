import { dueDate } from '../domain/deadline.ts';
import { planStores } from '../domain/store-plan.ts';
import { parseSubmission } from '../domain/submission.ts';
import { newRequestId } from '../domain/tokens.ts';
import type { Dependencies } from '../shared/dependencies.ts';

export interface SubmitResult {
  readonly requestId: string;
  readonly status: 'submitted';
}

/**
 * Records a new request and starts its workflow. Nothing here depends on whether the person is
 * known to us: every valid submission gets the same answer and a verification email.
 */
export async function submitRequest(
  deps: Pick<Dependencies, 'requests' | 'workflow' | 'catalog' | 'now'>,
  input: unknown,
  context: { baseUrl: string; defaultJurisdiction: 'gdpr' | 'ccpa' },
): Promise<SubmitResult> {
  const submission = parseSubmission(input);
  const now = deps.now();
  const requestId = newRequestId(now);
  const jurisdiction = submission.jurisdiction ?? context.defaultJurisdiction;
  const storeIds = planStores(deps.catalog, submission.type, submission.corrections).map((store) => store.id);
  await deps.requests.create({
    requestId,
    type: submission.type,
    status: 'submitted',
    email: submission.email.address,
    emailCanonical: submission.email.canonical,
    ...(submission.corrections ? { corrections: submission.corrections } : {}),
    jurisdiction,
    locale: submission.locale ?? 'en',
    receivedAt: now.toISOString(),
    dueAt: dueDate(now, jurisdiction).toISOString(),
    updatedAt: now.toISOString(),
    baseUrl: context.baseUrl,
    storeIds,
    events: [{ at: now.toISOString(), actor: 'requester', action: 'submitted', to: 'submitted', detail: `type ${submission.type}, policy ${jurisdiction}` }],
  });
  await deps.workflow.start({ requestId, type: submission.type, stores: storeIds });
  return { requestId, status: 'submitted' };
}
