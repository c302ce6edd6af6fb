import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { ConflictError } from '../../lambdas/domain/errors.ts';
import type { RequestType } from '../../lambdas/domain/request.ts';
import { canTransition, type RequestStatus } from '../../lambdas/domain/status.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';
import type { ChangeOptions, StoredRequest } from '../../lambdas/ports/request-repository.ts';
import type { StoreTask, StoreTaskResult } from '../../lambdas/ports/store-task-repository.ts';
import { parseOfficerCompletion } from '../../lambdas/use-cases/complete-store-task.ts';
import { completeStoreTaskByOfficer } from '../../lambdas/use-cases/complete-store-task.ts';
import { finishRequest, type MapOutcome } from '../../lambdas/use-cases/finish-request.ts';
import { notifyRequester } from '../../lambdas/use-cases/notify-requester.ts';

const requestId = 'req_0mhz1abcdefghijk';
const at = new Date('2026-11-23T10:00:00.000Z');
const now = () => at;
const paper = storeCatalog.stores.find((store) => store.id === 'paper-archive')!;
const internalNote = 'Called Bob in legal; he thinks this requester is a vexatious litigant.';

class MemoryRequests {
  readonly items = new Map<string, StoredRequest>();
  async get(id: string) {
    return this.items.get(id);
  }
  async transition(id: string, to: RequestStatus, options: ChangeOptions = {}) {
    return this.write(id, (from) => canTransition(from, to), { ...options, set: { ...options.set, status: to } });
  }
  async update(id: string, expected: RequestStatus | readonly RequestStatus[], options: ChangeOptions) {
    return this.write(id, (from) => (typeof expected === 'string' ? [expected] : expected).includes(from), options);
  }
  private write(id: string, allowed: (from: RequestStatus) => boolean, options: ChangeOptions): StoredRequest {
    const current = this.items.get(id)!;
    if (!allowed(current.status)) throw new ConflictError(`Request ${id} is ${current.status}`);
    const appended = Object.fromEntries(
      Object.entries(options.append ?? {}).map(([key, values]) => [
        key,
        [...((current as unknown as Record<string, unknown[]>)[key] ?? []), ...(values as unknown[])],
      ]),
    );
    const next = { ...current, ...options.set, ...appended, events: [...current.events, ...(options.event ? [options.event] : [])] } as StoredRequest;
    this.items.set(id, next);
    return next;
  }
}

class MemoryStoreTasks {
  readonly items = new Map<string, StoreTask>();
  async get(_requestId: string, storeId: string) {
    return this.items.get(storeId);
  }
  async finish(_requestId: string, storeId: string, result: StoreTaskResult) {
    const task = this.items.get(storeId);
    if (task?.status !== 'waiting') return undefined;
    const next = { ...task, status: result.status, result };
    this.items.set(storeId, next);
    return next;
  }
}

/** Runs a request whose only store is the paper archive to the requester's closing mail, the officer completing the task as given. */
async function closingMail(type: RequestType, completion: Parameters<typeof completeStoreTaskByOfficer>[4]) {
  const requests = new MemoryRequests();
  const storeTasks = new MemoryStoreTasks();
  const resumed: Record<string, unknown>[] = [];
  const sent: OutgoingMail[] = [];
  requests.items.set(requestId, {
    requestId,
    type,
    status: 'in_progress',
    email: 'jane@example.com',
    emailCanonical: 'jane@example.com',
    jurisdiction: 'gdpr',
    locale: 'en',
    receivedAt: at.toISOString(),
    dueAt: '2026-12-23T23:59:59.999Z',
    updatedAt: at.toISOString(),
    storeIds: ['paper-archive'],
    events: [],
    ...(type === 'amend' ? { corrections: [{ field: 'phone', value: '+44 20 7946 0000' }] } : {}),
  } as StoredRequest);
  storeTasks.items.set('paper-archive', {
    requestId,
    storeId: 'paper-archive',
    action: type,
    status: 'waiting',
    taskToken: 'token',
    startedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    attempts: 1,
  });
  await completeStoreTaskByOfficer(
    { requests, storeTasks, taskCallbacks: { resume: async (_token, output) => void resumed.push({ ...output }), fail: async () => undefined }, now },
    requestId,
    paper,
    'officer-1',
    completion,
  );
  const objects = {
    putJson: async () => undefined,
    putText: async () => undefined,
    getJson: async () => ({ records: [] }),
    deletePrefix: async () => undefined,
  };
  const mailer = {
    send: async (mail: OutgoingMail) => {
      sent.push(mail);
      return { messageId: 'm' };
    },
  };
  await finishRequest({ requests, catalog: storeCatalog, objects: objects as never, mailer, now } as never, {
    requestId,
    type,
    outcomes: resumed as unknown as MapOutcome[],
  });
  await notifyRequester(
    { requests, mailer, catalog: storeCatalog, now, publicBaseUrl: 'https://privacy.example.com' } as never,
    { requestId },
    { exportTtlDays: 7, backupWindowDays: 35 },
  );
  return { mail: sent.at(-1)!, request: requests.items.get(requestId)! };
}

describe("an officer's internal note on a manual task", () => {
  it.each(['delete', 'amend'] as const)('never reaches the requester in the closing mail of a %s request', async (type) => {
    const { mail, request } = await closingMail(type, { outcome: 'done', note: internalNote });
    expect(mail.text).not.toContain('Bob');
    expect(mail.html).not.toContain('Bob');
    // It stays in the record, for officers: the audit trail and the store's outcome.
    expect(request.events.find((event) => event.action === 'store_done')!.detail).toContain(internalNote);
  });

  it('is kept apart from the optional message to the requester, which the mail shows on a labelled line, as written', async () => {
    const message = 'We found and shredded two signed forms; the contract itself is kept for 6 years.';
    const { mail, request } = await closingMail('delete', { outcome: 'done', note: internalNote, messageToRequester: message });
    expect(mail.text).not.toContain('Bob');
    expect(mail.text).toContain(`Signed contracts archive (paper): Message from our privacy team: “${message}”`);
    expect(request.events.find((event) => event.action === 'store_done')!.detail).toContain(`message to the requester: ${message}`);
  });
});

describe('what an officer may send to the requester', () => {
  it('is trimmed, optional, at most 1000 characters, and refuses control and invisible formatting characters', () => {
    expect(parseOfficerCompletion({ note: 'Searched the archive.' })).toMatchObject({
      success: true,
      data: { outcome: 'done', note: 'Searched the archive.' },
    });
    expect(parseOfficerCompletion({ note: 'Searched.', messageToRequester: '   ' }).data).not.toHaveProperty('messageToRequester');
    expect(parseOfficerCompletion({ note: 'Searched.', messageToRequester: '  Shredded.  ' }).data?.messageToRequester).toBe('Shredded.');
    expect(parseOfficerCompletion({ note: 'Searched.', messageToRequester: 'x'.repeat(1001) }).success).toBe(false);
    expect(parseOfficerCompletion({ note: 'Searched.', messageToRequester: 'x'.repeat(1000) }).success).toBe(true);
    const bidi = parseOfficerCompletion({ note: 'Searched.', messageToRequester: 'Done \u202Eevil' });
    expect(bidi.success).toBe(false);
    expect(bidi.error?.issues[0]?.message).toMatch(/text-direction control \(U\+202E\)/);
    expect(parseOfficerCompletion({ note: 'Searched.', messageToRequester: 'line one\nline two' }).success).toBe(false);
  });
});
