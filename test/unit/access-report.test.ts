import { afterEach, describe, expect, it, vi } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { buildAccessExport, exportDownloadNames } from '../../lambdas/domain/access-export.ts';
import { requesterLanguages, type RequesterLanguage } from '../../lambdas/domain/languages.ts';
import type { StoreOutcome } from '../../lambdas/domain/request.ts';
import { readableLabel, renderAccessReport } from '../../lambdas/messages/access-report-html.ts';
import { escapeHtml, type Organisation } from '../../lambdas/messages/layout.ts';
import { requesterTexts } from '../../lambdas/messages/requester-texts.ts';
import type { StoredRequest } from '../../lambdas/ports/request-repository.ts';
import { finishRequest, type MapOutcome } from '../../lambdas/use-cases/finish-request.ts';

const requestId = 'req_0mhz1abcdefghijk';
const at = '2026-11-23T10:00:00.000Z';
const organisation: Organisation = { name: 'Acme & Sons Ltd', noticeUrl: 'https://acme.example/privacy', contact: 'dpo@acme.example' };
const outcome = (storeId: string, result: Partial<StoreOutcome> = {}): StoreOutcome => ({ storeId, status: 'succeeded', finishedAt: at, ...result });
const storesNamed = (...ids: string[]) => storeCatalog.stores.filter((store) => ids.includes(store.id));

const accountRecords = [
  {
    customerId: 'C-1',
    created_at: '2026-03-02T09:15:00.000Z',
    birthDate: '1988-07-14',
    marketingSegment: 'frequent-buyer',
    verified: true,
    newsletter: false,
    shippingAddress: { street: '1 Long Acre', city: 'London' },
    tags: ['vip', 'beta'],
    notes: 'Jane <script>alert(1)</script> Doe',
  },
  { customerId: 'C-2', created_at: '2025-12-31T23:59:00Z', notAdate: '2026-02-31' },
];

/** Four stores, one of each outcome: records included, nothing held, searched by hand, not searched in time. */
function exportIn(language: RequesterLanguage) {
  return buildAccessExport({
    request: { requestId, receivedAt: at, email: 'jane.doe@example.com', jurisdiction: 'gdpr' },
    stores: storesNamed('accounts', 'support-tickets', 'paper-archive', 'crm-partner'),
    outcomes: [
      outcome('accounts', { recordCount: 2 }),
      outcome('support-tickets', { recordCount: 0 }),
      outcome('paper-archive'),
      { storeId: 'crm-partner', status: 'failed', error: 'timeout', finishedAt: at },
    ],
    recordsByStore: new Map([['accounts', accountRecords]]),
    generatedAt: new Date('2026-11-24T08:00:00.000Z'),
    rights: requesterTexts(language).report.rights,
    language,
  });
}

const summaryOf = (html: string) => html.slice(html.indexOf('<section id="summary"'), html.indexOf('</section>', html.indexOf('<section id="summary"')));
const rowOf = (summary: string, storeName: string) => summary.split('<tr>').find((row) => row.includes(`>${escapeHtml(storeName)}</a>`)) ?? '';
const sectionOf = (html: string, storeId: string) =>
  html.slice(html.indexOf(`<section id="store-${storeId}"`), html.indexOf('</section>', html.indexOf(`<section id="store-${storeId}"`)));

describe('the summary at the top of the access report', () => {
  it('lists every store, with what happened there and its record count, before the first store section, each linking to its section', () => {
    const document = exportIn('en');
    const html = renderAccessReport(document, organisation);
    const summary = summaryOf(html);
    expect(html.indexOf('<section id="summary"')).toBeGreaterThan(-1);
    expect(html.indexOf('<section id="summary"')).toBeLessThan(html.indexOf('<section id="store-'));
    const words = requesterTexts('en').report;
    const expected = {
      accounts: { status: words.status.included, count: '2' },
      'support-tickets': { status: words.status.nothingHeld, count: '0' },
      'paper-archive': { status: words.status.sentSeparately, count: '–' },
      'crm-partner': { status: words.status.unavailable, count: '–' },
    } as const;
    for (const store of document.stores) {
      const row = rowOf(summary, store.name);
      const { status, count } = expected[store.storeId as keyof typeof expected];
      expect(row, store.storeId).toContain(`<a href="#store-${store.storeId}">${escapeHtml(store.name)}</a>`);
      expect(row, store.storeId).toContain(`<div>${status}</div>`);
      expect(row, store.storeId).toContain(`<div>${count}</div>`);
      expect(row, store.storeId).toContain(escapeHtml(store.disclosure.retention));
      expect(html, store.storeId).toContain(`<section id="store-${store.storeId}"><h2>${escapeHtml(store.name)}</h2>`);
    }
  });

  it("says what happened in the reader's language", () => {
    const summary = summaryOf(renderAccessReport(exportIn('fr'), organisation));
    expect(summary).toContain('<h2>Résumé</h2>');
    expect(summary).toContain('Aucune donnée vous concernant');
    expect(summary).toContain('Consulté à la main, envoyé séparément');
    expect(summary).toContain('tant que le compte est ouvert, puis 90 jours');
  });
});

