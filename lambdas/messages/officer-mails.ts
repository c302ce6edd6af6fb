import type { ReminderKind } from '../domain/reminders.ts';
import type { RequestType } from '../domain/request.ts';
import type { RequestStatus } from '../domain/status.ts';
import { escapeHtml, type MailBody } from './layout.ts';

/** One request in a reminder: ids, type, status and dates only (never the requester's address). */
export interface ReminderItem {
  readonly requestId: string;
  readonly type: RequestType;
  readonly status: RequestStatus;
  readonly jurisdiction: string;
  /** The date the reminder is about: the due date, or when receipt must be confirmed. */
  readonly dueAt: string;
}

const wording: Record<ReminderKind, { subject: (count: number) => string; lead: string }> = {
  receipt_unconfirmed: {
    subject: (count) => `Receipt not yet confirmed: ${count} privacy request${count === 1 ? '' : 's'}`,
    lead: 'The policy of these requests requires us to confirm receipt to the requester within 10 business days, and no confirmation is recorded. Check that the verification mail went out (and resend it if needed) before the date below.',
  },
  due_soon: {
    subject: (count) => `Due within 7 days: ${count} privacy request${count === 1 ? '' : 's'}`,
    lead: 'These requests must be answered within the next 7 days. Approve, reject or extend them (with a reason) in the console.',
  },
  due_tomorrow: {
    subject: (count) => `Due tomorrow: ${count} privacy request${count === 1 ? '' : 's'}`,
    lead: 'These requests are due by the end of tomorrow (UTC) at the latest. They need a decision now.',
  },
  overdue: {
    subject: (count) => `OVERDUE: ${count} privacy request${count === 1 ? '' : 's'} past the statutory deadline`,
    lead: 'Escalation: these requests are past their statutory due date. Answer them without further delay and record why they were late.',
  },
};

const formatDate = (iso: string) => `${iso.slice(0, 10)} (UTC)`;

/** The one mail officers receive for one reminder event across requests. */
export function reminderMail(kind: ReminderKind, items: readonly ReminderItem[], consoleUrl?: string): MailBody {
  const { subject, lead } = wording[kind];
  const lines = items.map(
    (item) =>
      `${item.requestId}: ${item.type}, ${item.status.replace(/_/g, ' ')}, ${item.jurisdiction.toUpperCase()}, ${kind === 'receipt_unconfirmed' ? 'confirm receipt by' : 'due'} ${formatDate(item.dueAt)}`,
  );
  const footer = 'Sent by dsr-workflow once per request and event; it will not repeat this reminder.';
  const text = [lead, '', ...lines, '', ...(consoleUrl ? [`Console: ${consoleUrl}`, ''] : []), footer].join('\n');
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:44rem;margin:auto;padding:1rem">
<h1 style="font-size:1.2rem">${escapeHtml(subject(items.length))}</h1>
<p>${escapeHtml(lead)}</p>
<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>
${consoleUrl ? `<p><a href="${escapeHtml(consoleUrl)}">Open the console</a></p>` : ''}
<p style="font-size:.8rem;color:#52606d">${escapeHtml(footer)}</p>
</body></html>`;
  return { subject: subject(items.length), text, html };
}
