// @ts-check
// The sections of a request's detail that only show what the request holds: its summary, what
// needs the officer's judgement, the corrections, who the requester is, their other requests, the
// recipients told and the audit trail.

import { clockBadge, dayMs } from './console-clock.js';
import { definitionList, dueDate, el, plural, section, table, timeEl } from './console-dom.js';
import { actionLabel, flagExplanations, flagLabels, policyLabels, statusBadge, statusLabel, typeDescriptions, typeLabels } from './console-labels.js';

/** @import { RequestDetail, RequestDetailFields } from './console-api.js' */
/** @import { Clock } from './console-clock.js' */

/**
 * @param {RequestDetail} request
 * @param {Clock} clock
 */
export function summarySection(request, clock) {
  const extension = request.extension;
  return section('Summary', 'detail-summary', [
    definitionList([
      ['Status', statusBadge(request.status)],
      ['Type', `${typeLabels[request.type] ?? request.type}: ${typeDescriptions[request.type] ?? ''}`],
      ['Requester', el('span', { class: 'requester-email', text: request.email ?? '' })],
      ['Policy', policyLabels[request.jurisdiction] ?? request.jurisdiction],
      ['Language', request.locale],
      ['Received', timeEl(request.receivedAt)],
      [
        'Due',
        el('span', {}, [
          timeEl(request.dueAt, dueDate),
          ' (',
          clockBadge(clock.days !== undefined && clock.days > 0 ? { ...clock, text: `${clock.text} left` } : clock),
          ')',
        ]),
      ],
      [
        'Extended',
        extension
          ? el('span', {}, [
              `${plural(extension.count, 'time')}${extension.totalMonths ? `, ${plural(extension.totalMonths, 'month')} in all` : ''}${extension.totalDays ? `, ${plural(extension.totalDays, 'day')} in all` : ''}: `,
              el('span', { class: 'prewrap', text: extension.reason ?? '' }),
            ])
          : undefined,
      ],
      ['Receipt confirmed', request.receiptConfirmedAt ? timeEl(request.receiptConfirmedAt) : undefined],
      ['Mailbox confirmed', request.verifiedAt ? timeEl(request.verifiedAt) : undefined],
      ['Approved', request.approvedAt ? timeEl(request.approvedAt) : undefined],
      ['Completed', request.completedAt ? timeEl(request.completedAt) : undefined],
      ['Cancelled', request.cancelledAt ? timeEl(request.cancelledAt) : undefined],
      ['Rejection reason (sent to the requester)', request.rejectionReason ? el('span', { class: 'prewrap', text: request.rejectionReason }) : undefined],
    ]),
  ]);
}

/** @param {string[]} flags */
export function flagsSection(flags) {
  return section(
    'Needs your judgement',
    'detail-flags',
    [
      el(
        'ul',
        { class: 'flag-list' },
        flags.map((flag) =>
          el('li', {}, [el('strong', { text: `${flagLabels[flag] ?? flag}: ` }), flagExplanations[flag] ?? 'Look at this request before approving it.']),
        ),
      ),
    ],
    'panel attention',
  );
}

/**
 * What an amendment changes in each store (and what a store keeps as it was), once the workflow
 * has read the stores; before that, the corrections asked for; nothing for other requests.
 * @param {RequestDetail} request
 */
export function amendmentSection(request) {
  if (request.amendmentPreview?.length || request.uncorrectedFields?.length) {
    /** @param {string} storeId */
    const storeName = (storeId) => request.storeNames?.[storeId] ?? storeId;
    return section('What the amendment changes', 'detail-diff', [
      table(
        "Each store's current value and the corrected value",
        ['Store', 'Field', 'Before', 'After'],
        (request.amendmentPreview ?? [])
          .map((change) =>
            el('tr', {}, [
              el('th', { scope: 'row', text: storeName(change.storeId) }),
              el('td', {}, [
                el('span', { text: change.field }),
                change.attribute && change.attribute !== change.field ? el('span', { class: 'muted', text: ` (${change.attribute})` }) : null,
              ]),
              el(
                'td',
                { class: 'before' },
                change.before?.length
                  ? change.before.map((value) => el('del', { class: 'value', text: value }))
                  : el('span', { class: 'muted', text: 'Read when the store runs (processor or person)' }),
              ),
              el('td', { class: 'after' }, el('ins', { class: 'value', text: change.after ?? '' })),
            ]),
          )
          .concat(
            (request.uncorrectedFields ?? []).map((kept) =>
              el('tr', { class: 'unchanged' }, [
                el('th', { scope: 'row', text: storeName(kept.storeId) }),
                el('td', { text: kept.field }),
                el('td', { class: 'before' }, el('span', { class: 'muted', text: 'As held now' })),
                el('td', { class: 'after' }, [
                  el('strong', { text: 'Stays as it was' }),
                  `: the catalog says this store cannot change it, because ${kept.reason}. The requester is told.`,
                ]),
              ]),
            ),
          ),
        'data diff',
      ),
    ]);
  }
  if (request.corrections?.length) {
    return section('Corrections asked for', 'detail-corrections', [
      table(
        'Fields the requester asks to correct',
        ['Field', 'New value'],
        request.corrections.map((correction) =>
          el('tr', {}, [el('th', { scope: 'row', text: correction.field }), el('td', {}, el('ins', { class: 'value', text: correction.value }))]),
        ),
      ),
    ]);
  }
  return undefined;
}

