import { addDays } from '../domain/deadline.ts';
import { RequestNotFoundError } from '../domain/errors.ts';
import { requesterLanguageOf, requesterPageLink } from '../domain/languages.ts';
import { localizeStore } from '../domain/store-catalog.ts';
import { issueToken } from '../domain/tokens.ts';
import { newStatusLink } from './status-link.ts';
import { accessCompletedMail, amendCompletedMail, deleteCompletedMail, objectionCompletedMail, rejectedMail } from '../messages/requester-mails.ts';
import type { MailBody } from '../messages/layout.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';

/** Operator settings: how long download links live, and how long backups keep erased data. */
export interface NotifySettings {
  readonly exportTtlDays: number;
  readonly backupWindowDays: number;
}

/**
 * Tells the requester how the request ended, by its status. A request that only partly
 * succeeded waits for an officer's retry: the requester hears once everything is done.
 */
export async function notifyRequester(
  deps: Pick<Dependencies, 'requests' | 'mailer' | 'catalog' | 'now' | 'publicBaseUrl'>,
  input: { requestId: string },
  settings: NotifySettings,
): Promise<{ notified: boolean }> {
  const request = await deps.requests.get(input.requestId);
  if (!request) throw new RequestNotFoundError(`Request ${input.requestId} does not exist`);
  if (request.completionNotifiedAt) return { notified: false };
  const now = deps.now();
  const baseUrl = deps.publicBaseUrl ?? request.baseUrl;
  let mail: MailBody | undefined;
  const set: Record<string, unknown> = {};
  // A completed access request is told only once its export exists (the branch below).
  const tellable = request.status === 'rejected' || (request.status === 'completed' && request.type !== 'access');
  // Every mail links to the status page; the hash is stored before the mail leaves.
  const status = newStatusLink(request, baseUrl!);

  if (request.status === 'completed' && request.type === 'access' && request.exportKey) {
    const { token, hash } = issueToken(request.requestId);
    const expiresAt = addDays(now, settings.exportTtlDays).toISOString();
    Object.assign(set, { downloadTokenHash: hash, downloadExpiresAt: expiresAt });
    // The hashes are stored before the mail leaves, so the links work the moment it arrives.
    await deps.requests.update(request.requestId, 'completed', { set, append: { statusTokenHashes: [status.hash] } });
    mail = accessCompletedMail({
      requestId: request.requestId,
      locale: request.locale,
      link: requesterPageLink(baseUrl!, 'download', token, request.locale),
      expiresAt,
      outcomes: request.storeOutcomes ?? [],
      storeNames: Object.fromEntries(deps.catalog.stores.map((store) => [store.id, localizeStore(store, requesterLanguageOf(request.locale)).name])),
      statusLink: status.link,
    });
  } else if (tellable) {
    await deps.requests.update(request.requestId, request.status, { append: { statusTokenHashes: [status.hash] } });
    const common = { requestId: request.requestId, statusLink: status.link, locale: request.locale };
    if (request.status === 'rejected') {
      mail = rejectedMail({ ...common, type: request.type, reason: request.rejectionReason ?? 'no reason was recorded' });
    } else if (request.type === 'amend') {
      mail = amendCompletedMail({ ...common, corrections: request.corrections ?? [], outcomes: request.storeOutcomes ?? [], stores: deps.catalog.stores });
    } else if (request.type === 'delete') {
      mail = deleteCompletedMail({ ...common, outcomes: request.storeOutcomes ?? [], stores: deps.catalog.stores, backupDays: settings.backupWindowDays });
    } else if (request.type === 'objection') {
      mail = objectionCompletedMail({ ...common, outcomes: request.storeOutcomes ?? [], stores: deps.catalog.stores });
    }
  }
  if (!mail) {
    logger.info('Nothing to tell the requester yet', { status: request.status });
    return { notified: false };
  }
  await deps.mailer.send({ to: request.email, requestId: request.requestId, ...mail });
  await deps.requests.update(request.requestId, request.status, {
    set: { completionNotifiedAt: now.toISOString() },
    event: { at: now.toISOString(), actor: 'system', action: 'requester_notified', detail: request.status },
  });
  return { notified: true };
}
