// @ts-check
// The console's views (one shown at a time), the sign-in page and the signed-in header.

import { clearAlert } from './console-dom.js';
import { claimsOf, currentToken, signInSettings } from './console-session.js';
import { $ } from './elements.js';

/** @typedef {'loading' | 'sign-in' | 'queue' | 'detail' | 'dashboard'} View */

/** @type {View[]} */
const views = ['loading', 'sign-in', 'queue', 'detail', 'dashboard'];

/**
 * Shows one view, marks its navigation link as current and names the page after its heading.
 * @param {View} name
 */
export function showView(name, { focus = true } = {}) {
  for (const view of views) $(`view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (!(link instanceof HTMLElement)) continue;
    if (link.dataset.nav === name || (name === 'detail' && link.dataset.nav === 'queue')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const heading = $(`view-${name}`).querySelector('h1');
  if (!heading) return;
  document.title = `${heading.textContent} – Privacy officer console`;
  if (focus) heading.focus();
}

/** @param {string} [reason] why the officer is asked to sign in */
export function showSignIn(reason) {
  $('app-nav').hidden = true;
  $('session').hidden = true;
  clearAlert();
  const reasonBox = $('sign-in-reason');
  reasonBox.textContent = reason ?? '';
  reasonBox.hidden = !reason;
  const signIn = signInSettings();
  $('sign-in-link').hidden = signIn?.kind !== 'local';
  $('sign-in-button').hidden = signIn?.kind !== 'cognito';
  $('sign-in-local-hint').hidden = signIn?.kind !== 'local';
  if (signIn?.kind === 'local') $('sign-in-link', HTMLAnchorElement).href = signIn.url;
  showView('sign-in');
}

export function showSession() {
  const claims = claimsOf(currentToken() ?? '') ?? {};
  const who = claims.email ?? claims['cognito:username'] ?? claims.sub ?? 'officer';
  $('signed-in-as').textContent = `Signed in as ${who}`;
  $('session').hidden = false;
  $('app-nav').hidden = false;
}
