import { RequestNotFoundError } from '../domain/errors.ts';
import { issueToken } from '../domain/tokens.ts';
import { verificationMail } from '../messages/requester-mails.ts';
import { config } from '../shared/config.ts';
import { mailer, now, requests, type Dependencies } from '../shared/dependencies.ts';
import { taskHandler } from '../shared/task.ts';

export interface StartVerificationInput {
  readonly requestId: string;
  readonly taskToken: string;
}

/**
 * Parks the workflow until the requester proves the mailbox: stores the task token and the hash of
 * a fresh single-use token, then emails the link. A retried run issues a new link and voids the old.
 */
export async function startVerification(deps: Pick<Dependencies, 'requests' | 'mailer' | 'now' | 'publicBaseUrl'>, input: StartVerificationInput, ttlHours = config.verificationTtlHours): Promise<void> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  const now = deps.now();
  const { token, hash } = issueToken(request.requestId);
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  const change = {
    set: { verificationTokenHash: hash, verificationExpiresAt: expiresAt, verificationTaskToken: input.taskToken },
    event: { at: now.toISOString(), actor: 'system' as const, action: 'verification_sent', from: request.status, to: 'pending_verification' as const },
  };
  if (request.status === 'submitted') await deps.requests.transition(request.requestId, 'pending_verification', change);
  else await deps.requests.update(request.requestId, 'pending_verification', change);

  const baseUrl = deps.publicBaseUrl ?? request.baseUrl;
  const mail = verificationMail({ requestId: request.requestId, type: request.type, link: `${baseUrl}/verify#t=${token}`, expiresAt, dueAt: request.dueAt });
  await deps.mailer.send({ to: request.email, requestId: request.requestId, ...mail });
}

export const handler = taskHandler((input: StartVerificationInput) => startVerification({ requests: requests(), mailer: mailer(), now, publicBaseUrl: config.publicBaseUrl }, input));
