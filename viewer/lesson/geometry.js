// The planes' numbers: boxes, data <-> canvas pixels, axis ticks and coordinate text. Pure functions.

/** @typedef {import("./types.js").Box} Box */
/** @typedef {{l: number, t: number, w: number, h: number}} Area  a plot area in CSS pixels: left, top, width, height */

/**
 * @typedef {object} Projection  data <-> CSS pixels of one plane's canvas, equal units on both axes
 * @property {number} s                   pixels per data unit
 * @property {(x: number) => number} px   data x -> pixel x
 * @property {(y: number) => number} py   data y -> pixel y (up is up)
 * @property {(px: number) => number} x   pixel x -> data x
 * @property {(py: number) => number} y   pixel y -> data y
 */

/**
 * The smallest box holding every box, widened on each side by `pad` times its longer side.
 * @param {Box[]} boxes @param {number} pad @returns {Box}
 */
export function union(boxes, pad) {
  let [x0, x1, y0, y1] = boxes[0];
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]);
    x1 = Math.max(x1, b[1]);
    y0 = Math.min(y0, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  const margin = pad * Math.max(x1 - x0, y1 - y0);
  return [x0 - margin, x1 + margin, y0 - margin, y1 + margin];
}

/**
 * Data <-> canvas pixels with equal units on both axes, `frame` as large as fits, centred in `area`.
 * @param {Box} frame @param {Area} area @returns {Projection}
 */
export function projection(frame, area) {
  const [x0, x1, y0, y1] = frame;
  const s = Math.min(area.w / (x1 - x0), area.h / (y1 - y0));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const mx = area.l + area.w / 2;
  const my = area.t + area.h / 2;
  return {
    s,
    px: (x) => mx + (x - cx) * s,
    py: (y) => my - (y - cy) * s,
    x: (px) => cx + (px - mx) / s,
    y: (py) => cy - (py - my) / s,
  };
}

/**
 * The data coordinates at the edges of `area` (what the plot area shows, wider than the frame on one axis).
 * @param {Projection} p @param {Area} area @returns {Box}
 */
export function shownRange(p, area) {
  return [p.x(area.l), p.x(area.l + area.w), p.y(area.t + area.h), p.y(area.t)];
}

/**
 * The plot area of a plane's canvas `width` x `height` (room left for the ticks), and whether it is narrow.
 * @param {number} width @param {number} height @returns {{area: Area, narrow: boolean}}
 */
export function plotArea(width, height) {
  const narrow = width < 300;
  const l = narrow ? 28 : 38;
  const t = 6;
  return { area: { l, t, w: width - l - 6, h: height - t - (narrow ? 18 : 22) }, narrow };
}

/**
 * A round step (1, 2 or 5 times a power of ten) giving about `target` ticks over `span`.
 * @param {number} span @param {number} target
 */
export function niceStep(span, target) {
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/**
 * The multiples of `step` from `lo` to `hi`, both included.
 * @param {number} lo @param {number} hi @param {number} step @returns {number[]}
 */
export function ticks(lo, hi, step) {
  const values = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) values.push(v);
  return values;
}

/**
 * A tick's label: at most three decimals, a true minus, no "-0".
 * @param {number} value
 */
export function tickText(value) {
  const text = String(Math.round(value * 1000) / 1000);
  return text === "-0" || text === "0" ? "0" : text.replace("-", "−");
}

/**
 * A coordinate as the server writes one (explorer.planes.figure): two decimals, a true minus, no "-0.00".
 * @param {number} value
 */
export function coordinate(value) {
  const text = (Math.round(value * 100) / 100).toFixed(2);
  return (text === "-0.00" ? "0.00" : text).replace("-", "−");
}
