import { submitRequest } from '../use-cases/submit-request.ts';
import { config } from '../shared/config.ts';
import { catalog, guard, now, requests, workflow } from '../shared/dependencies.ts';
import { baseUrlOf, httpHandler, json } from '../shared/http.ts';
import { answerNoSoonerThan, enforceIpLimit, rateLimits } from '../shared/rate-limits.ts';

export const handler = httpHandler(
  async (event) => {
    await enforceIpLimit(guard(), rateLimits.ipSubmissions, event);
    const startedAt = Date.now();
    const result = await submitRequest({ requests: requests(), workflow: workflow(), catalog, now, guard: guard() }, event.body, {
      baseUrl: baseUrlOf(event, config.publicBaseUrl),
      defaultJurisdiction: config.defaultJurisdiction,
      emailLimit: rateLimits.emailVerifications,
      dedupeSeconds: rateLimits.submissionDedupeSeconds,
    });
    // New, repeated or past the per-email limit: every accepted submission takes the same time.
    await answerNoSoonerThan(startedAt, rateLimits.submissionAnswerFloorMs);
    return json(202, {
      ...result,
      message: 'Check your mailbox: we sent you a link to confirm that the address is yours.',
    });
  },
  { jsonBody: true },
);
