import type { AccessExport } from '../domain/access-export.ts';
import { escapeHtml } from './layout.ts';

const formatValue = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** The readable report that goes with the JSON export. Every value is escaped; nothing runs. */
export function renderAccessReport(document: AccessExport): string {
  const sections = document.stores
    .map((store) => {
      const columns = [...new Set(store.records.flatMap((record) => Object.keys(record)))].filter((column) => column !== 'contentBase64');
      const table = store.records.length
        ? `<table><thead><tr>${columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr></thead><tbody>${store.records
            .map((record) => `<tr>${columns.map((column) => `<td>${escapeHtml(formatValue(record[column]))}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`
        : `<p>${
            store.status === 'included'
              ? 'We hold no data about you here.'
              : store.status === 'sent_separately'
                ? 'Our staff searched this system by hand; they send you what they found separately.'
                : 'This system could not be searched in time; we will send its data separately.'
          }</p>`;
      const d = store.disclosure;
      return `<section><h2>${escapeHtml(store.name)}</h2>
<dl>
<dt>What we hold</dt><dd>${escapeHtml(d.categories.join('; '))}</dd>
<dt>Why</dt><dd>${escapeHtml(d.purposes.join('; '))}</dd>
<dt>Legal basis</dt><dd>${escapeHtml(d.legalBasis)}</dd>
<dt>Who receives it</dt><dd>${escapeHtml(d.recipients.join('; '))}</dd>
<dt>How long we keep it</dt><dd>${escapeHtml(d.retention)}</dd>
<dt>Where it came from</dt><dd>${escapeHtml(d.source)}</dd>
<dt>Records</dt><dd>${store.recordCount}</dd>
</dl>
${table}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Your personal data</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0 1.5rem}th,td{border:1px solid #cbd2d9;padding:.3rem .5rem;text-align:left;vertical-align:top;word-break:break-word}dt{font-weight:600}dd{margin:0 0 .4rem}section{border-top:2px solid #e4e7eb;margin-top:1.5rem}</style>
</head><body>
<h1>Your personal data</h1>
<p>Request ${escapeHtml(document.request.requestId)}, received ${escapeHtml(document.request.receivedAt.slice(0, 10))}, report made ${escapeHtml(document.request.generatedAt.slice(0, 10))}, for ${escapeHtml(document.subject.email)}.</p>
<p>The file <code>export.json</code> holds the same data in a machine-readable form you can take to another service.</p>
${sections}
<section><h2>Your rights</h2><ul>${document.rights.map((right) => `<li>${escapeHtml(right)}</li>`).join('')}</ul></section>
</body></html>`;
}
