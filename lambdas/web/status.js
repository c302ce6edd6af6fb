// @ts-check
// The status page: takes the token from the URL fragment (which never reaches a server), removes
// it from the address bar and loads the request at once: reading the status changes nothing. It
// shows where the request stands, its due date, its history in plain words and, while the request
// is still open, lets the requester cancel it after a confirmation. Visible strings live in
// status.html, which the server renders in the requester's language.

import { $, find, fromTemplate } from './elements.js';
import { carryOnLanguageSwitch, message, postJson, setButtonBusy, takeToken } from './page-kit.js';
import { unfinishedStatuses } from './request-statuses.js';

/**
 * What POST /status answers (lambdas/use-cases/request-status.ts). Read defensively all the same:
 * a field the page cannot use is left out, never shown as "undefined".
 * @typedef {object} StatusAnswer
 * @property {string} status
 * @property {string} [requestId]
 * @property {string} [type]
 * @property {string} [jurisdiction]
 * @property {string} [receivedAt]
 * @property {string} [dueAt]
 * @property {{ dueAt?: string, reason?: string }} [extension]
 * @property {{ at?: string, action?: string }[]} [timeline]
 * @property {boolean} [canCancel]
 * @property {boolean} [downloadAvailable]
 * @property {{ requestId: string, type: string, receivedAt: string, confirmBy: string }[]} [heldForMailbox]
 */

const language = document.documentElement.lang || undefined;
const token = takeToken();
carryOnLanguageSwitch('t', token);

const live = $('live');
const cancelButton = $('cancel', HTMLButtonElement);
const cancelConfirm = $('cancel-confirm');
const cancelYes = $('cancel-yes', HTMLButtonElement);
const cancelError = $('cancel-error');
const notice = $('notice');
let busy = false;

/** @param {string} key */
const hasMessage = (key) => document.querySelector(`#messages [data-message="${CSS.escape(key)}"]`) !== null;

/**
 * A message from #messages when the page has one for `key`, `fallback`'s otherwise.
 * @param {string} key
 * @param {string} fallback
 */
const messageOr = (key, fallback) => message(hasMessage(key) ? key : fallback);

/**
 * The message for `key` when the page has one, else the value as the server gave it.
 * @param {string} key
 * @param {string | undefined} value
 */
const messageOrValue = (key, value) => (hasMessage(key) ? message(key) : String(value ?? ''));

/**
 * Fills a <time>. Due dates are calendar days the server counts in UTC, so they are shown as the
 * UTC date; other moments are shown with their time in the requester's own time zone.
 * @param {HTMLTimeElement} time
 * @param {string | undefined} value
 */
function setTime(time, value, { dateOnly = false } = {}) {
  const date = new Date(value ?? Number.NaN);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
    time.removeAttribute('datetime');
    time.textContent = '';
    return false;
  }
  time.dateTime = date.toISOString();
  time.textContent = dateOnly
    ? date.toLocaleDateString(language, { dateStyle: 'long', timeZone: 'UTC' })
    : date.toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' });
  return true;
}

/** @param {string | undefined} value */
const formatDueDate = (value) => {
  const date = new Date(value ?? Number.NaN);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(language, { dateStyle: 'long', timeZone: 'UTC' });
};

// --- Panels ----------------------------------------------------------------------------------

const panels = ['loading', 'transient', 'missing', 'failed', 'details'];

/** @param {string} id */
function showOnly(id) {
  for (const panel of panels) $(panel).hidden = panel !== id;
}

/**
 * @param {string} text
 * @param {'success' | 'error'} kind
 */
function showNotice(text, kind) {
  notice.textContent = text;
  notice.classList.toggle('notice-error', kind === 'error');
  notice.classList.toggle('notice-success', kind !== 'error');
  notice.hidden = false;
  notice.focus();
}

// --- Rendering the request -------------------------------------------------------------------

/**
 * Whether the statutory clock runs: only then are the due date and an extension shown.
 * @param {string} status
 */
const clockRuns = (status) => /** @type {readonly string[]} */ (unfinishedStatuses).includes(status);

/**
 * The step the request is at (0-4), or 5 when every step is done.
 * @type {Record<string, number | undefined>}
 */
