// The verify page: takes the one-time token from the URL fragment (which never reaches a server),
// removes it from the address bar, and posts it only when the requester presses the button:
// mail scanners open links, they do not press buttons. Visible strings live in verify.html.

const ready = document.getElementById('ready');
const button = document.getElementById('confirm');
const transientError = document.getElementById('transient-error');
let busy = false;

/** A message from #messages. */
const message = (key) => document.querySelector(`#messages [data-message="${key}"]`)?.textContent.trim() ?? key;

/** Reads `t` from `#t=<token>` and drops the fragment from the address bar and history entry. */
function takeToken() {
  const match = /(?:^|&)t=([^&]+)/.exec(location.hash.slice(1));
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  try {
    return match ? decodeURIComponent(match[1]).trim() : '';
  } catch {
    return '';
  }
}

/** POSTs JSON; answers `{ status, body }`, with status 0 when the server could not be reached. */
async function postJson(url, payload) {
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

function setBusy(on) {
  busy = on;
  button.dataset.label ??= button.textContent;
  button.textContent = on ? button.dataset.busyLabel : button.dataset.label;
  button.setAttribute('aria-disabled', String(on));
}

/** Replaces the button with a final outcome panel and moves focus to it. */
function show(panel) {
  ready.hidden = true;
  panel.hidden = false;
  panel.focus();
}

const token = takeToken();
if (token) ready.hidden = false;
else document.getElementById('missing').hidden = false;

button.addEventListener('click', async () => {
  if (busy) return;
  transientError.hidden = true;
  setBusy(true);
  const { status, body } = await postJson('/verify', { token });
  setBusy(false);
  if (status >= 200 && status < 300) {
    show(document.getElementById('done'));
  } else if (status >= 400 && status < 500 && status !== 429) {
    document.getElementById('failed-detail').textContent = typeof body.error === 'string' ? body.error : '';
    show(document.getElementById('failed'));
  } else {
    // Worth another try: keep the button, say why it did not work.
    transientError.hidden = false;
    transientError.textContent = message(status === 0 ? 'network-error' : status === 429 ? 'rate-limited' : 'server-error');
  }
});
