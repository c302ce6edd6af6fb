import { ConflictError, InvalidLinkError, RequestNotFoundError } from '../domain/errors.ts';
import { parseToken } from '../domain/tokens.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import type { StoredRequest } from '../ports/request-repository.ts';

const invalidLink =
  'This confirmation link is not valid, was already used, or has expired. If you already confirmed it, follow your request with the status link in our email; if it expired unconfirmed, you can make a new request.';

/**
 * Consumes a verification token. Checking the hash and expiry, using up the token and moving the
 * status is one conditional write: of many concurrent confirmations with one token, one wins.
 *
 * Wrong tokens change nothing. The secret is 256 random bits, so guessing is hopeless and the
 * per-IP limit on token posts is the defence; a lock after N wrong tries would be one a stranger
 * who knows a request id could trigger to kill the owner's genuine link.
 */
export async function verifyRequest(deps: Pick<Dependencies, 'requests' | 'taskCallbacks' | 'now'>, token: unknown): Promise<{ requestId: string }> {
  const parsed = parseToken(token);
  if (!parsed) throw new InvalidLinkError(invalidLink);
  const now = deps.now().toISOString();
  let verified: StoredRequest;
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
    if (error instanceof ConflictError || error instanceof RequestNotFoundError) throw new InvalidLinkError(invalidLink, { cause: error });
    throw error;
  }
  if (!verified.verificationTaskToken) throw new Error(`Request ${parsed.requestId} has no verification task to resume`);
  await deps.taskCallbacks.resume(verified.verificationTaskToken, { verified: true });
  return { requestId: parsed.requestId };
}
