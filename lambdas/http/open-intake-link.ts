import { intakeLinkKey } from '../composition/intake-link-key.ts';
import { guard, now } from '../composition/dependencies.ts';
import { httpHandler, json } from '../shared/http.ts';
import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';
import { openIntakeLink } from '../use-cases/open-intake-link.ts';

/** `POST /intake {token}` (from `/#intake=<token>`): the address the link was made for (use-cases/open-intake-link.ts). */
export const handler = httpHandler(
  async (event) => {
    // Tokens are unguessable, but guessing is still counted against the caller's network.
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    return json(200, await openIntakeLink({ intakeLinkKey, now }, (event.body as { token?: unknown }).token));
  },
  { jsonBody: true },
);
