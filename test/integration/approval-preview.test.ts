import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { snapshotStores } from '../fixtures/store-snapshot.ts';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack(isolatedStack);
  client = new LocalClient(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the preview before approving', () => {
  it('counts what an erasure will delete, anonymise and keep in each store, and changes nothing', async () => {
    const requestId = await client.submitAndVerify({ type: 'delete', email: demoSubject.email });
    const officer = await client.officerHeaders();
    const preview = await eventually(
      async () => {
        const answer = await client.get(`/admin/requests/${requestId}/preview`, officer);
        return answer.status === 200 ? answer.body : undefined;
      },
      15_000,
      'the preview',
    );
    const before = await snapshotStores(stack);

    const byStore = Object.fromEntries(preview.stores.map((store: { storeId: string }) => [store.storeId, store]));
    expect(byStore.accounts).toMatchObject({ basis: 'counted', delete: 1 });
    expect(byStore['usage-events']).toMatchObject({ basis: 'counted', delete: 120 });
    expect(byStore['survey-answers']).toMatchObject({ anonymize: 2 });
    expect(byStore['billing-records']).toMatchObject({ retain: 2, retainBasis: expect.stringMatching(/legal obligation/i) });
    expect(byStore['uploaded-files']).toMatchObject({ basis: 'counted', delete: 2 });
    expect(byStore['crm-partner']).toMatchObject({ basis: 'at_run_time' });
    expect(byStore['paper-archive']).toMatchObject({ basis: 'by_hand' });
    expect(preview.totals).toMatchObject({ retain: 2, uncounted: 2 });
    expect(preview.totals.delete).toBeGreaterThanOrEqual(125);

    // Asking again reads the same and writes nothing.
    expect((await client.get(`/admin/requests/${requestId}/preview`, officer)).body).toEqual(preview);
    expect(await snapshotStores(stack)).toEqual(before);
    const detail = (await client.get(`/admin/requests/${requestId}`, officer)).body;
    expect(detail.status).toBe('pending_approval');
    expect(detail.identities).toEqual(
      expect.arrayContaining([{ identity: 'customerId', values: ['C-1001'], source: { storeId: 'accounts', storeName: 'Customer accounts', via: 'email' } }]),
    );
  });

  it('is for officers only, and only while a request waits for a decision', async () => {
    const requestId = await client.submitAndVerify({ type: 'access', email: 'john.smith@example.org' });
    expect((await client.get(`/admin/requests/${requestId}/preview`)).status).toBe(401);
    const officer = await client.officerHeaders();
    expect((await client.approve(requestId)).status).toBe(200);
    const after = await client.get(`/admin/requests/${requestId}/preview`, officer);
    expect(after.status).toBe(409);
    expect(after.body.error).toMatch(/waits for a decision/);
    expect((await client.get('/admin/requests/req_0000000000nosuchrequest/preview', officer)).status).toBe(404);
  });
});
