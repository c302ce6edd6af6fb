import { InvalidLinkError } from '../domain/errors.ts';
import type { AuditEvent, Extension, RequestType } from '../domain/request.ts';
import { notStartedStatuses, type RequestStatus } from '../domain/status.ts';
import { hashesEqual, parseToken } from '../domain/tokens.ts';
import type { StoredRequest } from '../ports/request-repository.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { heldRequestsFor, type HeldRequestView } from './confirm-held-request.ts';

/** One answer for every link we cannot honour: unknown request, unknown token, malformed token. */
export const invalidStatusLink = 'This link to your request is not valid. Please use the link in the latest email we sent you.';

/**
 * Finds the request a status token belongs to: `<requestId>.<secret>`, valid while the hash of its
 * secret is among the request's `statusTokenHashes`. Every stored hash is compared, in constant
 * time and without stopping at a match, so the answer's timing says nothing about the token.
 * Status links do not expire: a closed request stays viewable.
 */
export async function findByStatusToken(deps: Pick<Dependencies, 'requests'>, token: unknown): Promise<StoredRequest> {
  const parsed = parseToken(token);
  if (!parsed) throw new InvalidLinkError(invalidStatusLink);
  const request = await deps.requests.get(parsed.requestId);
  let found = false;
  for (const hash of request?.statusTokenHashes ?? []) found = hashesEqual(hash, parsed.hash) || found;
  if (!request || !found) throw new InvalidLinkError(invalidStatusLink);
  return request;
}

export interface RequestStatusView {
  readonly requestId: string;
  readonly type: RequestType;
  readonly status: RequestStatus;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly jurisdiction: string;
  readonly extension?: { readonly dueAt: string; readonly reason: string };
  readonly timeline: readonly { readonly at: string; readonly action: string }[];
  readonly canCancel: boolean;
  readonly downloadAvailable: boolean;
  /** The mailbox's requests held back by its mail limit, which the holder of this link may confirm. */
  readonly heldForMailbox: readonly HeldRequestView[];
}

/**
 * Audit actions a requester may see on their timeline, by name only: never who (officer ids),
 * never details (store names, identity matches, flags). Anything else (store steps, reminders
 * to officers) stays internal.
 */
export const requesterTimelineActions: ReadonlySet<string> = new Set([
  'submitted',
  'verification_sent',
  'receipt_confirmed',
  'verified',
  'awaiting_approval',
  'approved',
  'auto_approved',
  'extended',
  'retried',
  'partially_completed',
  'completed',
  'rejected',
  'requester_notified',
  'cancelled',
  'expired',
]);

export function requesterTimeline(events: readonly AuditEvent[]): { at: string; action: string }[] {
  return events.filter((event) => requesterTimelineActions.has(event.action)).map((event) => ({ at: event.at, action: event.action }));
}

/** What the requester's status page shows, from the token in any of our emails. Reading changes nothing. */
export async function requestStatus(deps: Pick<Dependencies, 'requests' | 'now'>, token: unknown): Promise<RequestStatusView> {
  const request = await findByStatusToken(deps, token);
  const now = deps.now().toISOString();
  const extension: Extension | undefined = request.extension;
  return {
    requestId: request.requestId,
    type: request.type,
    status: request.status,
    receivedAt: request.receivedAt,
    dueAt: request.dueAt,
    jurisdiction: request.jurisdiction,
    ...(extension ? { extension: { dueAt: extension.dueAt, reason: extension.reason } } : {}),
    timeline: requesterTimeline(request.events ?? []),
    canCancel: notStartedStatuses.includes(request.status),
    downloadAvailable: Boolean(
      request.status === 'completed' && request.exportKey && request.downloadTokenHash && request.downloadExpiresAt && request.downloadExpiresAt > now,
    ),
    heldForMailbox: await heldRequestsFor(deps, request),
  };
}
