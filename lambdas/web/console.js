// @ts-check
// The privacy-officer console (console.html loads this module): sign-in (local issuer or Cognito
// hosted UI with PKCE), the queue, one request's detail and actions, and a dashboard. Plain DOM:
// every value from the API, and above all anything a requester typed, reaches the page through
// textContent only (console-dom.js).
//
// This module routes (#/queue, #/requests/<id>, #/dashboard) and starts the console; each concern
// lives in its own console-*.js module.

import { wireActions } from './console-actions.js';
import { guarded, signOut } from './console-api.js';
import { loadDashboard } from './console-dashboard.js';
import { openDetail, reloadDetail } from './console-detail.js';
import { wireDialogs } from './console-dialogs.js';
import { showAlert, clearAlert } from './console-dom.js';
import { loadQueue, wireQueue } from './console-queue.js';
import { currentToken, finishSignIn, hasSignInAnswer, loadSignIn, startCognitoSignIn, startLocalSignIn } from './console-session.js';
import { wireTaskActions } from './console-task-actions.js';
import { showSession, showSignIn, showView } from './console-views.js';
import { $ } from './elements.js';

const route = guarded(async () => {
  if (!currentToken()) return showSignIn();
  clearAlert();
  const hash = location.hash;
  const detail = /^#\/requests\/([^/]+)$/.exec(hash);
  if (detail) {
    let requestId;
    try {
      requestId = decodeURIComponent(detail[1] ?? '');
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

/** Settles any sign-in answer, then shows the sign-in page or the session's view, with the outcome. */
async function enter() {
  const message = await finishSignIn();
  if (!currentToken()) return showSignIn(message);
  showSession();
  await route();
  if (message) showAlert(message);
}

function wire() {
  $('sign-out').addEventListener('click', () => signOut());
  $('sign-in-button').addEventListener('click', guarded(startCognitoSignIn));
  $('sign-in-link').addEventListener('click', startLocalSignIn);
  $('detail-refresh').addEventListener(
    'click',
    guarded(() => reloadDetail('Request reloaded.')),
  );
  $('dashboard-refresh').addEventListener('click', guarded(loadDashboard));
  wireQueue();
  wireActions();
  wireTaskActions();
  wireDialogs();
  // A sign-in answer can also arrive as a fragment change while the console is open.
  window.addEventListener(
    'hashchange',
    guarded(() => (hasSignInAnswer() ? enter() : route())),
  );
}

async function start() {
  wire();
  if (!(await loadSignIn())) {
    showView('sign-in');
    showAlert('The console could not load its sign-in settings. Reload the page to try again.');
    return;
  }
  await enter();
}

start();
