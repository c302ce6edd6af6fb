import { ConflictError } from '../domain/errors.ts';
import { now, requests, type Dependencies } from '../shared/dependencies.ts';
import { taskHandler } from '../shared/task.ts';

/** The verification link was never used in time: the request ends as expired. Safe to run twice. */
export async function expireRequest(deps: Pick<Dependencies, 'requests' | 'now'>, input: { requestId: string }): Promise<{ status: string }> {
  const now = deps.now().toISOString();
  try {
    await deps.requests.transition(input.requestId, 'expired', {
      remove: ['verificationTokenHash', 'verificationExpiresAt'],
      event: { at: now, actor: 'system', action: 'expired', from: 'pending_verification', to: 'expired' },
    });
  } catch (error) {
    const current = await deps.requests.get(input.requestId);
    if (!(error instanceof ConflictError) || current?.status !== 'expired') throw error;
  }
  return { status: 'expired' };
}

export const handler = taskHandler((input: { requestId: string }) => expireRequest({ requests: requests(), now }, input));
