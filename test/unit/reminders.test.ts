import { describe, expect, it } from 'vitest';
import { dueDate, type Jurisdiction } from '../../lambdas/domain/deadline.ts';
import { calendarDaysUntil, deadlineStage, dueReminders, reminderKey } from '../../lambdas/domain/reminders.ts';
import type { RequestStatus } from '../../lambdas/domain/status.ts';

const utc = (iso: string) => new Date(`${iso}Z`);
const requestOf = (
  receivedAt: string,
  jurisdiction: Jurisdiction = 'gdpr',
  extra: { status?: RequestStatus; remindersSent?: string[]; receiptConfirmedAt?: string; dueAt?: string } = {},
) => ({
  status: 'pending_approval' as RequestStatus,
  receivedAt: utc(receivedAt).toISOString(),
  dueAt: dueDate(utc(receivedAt), jurisdiction).toISOString(),
  jurisdiction,
  ...extra,
});
const kinds = (reminders: { kind: string }[]) => reminders.map((reminder) => reminder.kind);

describe('the reminder schedule', () => {
  const request = requestOf('2026-03-14T09:00:00'); // due 2026-04-14T23:59:59.999Z

  it('is quiet while the due day is more than 7 days away', () => {
    expect(dueReminders(request, utc('2026-04-06T23:59:00'))).toEqual([]);
  });

  it('reminds 7 days before, the day before, and escalates once overdue', () => {
    expect(kinds(dueReminders(request, utc('2026-04-07T00:00:00')))).toEqual(['due_soon']);
    expect(kinds(dueReminders(request, utc('2026-04-12T18:00:00')))).toEqual(['due_soon']);
    expect(kinds(dueReminders(request, utc('2026-04-13T00:00:00')))).toEqual(['due_tomorrow']);
    expect(kinds(dueReminders(request, utc('2026-04-14T23:59:59')))).toEqual(['due_tomorrow']);
    expect(kinds(dueReminders(request, utc('2026-04-15T00:00:00')))).toEqual(['overdue']);
  });

  it('sends each event once: what was recorded is not due again', () => {
    const sent = [reminderKey('due_soon', request.dueAt), reminderKey('due_tomorrow', request.dueAt), reminderKey('overdue', request.dueAt)];
    for (const now of ['2026-04-08T00:00:00', '2026-04-14T12:00:00', '2026-05-20T00:00:00']) {
      expect(dueReminders({ ...request, remindersSent: sent }, utc(now))).toEqual([]);
    }
    // Every run during a stage proposes the same key, so a recorded key stops it for the stage.
    const keys = ['2026-04-07T01:00:00', '2026-04-09T13:00:00', '2026-04-12T23:00:00'].map((now) => dueReminders(request, utc(now))[0]!.key);
    expect(new Set(keys).size).toBe(1);
  });

  it('starts afresh for a new due date after an extension', () => {
    const extended = { ...request, dueAt: '2026-06-14T23:59:59.999Z', remindersSent: [reminderKey('due_soon', request.dueAt)] };
    expect(dueReminders(extended, utc('2026-06-08T00:00:00'))).toEqual([
      { kind: 'due_soon', key: 'due_soon@2026-06-14T23:59:59.999Z', dueAt: '2026-06-14T23:59:59.999Z' },
    ]);
  });

  it('counts calendar days across month ends and leap days', () => {
    // Received 31 January 2028: due 29 February 2028 (leap year).
    const leap = requestOf('2028-01-31T10:00:00');
    expect(leap.dueAt).toBe('2028-02-29T23:59:59.999Z');
    expect(kinds(dueReminders(leap, utc('2028-02-21T23:00:00')))).toEqual([]);
    expect(kinds(dueReminders(leap, utc('2028-02-22T00:00:00')))).toEqual(['due_soon']);
    expect(kinds(dueReminders(leap, utc('2028-02-28T00:00:00')))).toEqual(['due_tomorrow']);
    expect(kinds(dueReminders(leap, utc('2028-03-01T00:00:00')))).toEqual(['overdue']);
    // 2027 is no leap year: 31 January + 1 month = 28 February.
    const common = requestOf('2027-01-31T10:00:00');
    expect(common.dueAt).toBe('2027-02-28T23:59:59.999Z');
    expect(calendarDaysUntil(new Date(common.dueAt), utc('2027-02-21T05:00:00'))).toBe(7);
    expect(deadlineStage(new Date(common.dueAt), utc('2027-02-27T00:00:00'))).toBe('due_tomorrow');
  });

  it('reminds of nothing for requests whose clock has stopped', () => {
    for (const status of ['completed', 'rejected', 'cancelled', 'expired'] as const) {
      expect(dueReminders({ ...request, status }, utc('2026-05-01T00:00:00'))).toEqual([]);
    }
    expect(kinds(dueReminders({ ...request, status: 'partially_completed' }, utc('2026-05-01T00:00:00')))).toEqual(['overdue']);
  });

  it('flags a CCPA request whose receipt was not confirmed 7 business days in, until it is recorded', () => {
    // Received Friday 20 November 2026; 7 business days later is Tuesday 1 December.
    const ccpa = requestOf('2026-11-20T16:00:00', 'ccpa');
    expect(dueReminders(ccpa, utc('2026-12-01T15:00:00'))).toEqual([]);
    expect(dueReminders(ccpa, utc('2026-12-01T16:00:00'))).toEqual([
      { kind: 'receipt_unconfirmed', key: 'receipt_unconfirmed@2026-12-04T23:59:59.999Z', dueAt: '2026-12-04T23:59:59.999Z' },
    ]);
    expect(dueReminders({ ...ccpa, receiptConfirmedAt: '2026-11-20T16:00:01.000Z' }, utc('2026-12-01T16:00:00'))).toEqual([]);
    expect(dueReminders({ ...ccpa, remindersSent: ['receipt_unconfirmed@2026-12-04T23:59:59.999Z'] }, utc('2026-12-02T00:00:00'))).toEqual([]);
    // GDPR asks for no receipt confirmation.
    expect(dueReminders(requestOf('2026-11-20T16:00:00', 'gdpr'), utc('2026-12-01T16:00:00'))).toEqual([]);
  });
});
