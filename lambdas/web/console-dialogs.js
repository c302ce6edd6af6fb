// @ts-check
// The console's modal dialogs: each opens empty, says what is wrong next to the field, posts its
// form and gives focus back to what opened it.

import { api } from './console-api.js';
import { clearAlert, errorText, setBusy } from './console-dom.js';
import { $ } from './elements.js';

/** @type {Element | null} */
let dialogOpener = null;

/** @param {string} id */
export function openDialog(id) {
  clearAlert();
  const dialog = $(id, HTMLDialogElement);
  dialogOpener = document.activeElement;
  dialog.querySelector('form')?.reset();
  clearErrors(dialog);
  for (const field of dialog.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  dialog.showModal();
  /** @type {HTMLElement | null} */ (dialog.querySelector('textarea, input:not([type=radio]), input[type=radio]:checked'))?.focus();
}

/** @param {HTMLElement} container */
function clearErrors(container) {
  for (const error of /** @type {NodeListOf<HTMLElement>} */ (container.querySelectorAll('.field-error'))) {
    error.hidden = true;
    error.textContent = '';
  }
}

/**
 * Shows `text` under a field, marks the field invalid and focuses it.
 * @param {string} errorId
 * @param {string} fieldId
 * @param {string} text
 */
export function dialogError(errorId, fieldId, text) {
  const error = $(errorId);
  error.textContent = text;
  error.hidden = false;
  $(fieldId).setAttribute('aria-invalid', 'true');
  $(fieldId).focus();
}

/**
 * Posts the dialog's payload; a refusal is shown under `fieldId`. Answers true once it succeeded
 * and the dialog is closed.
 * @param {HTMLDialogElement} dialog
 * @param {{ path: string, payload: unknown, errorId: string, fieldId: string, busyLabel: string }} post
 */
export async function submitDialog(dialog, { path, payload, errorId, fieldId, busyLabel }) {
  const button = dialog.querySelector('button[type=submit]');
  if (!(button instanceof HTMLButtonElement)) throw new Error(`#${dialog.id} has no submit button`);
  setBusy(button, true, busyLabel);
  const { status, body } = await api(path, { method: 'POST', body: payload });
  setBusy(button, false);
  if (status !== 200) {
    dialogError(errorId, fieldId, errorText(body, `That did not work (${status}).`));
    return false;
  }
  dialog.close();
  return true;
}

/** Every dialog's cancel button, its focus return, and errors that clear as the officer types. */
export function wireDialogs() {
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.querySelector('[data-close]')?.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      if (dialogOpener instanceof HTMLElement && dialogOpener.isConnected) dialogOpener.focus();
    });
  }
  for (const form of document.querySelectorAll('dialog form')) {
    if (!(form instanceof HTMLFormElement)) continue;
    form.addEventListener('input', (event) => {
      if (event.target instanceof Element) event.target.removeAttribute('aria-invalid');
      clearErrors(form);
    });
  }
}
