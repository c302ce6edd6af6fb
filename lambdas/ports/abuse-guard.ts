/** What a fixed-window counter answered: allowed, or refused until the window ends. */
export interface LimitDecision {
  readonly allowed: boolean;
  /** Seconds until the current window ends (and the counter starts afresh). */
  readonly retryAfterSeconds: number;
}

export interface LimitRule {
  /** What is counted: `ip-submit`, `ip-token`, `email-verification`... */
  readonly kind: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Counters and claims that protect the public routes. Keys (IP addresses, canonical emails) are
 * stored only as hashes.
 */
export interface AbuseGuard {
  /** Counts one use of `key` under `rule`; refused (and not counted) once the window's limit is reached. */
  consume(rule: LimitRule, key: string): Promise<LimitDecision>;
  /**
   * Claims the submission fingerprint for `requestId` for `windowSeconds`. Returns the request id
   * that holds the claim: `requestId` if this call won it, else the id of the earlier submission.
   * `isOpen` says whether an earlier holder still counts (a finished request gives its claim up).
   */
  claimSubmission(fingerprint: string, requestId: string, windowSeconds: number, isOpen: (heldBy: string) => Promise<boolean>): Promise<string>;
}
