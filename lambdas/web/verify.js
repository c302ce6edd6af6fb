// The verify page: takes the one-time token from the URL fragment (which never reaches a server),
// removes it from the address bar, and posts it only when the requester presses the button:
// mail scanners open links, they do not press buttons. Visible strings live in verify.html.

import { tokenPage } from './page-kit.js';

tokenPage({ buttonId: 'confirm', endpoint: '/verify' });
