import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isTerminal,
  notStartedStatuses,
  requestStatuses,
  statusesAllowedBefore,
  terminalStatuses,
  unfinishedStatuses,
} from '../../lambdas/domain/status.ts';

describe('request statuses', () => {
  it('follows the lifecycle from submission to completion', () => {
    const path = ['submitted', 'pending_verification', 'pending_approval', 'in_progress', 'completed'] as const;
    for (let index = 1; index < path.length; index += 1) expect(canTransition(path[index - 1]!, path[index]!)).toBe(true);
  });

  it('never leaves a terminal status', () => {
    for (const terminal of ['completed', 'expired', 'rejected', 'cancelled'] as const) {
      expect(isTerminal(terminal)).toBe(true);
      for (const to of requestStatuses) expect(canTransition(terminal, to)).toBe(false);
    }
    expect(terminalStatuses).toEqual(['completed', 'expired', 'rejected', 'cancelled']);
  });

  it('cannot skip verification or approval', () => {
    expect(canTransition('submitted', 'in_progress')).toBe(false);
    expect(canTransition('pending_verification', 'in_progress')).toBe(false);
    expect(statusesAllowedBefore('in_progress')).not.toContain('pending_verification');
  });

  it('names each set once: not started (cancellable), unfinished (the clock runs), terminal', () => {
    expect(notStartedStatuses).toEqual(['submitted', 'pending_verification', 'pending_approval']);
    expect([...unfinishedStatuses].sort()).toEqual(requestStatuses.filter((status) => !isTerminal(status)).sort());
    expect(notStartedStatuses.every((status) => canTransition(status, 'cancelled'))).toBe(true);
  });

  it('lets a partially completed request be retried', () => {
    expect(canTransition('partially_completed', 'in_progress')).toBe(true);
  });

  it('lists the statuses a move may start from, for the conditional write', () => {
    expect(statusesAllowedBefore('cancelled').sort()).toEqual(['pending_approval', 'pending_verification', 'submitted']);
    expect(statusesAllowedBefore('in_progress').sort()).toEqual(['partially_completed', 'pending_approval']);
  });
});
