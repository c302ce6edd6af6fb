// @ts-check
// The console's DOM helpers: elements built from text only, never HTML (every value from the API,
// and above all anything a requester typed, reaches the page through textContent), the page's
// alert and status regions, and the tables its views share.

import { $ } from './elements.js';

/** @typedef {Node | string | number | null | undefined | false} Child */
/** @typedef {string | number | boolean | null | undefined | ((event: MouseEvent) => unknown)} AttributeValue */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// Due dates are the end of a UTC day: shown in UTC so the day never shifts.
export const dueDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/**
 * An element with attributes (`class`, `text` for its text, `onclick` for a click listener; a
 * value of undefined, null or false leaves the attribute out, true sets it empty) and children.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} [attributes]
 * @param {Child | Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  /** @type {HTMLElement} */
  const element = node;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (name === 'onclick') element.addEventListener('click', value);
    } else if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * @param {string | undefined} iso
 * @param {Intl.DateTimeFormat} [format]
 */
export function timeEl(iso, format = dateTime) {
  if (!iso) return el('span', { class: 'muted', text: '—' });
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', { text: String(iso) });
  return el('time', { datetime: iso, text: format.format(date) });
}

/**
 * @param {number} count
 * @param {string} word
 */
export const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** @param {string} text */
export function announce(text) {
  const announcer = $('announcer');
  announcer.textContent = '';
  // A fresh text node after a tick makes screen readers speak a repeated message again.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

/** @param {string} text */
export function showAlert(text) {
  const alert = $('alert');
  alert.replaceChildren(el('p', { text }));
  alert.hidden = false;
}

export function clearAlert() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
  $('result').hidden = true;
}

/**
 * What an action did, visibly (and spoken: the element is a status region).
 * @param {string} text
 */
export function showResult(text) {
  const result = $('result');
  result.textContent = text;
  result.hidden = false;
}

/**
 * The API's reason (its `error` or `message`, then each issue it does not already say), or `fallback`.
 * @param {Record<string, unknown>} body
 * @param {string} fallback
 */
export function errorText(body, fallback) {
  /** @type {string[]} */
  const parts = [];
  if (typeof body.error === 'string') parts.push(body.error);
  else if (typeof body.message === 'string') parts.push(body.message);
  if (Array.isArray(body.issues)) {
    for (const issue of body.issues) if (issue && typeof issue.message === 'string' && !parts[0]?.includes(issue.message)) parts.push(issue.message);
  }
  return parts.join(' ') || fallback;
}

/**
 * @param {HTMLButtonElement} button
 * @param {boolean} busy
 * @param {string} [busyLabel]
 */
export function setBusy(button, busy, busyLabel = '') {
  if (busy) {
    button.dataset.label = button.textContent;
    button.textContent = busyLabel;
    button.setAttribute('aria-disabled', 'true');
    button.disabled = true;
  } else {
    if (button.dataset.label) button.textContent = button.dataset.label;
    button.removeAttribute('aria-disabled');
    button.disabled = false;
  }
}

/**
 * @param {string} title
 * @param {string} id the heading's id, which names the section
 * @param {Child[]} children
 * @param {string} [className]
 */
export function section(title, id, children, className = 'panel') {
  return el('section', { class: className, 'aria-labelledby': id }, [el('h2', { id, text: title }), ...children]);
}

/**
 * Term and value pairs; a pair whose value is undefined is left out.
 * @param {[string, Child | Child[]][]} pairs
 */
export function definitionList(pairs) {
  const list = el('dl', { class: 'facts' });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(el('div', {}, [el('dt', { text: term }), el('dd', {}, value)]));
  }
  return list;
}

/**
 * @param {string} caption
 * @param {string[]} headers
 * @param {HTMLTableRowElement[]} rows
 * @param {string} [className]
 */
export function table(caption, headers, rows, className = 'data') {
  const built = el('table', { class: className }, [
    el('caption', { text: caption }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((header) => el('th', { scope: 'col', text: header })),
      ),
    ),
    el('tbody', {}, rows),
  ]);
  labelCells(built);
  return el('div', { class: 'table-wrap' }, built);
}

/**
 * Gives each body cell its column's name (`data-label`): on a phone the rows become cards, each
 * cell under its label, so no column (an action, a status, a due date) is scrolled out of sight.
 * @param {HTMLElement} tableElement
 */
export function labelCells(tableElement) {
  const labels = [...tableElement.querySelectorAll('thead th')].map((header) => (header.textContent ?? '').trim());
  for (const row of tableElement.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, index) => {
      if (labels[index] && cell instanceof HTMLElement) cell.dataset.label = labels[index];
    });
  }
}
