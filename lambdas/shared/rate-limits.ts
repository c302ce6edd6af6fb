import type { LimitRule } from '../ports/abuse-guard.ts';
import { HttpError, type HttpEvent } from './http.ts';

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function zeroOrMore(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Limits of the public routes, read on every call so an operator (or a test) can change them by
 * environment. Defaults: per source IP 20 submissions and 60 token posts per 10 minutes; per
 * canonical email 3 verification mails per 24 hours; identical submissions within 10 minutes are
 * one request; a submission is answered no sooner than 400 ms after it arrived.
 */
export const rateLimits = {
  get ipSubmissions(): LimitRule {
    return { kind: 'ip-submit', limit: positive('RATE_LIMIT_IP_SUBMISSIONS', 20), windowSeconds: positive('RATE_LIMIT_IP_SUBMISSIONS_WINDOW_SECONDS', 600) };
  },
  get ipTokenPosts(): LimitRule {
    return { kind: 'ip-token', limit: positive('RATE_LIMIT_IP_TOKEN_POSTS', 60), windowSeconds: positive('RATE_LIMIT_IP_TOKEN_POSTS_WINDOW_SECONDS', 600) };
  },
  get emailVerifications(): LimitRule {
    return { kind: 'email-verification', limit: positive('RATE_LIMIT_EMAIL_VERIFICATIONS', 3), windowSeconds: positive('RATE_LIMIT_EMAIL_VERIFICATIONS_WINDOW_SECONDS', 86_400) };
  },
  get submissionDedupeSeconds(): number {
    return positive('SUBMISSION_DEDUPE_WINDOW_SECONDS', 600);
  },
  /**
   * A submission past the per-email limit, or repeating one already held, does less work than a new
   * request: answering all of them no sooner than this keeps the time from telling them apart.
   */
  get submissionAnswerFloorMs(): number {
    return zeroOrMore('SUBMISSION_ANSWER_FLOOR_MS', 400);
  },
};

/** Waits until `floorMs` after `startedAt`: a quick outcome is not told apart from a slow one by the time it takes. */
export async function answerNoSoonerThan(startedAt: number, floorMs: number, clock: () => number = Date.now, sleep: (ms: number) => Promise<void> = realSleep): Promise<void> {
  const wait = startedAt + floorMs - clock();
  if (wait > 0) await sleep(wait);
}

const realSleep = (ms: number) => new Promise<void>((resume) => setTimeout(resume, ms));

/** The caller's address as the gateway saw the connection (API Gateway and the local gateway alike); never a header. */
export function sourceIpOf(event: HttpEvent): string {
  return event.requestContext?.http?.sourceIp || 'unknown';
}

/** Counts this call against the caller's IP; over the limit, a 429 with Retry-After. */
export async function enforceIpLimit(guard: { consume: (rule: LimitRule, key: string) => Promise<{ allowed: boolean; retryAfterSeconds: number }> }, rule: LimitRule, event: HttpEvent): Promise<void> {
  const decision = await guard.consume(rule, sourceIpOf(event));
  if (!decision.allowed) {
    throw new HttpError(429, 'Too many requests from your network. Please try again later.', undefined, { 'retry-after': String(decision.retryAfterSeconds) });
  }
}
