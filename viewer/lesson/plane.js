// One z = 2 plane on its canvas: the decoder's mosaic stretched over the box of that epoch's codes, the
// empty cells of the same grid shaded, the test codes coloured by digit, N(0, I)'s 1σ and 2σ circles, the
// probed point, and the axes. What it draws with arrives over HTTP; a missing piece is left out (the caller
// draws again once it has arrived).

import { DIGIT_COLOURS, PRIOR_RADII } from "../core/constants.js";
import { sizeCanvas } from "../core/dom.js";
import { niceStep, plotArea, projection, shownRange, ticks, tickText } from "./geometry.js";

const EMPTY_FILL = "rgba(255, 40, 90, 0.5)";
const OUTSIDE_FILL = "#5a5a5e"; // the plot where no box of codes reaches
const PRIOR = "#ffd400";
const PROBE = "#00e5ff";
const CROSS_PX = 9; // half the probe's cross

/** @typedef {import("./types.js").Box} Box */
/** @typedef {import("./types.js").LessonFrame} LessonFrame */
/** @typedef {import("./geometry.js").Area} Area */
/** @typedef {import("./geometry.js").Projection} Projection */

/**
 * What one drawing of a plane shows; null where it has not arrived (or, for the codes, is hidden).
 * @typedef {object} PlaneScene
 * @property {LessonFrame} frame
 * @property {Box} view                       the data box to fit (both models' boxes, or this model's)
 * @property {number} tiles                   the mosaic's grid side
 * @property {HTMLImageElement | null} mosaic
 * @property {Float32Array | null} codes      (count, 2)
 * @property {number[][] | null} byDigit      the codes' indices per digit
 * @property {{x: number, y: number} | null} probe
 */

/** @typedef {{area: Area, projection: Projection}} Placement  where a drawing put the data */

/**
 * Draws `scene` on `canvas`, `width` x `height` CSS pixels, and records on the canvas where the data went
 * (the test interface, docs/lesson.md): data-frame="x0,x1,y0,y1", the data at the plot area's edges, and
 * data-area="l,t,w,h", the plot area in CSS pixels from the canvas's top left.
 * @param {HTMLCanvasElement} canvas @param {PlaneScene} scene @param {number} width @param {number} height
 * @returns {Placement}
 */
export function drawPlane(canvas, scene, width, height) {
  const { area, narrow } = plotArea(width, height);
  const p = projection(scene.view, area);
  const context = sizeCanvas(canvas, width, height);
  context.clearRect(0, 0, width, height);
  context.fillStyle = OUTSIDE_FILL;
  context.fillRect(area.l, area.t, area.w, area.h);
  context.save();
  context.beginPath();
  context.rect(area.l, area.t, area.w, area.h);
  context.clip();
  drawMosaic(context, p, scene);
  if (scene.codes && scene.byDigit) drawCodes(context, p, scene.codes, scene.byDigit, width);
  drawPrior(context, p);
  if (scene.probe) drawProbe(context, p.px(scene.probe.x), p.py(scene.probe.y));
  context.restore();
  drawAxes(context, p, area, narrow);
  canvas.dataset.frame = shownRange(p, area).join(",");
  canvas.dataset.area = [area.l, area.t, area.w, area.h].join(",");
  return { area, projection: p };
}

/** The frame's box: black, the mosaic over it once loaded, its empty cells shaded, a thin white edge. */
function drawMosaic(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {Projection} */ p,
  /** @type {PlaneScene} */ scene,
) {
  const [bx0, bx1, by0, by1] = scene.frame.box;
  const left = p.px(bx0);
  const top = p.py(by1);
  const width = p.px(bx1) - left;
  const height = p.py(by0) - top;
  context.fillStyle = "#000";
  context.fillRect(left, top, width, height);
  if (scene.mosaic) {
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(scene.mosaic, left, top, width, height);
  }
  const { tiles } = scene;
  const cw = width / tiles;
  const ch = height / tiles;
  context.fillStyle = EMPTY_FILL;
  for (let r = 0; r < tiles; r++) {
    for (let c = 0; c < tiles; c++) {
      if (scene.frame.empty[r * tiles + c] === "1") context.fillRect(left + c * cw, top + r * ch, cw, ch);
    }
  }
  context.strokeStyle = "rgba(255, 255, 255, 0.7)";
  context.lineWidth = 1;
  context.strokeRect(left, top, width, height);
}

/** The test codes as small squares, one colour per digit, half transparent. */
function drawCodes(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {Projection} */ p,
  /** @type {Float32Array} */ codes,
  /** @type {number[][]} */ byDigit,
  /** @type {number} */ width,
) {
  const size = Math.max(1.5, Math.min(2.5, width / 260));
  const half = size / 2;
  context.globalAlpha = 0.55;
  byDigit.forEach((indices, digit) => {
    context.fillStyle = DIGIT_COLOURS[digit];
    for (const i of indices) context.fillRect(p.px(codes[2 * i]) - half, p.py(codes[2 * i + 1]) - half, size, size);
  });
  context.globalAlpha = 1;
}

/** N(0, I)'s circles: 1σ solid, 2σ dashed. */
function drawPrior(/** @type {CanvasRenderingContext2D} */ context, /** @type {Projection} */ p) {
  context.strokeStyle = PRIOR;
  context.lineWidth = 1.6;
  for (const radius of PRIOR_RADII) {
    context.setLineDash(radius > 1 ? [5, 4] : []);
    context.beginPath();
    context.arc(p.px(0), p.py(0), radius * p.s, 0, 2 * Math.PI);
    context.stroke();
  }
  context.setLineDash([]);
}

/** The probed point: a cyan cross on a black one, seen on any background. */
function drawProbe(/** @type {CanvasRenderingContext2D} */ context, /** @type {number} */ x, /** @type {number} */ y) {
  for (const [colour, lineWidth] of /** @type {Array<[string, number]>} */ ([
    ["#000", 4],
    [PROBE, 2],
  ])) {
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.beginPath();
    context.moveTo(x - CROSS_PX, y);
    context.lineTo(x + CROSS_PX, y);
    context.moveTo(x, y - CROSS_PX);
    context.lineTo(x, y + CROSS_PX);
    context.stroke();
  }
}

/** Ticks and their labels under and left of the plot area, one round step on both axes. */
function drawAxes(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {Projection} */ p,
  /** @type {Area} */ area,
  /** @type {boolean} */ narrow,
) {
  context.fillStyle = "#444";
  context.strokeStyle = "#999";
  context.lineWidth = 1;
  context.font = `${narrow ? 9 : 11}px sans-serif`;
  const [x0, x1, y0, y1] = shownRange(p, area);
  const step = niceStep(Math.max(x1 - x0, y1 - y0), narrow ? 3 : 7);
  const bottom = area.t + area.h;
  context.textAlign = "center";
  context.textBaseline = "top";
  for (const v of ticks(x0, x1, step)) {
    const x = p.px(v);
    context.beginPath();
    context.moveTo(x, bottom);
    context.lineTo(x, bottom + 3);
    context.stroke();
    context.fillText(tickText(v), Math.max(area.l + 6, Math.min(area.l + area.w - 6, x)), bottom + 4);
  }
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const v of ticks(y0, y1, step)) {
    const y = p.py(v);
    context.beginPath();
    context.moveTo(area.l - 3, y);
    context.lineTo(area.l, y);
    context.stroke();
    context.fillText(tickText(v), area.l - 4, Math.max(area.t + 5, Math.min(area.t + area.h - 5, y)));
  }
}
