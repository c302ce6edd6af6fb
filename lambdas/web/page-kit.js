// @ts-check
// What every requester page shares: messages kept in the page's HTML, the one-time token read from
// the URL fragment, JSON posts that never throw, and a busy state on a button.

import { $ } from './elements.js';

/** @typedef {{ status: number, body: Record<string, unknown> }} Answer */

/**
 * A message from #messages, with `{name}` placeholders filled in.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 */
export function message(key, values = {}) {
  const text = document.querySelector(`#messages [data-message="${key}"]`)?.textContent?.trim() ?? key;
  return text.replace(/\{(\w+)\}/g, (placeholder, name) => (name in values ? String(values[name]) : placeholder));
}

/** @type {Record<string, string> | undefined} */
let fragment;

/**
 * The link's fragment (`#t=<token>&type=delete`) as name → value, read once: the first call drops
 * it from the address bar and history entry, later calls answer from what was read.
 */
function fragmentValues() {
  if (fragment === undefined) {
    /** @type {Record<string, string>} */
    const values = {};
    for (const pair of location.hash.slice(1).split('&')) {
      const [name, value] = pair.split('=');
      if (!name || value === undefined) continue;
      try {
        values[name] = decodeURIComponent(value).trim();
      } catch {
        values[name] = '';
      }
    }
    fragment = values;
    if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  }
  return fragment;
}

/**
 * Reads `name` from `#name=<value>&...`; the fragment leaves the address bar and history entry.
 * @param {string} name
 */
export function takeFragment(name) {
  const values = fragmentValues();
  return (Object.hasOwn(values, name) ? values[name] : undefined) ?? '';
}

/** Reads `t` from `#t=<token>` and drops the fragment from the address bar and history entry. */
export const takeToken = () => takeFragment('t');

/**
 * The language links reload the page, and the page has already dropped its link's fragment: a
 * plain click carries `#name=<value>` (and the `extra` pairs) over to the page in the other
 * language (which drops it again).
 * @param {string} name
 * @param {string} value
 * @param {Record<string, string>} [extra]
 */
export function carryOnLanguageSwitch(name, value, extra = {}) {
  if (!value) return;
  const pairs = Object.entries({ [name]: value, ...extra })
    .filter(([, item]) => item)
    .map(([key, item]) => `${key}=${encodeURIComponent(item)}`)
    .join('&');
  for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('.language-switcher a'))) {
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      location.replace(`${link.href.split('#')[0]}#${pairs}`);
    });
  }
}

/**
 * POSTs JSON; answers `{ status, body }`, with status 0 when the server could not be reached.
 * @param {string} url
 * @param {unknown} payload
 * @returns {Promise<Answer>}
 */
export async function postJson(url, payload) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(() => ({}));
    return { status: response.status, body: body && typeof body === 'object' ? body : {} };
  } catch {
    return { status: 0, body: {} };
  }
}

/**
 * Shows a button as busy (its `data-busy-label`) or ready again, for sighted and screen-reader users alike.
 * @param {HTMLElement} button
 * @param {boolean} on
 */
export function setButtonBusy(button, on) {
  button.dataset.label ??= button.textContent ?? '';
  button.textContent = (on ? button.dataset.busyLabel : button.dataset.label) ?? '';
  button.setAttribute('aria-disabled', String(on));
}

/**
 * A page that acts on the one-time token of an emailed link: it shows #ready when there is a token
 * (#missing otherwise) and posts it to `endpoint` only when `#<buttonId>` is pressed, because mail
 * scanners open links but do not press buttons. `onSuccess(body)` fills #done and returns false
 * when the answer is unusable; a 4xx is final (#failed, with the server's reason unless
 * `showServerReason` is false); `carry` names fragment values kept across a language switch; anything else
 * keeps the button and says why it did not work.
 * @param {object} page
 * @param {string} page.buttonId
 * @param {string} page.endpoint
 * @param {(body: Record<string, unknown>) => boolean} [page.onSuccess]
 * @param {(body: Record<string, unknown>) => void} [page.afterShown]
 * @param {Record<string, string>} [page.carry]
 * @param {boolean} [page.showServerReason]
 */
export function tokenPage({ buttonId, endpoint, onSuccess = () => true, afterShown = () => undefined, carry = {}, showServerReason = true }) {
  const ready = $('ready');
  const button = $(buttonId);
  const transientError = $('transient-error');
  let busy = false;

  /** @param {HTMLElement} panel */
  const show = (panel) => {
    ready.hidden = true;
    panel.hidden = false;
    panel.focus();
  };

  const token = takeToken();
  carryOnLanguageSwitch('t', token, carry);
  if (token) ready.hidden = false;
  else $('missing').hidden = false;

  button.addEventListener('click', async () => {
    if (busy) return;
    transientError.hidden = true;
    busy = true;
    setButtonBusy(button, true);
    const { status, body } = await postJson(endpoint, { token });
    busy = false;
    setButtonBusy(button, false);
    if (status >= 200 && status < 300 && onSuccess(body)) {
      show($('done'));
      afterShown(body);
    } else if (status >= 400 && status < 500 && status !== 429) {
      // The server's reason is in English; a page whose own words explain the failure leaves it out.
      $('failed-detail').textContent = showServerReason && typeof body.error === 'string' ? body.error : '';
      show($('failed'));
    } else {
      transientError.hidden = false;
      transientError.textContent = message(status === 0 ? 'network-error' : status === 429 ? 'rate-limited' : 'server-error');
    }
  });
}
