import { mailboxOf } from '../domain/email-address.ts';
import { ConflictError, InvalidLinkError, RequestNotFoundError } from '../domain/errors.ts';
import type { RequestType } from '../domain/request.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { findByStatusToken, invalidStatusLink } from './request-status.ts';

/**
 * Requests held back by the per-mailbox mail limit (`verificationMailHeld`) have no link of their
 * own. Whoever holds the status link of any request to the same mailbox got it by mail there, so
 * they own that mailbox: their status page lists the mailbox's held requests, and they may confirm
 * one, which verifies it exactly as its own link would have.
 *
 * Why this and not a mail per request: strangers may submit for any address, so mails must stay
 * bounded; but they must not be able to use the day's mails up and keep the owner from confirming.
 * The owner always has one of the day's mails (that is what used the limit up), and its status
 * link reaches every held request, also ones submitted after that mail.
 */
export interface HeldRequestView {
  readonly requestId: string;
  readonly type: RequestType;
  readonly receivedAt: string;
  readonly confirmBy: string;
}

/** How many of a mailbox's latest requests are looked through for held ones. */
const historyLimit = 50;

export async function heldRequestsFor(deps: Pick<Dependencies, 'requests' | 'now'>, request: StoredRequest): Promise<HeldRequestView[]> {
  const now = deps.now().toISOString();
  const history = await deps.requests.listByRequester(request.emailCanonical, { limit: historyLimit });
  const held: HeldRequestView[] = [];
  for (const candidate of history.items.filter((item) => item.status === 'pending_verification')) {
    const stored = await deps.requests.get(candidate.requestId);
    if (stored && isConfirmableBy(stored, request, now)) {
      held.push({ requestId: stored.requestId, type: stored.type, receivedAt: stored.receivedAt, confirmBy: stored.verificationExpiresAt! });
    }
  }
  return held;
}

function isConfirmableBy(held: StoredRequest, owner: StoredRequest, now: string): boolean {
  return (
    held.status === 'pending_verification' &&
    held.verificationMailHeld === true &&
    Boolean(held.verificationTaskToken) &&
    held.verificationExpiresAt !== undefined &&
    held.verificationExpiresAt > now &&
    mailboxOf(held.emailCanonical) === mailboxOf(owner.emailCanonical)
  );
}

/** Confirms a held request with the status token of a request to the same mailbox. */
export async function confirmHeldRequest(
  deps: Pick<Dependencies, 'requests' | 'taskCallbacks' | 'now'>,
  input: { token: unknown; requestId: unknown },
): Promise<{ requestId: string; status: 'pending_approval' }> {
  const owner = await findByStatusToken(deps, input.token);
  const held = typeof input.requestId === 'string' ? await deps.requests.get(input.requestId) : undefined;
  const now = deps.now().toISOString();
  // Not held, not this mailbox's, expired or unknown: one answer, which tells a stranger nothing.
  if (!held || !isConfirmableBy(held, owner, now)) throw new InvalidLinkError(invalidStatusLink);
  let verified: StoredRequest;
  try {
    verified = await deps.requests.transition(held.requestId, 'pending_approval', {
      require: [
        { attribute: 'verificationMailHeld', equals: true },
        { attribute: 'verificationExpiresAt', greaterThan: now },
      ],
      remove: ['verificationExpiresAt', 'verificationMailHeld'],
      set: { verifiedAt: now },
      event: {
        at: now,
        actor: 'requester',
        action: 'verified',
        from: 'pending_verification',
        to: 'pending_approval',
        detail: 'confirmed from the status page of another request to the same mailbox',
      },
    });
  } catch (error) {
    // Confirmed, cancelled or expired meanwhile.
    if (error instanceof ConflictError || error instanceof RequestNotFoundError) throw new InvalidLinkError(invalidStatusLink, { cause: error });
    throw error;
  }
  await deps.taskCallbacks.resume(verified.verificationTaskToken!, { verified: true });
  return { requestId: held.requestId, status: 'pending_approval' };
}
