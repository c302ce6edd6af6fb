// @ts-check
// Calls to the officer API with the session's token, and what its answers hold, as far as the
// console reads them (lambdas/http/get-request.ts, list-requests.ts, preview-request.ts). The API
// is this product's own: answers are typed here, not checked again at run time.

import { showAlert } from './console-dom.js';
import { currentToken, dropToken, signInSettings } from './console-session.js';
import { showSignIn } from './console-views.js';

/** @import { RequestStatus } from './request-statuses.js' */

/**
 * A request in a list: the queue, the dashboard, a mailbox's other requests.
 * @typedef {object} RequestSummary
 * @property {string} requestId
 * @property {string} type
 * @property {RequestStatus} status
 * @property {string} receivedAt
 * @property {string} dueAt
 * @property {string} [completedAt]
 * @property {string[]} [reviewFlags]
 */

/**
 * What a store did, or what an officer recorded for it.
 * @typedef {object} StoreResult
 * @property {string} status
 * @property {number} [recordCount]
 * @property {number} [updated]
 * @property {number} [deleted]
 * @property {number} [anonymized]
 * @property {number} [retained]
 * @property {number} [remaining]
 * @property {string} [note]
 * @property {string} [messageToRequester]
 * @property {string} [error]
 * @property {'officer'} [completedBy]
 */

/** @typedef {StoreResult & { storeId: string }} StoreOutcome */

/**
 * One store's task of a running request.
 * @typedef {object} StoreTask
 * @property {string} storeId
 * @property {string} [storeName]
 * @property {string} [storeKind]
 * @property {string} [kind]
 * @property {string} status
 * @property {string} [action]
 * @property {number} [attempts]
 * @property {string} [note]
 * @property {StoreResult} [result]
 * @property {{ by?: string, at?: string, reason?: string }} [escalatedToManual]
 */

/**
 * @typedef {object} AuditEvent
 * @property {string} at
 * @property {string} actor
 * @property {string} [actorId]
 * @property {string} action
 * @property {RequestStatus} [from]
 * @property {RequestStatus} [to]
 * @property {string} [detail]
 */

/**
 * The closing mail's words around an officer's message, in the request's language.
 * @typedef {{ language?: string, officerMessage: string, colon: string, storeNames: Record<string, string> }} RequesterWords
 */

/**
 * One request as GET /admin/requests/{id} answers it.
 * @typedef {object} RequestDetailFields
 * @property {string} [email]
 * @property {string} jurisdiction
 * @property {string} [locale]
 * @property {string} [updatedAt]
 * @property {{ count: number, totalMonths?: number, totalDays?: number, reason?: string }} [extension]
 * @property {string} [receiptConfirmedAt]
 * @property {string} [verifiedAt]
 * @property {string} [approvedAt]
 * @property {string} [cancelledAt]
 * @property {string} [rejectionReason]
 * @property {{ identity: string, values: string[], source: string | { storeId: string, storeName: string, via?: string } }[]} [identities]
 * @property {{ storeId: string, field: string, attribute?: string, before?: string[], after?: string }[]} [amendmentPreview]
 * @property {{ storeId: string, field: string, reason: string }[]} [uncorrectedFields]
 * @property {{ field: string, value: string }[]} [corrections]
 * @property {Record<string, string>} [storeNames]
 * @property {string[]} [storeIds]
 * @property {StoreTask[]} [storeTasks]
 * @property {StoreOutcome[]} [storeOutcomes]
 * @property {{ storeId: string, recipient: string, channel: string, at: string, notSent?: boolean }[]} [recipientNotices]
 * @property {AuditEvent[]} [events]
 * @property {RequestSummary[]} [otherRequests]
 * @property {boolean} [otherRequestsTruncated]
 * @property {RequesterWords} [requesterWords]
 */
/** @typedef {RequestSummary & RequestDetailFields} RequestDetail */

/**
 * What approving would do in one store (GET /admin/requests/{id}/preview).
 * @typedef {object} StorePreview
 * @property {string} storeId
 * @property {string} [storeName]
 * @property {'counted' | 'at_run_time' | 'by_hand' | 'not_run'} basis
 * @property {number} [collect]
 * @property {number} [delete]
 * @property {number} [anonymize]
 * @property {number} [retain]
 * @property {string} [retainBasis]
 * @property {{ field: string, before?: string[], after: string }[]} [changes]
 * @property {{ field: string, reason: string }[]} [unchanged]
 * @property {Record<string, string | number | boolean>} [optOut]
 */
/** @typedef {{ type: string, stores: StorePreview[], totals: { delete: number, anonymize: number, retain: number, uncounted?: number } }} ApprovalPreview */

/** @typedef {{ status: number, body: Record<string, unknown> }} Answer */

/** Thrown by `api` once the session has ended: the sign-in page is already shown. */
class SignedOut extends Error {}

/**
 * Ends the session. Without a reason it is the officer's own sign-out: with Cognito, its hosted UI
 * signs them out too.
 * @param {string} [reason]
 */
export function signOut(reason) {
  dropToken();
  const signIn = signInSettings();
  if (!reason && signIn?.kind === 'cognito' && signIn.logoutUrl) {
    const url = new URL(signIn.logoutUrl);
    url.search = new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.redirectUri }).toString();
    location.assign(url.toString());
    return;
  }
  showSignIn(reason ?? 'You have signed out.');
}

/**
 * Calls the officer API; answers `{ status, body }` (status 0: unreachable). A 401 returns to sign-in.
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<Answer>}
 */
export async function api(path, { method = 'GET', body } = {}) {
  const token = currentToken();
  if (!token) {
    signOut('Your session has ended. Please sign in again.');
    throw new SignedOut();
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return { status: 0, body: { error: 'The server could not be reached. Check the connection and try again.' } };
  }
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401) {
    signOut('Your session has ended. Please sign in again.');
    throw new SignedOut();
  }
  if (response.status === 403) return { status: 403, body: { error: 'You are signed in, but not as a member of the privacy officers group.' } };
  return { status: response.status, body: answer && typeof answer === 'object' ? answer : {} };
}

/**
 * Runs an async UI action; a sign-out ends it quietly, anything unexpected is shown.
 * @template {unknown[]} A
 * @param {(...args: A) => unknown} action
 * @returns {(...args: A) => Promise<void>}
 */
export function guarded(action) {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof SignedOut) return;
      showAlert('Something went wrong in the console. Reload the page and try again.');
      console.warn(error);
    }
  };
}
