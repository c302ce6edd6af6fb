// @ts-check
// What an officer decides on a request: approve (an erasure only after a confirmation that names
// its counts), reject, retry the failed stores, extend the due date. Each acts on the request the
// officer opened it from, then shows the request as it now is.
//
// console-detail.js shows these actions' buttons and these actions show the detail again, so the
// two modules import each other; neither calls the other while it loads.

import { api, guarded } from './console-api.js';
import { clearAlert, dueDate, errorText, setBusy, showAlert } from './console-dom.js';
import { dialogError, openDialog, submitDialog } from './console-dialogs.js';
import { shown, showChanged } from './console-detail.js';
import { policyLabels } from './console-labels.js';
import { erasureCountsText } from './console-stores.js';
import { $ } from './elements.js';

/** @import { ApprovalPreview, RequestDetail } from './console-api.js' */

/**
 * The request the open dialog acts on.
 * @type {RequestDetail | undefined}
 */
let acting;

/** @param {RequestDetail} request */
const pathOf = (request) => `/admin/requests/${encodeURIComponent(request.requestId)}`;

/**
 * @param {RequestDetail} request
 * @param {HTMLButtonElement} button
 */
export async function approve(request, button) {
  clearAlert();
  if (request.type === 'delete') {
    // An erasure is never approved blind: the confirmation names what it will delete.
    if (!shown.preview) {
      const { status, body } = await api(`${pathOf(request)}/preview`);
      if (status !== 200) return showAlert(errorText(body, `The erasure preview is not available (${status}): approve once it is.`));
      shown.preview = /** @type {ApprovalPreview} */ (body);
    }
    acting = request;
    openDialog('erase-dialog');
    $('erase-counts').textContent = erasureCountsText(shown.preview);
    $('erase-confirm').focus();
    return;
  }
  await sendApproval(request, button);
}

const submitErase = guarded(async (/** @type {SubmitEvent} */ event) => {
  event.preventDefault();
  $('erase-dialog', HTMLDialogElement).close();
  if (acting) await sendApproval(acting, $('action-approve', HTMLButtonElement));
});

/**
 * @param {RequestDetail} request
 * @param {HTMLButtonElement} button
 */
async function sendApproval(request, button) {
  setBusy(button, true, 'Approving…');
  const { status, body } = await api(`${pathOf(request)}/approve`, { method: 'POST' });
  setBusy(button, false);
  if (status !== 200) return showAlert(errorText(body, `The approval failed (${status}).`));
  await showChanged('Request approved. The stores are being worked on.');
}

/**
 * @param {RequestDetail} request
 * @param {HTMLButtonElement} button
 */
export async function retry(request, button) {
  clearAlert();
  setBusy(button, true, 'Retrying…');
  const { status, body } = await api(`${pathOf(request)}/retry`, { method: 'POST' });
  setBusy(button, false);
  if (status !== 200) return showAlert(errorText(body, `The retry failed (${status}).`));
  await showChanged('Retry started for the failed stores.');
}

/** @param {RequestDetail} request */
export function openReject(request) {
  acting = request;
  openDialog('reject-dialog');
}

const submitReject = guarded(async (/** @type {SubmitEvent} */ event) => {
  event.preventDefault();
  if (!acting) return;
  const reason = $('reject-reason', HTMLTextAreaElement).value.trim();
  if (reason.length < 3) return dialogError('reject-error', 'reject-reason', 'Write the reason the requester will read (at least 3 characters).');
  const posted = await submitDialog($('reject-dialog', HTMLDialogElement), {
    path: `${pathOf(acting)}/reject`,
    payload: { reason },
    errorId: 'reject-error',
    fieldId: 'reject-reason',
    busyLabel: 'Rejecting…',
  });
  if (posted) await showChanged('Request rejected. The requester is told the reason and their rights.');
});

/** @param {RequestDetail} request */
export function openExtend(request) {
  acting = request;
  openDialog('extend-dialog');
  const ccpa = request.jurisdiction === 'ccpa';
  $('extend-months').hidden = ccpa;
  $('extend-days-field').hidden = !ccpa;
  $('extend-policy').textContent =
    `Due ${dueDate.format(new Date(request.dueAt))} under ${policyLabels[request.jurisdiction] ?? request.jurisdiction}. The requester is told the new date and the reason.`;
  $('extend-reason').focus();
}

const submitExtend = guarded(async (/** @type {SubmitEvent} */ event) => {
  event.preventDefault();
  if (!acting) return;
  const reason = $('extend-reason', HTMLTextAreaElement).value.trim();
  if (reason.length < 3) return dialogError('extend-error', 'extend-reason', 'Write the reason the requester will read (at least 3 characters).');
  /** @type {{ reason: string, months?: number, days?: number }} */
  const payload = { reason };
  if (!$('extend-months').hidden) payload.months = Number(new FormData($('extend-form', HTMLFormElement)).get('months') ?? 1);
  else {
    const days = Number($('extend-days', HTMLInputElement).value);
    if (!Number.isInteger(days) || days < 1) return dialogError('extend-error', 'extend-days', 'Enter a whole number of days.');
    payload.days = days;
  }
  const posted = await submitDialog($('extend-dialog', HTMLDialogElement), {
    path: `${pathOf(acting)}/extend`,
    payload,
    errorId: 'extend-error',
    fieldId: 'extend-reason',
    busyLabel: 'Extending…',
  });
  if (posted) await showChanged('Due date extended. The requester is told why.');
});

export function wireActions() {
  $('reject-form').addEventListener('submit', submitReject);
  $('extend-form').addEventListener('submit', submitExtend);
  $('erase-form').addEventListener('submit', submitErase);
}
