// The privacy-officer console: sign-in (local issuer or Cognito hosted UI with PKCE), the queue,
// one request's detail and actions, and a dashboard. Plain DOM: every value from the API, and
// above all anything a requester typed, reaches the page through textContent only.

import { barChart } from './console-charts.js';

const tokenKey = 'dsr-console.id-token';
const pendingKey = 'dsr-console.sign-in';
// Long enough for a hosted-UI sign-in with MFA; an older answer is treated as one never asked for.
const pendingLifetimeMs = 15 * 60_000;
const notStartedHere = 'A sign-in link that this console did not start was ignored. Your session did not change.';
const dayMs = 86_400_000;

const openStatuses = ['pending_approval', 'partially_completed', 'in_progress', 'pending_verification', 'submitted'];
const allStatuses = ['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'completed', 'partially_completed', 'expired', 'rejected', 'cancelled'];
const requestTypes = ['access', 'amend', 'delete', 'objection'];

const statusLabels = {
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

const typeLabels = { access: 'Access', amend: 'Amend', delete: 'Delete', objection: 'Objection' };
const typeDescriptions = { access: 'a copy of their data', amend: 'corrections', delete: 'erasure', objection: 'stop direct marketing' };
const policyLabels = { gdpr: 'GDPR (one month, extendable by two)', ccpa: 'CCPA/CPRA (45 days, extendable once by 45)' };

const flagLabels = {
  email_change: 'Email change',
  multiple_subjects: 'Several subjects',
  no_subject_found: 'No subject found',
  confusable_address: 'Look-alike address',
  repeated_requests: 'Repeated requests',
  not_correctable_everywhere: 'Not correctable everywhere',
};
const flagExplanations = {
  email_change: 'The requester asks to change the email address itself. That moves where their data and our mail go: make sure the new address is theirs before you approve.',
  multiple_subjects: 'The verified address matches more than one customer record. Check that every matching record belongs to the requester: an approval acts on all of them.',
  no_subject_found: 'No store holds data for this address. Approving finds nothing to change or delete; consider telling the requester instead.',
  confusable_address: 'The address uses characters that look like others (mixed scripts, look-alike letters): it can pass for someone else\'s. Make sure the mailbox belongs to the person whose data this is.',
  not_correctable_everywhere: 'A store holds a field the requester asks to correct, but the catalog says it cannot be changed there (listed under "What the amendment changes", with the reason). Approving corrects the other stores; the requester\'s mail names what stays as it was, and why.',
  repeated_requests: 'This mailbox made several other confirmed requests in the last 12 months (listed below). GDPR Art. 12(5) lets you refuse, or charge for, a manifestly excessive request, but you must be able to show why; most repeated requests still deserve an answer.',
};

const taskStatusLabels = { running: 'Running', waiting: 'Waiting', succeeded: 'Succeeded', failed: 'Failed', skipped: 'Skipped' };

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
  store_escalated: 'Escalated to manual handling',
  store_done: 'Manual task done',
  store_failed: 'Manual task failed',
  completed: 'Completed',
  partially_completed: 'Partially completed',
  requester_notified: 'Requester notified',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// Due dates are the end of a UTC day: shown in UTC so the day never shifts.
const dueDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

const $ = (id) => document.getElementById(id);

let config;
let queue = { requests: [], truncated: false, nextCursor: undefined, query: '' };
let current; // the request shown in the detail view

// ---------------------------------------------------------------------------------------------
// Small DOM helpers: text only, never HTML.

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function timeEl(iso, format = dateTime) {
  if (!iso) return el('span', { class: 'muted', text: '—' });
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', { text: String(iso) });
  return el('time', { datetime: iso, text: format.format(date) });
}

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A fresh text node after a tick makes screen readers speak a repeated message again.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function showAlert(text) {
  const alert = $('alert');
  alert.replaceChildren(el('p', { text }));
  alert.hidden = false;
}

function clearAlert() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
  $('result').hidden = true;
}

/** What an action did, visibly (and spoken: the element is a status region). */
function showResult(text) {
  const result = $('result');
  result.textContent = text;
  result.hidden = false;
}

function errorText(body, fallback) {
  const parts = [];
  if (body && typeof body.error === 'string') parts.push(body.error);
  else if (body && typeof body.message === 'string') parts.push(body.message);
  if (body && Array.isArray(body.issues)) {
    for (const issue of body.issues) if (issue && typeof issue.message === 'string' && !parts[0]?.includes(issue.message)) parts.push(issue.message);
  }
  return parts.join(' ') || fallback;
}

function setBusy(button, busy, busyLabel) {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyLabel;
    button.setAttribute('aria-disabled', 'true');
    button.disabled = true;
  } else {
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.removeAttribute('aria-disabled');
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// The statutory clock as an officer reads it.

function isClosed(status) {
  return ['completed', 'rejected', 'expired', 'cancelled'].includes(status);
}

function clockOf(request, now = Date.now()) {
  if (isClosed(request.status)) return { kind: 'closed', days: undefined, text: 'Closed' };
  const left = Date.parse(request.dueAt) - now;
  if (Number.isNaN(left)) return { kind: 'unknown', days: undefined, text: 'Unknown' };
  if (left < 0) {
    const days = Math.ceil(-left / dayMs);
    return { kind: 'overdue', days: -days, text: `Overdue by ${plural(days, 'day')}` };
  }
  const days = Math.floor(left / dayMs);
  if (days === 0) return { kind: 'today', days: 0, text: 'Due today' };
  return { kind: days <= 5 ? 'soon' : 'ok', days, text: plural(days, 'day') };
}

function actionLabel(action) {
  if (actionLabels[action]) return actionLabels[action];
  const words = String(action ?? '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function statusBadge(status) {
  return el('span', { class: `badge status-${status}`, text: statusLabels[status] ?? status });
}

function clockBadge(clock) {
  return el('span', { class: `clock clock-${clock.kind}`, text: clock.text });
}

// ---------------------------------------------------------------------------------------------
// Session: the id token lives in sessionStorage only.

function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

function base64UrlEncode(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function claimsOf(token) {
  try {
    const claims = JSON.parse(base64UrlDecode(token.split('.')[1] ?? ''));
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

function currentToken() {
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return undefined;
  const claims = claimsOf(token);
  if (!claims || (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now())) {
    sessionStorage.removeItem(tokenKey);
    return undefined;
  }
  return token;
}

// Every sign-in starts here: the console remembers a random state and nonce (and, for Cognito, the
// PKCE verifier) in sessionStorage and keeps a token only from the answer that carries them. A
// token in a link someone else made (session fixation, login CSRF) is never taken.

const randomValue = () => base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));

/** Remembers the sign-in being started; `kind` is the flow whose answer may complete it. */
function beginSignIn(kind, extra = {}) {
  const pending = { kind, state: randomValue(), nonce: randomValue(), startedAt: Date.now(), returnTo: location.hash.startsWith('#/') ? location.hash : '', ...extra };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  return pending;
}

/** The pending sign-in this answer's state belongs to, spent by taking it; a wrong state leaves it for the real answer. */
function takePending(kind, state) {
  let pending;
  try {
    pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  } catch {
    pending = null;
  }
  if (!pending || typeof pending.state !== 'string' || !state || pending.state !== state || pending.kind !== kind) return undefined;
  sessionStorage.removeItem(pendingKey);
  if (typeof pending.startedAt !== 'number' || Date.now() - pending.startedAt > pendingLifetimeMs) return undefined;
  return pending;
}

/** The local sign-in page, sent the state and nonce it must hand back. */
function startLocalSignIn(event) {
  event.preventDefault();
  const pending = beginSignIn('local');
  const url = new URL(config.signIn.url, location.origin);
  url.search = new URLSearchParams({ state: pending.state, nonce: pending.nonce, redirect_uri: location.origin + location.pathname }).toString();
  location.assign(url.toString());
}

async function startCognitoSignIn() {
  const signIn = config.signIn;
  const verifier = randomValue();
  const challenge = base64UrlEncode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const pending = beginSignIn('cognito', { verifier });
  const url = new URL(signIn.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** A sign-in answer in the address bar: `#id_token=&state=` (local sign-in) or `?code=&state=` / `?error=` (Cognito). */
function hasSignInAnswer() {
  const query = new URLSearchParams(location.search);
  return new URLSearchParams(location.hash.slice(1)).has('id_token') || query.has('code') || query.has('error');
}

/**
 * Takes a sign-in answer out of the address bar and keeps its token only if it answers the
 * pending sign-in of this console's kind: same state, and a token whose nonce is the one sent.
 * Cognito answers with a code only (PKCE), so a fragment token there is never one. The token's
 * signature is checked by the API on every call. Returns what to tell the officer, if anything.
 */
async function finishSignIn() {
  if (!hasSignInAnswer()) return undefined;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const inFragment = fragment.has('id_token');
  const pending = takePending(inFragment ? 'local' : 'cognito', (inFragment ? fragment : query).get('state'));
  const rest = new URLSearchParams(location.search);
  for (const name of ['code', 'state', 'error', 'error_description']) rest.delete(name);
  history.replaceState(null, '', location.pathname + (rest.size ? `?${rest}` : '') + (pending?.returnTo ?? ''));
  if (!pending || pending.kind !== config.signIn.kind) return notStartedHere;

  let token;
  if (inFragment) {
    token = fragment.get('id_token');
  } else {
    const error = query.get('error');
    if (error) return `The sign-in did not complete (${query.get('error_description') ?? error}).`;
    const signIn = config.signIn;
    try {
      const response = await fetch(signIn.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: signIn.clientId, code: query.get('code'), redirect_uri: signIn.redirectUri, code_verifier: pending.verifier }),
      });
      const tokens = await response.json().catch(() => ({}));
      if (!response.ok || typeof tokens.id_token !== 'string') return 'The sign-in service did not issue a token. Please sign in again.';
      token = tokens.id_token;
    } catch {
      return 'The sign-in service could not be reached. Please try again.';
    }
  }
  if (claimsOf(token ?? '')?.nonce !== pending.nonce) return notStartedHere;
  sessionStorage.setItem(tokenKey, token);
  return undefined;
}

/** Settles any sign-in answer, then shows the sign-in page or the session's view, with the outcome. */
async function enter() {
  const message = await finishSignIn();
  if (!currentToken()) return showSignIn(message);
  showSession();
  await route();
  if (message) showAlert(message);
}

function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  if (!reason && config?.signIn?.kind === 'cognito' && config.signIn.logoutUrl) {
    const url = new URL(config.signIn.logoutUrl);
    url.search = new URLSearchParams({ client_id: config.signIn.clientId, logout_uri: config.signIn.redirectUri }).toString();
    location.assign(url.toString());
    return;
  }
  showSignIn(reason ?? 'You have signed out.');
}

class SignedOut extends Error {}

/** Calls the officer API; answers `{ status, body }` (status 0: unreachable). A 401 returns to sign-in. */
async function api(path, { method = 'GET', body } = {}) {
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

/** Runs an async UI action; a sign-out ends it quietly, anything unexpected is shown. */
function guarded(action) {
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

// ---------------------------------------------------------------------------------------------
// Views and routing (#/queue, #/requests/<id>, #/dashboard).

const views = ['loading', 'sign-in', 'queue', 'detail', 'dashboard'];

function showView(name, { focus = true } = {}) {
  for (const view of views) $(`view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === name || (name === 'detail' && link.dataset.nav === 'queue')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = $(`view-${name}`).querySelector('h1');
  document.title = `${heading.textContent} – Privacy officer console`;
  if (focus) heading.focus();
}

function showSignIn(reason) {
  $('app-nav').hidden = true;
  $('session').hidden = true;
  clearAlert();
  const reasonBox = $('sign-in-reason');
  reasonBox.textContent = reason ?? '';
  reasonBox.hidden = !reason;
  const signIn = config?.signIn;
  $('sign-in-link').hidden = signIn?.kind !== 'local';
  $('sign-in-button').hidden = signIn?.kind !== 'cognito';
  $('sign-in-local-hint').hidden = signIn?.kind !== 'local';
  if (signIn?.kind === 'local') $('sign-in-link').href = signIn.url;
  showView('sign-in');
}

function showSession() {
  const claims = claimsOf(currentToken() ?? '') ?? {};
  const who = claims.email ?? claims['cognito:username'] ?? claims.sub ?? 'officer';
  $('signed-in-as').textContent = `Signed in as ${who}`;
  $('session').hidden = false;
  $('app-nav').hidden = false;
}

const route = guarded(async () => {
  if (!currentToken()) return showSignIn();
  clearAlert();
  const hash = location.hash;
  const detail = /^#\/requests\/([^/]+)$/.exec(hash);
  if (detail) {
    let requestId;
    try {
      requestId = decodeURIComponent(detail[1]);
    } catch {
      requestId = '';
    }
    await openDetail(requestId);
  } else if (hash === '#/dashboard') {
    showView('dashboard');
    await loadDashboard();
  } else {
    showView('queue');
    await loadQueue();
  }
});

// ---------------------------------------------------------------------------------------------
// The queue.

function statusesFromFilter() {
  const value = $('filter-status').value;
  if (value === '*') return allStatuses;
  if (value) return [value];
  return openStatuses;
}

/** The requester searched for, if any: the queue then lists that mailbox's requests. Never put in the URL. */
function requesterFromFilter() {
  return $('filter-email').value.trim();
}

let statusWidenedBySearch = false;

/**
 * A search for a requester means their whole history: the status filter widens to all statuses
 * (visibly, in its select), and narrows back when the search is cleared, unless the officer changed it.
 */
function followSearchWithStatus() {
  const select = $('filter-status');
  if (requesterFromFilter() && select.value === '') {
    select.value = '*';
    statusWidenedBySearch = true;
  } else if (!requesterFromFilter() && statusWidenedBySearch && select.value === '*') {
    select.value = '';
    statusWidenedBySearch = false;
  }
}

function showEmailError(text) {
  const error = $('filter-email-error');
  error.textContent = text;
  error.hidden = !text;
  if (text) $('filter-email').setAttribute('aria-invalid', 'true');
  else $('filter-email').removeAttribute('aria-invalid');
}

async function loadQueue() {
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
    requests: Array.isArray(body.requests) ? body.requests : [],
    truncated: Boolean(body.truncated),
    requester: email || undefined,
    nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : undefined,
    query: query.toString(),
  };
  renderQueue();
}

/** The next page of the same queue, added below what is shown; focus goes to the first new request. */
async function loadMoreQueue() {
  if (!queue.nextCursor) return;
  const button = $('queue-more');
  setBusy(button, true, 'Loading…');
  const { status, body } = await api(`/admin/requests?${queue.query}&cursor=${encodeURIComponent(queue.nextCursor)}`);
  setBusy(button, false);
  if (status !== 200) {
    showAlert(errorText(body, `More of the queue could not be loaded (${status}).`));
    return;
  }
  const added = Array.isArray(body.requests) ? body.requests : [];
  const firstNew = added[0]?.requestId;
  queue = { ...queue, requests: [...queue.requests, ...added], truncated: Boolean(body.truncated), nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : undefined };
  renderQueue();
  announce(`${plural(added.length, 'more request')} loaded.`);
  const link = firstNew ? [...document.querySelectorAll('#queue-rows a.request-id')].find((candidate) => candidate.textContent === firstNew) : undefined;
  (link ?? $('queue-title')).focus();
}

function renderQueue() {
  const type = $('filter-type').value;
  const overdueOnly = $('filter-overdue').checked;
  const now = Date.now();
  const shown = queue.requests.filter((request) => (!type || request.type === type) && (!overdueOnly || clockOf(request, now).kind === 'overdue'));
  $('queue-rows').replaceChildren(...shown.map((request) => queueRow(request, now)));
  labelCells($('queue-table'));
  $('queue-table').hidden = shown.length === 0;
  $('queue-empty').hidden = shown.length !== 0;
  const requester = queue.requester;
  $('queue-empty').textContent = queue.requests.length ? 'No requests match these filters.' : requester ? 'No requests from this address.' : 'No requests in these statuses.';
  const overdue = queue.requests.filter((request) => clockOf(request, now).kind === 'overdue').length;
  const filtered = shown.length === queue.requests.length ? plural(shown.length, 'request') : `${shown.length} of ${plural(queue.requests.length, 'request')}`;
  const summary = requester
    ? `${filtered} from ${requester}, newest first. ${overdue ? `${overdue} overdue.` : 'None overdue.'}${queue.truncated ? ' Only the newest 100 are listed.' : ''}`
    : `${filtered}, earliest due first. ${overdue ? `${overdue} overdue.` : 'None overdue.'}${queue.nextCursor ? ' More are due later.' : ''}`;
  $('queue-more').hidden = !queue.nextCursor;
  $('queue-summary').textContent = summary;
  announce(summary);
}

function queueRow(request, now) {
  const clock = clockOf(request, now);
  const link = el('a', { href: `#/requests/${encodeURIComponent(request.requestId)}`, class: 'request-id', text: request.requestId });
  const flags = (request.reviewFlags ?? []).map((flag) => el('span', { class: 'badge flag', title: flagExplanations[flag] ?? '', text: flagLabels[flag] ?? flag }));
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
    if (event.target.closest('a, button') || getSelection()?.toString()) return;
    link.click();
  });
  return row;
}

// ---------------------------------------------------------------------------------------------
// One request.

async function openDetail(requestId, { focus = true } = {}) {
  $('detail-title').textContent = `Request ${requestId}`;
  showView('detail', { focus });
  const body = $('detail-body');
  if (!current || current.requestId !== requestId) body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  const answer = await api(`/admin/requests/${encodeURIComponent(requestId)}`);
  if (answer.status === 404) {
    current = undefined;
    body.replaceChildren(el('p', { text: 'There is no request with this id.' }));
    return;
  }
  if (answer.status !== 200) {
    showAlert(errorText(answer.body, `The request could not be loaded (${answer.status}).`));
    return;
  }
  current = answer.body;
  renderDetail(current);
  scheduleLiveRefresh();
}

async function reloadDetail(message) {
  if (!current) return;
  await openDetail(current.requestId, { focus: false });
  if (message) showResult(message);
}

// While a request runs, its detail follows it: every few seconds, re-read and re-render when it
// changed, unless the officer is in a dialog. Focus stays on the element it was on.
const liveRefreshMs = 4000;
let liveTimer;

function scheduleLiveRefresh() {
  clearTimeout(liveTimer);
  if (!current || isClosed(current.status)) return;
  const requestId = current.requestId;
  liveTimer = setTimeout(async () => {
    if (current?.requestId !== requestId || $('view-detail').hidden) return;
    if (document.hidden || document.querySelector('dialog[open]')) return scheduleLiveRefresh();
    const answer = await api(`/admin/requests/${encodeURIComponent(requestId)}`);
    if (answer.status !== 200 || current?.requestId !== requestId) return scheduleLiveRefresh();
    if (answer.body.updatedAt !== current.updatedAt || answer.body.status !== current.status || JSON.stringify(answer.body.storeTasks) !== JSON.stringify(current.storeTasks)) {
      const focusedId = document.activeElement?.id;
      const statusChanged = answer.body.status !== current.status;
      current = answer.body;
      renderDetail(current);
      if (focusedId && $(focusedId)) $(focusedId).focus();
      if (statusChanged) announce(`The request is now ${statusLabels[current.status] ?? current.status}.`);
    }
    scheduleLiveRefresh();
  }, liveRefreshMs);
}

function section(title, id, children, className = 'panel') {
  return el('section', { class: className, 'aria-labelledby': id }, [el('h2', { id, text: title }), ...children]);
}

function definitionList(pairs) {
  const list = el('dl', { class: 'facts' });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(el('div', {}, [el('dt', { text: term }), el('dd', {}, value)]));
  }
  return list;
}

function table(caption, headers, rows, className = 'data') {
  const built = el('table', { class: className }, [
    el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, headers.map((header) => el('th', { scope: 'col', text: header })))),
    el('tbody', {}, rows),
  ]);
  labelCells(built);
  return el('div', { class: 'table-wrap' }, built);
}

