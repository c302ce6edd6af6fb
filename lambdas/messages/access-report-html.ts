import type { AccessExport } from '../domain/access-export.ts';
import { escapeHtml } from './layout.ts';
import { requesterLanguageOf } from '../domain/languages.ts';
import { formatDate, requesterTexts } from './requester-texts.ts';

const formatValue = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** The readable report that goes with the JSON export, in the export's language. Every value is escaped; nothing runs. */
export function renderAccessReport(document: AccessExport): string {
  const language = requesterLanguageOf(document.language);
  const texts = requesterTexts(language);
  const words = texts.report;
  const sections = document.stores
    .map((store) => {
      const columns = [...new Set(store.records.flatMap((record) => Object.keys(record)))].filter((column) => column !== 'contentBase64');
      const table = store.records.length
        ? `<table><thead><tr>${columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr></thead><tbody>${store.records
            .map((record) => `<tr>${columns.map((column) => `<td>${escapeHtml(formatValue(record[column]))}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`
        : `<p>${escapeHtml(
            store.status === 'included' ? words.nothingHeld : store.status === 'sent_separately' ? (store.handledByHand ? texts.handledByHand.report : words.sentSeparately) : words.unavailable,
          )}</p>`;
      const d = store.disclosure;
      return `<section><h2>${escapeHtml(store.name)}</h2>
<dl>
<dt>${escapeHtml(words.what)}</dt><dd>${escapeHtml(d.categories.join('; '))}</dd>
<dt>${escapeHtml(words.why)}</dt><dd>${escapeHtml(d.purposes.join('; '))}</dd>
<dt>${escapeHtml(words.legalBasis)}</dt><dd>${escapeHtml(d.legalBasis)}</dd>
<dt>${escapeHtml(words.recipients)}</dt><dd>${escapeHtml(d.recipients.join('; '))}</dd>
<dt>${escapeHtml(words.retention)}</dt><dd>${escapeHtml(d.retention)}</dd>
<dt>${escapeHtml(words.source)}</dt><dd>${escapeHtml(d.source)}</dd>
<dt>${escapeHtml(words.transfers)}</dt><dd>${escapeHtml(d.transfers?.length ? d.transfers.map((transfer) => `${transfer.destination}${texts.layout.colon}${transfer.safeguard}`).join('; ') : words.none)}</dd>
<dt>${escapeHtml(words.automatedDecisions)}</dt><dd>${escapeHtml(d.automatedDecisions ?? words.none)}</dd>
<dt>${escapeHtml(words.records)}</dt><dd>${store.recordCount}</dd>
</dl>
${table}</section>`;
    })
    .join('\n');
  const intro = words.intro(document.request.requestId, formatDate(document.request.receivedAt, texts.locale), formatDate(document.request.generatedAt, texts.locale), document.subject.email);
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(words.title)}</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0 1.5rem}th,td{border:1px solid #cbd2d9;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}dt{font-weight:600}dd{margin:0 0 .4rem}section{border-top:2px solid #e4e7eb;margin-top:1.5rem}</style>
</head><body>
<h1>${escapeHtml(words.title)}</h1>
<p>${escapeHtml(intro)}</p>
<p>${escapeHtml(words.machineReadable)}</p>
${sections}
<section><h2>${escapeHtml(words.rightsTitle)}</h2><ul>${document.rights.map((right) => `<li>${escapeHtml(right)}</li>`).join('')}</ul></section>
</body></html>`;
}
