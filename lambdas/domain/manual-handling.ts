import { ConflictError, ValidationError } from './errors.ts';
import type { StoreKind } from './store-catalog.ts';

/**
 * When a processor (a webhook store) does not answer, an officer may take its task over by hand.
 * That takes an explicit escalation with a reason first, recorded on the store task and in the
 * audit trail, so an officer's completion can never pass for the processor's automated answer.
 */
export interface ManualEscalation {
  readonly at: string;
  /** The officer's subject id from the identity provider. */
  readonly by: string;
  readonly reason: string;
}

export const escalationReasonLength = { min: 10, max: 1000 } as const;

/** The officer's reason for taking a processor's task over: trimmed, 10 to 1000 characters. */
export function parseEscalationReason(body: unknown): string {
  const raw = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
  const reason = typeof raw === 'string' ? raw.trim() : '';
  const { min, max } = escalationReasonLength;
  if (reason.length < min || reason.length > max) {
    const message = `an escalation needs a reason of ${min} to ${max} characters`;
    throw new ValidationError(`reason: ${message}`, [{ path: 'reason', message }]);
  }
  return reason;
}

/** What an officer may do by hand with a store's waiting task, as the store task stands. */
export interface HandledTask {
  readonly status: string;
  readonly escalatedToManual?: ManualEscalation;
}

/** Only a processor still waiting for its own answer can be escalated, and only once. */
export function assertEscalable(storeId: string, kind: StoreKind, task: HandledTask | undefined): void {
  if (kind !== 'webhook') throw new ConflictError(`Store ${storeId} is not a processor: only a processor's task is escalated to manual handling`);
  if (task?.status !== 'waiting') throw new ConflictError(`Store ${storeId} is not waiting for its processor on this request`);
  if (task.escalatedToManual) throw new ConflictError(`Store ${storeId} was already escalated to manual handling`);
}

/**
 * A manual system's waiting task is the officer's to complete; a processor's only after it was
 * escalated to manual handling (it is then recorded as done by hand, `completedBy: 'officer'`).
 */
export function assertOfficerMayComplete(storeId: string, kind: StoreKind, task: HandledTask | undefined): void {
  if (kind !== 'manual' && kind !== 'webhook') throw new ConflictError(`Store ${storeId} runs on its own: there is nothing to complete by hand`);
  if (task?.status !== 'waiting') throw new ConflictError(`Store ${storeId} is not waiting for an officer on this request`);
  if (kind === 'webhook' && !task.escalatedToManual) {
    throw new ConflictError(`Store ${storeId} waits for its processor's answer: escalate it to manual handling, with a reason, before completing it by hand`);
  }
}
