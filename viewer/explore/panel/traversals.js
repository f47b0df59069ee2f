// Under the analytics: latent traversals. Hold one test digit's code fixed and sweep one dimension at a time
// from -3 to +3 (the prior's standard deviations), decoded here; rows sorted by how much information each
// dimension carries (its KL, sent by the host: explorer/charts.py inside_data), with the KL as bars beside.
// `traversalCodes` and `traverse` mirror vae/traversals.py traversal_codes and traverse (tests/test_traversals.py
// holds the decoded grid to numpy's within 1/255). Decoded only while the section is open.

import { drawChart } from "../../core/chart.js";
import { decode, PIXELS } from "../../core/decoder.js";
import { element, gridCanvas, listenToNumber, numberDisclosure, tileSide } from "../../core/dom.js";
import { modelEntry, modelWords, testCode } from "../models.js";
import { hostData, noteDrawn } from "../state.js";
import { CHART_CONFIG } from "./analytics.js";
import { paintPixels } from "./paint.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

export const STEPS = 9;
export const REACH = 3;
const LABEL_PX = 128; // the row labels' column
const TILE_MAX = 44;

/** @type {WeakMap<ExploreState, {key: string, index: number | null}>} */
const shown = new WeakMap();

/** np.linspace(-reach, reach, steps, dtype=float32). @param {number} steps @param {number} reach */
export function traversalValues(steps = STEPS, reach = REACH) {
  const values = new Float32Array(steps);
  const step = (2 * reach) / (steps - 1);
  for (let i = 0; i < steps; i++) values[i] = i === steps - 1 ? reach : -reach + i * step;
  return values;
}

/**
 * vae/traversals.py traversal_codes: row i holds z with dimension i set to each of `values`.
 * @param {ArrayLike<number>} z @param {ArrayLike<number>} values @returns {Float32Array[][]} (latent, steps) codes
 */
export function traversalCodes(z, values) {
  return Array.from({ length: z.length }, (_, dim) =>
    Array.from(values, (value) => {
      const code = Float32Array.from(z);
      code[dim] = value;
      return code;
    }),
  );
}

/**
 * vae/traversals.py traverse: the decoded grid (latent, steps) of 784 pixel means around code z.
 * @param {import("../../core/decoder.js").Decoder} decoder @param {ArrayLike<number>} z
 * @param {number} [steps] @param {number} [reach] @returns {Float64Array[][]}
 */
export function traverse(decoder, z, steps = STEPS, reach = REACH) {
  return traversalCodes(z, traversalValues(steps, reach)).map((row) =>
    row.map((code) => decode(decoder, code, new Float64Array(PIXELS))),
  );
}

/** Dimensions by KL, largest first; a tie keeps the lower index first (numpy's stable argsort of -kl). @param {number[]} kl */
export function klOrder(kl) {
  return kl.map((_, i) => i).sort((p, q) => kl[q] - kl[p] || p - q);
}

/**
 * The KL bars: one per dimension in `order`, active ones red, switched-off ones grey.
 * @param {number[]} order @param {number[]} kl @param {boolean[]} active
 */
export function klFigure(order, kl, active) {
  const on = order.filter((d) => active[d]).length;
  return {
    data: [
      {
        type: "bar",
        x: order.map((d) => `z${d}`),
        y: order.map((d) => Math.round(kl[d] * 1000) / 1000),
        marker: { color: order.map((d) => (active[d] ? "#d62728" : "#bbbbbb")) },
        hovertemplate: "%{x}: KL %{y:.2f} nats (information it carries, averaged over the test digits)<extra></extra>",
      },
    ],
    layout: {
      height: 320,
      margin: { l: 44, r: 10, t: 64, b: 44 },
      font: { size: 13 },
      xaxis: { type: "category" },
      yaxis: { title: { text: "KL" } },
      // Two short lines: one long one runs off a phone's chart.
      title: {
        text: `Information per dimension (KL, nats)<br>${on} of ${order.length} in use; grey: switched off`,
        x: 0.01,
      },
    },
  };
}

