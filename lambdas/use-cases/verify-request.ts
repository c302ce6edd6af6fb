import { ConflictError, InvalidLinkError, RequestNotFoundError } from '../domain/errors.ts';
import { hashesEqual, parseToken } from '../domain/tokens.ts';
import type { Dependencies } from '../shared/dependencies.ts';

const invalidLink = 'This confirmation link is not valid, was already used, or has expired. Please submit your request again.';

/** Wrong tokens for one request before its link stops working (even the right one): submit again. */
export const maxVerificationAttempts = 5;

/**
 * Consumes a verification token. Checking the hash and expiry, using up the token and moving the
 * status is one conditional write: of many concurrent confirmations with one token, one wins.
 * Wrong tokens for a waiting request are counted (`verificationAttempts`, a conditional write on
 * the count read); the fifth removes the token's hash, so the link is dead.
 */
export async function verifyRequest(deps: Pick<Dependencies, 'requests' | 'taskCallbacks' | 'now'>, token: unknown): Promise<{ requestId: string }> {
  const parsed = parseToken(token);
  if (!parsed) throw new InvalidLinkError(invalidLink);
  const now = deps.now().toISOString();
  let verified;
  try {
    verified = await deps.requests.transition(parsed.requestId, 'pending_approval', {
      require: [
        { attribute: 'verificationTokenHash', equals: parsed.hash },
        { attribute: 'verificationExpiresAt', greaterThan: now },
      ],
      remove: ['verificationTokenHash', 'verificationExpiresAt'],
      set: { verifiedAt: now },
      event: { at: now, actor: 'requester', action: 'verified', from: 'pending_verification', to: 'pending_approval' },
    });
  } catch (error) {
    if (error instanceof ConflictError || error instanceof RequestNotFoundError) {
      if (error instanceof ConflictError) await countWrongToken(deps, parsed.requestId, parsed.hash, now);
      throw new InvalidLinkError(invalidLink, { cause: error });
    }
    throw error;
  }
  if (!verified.verificationTaskToken) throw new Error(`Request ${parsed.requestId} has no verification task to resume`);
  await deps.taskCallbacks.resume(verified.verificationTaskToken, { verified: true });
  return { requestId: parsed.requestId };
}

async function countWrongToken(deps: Pick<Dependencies, 'requests'>, requestId: string, hash: string, now: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await deps.requests.get(requestId);
    // Only a live link is guarded: nothing to count once it is used, expired or already dead.
    if (!current || current.status !== 'pending_verification' || !current.verificationTokenHash) return;
    if (hashesEqual(current.verificationTokenHash, hash)) return; // the right token, refused for another reason (expiry)
    const seen = current.verificationAttempts ?? 0;
    const attempts = seen + 1;
    const exhausted = attempts >= maxVerificationAttempts;
    try {
      await deps.requests.update(requestId, 'pending_verification', {
        require: [seen === 0 ? { attribute: 'verificationAttempts', exists: false } : { attribute: 'verificationAttempts', equals: seen }],
        set: { verificationAttempts: attempts },
        ...(exhausted
          ? {
              remove: ['verificationTokenHash', 'verificationExpiresAt'],
              event: { at: now, actor: 'system', action: 'verification_locked', detail: `${attempts} wrong confirmation links: the link no longer works` },
            }
          : {}),
      });
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Another attempt counted first: read the new count and count this one on top.
    }
  }
}
