import { addBusinessDays, receiptConfirmationDue, type Jurisdiction } from './deadline.ts';
import type { DsrRequest } from './request.ts';
import { unfinishedStatuses } from './status.ts';

/**
 * The reminder schedule: which officer reminders a request has reached at `now`. Pure: the
 * scheduled function asks it, claims each event on the request (a conditional write that fails
 * when the event was already claimed), and only then mails the officers.
 *
 * - `due_soon`: the due day is 7 calendar days away or less (UTC days);
 * - `due_tomorrow`: the due day is tomorrow or today;
 * - `overdue`: the due date has passed (the escalation);
 * - `receipt_unconfirmed`: the policy asks for a receipt confirmation (CCPA: 10 business days),
 *   none was recorded, and 7 business days have gone by: 3 business days are left to send it.
 *
 * Deadline events are keyed by the due date (`due_soon@<dueAt>`), so an extension starts a fresh
 * set for the new date; each key is sent once. A request that reached a later stage before any
 * run saw it (the schedule was paused) gets only the latest stage: the earlier ones would only
 * repeat it in a weaker voice.
 */
export const reminderKinds = ['receipt_unconfirmed', 'due_soon', 'due_tomorrow', 'overdue'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export interface DueReminder {
  readonly kind: ReminderKind;
  /** Recorded in `remindersSent`; never sent twice. */
  readonly key: string;
  /** The date the reminder is about (the due date, or the receipt confirmation's). */
  readonly dueAt: string;
}

export const dueSoonDays = 7;
/** Business days after receipt at which a missing receipt confirmation is flagged. */
export const receiptReminderBusinessDays = 7;

const dayMs = 86_400_000;
const utcDay = (date: Date) => Math.floor(date.getTime() / dayMs);

/** Calendar days (UTC) from today to the due day: 0 when due today, negative once the day has passed. */
export function calendarDaysUntil(due: Date, now: Date): number {
  return utcDay(due) - utcDay(now);
}

type ScheduledRequest = Pick<DsrRequest, 'status' | 'dueAt' | 'receivedAt' | 'jurisdiction' | 'remindersSent' | 'receiptConfirmedAt'>;

/** The deadline stage a request is in at `now`, if any. */
export function deadlineStage(dueAt: Date, now: Date): 'due_soon' | 'due_tomorrow' | 'overdue' | undefined {
  if (now.getTime() > dueAt.getTime()) return 'overdue';
  const days = calendarDaysUntil(dueAt, now);
  if (days <= 1) return 'due_tomorrow';
  if (days <= dueSoonDays) return 'due_soon';
  return undefined;
}

export const reminderKey = (kind: ReminderKind, dueAt: string) => `${kind}@${dueAt}`;

/** The reminders `request` has reached at `now` and that were not sent yet. */
export function dueReminders(request: ScheduledRequest, now: Date): DueReminder[] {
  if (!unfinishedStatuses.includes(request.status)) return [];
  const sent = new Set(request.remindersSent ?? []);
  const reminders: DueReminder[] = [];

  const receiptDue = receiptConfirmationDue(new Date(request.receivedAt), request.jurisdiction as Jurisdiction);
  if (receiptDue && !request.receiptConfirmedAt && now.getTime() >= addBusinessDays(new Date(request.receivedAt), receiptReminderBusinessDays).getTime()) {
    reminders.push({ kind: 'receipt_unconfirmed', key: reminderKey('receipt_unconfirmed', receiptDue.toISOString()), dueAt: receiptDue.toISOString() });
  }

  const stage = deadlineStage(new Date(request.dueAt), now);
  if (stage) reminders.push({ kind: stage, key: reminderKey(stage, request.dueAt), dueAt: request.dueAt });

  return reminders.filter((reminder) => !sent.has(reminder.key));
}
