import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every function. Log keys, not people: the request id travels on every line;
 * emails, names, tokens and records never do.
 */
export const logger = new Logger({ serviceName: 'dsr-workflow' });
