import { addDays, addPeriod, dueDate, endOfDay, jurisdictionPolicies, latestExtendedDueDate, type Jurisdiction, type JurisdictionPolicy } from './deadline.ts';
import { ConflictError, ExtensionRefusedError, ValidationError } from './errors.ts';
import type { DsrRequest, Extension } from './request.ts';
import { unfinishedStatuses } from './status.ts';

/**
 * Extending the due date, within the jurisdiction's policy:
 * - GDPR Art. 12(3): by up to two further months in total (one month, then another, or both at
 *   once), and the requester must be told, with the reasons, within the first month: the
 *   extension is decided before the original due date.
 * - CCPA (Cal. Civ. Code 1798.130(a)(2)): once, by up to 45 days, with notice within the first
 *   45 days.
 * The new due date never goes beyond `latestExtendedDueDate`.
 */
export interface ExtensionAsk {
  readonly reason: string;
  readonly months?: number;
  readonly days?: number;
}

export interface PlannedExtension {
  readonly dueAt: string;
  /** What this extension adds, for the audit trail: "1 month", "30 days". */
  readonly added: string;
  readonly totalMonths?: number;
  readonly totalDays?: number;
  readonly count: number;
}

/** Reads an officer's extension from a request body; a malformed one is a ValidationError naming the field. */
export function parseExtensionAsk(body: unknown): ExtensionAsk {
  const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const issues: { path: string; message: string }[] = [];
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 3 || reason.length > 2000)
    issues.push({ path: 'reason', message: 'an extension needs a reason of 3 to 2000 characters; the requester receives it' });
  if (input.months !== undefined && input.months !== 1 && input.months !== 2) issues.push({ path: 'months', message: 'months is 1 or 2' });
  if (input.days !== undefined && (typeof input.days !== 'number' || !Number.isInteger(input.days) || input.days < 1)) {
    issues.push({ path: 'days', message: 'days is a whole number of at least 1' });
  }
  if (input.months !== undefined && input.days !== undefined) issues.push({ path: 'days', message: 'give months (GDPR) or days (CCPA), not both' });
  if (issues.length) throw new ValidationError(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  return {
    reason,
    ...(input.months !== undefined ? { months: input.months as number } : {}),
    ...(input.days !== undefined ? { days: input.days as number } : {}),
  };
}

const formatDay = (date: Date) => date.toISOString().slice(0, 10);

/** The new due date for `ask`, or why the policy forbids it (ExtensionRefusedError, ConflictError for a closed request). */
export function planExtension(
  request: Pick<DsrRequest, 'requestId' | 'status' | 'receivedAt' | 'dueAt' | 'jurisdiction' | 'extension'>,
  ask: ExtensionAsk,
  now: Date,
): PlannedExtension {
  if (!unfinishedStatuses.includes(request.status)) {
    throw new ConflictError(`Request ${request.requestId} is ${request.status}: only open or in-progress requests can be extended`);
  }
  const jurisdiction: Jurisdiction = request.jurisdiction;
  const policy: JurisdictionPolicy = jurisdictionPolicies[jurisdiction];
  const receivedAt = new Date(request.receivedAt);
  const originalDue = dueDate(receivedAt, jurisdiction);
  if (now.getTime() > originalDue.getTime()) {
    throw new ExtensionRefusedError(
      `${policy.label} lets an extension be decided only within the first period, and the requester told before the original due date (${formatDay(originalDue)}), which has passed.`,
    );
  }
  const previous: Extension | undefined = request.extension;
  const count = (previous?.count ?? 0) + 1;
  if (count > policy.extensionsAllowed) {
    throw new ExtensionRefusedError(
      policy.extensionsAllowed === 1
        ? `${policy.label} allows one extension only, and this request was already extended.`
        : `${policy.label} allows at most ${policy.extensionsAllowed} extensions.`,
    );
  }

  let planned: Date;
  let added: string;
  let totals: { totalMonths?: number; totalDays?: number };
  const base = addPeriod(receivedAt, policy.base);
  if (policy.maxExtension.months !== undefined) {
    if (ask.days !== undefined) throw new ExtensionRefusedError(`${policy.label} extensions are counted in months: give months (1 or 2), not days.`);
    const already = previous?.totalMonths ?? 0;
    const months = ask.months ?? policy.maxExtension.months - already;
    const total = already + months;
    if (months < 1 || total > policy.maxExtension.months) {
      throw new ExtensionRefusedError(
        `${policy.label} allows at most ${policy.maxExtension.months} further months in total; ${already} already added, so at most ${policy.maxExtension.months - already} more.`,
      );
    }
    planned = endOfDay(addPeriod(base, { months: total }));
    added = `${months} month${months === 1 ? '' : 's'}`;
    totals = { totalMonths: total };
  } else {
    if (ask.months !== undefined)
      throw new ExtensionRefusedError(`${policy.label} extensions are counted in days: give days (at most ${policy.maxExtension.days}), not months.`);
    const max = policy.maxExtension.days ?? 0;
    const already = previous?.totalDays ?? 0;
    const days = ask.days ?? max - already;
    const total = already + days;
    if (days < 1 || total > max) throw new ExtensionRefusedError(`${policy.label} allows an extension of at most ${max} days.`);
    planned = endOfDay(addDays(base, total));
    added = `${days} day${days === 1 ? '' : 's'}`;
    totals = { totalDays: total };
  }

  const latest = latestExtendedDueDate(receivedAt, jurisdiction);
  const newDue = planned.getTime() > latest.getTime() ? latest : planned;
  if (newDue.getTime() <= new Date(request.dueAt).getTime()) {
    throw new ExtensionRefusedError(`The due date is already ${formatDay(new Date(request.dueAt))}; this extension would not move it later.`);
  }
  return { dueAt: newDue.toISOString(), added, ...totals, count };
}
