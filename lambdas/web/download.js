// @ts-check
// The download page: takes the one-time token from the URL fragment (which never reaches a server),
// removes it from the address bar, and exchanges it for short-lived links only when the requester
// presses the button. The links are plain navigations, so the page needs no fetch to another
// origin. Visible strings live in download.html.

import { $ } from './elements.js';
import { tokenPage } from './page-kit.js';

/**
 * Only http(s) links are followed, whatever the answer says.
 * @param {unknown} value
 */
function webUrl(value) {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** @param {unknown} expiresAt */
function showExpiry(expiresAt) {
  if (typeof expiresAt !== 'string') return;
  const date = new Date(expiresAt);
  if (Number.isNaN(date.getTime())) return;
  const time = $('expires-at', HTMLTimeElement);
  time.dateTime = date.toISOString();
  time.textContent = date.toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'long', timeStyle: 'short' });
  $('expiry').hidden = false;
}

tokenPage({
  buttonId: 'get-download',
  endpoint: '/download',
  // A 2xx without usable links is treated like a server error: the button stays for another try.
  onSuccess: (body) => {
    const json = webUrl(body.json);
    const report = webUrl(body.report);
    if (!json || !report) return false;
    $('json-link', HTMLAnchorElement).href = json;
    $('report-link', HTMLAnchorElement).href = report;
    showExpiry(body.expiresAt);
    return true;
  },
  afterShown: (body) => {
    const json = webUrl(body.json);
    if (json) location.assign(json);
  },
});
