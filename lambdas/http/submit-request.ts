import { submitRequest } from '../use-cases/submit-request.ts';
import { config } from '../shared/config.ts';
import { catalog, now, requests, workflow } from '../shared/dependencies.ts';
import { baseUrlOf, httpHandler, json } from '../shared/http.ts';

export const handler = httpHandler(
  async (event) => {
    const result = await submitRequest({ requests: requests(), workflow: workflow(), catalog, now }, event.body, {
      baseUrl: baseUrlOf(event, config.publicBaseUrl),
      defaultJurisdiction: config.defaultJurisdiction,
    });
    return json(202, {
      ...result,
      message: 'Check your mailbox: we sent you a link to confirm that the address is yours.',
    });
  },
  { jsonBody: true },
);
