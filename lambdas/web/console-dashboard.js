// @ts-check
// The dashboard: every request by status and type, the days left on open ones and how long
// completed ones took, as charts with their data tables.

import { api } from './console-api.js';
import { barChart } from './console-charts.js';
import { clockOf, dayMs, isClosed } from './console-clock.js';
import { announce, errorText, plural, showAlert } from './console-dom.js';
import { requestTypes, statusLabels, typeLabels } from './console-labels.js';
import { $ } from './elements.js';
import { requestStatuses } from './request-statuses.js';

/** @import { RequestSummary } from './console-api.js' */
/** @import { Bar } from './console-charts.js' */
/** @typedef {Bar & { upTo: number }} Bucket */

/** @param {number} days */
function inWords(days) {
  const minutes = Math.round(days * 1440);
  if (minutes < 120) return plural(Math.max(1, minutes), 'minute');
  if (days < 2) return plural(Math.round(days * 24), 'hour');
  return plural(Math.round(days), 'day');
}

/**
 * Counts each value in the first bucket it is at most `upTo` of (the last one otherwise).
 * @param {Omit<Bucket, 'value'>[]} buckets
 * @param {number[]} values
 * @returns {Bucket[]}
 */
function bucketed(buckets, values) {
  const counted = buckets.map((bucket) => ({ ...bucket, value: 0 }));
  for (const value of values) {
    const bucket = counted.find((candidate) => value <= candidate.upTo) ?? counted.at(-1);
    if (bucket) bucket.value += 1;
  }
  return counted;
}

/** The dashboard counts at most this many pages of 100 requests. */
const dashboardPages = 20;

export async function loadDashboard() {
  $('dashboard-summary').textContent = 'Loading…';
  /** @type {RequestSummary[]} */
  const requests = [];
  let cursor;
  let pages = 0;
  do {
    const { status, body } = await api(`/admin/requests?status=${requestStatuses.join(',')}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (status !== 200) {
      $('dashboard-summary').textContent = '';
      showAlert(errorText(body, `The dashboard could not be loaded (${status}).`));
      return;
    }
    requests.push(...(Array.isArray(body.requests) ? /** @type {RequestSummary[]} */ (body.requests) : []));
    cursor = typeof body.nextCursor === 'string' ? body.nextCursor : undefined;
    pages += 1;
  } while (cursor && pages < dashboardPages);
  const truncated = Boolean(cursor);
  const now = Date.now();
  /** @param {number} value */
  const count = (value) => plural(value, 'request');

  const byStatus = requestStatuses.map((name) => ({
    label: statusLabels[name],
    value: requests.filter((request) => request.status === name).length,
    className: `bar-status-${name}`,
  }));
  const byType = requestTypes.map((name) => ({ label: typeLabels[name] ?? name, value: requests.filter((request) => request.type === name).length }));

  const open = requests.filter((request) => !isClosed(request.status));
  const daysLeft = bucketed(
    [
      { label: 'Overdue', upTo: -1, className: 'bar-overdue' },
      { label: 'Due today', upTo: 0, className: 'bar-soon' },
      { label: '1–7 days', upTo: 7, className: 'bar-soon' },
      { label: '8–14 days', upTo: 14 },
      { label: '15–30 days', upTo: 30 },
      { label: 'Over 30 days', upTo: Infinity },
    ],
    open.flatMap((request) => clockOf(request, now).days ?? []),
  );

  const durations = requests
    .flatMap((request) =>
      request.status === 'completed' && request.completedAt && request.receivedAt
        ? [(Date.parse(request.completedAt) - Date.parse(request.receivedAt)) / dayMs]
        : [],
    )
    .filter((days) => days >= 0);
  const completion = bucketed(
    [
      { label: 'Under 1 hour', upTo: 1 / 24 },
      { label: '1 hour to 1 day', upTo: 1 },
      { label: '1–7 days', upTo: 7 },
      { label: '8–30 days', upTo: 30 },
      { label: 'Over 30 days', upTo: Infinity, className: 'bar-overdue' },
    ],
    durations,
  );
  const sorted = [...durations].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const slowest = sorted.at(-1);

  const overdue = daysLeft[0]?.value ?? 0;
  $('dashboard-summary').textContent =
    `${count(requests.length)} in all, ${open.length} open, ${overdue} overdue.${truncated ? ` Only the ${dashboardPages * 100} earliest due are counted.` : ''}`;
  $('charts').replaceChildren(
    barChart({ title: 'Requests by status', bars: byStatus, valueText: count, headers: ['Status', 'Requests'] }),
    barChart({ title: 'Requests by type', bars: byType, valueText: count, headers: ['Type', 'Requests'] }),
    barChart({
      title: 'Days left for open requests',
      summary: open.length ? `${count(open.length)} open; ${overdue} overdue.` : 'No open requests.',
      bars: daysLeft,
      valueText: count,
      headers: ['Days left', 'Requests'],
    }),
    barChart({
      title: 'Time to completion',
      summary:
        median !== undefined && slowest !== undefined
          ? `${count(durations.length)} completed; median ${inWords(median)}, slowest ${inWords(slowest)}.`
          : 'No completed requests yet.',
      bars: completion,
      valueText: count,
      headers: ['Time from receipt to completion', 'Requests'],
    }),
  );
  announce('Dashboard updated.');
}
