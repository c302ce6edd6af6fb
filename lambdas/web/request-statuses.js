// @ts-check
// Generated from lambdas/domain/status.ts by `npm run generate:web`; do not edit.

/** Every status a request can be in. */
export const requestStatuses = /** @type {const} */ (['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'completed', 'partially_completed', 'expired', 'rejected', 'cancelled']);

/** @typedef {(typeof requestStatuses)[number]} RequestStatus */

/** Before any store work: the requester can still cancel. */
export const notStartedStatuses = /** @type {readonly RequestStatus[]} */ (['submitted', 'pending_verification', 'pending_approval']);

/** Not yet answered: the statutory clock runs. */
export const unfinishedStatuses = /** @type {readonly RequestStatus[]} */ (['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'partially_completed']);

/** The statuses a request never leaves. */
export const terminalStatuses = /** @type {readonly RequestStatus[]} */ (['completed', 'expired', 'rejected', 'cancelled']);
