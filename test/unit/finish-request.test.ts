import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import type { StoredRequest } from '../../lambdas/ports/request-repository.ts';
import { finishRequest, type MapOutcome } from '../../lambdas/use-cases/finish-request.ts';
import { requestId, storedRequest } from './stored-request.ts';

const at = '2026-12-02T10:00:00.000Z';

/** An access request whose stores answered; `stored` holds the collected records still in work/. */
async function finishAccess(stored: Record<string, unknown[]>) {
  const request = storedRequest({ status: 'in_progress', storeIds: ['accounts', 'usage-events', 'paper-archive'], events: [] }) as unknown as StoredRequest;
  const transitions: { status: string; set: Record<string, unknown> }[] = [];
  const failedTasks: { storeId: string; error: string }[] = [];
  const deleted: string[] = [];
  const deps = {
    requests: {
      get: async () => request,
      transition: async (_id: string, status: string, change: { set: Record<string, unknown> }) => void transitions.push({ status, set: change.set }),
    },
    storeTasks: { fail: async (_id: string, storeId: string, error: string) => void failedTasks.push({ storeId, error }) },
    catalog: storeCatalog,
    objects: {
      putJson: async () => undefined,
      putText: async () => undefined,
      getJson: async (key: string) => {
        const storeId = key.split('/').at(-1)!.replace('.json', '');
        return stored[storeId] ? { records: stored[storeId] } : undefined;
      },
      deletePrefix: async (prefix: string) => void deleted.push(prefix),
    },
    mailer: { send: async () => ({ messageId: 'm' }) },
    now: () => new Date(at),
  };
  const outcomes = [
    { storeId: 'accounts', status: 'succeeded', recordCount: 1 },
    { storeId: 'usage-events', status: 'succeeded', recordCount: 2 },
    { storeId: 'paper-archive', status: 'succeeded' },
  ] as unknown as MapOutcome[];
  const result = await finishRequest(deps as never, { requestId, type: 'access', outcomes });
  return { result, transitions, failedTasks, deleted };
}

describe('finishing an access request', () => {
  it('builds the export and clears work/ when every store collected its records', async () => {
    const { result, failedTasks, deleted } = await finishAccess({ accounts: [{ customerId: 'C-1' }], 'usage-events': [{}, {}] });
    expect(result.status).toBe('completed');
    expect(failedTasks).toEqual([]);
    expect(deleted).toEqual([`work/${requestId}/`]);
  });

  it('fails only the store whose collected records are gone, with its task, so a retry collects it again', async () => {
    const { result, transitions, failedTasks, deleted } = await finishAccess({ 'usage-events': [{}, {}] });
    expect(result.status).toBe('partially_completed');
    expect(failedTasks).toEqual([{ storeId: 'accounts', error: expect.stringMatching(/are missing .*a retry collects them again$/) }]);
    const outcomes = transitions[0]!.set.storeOutcomes as { storeId: string; status: string; recordCount?: number }[];
    expect(outcomes.find((outcome) => outcome.storeId === 'accounts')).toMatchObject({ status: 'failed' });
    expect(outcomes.find((outcome) => outcome.storeId === 'accounts')).not.toHaveProperty('recordCount');
    expect(outcomes.find((outcome) => outcome.storeId === 'usage-events')).toMatchObject({ status: 'succeeded', recordCount: 2 });
    // The paper archive's copy is sent by the officer: there is no file to miss.
    expect(outcomes.find((outcome) => outcome.storeId === 'paper-archive')).toMatchObject({ status: 'succeeded' });
    // The other stores' records stay for the retry.
    expect(deleted).toEqual([]);
  });
});