const currentStepOf = { submitted: 1, pending_verification: 1, pending_approval: 2, in_progress: 3, partially_completed: 3, completed: 5 };

/**
 * Where a request that ended early stopped: the step it never got past.
 * @param {string} status
 * @param {Set<string | undefined>} actions the audit actions the requester may see
 */
function stoppedStepOf(status, actions) {
  if (status === 'expired') return 1;
  if (status === 'rejected') return 2;
  if (status === 'cancelled') return actions.has('approved') || actions.has('auto_approved') ? 3 : actions.has('verified') ? 2 : 1;
  return undefined;
}

/**
 * @param {string} status
 * @param {Set<string | undefined>} actions
 */
function renderSteps(status, actions) {
  const stopped = stoppedStepOf(status, actions);
  const current = stopped ?? currentStepOf[status] ?? 1;
  for (const item of /** @type {NodeListOf<HTMLLIElement>} */ ($('steps').querySelectorAll(':scope > li'))) {
    const step = Number(item.dataset.step);
    const state = step < current ? 'done' : step > current ? 'upcoming' : stopped !== undefined ? 'stopped' : 'current';
    item.className = `step step-${state}`;
    find(item, '.step-state').textContent = message(`step-${state}`);
    if (state === 'current') item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }
}

/** @param {NonNullable<StatusAnswer['timeline']>} timeline */
function renderTimeline(timeline) {
  const list = $('timeline');
  const template = $('timeline-item-template', HTMLTemplateElement);
  const events = timeline.filter((event) => event && typeof event.action === 'string').sort((a, b) => String(a.at).localeCompare(String(b.at)));
  list.replaceChildren(
    ...events.map((event) => {
      const item = fromTemplate(template);
      setTime(find(item, 'time', HTMLTimeElement), event.at);
      find(item, '[data-slot="text"]').textContent = messageOr(`action-${event.action}`, 'action-other');
      return item;
    }),
  );
}

/** @param {StatusAnswer} request */
function render(request) {
  const status = String(request.status ?? '');
  const timeline = Array.isArray(request.timeline) ? request.timeline : [];
  const actions = new Set(timeline.map((event) => event?.action));
  const isOpen = clockRuns(status);

  $('status-text').textContent = messageOr(`status-${status}`, 'status-unknown');
  $('fact-type').textContent = messageOrValue(`type-${request.type}`, request.type);
  $('fact-law').textContent = hasMessage(`law-${request.jurisdiction}`)
    ? message(`law-${request.jurisdiction}`)
    : String(request.jurisdiction ?? '').toUpperCase();
  $('fact-reference').textContent = String(request.requestId ?? '');
  setTime($('fact-received', HTMLTimeElement), request.receivedAt);

  const extension = request.extension && typeof request.extension === 'object' ? request.extension : undefined;
  const due = extension?.dueAt ?? request.dueAt;
  $('fact-due-row').hidden = !isOpen || !setTime($('fact-due', HTMLTimeElement), due, { dateOnly: true });
  const extensionNote = $('extension');
  extensionNote.hidden = !isOpen || !extension || !formatDueDate(extension.dueAt);
  if (extension && !extensionNote.hidden)
    extensionNote.textContent = message('extension', { date: formatDueDate(extension.dueAt), reason: String(extension.reason ?? '') });

  $('download-note').hidden = request.downloadAvailable !== true;
  renderSteps(status, actions);
  renderTimeline(timeline);

  renderHeld(Array.isArray(request.heldForMailbox) ? request.heldForMailbox : []);

  const cancelSection = $('cancel-section');
  cancelSection.hidden = request.canCancel !== true;
  if (cancelSection.hidden) closeCancelConfirm(false);

  live.textContent = $('status-text').textContent;
}

/**
 * Requests the mail limit held back for this mailbox: the owner confirms the ones they made.
 * @param {NonNullable<StatusAnswer['heldForMailbox']>} held
 */
