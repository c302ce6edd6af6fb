import { now, requests } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { expireRequest } from '../use-cases/expire-request.ts';

export const handler = taskHandler((input: { requestId: string }) => expireRequest({ requests: requests(), now }, input));
