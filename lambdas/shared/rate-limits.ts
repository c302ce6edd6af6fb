import type { LimitRule } from '../ports/abuse-guard.ts';
import { HttpError, type HttpEvent } from './http.ts';
import {
  emailVerificationsLimit,
  emailVerificationsWindowSeconds,
  ipSubmissionsLimit,
  ipSubmissionsWindowSeconds,
  ipTokenPostsLimit,
  ipTokenPostsWindowSeconds,
  readSetting,
  submissionAnswerFloorMs,
  submissionDedupeWindowSeconds,
} from './settings.ts';

/**
 * Limits of the public routes, read on every call (settings.ts: names, defaults, deploy path).
 * Defaults: per source IP 20 submissions and 60 token posts per 10 minutes; per canonical email 3
 * verification mails per 24 hours; identical submissions within 10 minutes are one request; a
 * submission is answered no sooner than 400 ms after it arrived.
 */
export const ipSubmissionsRule = (): LimitRule => ({
  kind: 'ip-submit',
  limit: readSetting(ipSubmissionsLimit),
  windowSeconds: readSetting(ipSubmissionsWindowSeconds),
});
export const ipTokenPostsRule = (): LimitRule => ({
  kind: 'ip-token',
  limit: readSetting(ipTokenPostsLimit),
  windowSeconds: readSetting(ipTokenPostsWindowSeconds),
});
export const emailVerificationsRule = (): LimitRule => ({
  kind: 'email-verification',
  limit: readSetting(emailVerificationsLimit),
  windowSeconds: readSetting(emailVerificationsWindowSeconds),
});
export const submissionDedupeSeconds = (): number => readSetting(submissionDedupeWindowSeconds);
/**
 * A submission past the per-email limit, or repeating one already held, does less work than a new
 * request: answering all of them no sooner than this keeps the time from telling them apart.
 */
export const submissionAnswerFloor = (): number => readSetting(submissionAnswerFloorMs);

/** Waits until `floorMs` after `startedAt`: a quick outcome is not told apart from a slow one by the time it takes. */
export async function answerNoSoonerThan(
  startedAt: number,
  floorMs: number,
  clock: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = realSleep,
): Promise<void> {
  const wait = startedAt + floorMs - clock();
  if (wait > 0) await sleep(wait);
}

const realSleep = (ms: number) => new Promise<void>((resume) => setTimeout(resume, ms));

/** The caller's address as the gateway saw the connection (API Gateway and the local gateway alike); never a header. */
export function sourceIpOf(event: HttpEvent): string {
  return event.requestContext?.http?.sourceIp || 'unknown';
}

/** Counts this call against the caller's IP; over the limit, a 429 with Retry-After. */
export async function enforceIpLimit(
  guard: { consume: (rule: LimitRule, key: string) => Promise<{ allowed: boolean; retryAfterSeconds: number }> },
  rule: LimitRule,
  event: HttpEvent,
): Promise<void> {
  const decision = await guard.consume(rule, sourceIpOf(event));
  if (!decision.allowed) {
    throw new HttpError(429, 'Too many requests from your network. Please try again later.', undefined, { 'retry-after': String(decision.retryAfterSeconds) });
  }
}