function renderHeld(held) {
  const template = $('held-item-template', HTMLTemplateElement);
  $('held-section').hidden = held.length === 0;
  $('held-list').replaceChildren(
    ...held.map((request) => {
      const item = fromTemplate(template);
      const type = messageOrValue(`type-${request.type}`, request.type);
      const received = new Date(request.receivedAt).toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' });
      find(item, '[data-slot="text"]').textContent = message('held-item', { type, received, until: formatDueDate(request.confirmBy) });
      const button = find(item, 'button', HTMLButtonElement);
      button.addEventListener('click', () => confirmHeld(button, String(request.requestId)));
      return item;
    }),
  );
}

/**
 * @param {HTMLButtonElement} button
 * @param {string} requestId
 */
async function confirmHeld(button, requestId) {
  if (busy) return;
  busy = true;
  $('held-error').hidden = true;
  setButtonBusy(button, true);
  const { status, body } = await postJson('/status/confirm', { token, requestId });
  setButtonBusy(button, false);
  busy = false;
  if (status >= 200 && status < 300) {
    await load();
    showNotice(message('held-done'), 'success');
  } else if (status >= 400 && status < 500 && status !== 429) {
    // Confirmed, cancelled or lapsed since the page loaded.
    await load();
    showNotice(typeof body.error === 'string' && body.error ? body.error : message('server-error'), 'error');
  } else {
    $('held-error').textContent = transientMessage(status);
    $('held-error').hidden = false;
  }
}

// --- Loading ---------------------------------------------------------------------------------

/** @param {number} status */
function transientMessage(status) {
  return message(status === 0 ? 'network-error' : status === 429 ? 'rate-limited' : 'server-error');
}

/** Loads the request; answers true when it is shown. `focus` moves focus to the summary afterwards. */
async function load({ focus = false } = {}) {
  const { status, body } = await postJson('/status', { token });
  if (status >= 200 && status < 300 && typeof body.status === 'string') {
    render(/** @type {StatusAnswer} */ (body));
    showOnly('details');
    if (focus) $('summary').focus();
    return true;
  }
  if (status >= 400 && status < 500 && status !== 429) {
    $('failed-detail').textContent = typeof body.error === 'string' ? body.error : '';
    showOnly('failed');
    live.textContent = $('failed-title').textContent;
    if (focus) $('failed').focus();
    return false;
  }
  $('transient-error').textContent = transientMessage(status);
  showOnly('transient');
  if (focus) $('reload').focus();
  return false;
}

$('reload').addEventListener('click', async () => {
  if (busy) return;
  busy = true;
  showOnly('loading');
  live.textContent = ($('loading').textContent ?? '').trim();
  await load({ focus: true });
  busy = false;
});

// --- Cancelling ------------------------------------------------------------------------------

function openCancelConfirm() {
  cancelError.hidden = true;
  cancelConfirm.hidden = false;
  cancelButton.setAttribute('aria-expanded', 'true');
  cancelConfirm.focus();
}

/** @param {boolean} returnFocus */
function closeCancelConfirm(returnFocus) {
  cancelConfirm.hidden = true;
  cancelButton.setAttribute('aria-expanded', 'false');
  if (returnFocus) cancelButton.focus();
}

cancelButton.addEventListener('click', () => (cancelConfirm.hidden ? openCancelConfirm() : closeCancelConfirm(true)));
$('cancel-no').addEventListener('click', () => closeCancelConfirm(true));
cancelConfirm.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') closeCancelConfirm(true);
});

cancelYes.addEventListener('click', async () => {
  if (busy) return;
  busy = true;
  cancelError.hidden = true;
  setButtonBusy(cancelYes, true);
  const { status, body } = await postJson('/cancel', { token });
  setButtonBusy(cancelYes, false);
  if (status >= 200 && status < 300) {
    closeCancelConfirm(false);
    await load();
    showNotice(message('cancelled-now'), 'success');
  } else if (status >= 400 && status < 500 && status !== 429) {
    // Most often 409: the request moved on (approved, done) since the page loaded.
    closeCancelConfirm(false);
    await load();
    showNotice(typeof body.error === 'string' && body.error ? body.error : message('server-error'), 'error');
  } else {
    cancelError.textContent = transientMessage(status);
    cancelError.hidden = false;
  }
  busy = false;
});

// --- Start -----------------------------------------------------------------------------------

if (!token) {
  showOnly('missing');
} else {
  showOnly('loading');
  live.textContent = ($('loading').textContent ?? '').trim();
  load();
}
