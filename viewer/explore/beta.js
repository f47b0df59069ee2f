// The β slider: one Multi-Rate VAE shown at any β of its range (multirate.js), beside the six separately trained
// models (the β buttons), with one line that says what β does and the shown model's figures, and its
// rate-distortion curve with the shown β marked (rdchart.js). Beside the map it sits under the morph; on a phone,
// where the morph falls under the map, right above the map (place).
//
// A drag redraws once a frame, in the page: the strip and the morph (refresh), and the map's 10,000 codes on axes
// that never move, painted over the plot (map/mrlayer.js) with, on the z = 2 plane, the decoded backdrop
// (7 of its 196 tiles re-decoded a frame); when the drag rests (REST_MS) or ends, Plotly's traces get the
// codes (restyle) and the plane its backdrop. The host hears β when the drag ends.
// Marks for tests and benchmarks: root data-mr (β shown or ""), data-mr-draws (map redraws at a new β),
// data-mr-drawn (β of Plotly's traces), data-mr-backdrop (β of Plotly's backdrop), `le:mr-map`.

import { plotly } from "../core/chart.js";
import { SIDE } from "../core/decoder.js";
import { element } from "../core/dom.js";
import { figureAt } from "../core/multirate.js";
import { mrBeta, mrStep } from "../core/share.js";
import { refresh } from "./controller.js";
import { mapInfo, phoneMap } from "./map/area.js";
import { clearLayer, paintLayer } from "./map/mrlayer.js";
import { afterDraw } from "./map/plot.js";
import { modelWords } from "./models.js";
import {
  BACKDROP_TILES,
  backdropCanvas,
  backdropTiles,
  betaText,
  hooks,
  multirateManifest,
  PHONE_BACKDROP_TILES,
  shownManifest,
  shownMultiRate,
} from "./multirate.js";
import { sendView } from "./panel/toolbar.js";
import { drawCurve } from "./rdchart.js";
import { hostData, noteDrawn } from "./state.js";

/**
 * @typedef {import("./state.js").ExploreState} ExploreState
 * @typedef {import("./types.js").MultiRateManifest} MultiRateManifest
 */

const REST_MS = 150;
const SMALL_EFFECT = 0.25; // a reconstruction range under 25% of its best: "the effect is small" (z = 2: 7.5%) // a drag that rests this long hands its codes to Plotly
const TILES_PER_FRAME = 7; // of the z = 2 backdrop's 14 x 14 (10 x 10 on a phone), re-decoded a frame of a drag
export const SLIDER_LABEL = "One model trained for every β (Multi-Rate VAE)";
// The few terms the slider's card uses, in plain words where each first appears (issue 24).
const MR_WORDS = "Multi-Rate VAE: one network trained at every β at once; the slider picks the β it runs at.";
const KL_WORDS = "the KL term (how far the codes are from N(0, I))";
export const NATS_WORDS = "nats: the unit of information, like bits (1 nat ≈ 1.44 bits)";
export const AUTOENCODER_KL = "measured, not in its loss"; // β = 0: the KL is not trained, only read
export const PRESETS_LABEL = "Trained separately:";
/**
 * Off, the thumb rests at the shown model's β (a separately trained one): the words say so, so that a thumb on "1"
 * beside "off" reads as what it is (readers took "off: no β applied" beside a thumb at 1 for a contradiction).
 * @param {number} beta the shown model's β (0: the autoencoder)
 */
export function offWords(beta) {
  // Short: on a phone a longer line wraps and pushes the morph down; the card's line says "Drag to see ...".
  return beta > 0 ? `off: β = ${betaText(beta)} trained alone` : "off: the autoencoder";
}

/**
 * What the slider's scale and marks are (its tooltip; the lesson's β slider says the same of its own: the same
 * models, the z = 20 ones inside the same range): "β from 0.01 to 10 (log scale); marks: ... 0.5, 1, 2, 4, 8".
 * @param {[number, number]} range @param {number[]} marks
 */
export function ticksWords(range, marks) {
  const where = marks.length ? marks.map((beta) => `${beta}`).join(", ") : "none in this range";
  return `β from ${betaText(range[0])} to ${betaText(range[1])} (log scale); the red marks: the β of the separately trained models (the β buttons): ${where}`;
}

hooks.loaded = (state) => {
  if (!state.stage.gone) refresh(state, "mr");
};

