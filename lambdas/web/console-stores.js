// @ts-check
// Each store's part in a request: what approving would do there (the preview), the work each
// store did or waits for, and the tasks an officer can settle or take over by hand.

import { el, plural, section, table, timeEl } from './console-dom.js';
import { taskStatusLabels } from './console-labels.js';
import { openComplete, openEscalate } from './console-task-actions.js';

/** @import { ApprovalPreview, RequestDetail, StorePreview, StoreResult, StoreTask } from './console-api.js' */

/**
 * @param {StorePreview} store
 * @param {string} type the request's type
 */
function previewText(store, type) {
  if (store.basis === 'not_run')
    return `Takes no part: ${(store.unchanged ?? []).map((kept) => `${kept.field} stays as it was (${kept.reason})`).join('; ')}. The requester is told.`;
  if (store.basis === 'by_hand') return 'A person searches this system and marks the task done.';
  if (store.basis === 'at_run_time')
    return type === 'objection' && store.optOut
      ? `Asks the processor to record: ${switchesText(store.optOut)}`
      : 'The processor is asked when the request runs.';
  switch (type) {
    case 'access':
      return `Collects ${plural(store.collect ?? 0, 'record')}.`;
    case 'delete': {
      const parts = [];
      if (store.delete) parts.push(`deletes ${plural(store.delete, 'record')}`);
      if (store.anonymize) parts.push(`anonymises ${plural(store.anonymize, 'record')}`);
      if (store.retain) parts.push(`keeps ${plural(store.retain, 'record')} (${store.retainBasis ?? 'a legal obligation'})`);
      return parts.length ? `${parts.join(', ').replace(/^./, (first) => first.toUpperCase())}.` : 'Finds nothing of the subject.';
    }
    case 'amend': {
      const changes = (store.changes ?? []).map(
        (change) => `${change.field}: ${change.before?.length ? change.before.join(', ') : '(unknown yet)'} → ${change.after}`,
      );
      const unchanged = (store.unchanged ?? []).map((kept) => `${kept.field} stays as it was (${kept.reason})`);
      return changes.length || unchanged.length ? [...changes, ...unchanged].join('; ') : 'Nothing to change here.';
    }
    case 'objection':
      return store.optOut ? `Sets ${switchesText(store.optOut)}.` : 'Nothing to switch here.';
    default:
      return '';
  }
}

/** @param {Record<string, string | number | boolean>} switches */
const switchesText = (switches) =>
  Object.entries(switches)
    .map(([attribute, value]) => `${attribute} = ${String(value)}`)
    .join(', ');

/** @param {ApprovalPreview} preview */
export function previewTable(preview) {
  return table(
    'Each store, and what approving does there',
    ['Store', 'What happens'],
    preview.stores.map((store) =>
      el('tr', {}, [el('th', { scope: 'row', text: store.storeName ?? store.storeId }), el('td', { text: previewText(store, preview.type) })]),
    ),
  );
}

/**
 * What the erasure confirmation names: every record it deletes, anonymises and keeps.
 * @param {ApprovalPreview} preview
 */
export function erasureCountsText({ totals, stores }) {
  const counted = [
    `delete ${plural(totals.delete, 'record')}`,
    `anonymise ${plural(totals.anonymize, 'record')}`,
    `keep ${plural(totals.retain, 'record')} under a legal obligation`,
  ];
  const uncounted = totals.uncounted ? ` ${plural(totals.uncounted, 'other system')} (processors, people) will be asked when it runs.` : '';
  return `Approving will ${counted.join(', ')}, across ${plural(stores.length, 'store')}.${uncounted}`;
}

/**
 * The stores whose last run failed: what a retry runs again.
 * @param {RequestDetail} request
 */
export function failedStores(request) {
  const failed = new Set((request.storeOutcomes ?? []).filter((outcome) => outcome.status === 'failed').map((outcome) => outcome.storeId));
  for (const task of request.storeTasks ?? []) if (task.status === 'failed') failed.add(task.storeId);
  return [...failed];
}

/**
 * A store task an officer can settle: waiting on a manual store, or on a processor (webhook) an
 * officer escalated to manual handling (or, when the API does not say the kind, any waiting task).
 * @param {RequestDetail} request
 * @param {StoreTask} task
 */
export function isManualWaiting(request, task) {
  if (task.status !== 'waiting' || request.status !== 'in_progress') return false;
  const kind = task.storeKind ?? task.kind;
  return kind === undefined || kind === 'manual' || (kind === 'webhook' && Boolean(task.escalatedToManual));
}

/**
 * A processor's task still waiting for its answer: an officer may take it over by hand, once, with a reason.
 * @param {RequestDetail} request
 * @param {StoreTask} task
 */
function isEscalable(request, task) {
  return task.status === 'waiting' && request.status === 'in_progress' && (task.storeKind ?? task.kind) === 'webhook' && !task.escalatedToManual;
}

/**
 * Who took a processor's task over, when and why; the reason is the officer's own text, shown as text.
 * @param {NonNullable<StoreTask['escalatedToManual']>} escalation
 */
