import { ConflictError } from '../domain/errors.ts';
import type { Dependencies } from '../ports/dependencies.ts';

/**
 * The request can go no further and ends as expired: the verification link was never used in time
 * (or could not be mailed), or no officer decided within the approval window. Safe to run twice.
 */
export async function expireRequest(deps: Pick<Dependencies, 'requests' | 'now'>, input: { requestId: string }): Promise<{ status: string }> {
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
        detail: from === 'pending_approval' ? 'no officer decided within the approval window' : 'the mailbox was not verified in time',
      },
    });
  } catch (error) {
    const current = await deps.requests.get(input.requestId);
    if (!(error instanceof ConflictError) || current?.status !== 'expired') throw error;
  }
  return { status: 'expired' };
}
