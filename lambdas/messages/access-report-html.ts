import { exportDownloadNames, type AccessExport, type ExportedStore } from '../domain/access-export.ts';
import { escapeHtml, type Organisation } from './layout.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { formatDate, requesterTexts, type RequesterTexts } from './requester-texts.ts';

/**
 * A record key as words for a column header: `customerId`, `created_at` and `marketing-segment`
 * become "Customer id", "Created at" and "Marketing segment"; acronyms stay ("IP address").
 * The same key always gives the same words.
 */
export function readableLabel(key: string): string {
  const words = key
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((word) => (/^[\p{Lu}\d]{2,}$/u.test(word) ? word : word.toLowerCase()));
  if (!words.length) return key;
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date ("2 March 2026", "2 mars 2026"): a plain date has no time or zone to say. */
function formatDay(iso: string, locale: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** A string as the reader's language writes it: ISO timestamps and dates as dates, the rest as is. */
function readableText(value: string, texts: RequesterTexts): string {
  if (isoDateTime.test(value) && !Number.isNaN(Date.parse(value))) return formatDate(value, texts.locale);
  // Only a real day: 2026-02-31 stays as it was written.
  if (isoDate.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value)) return formatDay(value, texts.locale);
  return value;
}

/**
 * A record value as escaped HTML: words for booleans, dates for timestamps, an object as
 * `Label: value; Label: value` (in parentheses when nested), a list of objects as a list.
 */
function readableValue(value: unknown, texts: RequesterTexts, nested = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return escapeHtml(value ? texts.report.yes : texts.report.no);
  if (typeof value === 'string') return escapeHtml(readableText(value, texts));
  if (Array.isArray(value)) {
    if (nested || value.every((item) => item === null || typeof item !== 'object'))
      return value
        .map((item) => readableValue(item, texts, true))
        .filter(Boolean)
        .join(', ');
    return `<ul class="nested">${value
      .map((item) => readableValue(item, texts))
      .filter(Boolean)
      .map((item) => `<li>${item}</li>`)
      .join('')}</ul>`;
  }
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `<span class="label">${escapeHtml(readableLabel(key))}${escapeHtml(texts.layout.colon)}</span>${readableValue(item, texts, true)}`,
    );
    if (!pairs.length) return '';
    return nested ? `(${pairs.join('; ')})` : pairs.join('; ');
  }
  return escapeHtml(String(value));
}

/** A stable anchor for a store's section, from its catalog id. */
const anchorOf = (store: ExportedStore): string => `store-${store.storeId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const httpUrl = (value: string): boolean => /^https?:\/\/[^\s"<>]+$/i.test(value);
const mailAddress = (value: string): boolean => /^[^\s@<>"'&:/?#]+@[^\s@<>"'&:/?#]+\.[^\s@<>"'&:/?#]+$/.test(value);

/** What happened in a store, in a few words for the summary, and in a sentence for its section when it holds no records. */
function statusOf(store: ExportedStore, texts: RequesterTexts): { short: string; sentence: string } {
  const words = texts.report;
  if (store.status === 'unavailable') return { short: words.status.unavailable, sentence: words.unavailable };
  if (store.status === 'sent_separately')
    return { short: words.status.sentSeparately, sentence: store.handledByHand ? texts.handledByHand.report : words.sentSeparately };
  return store.records.length ? { short: words.status.included, sentence: '' } : { short: words.status.nothingHeld, sentence: words.nothingHeld };
}

/** A table cell that names its column, so a narrow screen can show each row as a card of `label value` lines. */
const cell = (label: string, html: string, className?: string): string =>
  `<td${className ? ` class="${className}"` : ''} data-label="${escapeHtml(label)}"><div>${html}</div></td>`;

function recordsTable(store: ExportedStore, texts: RequesterTexts): string {
  const columns = [...new Set(store.records.flatMap((record) => Object.keys(record)))].filter((column) => column !== 'contentBase64');
  const label = `${store.name}${texts.layout.colon}${texts.report.records}`;
  return `<div class="table-scroll" tabindex="0" role="region" aria-label="${escapeHtml(label)}"><table class="stack">
<thead><tr>${columns.map((column) => `<th scope="col" title="${escapeHtml(column)}">${escapeHtml(readableLabel(column))}</th>`).join('')}</tr></thead>
<tbody>
${store.records.map((record) => `<tr>${columns.map((column) => cell(readableLabel(column), readableValue(record[column], texts))).join('')}</tr>`).join('\n')}
</tbody></table></div>`;
}

/**
 * The readable report that goes with the JSON export, in the export's language: who it comes from,
 * a summary of every system searched, then each system's disclosure and records. Every value is
 * escaped; nothing runs. `organisation` (operator settings) is named at the top and reached at the end.
 */
export function renderAccessReport(document: AccessExport, organisation?: Organisation): string {
  const language = requesterLanguageOf(document.language);
  const texts = requesterTexts(language);
  const words = texts.report;
  const colon = texts.layout.colon;
  const number = (count: number) => count.toLocaleString(texts.locale);
  const summary = `<section id="summary" class="summary"><h2>${escapeHtml(words.summaryTitle)}</h2>
<p>${escapeHtml(words.summaryLead)}</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="${escapeHtml(words.summaryTitle)}"><table class="stack">
<thead><tr><th scope="col">${escapeHtml(words.system)}</th><th scope="col">${escapeHtml(words.outcome)}</th><th scope="col" class="count">${escapeHtml(words.records)}</th><th scope="col">${escapeHtml(words.retention)}</th></tr></thead>
<tbody>
${document.stores
  .map((store) => {
    // A system searched by hand or not searched has no count here: its copy comes separately.
    const count = store.status === 'included' ? number(store.recordCount) : '–';
    return `<tr><th scope="row"><a href="#${anchorOf(store)}">${escapeHtml(store.name)}</a></th>${cell(words.outcome, escapeHtml(statusOf(store, texts).short))}${cell(words.records, count, 'count')}${cell(words.retention, escapeHtml(store.disclosure.retention))}</tr>`;
  })
  .join('\n')}
