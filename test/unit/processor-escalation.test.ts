import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStoreTaskRepository } from '../../lambdas/adapters/dynamodb-store-task-repository.ts';
import { StepFunctionsTaskCallbacks } from '../../lambdas/adapters/step-functions-workflow.ts';
import { storeCatalog } from '../../config/stores.ts';
import { buildAccessExport } from '../../lambdas/domain/access-export.ts';
import { ConflictError, ParkedTaskClosedError, ValidationError } from '../../lambdas/domain/errors.ts';
import { parseEscalationReason } from '../../lambdas/domain/manual-handling.ts';
import { localizeStore } from '../../lambdas/domain/store-catalog.ts';
import type { StoreOutcome } from '../../lambdas/domain/request.ts';
import { canTransition, type RequestStatus } from '../../lambdas/domain/status.ts';
import { renderAccessReport } from '../../lambdas/messages/access-report-html.ts';
import { escapeHtml } from '../../lambdas/messages/layout.ts';
import { accessCompletedMail, deleteCompletedMail } from '../../lambdas/messages/requester-mails.ts';
import { requesterTexts } from '../../lambdas/messages/requester-texts.ts';
import type { ChangeOptions, StoredRequest } from '../../lambdas/ports/request-repository.ts';
import type { StoreTask, StoreTaskResult } from '../../lambdas/ports/store-task-repository.ts';
import type { WorkflowInput } from '../../lambdas/ports/workflow.ts';
import { completeStoreTaskByOfficer } from '../../lambdas/use-cases/complete-store-task.ts';
import { approveRequest } from '../../lambdas/use-cases/decide-request.ts';
import { escalateStoreTask } from '../../lambdas/use-cases/escalate-store-task.ts';
import { retryRequest } from '../../lambdas/use-cases/retry-request.ts';

const requestId = 'req_0mhz1abcdefghijk';
const at = new Date('2026-11-23T10:00:00.000Z');
const crm = storeCatalog.stores.find((store) => store.id === 'crm-partner')!;
const paper = storeCatalog.stores.find((store) => store.id === 'paper-archive')!;
const accounts = storeCatalog.stores.find((store) => store.id === 'accounts')!;

/** The request table as the repository contract says: status moves along the table, requirements hold, or a ConflictError. */
class MemoryRequests {
  readonly items = new Map<string, StoredRequest>();

  async get(id: string): Promise<StoredRequest | undefined> {
    return this.items.get(id);
  }

  async transition(id: string, to: RequestStatus, options: ChangeOptions = {}): Promise<StoredRequest> {
    return this.write(id, (from) => canTransition(from, to), { ...options, set: { ...options.set, status: to } });
  }

  async update(id: string, expected: RequestStatus | readonly RequestStatus[], options: ChangeOptions): Promise<StoredRequest> {
    return this.write(id, (from) => (typeof expected === 'string' ? [expected] : expected).includes(from), options);
  }

  private write(id: string, allowed: (from: RequestStatus) => boolean, options: ChangeOptions): StoredRequest {
    const current = this.items.get(id);
    if (!current) throw new Error(`no request ${id}`);
    const fields = current as unknown as Record<string, unknown>;
    const holds = (options.require ?? []).every((requirement) =>
      'equals' in requirement
        ? fields[requirement.attribute] === requirement.equals
        : 'exists' in requirement
          ? (fields[requirement.attribute] !== undefined) === requirement.exists
          : false,
    );
    if (!allowed(current.status) || !holds) throw new ConflictError(`Request ${id} is ${current.status} and cannot be changed now`);
    const next = { ...current, ...options.set, events: [...current.events, ...(options.event ? [options.event] : [])] } as StoredRequest;
    this.items.set(id, next);
    return next;
  }
}

/** Store tasks with the conditional writes of the DynamoDB repository. */
class MemoryStoreTasks {
  readonly items = new Map<string, StoreTask>();

  async get(_requestId: string, storeId: string): Promise<StoreTask | undefined> {
    return this.items.get(storeId);
  }

