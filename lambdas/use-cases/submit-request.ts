import { dueDate, type Jurisdiction } from '../domain/deadline.ts';
import { ValidationError } from '../domain/errors.ts';
import { planStores } from '../domain/store-plan.ts';
import { parseSubmission } from '../domain/submission.ts';
import { newRequestId } from '../domain/tokens.ts';
import type { RequestStatus } from '../domain/status.ts';
import type { AbuseGuard, LimitRule } from '../ports/abuse-guard.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';

export interface SubmitResult {
  readonly requestId: string;
  readonly status: 'submitted';
}

export interface SubmitContext {
  readonly baseUrl: string;
  readonly defaultJurisdiction: Jurisdiction;
  /** The laws the organisation applies (setting `offeredJurisdictions`); a submission may name one of them, or the default. */
  readonly offeredJurisdictions: readonly Jurisdiction[];
  /** Verification mails (new requests) per canonical email. */
  readonly emailLimit: LimitRule;
  /** How long identical submissions count as one request. */
  readonly dedupeSeconds: number;
}

/** Statuses in which a repeat of the same submission is the same request. */
const stillRunning: readonly RequestStatus[] = ['submitted', 'pending_verification', 'pending_approval', 'in_progress'];

/**
 * Records a new request and starts its workflow. Nothing here depends on whether the person is
 * known to us, and every valid submission gets the same answer: `202 {requestId, status}`.
 *
 * - Identical submissions (mailbox, type, corrections) within the dedupe window are one request:
 *   a conditional put of the submission's fingerprint names the request that holds it. A repeat
 *   creates nothing and is answered with a fresh id like any other, never the holder's: that id
 *   would tell a stranger that the address asked, what and when (ids are time-ordered), and let
 *   them aim wrong tokens at its link. The owner's link is in their mailbox. A request that has
 *   ended gives its claim up, so asking again later makes a new one.
 * - At most `emailLimit` verification mails per mailbox and window (spellings of one mailbox count
 *   together: see EmailAddress.mailbox). Past it, the request is still stored and started, but
 *   sends no mail of its own (`verificationMailHeld`): a flood cannot mail-bomb an address, and
 *   nothing is dropped. Every mail we send carries a status link, and the status page lists the
 *   mailbox's held requests for its owner to confirm, so strangers using up the day's mails cannot
 *   keep the owner from confirming their own request that day. The answer is the same either way.
 */
export async function submitRequest(
  deps: Pick<Dependencies, 'requests' | 'workflow' | 'catalog' | 'now'> & { guard: AbuseGuard },
  input: unknown,
  context: SubmitContext,
): Promise<SubmitResult> {
  const submission = parseSubmission(input);
  const applied = [...new Set([context.defaultJurisdiction, ...context.offeredJurisdictions])];
  // The law sets the deadline: a requester cannot pick one the organisation does not answer under.
  if (submission.jurisdiction && !applied.includes(submission.jurisdiction)) {
    const message = `jurisdiction "${submission.jurisdiction}" is not a law this organisation answers requests under; it answers under: ${applied.join(', ')}`;
    throw new ValidationError(message, [{ path: 'jurisdiction', message }]);
  }
  const now = deps.now();
  const requestId = newRequestId(now);
  const fingerprint = JSON.stringify([submission.email.mailbox, submission.type, submission.corrections ?? []]);
  const holder = await deps.guard.claimSubmission(fingerprint, requestId, context.dedupeSeconds, async (heldBy) => {
    const held = await deps.requests.get(heldBy);
    // Not stored (yet, or ever: a limited submission's id): the claim stands for its window.
    return !held || stillRunning.includes(held.status);
  });
  if (holder !== requestId) return { requestId, status: 'submitted' };

  const mailAllowed = (await deps.guard.consume(context.emailLimit, submission.email.mailbox)).allowed;

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
    ...(mailAllowed ? {} : { verificationMailHeld: true }),
    events: [
      {
        at: now.toISOString(),
        actor: 'requester',
        action: 'submitted',
        to: 'submitted',
        detail: `type ${submission.type}, policy ${jurisdiction}${mailAllowed ? '' : '; no verification mail: the mailbox had its mails for today (confirmable from the status page of its other requests)'}`,
      },
    ],
  });
  try {
    await deps.workflow.start({ requestId, type: submission.type, stores: storeIds });
  } catch (error) {
    // Never left waiting for a workflow that does not exist: the request ends, says why, and frees
    // its claim, so the requester (told to try again by the 500) can submit at once.
    const at = deps.now().toISOString();
    await deps.requests
      .transition(requestId, 'cancelled', {
        set: { cancelledAt: at },
        event: {
          at,
          actor: 'system',
          action: 'not_started',
          from: 'submitted',
          to: 'cancelled',
          detail: 'the workflow could not be started; the requester was asked to try again',
        },
      })
      .catch((failure: unknown) => logger.error('Could not end a request whose workflow did not start', { requestId, error: failure as Error }));
    throw error;
  }
  return { requestId, status: 'submitted' };
}
