// @ts-check
// The queue: requests in the chosen statuses, earliest due first, a page of 100 at a time, or
// one requester's requests when the officer searches for their address.

import { api, guarded } from './console-api.js';
import { clockBadge, clockOf } from './console-clock.js';
import { announce, dueDate, el, errorText, labelCells, plural, setBusy, showAlert, timeEl } from './console-dom.js';
import { flagExplanations, flagLabels, statusBadge, typeLabels } from './console-labels.js';
import { $ } from './elements.js';
import { requestStatuses, unfinishedStatuses } from './request-statuses.js';

/** @import { RequestSummary } from './console-api.js' */

/** @type {{ requests: RequestSummary[], truncated: boolean, requester?: string, nextCursor?: string, query: string }} */
let queue = { requests: [], truncated: false, nextCursor: undefined, query: '' };

/** The filter's statuses: all (`*`), the one picked, or by default every one whose clock runs. */
function statusesFromFilter() {
  const value = $('filter-status', HTMLSelectElement).value;
  if (value === '*') return requestStatuses;
  if (value) return [value];
  return unfinishedStatuses;
}

/** The requester searched for, if any: the queue then lists that mailbox's requests. Never put in the URL. */
function requesterFromFilter() {
  return $('filter-email', HTMLInputElement).value.trim();
}

let statusWidenedBySearch = false;

/**
 * A search for a requester means their whole history: the status filter widens to all statuses
 * (visibly, in its select), and narrows back when the search is cleared, unless the officer changed it.
 */
function followSearchWithStatus() {
  const select = $('filter-status', HTMLSelectElement);
  if (requesterFromFilter() && select.value === '') {
    select.value = '*';
    statusWidenedBySearch = true;
  } else if (!requesterFromFilter() && statusWidenedBySearch && select.value === '*') {
    select.value = '';
    statusWidenedBySearch = false;
  }
}

/** @param {string} text */
function showEmailError(text) {
  const error = $('filter-email-error');
  error.textContent = text;
  error.hidden = !text;
  if (text) $('filter-email').setAttribute('aria-invalid', 'true');
  else $('filter-email').removeAttribute('aria-invalid');
}

/** @param {Record<string, unknown>} body */
const requestsOf = (body) => /** @type {RequestSummary[]} */ (Array.isArray(body.requests) ? body.requests : []);
/** @param {Record<string, unknown>} body */
const nextCursorOf = (body) => (typeof body.nextCursor === 'string' ? body.nextCursor : undefined);

export async function loadQueue() {
  const email = requesterFromFilter();
  const query = new URLSearchParams({ status: statusesFromFilter().join(',') });
  if (email) query.set('email', email);
  $('queue-summary').textContent = 'Loading…';
  const { status, body } = await api(`/admin/requests?${query}`);
  if (status === 400 && email) {
    $('queue-summary').textContent = '';
    showEmailError(errorText(body, 'Enter an email address like name@example.com.').replace(/^email: /, ''));
    $('filter-email').focus();
    return;
  }
  showEmailError('');
  if (status !== 200) {
    $('queue-summary').textContent = '';
    showAlert(errorText(body, `The queue could not be loaded (${status}).`));
    return;
  }
  queue = {
    requests: requestsOf(body),
    truncated: Boolean(body.truncated),
    requester: email || undefined,
    nextCursor: nextCursorOf(body),
    query: query.toString(),
  };
  renderQueue();
}

/** The next page of the same queue, added below what is shown; focus goes to the first new request. */
async function loadMoreQueue() {
  if (!queue.nextCursor) return;
  const button = $('queue-more', HTMLButtonElement);
  setBusy(button, true, 'Loading…');
  const { status, body } = await api(`/admin/requests?${queue.query}&cursor=${encodeURIComponent(queue.nextCursor)}`);
  setBusy(button, false);
  if (status !== 200) {
    showAlert(errorText(body, `More of the queue could not be loaded (${status}).`));
    return;
  }
  const added = requestsOf(body);
  const firstNew = added[0]?.requestId;
  queue = { ...queue, requests: [...queue.requests, ...added], truncated: Boolean(body.truncated), nextCursor: nextCursorOf(body) };
  renderQueue();
  announce(`${plural(added.length, 'more request')} loaded.`);
  const links = /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('#queue-rows a.request-id'));
  const link = firstNew ? [...links].find((candidate) => candidate.textContent === firstNew) : undefined;
  (link ?? $('queue-title')).focus();
}

