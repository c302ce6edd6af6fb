import { StoreConfigurationError, StoreUnavailableError } from '../../domain/errors.ts';

const configurationErrors = new Set(['ResourceNotFoundException', 'NoSuchBucket', 'AccessDeniedException', 'AccessDenied', 'ValidationException']);

/**
 * Turns an SDK error into the named error the state machine routes on: a missing table, bucket or
 * permission is a configuration problem (retrying will not help); anything else may pass.
 */
export function asStoreError(storeId: string, error: unknown): Error {
  const name = error instanceof Error ? error.name : 'UnknownError';
  if (configurationErrors.has(name)) return new StoreConfigurationError(`Store ${storeId}: ${name}`, { cause: error });
  return new StoreUnavailableError(`Store ${storeId} did not answer: ${name}`, { cause: error });
}
