import { describe, expect, it } from 'vitest';
import { confirmedRequestsInLastYear, isRepeatedRequest } from '../../lambdas/domain/repeated-requests.ts';
import type { DsrRequest } from '../../lambdas/domain/request.ts';

const now = new Date('2026-11-23T10:00:00.000Z');
const request = (requestId: string, receivedAt: string, verified = true): DsrRequest =>
  ({ requestId, receivedAt, type: 'access', status: 'completed', ...(verified ? { verifiedAt: receivedAt } : {}) }) as DsrRequest;

describe('repeated requests (GDPR Art. 12(5))', () => {
  const history = [
    request('req_this', '2026-11-23T09:00:00.000Z'),
    request('req_a', '2026-10-01T09:00:00.000Z'),
    request('req_b', '2026-03-01T09:00:00.000Z'),
    request('req_unconfirmed', '2026-06-01T09:00:00.000Z', false),
    request('req_year_edge', '2025-11-23T10:00:00.000Z'),
    request('req_too_old', '2025-11-23T09:59:59.999Z'),
  ];

  it('counts the other requests the mailbox confirmed within the last 365 days', () => {
    expect(confirmedRequestsInLastYear(history, 'req_this', now)).toBe(3);
  });

  it('flags from the configured count on, and never when the count is 0', () => {
    expect(isRepeatedRequest(history, 'req_this', now, 3)).toBe(true);
    expect(isRepeatedRequest(history, 'req_this', now, 4)).toBe(false);
    expect(isRepeatedRequest(history, 'req_this', now, 0)).toBe(false);
    expect(isRepeatedRequest([request('req_this', '2026-11-23T09:00:00.000Z')], 'req_this', now, 1)).toBe(false);
  });
});
