// @ts-check
// Finds a page's elements as the type the script relies on, for every page's script: a missing
// or different element is a bug in the page, and fails here, by name, not as a null further on.

/**
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, readonly name: string }} [type] the element's class; HTMLElement when left out
 * @returns {T}
 */
export function $(id, type) {
  const element = document.getElementById(id);
  const expected = type ?? HTMLElement;
  if (!(element instanceof expected)) throw new Error(`#${id} is not a ${expected.name} on this page`);
  return /** @type {T} */ (element);
}

/**
 * The first element under `root` that matches `selector`, in the same way as `$`.
 * @template {Element} [T=HTMLElement]
 * @param {ParentNode} root
 * @param {string} selector
 * @param {{ new (): T, readonly name: string }} [type] the element's class; HTMLElement when left out
 * @returns {T}
 */
export function find(root, selector, type) {
  const element = root.querySelector(selector);
  const expected = type ?? HTMLElement;
  if (!(element instanceof expected)) throw new Error(`${selector} is not a ${expected.name} on this page`);
  return /** @type {T} */ (element);
}

/**
 * A fresh copy of the element a `<template>` holds.
 * @param {HTMLTemplateElement} template
 */
export function fromTemplate(template) {
  const copy = template.content.firstElementChild?.cloneNode(true);
  if (!(copy instanceof HTMLElement)) throw new Error(`#${template.id} holds no element`);
  return copy;
}
