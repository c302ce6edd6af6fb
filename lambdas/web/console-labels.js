// @ts-check
// How the console names what the API gives in codes: statuses, request types, laws, review flags,
// store tasks and audit actions.

import { el } from './console-dom.js';

/** @import { RequestStatus } from './request-statuses.js' */

export const requestTypes = ['access', 'amend', 'delete', 'objection'];

/** @type {Record<RequestStatus, string>} */
export const statusLabels = {
  submitted: 'Submitted',
  pending_verification: 'Pending verification',
  pending_approval: 'Pending approval',
  in_progress: 'In progress',
  completed: 'Completed',
  partially_completed: 'Partially completed',
  expired: 'Expired',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** @type {Record<string, string>} */
export const typeLabels = { access: 'Access', amend: 'Amend', delete: 'Delete', objection: 'Objection' };
/** @type {Record<string, string>} */
export const typeDescriptions = { access: 'a copy of their data', amend: 'corrections', delete: 'erasure', objection: 'stop direct marketing' };
/** @type {Record<string, string>} */
export const policyLabels = { gdpr: 'GDPR (one month, extendable by two)', ccpa: 'CCPA/CPRA (45 days, extendable once by 45)' };

/** @type {Record<string, string>} */
export const flagLabels = {
  email_change: 'Email change',
  multiple_subjects: 'Several subjects',
  no_subject_found: 'No subject found',
  confusable_address: 'Look-alike address',
  repeated_requests: 'Repeated requests',
  not_correctable_everywhere: 'Not correctable everywhere',
  identities_limited: 'Identities not followed to the end',
};
/** @type {Record<string, string>} */
export const flagExplanations = {
  email_change:
    'The requester asks to change the email address itself. That moves where their data and our mail go: make sure the new address is theirs before you approve.',
  multiple_subjects:
    'The verified address matches more than one customer record. Check that every matching record belongs to the requester: an approval acts on all of them.',
  no_subject_found:
    'The address resolved to no customer record, so the stores keyed on customer ids will find nothing. Stores searched by email, processors and manual systems may still hold data; consider telling the requester if they hold none either.',
  identities_limited:
    "Following this requester's identities (email, then the ids found with it, and so on) stopped at its limit: too many steps, or one identity with too many values, which is more likely shared data than one person. Check the identities listed above before approving: an approval acts on all of them.",
  confusable_address:
    "The address uses characters that look like others (mixed scripts, look-alike letters): it can pass for someone else's. Make sure the mailbox belongs to the person whose data this is.",
  not_correctable_everywhere:
    'A store holds a field the requester asks to correct, but the catalog says it cannot be changed there (listed under "What the amendment changes", with the reason). Approving corrects the other stores; the requester\'s mail names what stays as it was, and why.',
  repeated_requests:
    'This mailbox made several other confirmed requests in the last 12 months (listed below). GDPR Art. 12(5) lets you refuse, or charge for, a manifestly excessive request, but you must be able to show why; most repeated requests still deserve an answer.',
};

/** @type {Record<string, string>} */
export const taskStatusLabels = { running: 'Running', waiting: 'Waiting', succeeded: 'Succeeded', failed: 'Failed', skipped: 'Skipped' };

/** @type {Record<string, string>} */
const actionLabels = {
  submitted: 'Submitted',
  receipt_confirmed: 'Receipt confirmed to the requester',
  reminder_sent: 'Officers reminded',
  verification_sent: 'Verification email sent',
  verified: 'Mailbox confirmed',
  awaiting_approval: 'Prepared for approval',
  auto_approved: 'Approved by policy',
  approved: 'Approved',
  rejected: 'Rejected',
  extended: 'Due date extended',
  retried: 'Failed stores retried',
  retry_not_started: 'Retry could not start',
  not_started: 'Workflow could not start (requester told to try again)',
  store_escalated: 'Escalated to manual handling',
  store_done: 'Manual task done',
  store_failed: 'Manual task failed',
  completed: 'Completed',
  partially_completed: 'Partially completed',
  requester_notified: 'Requester notified',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/**
 * An audit action in words; one this console does not know yet reads as its code, spaced out.
 * @param {string} action
 */
export function actionLabel(action) {
  if (actionLabels[action]) return actionLabels[action];
  const words = String(action ?? '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** @param {RequestStatus} status */
export const statusLabel = (status) => statusLabels[status] ?? status;

/** @param {RequestStatus} status */
export function statusBadge(status) {
  return el('span', { class: `badge status-${status}`, text: statusLabel(status) });
}