/**
 * Gives each body cell its column's name (`data-label`): on a phone the rows become cards, each
 * cell under its label, so no column (an action, a status, a due date) is scrolled out of sight.
 */
function labelCells(tableElement) {
  const labels = [...tableElement.querySelectorAll('thead th')].map((header) => header.textContent.trim());
  for (const row of tableElement.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, index) => {
      if (labels[index]) cell.dataset.label = labels[index];
    });
  }
}

function renderDetail(request) {
  const clock = clockOf(request);
  const parts = [];

  const summary = definitionList([
    ['Status', statusBadge(request.status)],
    ['Type', `${typeLabels[request.type] ?? request.type}: ${typeDescriptions[request.type] ?? ''}`],
    ['Requester', el('span', { class: 'requester-email', text: request.email ?? '' })],
    ['Policy', policyLabels[request.jurisdiction] ?? request.jurisdiction],
    ['Language', request.locale],
    ['Received', timeEl(request.receivedAt)],
    ['Due', el('span', {}, [timeEl(request.dueAt, dueDate), ' (', clockBadge(clock.days > 0 ? { ...clock, text: `${clock.text} left` } : clock), ')'])],
    ['Extended', request.extension ? el('span', {}, [
      `${plural(request.extension.count, 'time')}${request.extension.totalMonths ? `, ${plural(request.extension.totalMonths, 'month')} in all` : ''}${request.extension.totalDays ? `, ${plural(request.extension.totalDays, 'day')} in all` : ''}: `,
      el('span', { class: 'prewrap', text: request.extension.reason ?? '' }),
    ]) : undefined],
    ['Receipt confirmed', request.receiptConfirmedAt ? timeEl(request.receiptConfirmedAt) : undefined],
    ['Mailbox confirmed', request.verifiedAt ? timeEl(request.verifiedAt) : undefined],
    ['Approved', request.approvedAt ? timeEl(request.approvedAt) : undefined],
    ['Completed', request.completedAt ? timeEl(request.completedAt) : undefined],
    ['Cancelled', request.cancelledAt ? timeEl(request.cancelledAt) : undefined],
    ['Rejection reason (sent to the requester)', request.rejectionReason ? el('span', { class: 'prewrap', text: request.rejectionReason }) : undefined],
  ]);
  parts.push(section('Summary', 'detail-summary', [summary]));
  if (request.identities?.length) parts.push(identitiesSection(request.identities));

  if (request.reviewFlags?.length) {
    parts.push(section('Needs your judgement', 'detail-flags', [
      el('ul', { class: 'flag-list' }, request.reviewFlags.map((flag) => el('li', {}, [el('strong', { text: `${flagLabels[flag] ?? flag}: ` }), flagExplanations[flag] ?? 'Look at this request before approving it.']))),
    ], 'panel attention'));
  }

  parts.push(actionsSection(request, clock));
  if (request.status === 'pending_approval') parts.push(previewSection(request));

  if (request.amendmentPreview?.length || request.uncorrectedFields?.length) {
    const storeName = (storeId) => request.storeNames?.[storeId] ?? storeId;
    parts.push(section('What the amendment changes', 'detail-diff', [
      table('Each store\'s current value and the corrected value', ['Store', 'Field', 'Before', 'After'], (request.amendmentPreview ?? []).map((change) => el('tr', {}, [
        el('th', { scope: 'row', text: storeName(change.storeId) }),
        el('td', {}, [el('span', { text: change.field }), change.attribute && change.attribute !== change.field ? el('span', { class: 'muted', text: ` (${change.attribute})` }) : null]),
        el('td', { class: 'before' }, change.before?.length
          ? change.before.map((value) => el('del', { class: 'value', text: value }))
          : el('span', { class: 'muted', text: 'Read when the store runs (processor or person)' })),
        el('td', { class: 'after' }, el('ins', { class: 'value', text: change.after ?? '' })),
      ])).concat((request.uncorrectedFields ?? []).map((kept) => el('tr', { class: 'unchanged' }, [
        el('th', { scope: 'row', text: storeName(kept.storeId) }),
        el('td', { text: kept.field }),
        el('td', { class: 'before' }, el('span', { class: 'muted', text: 'As held now' })),
        el('td', { class: 'after' }, [el('strong', { text: 'Stays as it was' }), `: the catalog says this store cannot change it, because ${kept.reason}. The requester is told.`]),
      ]))), 'data diff'),
    ]));
  } else if (request.corrections?.length) {
    parts.push(section('Corrections asked for', 'detail-corrections', [
      table('Fields the requester asks to correct', ['Field', 'New value'], request.corrections.map((correction) => el('tr', {}, [
        el('th', { scope: 'row', text: correction.field }),
        el('td', {}, el('ins', { class: 'value', text: correction.value })),
      ]))),
    ]));
  }

  parts.push(otherRequestsSection(request));
  parts.push(storesSection(request));

  if (request.recipientNotices?.length || request.type === 'amend' || request.type === 'delete') {
    const notices = request.recipientNotices ?? [];
    parts.push(section('Recipients told (GDPR Art. 19)', 'detail-notices', notices.length
      ? [table('Who was told of the rectification or erasure', ['Store', 'Recipient', 'Channel', 'Told at'], notices.map((notice) => el('tr', notice.notSent ? { class: 'attention' } : {}, [
          el('th', { scope: 'row', text: notice.storeId }),
          el('td', { text: notice.recipient }),
          el('td', { text: notice.notSent ? `${notice.channel}: NOT SENT (mail refused), tell them yourself` : notice.channel }),
          el('td', {}, timeEl(notice.at)),
        ])))]
      : [el('p', { class: 'muted', text: 'No recipient has been told yet. Recipients are told when the request finishes.' })]));
  }

  const events = [...(request.events ?? [])];
  parts.push(section('Timeline', 'detail-timeline', [
    table(`Every audit event, oldest first (${plural(events.length, 'event')})`, ['When', 'Who', 'What', 'Status change', 'Detail'], events.map((event) => el('tr', {}, [
      el('td', {}, timeEl(event.at)),
      el('td', {}, [el('span', { text: event.actor }), event.actorId ? el('span', { class: 'muted', text: ` (${event.actorId})` }) : null]),
      el('th', { scope: 'row', text: actionLabel(event.action) }),
      el('td', { text: event.from || event.to ? `${statusLabels[event.from] ?? event.from ?? '—'} → ${statusLabels[event.to] ?? event.to ?? '—'}` : '' }),
      el('td', { class: 'prewrap', text: event.detail ?? '' }),
    ])), 'data timeline'),
  ]));

  $('detail-body').replaceChildren(...parts);
}

