import type { ManualEscalation } from '../domain/manual-handling.ts';
import type { StoreResult } from '../domain/request.ts';

/** What one store did for one request: counts and notes only, never the records. */
export type StoreTaskResult = StoreResult;

export type StoreTaskStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

/**
 * The state of one store's work for one request, beside the request item (sk = STORE#<storeId>).
 * It holds the task token while an asynchronous store (a processor's callback, an officer's manual
 * task) works, and the result once done, so a retried task never redoes finished work.
 */
export interface StoreTask {
  readonly requestId: string;
  readonly storeId: string;
  readonly action: string;
  readonly status: StoreTaskStatus;
  readonly taskToken?: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly attempts: number;
  readonly result?: StoreTaskResult;
  /** Shown to officers while waiting: what the processor or person was asked to do. */
  readonly note?: string;
  /** An officer took a processor's unanswered task over by hand; cleared when the store runs again. */
  readonly escalatedToManual?: ManualEscalation;
}

export interface StoreTaskRepository {
  /**
   * Records that the store's work starts (or starts again) with this task token. A task already
   * finished with `succeeded` or `skipped` is returned unchanged: the caller reports its result.
   */
  begin(requestId: string, storeId: string, action: string, taskToken: string): Promise<StoreTask>;
  /** The store answered "later": keep the token for the callback or the officer. */
  markWaiting(requestId: string, storeId: string, note: string): Promise<void>;
  /**
   * Settles a running or waiting task, once: returns the task (with its token) to the caller that
   * won, and undefined to any later caller (a replayed callback, a double click). With
   * `escalated`, only a task an officer escalated (see `escalate`) is settled.
   */
  finish(requestId: string, storeId: string, result: StoreTaskResult, options?: { readonly escalated?: true }): Promise<StoreTask | undefined>;
  /** A settled task whose result can no longer be used (its collected records expired): failed with `error`, so a retry runs it again. */
  fail(requestId: string, storeId: string, error: string): Promise<void>;
  /**
   * Records that an officer takes a waiting task over by hand (`escalated: true` on `finish` then
   * requires it). Once only: undefined when the task is not waiting or already escalated.
   */
  escalate(requestId: string, storeId: string, escalation: ManualEscalation): Promise<StoreTask | undefined>;
  get(requestId: string, storeId: string): Promise<StoreTask | undefined>;
  list(requestId: string): Promise<StoreTask[]>;
  /** Deletes every store task of a request (record retention); safe to run twice. */
  removeAll(requestId: string): Promise<void>;
}
