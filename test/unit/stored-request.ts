/**
 * One request as the request table holds it, for the unit tests of the routes a requester or an
 * officer calls about it (status, cancel, extend): waiting for approval, with a status token the
 * requester was emailed and a history that holds what the requester must never see.
 */
import { issueToken, newRequestId } from '../../lambdas/domain/tokens.ts';

export const requestId = newRequestId(new Date('2026-11-23T10:00:00Z'));
/** A token we emailed the requester; the request holds its hash. */
export const statusToken = issueToken(requestId);

/** The stored request, received three days ago and due in 27; `extra` overrides or adds attributes. */
export const storedRequest = (extra: Record<string, unknown> = {}) => ({
  requestId,
  type: 'access',
  status: 'pending_approval',
  email: 'jane.doe@example.com',
  emailCanonical: 'jane.doe@example.com',
  jurisdiction: 'gdpr',
  locale: 'en',
  receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  dueAt: new Date(Date.now() + 27 * 86_400_000).toISOString(),
  updatedAt: new Date().toISOString(),
  statusTokenHashes: [issueToken(requestId).hash, statusToken.hash],
  approvalTaskToken: 'approval-task-token',
  events: [
    { at: '2026-11-20T10:00:00.000Z', actor: 'requester', action: 'submitted', detail: 'type access, policy gdpr' },
    { at: '2026-11-20T10:00:01.000Z', actor: 'system', action: 'awaiting_approval', detail: 'customerId: 2 match(es), flag: multiple_subjects' },
    { at: '2026-11-20T10:00:02.000Z', actor: 'officer', actorId: 'officer-secret-id', action: 'store_done', detail: 'accounts' },
  ],
  ...extra,
});
