// The row of draws that follows β: the same N(0, I) draws as the z = 20 rows, decoded by the Multi-Rate VAE
// (core/multirate.js: one model trained for every β) at the β of a log-scale slider, and read by the classifier
// under each picture. The slider snaps to the grid of β where training/lesson_beta.py measured the readable
// share of 1,000 draws (weights/lesson-beta.json), so the figure in the label is always one measured there;
// the pictures are computed here, live, once per grid β the slider lands on (one setBeta, 12 decodes and 12 reads:
// ~90 ms in node on the 2-core machine; 1,000 reads per move would not keep up). Marks at the β of the
// separately trained models. Its numpy twin: explorer/lesson_draws.py sample_row with a β
// (tests/test_lesson_beta.py).

import { element, sizeCanvas } from "../core/dom.js";
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
 * @property {HTMLCanvasElement} curve  the measured share over the grid, the separate models as dots
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
  // A band of its own under its own heading: under the autoencoder's column it read as that model's draws.
  const head = document.createElement("div");
  head.className = "lp-head lp-beta-head";
  head.textContent = data.heading;
  row.box.prepend(head);
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
  const lo = Math.log10(data.betas[0]);
  const span = Math.log10(data.betas[data.betas.length - 1]) - lo;
  const at = (/** @type {number} */ beta) => `calc(7px + (100% - 14px) * ${(Math.log10(beta) - lo) / span})`;
  for (const mark of data.marks) {
    const tick = element(line, "span", "lp-beta-tick"); // where a separately trained model sits (the thumb's centre)
    tick.style.left = at(mark);
    tick.title = `β = ${mark}: a VAE trained at this β alone`;
  }
  // The scale under the slider: β at each power of ten it spans, so a newcomer reads where the thumb is.
  const scale = element(line, "div", "lp-beta-scale");
  // What the numbers and the ticks are (the explore view's β slider labels the same models' β: its tooltip says so).
  const ticks = data.marks.length ? data.marks.join(", ") : "none in this range";
  const range = `β from ${data.betas[0]} to ${data.betas[data.betas.length - 1]} (log scale): the numbers under it`;
  slider.title = `${range}; the ticks: the β of the separately trained models: ${ticks}`;
  scale.title = slider.title;
  for (let power = Math.ceil(lo - 1e-9); power <= lo + span + 1e-9; power++) {
    const beta = 10 ** power;
    element(scale, "span", "", beta >= 1 ? String(beta) : beta.toFixed(-power)).style.left = at(beta);
  }
  const text = element(row.label, "span", "lp-beta-text");
  const chart = element(row.label, "div", "lp-beta-chart"); // the small chart under its visible title
  element(chart, "div", "lp-beta-chart-title", data.curveHeading);
  const curve = element(chart, "canvas", "lp-beta-curve");
  // Why the line and the dots differ, beside them (the figures: the chart's tooltip; docs/multirate.md).
  if (data.curveWhy) element(chart, "div", "lp-beta-chart-why", data.curveWhy);
  chart.title = data.curveTitle;
  const index = nearestIndex(data.betas, Math.log10(data.start));
  slider.value = String(Math.log10(data.betas[index]));
  return { box: row.box, slider, text, curve, row, index, key: "" };
}

/**
 * Snaps the slider to its grid β, writes the measured figures there, and decodes the draws at that β once the
 * weights (and the classifier) are in; `waits` gets what is missing.
 * @param {BetaView} view @param {BetaRow} data @param {import("../core/classifier.js").Classifier | null} classifier
 * @param {number} seed @param {number} count @param {number} threshold @param {Promise<unknown>[]} waits
 * @param {string} suffix  added to the label (epochs.js: "(after training)" while an earlier epoch is shown)
 */
export function showBetaRow(view, data, classifier, seed, count, threshold, waits, suffix) {
  view.index = nearestIndex(data.betas, Number(view.slider.value));
  const beta = data.betas[view.index];
  const label = data.labels[view.index] + suffix;
  if (view.text.textContent !== label) view.text.textContent = label;
  view.box.dataset.beta = String(beta);
  view.box.dataset.readable = String(data.readable[view.index]);
  view.box.dataset.covered = String(data.covered[view.index]);
  drawCurve(view.curve, data, view.index);
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

// 14 px numbers (readers judged 11 px too small at 1500 x 1000), the chart sized to hold them.
const CURVE = { width: 260, height: 62, left: 40, bottom: 18, pad: 4, font: 14, line: "#1f6fb2", dot: "#c0392b" };
// A projector (the stylesheet's big screen, 1800 px and wider): 15 px numbers, the chart grown to hold them.
const BIG_CURVE = { ...CURVE, width: 300, height: 70, left: 44, bottom: 19, font: 15 };

/**
 * The readable share over log β (a line; the separately trained models' shares as dots) and the β shown, with
 * the shares at its top and bottom edge on the left and β at its ends underneath.
 * @param {HTMLCanvasElement} canvas @param {BetaRow} data @param {number} index
 */
function drawCurve(canvas, data, index) {
  const big = window.matchMedia("(min-width: 1800px)").matches;
  const key = `${index}:${big}`;
  if (canvas.dataset.index === key) return;
  canvas.dataset.index = key;
  const { width, height, left, bottom: under, pad, font } = big ? BIG_CURVE : CURVE;
  const context = sizeCanvas(canvas, width, height);
  context.clearRect(0, 0, width, height);
  const lo = Math.log10(data.betas[0]);
  const span = Math.log10(data.betas[data.betas.length - 1]) - lo;
  const x = (/** @type {number} */ beta) => left + pad + ((Math.log10(beta) - lo) / span) * (width - left - 2 * pad);
  const shares = [...data.readable, ...data.separate.map((point) => point.readable)];
  const bottom = Math.floor(Math.min(...shares) * 10) / 10;
  const top = Math.ceil(Math.max(...shares) * 10) / 10;
  const plot = height - under;
  const y = (/** @type {number} */ share) => plot - pad - ((share - bottom) / (top - bottom)) * (plot - 2 * pad);
  context.font = `${font}px sans-serif`;
  context.fillStyle = "#555";
  context.textAlign = "right";
  // The shares at the plot's top and bottom edges, each label inside the canvas.
  context.textBaseline = "top";
  context.fillText(`${Math.round(top * 100)}%`, left - 3, 0);
  context.textBaseline = "bottom";
  context.fillText(`${Math.round(bottom * 100)}%`, left - 3, plot);
  context.textBaseline = "top";
  const ends = [data.betas[0], data.betas[data.betas.length - 1]];
  ends.forEach((beta, i) => {
    context.textAlign = i ? "right" : "left";
    context.fillText(`β ${beta}`, x(beta) + (i ? pad : -pad), plot + 2);
  });
  context.strokeStyle = "#ccc";
  context.lineWidth = 1;
  context.strokeRect(left + 0.5, 0.5, width - left - 1, plot - 1);
  context.strokeStyle = CURVE.line;
  context.lineWidth = 1.5;
  context.beginPath();
  data.betas.forEach((beta, i) => {
    if (i) context.lineTo(x(beta), y(data.readable[i]));
    else context.moveTo(x(beta), y(data.readable[i]));
  });
  context.stroke();
  context.fillStyle = CURVE.dot;
  for (const point of data.separate) {
    context.beginPath();
    context.arc(x(point.beta), y(point.readable), 3, 0, 2 * Math.PI);
    context.fill();
  }
  context.fillStyle = "#222"; // the β shown
  context.fillRect(Math.round(x(data.betas[index])) - 0.5, 0, 1, plot);
}