/** The slider's row: its label, the range input with the trained β as marks, the β shown, the line, the chart.
 * @param {HTMLElement} bar */
export function buildSlider(bar) {
  const box = element(bar, "div", "le-mr");
  const head = element(box, "label", "le-mr-head");
  element(head, "span", "le-mr-label", SLIDER_LABEL).title = MR_WORDS;
  const track = element(head, "span", "le-mr-track");
  const input = /** @type {HTMLInputElement} */ (element(track, "input", "le-mr-input"));
  input.type = "range";
  input.step = "1";
  input.setAttribute("aria-label", "β of the one model trained for every β (log scale)");
  const marks = element(track, "span", "le-mr-marks");
  const value = element(head, "span", "le-mr-value");
  const list = element(box, "datalist");
  list.id = `le-mr-marks-${Math.random().toString(36).slice(2)}`;
  input.setAttribute("list", list.id);
  const line = element(box, "p", "le-mr-line");
  line.title = `β weighs ${KL_WORDS}; ${NATS_WORDS}.`;
  // On a phone the curve folds away under its title, so the map stays in sight; elsewhere it is open.
  const curve = /** @type {HTMLDetailsElement} */ (element(box, "details", "le-mr-curve"));
  element(curve, "summary", "", "Rate–distortion curve (distortion: the reconstruction loss)");
  const chart = /** @type {HTMLCanvasElement} */ (element(curve, "canvas", "le-mr-chart"));
  chart.setAttribute(
    "aria-label",
    "rate-distortion: the curve of the one model for every β and the separately trained models",
  );
  chart.title = `rate: ${KL_WORDS}; distortion: how far its reconstructions are from the digits; ${NATS_WORDS}`;
  return { box, input, value, marks, list, line, curve, chart };
}

/** @typedef {ReturnType<typeof buildSlider>} Slider */

/** Slider positions are steps of log10 β (explorer/share.py MR_STEPS per decade). @param {number} step */
function stepBeta(step) {
  return /** @type {number} */ (mrBeta(10 ** (step / 100)));
}

/** What the slider holds per widget: its elements and the drag's timers. */
const sliders = new WeakMap();

/** @param {ExploreState} state @returns {{slider: Slider, frame: number, restyling: boolean, dirty: boolean,
 *   rest: number, manifest: string, tiles: HTMLCanvasElement | null, row: number}} */
function held(state) {
  let found = sliders.get(state);
  if (!found) {
    found = {
      slider: state.dom.mr,
      frame: 0,
      restyling: false,
      dirty: false,
      rest: 0,
      manifest: "",
      tiles: null,
      row: 0,
    };
    sliders.set(state, found);
    wire(state, found);
  }
  return found;
}

/** @param {ExploreState} state @param {any} own */
function wire(state, own) {
  const { input } = own.slider;
  input.addEventListener("input", () => {
    const beta = stepBeta(Number(input.value));
    const shown = state.view.shown;
    const manifest = shownManifest(state);
    if (!manifest) return;
    state.view.notice = null;
    if (shown.mr === null || shown.mr === undefined) shown.map = manifest.map.name;
    shown.mr = beta;
    moved(state);
  });
  input.addEventListener("change", () => sendBeta(state));
}

/** The host hears the view with its β (a drag's end); Plotly gets the codes now. @param {ExploreState} state */
function sendBeta(state) {
  sendView(state);
  const own = held(state);
  clearTimeout(own.rest);
  settle(state);
}

/**
 * The slider moved: in the next frame (one per frame, however many inputs) its row, the strip, the morph and
 * the overlay (refresh: the panel renders the toolbar and the slider) and the map's codes, painted over the plot (map/mrlayer.js) until the drag rests.
 * @param {ExploreState} state
 */
export function moved(state) {
  const own = held(state);
  if (!own.frame) {
    own.frame = requestAnimationFrame(() => {
      own.frame = 0;
      drawFrame(state);
    });
  }
}

/** One frame of a drag. @param {ExploreState} state */
function drawFrame(state) {
  const own = held(state);
  refresh(state, "beta");
  const entry = shownMultiRate(state);
  if (!entry || !state.cache.baseVersion.startsWith(`${entry.manifest.name}/`)) return; // drawBase draws it whole
  if (paintLayer(state, entry.codes, planeBackdrop(state, entry, own))) counted(state);
  clearTimeout(own.rest);
  own.rest = window.setTimeout(() => settle(state), REST_MS);
}

