// One z = 2 plane on its canvas: the decoder's mosaic stretched over the box of that epoch's codes, the
// empty cells of the same grid shaded, the test codes coloured by digit, N(0, I)'s 1σ and 2σ circles, the
// probed point, and the axes. What it draws with arrives over HTTP; a missing piece is left out (the caller
// draws again once it has arrived).

import { DIGIT_COLOURS, PRIOR_RADII } from "../core/constants.js";
import { sizeCanvas } from "../core/dom.js";
import { HOLE_FILL } from "../core/holes.js";
import { niceStep, plotArea, projection, shownRange, ticks, tickText } from "./geometry.js";

const OUTSIDE_FILL = "#5a5a5e"; // the plot where no box of codes reaches
const PRIOR = "#ffd400";
const PROBE = "#00e5ff";
const CROSS_PX = 9; // half the probe's cross
// The nearest code's ring (radius 4) is seen clear of the "+" only this far from it: nearer, the inset does not
// call it "ringed" (readers looked for a ring hidden under the cross).
const RING_CLEAR_PX = CROSS_PX + 6;

/**
 * Whether a drawing's nearest-code ring can be seen: drawn (the "+" on the view) and clear of the cross.
 * @param {Placement | null} placement
 */
export function ringSeen(placement) {
  const mark = placement?.marker;
  const link = placement?.link;
  return Boolean(mark && link && !mark.off && Math.hypot(link.x - mark.x, link.y - mark.y) > RING_CLEAR_PX);
}

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
 * @property {[number, number] | null} nearest  the probe's nearest test code: a thin line joins them
 * @property {string} ringsOff                  said on the plot when N(0, I)'s circles are all off its view
 * @property {string} ringsAround               said instead when the view lies wholly inside them
 */

/**
 * Where a drawing put the data, and where it marked the probe: at the point itself, or, for a point off the
 * view, on the plot area's edge in its direction (an arrow there: `off`).
 * @typedef {{area: Area, projection: Projection, marker: ProbeMarker | null, link?: {x: number, y: number} | null}}
 *   Placement  link: the nearest test code's ring, where a line joins it to the "+" (CSS pixels)
 */

/** @typedef {{x: number, y: number, off: boolean, angle: number}} ProbeMarker  CSS pixels; angle: towards the point */

const EDGE_PX = 14; // how far inside the plot area an off-view probe's arrow sits

/**
 * The probe's marker for canvas pixel (x, y): the point itself inside `area`, else the spot EDGE_PX inside the
 * area's edge on the line from the area's centre towards it, with the direction to point in.
 * @param {Area} area @param {number} x @param {number} y @returns {ProbeMarker}
 */
export function probeMarker(area, x, y) {
  const inside = x >= area.l && x <= area.l + area.w && y >= area.t && y <= area.t + area.h;
  const cx = area.l + area.w / 2;
  const cy = area.t + area.h / 2;
  const angle = Math.atan2(y - cy, x - cx);
  if (inside) return { x, y, off: false, angle };
  const hx = area.w / 2 - EDGE_PX;
  const hy = area.h / 2 - EDGE_PX;
  const reach = Math.min(Math.abs(hx / Math.cos(angle)), Math.abs(hy / Math.sin(angle)));
  return { x: cx + reach * Math.cos(angle), y: cy + reach * Math.sin(angle), off: true, angle };
}

/**
 * Draws `scene` on `canvas`, `width` x `height` CSS pixels, and records on the canvas where the data went
 * (the test interface, docs/lesson.md): data-frame="x0,x1,y0,y1", the data at the plot area's edges, and
 * data-area="l,t,w,h", the plot area in CSS pixels from the canvas's top left; data-probe, "in", "off" (the point
 * is off the view: an arrow on the edge marks it) or "" (no probe shown), and data-marker="x,y", the mark's place.
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
  const marker = scene.probe ? probeMarker(area, p.px(scene.probe.x), p.py(scene.probe.y)) : null;
  const link = marker && !marker.off && scene.nearest ? { x: p.px(scene.nearest[0]), y: p.py(scene.nearest[1]) } : null;
  if (marker && link) drawLink(context, marker, link);
  if (marker) (marker.off ? drawArrow : drawProbe)(context, marker);
  context.restore();
  const off = ringsOff(shownRange(p, area));
  const around = off.length > 0 && off.every((radius) => ringAround(shownRange(p, area), radius));
  if (off.length) drawRingsNote(context, area, narrow, off, around ? scene.ringsAround : scene.ringsOff);
  drawAxes(context, p, area, narrow);
  canvas.dataset.frame = shownRange(p, area).join(",");
  canvas.dataset.area = [area.l, area.t, area.w, area.h].join(",");
  canvas.dataset.probe = marker ? (marker.off ? "off" : "in") : "";
  canvas.dataset.marker = marker ? `${Math.round(marker.x)},${Math.round(marker.y)}` : "";
  canvas.dataset.link = link ? `${Math.round(link.x)},${Math.round(link.y)}` : "";
  canvas.dataset.ringsOff = off.join(",");
  return { area, projection: p, marker, link };
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
  context.fillStyle = HOLE_FILL;
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

/**
 * The radii of N(0, I)'s circles (PRIOR_RADII) of which nothing lies in `shown` (x0, x1, y0, y1): a circle
 * misses the view when the view lies wholly inside it (an untrained network's codes span about ±0.3) or wholly
 * outside it. @param {Box} shown @returns {number[]}
 */