  async escalate(_requestId: string, storeId: string, escalation: NonNullable<StoreTask['escalatedToManual']>): Promise<StoreTask | undefined> {
    const task = this.items.get(storeId);
    if (task?.status !== 'waiting' || task.escalatedToManual) return undefined;
    const next = { ...task, escalatedToManual: escalation };
    this.items.set(storeId, next);
    return next;
  }

  async finish(_requestId: string, storeId: string, result: StoreTaskResult, options: { escalated?: true } = {}): Promise<StoreTask | undefined> {
    const task = this.items.get(storeId);
    if (!task || !['running', 'waiting'].includes(task.status) || (options.escalated && !task.escalatedToManual)) return undefined;
    const next = { ...task, status: result.status, result };
    this.items.set(storeId, next);
    return next;
  }
}

class RecordingCallbacks {
  readonly resumed: { token: string; output: Record<string, unknown> }[] = [];
  closed = false;
  async resume(token: string, output: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.closed) throw new ParkedTaskClosedError('closed');
    this.resumed.push({ token, output: { ...output } });
  }
  async fail(): Promise<void> {
    if (this.closed) throw new ParkedTaskClosedError('closed');
  }
}

class RecordingWorkflow {
  readonly started: { input: WorkflowInput; name?: string }[] = [];
  refuse = false;
  async start(input: WorkflowInput, name?: string): Promise<void> {
    if (this.refuse) throw new Error('Step Functions is unavailable');
    this.started.push({ input, ...(name ? { name } : {}) });
  }
}

let requests: MemoryRequests;
let storeTasks: MemoryStoreTasks;
let taskCallbacks: RecordingCallbacks;
let workflow: RecordingWorkflow;
const now = () => at;

const request = (status: RequestStatus, extra: Partial<StoredRequest> = {}): StoredRequest => ({
  requestId,
  type: 'delete',
  status,
  email: 'jane@example.com',
  emailCanonical: 'jane@example.com',
  jurisdiction: 'gdpr',
  locale: 'en',
  receivedAt: at.toISOString(),
  dueAt: '2026-12-23T23:59:59.999Z',
  updatedAt: at.toISOString(),
  storeIds: ['accounts', 'crm-partner', 'paper-archive'],
  events: [],
  ...extra,
});
const waitingTask = (storeId: string, extra: Partial<StoreTask> = {}): StoreTask => ({
  requestId,
  storeId,
  action: 'delete',
  status: 'waiting',
  taskToken: `token-${storeId}`,
  startedAt: at.toISOString(),
  updatedAt: at.toISOString(),
  attempts: 1,
  ...extra,
});
const reason = 'The processor has not answered for five days.';

beforeEach(() => {
  requests = new MemoryRequests();
  storeTasks = new MemoryStoreTasks();
  taskCallbacks = new RecordingCallbacks();
  workflow = new RecordingWorkflow();
});

describe('the reason for an escalation', () => {
  it('is trimmed and must be 10 to 1000 characters', () => {
    expect(parseEscalationReason({ reason: `  ${reason}  ` })).toBe(reason);
    expect(parseEscalationReason({ reason: 'x'.repeat(1000) })).toHaveLength(1000);
    for (const body of [undefined, {}, { reason: 42 }, { reason: '   short   ' }, { reason: 'x'.repeat(1001) }]) {
      expect(() => parseEscalationReason(body), JSON.stringify(body)).toThrow(ValidationError);
    }
  });
});