/** A map redraw at a new β has reached the page. @param {ExploreState} state */
function counted(state) {
  state.stage.mrDraws += 1;
  state.dom.root.dataset.mrDraws = String(state.stage.mrDraws);
  noteDrawn("mr-map");
}

/**
 * The z = 2 plane's backdrop during a drag, or null: TILES_PER_FRAME of its tiles re-decoded at the current β
 * each frame (a full pass every 28 frames, 15 on a phone), so the backdrop follows without costing a frame.
 * @param {ExploreState} state @param {import("./multirate.js").MultiRateEntry} entry @param {any} own
 */
function planeBackdrop(state, entry, own) {
  if (entry.manifest.map.name !== "plane" || !state.view.shown.backdrop) return null;
  const tiles = phoneMap(state) ? PHONE_BACKDROP_TILES : BACKDROP_TILES;
  if (own.tiles?.width !== tiles * SIDE) own.tiles = backdropCanvas(entry, tiles);
  else {
    backdropTiles(entry, own.tiles, own.row, TILES_PER_FRAME);
    own.row = (own.row + TILES_PER_FRAME) % (tiles * tiles);
  }
  return { canvas: own.tiles, extent: entry.manifest.map.extent };
}

/** The drag rests: Plotly's traces get the codes at β (and the plane its backdrop), then the layer goes. */
function settle(/** @type {ExploreState} */ state) {
  const own = held(state);
  const entry = shownMultiRate(state);
  const Plotly = plotly();
  const graph = state.dom.graph;
  if (!entry || !Plotly || !graph._fullData || !state.cache.baseVersion.startsWith(`${entry.manifest.name}/`)) {
    clearLayer(state);
    return;
  }
  if (own.restyling) {
    own.dirty = true;
    return;
  }
  own.restyling = true;
  const codes = entry.codes;
  /** @type {Float32Array[]} */
  const xs = [];
  /** @type {Float32Array[]} */
  const ys = [];
  const traces = [];
  for (let digit = 0; digit < 10; digit++) {
    const indices = graph._fullData[digit]?.customdata;
    if (!indices) continue;
    const x = new Float32Array(indices.length);
    const y = new Float32Array(indices.length);
    for (let n = 0; n < indices.length; n++) {
      x[n] = codes[2 * indices[n]];
      y[n] = codes[2 * indices[n] + 1];
    }
    xs.push(x);
    ys.push(y);
    traces.push(digit);
  }
  const beta = entry.beta;
  const plane = entry.manifest.map.name === "plane" && state.view.shown.backdrop && graph._fullLayout?.images?.length;
  Plotly.restyle(graph, { x: xs, y: ys }, traces)
    .then(() => (plane ? Plotly.relayout(graph, { "images[0].source": mapInfo(state)?.backdrop }) : null))
    .then(() => {
      own.restyling = false;
      const root = state.dom.root;
      root.dataset.mrDrawn = betaText(beta);
      if (plane) root.dataset.mrBackdrop = betaText(beta);
      counted(state);
      afterDraw(state);
      if (own.dirty) {
        own.dirty = false;
        settle(state);
      } else if (shownMultiRate(state)?.beta === beta) clearLayer(state); // else a drag goes on: keep painting
    });
}

/**
 * Where the slider's whole range moves the reconstruction by under SMALL_EFFECT of its best (z = 2: 142.9 to 153.6
 * nats), the pictures barely change as it is dragged: the line says so, measured, rather than promise sharper
 * digits a visitor will not see (a fresh reader dragged it and saw none). "" elsewhere.
 * @param {MultiRateManifest} manifest
 */
export function smallEffect(manifest) {
  const recon = manifest.figures.reconstruction;
  const [low, high] = [Math.min(...recon), Math.max(...recon)];
  if (!(high - low < SMALL_EFFECT * low)) return "";
  const [first, last] = [recon[0], recon[recon.length - 1]];
  const [b0, b1] = [manifest.betas[0], manifest.betas[manifest.betas.length - 1]];
  return ` At z = ${manifest.latent} the effect is small: reconstruction ${first.toFixed(1)} nats at β = ${betaText(b0)}, ${last.toFixed(1)} at β = ${betaText(b1)}.`;
}

