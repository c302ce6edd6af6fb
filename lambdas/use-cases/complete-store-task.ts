import { z } from 'zod';
import { ConflictError } from '../domain/errors.ts';
import { assertOfficerMayComplete } from '../domain/manual-handling.ts';
import type { StoreDefinition } from '../domain/store-catalog.ts';
import { unsafeCharacterIn } from '../domain/untrusted-text.ts';
import type { RequestRepository } from '../ports/request-repository.ts';
import type { StoreTaskRepository, StoreTaskResult } from '../ports/store-task-repository.ts';
import type { TaskCallbacks } from '../ports/workflow.ts';

/**
 * Settles a store's work that was waiting on someone else (a processor's signed callback, an
 * officer's manual task) and resumes the workflow. Only the first settlement wins: a replayed
 * callback or a second click is a ConflictError and resumes nothing. With `escalated`, only a
 * task an officer escalated to manual handling is settled.
 */
export async function completeStoreTask(
  deps: { storeTasks: Pick<StoreTaskRepository, 'finish'>; taskCallbacks: TaskCallbacks },
  requestId: string,
  storeId: string,
  result: StoreTaskResult,
  options: { readonly escalated?: true } = {},
): Promise<void> {
  const task = await deps.storeTasks.finish(requestId, storeId, result, options);
  if (!task?.taskToken) throw new ConflictError(`Store ${storeId} of request ${requestId} is not waiting for an answer`);
  await deps.taskCallbacks.resume(task.taskToken, { storeId, ...result });
}

/** The longest message an officer may send the requester with a store's result. */
export const maxMessageToRequester = 1000;

/**
 * What an officer says they did with a store's task. `note` is internal: it goes into the audit
 * trail and the store's outcome, which only officers see, never into a requester mail or report.
 * `messageToRequester` is the only text of theirs the requester reads: on a labelled line of the
 * closing mail, as written.
 */
export interface OfficerCompletion {
  readonly outcome: 'done' | 'failed';
  readonly note: string;
  readonly recordCount?: number;
  readonly messageToRequester?: string;
}

const officerCompletion = z
  .strictObject({
    outcome: z.enum(['done', 'failed']).default('done'),
    note: z.string().trim().min(3, 'a note of at least 3 characters says what was done').max(2000),
    recordCount: z.number().int().min(0).optional(),
    messageToRequester: z
      .string()
      .trim()
      .max(maxMessageToRequester, `a message to the requester is at most ${maxMessageToRequester} characters`)
      .superRefine((value, context) => {
        const unsafe = unsafeCharacterIn(value);
        if (unsafe)
          context.addIssue({ code: 'custom', message: `the message to the requester contains ${unsafe}; write it on one line, without hidden characters` });
      })
      .optional()
      .transform((value) => (value ? value : undefined)),
  })
  .refine((completion) => completion.outcome === 'done' || completion.messageToRequester === undefined, {
    message: 'a failed task sends the requester nothing: leave the message to the requester empty',
    path: ['messageToRequester'],
  })
  .transform(({ messageToRequester, ...rest }): OfficerCompletion => ({ ...rest, ...(messageToRequester ? { messageToRequester } : {}) }));

/** An officer's completion of a task as the console sends it: trimmed, limited, an empty message dropped. */
export const parseOfficerCompletion = (body: unknown) => officerCompletion.safeParse(body);

/**
 * An officer marks a waiting store task done (or failed) with a note. A manual system's task is
 * theirs to complete; a processor's only once escalated to manual handling, and it is then recorded
 * as done by hand (`completedBy: 'officer'`), in the outcome and the audit trail, never as the
 * processor's answer. Returns whether it was such a by-hand completion of a processor's task.
 */
export async function completeStoreTaskByOfficer(
  deps: {
    requests: Pick<RequestRepository, 'update'>;
    storeTasks: Pick<StoreTaskRepository, 'get' | 'finish'>;
    taskCallbacks: TaskCallbacks;
    now: () => Date;
  },
  requestId: string,
  store: Pick<StoreDefinition, 'id' | 'kind'>,
  officerId: string,
  completion: OfficerCompletion,
): Promise<{ byHand: boolean }> {
  const task = await deps.storeTasks.get(requestId, store.id);
  assertOfficerMayComplete(store.id, store.kind, task);
  const byHand = store.kind === 'webhook';
  const { outcome, note, recordCount, messageToRequester } = completion;
  const handling = byHand ? `${store.id}: settled by hand by an officer after escalation to manual handling, not by the processor's answer` : store.id;
  // Recorded before the workflow resumes: once resumed, the request may settle at once.
  await deps.requests.update(requestId, 'in_progress', {
    event: {
      at: deps.now().toISOString(),
      actor: 'officer',
      actorId: officerId,
      action: `store_${outcome}`,
      detail: [handling, `internal note: ${note}`, ...(messageToRequester ? [`message to the requester: ${messageToRequester}`] : [])].join('; '),
    },
  });
  const result: StoreTaskResult =
    outcome === 'done'
      ? { status: 'succeeded', note, ...(recordCount !== undefined ? { recordCount } : {}), ...(messageToRequester ? { messageToRequester } : {}) }
      : { status: 'failed', error: note };
  await completeStoreTask(deps, requestId, store.id, byHand ? { ...result, completedBy: 'officer' } : result, byHand ? { escalated: true } : {});
  return { byHand };
}
