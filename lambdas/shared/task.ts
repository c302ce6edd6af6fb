import { logger } from './logger.ts';

/**
 * Wires a workflow task: the request id joins every log line, and errors leave with their name
 * intact, because the state machine's Retry and Catch match on it.
 */
export function taskHandler<Input extends { requestId: string }, Output>(task: (input: Input) => Promise<Output>) {
  return async (input: Input): Promise<Output> => {
    logger.appendKeys({ requestId: input.requestId });
    try {
      return await task(input);
    } catch (error) {
      logger.warn('Task failed', { errorName: (error as Error).name, errorMessage: (error as Error).message });
      throw error;
    } finally {
      logger.removeKeys(['requestId']);
    }
  };
}
