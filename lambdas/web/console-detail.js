// @ts-check
// One request's page: loaded by its id, followed live while it runs, with the actions its status
// allows and, before approval, what approving would do in each store.
//
// console-actions.js and console-task-actions.js import `showChanged` from here while this module
// shows their buttons: they import each other, and none calls another while it loads.

import { approve, openExtend, openReject, retry } from './console-actions.js';
import { api, guarded } from './console-api.js';
import { clockOf, isClosed } from './console-clock.js';
import { announce, el, errorText, plural, section, showAlert, showResult } from './console-dom.js';
import { statusLabel } from './console-labels.js';
import {
  amendmentSection,
  flagsSection,
  identitiesSection,
  noticesSection,
  otherRequestsSection,
  summarySection,
  timelineSection,
} from './console-request-view.js';
import { failedStores, isManualWaiting, previewTable, storesSection } from './console-stores.js';
import { showView } from './console-views.js';
import { $ } from './elements.js';

/** @import { ApprovalPreview, RequestDetail } from './console-api.js' */
/** @import { Clock } from './console-clock.js' */

/**
 * The request the detail view shows, and what approving it would do (the read-only dry run of
 * GET .../preview), once that has answered.
 * @type {{ request: RequestDetail | undefined, preview: ApprovalPreview | undefined }}
 */
export const shown = { request: undefined, preview: undefined };

/** @param {string} requestId */
const requestPath = (requestId) => `/admin/requests/${encodeURIComponent(requestId)}`;

/**
 * @param {string} requestId
 * @param {{ focus?: boolean }} [options]
 */
export async function openDetail(requestId, { focus = true } = {}) {
  $('detail-title').textContent = `Request ${requestId}`;
  showView('detail', { focus });
  const body = $('detail-body');
  if (!shown.request || shown.request.requestId !== requestId) body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  const answer = await api(requestPath(requestId));
  if (answer.status === 404) {
    shown.request = undefined;
    body.replaceChildren(el('p', { text: 'There is no request with this id.' }));
    return;
  }
  if (answer.status !== 200) {
    showAlert(errorText(answer.body, `The request could not be loaded (${answer.status}).`));
    return;
  }
  shown.request = /** @type {RequestDetail} */ (answer.body);
  renderDetail(shown.request);
  scheduleLiveRefresh();
}

/** @param {string} [message] what was done, shown once the request is loaded again */
export async function reloadDetail(message) {
  if (!shown.request) return;
  await openDetail(shown.request.requestId, { focus: false });
  if (message) showResult(message);
}

/**
 * After an action: the request as it now is, what was done, and focus on its title.
 * @param {string} message
 */
export async function showChanged(message) {
  await reloadDetail(message);
  $('detail-title').focus();
}

// While a request runs, its detail follows it: every few seconds, re-read and re-render when it
// changed, unless the officer is in a dialog. Focus stays on the element it was on.
const liveRefreshMs = 4000;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let liveTimer;

function scheduleLiveRefresh() {
  clearTimeout(liveTimer);
  if (!shown.request || isClosed(shown.request.status)) return;
  const requestId = shown.request.requestId;
  liveTimer = setTimeout(async () => {
    if (shown.request?.requestId !== requestId || $('view-detail').hidden) return;
    if (document.hidden || document.querySelector('dialog[open]')) return scheduleLiveRefresh();
    const answer = await api(requestPath(requestId));
    const current = shown.request;
    if (answer.status !== 200 || current?.requestId !== requestId) return scheduleLiveRefresh();
    const latest = /** @type {RequestDetail} */ (answer.body);
    if (
      latest.updatedAt !== current.updatedAt ||
      latest.status !== current.status ||
      JSON.stringify(latest.storeTasks) !== JSON.stringify(current.storeTasks)
    ) {
      const focusedId = document.activeElement?.id;
      const statusChanged = latest.status !== current.status;
      shown.request = latest;
      renderDetail(latest);
      if (focusedId) document.getElementById(focusedId)?.focus();
      if (statusChanged) announce(`The request is now ${statusLabel(latest.status)}.`);
    }
    scheduleLiveRefresh();
  }, liveRefreshMs);
}

