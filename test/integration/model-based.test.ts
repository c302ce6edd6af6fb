import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTransition, isTerminal, type RequestStatus } from '../../lambdas/domain/status.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { snapshotStores } from '../fixtures/store-snapshot.ts';
import { leftOf, seedSubjects, type Subject } from './reliability-seed.ts';

let stack: LocalStack;
let client: LocalClient;
let subjects: Subject[];

beforeAll(async () => {
  stack = await startLocalStack({ ...isolatedStack, retryIntervalScale: 0.01 });
  client = new LocalClient(stack);
  subjects = await seedSubjects(stack, 'MB', 12);
});

afterAll(async () => {
  await stack?.stop();
});

/** What an actor can do to one erasure request; the model says what each does to its status. */
const commands = ['verify', 'approve', 'reject', 'cancel', 'completeManualTask', 'retry'] as const;
type Command = (typeof commands)[number];

/** Commands that move a request on come more often, so runs reach approval and beyond, not only refusals. */
const weightedCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Command>('verify') },
  { weight: 4, arbitrary: fc.constant<Command>('approve') },
  { weight: 2, arbitrary: fc.constant<Command>('completeManualTask') },
  { weight: 1, arbitrary: fc.constant<Command>('reject') },
  { weight: 1, arbitrary: fc.constant<Command>('cancel') },
  { weight: 1, arbitrary: fc.constant<Command>('retry') },
);

/** The model: the lifecycle of the architecture page, for an erasure that waits on one manual store. */
function modelStep(status: RequestStatus, command: Command): RequestStatus {
  const to: Partial<Record<Command, RequestStatus>> = {
    verify: status === 'pending_verification' ? 'pending_approval' : undefined,
    approve: status === 'pending_approval' ? 'in_progress' : undefined,
    reject: status === 'pending_approval' ? 'rejected' : undefined,
    cancel: ['submitted', 'pending_verification', 'pending_approval'].includes(status) ? 'cancelled' : undefined,
    completeManualTask: status === 'in_progress' ? 'completed' : undefined,
    retry: status === 'partially_completed' ? 'in_progress' : undefined,
  };
  const next = to[command];
  return next && canTransition(status, next) ? next : status;
}

describe('the workflow against a model of the request lifecycle', () => {
  it('never diverges from the model, never erases without approval, and keeps terminal states terminal', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(weightedCommand, { minLength: 3, maxLength: 8 }), async (sequence) => {
        const subject = subjects[run++]!;
        const before = leftOf(await snapshotStores(stack), subject);
        const officer = await client.officerHeaders();
        const submitted = await client.post('/requests', { type: 'delete', email: subject.email });
        const requestId: string = submitted.body.requestId;
        const mail = await client.waitForMail(subject.email, new RegExp(`/verify#t=(${requestId}\\.[A-Za-z0-9_-]+)[\\s\\S]*/status#t=(${requestId}\\.[A-Za-z0-9_-]+)`));
        const [, verifyToken, statusToken] = mail.match;
        let model: RequestStatus = 'pending_verification';
        await client.waitForStatus(requestId, model);

        for (const command of sequence) {
          const expected = modelStep(model, command);
          const act: Record<Command, () => Promise<{ status: number }>> = {
            verify: () => client.post('/verify', { token: verifyToken }),
            approve: () => client.post(`/admin/requests/${requestId}/approve`, {}, officer),
            reject: () => client.post(`/admin/requests/${requestId}/reject`, { reason: 'Not our customer.' }, officer),
            cancel: () => client.post('/cancel', { token: statusToken }),
            completeManualTask: () => client.post(`/admin/requests/${requestId}/stores/paper-archive/complete`, { note: 'Shredded.' }, officer),
            retry: () => client.post(`/admin/requests/${requestId}/retry`, {}, officer),
          };
          const answer = await act[command]();
          // Accepted exactly when the model moves; refused with a 4xx (never a 5xx) otherwise.
          if (expected === model) expect(answer.status, `${command} in ${model}`).toBeGreaterThanOrEqual(400);
          else expect(answer.status, `${command} in ${model}`).toBe(200);
          expect(answer.status).toBeLessThan(500);
          model = expected;
          const observed = await client.waitForStatus(requestId, model, 20_000);
          expect(observed.status).toBe(model);
          // Wait until the workflow is parked where the next command acts, so commands meet a settled request.
          if (model === 'pending_approval') {
            await eventually(async () => ((await client.get(`/admin/requests/${requestId}`, officer)).body.reviewFlags ? true : undefined), 20_000, 'approval to be prepared');
          }
          if (model === 'in_progress') {
            await eventually(async () => {
              const request = (await client.get(`/admin/requests/${requestId}`, officer)).body;
              return request.storeTasks?.some((task: { storeId: string; status: string }) => task.storeId === 'paper-archive' && task.status === 'waiting') ? true : undefined;
            }, 20_000, 'the manual task to wait');
          }
        }

        const after = leftOf(await snapshotStores(stack), subject);
        const approved = (await client.get(`/admin/requests/${requestId}`, officer)).body.events.some((event: { action: string }) => event.action === 'approved');
        if (!approved) expect(after, 'no erasure without approval').toEqual(before);
        if (isTerminal(model)) {
          // A terminal request refuses everything and stays as it is.
          for (const refused of await Promise.all([client.post(`/admin/requests/${requestId}/approve`, {}, officer), client.post('/cancel', { token: statusToken })])) {
            expect(refused.status).toBeGreaterThanOrEqual(400);
          }
          expect((await client.get(`/admin/requests/${requestId}`, officer)).body.status).toBe(model);
        }
      }),
      { seed: 20261123, numRuns: 12, endOnFailure: true },
    );
  }, 240_000);
});
