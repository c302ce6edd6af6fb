import { SendEmailCommand, type SendEmailCommandOutput, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailNotSentError } from '../domain/errors.ts';
import type { Mailer, OutgoingMail } from '../ports/mailer.ts';

const headerBreak = /[\r\n]/;

/** Sends through SES v2. Refuses anything that could inject a header, even though SES would too. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    if (headerBreak.test(mail.to) || headerBreak.test(mail.subject) || !mail.to.includes('@')) {
      throw new Error(`Refusing to send mail for request ${mail.requestId}: recipient or subject is malformed`);
    }
    const command = new SendEmailCommand({
      FromEmailAddress: this.from,
      Destination: { ToAddresses: [mail.to] },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [{ Name: 'request', Value: mail.requestId }],
    });
    let result: SendEmailCommandOutput;
    try {
      result = await this.client.send(command);
    } catch (error) {
      // Named so the state machine's Retry matches it; the SDK error stays as the cause.
      throw new MailNotSentError(`Mail for request ${mail.requestId} was not sent: ${(error as Error).name}`, { cause: error });
    }
    return { messageId: result.MessageId ?? '' };
  }
}