function renderQueue() {
  const type = $('filter-type', HTMLSelectElement).value;
  const overdueOnly = $('filter-overdue', HTMLInputElement).checked;
  const now = Date.now();
  const shown = queue.requests.filter((request) => (!type || request.type === type) && (!overdueOnly || clockOf(request, now).kind === 'overdue'));
  $('queue-rows').replaceChildren(...shown.map((request) => queueRow(request, now)));
  labelCells($('queue-table'));
  $('queue-table').hidden = shown.length === 0;
  $('queue-empty').hidden = shown.length !== 0;
  const requester = queue.requester;
  $('queue-empty').textContent = queue.requests.length
    ? 'No requests match these filters.'
    : requester
      ? 'No requests from this address.'
      : 'No requests in these statuses.';
  const overdue = queue.requests.filter((request) => clockOf(request, now).kind === 'overdue').length;
  const filtered = shown.length === queue.requests.length ? plural(shown.length, 'request') : `${shown.length} of ${plural(queue.requests.length, 'request')}`;
  const summary = requester
    ? `${filtered} from ${requester}, newest first. ${overdue ? `${overdue} overdue.` : 'None overdue.'}${queue.truncated ? ' Only the newest 100 are listed.' : ''}`
    : `${filtered}, earliest due first. ${overdue ? `${overdue} overdue.` : 'None overdue.'}${queue.nextCursor ? ' More are due later.' : ''}`;
  $('queue-more').hidden = !queue.nextCursor;
  $('queue-summary').textContent = summary;
  announce(summary);
}

/**
 * @param {RequestSummary} request
 * @param {number} now
 */
function queueRow(request, now) {
  const clock = clockOf(request, now);
  const link = el('a', { href: `#/requests/${encodeURIComponent(request.requestId)}`, class: 'request-id', text: request.requestId });
  const flags = (request.reviewFlags ?? []).map((flag) =>
    el('span', { class: 'badge flag', title: flagExplanations[flag] ?? '', text: flagLabels[flag] ?? flag }),
  );
  const row = el('tr', { class: `clickable${clock.kind === 'overdue' ? ' overdue' : ''}` }, [
    el('th', { scope: 'row' }, link),
    el('td', { text: typeLabels[request.type] ?? request.type }),
    el('td', {}, statusBadge(request.status)),
    el('td', {}, timeEl(request.receivedAt)),
    el('td', {}, timeEl(request.dueAt, dueDate)),
    el('td', {}, clockBadge(clock)),
    el('td', {}, flags.length ? flags : el('span', { class: 'muted', text: 'None' })),
  ]);
  // The whole row opens the request for a pointer; keyboard users have the link in the first cell.
  row.addEventListener('click', (event) => {
    if ((event.target instanceof Element && event.target.closest('a, button')) || getSelection()?.toString()) return;
    link.click();
  });
  return row;
}

/** The queue's buttons and filters. */
export function wireQueue() {
  $('queue-refresh').addEventListener('click', guarded(loadQueue));
  $('queue-more').addEventListener('click', guarded(loadMoreQueue));
  $('filter-status').addEventListener(
    'change',
    guarded(async () => {
      statusWidenedBySearch = false;
      await loadQueue();
    }),
  );
  $('filter-type').addEventListener('change', renderQueue);
  $('filter-overdue').addEventListener('change', renderQueue);
  $('queue-filters').addEventListener(
    'submit',
    guarded(async (event) => {
      event.preventDefault();
      followSearchWithStatus();
      await loadQueue();
    }),
  );
  // Clearing the search (its × button or the keyboard) brings the queue back.
  $('filter-email').addEventListener(
    'search',
    guarded(async () => {
      if (requesterFromFilter()) return;
      followSearchWithStatus();
      await loadQueue();
    }),
  );
}
