import { extendRequest } from '../use-cases/extend-request.ts';
import { publicBaseUrl } from '../composition/config.ts';
import { mailer, now, requests } from '../composition/dependencies.ts';
import { httpHandler, json, pathParameter, requireOfficer } from '../shared/http.ts';

/**
 * `POST /admin/requests/{id}/extend {reason, months?|days?}`: an officer extends the due date
 * within the policy. 400 names what the policy forbids; 409 for a request that is no longer open.
 */
export const handler = httpHandler(
  async (event) => {
    const officer = requireOfficer(event);
    const { request, requesterNotified } = await extendRequest(
      { requests: requests(), mailer: mailer(), now, publicBaseUrl: publicBaseUrl() },
      pathParameter(event, 'id'),
      officer.id,
      event.body,
    );
    return json(200, { ...request, requesterNotified });
  },
  { jsonBody: true },
);
