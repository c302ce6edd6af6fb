// @ts-check
// The statutory clock as an officer reads it: days left until the due date, or overdue.

import { el, plural } from './console-dom.js';
import { terminalStatuses } from './request-statuses.js';

/** @import { RequestStatus } from './request-statuses.js' */
/** @typedef {{ kind: 'closed' | 'unknown' | 'overdue' | 'today' | 'soon' | 'ok', days: number | undefined, text: string }} Clock */

export const dayMs = 86_400_000;

/** @param {RequestStatus} status */
export const isClosed = (status) => terminalStatuses.includes(status);

/**
 * @param {{ status: RequestStatus, dueAt: string }} request
 * @param {number} [now]
 * @returns {Clock}
 */
export function clockOf(request, now = Date.now()) {
  if (isClosed(request.status)) return { kind: 'closed', days: undefined, text: 'Closed' };
  const left = Date.parse(request.dueAt) - now;
  if (Number.isNaN(left)) return { kind: 'unknown', days: undefined, text: 'Unknown' };
  if (left < 0) {
    const days = Math.ceil(-left / dayMs);
    return { kind: 'overdue', days: -days, text: `Overdue by ${plural(days, 'day')}` };
  }
  const days = Math.floor(left / dayMs);
  if (days === 0) return { kind: 'today', days: 0, text: 'Due today' };
  return { kind: days <= 5 ? 'soon' : 'ok', days, text: plural(days, 'day') };
}

/** @param {Clock} clock */
export function clockBadge(clock) {
  return el('span', { class: `clock clock-${clock.kind}`, text: clock.text });
}
