// @ts-check
// Bar charts for the officer console, drawn as SVG elements (no library, no inline styles: colours
// come from classes in console.css). Each chart carries its own text alternative: a <title> and a
// <desc> that reads out every bar, and a data table under a disclosure for everyone.

const svgNs = 'http://www.w3.org/2000/svg';

/** @typedef {{ label: string, value: number, className?: string }} Bar */

let chartCount = 0;

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {string} [text]
 */
function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function html(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A horizontal bar chart as a <figure>: heading, SVG and a data table.
 * `valueText(value)` says a value in words ("3 requests").
 * @param {{ title: string, summary?: string, bars: Bar[], valueText?: (value: number) => string, headers?: [string, string] }} chart
 */
export function barChart({ title, summary, bars, valueText = String, headers = ['Category', 'Count'] }) {
  const id = `chart-${++chartCount}`;
  const figure = html('figure', 'chart');
  figure.setAttribute('aria-labelledby', `${id}-title`);
  const heading = html('h2', 'chart-title', title);
  heading.id = `${id}-title`;
  figure.append(heading);
  if (summary) figure.append(html('p', 'chart-summary', summary));

  const rowHeight = 30;
  const labelWidth = 170;
  const valueWidth = 56;
  const width = 560;
  const top = 6;
  const height = top * 2 + Math.max(bars.length, 1) * rowHeight;
  const plotWidth = width - labelWidth - valueWidth;
  const max = Math.max(1, ...bars.map((bar) => bar.value));

  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-svg-title ${id}-desc`,
    class: 'chart-svg',
    focusable: 'false',
  });
  chart.append(svg('title', { id: `${id}-svg-title` }, title));
  const description = bars.length ? bars.map((bar) => `${bar.label}: ${valueText(bar.value)}`).join('; ') : 'No data.';
  chart.append(svg('desc', { id: `${id}-desc` }, description));

  // Quarter grid lines give the bars a scale.
  for (const fraction of [0.25, 0.5, 0.75, 1]) {
    const x = labelWidth + plotWidth * fraction;
    chart.append(svg('line', { x1: x, x2: x, y1: top, y2: height - top, class: 'chart-grid' }));
  }
  chart.append(svg('line', { x1: labelWidth, x2: labelWidth, y1: top, y2: height - top, class: 'chart-axis' }));

  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    const barWidth = bar.value > 0 ? Math.max(2, (bar.value / max) * plotWidth) : 0;
    const group = svg('g', { class: `chart-bar ${bar.className ?? ''}`.trim() });
    group.append(
      svg('text', { x: labelWidth - 8, y: y + rowHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' }, bar.label),
    );
    group.append(svg('rect', { x: labelWidth, y: y + 5, width: barWidth, height: rowHeight - 10, rx: 3, class: 'chart-rect' }));
    group.append(svg('text', { x: labelWidth + barWidth + 6, y: y + rowHeight / 2, 'dominant-baseline': 'middle', class: 'chart-value' }, String(bar.value)));
    chart.append(group);
  });
  figure.append(chart);

  const details = html('details', 'chart-data');
  details.append(html('summary', '', `Data table: ${title}`));
  const table = html('table', 'data compact');
  table.append(html('caption', 'visually-hidden', title));
  const head = html('thead');
  const headRow = html('tr');
  for (const header of headers) {
    const cell = html('th', '', header);
    cell.scope = 'col';
    headRow.append(cell);
  }
  head.append(headRow);
  const body = html('tbody');
  for (const bar of bars) {
    const row = html('tr');
    const label = html('th', '', bar.label);
    label.scope = 'row';
    row.append(label, html('td', 'number', String(bar.value)));
    body.append(row);
  }
  table.append(head, body);
  details.append(table);
  figure.append(details);
  return figure;
}