/** @param {RequestDetail} request */
function renderDetail(request) {
  const clock = clockOf(request);
  const parts = [summarySection(request, clock)];
  if (request.identities?.length) parts.push(identitiesSection(request.identities));
  if (request.reviewFlags?.length) parts.push(flagsSection(request.reviewFlags));
  parts.push(actionsSection(request, clock));
  if (request.status === 'pending_approval') parts.push(previewSection(request));
  const amendment = amendmentSection(request);
  if (amendment) parts.push(amendment);
  parts.push(otherRequestsSection(request));
  parts.push(storesSection(request));
  const notices = noticesSection(request);
  if (notices) parts.push(notices);
  parts.push(timelineSection(request));
  $('detail-body').replaceChildren(...parts);
}

/** @param {RequestDetail} request */
function previewSection(request) {
  shown.preview = undefined;
  const body = el('div', { id: 'preview-body' }, el('p', { class: 'muted', text: 'Reading the stores…' }));
  const requestId = request.requestId;
  api(`${requestPath(requestId)}/preview`).then(({ status, body: answer }) => {
    const previewBody = document.getElementById('preview-body');
    if (shown.request?.requestId !== requestId || !previewBody) return;
    if (status !== 200) {
      previewBody.replaceChildren(el('p', { class: 'muted', text: errorText(answer, `The preview is not available (${status}).`) }));
      return;
    }
    const preview = /** @type {ApprovalPreview} */ (answer);
    shown.preview = preview;
    previewBody.replaceChildren(previewTable(preview));
  });
  return section('What approving will do', 'detail-preview', [
    el('p', {
      class: 'muted',
      text: 'Counted now in each store that can be read, without changing anything. Processors and people are asked only when the request runs.',
    }),
    body,
  ]);
}

/**
 * @param {RequestDetail} request
 * @param {Clock} clock
 */
function actionsSection(request, clock) {
  const buttons = [];
  if (request.status === 'pending_approval') {
    const approveButton = el('button', { type: 'button', class: 'button primary', id: 'action-approve', text: 'Approve' });
    approveButton.addEventListener(
      'click',
      guarded(() => approve(request, approveButton)),
    );
    buttons.push(approveButton);
    buttons.push(el('button', { type: 'button', class: 'button danger', id: 'action-reject', text: 'Reject…', onclick: () => openReject(request) }));
  }
  if (request.status === 'partially_completed') {
    const failed = failedStores(request);
    const retryButton = el('button', {
      type: 'button',
      class: 'button primary',
      id: 'action-retry',
      text: failed.length ? `Retry failed stores (${failed.join(', ')})` : 'Retry failed stores',
    });
    retryButton.addEventListener(
      'click',
      guarded(() => retry(request, retryButton)),
    );
    buttons.push(retryButton);
  }
  if (!isClosed(request.status)) {
    buttons.push(el('button', { type: 'button', class: 'button', id: 'action-extend', text: 'Extend due date…', onclick: () => openExtend(request) }));
  }
  const waiting = (request.storeTasks ?? []).filter((task) => isManualWaiting(request, task));
  const children = [];
  if (buttons.length) children.push(el('div', { class: 'actions' }, buttons));
  if (waiting.length) children.push(el('p', { text: `${plural(waiting.length, 'store task')} waiting for a person: see "Stores" below.` }));
  if (!buttons.length && !waiting.length)
    children.push(el('p', { class: 'muted', text: `Nothing to do: the request is ${statusLabel(request.status).toLowerCase()}.` }));
  if (clock.kind === 'overdue' && clock.days !== undefined)
    children.unshift(el('p', { class: 'notice danger-text', text: `This request is overdue by ${plural(-clock.days, 'day')}.` }));
  return section('Actions', 'detail-actions', children);
}
