import { ConflictError, errorNameOf, RequestCancelledError, RequestNotFoundError } from '../domain/errors.ts';
import { notStartedStatuses, type RequestStatus } from '../domain/status.ts';
import { cancelledMail } from '../messages/requester-mails.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';
import { findByStatusToken } from './request-status.ts';
import { issueStatusLink } from './status-link.ts';

const tooLate = 'This request can no longer be cancelled: we have already started carrying it out, or it has ended.';

/**
 * The requester withdraws an open request with the token of any of our emails. Moving the status
 * is one conditional write on the exact status we saw (so we know which parked task to end); if
 * the workflow moved it meanwhile, we look again. Then the parked task (verification or approval)
 * is failed with `RequestCancelledError` (wire name `RequestCancelled`), which ends the execution. A request not parked yet (submitted,
 * or approval still being prepared) is ended by that task itself when it finds it cancelled.
 */
export async function cancelRequest(
  deps: Pick<Dependencies, 'requests' | 'taskCallbacks' | 'mailer' | 'now' | 'publicBaseUrl'>,
  token: unknown,
): Promise<{ requestId: string; status: 'cancelled' }> {
  let request = await findByStatusToken(deps, token);
  let cancelled: StoredRequest | undefined;
  let from: RequestStatus = request.status;
  for (let attempt = 0; !cancelled; attempt += 1) {
    from = request.status;
    if (!notStartedStatuses.includes(from)) throw new ConflictError(tooLate);
    const at = deps.now().toISOString();
    try {
      cancelled = await deps.requests.transition(request.requestId, 'cancelled', {
        require: [{ attribute: 'status', equals: from }],
        set: { cancelledAt: at },
        // The verification link dies with the request.
        remove: ['verificationTokenHash', 'verificationExpiresAt'],
        event: { at, actor: 'requester', action: 'cancelled', from, to: 'cancelled' },
      });
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      const current = await deps.requests.get(request.requestId);
      if (!current) throw new RequestNotFoundError(`Request ${request.requestId} does not exist`);
      request = current;
    }
  }

  const taskToken = from === 'pending_verification' ? cancelled.verificationTaskToken : from === 'pending_approval' ? cancelled.approvalTaskToken : undefined;
  if (taskToken) {
    try {
      await deps.taskCallbacks.fail(taskToken, errorNameOf(RequestCancelledError), 'Cancelled by the requester');
    } catch (error) {
      // The task may have ended meanwhile (timed out); the request is cancelled either way.
      logger.error('Could not end the parked task of a cancelled request', { errorName: (error as Error).name, from });
    }
  }

  try {
    const baseUrl = (deps.publicBaseUrl ?? cancelled.baseUrl)!;
    const statusLink = await issueStatusLink(deps, cancelled, baseUrl, 'cancelled');
    const mail = cancelledMail({ requestId: cancelled.requestId, locale: cancelled.locale, type: cancelled.type, statusLink });
    await deps.mailer.send({ to: cancelled.email, requestId: cancelled.requestId, ...mail });
  } catch (error) {
    // The cancellation stands; the confirmation mail is a courtesy the page already gave.
    logger.error('Could not send the cancellation mail', { errorName: (error as Error).name });
  }
  return { requestId: cancelled.requestId, status: 'cancelled' };
}
