// The request form: checks what it can, posts JSON to /requests (with the page's language as
// `locale`), then shows the errors next to their fields or the confirmation. Opened from a
// "manage my data" link (`#intake=<token>`), it pre-fills the email address first. Every visible
// string lives in the page (#messages and the row template), which the server renders in the
// requester's language.

import { carryOnLanguageSwitch, message, postJson, setButtonBusy, takeFragment } from './page-kit.js';

const form = document.getElementById('request-form');
const typeRadios = [...form.querySelectorAll('input[name="type"]')];
const email = document.getElementById('email');
const corrections = document.getElementById('corrections');
const rowList = document.getElementById('correction-rows');
const rowTemplate = document.getElementById('correction-row-template');
const addButton = document.getElementById('add-correction');
const submitButton = document.getElementById('submit-request');
const summary = document.getElementById('error-summary');
const summaryList = document.getElementById('error-summary-list');
const confirmation = document.getElementById('confirmation');
const intakeNote = document.getElementById('intake-note');
const notYou = document.getElementById('not-you');

/** What the browser may suggest in the "new value" box, per correctable field. */
const autocompleteFor = { name: 'name', phone: 'tel', address: 'street-address', company: 'organization', jobTitle: 'organization-title' };
const maxRows = rowTemplate.content.querySelectorAll('option').length;
let rowSerial = 0;
let busy = false;

const selectedType = () => typeRadios.find((radio) => radio.checked)?.value;

// --- Correction rows -------------------------------------------------------------------------

function rows() {
  return [...rowList.children].map((item) => ({
    item,
    select: item.querySelector('[data-input="field"]'),
    input: item.querySelector('[data-input="value"]'),
  }));
}

/** Adds a row, wiring unique ids between labels, controls and their error slots. */
function addRow() {
  const used = new Set(rows().map((row) => row.select.value));
  const item = rowTemplate.content.firstElementChild.cloneNode(true);
  const prefix = `correction-${++rowSerial}`;
  for (const control of item.querySelectorAll('[data-input]')) {
    const part = control.dataset.input;
    const error = item.querySelector(`[data-error-for="${part}"]`);
    control.id = `${prefix}-${part}`;
    error.id = `${control.id}-error`;
    control.setAttribute('aria-describedby', error.id);
    item.querySelector(`[data-label-for="${part}"]`).htmlFor = control.id;
  }
  const select = item.querySelector('[data-input="field"]');
  select.value = [...select.options].find((option) => !used.has(option.value))?.value ?? select.value;
  rowList.append(item);
  renumberRows();
  return { item, select };
}

function renumberRows() {
  const all = rows();
  all.forEach(({ item, select, input }, index) => {
    for (const slot of item.querySelectorAll('[data-slot="number"]')) slot.textContent = String(index + 1);
    input.autocomplete = autocompleteFor[select.value] ?? 'off';
  });
  addButton.hidden = all.length >= maxRows;
}

function showCorrections() {
  const amend = selectedType() === 'amend';
  corrections.hidden = !amend;
  if (amend && rows().length === 0) addRow();
}

form.addEventListener('change', (event) => {
  if (event.target.name === 'type') showCorrections();
  if (event.target.matches('[data-input="field"]')) renumberRows();
});

addButton.addEventListener('click', () => addRow().select.focus());

rowList.addEventListener('click', (event) => {
  const remove = event.target.closest('[data-action="remove"]');
  if (!remove) return;
  const item = remove.closest('li');
  const next = item.nextElementSibling ?? item.previousElementSibling;
  item.remove();
  renumberRows();
  (next?.querySelector('select') ?? addButton).focus();
});

// --- Errors ----------------------------------------------------------------------------------

/** Where an issue's path (`email`, `corrections.1.value`...) is shown and where its link leads. */
function placeOf(path) {
  if (path === 'type') return { focus: typeRadios.find((radio) => radio.checked) ?? typeRadios[0], error: document.getElementById('type-error') };
  if (path === 'email') return { focus: email, error: document.getElementById('email-error'), control: email };
  const row = /^corrections\.(\d+)\.(field|value)$/.exec(path);
  const control = row && rows()[Number(row[1])]?.[row[2] === 'field' ? 'select' : 'input'];
  if (control) return { focus: control, error: document.getElementById(`${control.id}-error`), control };
  if (path.startsWith('corrections')) return { focus: rows()[0]?.select ?? addButton, error: document.getElementById('corrections-error') };
  return {};
}

function clearErrors() {
  summary.hidden = true;
  summaryList.replaceChildren();
  for (const error of form.querySelectorAll('.field-error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/** Shows each issue beside its field (first one wins) and in the summary, then focuses the summary. */
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
  const link = event.target.closest('a[href^="#"]');
  const target = link && document.getElementById(link.hash.slice(1));
  if (!target) return;
  event.preventDefault();
  (target.closest('.field') ?? target).scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
});

function validate(type) {
  const issues = [];
  if (!type) issues.push({ path: 'type', message: message('type-missing') });
  if (type === 'amend') {
    const all = rows();
    if (all.length === 0) issues.push({ path: 'corrections', message: message('corrections-missing') });
    const seen = new Set();
    all.forEach(({ select, input }, index) => {
      const field = select.selectedOptions[0]?.textContent.trim() ?? select.value;
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

function requestBody(type) {
  const body = { type, email: email.value.trim() };
  if (type === 'amend') body.corrections = rows().map(({ select, input }) => ({ field: select.value, value: input.value.trim() }));
  const locale = document.documentElement.lang;
  if (/^[a-z]{2}(-[A-Z]{2})?$/.test(locale)) body.locale = locale;
  // Only where the settings offer both laws does the form show the choice; otherwise the default applies.
  const jurisdiction = form.querySelector('input[name="jurisdiction"]:checked');
  if (jurisdiction) body.jurisdiction = jurisdiction.value;
  return body;
}

function setBusy(on) {
  busy = on;
  setButtonBusy(submitButton, on);
  form.setAttribute('aria-busy', String(on));
}

function showConfirmation(requestId) {
  document.getElementById('request-id').textContent = requestId ?? '';
  releaseEmail();
  intakeNote.hidden = true;
  form.reset();
  form.hidden = true;
  confirmation.hidden = false;
  confirmation.focus();
}

/** Issues from a 400 answer, or one summary-only issue naming what went wrong. */
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
  if (problems.length > 0) {
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

function showIntakeNote(key) {
  intakeNote.textContent = message(key);
  intakeNote.hidden = false;
}

document.getElementById('clear-email').addEventListener('click', () => {
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
    (typeRadios.find((radio) => radio.checked) ?? typeRadios[0]).focus();
  } else {
    showIntakeNote('intake-failed');
  }
}

showCorrections();
openIntakeLink();