/** The mailbox's other requests: what an officer weighs before calling a request repetitive (GDPR Art. 12(5)). */
function otherRequestsSection(request) {
  const others = request.otherRequests ?? [];
  if (!others.length) {
    return section('Other requests from this address', 'detail-history', [el('p', { class: 'muted', text: 'None: this is the first request from this mailbox.' })]);
  }
  const yearAgo = Date.now() - 365 * dayMs;
  const lastYear = others.filter((other) => Date.parse(other.receivedAt) >= yearAgo).length;
  const overview = `${plural(lastYear, 'other request')} from this mailbox in the last 12 months.${request.otherRequestsTruncated ? ' Only the newest 20 are listed.' : ''}`;
  return section('Other requests from this address', 'detail-history', [
    el('p', { text: overview }),
    table('Other requests from the same mailbox, newest first', ['Request', 'Type', 'Status', 'Received', 'Completed'], others.map((other) => el('tr', {}, [
      el('th', { scope: 'row' }, el('a', { href: `#/requests/${encodeURIComponent(other.requestId)}`, class: 'request-id', text: other.requestId })),
      el('td', { text: typeLabels[other.type] ?? other.type }),
      el('td', {}, statusBadge(other.status)),
      el('td', {}, timeEl(other.receivedAt)),
      el('td', {}, other.completedAt ? timeEl(other.completedAt) : el('span', { class: 'muted', text: '—' })),
    ]))),
  ]);
}