describe("escalating a processor's task to manual handling", () => {
  const escalate = (store = crm, body: unknown = { reason }) => escalateStoreTask({ requests, storeTasks, now }, requestId, store, 'officer-1', body);

  it('records who, when and why on the store task, and a store_escalated audit event', async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('crm-partner', waitingTask('crm-partner'));
    const answer = await escalate();
    const escalation = { at: at.toISOString(), by: 'officer-1', reason };
    expect(answer).toEqual({ requestId, storeId: 'crm-partner', escalatedToManual: escalation });
    expect(storeTasks.items.get('crm-partner')).toMatchObject({ status: 'waiting', escalatedToManual: escalation });
    expect(requests.items.get(requestId)!.events).toEqual([
      {
        at: at.toISOString(),
        actor: 'officer',
        actorId: 'officer-1',
        action: 'store_escalated',
        detail: 'crm-partner: escalated to manual handling, the processor has not answered',
      },
    ]);
    // Nothing resumes: the workflow keeps waiting on the same task until an officer completes it.
    expect(taskCallbacks.resumed).toEqual([]);
  });

  it('is refused for a manual system, a store that runs on its own, a task not waiting, a second time, and a request not in progress', async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('paper-archive', waitingTask('paper-archive'));
    storeTasks.items.set('accounts', waitingTask('accounts', { status: 'succeeded' }));
    await expect(escalate(paper)).rejects.toThrow(/not a processor/);
    await expect(escalate(accounts)).rejects.toThrow(/not a processor/);
    await expect(escalate(crm)).rejects.toThrow(ConflictError); // no task yet

    storeTasks.items.set('crm-partner', waitingTask('crm-partner', { status: 'succeeded' }));
    await expect(escalate()).rejects.toThrow(/not waiting for its processor/);

    storeTasks.items.set('crm-partner', waitingTask('crm-partner', { escalatedToManual: { at: at.toISOString(), by: 'officer-2', reason } }));
    await expect(escalate()).rejects.toThrow(/already escalated/);

    storeTasks.items.set('crm-partner', waitingTask('crm-partner'));
    requests.items.set(requestId, request('partially_completed'));
    await expect(escalate()).rejects.toThrow(/partially_completed/);
    await expect(escalate(crm, { reason: 'short' })).rejects.toThrow(ValidationError);
    expect(requests.items.get(requestId)!.events).toEqual([]);
    expect(storeTasks.items.get('crm-partner')!.escalatedToManual).toBeUndefined();
  });
});

describe('an officer completing a store task by hand', () => {
  const complete = (store = crm, outcome: 'done' | 'failed' = 'done') =>
    completeStoreTaskByOfficer({ requests, storeTasks, taskCallbacks, now }, requestId, store, 'officer-1', {
      outcome,
      note: 'Exported from the partner portal.',
      recordCount: 3,
    });

  it("refuses a processor's task that was not escalated, and records and resumes nothing", async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('crm-partner', waitingTask('crm-partner'));
    await expect(complete()).rejects.toThrow(/escalate it to manual handling/);
    expect(storeTasks.items.get('crm-partner')!.status).toBe('waiting');
    expect(requests.items.get(requestId)!.events).toEqual([]);
    expect(taskCallbacks.resumed).toEqual([]);
  });

  it("completes an escalated processor's task as done by hand, in the outcome, the audit trail and what the workflow receives", async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('crm-partner', waitingTask('crm-partner', { escalatedToManual: { at: at.toISOString(), by: 'officer-2', reason } }));
    expect(await complete()).toEqual({ byHand: true });
    const result = { status: 'succeeded', note: 'Exported from the partner portal.', recordCount: 3, completedBy: 'officer' };
    expect(storeTasks.items.get('crm-partner')!.result).toEqual(result);
    expect(taskCallbacks.resumed).toEqual([{ token: 'token-crm-partner', output: { storeId: 'crm-partner', ...result } }]);
    const [event] = requests.items.get(requestId)!.events;
    expect(event).toMatchObject({ actor: 'officer', actorId: 'officer-1', action: 'store_done' });
    expect(event!.detail).toBe(
      "crm-partner: settled by hand by an officer after escalation to manual handling, not by the processor's answer; internal note: Exported from the partner portal.",
    );
  });

  it("completes a manual system's task as before, without escalation and without a by-hand mark", async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('paper-archive', waitingTask('paper-archive'));
    expect(await complete(paper, 'failed')).toEqual({ byHand: false });
    expect(taskCallbacks.resumed).toEqual([
      { token: 'token-paper-archive', output: { storeId: 'paper-archive', status: 'failed', error: 'Exported from the partner portal.' } },
    ]);
    expect(requests.items.get(requestId)!.events[0]).toMatchObject({
      action: 'store_failed',
      detail: 'paper-archive; internal note: Exported from the partner portal.',
    });
  });

  it('refuses a store that runs on its own', async () => {
    requests.items.set(requestId, request('in_progress'));
    storeTasks.items.set('accounts', waitingTask('accounts'));
    await expect(complete(accounts)).rejects.toThrow(/nothing to complete by hand/);
  });
});

