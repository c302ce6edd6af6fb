import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';
import { InvalidLinkError } from '../domain/errors.ts';
import { cancelRequest } from '../use-cases/cancel-request.ts';
import { publicBaseUrl } from '../composition/config.ts';
import { mailer, now, requests, taskCallbacks, guard } from '../composition/dependencies.ts';
import { HttpError, httpHandler, json } from '../shared/http.ts';

/** `POST /cancel {token}` (a status-page token): withdraws an open request; 409 once it can no longer be withdrawn. */
export const handler = httpHandler(
  async (event) => {
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    try {
      const result = await cancelRequest(
        { requests: requests(), taskCallbacks: taskCallbacks(), mailer: mailer(), now, publicBaseUrl: publicBaseUrl() },
        (event.body as { token?: unknown }).token,
      );
      return json(200, { ...result, message: 'Your request is cancelled. We have sent you a confirmation by email.' });
    } catch (error) {
      if (error instanceof InvalidLinkError) throw new HttpError(404, error.message);
      throw error;
    }
  },
  { jsonBody: true },
);
