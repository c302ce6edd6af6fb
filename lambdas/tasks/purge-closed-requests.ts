import { recordRetentionDaysSetting } from '../composition/config.ts';
import { now, requests, storeTasks } from '../composition/dependencies.ts';
import { purgeClosedRequests, type RetentionRun } from '../use-cases/purge-closed-requests.ts';

/** Scheduled (EventBridge in AWS, a timer locally): the input is ignored. */
export const handler = async (): Promise<RetentionRun> =>
  purgeClosedRequests({ requests: requests(), storeTasks: storeTasks(), now }, recordRetentionDaysSetting());
