import { InvalidLinkError } from '../domain/errors.ts';
import { requestStatus } from '../use-cases/request-status.ts';
import { guard, now, requests } from '../composition/dependencies.ts';
import { HttpError, httpHandler, json } from '../shared/http.ts';
import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';

/** `POST /status {token}`: the requester's view of their request. Unknown and invalid tokens answer the same 404. */
export const handler = httpHandler(
  async (event) => {
    // Tokens are unguessable, but guessing is still counted against the caller's network.
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    try {
      return json(200, await requestStatus({ requests: requests(), now }, (event.body as { token?: unknown }).token));
    } catch (error) {
      if (error instanceof InvalidLinkError) throw new HttpError(404, error.message);
      throw error;
    }
  },
  { jsonBody: true },
);