/** The identifiers the workflow resolved, each with where it came from: what to search for by hand. */
function identitiesSection(identities) {
  return section('Who the requester is in our systems', 'detail-identities', [
    table('Identifiers resolved for this request', ['Identifier', 'Values', 'Found in'], identities.map((identity) => el('tr', {}, [
      el('th', { scope: 'row', text: identity.identity }),
      el('td', {}, identity.values.length ? identity.values.map((value, index) => [index ? ', ' : '', el('code', { text: value })]).flat() : el('span', { class: 'muted', text: 'none found' })),
      el('td', { text: typeof identity.source === 'string' ? 'The mailbox the requester confirmed' : identity.source.storeName }),
    ]))),
  ]);
}

// What approving will do, from the read-only dry run (GET .../preview), filled in once it answers.
let currentPreview;

function previewSection(request) {
  currentPreview = undefined;
  const body = el('div', { id: 'preview-body' }, el('p', { class: 'muted', text: 'Reading the stores…' }));
  const requestId = request.requestId;
  api(`/admin/requests/${encodeURIComponent(requestId)}/preview`).then(({ status, body: preview }) => {
    if (current?.requestId !== requestId || !$('preview-body')) return;
    if (status !== 200) {
      $('preview-body').replaceChildren(el('p', { class: 'muted', text: errorText(preview, `The preview is not available (${status}).`) }));
      return;
    }
    currentPreview = preview;
    $('preview-body').replaceChildren(previewTable(preview));
  });
  return section('What approving will do', 'detail-preview', [
    el('p', { class: 'muted', text: 'Counted now in each store that can be read, without changing anything. Processors and people are asked only when the request runs.' }),
    body,
  ]);
}