function escalationNote(escalation) {
  return el('p', { class: 'escalation-note' }, [
    `Escalated to manual handling by ${escalation.by ?? 'an officer'} at `,
    timeEl(escalation.at),
    ': ',
    el('span', { class: 'prewrap', text: escalation.reason ?? '' }),
  ]);
}

/**
 * Marks a processor's task an officer completed by hand, so it never reads as the processor's
 * answer; one the officer marked failed was not "done", only settled by hand.
 * @param {string} status
 */
function byHandBadge(status) {
  return el('span', {
    class: 'badge by-hand',
    title: 'Completed by an officer after escalation, not answered by the processor',
    text: status === 'succeeded' ? 'Done by hand' : 'Settled by hand',
  });
}

/** @param {StoreResult | undefined} result */
function countsText(result) {
  if (!result) return '';
  const parts = [];
  if (result.recordCount !== undefined) parts.push(`${result.recordCount} found`);
  if (result.updated !== undefined) parts.push(`${result.updated} updated`);
  if (result.deleted !== undefined) parts.push(`${result.deleted} deleted`);
  if (result.anonymized !== undefined) parts.push(`${result.anonymized} anonymised`);
  if (result.retained !== undefined) parts.push(`${result.retained} kept`);
  if (result.remaining !== undefined) parts.push(`${result.remaining} remaining`);
  return parts.join(', ');
}

/** @param {RequestDetail} request */
export function storesSection(request) {
  const tasks = new Map((request.storeTasks ?? []).map((task) => [task.storeId, task]));
  const outcomes = new Map((request.storeOutcomes ?? []).map((outcome) => [outcome.storeId, outcome]));
  const storeIds = [...new Set([...(request.storeIds ?? []), ...tasks.keys(), ...outcomes.keys()])];
  if (!storeIds.length) return section('Stores', 'detail-stores', [el('p', { class: 'muted', text: 'No store work yet.' })]);

  const rows = storeIds.map((storeId) => {
    const task = tasks.get(storeId);
    const outcome = outcomes.get(storeId);
    const result = outcome ?? task?.result;
    const notes = [];
    if (task?.status === 'waiting' && task.note) notes.push(el('p', { class: 'task-note', text: task.note }));
    // Kept after completion too: the record of why an officer, not the processor, settled it.
    if (task?.escalatedToManual) notes.push(escalationNote(task.escalatedToManual));
    if (result?.note) notes.push(el('p', {}, [el('strong', { text: 'Internal note: ' }), el('span', { class: 'prewrap', text: result.note })]));
    if (result?.messageToRequester)
      notes.push(el('p', {}, [el('strong', { text: 'Sent to the requester: ' }), el('span', { class: 'prewrap', text: result.messageToRequester })]));
    if (result?.error) notes.push(el('p', { class: 'error-text', text: `Error: ${result.error}` }));
    let action = null;
    if (task && isManualWaiting(request, task)) {
      action = el('button', {
        type: 'button',
        class: 'button small',
        'data-store': storeId,
        'aria-label': `Complete task… for ${storeId}`,
        text: 'Complete task…',
        onclick: () => openComplete(request, storeId, task),
      });
    } else if (task && isEscalable(request, task)) {
      action = el('button', {
        type: 'button',
        class: 'button small',
        'data-store': storeId,
        'aria-label': `Escalate to manual… for ${storeId}`,
        text: 'Escalate to manual…',
        onclick: () => openEscalate(request, storeId, task),
      });
    }
    const taskStatus = task
      ? el('span', { class: `badge task-${task.status}`, text: taskStatusLabels[task.status] ?? task.status })
      : el('span', { class: 'muted', text: 'Not started' });
    // Until the request records its outcome, the task's own result tells that it was done by hand.
    const byHandTask = !outcome && task?.result?.completedBy === 'officer' ? task.result : undefined;
    return el('tr', { class: task?.status === 'waiting' ? 'waiting' : undefined }, [
      el('th', { scope: 'row' }, [
        el('span', { text: request.storeNames?.[storeId] ?? task?.storeName ?? storeId }),
        el('span', { class: 'muted store-id', text: ` ${storeId}` }),
      ]),
      el('td', { text: task?.action ?? '—' }),
      el('td', {}, [
        taskStatus,
        byHandTask ? byHandBadge(byHandTask.status) : null,
        task?.attempts && task.attempts > 1 ? el('span', { class: 'muted', text: ` (${task.attempts} attempts)` }) : null,
      ]),
      el(
        'td',
        {},
        outcome
          ? [
              el('span', { class: `badge task-${outcome.status}`, text: taskStatusLabels[outcome.status] ?? outcome.status }),
              outcome.completedBy === 'officer' ? byHandBadge(outcome.status) : null,
            ]
          : el('span', { class: 'muted', text: '—' }),
      ),
      el('td', { class: 'counts', text: countsText(result) }),
      el('td', { class: 'notes' }, notes),
      el('td', {}, action),
    ]);
  });
  return section('Stores', 'detail-stores', [
    table(
      `Work in each store (${plural(storeIds.length, 'store')})`,
      ['Store', 'Work', 'Task', 'Recorded outcome', 'Counts', 'Notes', 'Action'],
      rows,
      'data stores',
    ),
  ]);
}
