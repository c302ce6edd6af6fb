// The status page: takes the token from the URL fragment (which never reaches a server), removes
// it from the address bar and loads the request at once: reading the status changes nothing. It
// shows where the request stands, its due date, its history in plain words and, while the request
// is still open, lets the requester cancel it after a confirmation. Visible strings live in
// status.html, which the server renders in the requester's language.

import { carryOnLanguageSwitch, message, postJson, setButtonBusy, takeToken } from './page-kit.js';

const $ = (id) => document.getElementById(id);
const language = document.documentElement.lang || undefined;
const token = takeToken();
carryOnLanguageSwitch('t', token);

const live = $('live');
const cancelButton = $('cancel');
const cancelConfirm = $('cancel-confirm');
const cancelYes = $('cancel-yes');
const cancelError = $('cancel-error');
const notice = $('notice');
let busy = false;

/** A message from #messages when the page has one for `key`, `fallback`'s otherwise. */
function messageOr(key, fallback) {
  return document.querySelector(`#messages [data-message="${CSS.escape(key)}"]`) ? message(key) : message(fallback);
}

const hasMessage = (key) => document.querySelector(`#messages [data-message="${CSS.escape(key)}"]`) !== null;

/**
 * Fills a <time>. Due dates are calendar days the server counts in UTC, so they are shown as the
 * UTC date; other moments are shown with their time in the requester's own time zone.
 */
function setTime(time, value, { dateOnly = false } = {}) {
  const date = new Date(value);
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

const formatDueDate = (value) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(language, { dateStyle: 'long', timeZone: 'UTC' });
};

// --- Panels ----------------------------------------------------------------------------------

const panels = ['loading', 'transient', 'missing', 'failed', 'details'];

function showOnly(id) {
  for (const panel of panels) $(panel).hidden = panel !== id;
}

function showNotice(text, kind) {
  notice.textContent = text;
  notice.classList.toggle('notice-error', kind === 'error');
  notice.classList.toggle('notice-success', kind !== 'error');
  notice.hidden = false;
  notice.focus();
}

// --- Rendering the request -------------------------------------------------------------------

const openStatuses = new Set(['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'partially_completed']);

/** The step the request is at (0-4), or 5 when every step is done. */
const currentStepOf = { submitted: 1, pending_verification: 1, pending_approval: 2, in_progress: 3, partially_completed: 3, completed: 5 };

/** Where a request that ended early stopped: the step it never got past. */
function stoppedStepOf(status, actions) {
  if (status === 'expired') return 1;
  if (status === 'rejected') return 2;
  if (status === 'cancelled') return actions.has('approved') || actions.has('auto_approved') ? 3 : actions.has('verified') ? 2 : 1;
  return undefined;
}

function renderSteps(status, actions) {
  const stopped = stoppedStepOf(status, actions);
  const current = stopped ?? currentStepOf[status] ?? 1;
  for (const item of $('steps').children) {
    const step = Number(item.dataset.step);
    const state = step < current ? 'done' : step > current ? 'upcoming' : stopped !== undefined ? 'stopped' : 'current';
    item.className = `step step-${state}`;
    item.querySelector('.step-state').textContent = message(`step-${state}`);
    if (state === 'current') item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }
}

function renderTimeline(timeline) {
  const list = $('timeline');
  const template = $('timeline-item-template');
  const events = timeline
    .filter((event) => event && typeof event.action === 'string')
    .sort((a, b) => String(a.at).localeCompare(String(b.at)));
  list.replaceChildren(
    ...events.map((event) => {
      const item = template.content.firstElementChild.cloneNode(true);
      setTime(item.querySelector('time'), event.at);
      item.querySelector('[data-slot="text"]').textContent = messageOr(`action-${event.action}`, 'action-other');
      return item;
    }),
  );
}

function render(request) {
  const status = String(request.status ?? '');
  const timeline = Array.isArray(request.timeline) ? request.timeline : [];
  const actions = new Set(timeline.map((event) => event?.action));
  const isOpen = openStatuses.has(status);

  $('status-text').textContent = messageOr(`status-${status}`, 'status-unknown');
  $('fact-type').textContent = hasMessage(`type-${request.type}`) ? message(`type-${request.type}`) : String(request.type ?? '');
  $('fact-law').textContent = hasMessage(`law-${request.jurisdiction}`) ? message(`law-${request.jurisdiction}`) : String(request.jurisdiction ?? '').toUpperCase();
  $('fact-reference').textContent = String(request.requestId ?? '');
  setTime($('fact-received'), request.receivedAt);

  const extension = request.extension && typeof request.extension === 'object' ? request.extension : undefined;
  const due = extension?.dueAt ?? request.dueAt;
  $('fact-due-row').hidden = !isOpen || !setTime($('fact-due'), due, { dateOnly: true });
  const extensionNote = $('extension');
  extensionNote.hidden = !isOpen || !extension || !formatDueDate(extension.dueAt);
  if (!extensionNote.hidden) extensionNote.textContent = message('extension', { date: formatDueDate(extension.dueAt), reason: String(extension.reason ?? '') });

  $('download-note').hidden = request.downloadAvailable !== true;
  renderSteps(status, actions);
  renderTimeline(timeline);

  renderHeld(Array.isArray(request.heldForMailbox) ? request.heldForMailbox : []);

  const cancelSection = $('cancel-section');
  cancelSection.hidden = request.canCancel !== true;
  if (cancelSection.hidden) closeCancelConfirm(false);

  live.textContent = $('status-text').textContent;
}

/** Requests the mail limit held back for this mailbox: the owner confirms the ones they made. */
function renderHeld(held) {
  const template = $('held-item-template');
  $('held-section').hidden = held.length === 0;
  $('held-list').replaceChildren(
    ...held.map((request) => {
      const item = template.content.firstElementChild.cloneNode(true);
      const type = hasMessage(`type-${request.type}`) ? message(`type-${request.type}`) : String(request.type ?? '');
      const received = new Date(request.receivedAt).toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' });
      item.querySelector('[data-slot="text"]').textContent = message('held-item', { type, received, until: formatDueDate(request.confirmBy) });
      const button = item.querySelector('button');
      button.addEventListener('click', () => confirmHeld(button, String(request.requestId)));
      return item;
    }),
  );
}

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

function transientMessage(status) {
  return message(status === 0 ? 'network-error' : status === 429 ? 'rate-limited' : 'server-error');
}

/** Loads the request; answers true when it is shown. `focus` moves focus to the summary afterwards. */
async function load({ focus = false } = {}) {
  const { status, body } = await postJson('/status', { token });
  if (status >= 200 && status < 300 && body && typeof body.status === 'string') {
    render(body);
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
  live.textContent = $('loading').textContent.trim();
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
  live.textContent = $('loading').textContent.trim();
  load();
}
