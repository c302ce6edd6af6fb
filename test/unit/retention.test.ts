import { describe, expect, it } from 'vitest';
import { isPastRetention, retentionCutoff } from '../../lambdas/domain/retention.ts';

const cutoff = retentionCutoff(new Date('2029-11-23T00:00:00.000Z'), 1095);

describe('record retention', () => {
  it('counts the retention period back from now', () => {
    expect(cutoff.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('lets a closed request go once both its last change and its due date are older than the cutoff', () => {
    const old = { updatedAt: '2026-11-01T10:00:00.000Z', dueAt: '2026-11-20T23:59:59.999Z' };
    for (const status of ['completed', 'rejected', 'cancelled', 'expired'] as const) expect(isPastRetention({ ...old, status }, cutoff), status).toBe(true);
    // Closed early, still due after the cutoff: kept until the due date has aged too.
    expect(isPastRetention({ status: 'completed', updatedAt: '2026-11-01T10:00:00.000Z', dueAt: '2026-12-01T23:59:59.999Z' }, cutoff)).toBe(false);
    // Changed after the cutoff: kept.
    expect(isPastRetention({ status: 'completed', updatedAt: '2026-11-25T10:00:00.000Z', dueAt: '2026-11-20T23:59:59.999Z' }, cutoff)).toBe(false);
  });

  it('never lets go of a request that can still move, however old', () => {
    const ancient = { updatedAt: '2020-01-01T00:00:00.000Z', dueAt: '2020-02-01T23:59:59.999Z' };
    for (const status of ['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'partially_completed'] as const) {
      expect(isPastRetention({ ...ancient, status }, cutoff), status).toBe(false);
    }
  });
});

describe('retention and flag settings from the environment', () => {
  it('take a whole number of 0 or more, the default when unset, and name the variable when wrong', async () => {
    const { recordRetentionDaysSetting } = await import('../../lambdas/composition/config.ts');
    delete process.env.REQUEST_RECORD_RETENTION_DAYS;
    expect(recordRetentionDaysSetting()).toBe(1095);
    process.env.REQUEST_RECORD_RETENTION_DAYS = '0';
    expect(recordRetentionDaysSetting()).toBe(0);
    process.env.REQUEST_RECORD_RETENTION_DAYS = 'three years';
    expect(() => recordRetentionDaysSetting()).toThrow(
      'Environment variable REQUEST_RECORD_RETENTION_DAYS must be a whole number, 0 or more (got "three years")',
    );
    process.env.REQUEST_RECORD_RETENTION_DAYS = '-1';
    expect(() => recordRetentionDaysSetting()).toThrow(/REQUEST_RECORD_RETENTION_DAYS must be a whole number/);
    delete process.env.REQUEST_RECORD_RETENTION_DAYS;
  });
});