</tbody></table></div></section>`;
  const sections = document.stores
    .map((store) => {
      const d = store.disclosure;
      const status = statusOf(store, texts);
      return `<section id="${anchorOf(store)}"><h2>${escapeHtml(store.name)}</h2>
<dl>
<dt>${escapeHtml(words.what)}</dt><dd>${escapeHtml(d.categories.join('; '))}</dd>
<dt>${escapeHtml(words.why)}</dt><dd>${escapeHtml(d.purposes.join('; '))}</dd>
<dt>${escapeHtml(words.legalBasis)}</dt><dd>${escapeHtml(d.legalBasis)}</dd>
<dt>${escapeHtml(words.recipients)}</dt><dd>${escapeHtml(d.recipients.join('; '))}</dd>
<dt>${escapeHtml(words.retention)}</dt><dd>${escapeHtml(d.retention)}</dd>
<dt>${escapeHtml(words.source)}</dt><dd>${escapeHtml(d.source)}</dd>
<dt>${escapeHtml(words.transfers)}</dt><dd>${escapeHtml(d.transfers?.length ? d.transfers.map((transfer) => `${transfer.destination}${colon}${transfer.safeguard}`).join('; ') : words.none)}</dd>
<dt>${escapeHtml(words.automatedDecisions)}</dt><dd>${escapeHtml(d.automatedDecisions ?? words.none)}</dd>
${store.status === 'included' ? `<dt>${escapeHtml(words.records)}</dt><dd>${number(store.recordCount)}</dd>\n` : ''}</dl>
${store.records.length ? recordsTable(store, texts) : `<p>${escapeHtml(status.sentence)}</p>`}
<p class="back"><a href="#summary">${escapeHtml(words.backToSummary)}</a></p></section>`;
    })
    .join('\n');
  const intro = words.intro(
    document.request.requestId,
    formatDate(document.request.receivedAt, texts.locale),
    formatDate(document.request.generatedAt, texts.locale),
    document.subject.email,
  );
  const contact = organisation
    ? `<section id="contact"><h2>${escapeHtml(words.contactTitle)}</h2>
<p>${escapeHtml(words.controller(organisation.name))}</p>
<ul>
<li>${escapeHtml(texts.layout.privacyNotice)}${escapeHtml(colon)}${httpUrl(organisation.noticeUrl) ? `<a href="${escapeHtml(organisation.noticeUrl)}">${escapeHtml(organisation.noticeUrl)}</a>` : escapeHtml(organisation.noticeUrl)}</li>
<li>${escapeHtml(texts.layout.contact)}${escapeHtml(colon)}${
        httpUrl(organisation.contact)
          ? `<a href="${escapeHtml(organisation.contact)}">${escapeHtml(organisation.contact)}</a>`
          : mailAddress(organisation.contact)
            ? `<a href="mailto:${escapeHtml(organisation.contact)}">${escapeHtml(organisation.contact)}</a>`
            : escapeHtml(organisation.contact)
      }</li>
</ul></section>`
    : '';
  const title = organisation ? `${words.title} – ${organisation.name}` : words.title;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:64rem;margin:auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin-bottom:.25rem}h2{font-size:1.25rem;line-height:1.3}
a{color:#1d4ed8}.lead{font-size:1.1rem;margin-top:0}
.table-scroll{overflow-x:auto;margin:.5rem 0 1rem}.table-scroll:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #cbd2d9;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word;hyphens:auto}
thead th{background:#f5f7fa}tbody tr:nth-child(even){background:#fafbfc}
.count{text-align:right;font-variant-numeric:tabular-nums}
.summary tbody th{font-weight:600}
ul.nested{margin:0;padding-left:1.1rem}.label{color:#52606d}
dl{display:grid;grid-template-columns:minmax(10rem,16rem) 1fr;gap:.3rem 1rem;margin:.5rem 0 1rem}dt{font-weight:600}dd{margin:0}
@media (max-width:40rem){
dl{display:block}dd{margin:0 0 .5rem}
.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.stack,.stack tbody,.stack tr,.stack th,.stack td{display:block}
.stack tr,.stack tbody tr:nth-child(even){border:1px solid #cbd2d9;border-radius:.3rem;margin:0 0 .6rem;padding:.3rem .6rem;background:#fff}
.stack th,.stack td{border:0;padding:.15rem 0}.stack tbody th{font-size:1rem}
.stack td{display:grid;grid-template-columns:minmax(6.5rem,38%) 1fr;gap:.75rem}
.stack td::before{content:attr(data-label);font-weight:600;color:#52606d}.stack .count{text-align:left}
}
section{border-top:2px solid #e4e7eb;margin-top:1.5rem}.back{font-size:.9rem}
@media print{.table-scroll{overflow:visible}.back{display:none}}
</style>
</head><body>
<h1>${escapeHtml(words.title)}</h1>
${organisation ? `<p class="lead">${escapeHtml(words.from(organisation.name))}</p>\n` : ''}<p>${escapeHtml(intro)}</p>
<p>${escapeHtml(words.machineReadable(exportDownloadNames(document.request.requestId).json))}</p>
${summary}
${sections}
<section id="rights"><h2>${escapeHtml(words.rightsTitle)}</h2><ul>${document.rights.map((right) => `<li>${escapeHtml(right)}</li>`).join('')}</ul></section>
${contact}
</body></html>`;
}
