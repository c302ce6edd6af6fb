import { backupWindowDaysSetting, exportTtlDaysSetting, publicBaseUrl } from '../composition/config.ts';
import { catalog, mailer, now, requests } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { notifyRequester } from '../use-cases/notify-requester.ts';

export const handler = taskHandler((input: { requestId: string }) =>
  notifyRequester({ requests: requests(), mailer: mailer(), catalog, now, publicBaseUrl: publicBaseUrl() }, input, {
    exportTtlDays: exportTtlDaysSetting(),
    backupWindowDays: backupWindowDaysSetting(),
  }),
);
