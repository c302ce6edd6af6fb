import { publicBaseUrl } from '../composition/config.ts';
import { connectorFor } from '../composition/connectors.ts';
import { catalog, objects, requests, storeTasks, taskCallbacks } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { runStoreAction, type RunStoreActionInput } from '../use-cases/run-store-action.ts';

export const handler = taskHandler((input: RunStoreActionInput) =>
  runStoreAction(
    {
      requests: requests(),
      storeTasks: storeTasks(),
      taskCallbacks: taskCallbacks(),
      catalog,
      connectorFor,
      objects: objects(),
      publicBaseUrl: publicBaseUrl(),
    },
    input,
  ),
);
