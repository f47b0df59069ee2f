// The row of draws that follows β: the same N(0, I) draws as the z = 20 rows, decoded by the Multi-Rate VAE
// (core/multirate.js: one model trained for every β) at the β of a log-scale slider, and read by the classifier
// under each picture. The slider snaps to the grid of β where training/lesson_beta.py measured the readable
// share of 1,000 draws (weights/lesson-beta.json), so the figure in the label is always one measured there;
// the pictures are computed here, live (one setBeta and 12 decodes: a few milliseconds). Marks at the β of the
// separately trained models. Its numpy twin: explorer/lesson_draws.py sample_row with a β
// (tests/test_lesson_js.py).

import { element } from "../core/dom.js";
import { blob } from "../core/fetch.js";
import { makeMultiRate, setBeta } from "../core/multirate.js";
import { sampleRow } from "./compute.js";
import { buildRows, fillRow } from "./samples.js";

/** @typedef {import("./types.js").BetaRow} BetaRow */
/** @typedef {import("./samples.js").RowView} RowView */

/** @type {WeakMap<ArrayBuffer, import("../core/multirate.js").MultiRate>} */
const made = new WeakMap();

/**
 * @typedef {object} BetaView
 * @property {HTMLDivElement} box
 * @property {HTMLInputElement} slider  log10 β
 * @property {HTMLSpanElement} text
 * @property {RowView} row
 * @property {number} index            the grid β shown
 * @property {string} key              what the strip shows (β and seed)
 */

/**
 * The grid β nearest `log10β` (in log). @param {number[]} betas @param {number} log10Beta @returns {number}
 */
export function nearestIndex(betas, log10Beta) {
  let best = 0;
  for (let i = 1; i < betas.length; i++) {
    if (Math.abs(Math.log10(betas[i]) - log10Beta) < Math.abs(Math.log10(betas[best]) - log10Beta)) best = i;
  }
  return best;
}

/**
 * The row under the columns of `column`'s grid (the sample rows), at data.start; its slider's input is the caller's to listen to.
 * @param {import("./build.js").ColumnNodes} column @param {BetaRow} data @param {number} count @returns {BetaView}
 */
export function buildBetaRow(column, data, count) {
  const spec = { side: 0, latent: data.latent, label: "", decoder: { decoder: data.weights, latent: 0, hidden: 0 } };
  const [row] = buildRows([column], [], [spec], count); // a sample row's box, label and strip
  row.box.classList.add("lp-beta-row");
  column.column.parentElement?.append(row.box); // under both columns, the whole width: a phone keeps its planes
  row.canvas.dataset.row = "beta";
  const line = element(row.label, "div", "lp-beta-line");
  const slider = element(line, "input", "lp-beta-slider");
  slider.type = "range";
  slider.min = String(Math.log10(data.betas[0]));
  slider.max = String(Math.log10(data.betas[data.betas.length - 1]));
  slider.step = "any";
  slider.setAttribute("aria-label", "β");
  const list = element(line, "datalist");
  list.id = `lp-beta-marks-${Math.random().toString(36).slice(2)}`;
  for (const mark of data.marks) element(list, "option").value = String(Math.log10(mark));
  slider.setAttribute("list", list.id);
  const text = element(row.label, "span", "lp-beta-text");
  const index = nearestIndex(data.betas, Math.log10(data.start));
  slider.value = String(Math.log10(data.betas[index]));
  return { box: row.box, slider, text, row, index, key: "" };
}

/**
 * Snaps the slider to its grid β, writes the measured figures there, and decodes the draws at that β once the
 * weights (and the classifier) are in; `waits` gets what is missing.
 * @param {BetaView} view @param {BetaRow} data @param {import("../core/classifier.js").Classifier | null} classifier
 * @param {number} seed @param {number} count @param {number} threshold @param {Promise<unknown>[]} waits
 */
export function showBetaRow(view, data, classifier, seed, count, threshold, waits) {
  view.index = nearestIndex(data.betas, Number(view.slider.value));
  const beta = data.betas[view.index];
  const label = data.labels[view.index];
  if (view.text.textContent !== label) view.text.textContent = label;
  view.box.dataset.beta = String(beta);
  view.box.dataset.readable = String(data.readable[view.index]);
  view.box.dataset.covered = String(data.covered[view.index]);
  const key = `${beta}:${seed}`;
  if (view.key === key) return;
  const entry = blob(data.weights);
  if (!entry.value) return void waits.push(entry.promise);
  if (!classifier) return;
  let model = made.get(entry.value);
  if (!model) {
    model = makeMultiRate(entry.value, data.latent, data.hidden);
    made.set(entry.value, model);
  }
  setBeta(model, beta);
  const { pixels, reads } = sampleRow(model.decoder, classifier, seed, count, threshold);
  fillRow(view.row, pixels, reads, key);
  view.key = key;
}
