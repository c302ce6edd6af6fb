import { submitRequest } from '../use-cases/submit-request.ts';
import { defaultJurisdictionSetting, offeredJurisdictionsSetting, publicBaseUrl } from '../composition/config.ts';
import { catalog, guard, now, requests, workflow } from '../composition/dependencies.ts';
import { baseUrlOf, httpHandler, json } from '../shared/http.ts';
import {
  answerNoSoonerThan,
  enforceIpLimit,
  ipSubmissionsRule,
  emailVerificationsRule,
  submissionDedupeSeconds,
  submissionAnswerFloor,
} from '../shared/rate-limits.ts';

export const handler = httpHandler(
  async (event) => {
    await enforceIpLimit(guard(), ipSubmissionsRule(), event);
    const startedAt = Date.now();
    const result = await submitRequest({ requests: requests(), workflow: workflow(), catalog, now, guard: guard() }, event.body, {
      baseUrl: baseUrlOf(event, publicBaseUrl()),
      defaultJurisdiction: defaultJurisdictionSetting(),
      offeredJurisdictions: offeredJurisdictionsSetting(),
      emailLimit: emailVerificationsRule(),
      dedupeSeconds: submissionDedupeSeconds(),
    });
    // New, repeated or past the per-email limit: every accepted submission takes the same time.
    await answerNoSoonerThan(startedAt, submissionAnswerFloor());
    return json(202, {
      ...result,
      message: 'Check your mailbox: we sent you a link to confirm that the address is yours.',
    });
  },
  { jsonBody: true },
);
