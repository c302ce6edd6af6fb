/** A message ready to send. `to` is always an address exactly as stored for the request. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Lets the mail log be joined to a request without carrying personal data. */
  readonly requestId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}
