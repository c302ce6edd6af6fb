import { webhookSecret } from '../composition/connectors.ts';
import { catalog, now, objects, storeTasks, taskCallbacks } from '../composition/dependencies.ts';
import { SignatureRefusedError } from '../domain/errors.ts';
import { signatureHeader } from '../domain/webhook-signature.ts';
import { HttpError, httpHandler, json, type HttpEvent } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { receiveStoreCallback } from '../use-cases/receive-store-callback.ts';

/** Larger than other routes' limit: an access answer may carry the records it found. */
const maxCallbackBytes = 1024 * 1024;

/** The exact bytes the processor signed. */
function rawBodyOf(event: HttpEvent): string {
  if (typeof event.body !== 'string' || event.body.length === 0) throw new HttpError(400, 'A JSON body is required');
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > maxCallbackBytes) throw new HttpError(413, `The body is larger than ${maxCallbackBytes} bytes`);
  return raw;
}

/** `POST /callbacks/{storeId}`: a processor's signed, asynchronous answer (use-cases/receive-store-callback.ts). */
export const handler = httpHandler(
  async (event) => {
    const storeId = event.pathParameters?.storeId;
    try {
      const settled = await receiveStoreCallback(
        { catalog, storeTasks: storeTasks(), taskCallbacks: taskCallbacks(), objects: objects(), now, webhookSecret },
        storeId,
        () => rawBodyOf(event),
        event.headers[signatureHeader],
      );
      logger.appendKeys({ requestId: settled.requestId });
      logger.info('Store callback settled the task', { storeId: settled.storeId, status: settled.status });
      return json(200, { received: true });
    } catch (error) {
      if (error instanceof SignatureRefusedError) logger.warn('Callback signature refused', { storeId });
      throw error;
    }
  },
  { maxBodyBytes: maxCallbackBytes },
);
