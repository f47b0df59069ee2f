// Under the traversals: samples from the prior. Decoded draws z ~ N(0, I) under the shown model, or under every
// model of its latent size while comparing all β: where β's effect on sampling shows. The draws are the lesson's
// seeded ones (core/draws.js, stream `prior`), so the same seed gives the same pictures in every browser, and
// `priorCodes` mirrors explorer/lesson_draws.py prior_codes (tests/test_prior_js.py holds the decoded rows to
// numpy's within 1/255). Beside each row, the share of such draws the classifier reads as a digit, measured
// when the model was trained (explorer/charts.py inside_data `prior`). Decoded only while the section is open.

import { decode, PIXELS } from "../../core/decoder.js";
import { element, gridCanvas, listenToNumber, numberDisclosure, tileSide } from "../../core/dom.js";
import { normals, STREAMS } from "../../core/draws.js";
import { refresh } from "../controller.js";
import { loadModel, modelEntry, sameLatent } from "../models.js";
import { hostData, noteDrawn } from "../state.js";
import { paintPixels } from "./paint.js";
import { formatBeta } from "./toolbar.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../types.js").ModelManifest} ModelManifest
 */

export const COUNT = 12; // draws per row
const SEEDS = 10_000; // the seed box's range, as the Streamlit page had it
const LABEL_PX = 150;
const TILE_MAX = 44;
const ROW_MIN = 38; // a row holds its two lines of label even when a phone makes the pictures small

/** @type {WeakMap<ExploreState, {key: string, seed: number}>} */
const shown = new WeakMap();

/**
 * The draws for `seed`: (count, latent) float32 codes, row-major (explorer/lesson_draws.py prior_codes).
 * @param {number} seed @param {number} latent @param {number} [count] @returns {Float32Array[]}
 */
export function priorCodes(seed, latent, count = COUNT) {
  const flat = normals(seed, STREAMS.prior, count * latent);
  return Array.from({ length: count }, (_, i) => flat.subarray(i * latent, (i + 1) * latent));
}

/** The section, made once: a disclosure, the seed, the rows. @param {HTMLElement} parent */
export function buildPrior(parent) {
  const { box, input } = numberDisclosure(parent, {
    className: "le-prior",
    summary: "Samples from the prior: random codes, decoded",
    words: [
      "le-prior-words",
      "Codes drawn at random from N(0, I), the distribution a VAE's loss pulls its codes towards, then decoded. " +
        "Beside each row: the share of such draws a digit classifier reads as a digit (at least 90% sure), " +
        "measured on 1,000 such draws when the model was trained. Compare all β to see one row per β.",
    ],
    label: ["le-prior-seed", "Seed "],
    number: { max: String(SEEDS), value: "0" },
  });
  const rows = element(box, "canvas", "le-prior-rows");
  const caption = element(box, "p", "le-prior-caption");
  return { box, input, rows, caption };
}

/**
 * Wires the seed box (once). @param {() => ExploreState} widget @param {ReturnType<typeof buildPrior>} dom
 */
export function listenToPrior(widget, dom) {
  const take = (/** @type {number} */ seed) => {
    dom.input.value = String(seed);
    shown.set(widget(), { key: "", seed });
  };
  const redraw = () => renderPrior(widget(), dom);
  listenToNumber(dom, redraw, () => SEEDS, take);
}

/** The rows' models: the shown one, or every model of its latent size while comparing. @param {ExploreState} state */
function rowModels(state) {
  const models = hostData(state).models;
  const model = models[state.view.shown.model];
  if (!model) return [];
  return state.view.shown.compare ? sameLatent(models, model.latent) : [model];
}

/** "β = 1" or an import's own label, and the measured share under it. @param {ExploreState} state @param {ModelManifest} m */
function rowLabel(state, m) {
  const prior = hostData(state).inside?.models?.[m.name]?.prior;
  const share = prior ? `${Math.round(100 * prior.readable_share)}% read as digits` : ""; // of prior.count draws
  return [m.label ?? `β = ${formatBeta(m.beta)}`, share];
}

/**
 * Decodes and draws the rows for the shown models and seed, when the section is open and either changed.
 * @param {ExploreState} state @param {ReturnType<typeof buildPrior>} dom
 */
export function renderPrior(state, dom) {
  const models = rowModels(state);
  dom.box.hidden = models.length === 0;
  if (!dom.box.open || models.length === 0) return;
  const seed = shown.get(state)?.seed ?? 0;
  const width = dom.box.clientWidth;
  const entries = models.map((m) => modelEntry(m));
  const missing = entries.filter((entry) => !entry.decoder);
  if (missing.length) {
    for (const entry of missing) loadModel(entry, ["decoder"]).then(() => refresh(state, "prior"));
    return;
  }
  const key = `${models.map((m) => m.name).join(",")}|${seed}|${width}`;
  if (shown.get(state)?.key === key) return;
  shown.set(state, { key, seed });
  const tile = tileSide(Math.min(width, 720), LABEL_PX, COUNT, TILE_MAX);
  const rowHeight = Math.max(ROW_MIN, tile + 4);
  const context = gridCanvas(dom.rows, LABEL_PX + COUNT * tile, models.length * rowHeight);
  context.fillStyle = "#111";
  context.textBaseline = "middle";
  const scratch = state.dom.tile;
  models.forEach((m, row) => {
    const top = row * rowHeight;
    const middle = top + (rowHeight - 4) / 2;
    const [name, share] = rowLabel(state, m);
    context.font = "bold 13px sans-serif";
    context.fillText(name, 2, middle - (share ? 8 : 0));
    context.font = "13px sans-serif";
    if (share) context.fillText(share, 2, middle + 9);
    const decoder = /** @type {import("../../core/decoder.js").Decoder} */ (entries[row].decoder);
    priorCodes(seed, m.latent).forEach((code, column) => {
      paintPixels(scratch, decode(decoder, code, new Float64Array(PIXELS)));
      context.drawImage(scratch, LABEL_PX + column * tile, middle - tile / 2, tile, tile);
    });
  });
  if (document.activeElement !== dom.input) dom.input.value = String(seed);
  dom.caption.textContent = `${COUNT} draws per row, seed ${seed}; the same draws in every row.`;
  dom.rows.dataset.rows = models.map((m) => m.name).join(",");
  dom.rows.dataset.seed = String(seed);
  noteDrawn("prior");
}
