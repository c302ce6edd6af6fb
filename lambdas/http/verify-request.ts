import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';
import { verifyRequest } from '../use-cases/verify-request.ts';
import { now, requests, taskCallbacks, guard } from '../composition/dependencies.ts';
import { httpHandler, json } from '../shared/http.ts';

export const handler = httpHandler(
  async (event) => {
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    const { requestId } = await verifyRequest({ requests: requests(), taskCallbacks: taskCallbacks(), now }, (event.body as { token?: unknown }).token);
    return json(200, {
      requestId,
      status: 'pending_approval',
      message: 'Thank you: your request is confirmed. A privacy officer will now review it, and we will email you the outcome.',
    });
  },
  { jsonBody: true },
);