function previewText(store, type) {
  if (store.basis === 'not_run') return `Takes no part: ${(store.unchanged ?? []).map((kept) => `${kept.field} stays as it was (${kept.reason})`).join('; ')}. The requester is told.`;
  if (store.basis === 'by_hand') return 'A person searches this system and marks the task done.';
  if (store.basis === 'at_run_time') return type === 'objection' && store.optOut ? `Asks the processor to record: ${switchesText(store.optOut)}` : 'The processor is asked when the request runs.';
  switch (type) {
    case 'access':
      return `Collects ${plural(store.collect ?? 0, 'record')}.`;
    case 'delete': {
      const parts = [];
      if (store.delete) parts.push(`deletes ${plural(store.delete, 'record')}`);
      if (store.anonymize) parts.push(`anonymises ${plural(store.anonymize, 'record')}`);
      if (store.retain) parts.push(`keeps ${plural(store.retain, 'record')} (${store.retainBasis ?? 'a legal obligation'})`);
      return parts.length ? `${parts.join(', ').replace(/^./, (first) => first.toUpperCase())}.` : 'Finds nothing of the subject.';
    }
    case 'amend': {
      const changes = (store.changes ?? []).map((change) => `${change.field}: ${change.before?.length ? change.before.join(', ') : '(unknown yet)'} → ${change.after}`);
      const unchanged = (store.unchanged ?? []).map((kept) => `${kept.field} stays as it was (${kept.reason})`);
      return changes.length || unchanged.length ? [...changes, ...unchanged].join('; ') : 'Nothing to change here.';
    }
    case 'objection':
      return store.optOut ? `Sets ${switchesText(store.optOut)}.` : 'Nothing to switch here.';
    default:
      return '';
  }
}

const switchesText = (switches) => Object.entries(switches).map(([attribute, value]) => `${attribute} = ${String(value)}`).join(', ');

function previewTable(preview) {
  return table('Each store, and what approving does there', ['Store', 'What happens'], preview.stores.map((store) => el('tr', {}, [
    el('th', { scope: 'row', text: store.storeName ?? store.storeId }),
    el('td', { text: previewText(store, preview.type) }),
  ])));
}

function erasureCountsText(totals, storeCount) {
  const counted = [`delete ${plural(totals.delete, 'record')}`, `anonymise ${plural(totals.anonymize, 'record')}`, `keep ${plural(totals.retain, 'record')} under a legal obligation`];
  const uncounted = totals.uncounted ? ` ${plural(totals.uncounted, 'other system')} (processors, people) will be asked when it runs.` : '';
  return `Approving will ${counted.join(', ')}, across ${plural(storeCount, 'store')}.${uncounted}`;
}

function actionsSection(request, clock) {
  const buttons = [];
  if (request.status === 'pending_approval') {
    buttons.push(el('button', { type: 'button', class: 'button primary', id: 'action-approve', text: 'Approve', onclick: guarded(approve) }));
    buttons.push(el('button', { type: 'button', class: 'button danger', id: 'action-reject', text: 'Reject…', onclick: () => openDialog('reject-dialog') }));
  }
  if (request.status === 'partially_completed') {
    const failed = failedStores(request);
    buttons.push(el('button', { type: 'button', class: 'button primary', id: 'action-retry', text: failed.length ? `Retry failed stores (${failed.join(', ')})` : 'Retry failed stores', onclick: guarded(retry) }));
  }
  if (!isClosed(request.status)) {
    buttons.push(el('button', { type: 'button', class: 'button', id: 'action-extend', text: 'Extend due date…', onclick: () => openExtend(request) }));
  }
  const waiting = (request.storeTasks ?? []).filter((task) => isManualWaiting(request, task));
  const children = [];
  if (buttons.length) children.push(el('div', { class: 'actions' }, buttons));
  if (waiting.length) children.push(el('p', { text: `${plural(waiting.length, 'store task')} waiting for a person: see "Stores" below.` }));
  if (!buttons.length && !waiting.length) children.push(el('p', { class: 'muted', text: `Nothing to do: the request is ${(statusLabels[request.status] ?? request.status).toLowerCase()}.` }));
  if (clock.kind === 'overdue') children.unshift(el('p', { class: 'notice danger-text', text: `This request is overdue by ${plural(-clock.days, 'day')}.` }));
  return section('Actions', 'detail-actions', children);
}

function failedStores(request) {
  const failed = new Set((request.storeOutcomes ?? []).filter((outcome) => outcome.status === 'failed').map((outcome) => outcome.storeId));
  for (const task of request.storeTasks ?? []) if (task.status === 'failed') failed.add(task.storeId);
  return [...failed];
}

/**
 * A store task an officer can settle: waiting on a manual store, or on a processor (webhook) an
 * officer escalated to manual handling (or, when the API does not say the kind, any waiting task).
 */
function isManualWaiting(request, task) {
  if (task.status !== 'waiting' || request.status !== 'in_progress') return false;
  const kind = task.storeKind ?? task.kind;
  return kind === undefined || kind === 'manual' || (kind === 'webhook' && Boolean(task.escalatedToManual));
}

/** A processor's task still waiting for its answer: an officer may take it over by hand, once, with a reason. */
function isEscalable(request, task) {
  return task.status === 'waiting' && request.status === 'in_progress' && (task.storeKind ?? task.kind) === 'webhook' && !task.escalatedToManual;
}

/** The same bounds as the API's (domain/manual-handling.ts), counted after trimming. */
const escalationReasonLength = { min: 10, max: 1000 };

/** Who took a processor's task over, when and why; the reason is the officer's own text, shown as text. */
function escalationNote(escalation) {
  return el('p', { class: 'escalation-note' }, [
    `Escalated to manual handling by ${escalation.by ?? 'an officer'} at `,
    timeEl(escalation.at),
    ': ',
    el('span', { class: 'prewrap', text: escalation.reason ?? '' }),
  ]);
}

/**
 * Marks a processor's task an officer completed by hand, so it never reads as the processor's
 * answer; one the officer marked failed was not "done", only settled by hand.
 */
