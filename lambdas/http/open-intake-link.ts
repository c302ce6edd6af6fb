import { verifyIntakeLink } from '../domain/intake-link.ts';
import { intakeLinkKey } from '../adapters/intake-link-key.ts';
import { guard } from '../shared/dependencies.ts';
import { HttpError, httpHandler, json } from '../shared/http.ts';
import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';

/**
 * `POST /intake {token}` (from `/#intake=<token>`): the address a signed "manage my data" link
 * was made for, so the form can be pre-filled. Only pre-fills: the request that follows is
 * verified through the mailbox like any other.
 */
export const handler = httpHandler(
  async (event) => {
    // Tokens are unguessable, but guessing is still counted against the caller's network.
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    const claims = verifyIntakeLink((event.body as { token?: unknown }).token, await intakeLinkKey(), new Date());
    if (!claims) throw new HttpError(400, 'This link is not valid or has expired. You can still fill in the form yourself.');
    return json(200, { email: claims.email });
  },
  { jsonBody: true },
);
