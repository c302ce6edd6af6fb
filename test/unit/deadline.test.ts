import { describe, expect, it } from 'vitest';
import { addMonths, daysLeft, dueDate, latestExtendedDueDate } from '../../lambdas/domain/deadline.ts';

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
});
