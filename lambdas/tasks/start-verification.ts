import { publicBaseUrl, verificationTtlHoursSetting } from '../composition/config.ts';
import { mailer, now, requests } from '../composition/dependencies.ts';
import { taskHandler } from '../shared/task.ts';
import { startVerification, type StartVerificationInput } from '../use-cases/start-verification.ts';

export const handler = taskHandler((input: StartVerificationInput) =>
  startVerification({ requests: requests(), mailer: mailer(), now, publicBaseUrl: publicBaseUrl() }, input, verificationTtlHoursSetting()),
);