/** The section, made once: a disclosure, the digit's index, the grid and the bars. @param {HTMLElement} parent */
export function buildTraversals(parent) {
  const { box, input } = numberDisclosure(parent, {
    className: "le-traversals",
    summary: "Latent traversals: what each dimension of the code does",
    words: [
      "le-traversal-words",
      "Hold one digit's code fixed and sweep one latent dimension from −3 to +3 (the prior's standard " +
        "deviations). Rows are sorted by how much information the dimension carries (its KL averaged over the test " +
        "digits, in nats: natural-log units); dimensions the model has switched off leave the digit unchanged.",
    ],
    label: ["le-traversal-index", "Test digit #"],
  });
  const body = element(box, "div", "le-traversal-body");
  const grid = element(body, "canvas", "le-traversal-grid");
  const caption = element(box, "p", "le-traversal-caption");
  const bars = element(body, "div", "le-traversal-bars");
  return { box, input, grid, caption, bars };
}

/** The test digit to traverse: the visitor's pick, else A's (or B's) when a test digit, else #0. @param {ExploreState} state */
function chosenIndex(state) {
  const picked = shown.get(state)?.index;
  if (picked !== null && picked !== undefined) return picked;
  const { a, b } = state.view.ends;
  for (const end of [a, b]) if (end?.kind === "test" && end.index !== undefined) return end.index;
  return 0;
}

/**
 * Wires the index box (once): a typed index is kept for this widget.
 * @param {() => ExploreState} widget @param {ReturnType<typeof buildTraversals>} dom
 */
export function listenToTraversals(widget, dom) {
  const last = () => {
    const state = widget();
    return (hostData(state).models[state.view.shown.model]?.count || 1) - 1;
  };
  const take = (/** @type {number} */ index) => {
    const state = widget();
    shown.set(state, { key: shown.get(state)?.key || "", index });
  };
  const redraw = () => renderTraversals(widget(), dom);
  listenToNumber(dom, redraw, last, take);
}

/**
 * Decodes and draws the grid for the shown model and digit, when the section is open and either changed.
 * @param {ExploreState} state @param {ReturnType<typeof buildTraversals>} dom
 */
export function renderTraversals(state, dom) {
  const data = hostData(state);
  const name = state.view.shown.model;
  const manifest = data.models[name];
  const figures = data.inside?.models?.[name];
  dom.box.hidden = !manifest || !figures;
  if (!manifest || !figures || !dom.box.open) return;
  const index = Math.min(manifest.count - 1, chosenIndex(state));
  const width = dom.box.clientWidth;
  const key = `${name}|${index}|${width}`;
  const last = shown.get(state) || { key: "", index: null };
  const entry = modelEntry(manifest);
  const z = testCode(entry, index);
  if (last.key === key || !entry.decoder || !z) return;
  shown.set(state, { ...last, key });
  if (document.activeElement !== dom.input) dom.input.value = String(index);
  dom.input.max = String(manifest.count - 1);
  const order = klOrder(figures.kl);
  const rows = traverse(entry.decoder, z);
  const tile = tileSide(Math.min(width, 620), LABEL_PX, STEPS, TILE_MAX);
  const context = gridCanvas(dom.grid, LABEL_PX + STEPS * tile, order.length * tile);
  context.font = "13px sans-serif";
  context.textBaseline = "middle";
  const scratch = state.dom.tile;
  order.forEach((dim, row) => {
    context.fillStyle = figures.active[dim] ? "#111" : "#999";
    const off = figures.active[dim] ? "" : ", off";
    context.fillText(`z${dim}  KL ${figures.kl[dim].toFixed(2)}${off}`, 2, row * tile + tile / 2);
    rows[dim].forEach((pixels, column) => {
      paintPixels(scratch, pixels);
      context.drawImage(scratch, LABEL_PX + column * tile, row * tile, tile, tile);
    });
  });
  const labels = state.host.labels;
  const digit = labels ? ` (${labels[index]})` : "";
  dom.caption.textContent = `${modelWords(manifest)}: test #${index}${digit}; columns run from −3 to +3, the middle column is 0.`;
  dom.grid.dataset.rows = String(order.length);
  dom.grid.dataset.index = String(index);
  drawChart(dom.bars, { figure: klFigure(order, figures.kl, figures.active), config: CHART_CONFIG });
  noteDrawn("traversal");
}