describe('the records in the access report', () => {
  it('have column headers in words, not raw keys', () => {
    const html = renderAccessReport(exportIn('en'), organisation);
    expect(html).toContain('>Customer id</th>');
    expect(html).toContain('>Created at</th>');
    expect(html).toContain('>Marketing segment</th>');
    expect(html).not.toMatch(/>customerId<|>created_at<|>marketingSegment</);
  });

  it('turn keys into words the same way every time', () => {
    expect(readableLabel('customerId')).toBe('Customer id');
    expect(readableLabel('created_at')).toBe('Created at');
    expect(readableLabel('marketingSegment')).toBe('Marketing segment');
    expect(readableLabel('marketing-segment')).toBe('Marketing segment');
    expect(readableLabel('IPAddress')).toBe('IP address');
    expect(readableLabel('email')).toBe('Email');
    expect(readableLabel('')).toBe('');
  });

  it('show timestamps and dates as the language writes them, in UTC, never as ISO strings', () => {
    const en = renderAccessReport(exportIn('en'), organisation);
    expect(en).toContain('2 March 2026 at 09:15 UTC');
    expect(en).toContain('31 December 2025 at 23:59 UTC');
    expect(en).toContain('14 July 1988');
    expect(en).not.toContain('2026-03-02T09:15');
    expect(en).not.toContain('1988-07-14');
    expect(en).toContain('2026-02-31'); // not a real day: shown as written
    const fr = renderAccessReport(exportIn('fr'), organisation);
    expect(fr).toContain('2 mars 2026 à 09:15 UTC');
    expect(fr).toContain('14 juillet 1988');
    expect(renderAccessReport(exportIn('de'), organisation)).toContain('2. März 2026 um 09:15 UTC');
  });

  it('show yes and no in the language, and nested values as labelled text, not JSON', () => {
    const en = sectionOf(renderAccessReport(exportIn('en'), organisation), 'accounts');
    expect(en).toContain('<div>Yes</div>');
    expect(en).toContain('<div>No</div>');
    expect(en).toContain('<span class="label">Street: </span>1 Long Acre; <span class="label">City: </span>London');
    expect(en).toContain('<div>vip, beta</div>');
    expect(en).not.toMatch(/[{}]|&#34;street/);
    const fr = sectionOf(renderAccessReport(exportIn('fr'), organisation), 'accounts');
    expect(fr).toContain('<div>Oui</div>');
    expect(fr).toContain('<div>Non</div>');
    expect(fr).toContain('<span class="label">Street : </span>1 Long Acre'); // French spacing before the colon
  });

  it('sit in a scrolling region that names them, with cells that break only a word longer than the line', () => {
    const html = renderAccessReport(exportIn('en'), organisation);
    expect(sectionOf(html, 'accounts')).toContain('<div class="table-scroll" tabindex="0" role="region" aria-label="Customer accounts: Records">');
    expect(html).not.toContain('word-break:break-word');
    expect(html).toContain('overflow-wrap:break-word');
  });

  it('stay escaped: a value or a key with markup is text', () => {
    const document = buildAccessExport({
      request: { requestId, receivedAt: at, email: 'jane.doe@example.com', jurisdiction: 'gdpr' },
      stores: storesNamed('accounts'),
      outcomes: [outcome('accounts', { recordCount: 1 })],
      recordsByStore: new Map([
        ['accounts', [{ '<img src=x onerror=alert(1)>': 'x', nested: { '<b>k</b>': '<script>alert(2)</script>' }, notes: '<script>alert(1)</script>' }]],
      ]),
      generatedAt: new Date(at),
      rights: [],
      language: 'en',
    });
    const html = renderAccessReport(document, { name: '<script>alert(3)</script>', noticeUrl: 'https://x.example/"><script>', contact: 'a@b.example' });
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });
});

describe('the file names the access report mentions', () => {
  it('are the names the files download under', () => {
    expect(exportDownloadNames(requestId)).toEqual({ json: `personal-data-${requestId}.json`, report: `personal-data-${requestId}.html` });
    for (const language of requesterLanguages) {
      const html = renderAccessReport(exportIn(language), organisation);
      expect(html, language).toContain(escapeHtml(requesterTexts(language).report.machineReadable(`personal-data-${requestId}.json`)));
      expect(html, language).toContain(`personal-data-${requestId}.json`);
      expect(html, language).not.toContain('export.json');
    }
  });

  it('match what finishing an access request writes, with the organisation from the settings', async () => {
    vi.stubEnv('ORGANISATION_NAME', 'Acme Ltd');
    vi.stubEnv('PRIVACY_CONTACT', 'dpo@acme.example');
    vi.stubEnv('PRIVACY_NOTICE_URL', 'https://acme.example/privacy');
    const request = {
      requestId,
      type: 'access',
      status: 'in_progress',
      email: 'jane@example.com',
      emailCanonical: 'jane@example.com',
      jurisdiction: 'gdpr',
      locale: 'en',
      receivedAt: at,
      dueAt: '2026-12-23T23:59:59.999Z',
      updatedAt: at,
      storeIds: ['accounts'],
      events: [],
    } as unknown as StoredRequest;
    const written: { key: string; body: string; options?: { downloadName?: string } }[] = [];
    const objects = {
      putJson: async (key: string, value: unknown, options?: { downloadName?: string }) => void written.push({ key, body: JSON.stringify(value), options }),
      putText: async (key: string, body: string, _type: string, options?: { downloadName?: string }) => void written.push({ key, body, options }),
      getJson: async () => ({ records: [{ customerId: 'C-1' }] }),
      deletePrefix: async () => undefined,
    };
    const requests = { get: async () => request, transition: async () => undefined };
    await finishRequest({ requests, catalog: storeCatalog, objects, mailer: { send: async () => ({ messageId: 'm' }) }, now: () => new Date(at) } as never, {
      requestId,
      type: 'access',
      outcomes: [{ storeId: 'accounts', status: 'succeeded', recordCount: 1 }] as unknown as MapOutcome[],
    });
    const json = written.find((object) => object.key.endsWith('export.json'))!;
    const report = written.find((object) => object.key.endsWith('report.html'))!;
    expect(json.options?.downloadName).toBe(`personal-data-${requestId}.json`);
    expect(report.options?.downloadName).toBe(`personal-data-${requestId}.html`);
    expect(report.body).toContain(`The file ${json.options!.downloadName}`);
    expect(report.body).toContain('A copy of the personal data Acme Ltd holds about you.');
    expect(report.body).toContain('<a href="mailto:dpo@acme.example">dpo@acme.example</a>');
  });
  afterEach(() => vi.unstubAllEnvs());
});

describe('who the access report comes from', () => {
  it('names the organisation at the top, and its privacy notice and contact at the end, escaped', () => {
    const html = renderAccessReport(exportIn('en'), organisation);
    expect(html).toContain('<title>Your personal data – Acme &#38; Sons Ltd</title>');
    expect(html).toContain('<p class="lead">A copy of the personal data Acme &#38; Sons Ltd holds about you.</p>');
    const end = html.slice(html.indexOf('<section id="contact"'));
    expect(html.indexOf('<section id="contact"')).toBeGreaterThan(html.indexOf('<section id="rights"'));
    expect(end).toContain('Acme &#38; Sons Ltd is responsible for this data (the controller).');
    expect(end).toContain('Privacy notice: <a href="https://acme.example/privacy">https://acme.example/privacy</a>');
    expect(end).toContain('Questions about your data: <a href="mailto:dpo@acme.example">dpo@acme.example</a>');
    expect(renderAccessReport(exportIn('fr'), organisation)).toContain('Politique de confidentialité : <a href="https://acme.example/privacy">');
  });

  it('links only web addresses', () => {
    const html = renderAccessReport(exportIn('en'), { name: 'Acme', noticeUrl: 'javascript:alert(1)', contact: 'data:text/html,hi' });
    expect(html).not.toMatch(/href="(?:javascript|data|mailto:data):/);
    expect(html).toContain('Privacy notice: javascript:alert(1)</li>');
  });
});

describe('the access report in each language', () => {
  const en = requesterTexts('en').report;
  const englishPhrases = [
    en.title,
    en.from(organisation.name),
    en.machineReadable(`personal-data-${requestId}.json`),
    en.summaryTitle,
    en.summaryLead,
    en.outcome,
    ...Object.values(en.status),
    en.backToSummary,
    en.what,
    en.why,
    en.legalBasis,
    en.recipients,
    en.retention,
    en.source,
    en.transfers,
    en.automatedDecisions,
    en.records,
    en.nothingHeld,
    en.sentSeparately,
    en.unavailable,
    en.rightsTitle,
    en.contactTitle,
    en.controller(organisation.name),
  ];

  it.each(requesterLanguages.filter((language) => language !== 'en'))('leaves no English sentence or label behind in %s', (language) => {
    const html = renderAccessReport(exportIn(language), organisation);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).not.toContain('Your personal data');
    const report = requesterTexts(language).report;
    const own = new Set([report.system, report.yes, report.no, report.none]);
    for (const phrase of englishPhrases.filter((phrase) => !own.has(phrase))) expect(html, phrase).not.toContain(escapeHtml(phrase));
  });
});
