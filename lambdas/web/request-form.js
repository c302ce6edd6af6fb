// @ts-check
// The request form: checks what it can, posts JSON to /requests (with the page's language as
// `locale`), then shows the errors next to their fields or the confirmation. Opened from a
// "manage my data" link (`#intake=<token>`), it pre-fills the email address first. Every visible
// string lives in the page (#messages and the row template), which the server renders in the
// requester's language.

import { $, find, fromTemplate } from './elements.js';
import { carryOnLanguageSwitch, message, postJson, setButtonBusy, takeFragment } from './page-kit.js';

/** @typedef {{ path?: string, message: string }} Issue */
/** @typedef {{ item: HTMLElement, select: HTMLSelectElement, input: HTMLInputElement }} Row */

const form = $('request-form', HTMLFormElement);
const typeRadios = [.../** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll('input[name="type"]'))];
const email = $('email', HTMLInputElement);
const corrections = $('corrections');
const rowList = $('correction-rows');
const rowTemplate = $('correction-row-template', HTMLTemplateElement);
const addButton = $('add-correction');
const submitButton = $('submit-request');
const summary = $('error-summary');
const summaryList = $('error-summary-list');
const confirmation = $('confirmation');
const intakeNote = $('intake-note');
const notYou = $('not-you');

/**
 * What the browser may suggest in the "new value" box, per correctable field.
 * @type {Record<string, string>}
 */
const autocompleteFor = { name: 'name', phone: 'tel', address: 'street-address', company: 'organization', jobTitle: 'organization-title' };
const maxRows = rowTemplate.content.querySelectorAll('option').length;
let rowSerial = 0;
let busy = false;

const selectedType = () => typeRadios.find((radio) => radio.checked)?.value;

// --- Correction rows -------------------------------------------------------------------------

/** @returns {Row[]} */
function rows() {
  return [.../** @type {NodeListOf<HTMLElement>} */ (rowList.querySelectorAll(':scope > li'))].map((item) => ({
    item,
    select: find(item, '[data-input="field"]', HTMLSelectElement),
    input: find(item, '[data-input="value"]', HTMLInputElement),
  }));
}

/** Adds a row, wiring unique ids between labels, controls and their error slots. */
function addRow() {
  const used = new Set(rows().map((row) => row.select.value));
  const item = fromTemplate(rowTemplate);
  const prefix = `correction-${++rowSerial}`;
  for (const control of /** @type {NodeListOf<HTMLElement>} */ (item.querySelectorAll('[data-input]'))) {
    const part = control.dataset.input;
    const error = find(item, `[data-error-for="${part}"]`);
    control.id = `${prefix}-${part}`;
    error.id = `${control.id}-error`;
    control.setAttribute('aria-describedby', error.id);
    find(item, `[data-label-for="${part}"]`, HTMLLabelElement).htmlFor = control.id;
  }
  const select = find(item, '[data-input="field"]', HTMLSelectElement);
  select.value = [...select.options].find((option) => !used.has(option.value))?.value ?? select.value;
  rowList.append(item);
  renumberRows();
  return { item, select };
}

function renumberRows() {
  const all = rows();
  all.forEach(({ item, select, input }, index) => {
    for (const slot of item.querySelectorAll('[data-slot="number"]')) slot.textContent = String(index + 1);
    // An attribute, not the property: the DOM's types lack some valid tokens (organization-title).
    input.setAttribute('autocomplete', autocompleteFor[select.value] ?? 'off');
  });
  addButton.hidden = all.length >= maxRows;
}

function showCorrections() {
  const amend = selectedType() === 'amend';
  corrections.hidden = !amend;
  if (amend && rows().length === 0) addRow();
}

form.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.name === 'type') showCorrections();
  if (target instanceof Element && target.matches('[data-input="field"]')) renumberRows();
});

addButton.addEventListener('click', () => addRow().select.focus());

rowList.addEventListener('click', (event) => {
  const remove = event.target instanceof Element ? event.target.closest('[data-action="remove"]') : null;
  const item = remove?.closest('li');
  if (!item) return;
  const next = item.nextElementSibling ?? item.previousElementSibling;
  item.remove();
  renumberRows();
  (next?.querySelector('select') ?? addButton).focus();
});

// --- Errors ----------------------------------------------------------------------------------

/**
 * Where an issue's path (`email`, `corrections.1.value`...) is shown and where its link leads.
 * @param {string} path
 * @returns {{ focus?: HTMLElement, error?: HTMLElement, control?: HTMLElement }}
 */
function placeOf(path) {
  if (path === 'type') return { focus: typeRadios.find((radio) => radio.checked) ?? typeRadios[0], error: $('type-error') };
  if (path === 'email') return { focus: email, error: $('email-error'), control: email };
  const row = /^corrections\.(\d+)\.(field|value)$/.exec(path);
  const control = row && rows()[Number(row[1])]?.[row[2] === 'field' ? 'select' : 'input'];
  if (control) return { focus: control, error: $(`${control.id}-error`), control };
  if (path.startsWith('corrections')) return { focus: rows()[0]?.select ?? addButton, error: $('corrections-error') };
  return {};
}

function clearErrors() {
  summary.hidden = true;
  summaryList.replaceChildren();
  for (const error of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll('.field-error'))) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/**
 * Shows each issue beside its field (first one wins) and in the summary, then focuses the summary.
 * @param {Issue[]} issues
 */
