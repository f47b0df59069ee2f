// The per-model figures as a table (explorer/lesson_assets.py writes every cell; a column's name carries
// what it measures as its tooltip, and one line under the table says the terms in plain words). On a narrow
// screen the table scrolls sideways inside its own box, its first column (the model) held in place, so every
// column stays reachable and the page itself never scrolls sideways.

import { element } from "../core/dom.js";

/** @typedef {{heading: string, help: string, columns: string[], notes: string[], rows: string[][]}} TableData */

/**
 * @typedef {object} TableNodes
 * @property {HTMLElement} box
 * @property {string} key
 */

/** @param {HTMLElement} root @returns {TableNodes} */
export function buildTable(root) {
  return { box: element(root, "section", "lp-table"), key: "" };
}

/** @param {TableNodes} nodes @param {TableData} table */
export function showTable(nodes, table) {
  const key = JSON.stringify(table);
  if (nodes.key === key) return;
  nodes.key = key;
  const { box } = nodes;
  box.replaceChildren();
  element(box, "div", "lp-section-head", table.heading);
  const scroll = element(box, "div", "lp-table-scroll");
  const grid = element(scroll, "table");
  const head = element(element(grid, "thead"), "tr");
  table.columns.forEach((column, i) => {
    const cell = element(head, "th", "", column);
    cell.scope = "col";
    if (table.notes[i]) cell.title = table.notes[i];
  });
  const body = element(grid, "tbody");
  for (const row of table.rows) {
    const line = element(body, "tr");
    row.forEach((value, i) => {
      element(line, i ? "td" : "th", "", value);
    });
  }
  element(box, "div", "lp-note", table.help);
}
