import { officerEmail, publicBaseUrl } from '../composition/config.ts';
import { mailer, now, requests } from '../composition/dependencies.ts';
import { sendReminders, type ReminderRun } from '../use-cases/send-reminders.ts';

/** Scheduled (EventBridge in AWS, a timer locally): the input is ignored. */
export const handler = async (): Promise<ReminderRun> =>
  sendReminders({ requests: requests(), mailer: mailer(), now, publicBaseUrl: publicBaseUrl() }, officerEmail());
