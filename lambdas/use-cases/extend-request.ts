import { jurisdictionPolicies } from '../domain/deadline.ts';
import { RequestNotFoundError } from '../domain/errors.ts';
import { parseExtensionAsk, planExtension } from '../domain/extension.ts';
import type { DsrRequest, Extension } from '../domain/request.ts';
import { unfinishedStatuses } from '../domain/status.ts';
import { extensionMail } from '../messages/requester-mails.ts';
import { publicView } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';
import { newStatusLink } from './status-link.ts';

export interface ExtensionResult {
  readonly request: DsrRequest;
  /** False when the mail to the requester could not be sent: the officer must tell them another way. */
  readonly requesterNotified: boolean;
}

/**
 * An officer extends the due date with a reason, within the jurisdiction's policy
 * (`planExtension`). The new date, the extension and the audit event land in one conditional
 * write on the due date we planned from, so two concurrent extensions cannot both apply. The
 * requester is then emailed the reason and the new date, as the law requires.
 */
export async function extendRequest(
  deps: Pick<Dependencies, 'requests' | 'mailer' | 'now' | 'publicBaseUrl'>,
  requestId: string,
  officerId: string,
  body: unknown,
): Promise<ExtensionResult> {
  const ask = parseExtensionAsk(body);
  const request = await deps.requests.get(requestId);
  if (!request) throw new RequestNotFoundError(`Request ${requestId} does not exist`);
  const now = deps.now();
  const plan = planExtension(request, ask, now);
  const at = now.toISOString();
  const status = newStatusLink(request, (deps.publicBaseUrl ?? request.baseUrl)!);
  const extension: Extension = {
    dueAt: plan.dueAt,
    reason: ask.reason,
    at,
    officerId,
    count: plan.count,
    ...(plan.totalMonths !== undefined ? { totalMonths: plan.totalMonths } : {}),
    ...(plan.totalDays !== undefined ? { totalDays: plan.totalDays } : {}),
  };
  const extended = await deps.requests.update(requestId, unfinishedStatuses, {
    set: { dueAt: plan.dueAt, extension },
    append: { statusTokenHashes: [status.hash] },
    require: [{ attribute: 'dueAt', equals: request.dueAt }],
    // The reason is kept on the request (the requester receives it), not in the audit detail.
    event: {
      at,
      actor: 'officer',
      actorId: officerId,
      action: 'extended',
      detail: `policy ${request.jurisdiction}: +${plan.added}, due ${request.dueAt.slice(0, 10)} -> ${plan.dueAt.slice(0, 10)}`,
    },
  });

  let requesterNotified = true;
  try {
    const mail = extensionMail({
      requestId,
      locale: request.locale,
      type: request.type,
      reason: ask.reason,
      previousDueAt: request.dueAt,
      dueAt: plan.dueAt,
      policyLabel: jurisdictionPolicies[request.jurisdiction].label,
      statusLink: status.link,
    });
    await deps.mailer.send({ to: request.email, requestId, ...mail });
  } catch (error) {
    requesterNotified = false;
    logger.error('The extension is recorded but its mail to the requester was not sent', { errorName: (error as Error).name });
  }
  return { request: publicView(extended), requesterNotified };
}