/** The line beside the slider: what β does, with the shown model's figures. @param {ExploreState} state */
function lineText(/** @type {ExploreState} */ state, /** @type {MultiRateManifest} */ manifest) {
  const shown = state.view.shown;
  const doing = `β weighs ${KL_WORDS}: higher β pulls codes together and blurs digits; lower β, sharper digits.`;
  if (shown.mr !== null && shown.mr !== undefined) {
    const beta = shown.mr;
    const recon = figureAt(manifest.figures.reconstruction, manifest.betas, beta);
    const kl = figureAt(manifest.figures.kl, manifest.betas, beta);
    return `${doing} Shown: ${modelWords(manifest)}, at β = ${betaText(beta)}, reconstruction ${recon.toFixed(1)} nats, KL ${kl.toFixed(1)} nats per test digit (${NATS_WORDS}).${smallEffect(manifest)}`;
  }
  // Off, on a phone, the box sits above the map: the gist only, so the map and the morph keep the first screen.
  if (state.dom.root.classList.contains("le-narrow")) return `β weighs ${KL_WORDS}. Drag to see one model at every β.`;
  const point = manifest.separate.find((p) => p.model === shown.model);
  // An autoencoder (β = 0) has no KL in its loss, yet its codes have one, measured: say so, or a reader asks why.
  const measured = point?.beta === 0 ? `, ${AUTOENCODER_KL}` : "";
  const figures = point
    ? `, reconstruction ${point.distortion.toFixed(1)} nats, KL ${point.rate.toFixed(1)} nats per test digit${measured} (${NATS_WORDS})`
    : "";
  const words = modelWords(hostData(state).models[shown.model] || {});
  return `${doing} Shown: ${words}, trained separately${figures}. Drag to see one model at every β.`;
}

/**
 * Where the slider's box sits: under the morph it redraws and under compare mode's rows (beside the map: a preset
 * that compares β lands with its rows on the first screen), or on a phone, where the morph falls under the map,
 * right above the map, so that the control and the codes it moves share the screen. Moved only when the layout
 * changes: a drag in progress keeps its input.
 * @param {ExploreState} state @param {HTMLElement} box
 */
function place(state, box) {
  const narrow = state.dom.root.classList.contains("le-narrow");
  const anchor = narrow ? state.dom.key : state.dom.below;
  if (anchor.previousElementSibling !== box) anchor.before(box);
  box.classList.toggle("le-mr-top", narrow);
}

/** The slider's row, up to date with the view. @param {ExploreState} state */
export function renderSlider(state) {
  const own = held(state);
  const { box, input, value, marks, list, line, curve, chart } = own.slider;
  place(state, box);
  const data = hostData(state);
  const model = data.models[state.view.shown.model];
  const manifest = model ? multirateManifest(state, model.latent) : null;
  box.style.display = manifest ? "" : "none";
  if (!manifest) return;
  const on = state.view.shown.mr !== null && state.view.shown.mr !== undefined;
  box.classList.toggle("le-on", on);
  state.dom.root.dataset.mr = on ? betaText(/** @type {number} */ (state.view.shown.mr)) : "";
  if (own.manifest !== manifest.name) {
    if (!own.manifest) curve.open = !state.dom.root.classList.contains("le-narrow");
    own.manifest = manifest.name;
    const [low, high] = manifest.betaRange;
    input.min = String(mrStep(low));
    input.max = String(mrStep(high));
    list.replaceChildren();
    marks.replaceChildren();
    const marked = manifest.separate.map((point) => point.beta).filter((beta) => beta >= low && beta <= high);
    for (const beta of marked) {
      const option = element(list, "option");
      option.setAttribute("value", String(mrStep(beta)));
      const mark = element(marks, "span", "le-mr-mark", `${beta}`);
      mark.style.left = `${(100 * (mrStep(beta) - mrStep(low))) / (mrStep(high) - mrStep(low))}%`;
    }
    marks.title = ticksWords(manifest.betaRange, marked);
  }
  const beta = on ? /** @type {number} */ (state.view.shown.mr) : model.beta > 0 ? model.beta : manifest.betaRange[0];
  input.value = String(mrStep(beta));
  value.textContent = on ? `β = ${betaText(beta)}` : offWords(model.beta);
  // Off, the slider is a bare track (explore.css; its value kept at the shown model's β, where a keyboard starts).
  const rests = "Off: the map shows a model trained separately; press or drag the track to apply a β. ";
  input.title = `${on ? "" : rests}${marks.title}`;
  line.textContent = lineText(state, manifest);
  drawCurve(chart, manifest, on ? beta : null, on ? null : state.view.shown.model);
}