describe('approving only a request waiting for a decision', () => {
  const approve = () => approveRequest({ requests, taskCallbacks, workflow, now }, requestId, 'officer-1');

  it('refuses a partially completed request with a 409 reason, writes nothing and leaves the retry possible', async () => {
    // A partial request still holds the approval token of its long-closed approval task.
    const partial = request('partially_completed', {
      approvalTaskToken: 'closed-approval-token',
      storeOutcomes: [{ storeId: 'paper-archive', status: 'failed', error: 'timeout', finishedAt: at.toISOString() }],
    });
    requests.items.set(requestId, partial);
    await expect(approve()).rejects.toThrow(/partially_completed; only a request waiting for a decision/);
    expect(requests.items.get(requestId)).toBe(partial);
    expect(taskCallbacks.resumed).toEqual([]);

    await retryRequest({ requests, workflow, now }, requestId, 'officer-1');
    expect(requests.items.get(requestId)!.status).toBe('in_progress');
    expect(workflow.started).toEqual([{ input: { requestId, type: 'delete', stores: ['paper-archive'], phase: 'retry' }, name: `${requestId}-retry-1` }]);
  });

  it('refuses every status but pending_approval', async () => {
    for (const status of ['submitted', 'pending_verification', 'in_progress', 'completed', 'rejected', 'cancelled', 'expired'] as const) {
      requests.items.set(requestId, request(status, { approvalTaskToken: 'token' }));
      await expect(approve(), status).rejects.toThrow(ConflictError);
      expect(requests.items.get(requestId)!.status).toBe(status);
    }
  });

  it('starts the run itself when the approval window closed as the officer approved', async () => {
    requests.items.set(requestId, request('pending_approval', { approvalTaskToken: 'approval-token' }));
    taskCallbacks.closed = true;
    expect((await approve()).status).toBe('in_progress');
    expect(workflow.started).toEqual([
      { input: { requestId, type: 'delete', stores: ['accounts', 'crm-partner', 'paper-archive'], phase: 'retry' }, name: `${requestId}-approved` },
    ]);
  });
});

describe('a retry whose run cannot start', () => {
  it('goes back to partially_completed, so the next retry is possible', async () => {
    requests.items.set(
      requestId,
      request('partially_completed', { storeOutcomes: [{ storeId: 'paper-archive', status: 'failed', error: 'timeout', finishedAt: at.toISOString() }] }),
    );
    workflow.refuse = true;
    await expect(retryRequest({ requests, workflow, now }, requestId, 'officer-1')).rejects.toThrow(/unavailable/);
    const after = requests.items.get(requestId)!;
    expect(after.status).toBe('partially_completed');
    expect(after.events.map((event) => event.action)).toEqual(['retried', 'retry_not_started']);
    workflow.refuse = false;
    await retryRequest({ requests, workflow, now }, requestId, 'officer-1');
    expect(workflow.started.map((start) => start.name)).toEqual([`${requestId}-retry-2`]);
  });
});

