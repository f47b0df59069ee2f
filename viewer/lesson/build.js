// The lesson's first screen as elements, top to bottom: a column of sample rows per model, the "Show me"
// presets, one bar of controls, a preset's line, the two planes side by side, the legend, a "still loading"
// notice, the two curves. Every class
// starts with lp- (lesson.css): in the Streamlit host the screen lives in the page's own DOM.

import { SIDE } from "../core/decoder.js";
import { element } from "../core/dom.js";

export const MODEL_COLOURS = ["#c0392b", "#1f6fb2"]; // autoencoder, VAE: headers, titles, curves

/**
 * @typedef {object} PlaneNodes  one plane: its title, its canvas, the hover tip and the probe's inset
 * @property {number} side
 * @property {HTMLDivElement} box
 * @property {HTMLDivElement} title
 * @property {HTMLDivElement} wrap
 * @property {HTMLCanvasElement} canvas
 * @property {HTMLDivElement} tip
 * @property {HTMLCanvasElement} tipCanvas  28 x 28: the decoded point under the pointer
 * @property {HTMLDivElement} tipText
 * @property {HTMLDivElement} inset
 * @property {HTMLImageElement} insetImage
 * @property {HTMLDivElement} insetText
 * @property {HTMLDivElement} scaleNote  Own scale: how many times wider its axes are than the other plane's (scale.js)
 */

/**
 * @typedef {object} CurveNodes
 * @property {HTMLDivElement} box
 * @property {HTMLDivElement} title
 * @property {HTMLCanvasElement} canvas
 * @property {HTMLDivElement} values  each model's figure at the epoch shown
 */
/** @typedef {{column: HTMLDivElement, head: HTMLDivElement}} ColumnNodes */

/**
 * @typedef {object} Nodes
 * @property {HTMLDivElement} root
 * @property {ColumnNodes[]} columns            the sample rows' columns, one per model
 * @property {HTMLSpanElement} sampleText
 * @property {HTMLButtonElement} newSamples
 * @property {HTMLButtonElement[]} scaleButtons  "same", "own" (data-scale)
 * @property {HTMLInputElement} codes           the "test codes" checkbox
 * @property {HTMLSpanElement} codesText
 * @property {HTMLButtonElement} draw           "decode one draw of N(0, I)"
 * @property {HTMLDivElement} epochs            the player: play button, slider, epoch
 * @property {HTMLButtonElement} play
 * @property {HTMLInputElement} slider
 * @property {HTMLSpanElement} epochText
 * @property {HTMLDivElement} presets         the "Show me" buttons
 * @property {HTMLDivElement} preset          the line of the preset last applied
 * @property {PlaneNodes[]} planes
 * @property {HTMLDivElement} legend
 * @property {HTMLDivElement} waiting
 * @property {HTMLDivElement} curvesRow
 * @property {CurveNodes[]} curves
 */

/** @param {Element} parent @param {string} className @param {string} [text] */
function plainButton(parent, className, text) {
  const made = element(parent, "button", className, text);
  made.type = "button";
  return made;
}

/** @param {HTMLDivElement} root */
function buildSamples(root) {
  const samples = element(root, "div", "lp-samples");
  const columns = MODEL_COLOURS.map((colour) => {
    const column = element(samples, "div", "lp-column");
    const head = element(column, "div", "lp-head");
    head.style.color = colour;
    return { column, head };
  });
  const sampleNote = element(root, "div", "lp-note lp-sample-note");
  const sampleText = element(sampleNote, "span");
  const newSamples = plainButton(sampleNote, "lp-button lp-new-samples");
  return { columns, sampleText, newSamples };
}

/** @param {HTMLDivElement} root */
function buildBar(root) {
  const bar = element(root, "div", "lp-bar");
  const segmented = element(bar, "div", "lp-segmented");
  const scaleButtons = ["same", "own"].map((value) => {
    const made = plainButton(segmented, "lp-button");
    made.dataset.scale = value;
    return made;
  });
  const codesLabel = element(bar, "label", "lp-check");
  const codes = element(codesLabel, "input");
  codes.type = "checkbox";
  codes.checked = true;
  const codesText = element(codesLabel, "span");
  const draw = plainButton(bar, "lp-button lp-draw");
  const epochs = element(bar, "div", "lp-epochs");
  const play = plainButton(epochs, "lp-button lp-play", "▶");
  const slider = element(epochs, "input", "lp-slider");
  slider.type = "range";
  slider.min = "0";
  slider.step = "1";
  const epochText = element(epochs, "span", "lp-epoch");
  return { scaleButtons, codes, codesText, draw, epochs, play, slider, epochText };
}

/** @param {HTMLDivElement} row @param {number} side @returns {PlaneNodes} */
function buildPlane(row, side) {
  const box = element(row, "div", "lp-plane");
  const title = element(box, "div", "lp-title");
  title.style.color = MODEL_COLOURS[side];
  const wrap = element(box, "div", "lp-wrap");
  const canvas = element(wrap, "canvas", "lp-canvas");
  // Right after the plot: where a phone's stylesheet leaves it in the flow, it is the line under the plot.
  const scaleNote = element(wrap, "div", "lp-scale-note");
  scaleNote.style.display = "none";
  const tip = element(wrap, "div", "lp-tip");
  const tipCanvas = element(tip, "canvas");
  tipCanvas.width = tipCanvas.height = SIDE;
  const tipText = element(tip, "div");
  const inset = element(wrap, "div", "lp-inset");
  const insetImage = element(inset, "img");
  insetImage.alt = "";
  const insetText = element(inset, "div", "lp-inset-text");
  return { side, box, title, wrap, canvas, tip, tipCanvas, tipText, inset, insetImage, insetText, scaleNote };
}

/** @param {HTMLDivElement} root */
function buildCurves(root) {
  const curvesRow = element(root, "div", "lp-curves");
  const curves = MODEL_COLOURS.map(() => {
    const box = element(curvesRow, "div", "lp-curve");
    const title = element(box, "div", "lp-curve-title");
    const canvas = element(box, "canvas");
    const values = element(box, "div", "lp-curve-values");
    return { box, title, canvas, values };
  });
  return { curvesRow, curves };
}

/**
 * The screen's elements, appended to `parent`; texts and drawings come with the data.
 * @param {HTMLElement} parent @returns {Nodes}
 */
export function buildScreen(parent) {
  const root = element(parent, "div", "lp-root");
  const samples = buildSamples(root);
  const presets = element(root, "div", "lp-presets"); // above the planes: in view on every first screen
  const bar = buildBar(root);
  const preset = element(root, "div", "lp-preset");
  const planesRow = element(root, "div", "lp-planes");
  const planes = MODEL_COLOURS.map((_, side) => buildPlane(planesRow, side));
  const legend = element(root, "div", "lp-note lp-legend");
  const waiting = element(root, "div", "lp-waiting");
  return { root, ...samples, ...bar, presets, preset, planes, legend, waiting, ...buildCurves(root) };
}
