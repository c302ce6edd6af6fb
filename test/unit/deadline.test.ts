import { describe, expect, it } from 'vitest';
import { addBusinessDays, addMonths, daysLeft, dueDate, latestExtendedDueDate, receiptConfirmationDue } from '../../lambdas/domain/deadline.ts';

const utc = (iso: string) => new Date(`${iso}Z`);

describe('the statutory clock', () => {
  it('gives a GDPR request one calendar month, to the end of the same day number', () => {
    expect(dueDate(utc('2026-03-14T09:00:00'), 'gdpr').toISOString()).toBe('2026-04-14T23:59:59.999Z');
  });

  it('ends a month that has no such day on its last day (31 January to 28 February)', () => {
    expect(dueDate(utc('2026-01-31T12:00:00'), 'gdpr').toISOString()).toBe('2026-02-28T23:59:59.999Z');
  });

  it('ends on 29 February in a leap year', () => {
    expect(dueDate(utc('2028-01-30T12:00:00'), 'gdpr').toISOString()).toBe('2028-02-29T23:59:59.999Z');
  });

  it('crosses the year end', () => {
    expect(addMonths(utc('2026-12-31T00:00:00'), 1).toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it('gives a CCPA request 45 days', () => {
    expect(dueDate(utc('2026-11-23T10:00:00'), 'ccpa').toISOString()).toBe('2027-01-07T23:59:59.999Z');
  });

  it('lets a GDPR extension reach three months at most', () => {
    expect(latestExtendedDueDate(utc('2026-01-31T12:00:00'), 'gdpr').toISOString()).toBe('2026-04-28T23:59:59.999Z');
  });

  it('counts the days left, negative once overdue', () => {
    const due = utc('2026-04-14T23:59:59.999');
    expect(daysLeft(due, utc('2026-04-10T00:00:00'))).toBe(4);
    expect(daysLeft(due, utc('2026-04-16T00:00:00'))).toBe(-2);
  });

  it('counts business days Monday to Friday, skipping weekends', () => {
    // 2026-11-20 is a Friday.
    expect(addBusinessDays(utc('2026-11-20T10:00:00'), 1).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(addBusinessDays(utc('2026-11-21T10:00:00'), 1).toISOString()).toBe('2026-11-23T10:00:00.000Z'); // from a Saturday
    expect(addBusinessDays(utc('2026-11-23T10:00:00'), 5).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(addBusinessDays(utc('2026-11-23T10:00:00'), 10).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(addBusinessDays(utc('2026-11-23T10:00:00'), 0).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(() => addBusinessDays(utc('2026-11-23T10:00:00'), -1)).toThrow(RangeError);
  });

  it('counts business days across a leap day and a year end', () => {
    // 2028-02-28 is a Monday; 29 February 2028 exists.
    expect(addBusinessDays(utc('2028-02-28T09:00:00'), 1).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(addBusinessDays(utc('2028-02-25T09:00:00'), 3).toISOString()).toBe('2028-03-01T09:00:00.000Z');
    // 2026-12-31 is a Thursday.
    expect(addBusinessDays(utc('2026-12-31T09:00:00'), 2).toISOString()).toBe('2027-01-04T09:00:00.000Z');
  });

  it('asks CCPA requests for a receipt confirmation within 10 business days, GDPR ones for none', () => {
    expect(receiptConfirmationDue(utc('2026-11-20T16:00:00'), 'ccpa')?.toISOString()).toBe('2026-12-04T23:59:59.999Z');
    expect(receiptConfirmationDue(utc('2026-11-20T16:00:00'), 'gdpr')).toBeUndefined();
  });

  it('lets a CCPA extension reach 90 days at most', () => {
    expect(latestExtendedDueDate(utc('2026-11-23T10:00:00'), 'ccpa').toISOString()).toBe('2027-02-21T23:59:59.999Z');
  });
});