/**
 * The mailbox's other requests: what an officer weighs before calling a request repetitive (GDPR Art. 12(5)).
 * @param {RequestDetail} request
 */
export function otherRequestsSection(request) {
  const others = request.otherRequests ?? [];
  if (!others.length) {
    return section('Other requests from this address', 'detail-history', [
      el('p', { class: 'muted', text: 'None: this is the first request from this mailbox.' }),
    ]);
  }
  const yearAgo = Date.now() - 365 * dayMs;
  const lastYear = others.filter((other) => Date.parse(other.receivedAt) >= yearAgo).length;
  const overview = `${plural(lastYear, 'other request')} from this mailbox in the last 12 months.${request.otherRequestsTruncated ? ' Only the newest 20 are listed.' : ''}`;
  return section('Other requests from this address', 'detail-history', [
    el('p', { text: overview }),
    table(
      'Other requests from the same mailbox, newest first',
      ['Request', 'Type', 'Status', 'Received', 'Completed'],
      others.map((other) =>
        el('tr', {}, [
          el('th', { scope: 'row' }, el('a', { href: `#/requests/${encodeURIComponent(other.requestId)}`, class: 'request-id', text: other.requestId })),
          el('td', { text: typeLabels[other.type] ?? other.type }),
          el('td', {}, statusBadge(other.status)),
          el('td', {}, timeEl(other.receivedAt)),
          el('td', {}, other.completedAt ? timeEl(other.completedAt) : el('span', { class: 'muted', text: '—' })),
        ]),
      ),
    ),
  ]);
}

/**
 * The identifiers the workflow resolved, each with where it came from: what to search for by hand.
 * @param {NonNullable<RequestDetailFields['identities']>} identities
 */
export function identitiesSection(identities) {
  return section('Who the requester is in our systems', 'detail-identities', [
    table(
      'Identifiers resolved for this request',
      ['Identifier', 'Values', 'Found in'],
      identities.map((identity) =>
        el('tr', {}, [
          el('th', { scope: 'row', text: identity.identity }),
          el(
            'td',
            {},
            identity.values.length
              ? identity.values.flatMap((value, index) => [index ? ', ' : '', el('code', { text: value })])
              : el('span', { class: 'muted', text: 'none found' }),
          ),
          el('td', {
            text:
              typeof identity.source === 'string'
                ? 'The mailbox the requester confirmed'
                : `${identity.source.storeName}${identity.source.via ? `, found by ${identity.source.via}` : ''}`,
          }),
        ]),
      ),
    ),
  ]);
}

/**
 * Who was told of a rectification or erasure (GDPR Art. 19); nothing for other requests.
 * @param {RequestDetail} request
 */
export function noticesSection(request) {
  if (!request.recipientNotices?.length && request.type !== 'amend' && request.type !== 'delete') return undefined;
  const notices = request.recipientNotices ?? [];
  return section(
    'Recipients told (GDPR Art. 19)',
    'detail-notices',
    notices.length
      ? [
          table(
            'Who was told of the rectification or erasure',
            ['Store', 'Recipient', 'Channel', 'Told at'],
            notices.map((notice) =>
              el('tr', notice.notSent ? { class: 'attention' } : {}, [
                el('th', { scope: 'row', text: notice.storeId }),
                el('td', { text: notice.recipient }),
                el('td', { text: notice.notSent ? `${notice.channel}: NOT SENT (mail refused), tell them yourself` : notice.channel }),
                el('td', {}, timeEl(notice.at)),
              ]),
            ),
          ),
        ]
      : [el('p', { class: 'muted', text: 'No recipient has been told yet. Recipients are told when the request finishes.' })],
  );
}

/** @param {RequestDetail} request */
export function timelineSection(request) {
  const events = [...(request.events ?? [])];
  return section('Timeline', 'detail-timeline', [
    table(
      `Every audit event, oldest first (${plural(events.length, 'event')})`,
      ['When', 'Who', 'What', 'Status change', 'Detail'],
      events.map((event) =>
        el('tr', {}, [
          el('td', {}, timeEl(event.at)),
          el('td', {}, [el('span', { text: event.actor }), event.actorId ? el('span', { class: 'muted', text: ` (${event.actorId})` }) : null]),
          el('th', { scope: 'row', text: actionLabel(event.action) }),
          el('td', { text: event.from || event.to ? `${event.from ? statusLabel(event.from) : '—'} → ${event.to ? statusLabel(event.to) : '—'}` : '' }),
          el('td', { class: 'prewrap', text: event.detail ?? '' }),
        ]),
      ),
      'data timeline',
    ),
  ]);
}
