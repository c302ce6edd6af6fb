import { jurisdictionPolicies, receiptConfirmationDue, type JurisdictionPolicy } from '../domain/deadline.ts';
import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import { requesterPageLink } from '../domain/languages.ts';
import { requestStatuses } from '../domain/status.ts';
import { issueToken } from '../domain/tokens.ts';
import { verificationMail } from '../messages/requester-mails.ts';
import type { ChangeOptions, StoredRequest } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';
import { cancelledByRequester, lostToCancellation } from './cancellation-race.ts';
import { newStatusLink } from './status-link.ts';

export interface StartVerificationInput {
  readonly requestId: string;
  readonly taskToken: string;
}

/**
 * Parks the workflow until the requester proves the mailbox: stores the task token and the hash of
 * a fresh single-use token, then emails the link (with a link to the status page). A retried run
 * issues a new link and voids the old. The mail also confirms receipt of the request, which is
 * recorded once it has gone (CCPA: within 10 business days).
 *
 * A request the requester cancelled before it was parked here fails this task with
 * `RequestCancelledError`, which the state machine catches: the execution ends as Cancelled.
 */
export async function startVerification(
  deps: Pick<Dependencies, 'requests' | 'mailer' | 'now' | 'publicBaseUrl'>,
  input: StartVerificationInput,
  ttlHours: number,
): Promise<void> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  if (request.status === 'cancelled') throw cancelledByRequester(request.requestId);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  if (request.verificationMailHeld) {
    // Past the mailbox's mail limit: parked without a mail or a link of its own, for the owner to
    // confirm from the status page of another request to the same mailbox, or to expire.
    await parkHeld(deps, request, input.taskToken, expiresAt, now);
    return;
  }
  const baseUrl = deps.publicBaseUrl ?? request.baseUrl;
  const { token, hash } = issueToken(request.requestId);
  const status = newStatusLink(request, baseUrl!);
  const change = {
    set: { verificationTokenHash: hash, verificationExpiresAt: expiresAt, verificationTaskToken: input.taskToken },
    append: { statusTokenHashes: [status.hash] },
    event: { at: now.toISOString(), actor: 'system' as const, action: 'verification_sent', from: request.status, to: 'pending_verification' as const },
  };
  await park(deps, request, change);

  const mail = verificationMail({
    requestId: request.requestId,
    locale: request.locale,
    type: request.type,
    link: requesterPageLink(baseUrl!, 'verify', token, request.locale),
    expiresAt,
    dueAt: request.dueAt,
    statusLink: status.link,
  });
  await deps.mailer.send({ to: request.email, requestId: request.requestId, ...mail });
  await recordReceiptConfirmed(deps, request, deps.now());
}

async function parkHeld(deps: Pick<Dependencies, 'requests'>, request: StoredRequest, taskToken: string, expiresAt: string, now: Date): Promise<void> {
  await park(deps, request, {
    set: { verificationExpiresAt: expiresAt, verificationTaskToken: taskToken },
    event: {
      at: now.toISOString(),
      actor: 'system',
      action: 'verification_held',
      from: request.status,
      to: 'pending_verification',
      detail: 'no mail: the mailbox had its mails for today',
    },
  });
}

/** Moves the request to (or keeps it in) pending_verification with the task token it waits on. */
async function park(deps: Pick<Dependencies, 'requests'>, request: StoredRequest, change: ChangeOptions): Promise<void> {
  try {
    if (request.status === 'submitted') await deps.requests.transition(request.requestId, 'pending_verification', change);
    else await deps.requests.update(request.requestId, 'pending_verification', change);
  } catch (error) {
    // The requester cancelled between our read and this write: nobody else will end this task.
    if (await lostToCancellation(deps, request.requestId, error)) throw cancelledByRequester(request.requestId, error);
    throw error;
  }
}

/** Records, once, that the requester was told we received the request: the verification mail says so. */
async function recordReceiptConfirmed(deps: Pick<Dependencies, 'requests'>, request: StoredRequest, at: Date): Promise<void> {
  if (request.receiptConfirmedAt) return;
  const due = receiptConfirmationDue(new Date(request.receivedAt), request.jurisdiction);
  const policy: JurisdictionPolicy = jurisdictionPolicies[request.jurisdiction];
  const detail = due
    ? `policy ${request.jurisdiction}: receipt confirmed by email, required within ${policy.receiptConfirmationBusinessDays} business days (by ${due.toISOString().slice(0, 10)})`
    : `policy ${request.jurisdiction}: receipt confirmed by email`;
  try {
    await deps.requests.update(request.requestId, requestStatuses, {
      set: { receiptConfirmedAt: at.toISOString() },
      require: [{ attribute: 'receiptConfirmedAt', exists: false }],
      event: { at: at.toISOString(), actor: 'system', action: 'receipt_confirmed', detail },
    });
  } catch (error) {
    // Already recorded by an earlier run of this task: nothing to add.
    if (!(error instanceof ConflictError)) throw error;
    logger.info('Receipt confirmation was already recorded');
  }
}
