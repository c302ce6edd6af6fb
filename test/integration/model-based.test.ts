import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTransition, unfinishedStatuses, notStartedStatuses, requestStatuses, terminalStatuses, type RequestStatus } from '../../lambdas/domain/status.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';
import { snapshotStores } from '../fixtures/store-snapshot.ts';
import { leftOf, seedSubjects, type Subject } from './reliability-seed.ts';

let stack: LocalStack;
let client: LocalClient;
let subjects: Subject[];
let nextSubject = 0;

beforeAll(async () => {
  stack = await startLocalStack({ ...isolatedStack, retryIntervalScale: 0.01 });
  client = new LocalClient(stack);
  // The processor acknowledges and never answers: its task waits until an officer escalates it.
  stack.partner.setMode('hold');
  subjects = await seedSubjects(stack, 'MB', 32);
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * What an officer and a requester can do to one erasure request. The request waits on two stores
 * that need a person: the paper archive (manual) and the CRM processor, which never answers here.
 */
const commands = [
  // the officer
  'approve',
  'reject',
  'retry',
  'extend',
  'completeManualTask',
  'failManualTask',
  'escalate',
  'completeProcessorTask',
  // the requester
  'verify',
  'cancel',
  'status',
  'download',
] as const;
type Command = (typeof commands)[number];

/** The request's status and, while it is carried out, where its two waiting stores stand. */
interface Model {
  readonly status: RequestStatus;
  readonly paper: 'waiting' | 'done' | 'failed';
  readonly crm: 'waiting' | 'escalated' | 'done';
  readonly extensions: number;
}

const initial: Model = { status: 'pending_verification', paper: 'waiting', crm: 'waiting', extensions: 0 };

/** Once neither store waits, the run settles: completed, or partially_completed if one failed. */
function settle(model: Model): Model {
  if (model.paper === 'waiting' || model.crm !== 'done') return model;
  return { ...model, status: model.paper === 'failed' ? 'partially_completed' : 'completed' };
}

/** The model: the lifecycle of the architecture page. `accepted`: the action answers 200. */
function modelStep(model: Model, command: Command): { next: Model; accepted: boolean } {
  const { status } = model;
  const carriedOut = status === 'in_progress';
  const moves: Record<Command, Model | undefined> = {
    verify: status === 'pending_verification' ? { ...model, status: 'pending_approval' } : undefined,
    approve: status === 'pending_approval' ? { ...model, status: 'in_progress', paper: 'waiting', crm: 'waiting' } : undefined,
    reject: status === 'pending_approval' ? { ...model, status: 'rejected' } : undefined,
    cancel: notStartedStatuses.includes(status) ? { ...model, status: 'cancelled' } : undefined,
    completeManualTask: carriedOut && model.paper === 'waiting' ? settle({ ...model, paper: 'done' }) : undefined,
    failManualTask: carriedOut && model.paper === 'waiting' ? settle({ ...model, paper: 'failed' }) : undefined,
    escalate: carriedOut && model.crm === 'waiting' ? { ...model, crm: 'escalated' } : undefined,
    // A processor's task is completed by hand only after an escalation.
    completeProcessorTask: carriedOut && model.crm === 'escalated' ? settle({ ...model, crm: 'done' }) : undefined,
    // Only the stores that failed run again.
    retry: status === 'partially_completed' ? { ...model, status: 'in_progress', paper: model.paper === 'failed' ? 'waiting' : model.paper } : undefined,
    // GDPR: two extensions of one month at most, while the clock runs.
    extend: unfinishedStatuses.includes(status) && model.extensions < 2 ? { ...model, extensions: model.extensions + 1 } : undefined,
    status: model,
    // The requester holds no download link for an erasure: whatever they send is refused.
    download: undefined,
  };
  const next = moves[command];
  if (next && next.status !== status) expect(canTransition(status, next.status), `the model moves ${status} -> ${next.status}`).toBe(true);
  return next ? { next, accepted: true } : { next: model, accepted: false };
}

/**
 * The invariant: no action leaves a request that is not over without a workflow to carry it on.
 * - submitted, pending_verification, pending_approval, in_progress: exactly one execution of the
 *   request is RUNNING (waiting for the verification, the decision, or a store's answer).
 * - partially_completed: none; it waits for an officer's retry by design, which starts a new run.
 * - completed, rejected, cancelled, expired (terminal): none, once the run's last step is done.
 * And no execution of a request ever ends FAILED, ABORTED or TIMED_OUT.
 */
const restingStatuses: readonly RequestStatus[] = [...terminalStatuses, 'partially_completed'];

async function assertWorkflowInvariant(requestId: string, status: RequestStatus, context: string): Promise<void> {
  const executions = () => stack.stepFunctions.executions().filter((execution) => execution.name === requestId || execution.name.startsWith(`${requestId}-`));
  const running = () => executions().filter((execution) => execution.status === 'RUNNING');
  if (restingStatuses.includes(status)) {
    await eventually(async () => (running().length === 0 ? true : undefined), 20_000, `${context}: the run of a ${status} request to end`);
  } else {
    expect(
      running().map((execution) => execution.name),
      `${context}: a ${status} request has one running workflow`,
    ).toHaveLength(1);
  }
  const broken = executions().filter((execution) => !['RUNNING', 'SUCCEEDED'].includes(execution.status));
  expect(
    broken.map((execution) => `${execution.name} ${execution.status} ${execution.error ?? ''}`),
    context,
  ).toEqual([]);
}

/** One erasure request driven as its requester and an officer would, checked against the model at each step. */
class Driver {
  model: Model = initial;
  readonly log: string[] = [];

  private constructor(
    readonly requestId: string,
    readonly subject: Subject,
    private readonly verifyToken: string,
    private readonly statusToken: string,
    private readonly officer: Record<string, string>,
  ) {}

  static async open(): Promise<Driver> {
    const subject = subjects[nextSubject++];
    if (!subject) throw new Error('Seed more subjects: every request erases its own');
    const officer = await client.officerHeaders();
    const submitted = await client.post('/requests', { type: 'delete', email: subject.email });
    const requestId: string = submitted.body.requestId;
    const mail = await client.waitForMail(
      subject.email,
      new RegExp(`/verify#t=(${requestId}\\.[A-Za-z0-9_-]+)[\\s\\S]*/status#t=(${requestId}\\.[A-Za-z0-9_-]+)`),
    );
    const driver = new Driver(requestId, subject, mail.match[1]!, mail.match[2]!, officer);
    await driver.settled('opened');
    return driver;
  }

  private send(command: Command): Promise<{ status: number; body: any }> {
    const admin = `/admin/requests/${this.requestId}`;
    switch (command) {
      case 'verify':
        return client.post('/verify', { token: this.verifyToken });
      case 'approve':
        return client.post(`${admin}/approve`, {}, this.officer);
      case 'reject':
        return client.post(`${admin}/reject`, { reason: 'Not our customer.' }, this.officer);
      case 'cancel':
        return client.post('/cancel', { token: this.statusToken });
      case 'completeManualTask':
        return client.post(`${admin}/stores/paper-archive/complete`, { note: 'Shredded.' }, this.officer);
      case 'failManualTask':
        return client.post(`${admin}/stores/paper-archive/complete`, { outcome: 'failed', note: 'The archive room is closed.' }, this.officer);
      case 'escalate':
        return client.post(`${admin}/stores/crm-partner/escalate`, { reason: 'The processor has not answered in time.' }, this.officer);
      case 'completeProcessorTask':
        return client.post(`${admin}/stores/crm-partner/complete`, { note: 'Deleted in the partner portal.' }, this.officer);
      case 'retry':
        return client.post(`${admin}/retry`, {}, this.officer);
      case 'extend':
        return client.post(`${admin}/extend`, { reason: 'Many systems to search.', months: 1 }, this.officer);
      case 'status':
        return client.post('/status', { token: this.statusToken });
      case 'download':
        return client.post('/download', { token: this.statusToken });
    }
  }

  /** Acts, checks the answer against the model, then waits until the request is where the model says. */
  async act(command: Command): Promise<void> {
    const from = this.model;
    const { next, accepted } = modelStep(from, command);
    const answer = await this.send(command);
    const context = `${[...this.log, command].join(' > ')} (${this.requestId})`;
    this.log.push(command);
    // Accepted exactly when the model says; refused with a 4xx, never a 5xx, otherwise.
    expect(answer.status, `${context}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
    if (accepted) expect(answer.status, `${context}: ${JSON.stringify(answer.body)}`).toBe(200);
    else expect(answer.status, context).toBeGreaterThanOrEqual(400);
    this.model = next;
    await this.settled(context);
  }

  /** Waits until the request is parked where the next command acts, then checks the invariant. */
  private async settled(context: string): Promise<void> {
    const observed = await client.waitForStatus(this.requestId, this.model.status, 20_000);
    expect(observed.status, context).toBe(this.model.status);
    if (this.model.status === 'pending_approval') {
      await eventually(async () => ((await this.view()).reviewFlags ? true : undefined), 20_000, `${context}: approval to be prepared`);
    }
    if (this.model.status === 'in_progress') {
      const { paper, crm } = this.model;
      await eventually(
        async () => {
          const tasks: { storeId: string; status: string; escalatedToManual?: unknown }[] = (await this.view()).storeTasks ?? [];
          const task = (storeId: string) => tasks.find((candidate) => candidate.storeId === storeId);
          const paperReady = paper !== 'waiting' || task('paper-archive')?.status === 'waiting';
          const crmReady =
            crm === 'done' || (task('crm-partner')?.status === 'waiting' && Boolean(task('crm-partner')?.escalatedToManual) === (crm === 'escalated'));
          return paperReady && crmReady ? true : undefined;
        },
        20_000,
        `${context}: the stores to wait as the model says (${JSON.stringify(this.model)})`,
      );
    }
    await assertWorkflowInvariant(this.requestId, this.model.status, context);
  }

  async view(): Promise<any> {
    return (await client.get(`/admin/requests/${this.requestId}`, this.officer)).body;
  }

  /** Nothing of the subject was erased unless an officer approved. */
  async assertNoErasureWithoutApproval(before: Record<string, unknown[]>): Promise<void> {
    const approved = (await this.view()).events.some((event: { action: string }) => event.action === 'approved');
    if (!approved) expect(leftOf(await snapshotStores(stack), this.subject), `${this.log.join(' > ')}: no erasure without approval`).toEqual(before);
  }
}

async function snapshotOf(subject: Subject | undefined): Promise<Record<string, unknown[]>> {
  return leftOf(await snapshotStores(stack), subject!);
}

/** A way into every status an action can be tried from (submitted moves on by itself, expired only when a clock runs out). */
const pathTo: Record<string, readonly Command[]> = {
  pending_verification: [],
  pending_approval: ['verify'],
  'in_progress, both stores waiting': ['verify', 'approve'],
  'in_progress, the processor escalated': ['verify', 'approve', 'escalate'],
  partially_completed: ['verify', 'approve', 'failManualTask', 'escalate', 'completeProcessorTask'],
  completed: ['verify', 'approve', 'completeManualTask', 'escalate', 'completeProcessorTask'],
  rejected: ['verify', 'reject'],
  cancelled: ['cancel'],
};

const sameModel = (a: Model, b: Model) => a.status === b.status && a.paper === b.paper && a.crm === b.crm;

describe('the workflow against a model of the request lifecycle', () => {
  it('tries every officer and requester action from every reachable status, and no action strands a request', async () => {
    const tried = new Set<string>();
    for (const [situation, path] of Object.entries(pathTo)) {
      // Actions that leave the request where it is are tried one after another on one request;
      // each action that moves it on gets a request of its own.
      const at = path.reduce((model, command) => modelStep(model, command).next, initial);
      const staying = commands.filter((command) => sameModel(modelStep(at, command).next, at));
      const moving = commands.filter((command) => !staying.includes(command));
      const runs: Command[][] = moving.length ? moving.map((command, index) => (index === 0 ? [...staying, command] : [command])) : [staying];
      for (const actions of runs) {
        const before = await snapshotOf(subjects[nextSubject]);
        const driver = await Driver.open();
        for (const command of path) await driver.act(command);
        expect(driver.model.status, situation).toBe(at.status);
        for (const command of actions) {
          await driver.act(command);
          tried.add(`${at.status}:${command}`);
        }
        await driver.assertNoErasureWithoutApproval(before);
      }
    }
    const reachable = [...new Set(Object.values(pathTo).map((path) => path.reduce((model, command) => modelStep(model, command).next, initial).status))];
    expect(reachable.sort()).toEqual(requestStatuses.filter((status) => status !== 'submitted' && status !== 'expired').sort());
    for (const status of reachable) for (const command of commands) expect(tried.has(`${status}:${command}`), `${command} tried in ${status}`).toBe(true);
  }, 300_000);

  it('approving a partially completed request is refused with 409, changes nothing, and the retry still works', async () => {
    const driver = await Driver.open();
    for (const command of pathTo.partially_completed!) await driver.act(command);
    const before = await driver.view();
    expect(before.status).toBe('partially_completed');

    const officer = await client.officerHeaders();
    const approval = await client.post(`/admin/requests/${driver.requestId}/approve`, {}, officer);
    expect(approval.status).toBe(409);
    expect(approval.body.error).toMatch(/partially_completed; only a request waiting for a decision/);
    const after = await driver.view();
    expect(after.status).toBe('partially_completed');
    expect(after.events).toEqual(before.events);
    await assertWorkflowInvariant(driver.requestId, 'partially_completed', 'after the refused approval');

    await driver.act('retry');
    expect(
      stack.stepFunctions.executions().filter((execution) => execution.name === `${driver.requestId}-retry-1` && execution.status === 'RUNNING'),
    ).toHaveLength(1);
    await driver.act('completeManualTask');
    expect(driver.model.status).toBe('completed');
  }, 120_000);

  it('never diverges from the model over random sequences of actions, never erases without approval, and keeps terminal states terminal', async () => {
    /**
     * Each step is drawn against the model as it stands then: three times in four an action that
     * carries the request on without ending it (so runs get past approval, into partial results
     * and retries), else any action at all, withdrawals and rejections included. `pick` chooses
     * among the candidates, so a shrunk run stays meaningful.
     */
    const step = fc.record({ moveOn: fc.integer({ min: 0, max: 3 }).map((value) => value > 0), pick: fc.nat() });
    const visited = new Set<RequestStatus>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 14 }), async (steps) => {
        const before = await snapshotOf(subjects[nextSubject]);
        const driver = await Driver.open();
        for (const { moveOn, pick } of steps) {
          const onward = commands.filter((command) => {
            const { next } = modelStep(driver.model, command);
            return !sameModel(next, driver.model) && next.status !== 'rejected' && next.status !== 'cancelled';
          });
          const candidates = moveOn && onward.length ? onward : commands;
          await driver.act(candidates[pick % candidates.length]!);
          visited.add(driver.model.status);
        }
        await driver.assertNoErasureWithoutApproval(before);
      }),
      { seed: 20261123, numRuns: 12, endOnFailure: true },
    );
    // The runs got past approval: into partial results, completions and the ends.
    for (const status of ['in_progress', 'partially_completed', 'completed'] as const) expect(visited.has(status), `a run reached ${status}`).toBe(true);
  }, 300_000);
});
