import { ConflictError, RequestNotFoundError } from '../domain/errors.ts';
import type { DsrRequest } from '../domain/request.ts';
import { dueReminders, reminderKinds, type ReminderKind } from '../domain/reminders.ts';
import { unfinishedStatuses } from '../domain/status.ts';
import { reminderMail, type ReminderItem } from '../messages/officer-mails.ts';
import type { Dependencies } from '../ports/dependencies.ts';
import { logger } from '../shared/logger.ts';

export interface ReminderRun {
  /** Requests looked at. */
  readonly checked: number;
  /** Reminder events claimed and mailed, per kind. */
  readonly sent: Partial<Record<ReminderKind, string[]>>;
}

/**
 * The scheduled reminder run (hourly in AWS, a timer locally): every request whose clock runs
 * (open or in progress, every page of each status), the reminders it has reached
 * (`dueReminders`), each claimed on the request BEFORE anything is mailed: one conditional write
 * appends the event's key to `remindersSent` only if it is not there yet, with an audit event.
 * Of two concurrent runs, one claims each event; the other skips it. Then one mail per kind goes
 * to the officers' address, naming the requests it claimed (ids, types, statuses, dates; never
 * the requester's address). A mail that fails after its claims leaves those events unsent: the
 * failure is logged as an error (and the function's error alarm fires) rather than risking a
 * reminder twice.
 */
export async function sendReminders(deps: Pick<Dependencies, 'requests' | 'mailer' | 'now' | 'publicBaseUrl'>, officerEmail: string): Promise<ReminderRun> {
  const at = deps.now();
  const claimed = new Map<ReminderKind, ReminderItem[]>();
  let checked = 0;
  for (const status of unfinishedStatuses) {
    let cursor: string | undefined;
    do {
      const page = await deps.requests.listByStatus(status, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const request of page.items) {
        checked += 1;
        for (const reminder of dueReminders(request, at)) {
          if (await claim(deps, request, reminder.key, reminder.kind, at)) {
            const items = claimed.get(reminder.kind) ?? [];
            items.push({ requestId: request.requestId, type: request.type, status: request.status, jurisdiction: request.jurisdiction, dueAt: reminder.dueAt });
            claimed.set(reminder.kind, items);
          }
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  const sent: Partial<Record<ReminderKind, string[]>> = {};
  const consoleUrl = deps.publicBaseUrl ? `${deps.publicBaseUrl}/console` : undefined;
  let failures = 0;
  for (const kind of reminderKinds) {
    const items = claimed.get(kind);
    if (!items?.length) continue;
    items.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    try {
      await deps.mailer.send({ to: officerEmail, requestId: `reminders-${kind}`, ...reminderMail(kind, items, consoleUrl) });
      sent[kind] = items.map((item) => item.requestId);
    } catch (error) {
      failures += 1;
      logger.error('A reminder mail was not sent; its events stay claimed', {
        kind,
        requests: items.map((item) => item.requestId),
        errorName: (error as Error).name,
      });
    }
  }
  logger.info('Reminder run', { checked, sent });
  if (failures) throw new Error(`${failures} reminder mail(s) could not be sent`);
  return { checked, sent };
}

/** Claims one reminder event; false when another run claimed it first or the request moved on. */
async function claim(deps: Pick<Dependencies, 'requests'>, request: DsrRequest, key: string, kind: ReminderKind, at: Date): Promise<boolean> {
  try {
    await deps.requests.update(request.requestId, request.status, {
      append: { remindersSent: [key] },
      require: [
        { attribute: 'remindersSent', notContains: key },
        // Planned from this due date: an extension meanwhile makes the event moot.
        { attribute: 'dueAt', equals: request.dueAt },
      ],
      event: { at: at.toISOString(), actor: 'system', action: 'reminder_sent', detail: kind },
    });
    return true;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof RequestNotFoundError) return false;
    throw error;
  }
}
