// The two curves over training epochs under the planes: the share of N(0, I) draws that read as a digit,
// and the share of empty cells, one line per model, a dot and a dashed cursor at the epoch shown.

import { element, sizeCanvas } from "../core/dom.js";
import { MODEL_COLOURS } from "./build.js";
import { frameAt } from "./manifest.js";

const HEIGHT_PX = 96;

/** @typedef {import("./types.js").LessonModel} LessonModel */
/** @typedef {import("./types.js").LessonFrame} LessonFrame */
/** @typedef {import("./build.js").CurveNodes} CurveNodes */

/**
 * One curve's figures: per model, the value at each frame (null: not measured) and the text beside it.
 * @typedef {{values: (f: LessonFrame) => number | null, text: (f: LessonFrame) => string}} Series
 */

/** @type {Series[]} */
const SERIES = [
  { values: (f) => f.readable, text: (f) => f.readable_text },
  { values: (f) => f.empty_share, text: (f) => f.empty_value },
];

/**
 * Draws both curves at `epoch` (the models' snapshots over `epochs`); `short` names the models; under each
 * curve, each model's figure at the epoch shown ("at epoch 40: Autoencoder 52% VAE 69%").
 * @param {CurveNodes[]} curves @param {LessonModel[]} models @param {number[]} epochs @param {number} epoch
 * @param {string[]} short @param {string} epochWord
 */
export function drawCurves(curves, models, epochs, epoch, short, epochWord) {
  if (epochs.length < 2) return;
  const last = epochs[epochs.length - 1] || 1;
  curves.forEach((curve, k) => {
    const width = curve.box.clientWidth;
    if (!width) return;
    const context = sizeCanvas(curve.canvas, width, HEIGHT_PX);
    context.clearRect(0, 0, width, HEIGHT_PX);
    const left = width >= 600 ? 42 : 34; // room for "100%" at 13 px
    const area = { l: left, t: 6, w: width - left - 8, h: HEIGHT_PX - 24 };
    const px = (/** @type {number} */ e) => area.l + (e / last) * area.w;
    const py = (/** @type {number} */ value) => area.t + (1 - value) * area.h;
    drawGrid(context, area, last, px, py, epochWord);
    models.forEach((model, side) => {
      drawLine(context, model, SERIES[k], frameAt(model, epoch), MODEL_COLOURS[side], px, py);
    });
    context.strokeStyle = "#888";
    context.setLineDash([3, 3]);
    context.beginPath();
    context.moveTo(px(epoch), area.t);
    context.lineTo(px(epoch), area.t + area.h);
    context.stroke();
    context.setLineDash([]);
    curve.values.replaceChildren();
    element(curve.values, "span", "", `at ${epochWord} ${epoch}:`);
    models.forEach((model, side) => {
      const span = element(curve.values, "span", "", `${short[side]} ${SERIES[k].text(frameAt(model, epoch))}`);
      span.style.color = MODEL_COLOURS[side];
    });
  });
}

/** Lines at 0, 50 and 100 %, and the first, middle ("epoch 50") and last epochs under the axis. */
function drawGrid(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {import("./geometry.js").Area} */ area,
  /** @type {number} */ last,
  /** @type {(e: number) => number} */ px,
  /** @type {(value: number) => number} */ py,
  /** @type {string} */ epochWord,
) {
  context.strokeStyle = "#ccc";
  context.fillStyle = "#555";
  context.font = `${area.w >= 560 ? 13 : 10}px sans-serif`; // 13 px on a big screen: a projector's minimum
  context.lineWidth = 1;
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const value of [0, 0.5, 1]) {
    context.beginPath();
    context.moveTo(area.l, py(value));
    context.lineTo(area.l + area.w, py(value));
    context.stroke();
    context.fillText(`${Math.round(value * 100)}%`, area.l - 4, py(value));
  }
  context.textBaseline = "top";
  const below = area.t + area.h + 3;
  context.textAlign = "left";
  context.fillText("0", px(0), below);
  context.textAlign = "center";
  context.fillText(`${epochWord} ${Math.round(last / 2)}`, px(Math.round(last / 2)), below);
  context.textAlign = "right"; // the last epoch's number ends at the plot's edge: never clipped
  context.fillText(String(last), px(last), below);
}

/** One model's line over its frames, with a dot at the frame shown. */
function drawLine(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {LessonModel} */ model,
  /** @type {Series} */ series,
  /** @type {LessonFrame} */ shown,
  /** @type {string} */ colour,
  /** @type {(e: number) => number} */ px,
  /** @type {(value: number) => number} */ py,
) {
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  model.frames.forEach((frame, i) => {
    const value = series.values(frame);
    if (value === null) return;
    if (i === 0) context.moveTo(px(frame.epoch), py(value));
    else context.lineTo(px(frame.epoch), py(value));
  });
  context.stroke();
  const value = series.values(shown);
  if (value !== null) {
    context.fillStyle = colour;
    context.beginPath();
    context.arc(px(shown.epoch), py(value), 3.5, 0, 2 * Math.PI);
    context.fill();
  }
}
