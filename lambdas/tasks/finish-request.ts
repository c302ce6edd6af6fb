import { catalog, mailer, now, objects, requests, storeTasks } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { finishRequest, type FinishRequestInput } from '../use-cases/finish-request.ts';

export const handler = taskHandler((input: FinishRequestInput) =>
  finishRequest({ requests: requests(), storeTasks: storeTasks(), catalog, objects: objects(), mailer: mailer(), now }, input),
);
