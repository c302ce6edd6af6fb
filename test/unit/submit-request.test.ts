import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import type { AuditEvent } from '../../lambdas/domain/request.ts';
import type { RequestStatus } from '../../lambdas/domain/status.ts';
import type { StoredRequest } from '../../lambdas/ports/request-repository.ts';
import { submitRequest } from '../../lambdas/use-cases/submit-request.ts';

/** In-memory requests and a guard with the real claim rule: a claim stands while its holder is open. */
function fakes(startFails: () => boolean) {
  const stored = new Map<string, StoredRequest>();
  const claims = new Map<string, string>();
  const deps = {
    now: () => new Date('2026-12-02T10:00:00.000Z'),
    catalog: storeCatalog,
    requests: {
      get: async (id: string) => stored.get(id),
      create: async (request: StoredRequest) => void stored.set(request.requestId, { ...request } as never),
      transition: async (id: string, to: RequestStatus, change: { event: AuditEvent; set?: Record<string, unknown> }) => {
        const request = stored.get(id)!;
        stored.set(id, { ...request, ...change.set, status: to, events: [...request.events, change.event] });
      },
    },
    workflow: {
      start: async () => {
        if (startFails()) throw new Error('States unavailable');
      },
    },
    guard: {
      consume: async () => ({ allowed: true }),
      claimSubmission: async (fingerprint: string, requestId: string, _window: number, isOpen: (heldBy: string) => Promise<boolean>) => {
        const holder = claims.get(fingerprint);
        if (holder && (await isOpen(holder))) return holder;
        claims.set(fingerprint, requestId);
        return requestId;
      },
    },
  };
  return { deps, stored };
}

const context = {
  baseUrl: 'https://privacy.example.com',
  defaultJurisdiction: 'gdpr' as const,
  offeredJurisdictions: ['gdpr' as const],
  emailLimit: { kind: 'email', limit: 3, windowSeconds: 86_400 },
  dedupeSeconds: 600,
};
const body = { type: 'access', email: 'jane.doe@example.com' };

describe('submitting a request', () => {
  it('never leaves a request waiting for a workflow that could not start: it ends, says why, and the requester can submit again at once', async () => {
    let failing = true;
    const { deps, stored } = fakes(() => failing);
    await expect(submitRequest(deps as never, body, context as never)).rejects.toThrow('States unavailable');
    const [first] = [...stored.values()];
    expect(first).toMatchObject({ status: 'cancelled', cancelledAt: '2026-12-02T10:00:00.000Z' });
    expect(first!.events.at(-1)).toMatchObject({ action: 'not_started', detail: expect.stringMatching(/could not be started/) });

    failing = false;
    const again = await submitRequest(deps as never, body, context as never);
    expect(again.requestId).not.toBe(first!.requestId);
    expect(stored.get(again.requestId)).toMatchObject({ status: 'submitted' });
  });
});