export function ringsOff(shown) {
  const [x0, x1, y0, y1] = shown;
  const nearX = Math.max(x0, Math.min(0, x1));
  const nearY = Math.max(y0, Math.min(0, y1));
  const near = Math.hypot(nearX, nearY);
  const far = Math.hypot(Math.max(-x0, x1), Math.max(-y0, y1));
  return PRIOR_RADII.filter((radius) => radius < near || radius > far);
}

/**
 * Whether N(0, I)'s circle of `radius` lies wholly around the view `shown` (x0, x1, y0, y1): the view's farthest
 * corner inside it. @param {Box} shown @param {number} radius
 */
export function ringAround(shown, radius) {
  const [x0, x1, y0, y1] = shown;
  return radius > Math.hypot(Math.max(-x0, x1), Math.max(-y0, y1));
}

/** The plot's text size: 13 px on a wide plot (a projector's minimum), 11 px elsewhere, a phone's included. */
function labelPx(/** @type {Area} */ area, /** @type {boolean} */ narrow) {
  return !narrow && area.w >= 560 ? 13 : 11;
}

/**
 * "N(0, I) 1σ, 2σ: beyond this view", in the circles' yellow on a dark box, in the plot area's top left corner;
 * on two lines where one does not fit the plot (a phone), never squeezed below the plot's text size.
 */
function drawRingsNote(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {Area} */ area,
  /** @type {boolean} */ narrow,
  /** @type {number[]} */ radii,
  /** @type {string} */ words,
) {
  const size = labelPx(area, narrow) + (narrow ? 0 : 1);
  const head = `N(0, I) ${radii.map((radius) => `${radius}σ`).join(", ")}:`;
  context.font = `${size}px sans-serif`;
  const pad = Math.round(size / 3);
  const room = area.w - 4 * pad;
  const lines = context.measureText(`${head} ${words}`).width <= room ? [`${head} ${words}`] : [head, words];
  const width = Math.max(...lines.map((line) => context.measureText(line).width));
  const lineHeight = size + 2;
  context.fillStyle = "rgba(0, 0, 0, 0.72)";
  context.fillRect(area.l + pad, area.t + pad, width + 2 * pad, lines.length * lineHeight - 2 + 2 * pad);
  context.fillStyle = PRIOR;
  context.textAlign = "left";
  context.textBaseline = "top";
  lines.forEach((line, i) => {
    context.fillText(line, area.l + 2 * pad, area.t + 2 * pad + i * lineHeight);
  });
}

/** A thin line from the probe's cross to its nearest test code, and a ring on that code: the distance, seen. */
function drawLink(
  /** @type {CanvasRenderingContext2D} */ context,
  /** @type {ProbeMarker} */ from,
  /** @type {{x: number, y: number}} */ to,
) {
  for (const [colour, lineWidth] of /** @type {Array<[string, number]>} */ ([
    ["#000", 3],
    [PROBE, 1.2],
  ])) {
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.moveTo(to.x + 4, to.y);
    context.arc(to.x, to.y, 4, 0, 2 * Math.PI);
    context.stroke();
  }
}

/** The probed point: a cyan cross on a black one, seen on any background. */
function drawProbe(/** @type {CanvasRenderingContext2D} */ context, /** @type {ProbeMarker} */ { x, y }) {
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

/** A probed point off the view: a cyan arrow on the edge, pointing towards it. */
function drawArrow(/** @type {CanvasRenderingContext2D} */ context, /** @type {ProbeMarker} */ { x, y, angle }) {
  context.save();
  context.translate(x, y);
  context.rotate(angle);
  context.beginPath();
  context.moveTo(CROSS_PX + 2, 0);
  context.lineTo(-CROSS_PX, -CROSS_PX + 1);
  context.lineTo(-CROSS_PX + 4, 0);
  context.lineTo(-CROSS_PX, CROSS_PX - 1);
  context.closePath();
  context.fillStyle = PROBE;
  context.strokeStyle = "#000";
  context.lineWidth = 2;
  context.stroke();
  context.fill();
  context.restore();
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
  context.font = `${labelPx(area, narrow)}px sans-serif`;
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