describe('what the requester is told of a processor handled by hand', () => {
  const byHand = (language: 'en' | 'fr' | 'de' | 'es') => requesterTexts(language).handledByHand;
  const outcomes: StoreOutcome[] = [
    { storeId: 'accounts', status: 'succeeded', deleted: 1, recordCount: 1, finishedAt: at.toISOString() },
    { storeId: 'crm-partner', status: 'succeeded', note: 'Deleted in the partner portal.', completedBy: 'officer', finishedAt: at.toISOString() },
  ];

  it('says so for that store in the closing mail, in the request language, and only for that store', () => {
    for (const language of ['en', 'fr', 'de', 'es'] as const) {
      const mail = deleteCompletedMail({ requestId, locale: language, outcomes, stores: storeCatalog.stores, backupDays: 35 });
      expect(
        mail.text.split('\n').filter((line) => line.includes(byHand(language).mailLine)),
        language,
      ).toEqual([expect.stringContaining(localizeStore(crm, language).name)]);
    }
    const access = accessCompletedMail({
      requestId,
      link: 'https://privacy.example.com/download#t=x',
      expiresAt: at.toISOString(),
      outcomes,
      storeNames: { 'crm-partner': crm.name },
    });
    expect(access.text).toContain(`${crm.name}: 0 records (${byHand('en').mailLine})`);
  });

  it('marks the store in the export and says so in the report', () => {
    const document = buildAccessExport({
      request: { requestId, receivedAt: at.toISOString(), email: 'jane@example.com', jurisdiction: 'gdpr' },
      stores: [accounts, crm],
      outcomes,
      recordsByStore: new Map([['accounts', [{ customerId: 'C-1' }]]]),
      generatedAt: at,
      rights: [],
      language: 'en',
    });
    expect(document.stores.find((store) => store.storeId === 'crm-partner')).toMatchObject({ status: 'sent_separately', handledByHand: true, records: [] });
    expect(document.stores.find((store) => store.storeId === 'accounts')).not.toHaveProperty('handledByHand');
    expect(renderAccessReport(document)).toContain(escapeHtml(byHand('en').report));
  });
});

describe('the adapters', () => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const dynamo = mockClient(documents);
  const repository = new DynamoDbStoreTaskRepository(documents, 'requests', now);
  beforeEach(() => dynamo.reset());

  it('escalate: one conditional write on a waiting task not yet escalated; undefined when that no longer holds', async () => {
    const escalation = { at: at.toISOString(), by: 'officer-1', reason };
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { pk: `REQUEST#${requestId}`, sk: 'STORE#crm-partner', ...waitingTask('crm-partner'), escalatedToManual: escalation } });
    expect(await repository.escalate(requestId, 'crm-partner', escalation)).toMatchObject({ storeId: 'crm-partner', escalatedToManual: escalation });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('#status = :waiting AND attribute_not_exists(#escalated)');
    expect(input.ExpressionAttributeValues![':escalation']).toEqual(escalation);

    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await repository.escalate(requestId, 'crm-partner', escalation)).toBeUndefined();
  });

  it('finish with `escalated` settles only an escalated task; a new run clears an earlier escalation', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await repository.finish(requestId, 'crm-partner', { status: 'succeeded', completedBy: 'officer' }, { escalated: true })).toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe('#status IN (:running, :waiting) AND attribute_exists(#escalated)');

    dynamo.reset();
    dynamo
      .on(UpdateCommand)
      .resolves({ Attributes: { pk: `REQUEST#${requestId}`, sk: 'STORE#crm-partner', ...waitingTask('crm-partner', { status: 'running' }) } });
    await repository.finish(requestId, 'crm-partner', { status: 'succeeded' });
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe('#status IN (:running, :waiting)');
    await repository.begin(requestId, 'crm-partner', 'delete', 'token-2');
    const begin = dynamo.commandCalls(UpdateCommand)[1]!.args[0].input;
    expect(begin.UpdateExpression).toMatch(/REMOVE #note, #escalated$/);
    expect(begin.ExpressionAttributeNames!['#escalated']).toBe('escalatedToManual');
  });

  it('a task already closed answers ParkedTaskClosedError, a conflict', async () => {
    const sfnClient = new SFNClient({ region: 'us-east-1' });
    const sfn = mockClient(sfnClient);
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const closed = new StepFunctionsTaskCallbacks(sfnClient).resume('token', {});
    await expect(closed).rejects.toBeInstanceOf(ParkedTaskClosedError);
    await expect(closed).rejects.toBeInstanceOf(ConflictError);
  });
});
