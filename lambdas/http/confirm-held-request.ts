import { InvalidLinkError } from '../domain/errors.ts';
import { confirmHeldRequest } from '../use-cases/confirm-held-request.ts';
import { guard, now, requests, taskCallbacks } from '../composition/dependencies.ts';
import { HttpError, httpHandler, json } from '../shared/http.ts';
import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';

/**
 * `POST /status/confirm {token, requestId}`: the mailbox owner confirms a request that the mail
 * limit held back, with the status link of another request to that mailbox. Every refusal is the
 * same 404 as an invalid status link.
 */
export const handler = httpHandler(
  async (event) => {
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    const body = event.body as { token?: unknown; requestId?: unknown };
    try {
      return json(
        200,
        await confirmHeldRequest({ requests: requests(), taskCallbacks: taskCallbacks(), now }, { token: body.token, requestId: body.requestId }),
      );
    } catch (error) {
      if (error instanceof InvalidLinkError) throw new HttpError(404, error.message);
      throw error;
    }
  },
  { jsonBody: true },
);
