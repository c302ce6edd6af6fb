import { now, requests } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { expireRequest, type ExpireRequestInput } from '../use-cases/expire-request.ts';

export const handler = taskHandler((input: ExpireRequestInput) => expireRequest({ requests: requests(), now }, input));
