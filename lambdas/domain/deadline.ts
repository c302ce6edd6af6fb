/**
 * The statutory clock. GDPR Art. 12(3): one month from receipt, extendable by two further months
 * (Regulation 1182/71: the period ends on the same day of the month, or the month's last day if
 * that day does not exist). CCPA (Cal. Civ. Code 1798.130): 45 days, extendable once by 45.
 */
export const jurisdictionPolicies = {
  gdpr: { label: 'GDPR', base: { months: 1 }, maxExtension: { months: 2 }, extensionsAllowed: 2 },
  // CCPA regulations (11 CCR 7021): confirm receipt within 10 business days.
  ccpa: { label: 'CCPA/CPRA', base: { days: 45 }, maxExtension: { days: 45 }, extensionsAllowed: 1, receiptConfirmationBusinessDays: 10 },
} as const satisfies Record<string, JurisdictionPolicy>;

export interface Period {
  readonly months?: number;
  readonly days?: number;
}

export interface JurisdictionPolicy {
  readonly label: string;
  readonly base: Period;
  /** The most all extensions together may add to the base period. */
  readonly maxExtension: Period;
  /** How many separate extensions may be decided (GDPR: one month, then another; CCPA: once). */
  readonly extensionsAllowed: number;
  /** Business days within which receipt must be confirmed, where the law asks for it. */
  readonly receiptConfirmationBusinessDays?: number;
}

export type Jurisdiction = keyof typeof jurisdictionPolicies;

export const jurisdictions = Object.keys(jurisdictionPolicies) as Jurisdiction[];

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return typeof value === 'string' && value in jurisdictionPolicies;
}

/** Adds calendar months in UTC, clamping to the last day of the target month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

export function addPeriod(date: Date, period: Period): Date {
  return addDays(addMonths(date, period.months ?? 0), period.days ?? 0);
}

/** The due date: the end of the last day of the period, so a request received at 09:00 is due by 23:59:59.999 UTC. */
export function dueDate(receivedAt: Date, jurisdiction: Jurisdiction): Date {
  return endOfDay(addPeriod(receivedAt, jurisdictionPolicies[jurisdiction].base));
}

/** The latest due date any extension may reach. */
export function latestExtendedDueDate(receivedAt: Date, jurisdiction: Jurisdiction): Date {
  const policy = jurisdictionPolicies[jurisdiction];
  return endOfDay(addPeriod(addPeriod(receivedAt, policy.base), policy.maxExtension));
}

/**
 * Adds business days (Monday to Friday, UTC; public holidays are not modelled, so the result is
 * never later than the legal one). Counting starts the day after `date`: a Friday plus 1 is Monday.
 */
export function addBusinessDays(date: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('addBusinessDays counts whole days forward');
  let result = new Date(date.getTime());
  let left = days;
  while (left > 0) {
    result = addDays(result, 1);
    const weekday = result.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return result;
}

/** By when receipt of the request must be confirmed (end of that day, UTC); undefined where the policy asks for nothing. */
export function receiptConfirmationDue(receivedAt: Date, jurisdiction: Jurisdiction): Date | undefined {
  const policy: JurisdictionPolicy = jurisdictionPolicies[jurisdiction];
  return policy.receiptConfirmationBusinessDays === undefined ? undefined : endOfDay(addBusinessDays(receivedAt, policy.receiptConfirmationBusinessDays));
}

export function endOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59, 999));
}

/** Whole days from `now` until `due`; negative once overdue. */
export function daysLeft(due: Date, now: Date): number {
  return Math.floor((due.getTime() - now.getTime()) / 86_400_000);
}
