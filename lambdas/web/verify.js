// @ts-check
// The verify page: takes the one-time token from the URL fragment (which never reaches a server),
// removes it from the address bar, and posts it only when the requester presses the button:
// mail scanners open links, they do not press buttons. The mail's link also names the request's
// type after the token (`#t=<token>&type=delete`), so the page says what is being confirmed.
// Visible strings live in verify.html.

import { $ } from './elements.js';
import { takeFragment, tokenPage } from './page-kit.js';

const type = takeFragment('type');
const kind = /^[a-z]+$/.test(type) ? document.querySelector(`#request-kind [data-kind="${type}"]`) : null;
if (kind) {
  for (const line of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('#request-kind [data-kind]'))) line.hidden = line !== kind;
  const box = $('request-kind');
  if (type === 'delete') box.classList.replace('notice-info', 'notice-warning');
  box.hidden = false;
}

// A used or expired link is explained in the page's own words; the server's reason is English only.
tokenPage({ buttonId: 'confirm', endpoint: '/verify', carry: kind ? { type } : {}, showServerReason: false });
