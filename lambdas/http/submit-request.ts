import { submitRequest } from '../use-cases/submit-request.ts';
import { config } from '../shared/config.ts';
import { dependencies } from '../shared/dependencies.ts';
import { baseUrlOf, httpHandler, json } from '../shared/http.ts';

export const handler = httpHandler(
  async (event) => {
    const result = await submitRequest(dependencies, event.body, {
      baseUrl: baseUrlOf(event, dependencies.publicBaseUrl),
      defaultJurisdiction: config.defaultJurisdiction,
    });
    return json(202, {
      ...result,
      message: 'Check your mailbox: we sent you a link to confirm that the address is yours.',
    });
  },
  { jsonBody: true },
);
