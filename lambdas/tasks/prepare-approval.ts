import { autoApprovedTypes, repeatedRequestsFlagAtSetting } from '../composition/config.ts';
import { connectorFor } from '../composition/connectors.ts';
import { catalog, now, requests, taskCallbacks } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { prepareApproval, type PrepareApprovalInput } from '../use-cases/prepare-approval.ts';

export const handler = taskHandler((input: PrepareApprovalInput) =>
  prepareApproval({ requests: requests(), taskCallbacks: taskCallbacks(), catalog, connectorFor, now }, input, {
    autoApprove: autoApprovedTypes(),
    repeatedRequestsFlagAt: repeatedRequestsFlagAtSetting(),
  }),
);
