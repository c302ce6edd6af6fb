import { InvalidLinkError } from '../domain/errors.ts';
import { downloadExport } from '../use-cases/download-export.ts';
import { guard, now, objects, requests } from '../composition/dependencies.ts';
import { HttpError, httpHandler, json } from '../shared/http.ts';
import { enforceIpLimit, ipTokenPostsRule } from '../shared/rate-limits.ts';

export const handler = httpHandler(
  async (event) => {
    // Tokens are unguessable, but guessing is still counted against the caller's network.
    await enforceIpLimit(guard(), ipTokenPostsRule(), event);
    try {
      return json(200, await downloadExport({ requests: requests(), objects: objects(), now }, (event.body as { token?: unknown }).token));
    } catch (error) {
      if (error instanceof InvalidLinkError) throw new HttpError(404, error.message);
      throw error;
    }
  },
  { jsonBody: true },
);