function showErrors(issues) {
  for (const issue of issues) {
    const { focus, error, control } = placeOf(issue.path ?? '');
    if (error?.hidden) {
      error.textContent = issue.message;
      error.hidden = false;
    }
    control?.setAttribute('aria-invalid', 'true');
    const item = document.createElement('li');
    if (focus) {
      const link = document.createElement('a');
      link.href = `#${focus.id}`;
      link.textContent = issue.message;
      item.append(link);
    } else {
      item.textContent = issue.message;
    }
    summaryList.append(item);
  }
  summary.hidden = false;
  summary.focus();
}

summaryList.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
  const target = link instanceof HTMLAnchorElement ? document.getElementById(link.hash.slice(1)) : null;
  if (!target) return;
  event.preventDefault();
  (target.closest('.field') ?? target).scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
});

/**
 * What the form can tell before posting; the server checks everything again.
 * @param {string | undefined} type
 */
function validate(type) {
  /** @type {Issue[]} */
  const issues = [];
  if (!type) issues.push({ path: 'type', message: message('type-missing') });
  if (type === 'amend') {
    const all = rows();
    if (all.length === 0) issues.push({ path: 'corrections', message: message('corrections-missing') });
    const seen = new Set();
    all.forEach(({ select, input }, index) => {
      const field = select.selectedOptions[0]?.textContent?.trim() ?? select.value;
      if (seen.has(select.value)) issues.push({ path: `corrections.${index}.field`, message: message('correction-duplicate', { field }) });
      seen.add(select.value);
      if (!input.value.trim()) issues.push({ path: `corrections.${index}.value`, message: message('correction-value-missing', { field }) });
    });
  }
  if (!email.value.trim()) issues.push({ path: 'email', message: message('email-missing') });
  else if (email.validity.typeMismatch) issues.push({ path: 'email', message: message('email-invalid') });
  return issues;
}

// --- Submitting ------------------------------------------------------------------------------

/** @param {string} type */
function requestBody(type) {
  /** @type {{ type: string, email: string, corrections?: { field: string, value: string }[], locale?: string, jurisdiction?: string }} */
  const body = { type, email: email.value.trim() };
  if (type === 'amend') body.corrections = rows().map(({ select, input }) => ({ field: select.value, value: input.value.trim() }));
  const locale = document.documentElement.lang;
  if (/^[a-z]{2}(-[A-Z]{2})?$/.test(locale)) body.locale = locale;
  // Only where the settings offer both laws does the form show the choice; otherwise the default applies.
  const jurisdiction = form.querySelector('input[name="jurisdiction"]:checked');
  if (jurisdiction instanceof HTMLInputElement) body.jurisdiction = jurisdiction.value;
  return body;
}

/** @param {boolean} on */
function setBusy(on) {
  busy = on;
  setButtonBusy(submitButton, on);
  form.setAttribute('aria-busy', String(on));
}

/** @param {unknown} requestId */
function showConfirmation(requestId) {
  $('request-id').textContent = typeof requestId === 'string' ? requestId : '';
  releaseEmail();
  intakeNote.hidden = true;
  form.reset();
  form.hidden = true;
  confirmation.hidden = false;
  confirmation.focus();
}

/**
 * Issues from a 400 answer, or one summary-only issue naming what went wrong.
 * @param {import('./page-kit.js').Answer} answer
 * @returns {Issue[]}
 */
function issuesOf({ status, body }) {
  if (status === 400 && Array.isArray(body.issues) && body.issues.length > 0) {
    return body.issues.map((issue) => ({ path: String(issue.path ?? ''), message: String(issue.message ?? '') }));
  }
  if (status === 0) return [{ message: message('network-error') }];
  if (status === 429) return [{ message: message('rate-limited') }];
  if (status >= 400 && status < 500 && typeof body.error === 'string') return [{ message: body.error }];
  return [{ message: message('server-error') }];
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy) return;
  clearErrors();
  const type = selectedType();
  const problems = validate(type);
  if (!type || problems.length > 0) {
    showErrors(problems);
    return;
  }
  setBusy(true);
  const answer = await postJson('/requests', requestBody(type));
  setBusy(false);
  if (answer.status >= 200 && answer.status < 300) showConfirmation(answer.body.requestId);
  else showErrors(issuesOf(answer));
});

// --- "Manage my data" links ------------------------------------------------------------------

/** Makes the email field editable again and hides the "not you?" button. */
function releaseEmail() {
  email.readOnly = false;
  notYou.hidden = true;
}

/** @param {string} key */
function showIntakeNote(key) {
  intakeNote.textContent = message(key);
  intakeNote.hidden = false;
}

$('clear-email').addEventListener('click', () => {
  releaseEmail();
  intakeNote.hidden = true;
  email.value = '';
  email.focus();
});

/**
 * `#intake=<token>`: the organisation's signed link names the address. The server checks the
 * signature and answers the address; anything else leaves the form empty with a gentle note.
 */
async function openIntakeLink() {
  const token = takeFragment('intake');
  if (!token) return;
  carryOnLanguageSwitch('intake', token);
  const { status, body } = await postJson('/intake', { token });
  if (status === 200 && typeof body.email === 'string' && body.email.trim()) {
    if (email.value.trim() === '') email.value = body.email.trim();
    email.readOnly = true;
    notYou.hidden = false;
    showIntakeNote('intake-filled');
    (typeRadios.find((radio) => radio.checked) ?? typeRadios[0])?.focus();
  } else {
    showIntakeNote('intake-failed');
  }
}

showCorrections();
openIntakeLink();
