import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { buildAccessExport } from '../../lambdas/domain/access-export.ts';
import { requesterLanguageOf, requesterLanguages, requesterPageLink, type RequesterLanguage } from '../../lambdas/domain/languages.ts';
import type { StoreOutcome } from '../../lambdas/domain/request.ts';
import { renderAccessReport } from '../../lambdas/messages/access-report-html.ts';
import {
  accessCompletedMail,
  amendCompletedMail,
  cancelledMail,
  deleteCompletedMail,
  extensionMail,
  objectionCompletedMail,
  rejectedMail,
  verificationMail,
} from '../../lambdas/messages/requester-mails.ts';
import type { MailBody } from '../../lambdas/messages/layout.ts';
import { recipientNoticeMail } from '../../lambdas/messages/recipient-mails.ts';
import { requesterTexts } from '../../lambdas/messages/requester-texts.ts';

const requestId = 'req_0mhz1abcdefghijk';
const statusLink = 'https://privacy.example.com/status#t=req_0mhz1abcdefghijk.secret';
const at = '2026-11-23T10:00:00.000Z';
const outcome = (storeId: string, result: Partial<StoreOutcome>): StoreOutcome => ({ storeId, status: 'succeeded', finishedAt: at, ...result });
const stores = storeCatalog.stores;

/** Every requester mail, as it would go out for a request in `locale`. */
function everyMail(locale: string) {
  const common = { requestId, statusLink, locale };
  return {
    verification: verificationMail({
      ...common,
      type: 'access',
      link: 'https://privacy.example.com/verify#t=x',
      expiresAt: '2026-11-24T10:00:00.000Z',
      dueAt: '2026-12-23T23:59:59.999Z',
    }),
    accessCompleted: accessCompletedMail({
      ...common,
      link: 'https://privacy.example.com/download#t=x',
      expiresAt: '2026-11-30T10:00:00.000Z',
      outcomes: [outcome('accounts', { recordCount: 1 }), outcome('usage-events', { recordCount: 120 })],
      storeNames: { accounts: 'Customer accounts', 'usage-events': 'Usage events' },
    }),
    rejected: rejectedMail({ ...common, type: 'delete', reason: 'We hold no account for this address.' }),
    amendCompleted: amendCompletedMail({
      ...common,
      corrections: [
        { field: 'phone', value: '+44 20 7946 0000' },
        { field: 'jobTitle', value: 'Engineer' },
      ],
      outcomes: [outcome('accounts', { updated: 1 }), outcome('support-tickets', { updated: 0 })],
      stores,
    }),
    deleteCompleted: deleteCompletedMail({
      ...common,
      outcomes: [outcome('accounts', { deleted: 1 }), outcome('survey-answers', { anonymized: 2 }), outcome('billing-records', { retained: 2 })],
      stores,
      backupDays: 35,
    }),
    objectionCompleted: objectionCompletedMail({ ...common, outcomes: [outcome('marketing-preferences', { updated: 1 })], stores }),
    cancelled: cancelledMail({ ...common, type: 'amend' }),
    extension: extensionMail({
      ...common,
      type: 'access',
      reason: 'Many systems to search.',
      previousDueAt: '2026-12-23T23:59:59.999Z',
      dueAt: '2027-02-23T23:59:59.999Z',
      policyLabel: 'GDPR',
    }),
  };
}

