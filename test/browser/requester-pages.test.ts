import type { BrowserContext, Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../fixtures/axe.ts';
import { screenshot, useBrowserSession } from '../fixtures/browser.ts';
import { readFileSync } from 'node:fs';
import { composePage, renderTemplate, withJurisdictionChoice } from '../../lambdas/http/pages.ts';

const session = useBrowserSession();

const languages = ['en', 'fr', 'de', 'es'] as const;
const fakeToken = 'req_0000000000000000.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
let serial = 0;
/** A fresh, fictional address per request, so no test meets another's mail or rate limit. */
const freshEmail = (label: string) => `pages-${label}-${Date.now().toString(36)}-${++serial}@example.com`;

/** A page that fails the test on any console error (a CSP violation shows up there). */
async function openPage(context?: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await (context ?? session.browser).newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    // A 4xx answer the page handles is logged by the browser too; only other errors count.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/**
 * Opens `url` as a fresh document. A page drops its link's fragment at once, so going to the same
 * address with the fragment again would only be a same-document fragment change, not a load.
 */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
}

/** The id (or tag) of the focused element. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document.activeElement;
    return active?.id || active?.tagName.toLowerCase() || '';
  });

/** Presses Tab until the element matching `selector` has focus, as a keyboard user would. */
async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((element) => element === (element.ownerDocument as unknown as { activeElement: unknown }).activeElement)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** A status answer as the contract describes it, with overrides. */
function statusAnswer(overrides: Record<string, unknown> = {}) {
  return {
    requestId: 'req_01JDX4T2Z8Q9W0EXAMPLE',
    type: 'access',
    status: 'pending_approval',
    receivedAt: '2026-03-02T09:15:00.000Z',
    dueAt: '2026-04-02T23:59:59.999Z',
    jurisdiction: 'gdpr',
    timeline: [
      { at: '2026-03-02T09:15:00.000Z', action: 'submitted' },
      { at: '2026-03-02T09:15:02.000Z', action: 'verification_sent' },
      { at: '2026-03-02T09:20:41.000Z', action: 'verified' },
      { at: '2026-03-02T09:20:43.000Z', action: 'awaiting_approval' },
    ],
    canCancel: true,
    downloadAvailable: false,
    ...overrides,
  };
}

const fulfilJson = (route: Route, status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('the request form', () => {
  it('is in French with ?lang=fr, and sends the request with locale fr', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${session.stack.apiUrl}/?lang=fr`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Faire une demande sur vos données');
    expect(await page.getByRole('link', { name: 'Français' }).getAttribute('aria-current')).toBe('true');

    await page.getByLabel('Obtenir une copie de mes données').check();
    await page.getByLabel('Votre adresse e-mail').fill(freshEmail('fr'));
    const sent = page.waitForRequest((request) => request.url().endsWith('/requests') && request.method() === 'POST');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ type: 'access', locale: 'fr' });
    await expect.poll(() => page.getByRole('heading', { name: 'Nous avons bien reçu votre demande' }).isVisible()).toBe(true);
    expect(await page.locator('#request-id').textContent()).toMatch(/^req_/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is in German when the browser asks for German, errors included', async () => {
    const context = await session.browser.newContext({ locale: 'de-DE' });
    const { page, errors } = await openPage(context);
    await page.goto(`${session.stack.apiUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Datenschutzanfrage stellen');

    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    await expect.poll(() => focused(page)).toBe('error-summary');
    expect(await page.locator('#error-summary-list').innerText()).toContain('Wählen Sie aus, was Sie tun möchten.');
    expect(await page.locator('#error-summary-list').innerText()).toContain('Geben Sie Ihre E-Mail-Adresse ein.');

    await page.getByLabel('Meine Daten berichtigen').check();
    expect(await page.getByRole('group', { name: 'Was sollen wir berichtigen?' }).isVisible()).toBe(true);
    await page.getByLabel('Ihre E-Mail-Adresse').fill(freshEmail('de'));
    const sent = page.waitForRequest((request) => request.url().endsWith('/requests') && request.method() === 'POST');
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    // The empty correction is caught before anything is sent.
    await expect.poll(() => page.locator('#error-summary-list').innerText()).toContain('Geben Sie die richtige Angabe für „Name“ ein.');
    await page.getByLabel('Richtige Angabe').fill('Erika Mustermann');
    await page.getByRole('button', { name: 'Anfrage senden' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ type: 'amend', locale: 'de', corrections: [{ field: 'name', value: 'Erika Mustermann' }] });
    await expect.poll(() => page.getByRole('heading', { name: 'Wir haben Ihre Anfrage erhalten' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('can be filled in and sent with the keyboard alone', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${session.stack.apiUrl}/?lang=en`);

    // The skip link comes first and lands on the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className)).toBe(
      'skip-link',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('main');

    // Sending nothing: the summary takes focus, and its first link leads to the question.
    await tabTo(page, '#submit-request');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('error-summary');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('type-access');

    // Arrow keys move through the choices; "Correct my data" opens one correction row.
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('type-amend');
    expect(await page.isChecked('#type-amend')).toBe(true);
    await tabTo(page, '#correction-rows select');
    await page.keyboard.press('ArrowDown'); // Name → Phone number
    await page.keyboard.press('Tab');
    await page.keyboard.type('+44 20 7946 0000');
    await tabTo(page, '#email');
    await page.keyboard.type(freshEmail('keyboard'));
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('submit-request');
    const sent = page.waitForRequest((request) => request.url().endsWith('/requests') && request.method() === 'POST');
    await page.keyboard.press('Space');
    expect((await sent).postDataJSON()).toMatchObject({ type: 'amend', locale: 'en', corrections: [{ field: 'phone', value: '+44 20 7946 0000' }] });
    await expect.poll(() => focused(page)).toBe('confirmation');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pre-fills the address from a "manage my data" link, and can be cleared', async () => {
    const { page, errors } = await openPage();
    let posted: unknown;
    await page.route('**/intake', async (route) => {
      posted = route.request().postDataJSON();
      await fulfilJson(route, 200, { email: 'lukas.muller@example.com' });
    });
    await page.goto(`${session.stack.apiUrl}/?lang=es#intake=signed.intake-token`);
    await expect.poll(() => page.inputValue('#email')).toBe('lukas.muller@example.com');
    expect(posted).toEqual({ token: 'signed.intake-token' });
    expect(page.url()).not.toContain('#intake');
    expect(await page.getAttribute('#email', 'readonly')).not.toBeNull();
    expect(await focused(page)).toBe('type-access');
    expect(await page.locator('#intake-note').innerText()).toContain('Hemos rellenado su dirección de correo electrónico');
    await screenshot(page, 'requester-form-intake-es');

    await page.getByRole('button', { name: '¿No es usted? Usar otra dirección de correo electrónico' }).click();
    expect(await page.inputValue('#email')).toBe('');
    expect(await page.getAttribute('#email', 'readonly')).toBeNull();
    expect(await focused(page)).toBe('email');
    expect(await page.locator('#intake-note').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so gently when the link is not valid, and leaves the form empty', async () => {
    const { page } = await openPage();
    await page.goto(`${session.stack.apiUrl}/?lang=en#intake=not-a-valid-token`);
    await expect.poll(() => page.locator('#intake-note').isVisible()).toBe(true);
    expect(await page.locator('#intake-note').innerText()).toContain('You can still make a request below.');
    expect(await page.inputValue('#email')).toBe('');
    expect(await page.getAttribute('#email', 'readonly')).toBeNull();
    await page.close();
  });
});

describe('the status page', () => {
  it('is reached from the link in the verification mail, follows the request and cancels it', async () => {
    const email = freshEmail('status');
    const submitted = await session.client.post('/requests', { type: 'delete', email, locale: 'fr' });
    expect(submitted.status).toBe(202);
    // The mail is in French, and its links open the pages in French whatever the browser's language.
    const mail = await session.client.waitForMail(email, /(http:\/\/[^\s]+\/status\?lang=fr#t=[A-Za-z0-9_.-]+)/);
    expect(mail.mail.subject).toBe('Confirmez votre demande relative à vos données');
    const statusLink = mail.match[1]!;
    const verifyLink = /(http:\/\/[^\s]+\/verify\?lang=fr#t=[A-Za-z0-9_.-]+)/.exec(mail.mail.body.text ?? '')![1]!;

    const { page, errors } = await openPage();
    await visit(page, statusLink);
    expect(page.url()).not.toContain('#t=');
    await expect.poll(() => page.locator('#status-text').textContent()).toMatch(/confirmiez votre adresse e-mail/);
    expect(await page.locator('#fact-reference').textContent()).toBe(submitted.body.requestId);
    expect(await page.locator('#fact-type').textContent()).toBe('Suppression de vos données');
    expect(await page.locator('[aria-current="step"] .step-name').textContent()).toBe('Adresse e-mail confirmée');
    expect(await page.locator('#fact-due').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await page.locator('#timeline li').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Nous avons reçu votre demande.')]));
    await screenshot(page, 'requester-status-live-fr');

    // Confirmed by mail, the request waits for an officer: the same link shows it.
    const token = /#t=(.+)$/.exec(verifyLink)![1]!;
    expect((await session.client.post('/verify', { token })).status).toBe(200);
    await visit(page, statusLink);
    await expect
      .poll(() => page.locator('[aria-current="step"] .step-name').textContent())
      .toBe('Examen par notre équipe chargée de la protection des données');

    // Cancelling asks first; "No" changes nothing and returns focus.
    await page.getByRole('button', { name: 'Annuler ma demande' }).click();
    await expect.poll(() => focused(page)).toBe('cancel-confirm');
    await page.getByRole('button', { name: 'Non, conserver ma demande' }).click();
    expect(await focused(page)).toBe('cancel');
    await page.getByRole('button', { name: 'Annuler ma demande' }).click();
    await page.getByRole('button', { name: 'Oui, annuler ma demande' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('Votre demande est annulée. Nous ne l’exécuterons pas.');
    expect(await focused(page)).toBe('notice');
    expect(await page.locator('#status-text').textContent()).toMatch(/Vous avez annulé cette demande/);
    expect(await page.locator('#cancel-section').isHidden()).toBe(true);
    expect(await page.locator('.step-stopped .step-name').textContent()).toBe('Examen par notre équipe chargée de la protection des données');
    await screenshot(page, 'requester-status-cancelled-fr');
    expect(await session.client.waitForStatus(submitted.body.requestId, 'cancelled')).toMatchObject({ status: 'cancelled' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an extension with its reason, words unknown events plainly and points to the download mail', async () => {
    const { page, errors } = await openPage();
    await page.route('**/status', (route) =>
      route.request().method() === 'POST'
        ? fulfilJson(
            route,
            200,
            statusAnswer({
              status: 'completed',
              canCancel: false,
              downloadAvailable: true,
              extension: { dueAt: '2026-06-02T23:59:59.999Z', reason: 'Muchos sistemas que revisar <b>no es HTML</b>' },
              timeline: [
                ...(statusAnswer().timeline as object[]),
                { at: '2026-03-03T10:00:00.000Z', action: 'approved' },
                { at: '2026-03-04T10:00:00.000Z', action: 'something_new' },
                { at: '2026-03-05T10:00:00.000Z', action: 'completed' },
              ],
            }),
          )
        : route.continue(),
    );
    await visit(page, `${session.stack.apiUrl}/status?lang=es#t=${fakeToken}`);
    await expect.poll(() => page.locator('#status-text').textContent()).toBe('Su solicitud está terminada. Le hemos explicado por correo lo que hicimos.');
    expect(await page.locator('#download-note').isVisible()).toBe(true);
    expect(await page.locator('#cancel-section').isHidden()).toBe(true);
    expect(await page.locator('[aria-current="step"]').count()).toBe(0);
    expect(await page.locator('.step-done').count()).toBe(5);
    // A closed request has no deadline left to show.
    expect(await page.locator('#fact-due-row').isHidden()).toBe(true);
    expect(await page.locator('#timeline li').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('Su solicitud se actualizó.'), expect.stringContaining('Su solicitud se ejecutó por completo.')]),
    );
    expect(errors).toEqual([]);

    await page.unrouteAll();
    await page.route('**/status', (route) =>
      route.request().method() === 'POST'
        ? fulfilJson(
            route,
            200,
            statusAnswer({
              status: 'in_progress',
              canCancel: false,
              extension: { dueAt: '2026-06-02T23:59:59.999Z', reason: 'Muchos sistemas que revisar <b>no es HTML</b>' },
            }),
          )
        : route.continue(),
    );
    await visit(page, `${session.stack.apiUrl}/status?lang=es#t=${fakeToken}`);
    await expect
      .poll(() => page.locator('#extension').textContent())
      .toBe('Hemos ampliado el plazo hasta el 2 de junio de 2026. Motivo: Muchos sistemas que revisar <b>no es HTML</b>');
    expect(await page.locator('#fact-due').textContent()).toBe('2 de junio de 2026');
    expect(await page.locator('#extension b').count()).toBe(0);
    await page.close();
  });

  it('lists the requests the mail limit held back for this mailbox, and confirms the one the owner picks', async () => {
    const { page, errors } = await openPage();
    const heldId = 'req_01JDX4T2Z8Q9W0HELDBACK';
    let held = [{ requestId: heldId, type: 'delete', receivedAt: '2026-03-02T11:00:00.000Z', confirmBy: '2026-03-05T11:00:00.000Z' }];
    const confirmations: unknown[] = [];
    await page.route('**/status', (route) =>
      route.request().method() === 'POST' ? fulfilJson(route, 200, statusAnswer({ heldForMailbox: held })) : route.continue(),
    );
    await page.route('**/status/confirm', (route) => {
      confirmations.push(route.request().postDataJSON());
      held = [];
      return fulfilJson(route, 200, { requestId: heldId, status: 'pending_approval' });
    });
    await visit(page, `${session.stack.apiUrl}/status?lang=en#t=${fakeToken}`);
    await expect.poll(() => page.locator('#held-section').isVisible()).toBe(true);
    expect(await page.locator('#held-list li').textContent()).toMatch(/^Deletion of your data, received .+, confirm by March 5, 2026 Confirm: this was me$/);
    await screenshot(page, 'requester-status-held-en');

    await page.getByRole('button', { name: 'Confirm: this was me' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('Confirmed. We will review that request too.');
    expect(confirmations).toEqual([{ token: fakeToken, requestId: heldId }]);
    expect(await page.locator('#held-section').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps its link when the requester switches language, and says when cancelling came too late', async () => {
    const { page, errors } = await openPage();
    let status = statusAnswer();
    const seenTokens: string[] = [];
    await page.route('**/status', (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      seenTokens.push(route.request().postDataJSON().token);
      return fulfilJson(route, 200, status);
    });
    await page.route('**/cancel', (route) => {
      status = statusAnswer({
        status: 'in_progress',
        canCancel: false,
        timeline: [...(statusAnswer().timeline as object[]), { at: '2026-03-03T10:00:00.000Z', action: 'approved' }],
      });
      return fulfilJson(route, 409, { error: 'This request can no longer be cancelled.' });
    });
    await visit(page, `${session.stack.apiUrl}/status?lang=en#t=${fakeToken}`);
    await expect.poll(() => page.locator('#status-text').textContent()).toBe('Our privacy team is reviewing your request.');

    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect.poll(() => page.locator('#status-text').textContent()).toBe('Unser Datenschutzteam prüft Ihre Anfrage.');
    expect(page.url()).toBe(`${session.stack.apiUrl}/status?lang=de`);
    expect(seenTokens).toEqual([fakeToken, fakeToken]);

    await page.getByRole('button', { name: 'Meine Anfrage zurückziehen' }).click();
    await page.getByRole('button', { name: 'Ja, Anfrage zurückziehen' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('This request can no longer be cancelled.');
    expect(await page.locator('#notice').getAttribute('class')).toContain('notice-error');
    expect(await page.locator('#cancel-section').isHidden()).toBe(true);
    expect(await page.locator('[aria-current="step"] .step-name').textContent()).toBe('Anfrage wird ausgeführt');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when the link is unknown, and offers a retry when the server cannot answer', async () => {
    const { page } = await openPage();
    await visit(page, `${session.stack.apiUrl}/status?lang=en#t=${fakeToken}`);
    await expect.poll(() => page.locator('#failed').isVisible()).toBe(true);

    let attempts = 0;
    await page.route('**/status', (route) =>
      route.request().method() === 'POST' ? (++attempts === 1 ? fulfilJson(route, 503, {}) : fulfilJson(route, 200, statusAnswer())) : route.continue(),
    );
    await visit(page, `${session.stack.apiUrl}/status?lang=en#t=${fakeToken}`);
    await expect.poll(() => page.locator('#transient-error').textContent()).toBe('Something went wrong on our side. Please try again in a few minutes.');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => focused(page)).toBe('summary');
    await visit(page, `${session.stack.apiUrl}/status?lang=en`);
    await expect.poll(() => page.locator('#missing').isVisible()).toBe(true);
    await page.close();
  });

  it('has no serious accessibility problem with the cancel confirmation open', async () => {
    const { page } = await openPage();
    await page.route('**/status', (route) =>
      route.request().method() === 'POST'
        ? fulfilJson(route, 200, statusAnswer({ extension: { dueAt: '2026-06-02T23:59:59.999Z', reason: 'Many systems to search.' } }))
        : route.continue(),
    );
    for (const lang of languages) {
      await visit(page, `${session.stack.apiUrl}/status?lang=${lang}#t=${fakeToken}`);
      await expect.poll(() => page.locator('#details').isVisible()).toBe(true);
      await page.locator('#cancel').click();
      expect(await seriousViolations(page), lang).toEqual([]);
    }
    await page.close();
  });
});

describe('the organisation and the jurisdiction', () => {
  it('names the organisation on the page, and sends the law the requester chose where both are offered', async () => {
    const web = (file: string) => readFileSync(new URL(`../../lambdas/web/${file}`, import.meta.url), 'utf8');
    const settings = {
      organisationName: 'Acme Europe GmbH',
      privacyNoticeUrl: 'https://acme.example/privacy',
      privacyContact: 'dpo@acme.example',
      offeredJurisdictions: ['gdpr', 'ccpa'],
    };
    // The form as the pages function renders it when the settings offer both laws.
    const form = renderTemplate(
      withJurisdictionChoice(composePage(web('layout.html'), web('index.html'), 'index.html'), settings),
      'en',
      'index.html',
      settings,
    );
    const { page, errors } = await openPage();
    await page.route('**/?lang=en', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: form }));
    await page.goto(`${session.stack.apiUrl}/?lang=en`);
    expect(await page.locator('.site-footer').innerText()).toMatch(/These pages are run by Acme Europe GmbH\.[\s\S]*Privacy notice[\s\S]*dpo@acme\.example/);
    expect(await page.locator('#jurisdiction-gdpr').isChecked()).toBe(true);
    await page.locator('#type-access').check();
    await page.getByLabel('CCPA (California)').check();
    await page.locator('#email').fill(freshEmail('ccpa'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'requester-form-jurisdiction-en');
    const posted = page.waitForRequest((request) => request.url().endsWith('/requests') && request.method() === 'POST');
    await page.locator('#submit-request').click();
    expect((await posted).postDataJSON()).toMatchObject({ type: 'access', jurisdiction: 'ccpa', locale: 'en' });
    await expect.poll(() => page.locator('#confirmation-title').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the default organisation footer on every requester page', async () => {
    const { page } = await openPage();
    for (const path of ['/', '/verify', '/download', '/status']) {
      await page.goto(`${session.stack.apiUrl}${path}?lang=fr`);
      expect(await page.locator('.site-footer').innerText(), path).toMatch(
        /Ces pages sont gérées par Example Ltd\.[\s\S]*Politique de confidentialité[\s\S]*privacy@example\.com/,
      );
    }
    // Which laws the form offers is the settings' choice: test/unit/pages.test.ts covers one law and both.
    await page.close();
  });
});

describe('the verify page', () => {
  it('says what is being confirmed, keeps it across a language switch, and sends a reused link to the status link', async () => {
    const email = freshEmail('verify');
    expect((await session.client.post('/requests', { type: 'delete', email, locale: 'fr' })).status).toBe(202);
    const mail = await session.client.waitForMail(email, /(http:\/\/[^\s]+\/verify\?lang=fr#t=[A-Za-z0-9_.-]+&type=delete)/);
    const verifyLink = mail.match[1]!;

    const { page, errors } = await openPage();
    await visit(page, verifyLink);
    await expect.poll(() => page.locator('#request-kind').isVisible()).toBe(true);
    expect(page.url()).not.toContain('#');
    expect(await page.locator('#request-kind').innerText()).toBe(
      'Vous confirmez une demande d’effacement de vos données personnelles. Une fois l’effacement effectué, ce que nous supprimons ne peut pas être récupéré.',
    );
    expect(await page.locator('#request-kind').getAttribute('class')).toContain('notice-warning');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'requester-verify-delete-fr');

    await page.locator('.language-switcher a[lang="de"]').click();
    await expect.poll(() => page.locator('#request-kind').innerText()).toMatch(/^Sie bestätigen eine Anfrage auf Löschung/);
    await page.getByRole('button', { name: 'Anfrage bestätigen' }).click();
    await expect.poll(() => page.locator('#done').isVisible()).toBe(true);

    // The same link again: already used. The page says so in its own words, and points to the status link.
    await visit(page, verifyLink);
    await page.getByRole('button', { name: 'Confirmer ma demande' }).click();
    await expect.poll(() => page.locator('#failed').isVisible()).toBe(true);
    const failed = await page.locator('#failed').innerText();
    expect(failed).toContain('Ce lien a déjà été utilisé');
    expect(failed).toContain('« Voir où en est votre demande »');
    expect(failed).not.toMatch(/submit your request again/i);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'requester-verify-used-fr');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says nothing about the kind when the link does not name a known one', async () => {
    const { page } = await openPage();
    await visit(page, `${session.stack.apiUrl}/verify?lang=en#t=${fakeToken}&type=%22%3E%3Cimg%3E`);
    await expect.poll(() => page.locator('#ready').isVisible()).toBe(true);
    expect(await page.locator('#request-kind').isHidden()).toBe(true);
    await page.close();
  });
});

describe('every requester page in every language', () => {
  for (const lang of languages) {
    it(`looks right in ${lang}`, async () => {
      const { page, errors } = await openPage();
      await page.setViewportSize({ width: 900, height: 900 });
      await page.route('**/status', (route) =>
        route.request().method() === 'POST'
          ? fulfilJson(route, 200, statusAnswer({ extension: { dueAt: '2026-06-02T23:59:59.999Z', reason: 'Many systems to search.' } }))
          : route.continue(),
      );

      await page.goto(`${session.stack.apiUrl}/?lang=${lang}`);
      await page.locator('#type-amend').check();
      await screenshot(page, `requester-form-${lang}`);

      await page.goto(`${session.stack.apiUrl}/verify?lang=${lang}#t=${fakeToken}`);
      await expect.poll(() => page.locator('#ready').isVisible()).toBe(true);
      await screenshot(page, `requester-verify-${lang}`);

      await page.goto(`${session.stack.apiUrl}/download?lang=${lang}#t=${fakeToken}`);
      await expect.poll(() => page.locator('#ready').isVisible()).toBe(true);
      await screenshot(page, `requester-download-${lang}`);

      await visit(page, `${session.stack.apiUrl}/status?lang=${lang}#t=${fakeToken}`);
      await expect.poll(() => page.locator('#details').isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `requester-status-${lang}`);

      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, `requester-status-${lang}-narrow`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
