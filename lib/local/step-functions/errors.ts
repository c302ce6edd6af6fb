/** Errors as aws-local-stepfunctions hands them to a state's Retry and Catch, which match by `name`. */

/**
 * An Error the library matches by `name` in Retry/Catch. The library reads `isRetryable` and
 * `isCatchable` (default true) off the error, which lets us make some errors terminal.
 */
export function namedError(name: string, message: string, flags: { retryable?: boolean; catchable?: boolean } = {}): Error {
  const error = new Error(message);
  error.name = name;
  if (flags.retryable === false) Object.defineProperty(error, 'isRetryable', { value: false });
  if (flags.catchable === false) Object.defineProperty(error, 'isCatchable', { value: false });
  return error;
}

/** A handler failure as Step Functions reports a Lambda error: Error = errorType, Cause = JSON. */
export function lambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
  return namedError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

export function executionClosedError(): Error {
  return namedError('ExecutionClosed', 'The execution is no longer running', { retryable: false, catchable: false });
}