function byHandBadge(status) {
  return el('span', { class: 'badge by-hand', title: 'Completed by an officer after escalation, not answered by the processor', text: status === 'succeeded' ? 'Done by hand' : 'Settled by hand' });
}

function countsText(result) {
  if (!result) return '';
  const parts = [];
  if (result.recordCount !== undefined) parts.push(`${result.recordCount} found`);
  if (result.updated !== undefined) parts.push(`${result.updated} updated`);
  if (result.deleted !== undefined) parts.push(`${result.deleted} deleted`);
  if (result.anonymized !== undefined) parts.push(`${result.anonymized} anonymised`);
  if (result.retained !== undefined) parts.push(`${result.retained} kept`);
  if (result.remaining !== undefined) parts.push(`${result.remaining} remaining`);
  return parts.join(', ');
}

function storesSection(request) {
  const tasks = new Map((request.storeTasks ?? []).map((task) => [task.storeId, task]));
  const outcomes = new Map((request.storeOutcomes ?? []).map((outcome) => [outcome.storeId, outcome]));
  const storeIds = [...new Set([...(request.storeIds ?? []), ...tasks.keys(), ...outcomes.keys()])];
  if (!storeIds.length) return section('Stores', 'detail-stores', [el('p', { class: 'muted', text: 'No store work yet.' })]);

  const rows = storeIds.map((storeId) => {
    const task = tasks.get(storeId);
    const outcome = outcomes.get(storeId);
    const result = outcome ?? task?.result;
    const notes = [];
    if (task?.status === 'waiting' && task.note) notes.push(el('p', { class: 'task-note', text: task.note }));
    // Kept after completion too: the record of why an officer, not the processor, settled it.
    if (task?.escalatedToManual) notes.push(escalationNote(task.escalatedToManual));
    if (result?.note) notes.push(el('p', {}, [el('strong', { text: 'Internal note: ' }), el('span', { class: 'prewrap', text: result.note })]));
    if (result?.messageToRequester) notes.push(el('p', {}, [el('strong', { text: 'Sent to the requester: ' }), el('span', { class: 'prewrap', text: result.messageToRequester })]));
    if (result?.error) notes.push(el('p', { class: 'error-text', text: `Error: ${result.error}` }));
    let action = null;
    if (task && isManualWaiting(request, task)) {
      action = el('button', { type: 'button', class: 'button small', 'data-store': storeId, 'aria-label': `Complete task… for ${storeId}`, text: 'Complete task…', onclick: () => openComplete(storeId, task) });
    } else if (task && isEscalable(request, task)) {
      action = el('button', { type: 'button', class: 'button small', 'data-store': storeId, 'aria-label': `Escalate to manual… for ${storeId}`, text: 'Escalate to manual…', onclick: () => openEscalate(storeId, task) });
    }
    const taskStatus = task ? el('span', { class: `badge task-${task.status}`, text: taskStatusLabels[task.status] ?? task.status }) : el('span', { class: 'muted', text: 'Not started' });
    // Until the request records its outcome, the task's own result tells that it was done by hand.
    const taskByHand = !outcome && task?.result?.completedBy === 'officer';
    return el('tr', { class: task?.status === 'waiting' ? 'waiting' : undefined }, [
      el('th', { scope: 'row' }, [el('span', { text: request.storeNames?.[storeId] ?? task?.storeName ?? storeId }), el('span', { class: 'muted store-id', text: ` ${storeId}` })]),
      el('td', { text: task?.action ?? '—' }),
      el('td', {}, [taskStatus, taskByHand ? byHandBadge(task.result.status) : null, task?.attempts > 1 ? el('span', { class: 'muted', text: ` (${task.attempts} attempts)` }) : null]),
      el('td', {}, outcome
        ? [el('span', { class: `badge task-${outcome.status}`, text: taskStatusLabels[outcome.status] ?? outcome.status }), outcome.completedBy === 'officer' ? byHandBadge(outcome.status) : null]
        : el('span', { class: 'muted', text: '—' })),
      el('td', { class: 'counts', text: countsText(result) }),
      el('td', { class: 'notes' }, notes),
      el('td', {}, action),
    ]);
  });
  return section('Stores', 'detail-stores', [
    table(`Work in each store (${plural(storeIds.length, 'store')})`, ['Store', 'Work', 'Task', 'Recorded outcome', 'Counts', 'Notes', 'Action'], rows, 'data stores'),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Actions.

async function approve(event) {
  const button = event.currentTarget;
  clearAlert();
  if (current?.type === 'delete') {
    // An erasure is never approved blind: the confirmation names what it will delete.
    if (!currentPreview) {
      const { status, body } = await api(`/admin/requests/${encodeURIComponent(current.requestId)}/preview`);
      if (status !== 200) return showAlert(errorText(body, `The erasure preview is not available (${status}): approve once it is.`));
      currentPreview = body;
    }
    openDialog('erase-dialog');
    $('erase-counts').textContent = erasureCountsText(currentPreview.totals, currentPreview.stores.length);
    $('erase-confirm').focus();
    return;
  }
  await sendApproval(button);
}

const submitErase = guarded(async (event) => {
  event.preventDefault();
  closeDialog($('erase-dialog'));
  await sendApproval($('action-approve'));
});

async function sendApproval(button) {
  setBusy(button, true, 'Approving…');
  const { status, body } = await api(`/admin/requests/${encodeURIComponent(current.requestId)}/approve`, { method: 'POST' });
  setBusy(button, false);
  if (status !== 200) return showAlert(errorText(body, `The approval failed (${status}).`));
  await reloadDetail('Request approved. The stores are being worked on.');
  $('detail-title').focus();
}

async function retry(event) {
  const button = event.currentTarget;
  clearAlert();
  setBusy(button, true, 'Retrying…');
  const { status, body } = await api(`/admin/requests/${encodeURIComponent(current.requestId)}/retry`, { method: 'POST' });
  setBusy(button, false);
  if (status !== 200) return showAlert(errorText(body, `The retry failed (${status}).`));
  await reloadDetail('Retry started for the failed stores.');
  $('detail-title').focus();
}

let dialogOpener;

function openDialog(id) {
  clearAlert();
  const dialog = $(id);
  dialogOpener = document.activeElement;
  const form = dialog.querySelector('form');
  form.reset();
  for (const error of dialog.querySelectorAll('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const field of dialog.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  dialog.showModal();
  dialog.querySelector('textarea, input:not([type=radio]), input[type=radio]:checked')?.focus();
}

function closeDialog(dialog) {
  dialog.close();
}

function dialogError(errorId, fieldId, text) {
  const error = $(errorId);
  error.textContent = text;
  error.hidden = false;
  $(fieldId).setAttribute('aria-invalid', 'true');
  $(fieldId).focus();
}

async function submitDialog(dialog, { path, payload, errorId, fieldId, busyLabel, done }) {
  const button = dialog.querySelector('button[type=submit]');
  setBusy(button, true, busyLabel);
  const { status, body } = await api(path, { method: 'POST', body: payload });
  setBusy(button, false);
  if (status !== 200) return dialogError(errorId, fieldId, errorText(body, `That did not work (${status}).`));
  closeDialog(dialog);
  await reloadDetail(done);
  $('detail-title').focus();
}

const submitReject = guarded(async (event) => {
  event.preventDefault();
  const reason = $('reject-reason').value.trim();
  if (reason.length < 3) return dialogError('reject-error', 'reject-reason', 'Write the reason the requester will read (at least 3 characters).');
  await submitDialog($('reject-dialog'), {
    path: `/admin/requests/${encodeURIComponent(current.requestId)}/reject`,
    payload: { reason },
    errorId: 'reject-error',
    fieldId: 'reject-reason',
    busyLabel: 'Rejecting…',
    done: 'Request rejected. The requester is told the reason and their rights.',
  });
});

function openExtend(request) {
  openDialog('extend-dialog');
  const ccpa = request.jurisdiction === 'ccpa';
  $('extend-months').hidden = ccpa;
  $('extend-days-field').hidden = !ccpa;
  $('extend-policy').textContent = `Due ${dueDate.format(new Date(request.dueAt))} under ${policyLabels[request.jurisdiction] ?? request.jurisdiction}. The requester is told the new date and the reason.`;
  $('extend-reason').focus();
}

const submitExtend = guarded(async (event) => {
  event.preventDefault();
  const reason = $('extend-reason').value.trim();
  if (reason.length < 3) return dialogError('extend-error', 'extend-reason', 'Write the reason the requester will read (at least 3 characters).');
  const payload = { reason };
  if (!$('extend-months').hidden) payload.months = Number(new FormData($('extend-form')).get('months') ?? 1);
  else {
    const days = Number($('extend-days').value);
    if (!Number.isInteger(days) || days < 1) return dialogError('extend-error', 'extend-days', 'Enter a whole number of days.');
    payload.days = days;
  }
  await submitDialog($('extend-dialog'), {
    path: `/admin/requests/${encodeURIComponent(current.requestId)}/extend`,
    payload,
    errorId: 'extend-error',
    fieldId: 'extend-reason',
    busyLabel: 'Extending…',
    done: 'Due date extended. The requester is told why.',
  });
});

let completingStore;
/** The store's name as the requester's mail gives it. */
let completingStoreName;

function openComplete(storeId, task) {
  completingStore = storeId;
  completingStoreName = task.storeName ?? storeId;
  openDialog('complete-dialog');
  $('complete-title').textContent = `Complete the ${storeId} task`;
  $('complete-instructions').textContent = task.note ?? '';
  // Emptied, not only hidden, for a manual store: the note field's description names this paragraph.
  const processor = (task.storeKind ?? task.kind) === 'webhook';
  $('complete-by-hand').textContent = processor
    ? `This is a processor's task, escalated to manual handling. Completing it records the processor's part as done by hand by you, not as ${storeId}'s own answer, in the outcome and the audit trail; the requester is told so.`
    : '';
  $('complete-by-hand').hidden = !processor;
  updateMessagePreview();
  $('complete-note').focus();
}

/** The closing mail's words around an officer's message; the request detail gives them in the request's language. */
const englishMessageWords = { officerMessage: 'Message from our privacy team', colon: ': ', storeNames: {} };
const maxMessageLength = 1000;
/** What the server refuses in a message to the requester: line breaks, control and invisible formatting characters. */
const unsafeMessageCharacter = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Shows the officer the line the requester's closing mail will carry, exactly as it will be sent. */
function updateMessagePreview() {
  const message = $('complete-message').value.trim();
  const failed = new FormData($('complete-form')).get('outcome') === 'failed';
  $('complete-message').disabled = failed;
  const preview = $('complete-message-preview');
  preview.replaceChildren();
  if (failed) preview.append(el('span', { text: 'A task that could not be done sends the requester nothing: the store fails and the request waits for a retry.' }));
  else if (!message) preview.append(el('span', { text: 'No message: the closing mail only gives this store\'s result. Your internal note is never sent.' }));
  else {
    const words = current?.requesterWords ?? englishMessageWords;
    const name = words.storeNames[completingStore] ?? completingStoreName;
    const language = words.language && words.language !== 'en' ? ` (in the request's language; your text is sent as written)` : '';
    preview.append(
      el('span', { text: `The requester's closing mail will carry this line${language}:` }),
      el('span', { class: 'message-line', id: 'complete-message-line', lang: words.language ?? 'en', text: `${name}${words.colon}${words.officerMessage}${words.colon}“${message}”` }),
    );
  }
}

function messageProblem(message) {
  if ([...message].length > maxMessageLength) return `The message to the requester is at most ${maxMessageLength} characters.`;
  if (unsafeMessageCharacter.test(message)) return 'The message to the requester must be one line, without hidden or control characters.';
  return undefined;
}

const submitComplete = guarded(async (event) => {
  event.preventDefault();
  const note = $('complete-note').value.trim();
  if (note.length < 3) return dialogError('complete-error', 'complete-note', 'Write what you did (at least 3 characters).');
  const form = new FormData($('complete-form'));
  const payload = { note, outcome: form.get('outcome') === 'failed' ? 'failed' : 'done' };
  const message = $('complete-message').value.trim();
  if (payload.outcome === 'done' && message) {
    const problem = messageProblem(message);
    if (problem) return dialogError('complete-message-error', 'complete-message', problem);
    payload.messageToRequester = message;
  }
  const count = $('complete-count').value.trim();
  if (count !== '') {
    const recordCount = Number(count);
    if (!Number.isInteger(recordCount) || recordCount < 0) return dialogError('complete-error', 'complete-count', 'Records found must be a whole number, 0 or more.');
    payload.recordCount = recordCount;
  }
  await submitDialog($('complete-dialog'), {
    path: `/admin/requests/${encodeURIComponent(current.requestId)}/stores/${encodeURIComponent(completingStore)}/complete`,
    payload,
    errorId: 'complete-error',
    fieldId: 'complete-note',
    busyLabel: 'Completing…',
    done: `The ${completingStore} task is recorded as ${payload.outcome}${payload.messageToRequester ? '; your message goes to the requester with the closing mail' : ''}.`,
  });
});

let escalatingStore;

function openEscalate(storeId, task) {
  escalatingStore = storeId;
  openDialog('escalate-dialog');
  $('escalate-title').textContent = `Escalate the ${storeId} task to manual handling`;
  $('escalate-asked').textContent = task.note ?? '';
  $('escalate-asked').hidden = !task.note;
  $('escalate-reason').focus();
}

const submitEscalate = guarded(async (event) => {
  event.preventDefault();
  const reason = $('escalate-reason').value.trim();
  const { min, max } = escalationReasonLength;
  if (reason.length < min) return dialogError('escalate-error', 'escalate-reason', `Write why you take this task over (at least ${min} characters; ${reason.length} so far).`);
  if (reason.length > max) return dialogError('escalate-error', 'escalate-reason', `Keep the reason to ${max} characters at most (it has ${reason.length}).`);
  const storeId = escalatingStore;
  await submitDialog($('escalate-dialog'), {
    path: `/admin/requests/${encodeURIComponent(current.requestId)}/stores/${encodeURIComponent(storeId)}/escalate`,
    payload: { reason },
    errorId: 'escalate-error',
    fieldId: 'escalate-reason',
    busyLabel: 'Escalating…',
    done: `The ${storeId} task is escalated to manual handling. Complete it once you have done the processor's part.`,
  });
});

// ---------------------------------------------------------------------------------------------
// The dashboard.

function inWords(days) {
  const minutes = Math.round(days * 1440);
  if (minutes < 120) return plural(Math.max(1, minutes), 'minute');
  if (days < 2) return plural(Math.round(days * 24), 'hour');
  return plural(Math.round(days), 'day');
}

function bucketOf(buckets, value) {
  return buckets.find((bucket) => value <= bucket.upTo) ?? buckets.at(-1);
}

/** The dashboard counts at most this many pages of 100 requests. */
const dashboardPages = 20;

async function loadDashboard() {
  $('dashboard-summary').textContent = 'Loading…';
  const requests = [];
  let cursor;
  let pages = 0;
  do {
    const { status, body } = await api(`/admin/requests?status=${allStatuses.join(',')}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (status !== 200) {
      $('dashboard-summary').textContent = '';
      showAlert(errorText(body, `The dashboard could not be loaded (${status}).`));
      return;
    }
    requests.push(...(Array.isArray(body.requests) ? body.requests : []));
    cursor = typeof body.nextCursor === 'string' ? body.nextCursor : undefined;
    pages += 1;
  } while (cursor && pages < dashboardPages);
  const counted = { truncated: Boolean(cursor) };
  const now = Date.now();
  const count = (value) => plural(value, 'request');

  const byStatus = allStatuses.map((name) => ({ label: statusLabels[name], value: requests.filter((request) => request.status === name).length, className: `bar-status-${name}` }));
  const byType = requestTypes.map((name) => ({ label: typeLabels[name], value: requests.filter((request) => request.type === name).length }));

  const open = requests.filter((request) => !isClosed(request.status));
  const leftBuckets = [
    { label: 'Overdue', upTo: -1, className: 'bar-overdue' },
    { label: 'Due today', upTo: 0, className: 'bar-soon' },
    { label: '1–7 days', upTo: 7, className: 'bar-soon' },
    { label: '8–14 days', upTo: 14 },
    { label: '15–30 days', upTo: 30 },
    { label: 'Over 30 days', upTo: Infinity },
  ];
  const daysLeft = leftBuckets.map((bucket) => ({ ...bucket, value: 0 }));
  for (const request of open) {
    const clock = clockOf(request, now);
    if (clock.days !== undefined) daysLeft[leftBuckets.indexOf(bucketOf(leftBuckets, clock.days))].value += 1;
  }

  const completed = requests.filter((request) => request.status === 'completed' && request.completedAt && request.receivedAt);
  const durations = completed.map((request) => (Date.parse(request.completedAt) - Date.parse(request.receivedAt)) / dayMs).filter((days) => days >= 0);
  const durationBuckets = [
    { label: 'Under 1 hour', upTo: 1 / 24 },
    { label: '1 hour to 1 day', upTo: 1 },
    { label: '1–7 days', upTo: 7 },
    { label: '8–30 days', upTo: 30 },
    { label: 'Over 30 days', upTo: Infinity, className: 'bar-overdue' },
  ];
  const completion = durationBuckets.map((bucket) => ({ ...bucket, value: 0 }));
  for (const days of durations) completion[durationBuckets.indexOf(bucketOf(durationBuckets, days))].value += 1;
  const sorted = [...durations].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;

  const overdue = daysLeft[0].value;
  $('dashboard-summary').textContent = `${count(requests.length)} in all, ${open.length} open, ${overdue} overdue.${counted.truncated ? ` Only the ${dashboardPages * 100} earliest due are counted.` : ''}`;
  $('charts').replaceChildren(
    barChart({ title: 'Requests by status', bars: byStatus, valueText: count, headers: ['Status', 'Requests'] }),
    barChart({ title: 'Requests by type', bars: byType, valueText: count, headers: ['Type', 'Requests'] }),
    barChart({ title: 'Days left for open requests', summary: open.length ? `${count(open.length)} open; ${overdue} overdue.` : 'No open requests.', bars: daysLeft, valueText: count, headers: ['Days left', 'Requests'] }),
    barChart({
      title: 'Time to completion',
      summary: durations.length ? `${count(durations.length)} completed; median ${inWords(median)}, slowest ${inWords(sorted.at(-1))}.` : 'No completed requests yet.',
      bars: completion,
      valueText: count,
      headers: ['Time from receipt to completion', 'Requests'],
    }),
  );
  announce('Dashboard updated.');
}

// ---------------------------------------------------------------------------------------------
// Start.

async function loadConfig() {
  try {
    const response = await fetch('/console/config', { headers: { Accept: 'application/json' } });
    if (!response.ok) return undefined;
    const body = await response.json();
    return body && typeof body.signIn === 'object' ? body : undefined;
  } catch {
    return undefined;
  }
}

function wire() {
  $('sign-out').addEventListener('click', () => signOut());
  $('sign-in-button').addEventListener('click', guarded(startCognitoSignIn));
  $('sign-in-link').addEventListener('click', startLocalSignIn);
  $('queue-refresh').addEventListener('click', guarded(loadQueue));
  $('queue-more').addEventListener('click', guarded(loadMoreQueue));
  $('detail-refresh').addEventListener('click', guarded(() => reloadDetail('Request reloaded.')));
  $('dashboard-refresh').addEventListener('click', guarded(loadDashboard));
  $('filter-status').addEventListener('change', guarded(async () => {
    statusWidenedBySearch = false;
    await loadQueue();
  }));
  $('filter-type').addEventListener('change', renderQueue);
  $('filter-overdue').addEventListener('change', renderQueue);
  $('queue-filters').addEventListener('submit', guarded(async (event) => {
    event.preventDefault();
    followSearchWithStatus();
    await loadQueue();
  }));
  // Clearing the search (its × button or the keyboard) brings the queue back.
  $('filter-email').addEventListener('search', guarded(async () => {
    if (requesterFromFilter()) return;
    followSearchWithStatus();
    await loadQueue();
  }));
  $('reject-form').addEventListener('submit', submitReject);
  $('extend-form').addEventListener('submit', submitExtend);
  $('complete-form').addEventListener('submit', submitComplete);
  $('complete-form').addEventListener('input', updateMessagePreview);
  $('complete-form').addEventListener('change', updateMessagePreview);
  $('escalate-form').addEventListener('submit', submitEscalate);
  $('erase-form').addEventListener('submit', submitErase);
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.querySelector('[data-close]').addEventListener('click', () => closeDialog(dialog));
    dialog.addEventListener('close', () => {
      if (dialogOpener?.isConnected) dialogOpener.focus();
    });
  }
  for (const form of document.querySelectorAll('dialog form')) {
    form.addEventListener('input', (event) => {
      event.target.removeAttribute?.('aria-invalid');
      for (const error of form.querySelectorAll('.field-error')) {
        error.hidden = true;
        error.textContent = '';
      }
    });
  }
  // A sign-in answer can also arrive as a fragment change while the console is open.
  window.addEventListener('hashchange', guarded(() => (hasSignInAnswer() ? enter() : route())));
}

async function start() {
  wire();
  config = await loadConfig();
  if (!config) {
    showView('sign-in');
    showAlert('The console could not load its sign-in settings. Reload the page to try again.');
    return;
  }
  await enter();
}

start();
