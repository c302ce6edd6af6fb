import { ConflictError, errorNameOf, MailNotSentError } from '../domain/errors.ts';
import type { Dependencies } from '../ports/dependencies.ts';

export interface ExpireRequestInput {
  readonly requestId: string;
  /** The error the workflow caught on the way here (`States.Timeout`, or `MailNotSentError` when the link could not be mailed). */
  readonly failure?: { readonly Error?: string };
}

/**
 * The request can go no further and ends as expired: the verification link was never used in time
 * (or could not be mailed), or no officer decided within the approval window. Safe to run twice.
 */
export async function expireRequest(deps: Pick<Dependencies, 'requests' | 'now'>, input: ExpireRequestInput): Promise<{ status: string }> {
  const now = deps.now().toISOString();
  const before = await deps.requests.get(input.requestId);
  const from = before?.status === 'pending_approval' ? 'pending_approval' : 'pending_verification';
  try {
    await deps.requests.transition(input.requestId, 'expired', {
      remove: ['verificationTokenHash', 'verificationExpiresAt'],
      event: {
        at: now,
        actor: 'system',
        action: 'expired',
        from,
        to: 'expired',
        detail: detailOf(from, input.failure?.Error),
      },
    });
  } catch (error) {
    const current = await deps.requests.get(input.requestId);
    if (!(error instanceof ConflictError) || current?.status !== 'expired') throw error;
  }
  return { status: 'expired' };
}

function detailOf(from: 'pending_approval' | 'pending_verification', error: string | undefined): string {
  if (from === 'pending_approval') return 'no officer decided within the approval window';
  // Not the requester's silence: they were never asked. An officer should look at the mail setup.
  if (error === errorNameOf(MailNotSentError)) return 'the verification mail could not be sent after every retry, so the requester was never asked to confirm';
  return 'the mailbox was not verified in time';
}
