// The per-model figures as a table (explorer/lesson_assets.py writes every cell), behind one disclosure: the
// reference for the curious, closed so the lesson stays few words (tests/test_lesson_e2e.py counts them). What
// each column measures is its name's tooltip and, for a finger that cannot hover, a list right under the table
// (its words once the reader has asked for the figures). On a narrow
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
  return { box: element(root, "details", "lp-table"), key: "" };
}

/** @param {TableNodes} nodes @param {TableData} table */
export function showTable(nodes, table) {
  const key = JSON.stringify(table);
  if (nodes.key === key) return;
  nodes.key = key;
  const { box } = nodes;
  box.replaceChildren(); // an open box stays open: the element and its state are kept
  element(box, "summary", "lp-section-head", table.heading);
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
      if (i) {
        element(line, "td", "", value);
        return;
      }
      // The model ("z = 20, β = 0.5"): a narrow screen may break it after the comma only.
      const name = element(line, "th");
      value.split(", ").forEach((part, k, parts) => {
        element(name, "span", "", k < parts.length - 1 ? `${part}, ` : part);
      });
    });
  }
  const help = element(box, "div", "lp-note lp-table-help");
  element(help, "div", "lp-table-help-head", table.help);
  const list = element(help, "dl");
  table.columns.forEach((column, i) => {
    if (!table.notes[i]) return;
    element(list, "dt", "", column);
    element(list, "dd", "", table.notes[i]);
  });
}