describe("requester mails in the request's language", () => {
  const english = everyMail('en');

  it.each(requesterLanguages.filter((language) => language !== 'en'))('are written wholly in %s: subject, body, link labels and footer', (language) => {
    const texts = requesterTexts(language);
    for (const [name, mail] of Object.entries(everyMail(language)) as [keyof typeof english, MailBody][]) {
      expect(mail.subject, name).not.toBe(english[name].subject);
      expect(mail.html, name).toContain(`<html lang="${language}">`);
      expect(mail.text, name).toContain(texts.layout.footer(requestId));
      expect(mail.text, name).toContain(`${texts.layout.statusLink}${texts.layout.colon}${statusLink}`);
      // None of the English mail's own sentences is left in it.
      for (const line of english[name].text.split('\n').filter((line) => line.length > 30 && !line.includes('http')))
        expect(mail.text, `${name}: ${line}`).not.toContain(line);
    }
  });

  it('writes dates, counts and field names as each language does', () => {
    const fr = everyMail('fr');
    expect(fr.verification.text).toContain("valable jusqu'au 24 novembre 2026");
    expect(fr.verification.text).toContain('au plus tard le 23 décembre 2026');
    expect(fr.amendCompleted.text).toContain('rectifier : numéro de téléphone, fonction');
    expect(fr.amendCompleted.text).toContain('0 enregistrement mis à jour (déjà correct)'); // French counts 0 as singular
    expect(fr.verification.text).toContain('Confirmer ma demande : https://privacy.example.com/verify#t=x'); // a space before the colon, as French writes it
    const de = everyMail('de');
    expect(de.accessCompleted.text).toContain('Customer accounts: 1 Datensatz');
    expect(de.accessCompleted.text).toContain('Usage events: 120 Datensätze');
    expect(de.extension.text).toContain('spätestens bis zum 23. Februar 2027 um 23:59 UTC statt bis zum 23. Dezember 2026 um 23:59 UTC');
    const es = everyMail('es');
    expect(es.deleteCompleted.text).toContain('2 registros anonimizados');
    expect(es.deleteCompleted.text).toContain('en un plazo de 35 días');
    expect(english.amendCompleted.text).toContain('Customer accounts: 1 record updated');
    expect(english.amendCompleted.text).toContain('0 records updated (already correct)');
    expect(english.accessCompleted.text).toContain('Usage events: 120 records');
  });

  it('says a system our staff handled was handled by them, never "0 records updated (already correct)"', () => {
    for (const locale of ['en', 'fr']) {
      const mail = amendCompletedMail({
        requestId,
        statusLink,
        locale,
        corrections: [{ field: 'phone', value: '+44 20 7946 0000' }],
        outcomes: [outcome('paper-archive', {})],
        stores,
      });
      const texts = requesterTexts(requesterLanguageOf(locale));
      expect(mail.text, locale).toContain(texts.amendCompleted.handledByStaff);
      expect(mail.text, locale).not.toContain(texts.amendCompleted.alreadyCorrect.trim());
    }
  });

  it('never claims a correction was made everywhere when a system keeps the field as it was: it names the system and why', () => {
    const corrections = [{ field: 'phone' as const, value: '+44 20 7946 0000' }];
    const english = amendCompletedMail({ requestId, statusLink, locale: 'en', corrections, outcomes: [outcome('accounts', { updated: 1 })], stores });
    expect(english.text).not.toContain('every system that holds it');
    expect(english.text).toContain(
      'Billing records: your phone number stays as it was here, because invoices already issued must be kept exactly as they were issued',
    );
    const french = amendCompletedMail({ requestId, statusLink, locale: 'fr', corrections, outcomes: [outcome('accounts', { updated: 1 })], stores });
    expect(french.text).toContain('Facturation : nous ne pouvons pas modifier ici votre numéro de téléphone, car les factures déjà émises');
    // A field no store keeps as it was: the plain sentence.
    const jobTitle = amendCompletedMail({
      requestId,
      statusLink,
      locale: 'en',
      corrections: [{ field: 'jobTitle', value: 'Engineer' }],
      outcomes: [outcome('accounts', { updated: 1 })],
      stores,
    });
    expect(jobTitle.text).toContain('We made the change in every system that holds it');
    expect(jobTitle.text).not.toContain('Billing records');
  });

  it('writes every date one way per language, with the time and its zone', () => {
    expect(everyMail('en').verification.text).toContain('The link works until 24 November 2026 at 10:00 UTC.');
    expect(everyMail('fr').verification.text).toContain("valable jusqu'au 24 novembre 2026 à 10:00 UTC");
    expect(everyMail('de').accessCompleted.text).toContain('30. November 2026 um 10:00 UTC');
    expect(everyMail('es').verification.text).toContain('24 de noviembre de 2026 a las 10:00 UTC');
  });

  it("names stores, legal bases and retention periods in the request's language, from the catalog", () => {
    const fr = everyMail('fr');
    expect(fr.deleteCompleted.text).toContain('Comptes clients : 1 enregistrement supprimé');
    expect(fr.deleteCompleted.text).toContain('Facturation : 2 enregistrements conservés — motif : obligation légale de conserver les factures');
    expect(fr.deleteCompleted.text).toContain("10 ans après la fin de l'année de la facture");
    expect(fr.amendCompleted.text).toContain("Demandes d'assistance : 0 enregistrement mis à jour");
    expect(everyMail('de').objectionCompleted.text).toContain('Werbeeinstellungen: ');
    expect(everyMail('es').deleteCompleted.text).toContain('Respuestas a encuestas: 2 registros anonimizados');
    for (const language of ['fr', 'de', 'es'] as const) {
      const mails = everyMail(language);
      for (const mail of [mails.deleteCompleted, mails.amendCompleted, mails.objectionCompleted]) {
        for (const store of stores) expect(mail.text, `${language}: ${store.name}`).not.toContain(`${store.name}${requesterTexts(language).layout.colon}`);
        expect(mail.text, language).not.toMatch(/legal obligation|years after/);
      }
    }
  });

  it('tells every requester of their right to complain and to a judicial remedy when it refuses', () => {
    expect(everyMail('en').rejected.text).toMatch(/supervisory authority[\s\S]*judicial remedy/);
    expect(everyMail('fr').rejected.text).toMatch(/autorité de contrôle[\s\S]*recours juridictionnel/);
    expect(everyMail('de').rejected.text).toMatch(/Aufsichtsbehörde[\s\S]*gerichtlichen Rechtsbehelf/);
    expect(everyMail('es').rejected.text).toMatch(/autoridad de control[\s\S]*tutela judicial/);
  });

  it('falls back to English for a language we do not write, and reads regional tags', () => {
    expect(everyMail('pt-BR').verification.subject).toBe('Confirm your privacy request');
    expect(everyMail('fr-CA').verification.subject).toBe(everyMail('fr').verification.subject);
    expect(requesterLanguageOf(undefined)).toBe('en');
    expect(requesterLanguageOf('DE-at')).toBe('de');
  });

  it('escapes what an officer typed in every language', () => {
    for (const language of requesterLanguages) {
      const mail = rejectedMail({ requestId, locale: language, type: 'access', reason: '<img src=x onerror=alert(1)>' });
      expect(mail.html).not.toContain('<img');
      expect(mail.html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    }
  });
});

describe('what each mail ends with', () => {
  it('only the verification mail says it may be ignored; the others end with the reference', () => {
    for (const language of requesterLanguages) {
      const texts = requesterTexts(language);
      for (const [name, mail] of Object.entries(everyMail(language))) {
        if (name === 'verification') expect(mail.text, `${language} ${name}`).toContain(`${texts.layout.footer(requestId)} ${texts.verification.notYou}`);
        else expect(mail.text + mail.html, `${language} ${name}`).not.toMatch(/ignore|ignorer|ignorieren|ignorar/i);
      }
    }
    const notice = recipientNoticeMail({
      requestId,
      type: 'delete',
      recipient: 'Example Hosting Ltd',
      storeName: 'Customer accounts',
      subjectReference: 'c-1',
      outcome: outcome('accounts', { deleted: 1 }),
    });
    expect(notice.text).not.toMatch(/ignore/i);
    expect(notice.text.trimEnd()).toMatch(/Request reference: req_0mhz1abcdefghijk\.$/);
  });

  it('names the organisation, its privacy notice and its contact, from the settings, in every requester mail', () => {
    const settings = { ORGANISATION_NAME: 'Acme <GmbH>', PRIVACY_NOTICE_URL: 'https://acme.example/datenschutz', PRIVACY_CONTACT: 'dpo@acme.example' };
    const saved = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
    Object.assign(process.env, { ...settings, ORGANISATION_NAME: 'Acme GmbH' });
    try {
      for (const language of requesterLanguages) {
        const texts = requesterTexts(language);
        for (const [name, mail] of Object.entries(everyMail(language))) {
          expect(mail.text, `${language} ${name}`).toContain(
            `${texts.layout.sentBy('Acme GmbH')}\n${texts.layout.privacyNotice}${texts.layout.colon}https://acme.example/datenschutz\n${texts.layout.contact}${texts.layout.colon}dpo@acme.example`,
          );
          expect(mail.html, `${language} ${name}`).toContain('<a href="mailto:dpo@acme.example">dpo@acme.example</a>');
        }
      }
      process.env.ORGANISATION_NAME = settings.ORGANISATION_NAME;
      expect(() => everyMail('en')).toThrow(/ORGANISATION_NAME must be plain text/);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(everyMail('de').cancelled.text).toContain('Gesendet von Example Ltd.');
  });

  it('the verification link names what is being confirmed after the token', () => {
    const mail = verificationMail({
      requestId,
      type: 'delete',
      link: 'https://privacy.example.com/verify?lang=fr#t=req_1.s',
      expiresAt: at,
      dueAt: at,
      locale: 'fr',
    });
    expect(mail.text).toContain('https://privacy.example.com/verify?lang=fr#t=req_1.s&type=delete');
    expect(mail.html).toContain('href="https://privacy.example.com/verify?lang=fr#t=req_1.s&#38;type=delete"');
  });
});

describe('links to the requester pages', () => {
  it("open the page in the request's language, and leave English to the browser", () => {
    expect(requesterPageLink('https://p.example', 'status', 'req_1.s', 'fr')).toBe('https://p.example/status?lang=fr#t=req_1.s');
    expect(requesterPageLink('https://p.example', 'verify', 'req_1.s', 'de-AT')).toBe('https://p.example/verify?lang=de#t=req_1.s');
    expect(requesterPageLink('https://p.example', 'download', 'req_1.s', 'en')).toBe('https://p.example/download#t=req_1.s');
    expect(requesterPageLink('https://p.example', 'download', 'req_1.s', 'pt')).toBe('https://p.example/download#t=req_1.s');
  });
});

describe('the access report', () => {
  const build = (language: RequesterLanguage) =>
    buildAccessExport({
      request: { requestId, receivedAt: at, email: 'jane.doe@example.com', jurisdiction: 'gdpr' },
      stores: stores.filter((store) => store.id === 'accounts' || store.id === 'paper-archive'),
      outcomes: [outcome('accounts', { recordCount: 1 }), outcome('paper-archive', { recordCount: 0 })],
      recordsByStore: new Map([['accounts', [{ customerId: 'c-1', name: 'Jane <b>Doe</b>' }]]]),
      generatedAt: new Date('2026-11-24T08:00:00.000Z'),
      rights: requesterTexts(language).report.rights,
      language,
    });

  it("carries the rights in the request's language, in the JSON and the readable report", () => {
    const document = build('de');
    expect(document.language).toBe('de');
    expect(document.rights).toContain('Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren.');
    const html = renderAccessReport(document);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<h2>Ihre Rechte</h2>');
    expect(html).toContain('eingegangen am 23. November 2026 um 10:00 UTC, Bericht erstellt am 24. November 2026 um 08:00 UTC');
    expect(html).toContain('<dt>Rechtsgrundlage</dt>');
    expect(html).toContain('von Hand durchsucht'); // the manual system, sent separately
  });

  it('says, per store, where data goes outside the EEA and under which safeguard, and any automated decision-making', () => {
    const document = buildAccessExport({
      request: { requestId, receivedAt: at, email: 'jane.doe@example.com', jurisdiction: 'gdpr' },
      stores: stores.filter((store) => ['crm-partner', 'marketing-preferences', 'accounts'].includes(store.id)),
      outcomes: [outcome('crm-partner', { recordCount: 0 }), outcome('marketing-preferences', { recordCount: 0 }), outcome('accounts', { recordCount: 0 })],
      recordsByStore: new Map(),
      generatedAt: new Date(at),
      rights: requesterTexts('en').report.rights,
      language: 'en',
    });
    const sectionOf = (html: string, name: string) => html.split('<section').find((section) => section.includes(`<h2>${name}</h2>`)) ?? '';
    const html = renderAccessReport(document);
    expect(sectionOf(html, 'Sales CRM (Example CRM Inc., processor)')).toMatch(
      /<dt>Transfers outside the EEA, and their safeguards<\/dt><dd>United States \(Example CRM Inc\.\): EU–US Data Privacy Framework/,
    );
    expect(sectionOf(html, 'Marketing preferences')).toMatch(/<dt>Automated decisions, including profiling<\/dt><dd>We choose which newsletter topics/);
    expect(sectionOf(html, 'Customer accounts')).toContain('<dt>Transfers outside the EEA, and their safeguards</dt><dd>None</dd>');
    expect(sectionOf(html, 'Customer accounts')).toContain('<dt>Automated decisions, including profiling</dt><dd>None</dd>');
    for (const language of requesterLanguages) expect(requesterTexts(language).report.rights.join(' '), language).toMatch(/\(art\. 20\)/i);
  });

  it("discloses each store in the request's language, from the catalog's translations", () => {
    const document = build('fr');
    expect(document.stores.map((store) => store.name)).toEqual(['Comptes clients', 'Archives des contrats signés (papier)']);
    const html = renderAccessReport(document);
    expect(html).toContain('<h2>Comptes clients</h2>');
    expect(html).toContain('exécution d&#39;un contrat (RGPD, art. 6, par. 1, point b)');
    expect(html).toContain('tant que le compte est ouvert, puis 90 jours');
    expect(html).not.toMatch(/performance of a contract|Customer accounts/);
  });

  it('escapes every record value', () => {
    const html = renderAccessReport(build('en'));
    expect(html).toContain('Jane &#60;b&#62;Doe&#60;/b&#62;');
    expect(html).not.toContain('<b>Doe');
  });
});
