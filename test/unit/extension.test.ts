import { describe, expect, it } from 'vitest';
import { ConflictError, ExtensionRefusedError, ValidationError } from '../../lambdas/domain/errors.ts';
import { parseExtensionAsk, planExtension } from '../../lambdas/domain/extension.ts';
import { dueDate, type Jurisdiction } from '../../lambdas/domain/deadline.ts';
import type { DsrRequest } from '../../lambdas/domain/request.ts';

const utc = (iso: string) => new Date(`${iso}Z`);
const requestOf = (jurisdiction: Jurisdiction, receivedAt: string, extra: Partial<DsrRequest> = {}) => ({
  requestId: 'req_0mhz1abcdefghijk',
  status: 'pending_approval' as const,
  receivedAt: utc(receivedAt).toISOString(),
  dueAt: dueDate(utc(receivedAt), jurisdiction).toISOString(),
  jurisdiction,
  ...extra,
});
const reason = 'Several systems hold your data and need a manual search.';

describe('the extension policy', () => {
  it('extends a GDPR request by two months by default, counted from the original due date', () => {
    const plan = planExtension(requestOf('gdpr', '2026-03-14T09:00:00'), { reason }, utc('2026-03-20T10:00:00'));
    expect(plan).toMatchObject({ dueAt: '2026-06-14T23:59:59.999Z', totalMonths: 2, count: 1, added: '2 months' });
  });

  it('lets a GDPR request be extended by one month, then by one more, and no further', () => {
    const request = requestOf('gdpr', '2026-01-31T12:00:00');
    const first = planExtension(request, { reason, months: 1 }, utc('2026-02-10T00:00:00'));
    // 31 January + 1 month = 28 February; + 1 more month = 28 March (month ends clamp).
    expect(first).toMatchObject({ dueAt: '2026-03-28T23:59:59.999Z', totalMonths: 1, count: 1 });
    const once = {
      ...request,
      dueAt: first.dueAt,
      extension: { dueAt: first.dueAt, reason, at: '2026-02-10T00:00:00.000Z', officerId: 'o', totalMonths: 1, count: 1 },
    };
    const second = planExtension(once, { reason, months: 1 }, utc('2026-02-20T00:00:00'));
    expect(second).toMatchObject({ dueAt: '2026-04-28T23:59:59.999Z', totalMonths: 2, count: 2 });
    expect(() => planExtension(once, { reason, months: 2 }, utc('2026-02-20T00:00:00'))).toThrow(/at most 2 further months in total; 1 already added/);
    const twice = { ...once, dueAt: second.dueAt, extension: { ...once.extension, dueAt: second.dueAt, totalMonths: 2, count: 2 } };
    expect(() => planExtension(twice, { reason, months: 1 }, utc('2026-02-21T00:00:00'))).toThrow(ExtensionRefusedError);
  });

  it('never goes past the latest extended due date, even from a leap-year month end', () => {
    const plan = planExtension(requestOf('gdpr', '2028-01-31T08:00:00'), { reason, months: 2 }, utc('2028-02-01T00:00:00'));
    expect(plan.dueAt).toBe('2028-04-29T23:59:59.999Z');
  });

  it('refuses a GDPR extension decided after the first month', () => {
    expect(() => planExtension(requestOf('gdpr', '2026-03-14T09:00:00'), { reason }, utc('2026-04-15T00:00:00'))).toThrow(
      /before the original due date \(2026-04-14\)/,
    );
  });

  it('extends a CCPA request once, by up to 45 days', () => {
    const request = requestOf('ccpa', '2026-11-23T10:00:00');
    expect(planExtension(request, { reason }, utc('2026-12-01T00:00:00'))).toMatchObject({ dueAt: '2027-02-21T23:59:59.999Z', totalDays: 45, count: 1 });
    expect(planExtension(request, { reason, days: 10 }, utc('2026-12-01T00:00:00'))).toMatchObject({ dueAt: '2027-01-17T23:59:59.999Z', totalDays: 10 });
    expect(() => planExtension(request, { reason, days: 46 }, utc('2026-12-01T00:00:00'))).toThrow(/at most 45 days/);
    const extended = { ...request, extension: { dueAt: '2027-01-17T23:59:59.999Z', reason, at: 'x', officerId: 'o', totalDays: 10, count: 1 } };
    expect(() => planExtension(extended, { reason, days: 10 }, utc('2026-12-02T00:00:00'))).toThrow(/one extension only/);
  });

  it('refuses the wrong unit for the policy', () => {
    expect(() => planExtension(requestOf('ccpa', '2026-11-23T10:00:00'), { reason, months: 1 }, utc('2026-12-01T00:00:00'))).toThrow(/counted in days/);
    expect(() => planExtension(requestOf('gdpr', '2026-11-23T10:00:00'), { reason, days: 30 }, utc('2026-12-01T00:00:00'))).toThrow(/counted in months/);
  });

  it('extends only requests whose clock still runs', () => {
    for (const status of ['completed', 'rejected', 'cancelled', 'expired'] as const) {
      expect(() => planExtension(requestOf('gdpr', '2026-03-14T09:00:00', { status }), { reason }, utc('2026-03-20T00:00:00'))).toThrow(ConflictError);
    }
    for (const status of ['submitted', 'pending_verification', 'in_progress', 'partially_completed'] as const) {
      expect(planExtension(requestOf('gdpr', '2026-03-14T09:00:00', { status }), { reason }, utc('2026-03-20T00:00:00')).count).toBe(1);
    }
  });

  it("reads the officer's body, naming each problem", () => {
    expect(parseExtensionAsk({ reason: '  Busy  ', months: 1 })).toEqual({ reason: 'Busy', months: 1 });
    expect(() => parseExtensionAsk({ reason: 'x' })).toThrow(ValidationError);
    expect(() => parseExtensionAsk({ reason, months: 3 })).toThrow(/months is 1 or 2/);
    expect(() => parseExtensionAsk({ reason, days: 1.5 })).toThrow(/whole number/);
    expect(() => parseExtensionAsk({ reason, days: 5, months: 1 })).toThrow(/not both/);
    expect(() => parseExtensionAsk(null)).toThrow(/reason/);
  });
});
