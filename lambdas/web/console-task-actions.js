// @ts-check
// What an officer does with one store's task: complete a manual task (or a processor's, once
// escalated), with an optional message to the requester previewed exactly as the closing mail will
// carry it, or take a processor's waiting task over by hand.
//
// Like console-actions.js, this module and console-detail.js import each other; neither calls the
// other while it loads.

import { guarded } from './console-api.js';
import { showChanged } from './console-detail.js';
import { dialogError, openDialog, submitDialog } from './console-dialogs.js';
import { el } from './console-dom.js';
import { $ } from './elements.js';

/** @import { RequestDetail, RequesterWords, StoreTask } from './console-api.js' */

/**
 * The task the open dialog settles; `storeName` is the store's name as the requester's mail gives it.
 * @type {{ request: RequestDetail, storeId: string, storeName: string } | undefined}
 */
let acting;

/** @param {{ request: RequestDetail, storeId: string }} task */
const taskPath = ({ request, storeId }) => `/admin/requests/${encodeURIComponent(request.requestId)}/stores/${encodeURIComponent(storeId)}`;

/**
 * @param {RequestDetail} request
 * @param {string} storeId
 * @param {StoreTask} task
 */
export function openComplete(request, storeId, task) {
  acting = { request, storeId, storeName: task.storeName ?? storeId };
  openDialog('complete-dialog');
  $('complete-title').textContent = `Complete the ${storeId} task`;
  $('complete-instructions').textContent = task.note ?? '';
  // Emptied, not only hidden, for a manual store: the note field's description names this paragraph.
  const processor = (task.storeKind ?? task.kind) === 'webhook';
  $('complete-by-hand').textContent = processor
    ? `This is a processor's task, escalated to manual handling. Completing it records the processor's part as done by hand by you, not as ${storeId}'s own answer, in the outcome and the audit trail; the requester is told so.`
    : '';
  $('complete-by-hand').hidden = !processor;
  updateMessagePreview();
  $('complete-note').focus();
}

/**
 * The closing mail's words around an officer's message, for a request whose detail lacks them
 * (the detail gives them in the request's language).
 * @type {RequesterWords}
 */
const englishMessageWords = { officerMessage: 'Message from our privacy team', colon: ': ', storeNames: {} };
const maxMessageLength = 1000;
/** What the server refuses in a message to the requester: line breaks, control and invisible formatting characters. */
const unsafeMessageCharacter = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Shows the officer the line the requester's closing mail will carry, exactly as it will be sent. */
function updateMessagePreview() {
  const messageField = $('complete-message', HTMLTextAreaElement);
  const message = messageField.value.trim();
  const failed = new FormData($('complete-form', HTMLFormElement)).get('outcome') === 'failed';
  messageField.disabled = failed;
  const preview = $('complete-message-preview');
  preview.replaceChildren();
  if (failed)
    preview.append(el('span', { text: 'A task that could not be done sends the requester nothing: the store fails and the request waits for a retry.' }));
  else if (!message) preview.append(el('span', { text: "No message: the closing mail only gives this store's result. Your internal note is never sent." }));
  else if (acting) {
    const words = acting.request.requesterWords ?? englishMessageWords;
    const name = words.storeNames[acting.storeId] ?? acting.storeName;
    const language = words.language && words.language !== 'en' ? ` (in the request's language; your text is sent as written)` : '';
    preview.append(
      el('span', { text: `The requester's closing mail will carry this line${language}:` }),
      el('span', {
        class: 'message-line',
        id: 'complete-message-line',
        lang: words.language ?? 'en',
        text: `${name}${words.colon}${words.officerMessage}${words.colon}“${message}”`,
      }),
    );
  }
}

/** @param {string} message */
function messageProblem(message) {
  if ([...message].length > maxMessageLength) return `The message to the requester is at most ${maxMessageLength} characters.`;
  if (unsafeMessageCharacter.test(message)) return 'The message to the requester must be one line, without hidden or control characters.';
  return undefined;
}

const submitComplete = guarded(async (/** @type {SubmitEvent} */ event) => {
  event.preventDefault();
  if (!acting) return;
  const note = $('complete-note', HTMLTextAreaElement).value.trim();
  if (note.length < 3) return dialogError('complete-error', 'complete-note', 'Write what you did (at least 3 characters).');
  const form = new FormData($('complete-form', HTMLFormElement));
  /** @type {{ note: string, outcome: 'done' | 'failed', messageToRequester?: string, recordCount?: number }} */
  const payload = { note, outcome: form.get('outcome') === 'failed' ? 'failed' : 'done' };
  const message = $('complete-message', HTMLTextAreaElement).value.trim();
  if (payload.outcome === 'done' && message) {
    const problem = messageProblem(message);
    if (problem) return dialogError('complete-message-error', 'complete-message', problem);
    payload.messageToRequester = message;
  }
  const count = $('complete-count', HTMLInputElement).value.trim();
  if (count !== '') {
    const recordCount = Number(count);
    if (!Number.isInteger(recordCount) || recordCount < 0)
      return dialogError('complete-error', 'complete-count', 'Records found must be a whole number, 0 or more.');
    payload.recordCount = recordCount;
  }
  const { storeId } = acting;
  const posted = await submitDialog($('complete-dialog', HTMLDialogElement), {
    path: `${taskPath(acting)}/complete`,
    payload,
    errorId: 'complete-error',
    fieldId: 'complete-note',
    busyLabel: 'Completing…',
  });
  if (posted)
    await showChanged(
      `The ${storeId} task is recorded as ${payload.outcome}${payload.messageToRequester ? '; your message goes to the requester with the closing mail' : ''}.`,
    );
});

/** The same bounds as the API's (domain/manual-handling.ts), counted after trimming. */
const escalationReasonLength = { min: 10, max: 1000 };

/**
 * @param {RequestDetail} request
 * @param {string} storeId
 * @param {StoreTask} task
 */
export function openEscalate(request, storeId, task) {
  acting = { request, storeId, storeName: task.storeName ?? storeId };
  openDialog('escalate-dialog');
  $('escalate-title').textContent = `Escalate the ${storeId} task to manual handling`;
  $('escalate-asked').textContent = task.note ?? '';
  $('escalate-asked').hidden = !task.note;
  $('escalate-reason').focus();
}

const submitEscalate = guarded(async (/** @type {SubmitEvent} */ event) => {
  event.preventDefault();
  if (!acting) return;
  const reason = $('escalate-reason', HTMLTextAreaElement).value.trim();
  const { min, max } = escalationReasonLength;
  if (reason.length < min)
    return dialogError('escalate-error', 'escalate-reason', `Write why you take this task over (at least ${min} characters; ${reason.length} so far).`);
  if (reason.length > max) return dialogError('escalate-error', 'escalate-reason', `Keep the reason to ${max} characters at most (it has ${reason.length}).`);
  const { storeId } = acting;
  const posted = await submitDialog($('escalate-dialog', HTMLDialogElement), {
    path: `${taskPath(acting)}/escalate`,
    payload: { reason },
    errorId: 'escalate-error',
    fieldId: 'escalate-reason',
    busyLabel: 'Escalating…',
  });
  if (posted) await showChanged(`The ${storeId} task is escalated to manual handling. Complete it once you have done the processor's part.`);
});

export function wireTaskActions() {
  $('complete-form').addEventListener('submit', submitComplete);
  $('complete-form').addEventListener('input', updateMessagePreview);
  $('complete-form').addEventListener('change', updateMessagePreview);
  $('escalate-form').addEventListener('submit', submitEscalate);
}
