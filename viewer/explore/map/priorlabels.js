// Where N(0, I)'s circle labels sit: always ON the circle each names, centred on it (its background hides the
// dashed line under it), so no label reads as another ring's (issue 24: a label pushed outward off the path sat
// between the 1σ and 2σ circles). A label slides along its own circle: the angle kept while it still fits, else
// the free angle nearest the top, where free means it covers no A/B/★ marker, no part of the path (its line and
// frame dots), no label already placed, no other circle, and stays inside the plot; failing that the same
// without the other circles; failing that the least covered angle, still on its circle. Plotly draws the labels
// (annotations named "prior:<radius>", plot.js baseLayout); this only moves them (Plotly.relayout).

import { plotly } from "../../core/chart.js";
import { PRIOR_RADII } from "../../core/constants.js";
import { renderHolesKey } from "../holes.js";
import { shownPriorNote } from "./plot.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {[number, number, number, number]} Box   left, top, right, bottom in plot pixels
 */

const STEP = 15; // degrees between the angles tried
// Degrees counter-clockwise from the right, nearest the top first (90, 105, 75, 120, 60, ... -90).
export const ANGLES = [
  90,
  ...Array.from({ length: 180 / STEP - 1 }, (_, k) => (k + 1) * STEP).flatMap((d) => [90 + d, 90 - d]),
  -90,
];
const FONT = "13px sans-serif"; // the labels' font (plot.js)
const PAD = 8; // the label's background box beyond its text, both sides together
export const LINE_CLEAR = 6; // px kept between a label and the path's centre line (overlay.js: dots 3.6 + 0.8 px, halo 2.5)

/** The annotation's anchor for a label at `angle` on its circle: its centre on the circle. @param {number} angle */
export function anchorAt(angle) {
  return {
    xanchor: "center",
    yanchor: "middle",
    xshift: 0,
    yshift: 0,
    c: Math.cos((angle * Math.PI) / 180),
    s: Math.sin((angle * Math.PI) / 180),
  };
}

/**
 * The label's box in plot pixels (y down) for a circle of centre (cx, cy) and radius r px: centred on the circle.
 * @param {number} cx @param {number} cy @param {number} r @param {number} angle @param {number} width @param {number} height
 * @returns {Box}
 */
export function labelBox(cx, cy, r, angle, width, height) {
  const { c, s } = anchorAt(angle);
  const x = cx + r * c;
  const y = cy - r * s;
  return [x - width / 2, y - height / 2, x + width / 2, y + height / 2];
}

/** Whether a box crosses the circle of centre (cx, cy) and radius r (px). @param {Box} b @param {number} cx @param {number} cy @param {number} r */
export function crossesCircle(b, cx, cy, r) {
  const near = Math.hypot(Math.max(0, b[0] - cx, cx - b[2]), Math.max(0, b[1] - cy, cy - b[3]));
  const far = Math.hypot(
    Math.max(Math.abs(b[0] - cx), Math.abs(b[2] - cx)),
    Math.max(Math.abs(b[1] - cy), Math.abs(b[3] - cy)),
  );
  return near <= r && r <= far;
}

/** @param {Box} a @param {Box} b */
export function overlaps(a, b) {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * The gap between a box and the segment p-q (0 when the segment crosses or touches the box).
 * @param {Box} box @param {number[]} p @param {number[]} q
 */
export function segmentApart(box, p, q) {
  // Liang-Barsky: does the segment enter the box?
  let t0 = 0;
  let t1 = 1;
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const sides = [
    [-dx, p[0] - box[0]],
    [dx, box[2] - p[0]],
    [-dy, p[1] - box[1]],
    [dy, box[3] - p[1]],
  ];
  let inside = true;
  for (const [d, room] of sides) {
    if (d === 0) {
      if (room < 0) inside = false;
    } else {
      const t = room / d;
      if (d < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  if (inside && t0 <= t1) return 0;
  // Apart: the nearest pair is an end of the segment to the box, or a corner of the box to the segment.
  const toBox = (/** @type {number[]} */ r) =>
    Math.hypot(Math.max(0, box[0] - r[0], r[0] - box[2]), Math.max(0, box[1] - r[1], r[1] - box[3]));
  const toSegment = (/** @type {number[]} */ r) => {
    const length = dx * dx + dy * dy;
    const t = length ? Math.min(1, Math.max(0, ((r[0] - p[0]) * dx + (r[1] - p[1]) * dy) / length)) : 0;
    return Math.hypot(p[0] + t * dx - r[0], p[1] + t * dy - r[1]);
  };
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ];
  return Math.min(toBox(p), toBox(q), ...corners.map(toSegment));
}

/** The gap between a box and a polyline (Infinity for none). @param {Box} box @param {number[][]} line */
export function lineApart(box, line) {
  if (line.length === 1) return segmentApart(box, line[0], line[0]);
  let gap = Infinity;
  for (let i = 1; i < line.length; i++) gap = Math.min(gap, segmentApart(box, line[i - 1], line[i]));
  return gap;
}

/**
 * One angle per circle (in order), each label centred on its own circle: the kept one when it still fits, else the
 * first of ANGLES (nearest the top) that fits (no obstacle, earlier label nor other circle covered, no line within
 * LINE_CLEAR px, inside `plot`); else the first that fits but for the other circles; else null: no room on its
 * circle (a small circle under a marker and the path), the label is hidden and the note under the map names it.
 * @param {Array<{cx: number, cy: number, r: number, width: number, height: number, current: number | null}>} circles
 * @param {Box[]} obstacles @param {Box} plot
 * @param {number[][][]} [lines] polylines in plot pixels (the path: its line and the dots at its frames)
 * @returns {Array<number | null>}
 */
export function chooseAngles(circles, obstacles, plot, lines = []) {
  const taken = [...obstacles];
  const lineGap = (/** @type {Box} */ b) => Math.min(Infinity, ...lines.map((line) => lineApart(b, line)));
  return circles.map(({ cx, cy, r, width, height, current }, n) => {
    const box = (/** @type {number} */ angle) => labelBox(cx, cy, r, angle, width, height);
    const within = (/** @type {Box} */ b) => b[0] >= plot[0] && b[1] >= plot[1] && b[2] <= plot[2] && b[3] <= plot[3];
    const others = circles.filter((_, m) => m !== n);
    const fits = (/** @type {number} */ angle) => {
      const b = box(angle);
      return within(b) && !taken.some((o) => overlaps(b, o)) && lineGap(b) > LINE_CLEAR;
    };
    const alone = (/** @type {number} */ angle) =>
      fits(angle) && !others.some((o) => crossesCircle(box(angle), o.cx, o.cy, o.r));
    const order = current === null ? ANGLES : [current, ...ANGLES.filter((a) => a !== current)];
    const angle = order.find(alone) ?? order.find(fits);
    if (angle === undefined) return null;
    taken.push(box(angle));
    return angle;
  });
}

/** @type {CanvasRenderingContext2D | null} */
let measurer = null;

/** @type {WeakMap<ExploreState, string>} the hidden labels' words each widget's note last showed */
const noted = new WeakMap();

/**
 * Where a label found no room on its circle (hidden): N(0, I)'s circles that show no label, in words for the line
 * under the map; "" when every label that fits the map shows. @param {any} graph the map's graph div
 */
export function hiddenPriorNote(graph) {
  const labels = (graph.layout?.annotations || []).filter(
    (/** @type {any} */ a) => typeof a.name === "string" && a.name.startsWith("prior:"),
  );
  if (!labels.some((/** @type {any} */ a) => a.visible === false)) return "";
  const shown = labels.filter((/** @type {any} */ a) => a.visible !== false).map((/** @type {any} */ a) => a.name);
  const rings = PRIOR_RADII.filter((radius) => !shown.includes(`prior:${radius}`)).map((radius) => `${radius}σ`);
  const [ring, are, it] = rings.length > 1 ? ["rings", "are", "them"] : ["ring", "is", "it"];
  return `N(0, I): the dashed ${ring} at ${rings.join(" and ")} ${are} unlabelled here (A, B and the path leave no room on ${it})`;
}

/** A label's width and height in px. @param {string} text */
function labelSize(text) {
  measurer = measurer || /** @type {CanvasRenderingContext2D} */ (document.createElement("canvas").getContext("2d"));
  measurer.font = FONT;
  return { width: Math.ceil(measurer.measureText(text).width) + PAD, height: 20 };
}

/**
 * Slides the prior's labels along their circles off the markers (`obstacles`, plot pixels) and the path (`lines`)
 * when they need it.
 * @param {ExploreState} state @param {import("./area.js").Area} area @param {Box[]} obstacles
 * @param {number[][][]} [lines]
 */
export function placePriorLabels(state, area, obstacles, lines = []) {
  const graph = /** @type {any} */ (state.dom.graph);
  const annotations = graph.layout?.annotations;
  const Plotly = plotly();
  if (!Plotly || !Array.isArray(annotations)) return;
  const labels = annotations
    .map((/** @type {any} */ a, /** @type {number} */ i) => ({ a, i }))
    .filter(({ a }) => typeof a.name === "string" && a.name.startsWith("prior:"));
  if (!labels.length) return;
  const circles = labels.map(({ a }) => {
    const radius = Number(a.name.slice(6));
    const [cx, cy] = a.centre;
    const r = Math.abs(area.xa.l2p(cx + radius) - area.xa.l2p(cx));
    return { cx: area.xa.l2p(cx), cy: area.ya.l2p(cy), r, ...labelSize(a.text), current: a.angle ?? null, radius };
  });
  const angles = chooseAngles(circles, obstacles, [0, 0, area.width, area.height], lines);
  /** @type {Record<string, unknown>} */
  const update = {};
  labels.forEach(({ a, i }, n) => {
    const angle = angles[n];
    const prefix = `annotations[${i}].`;
    if ((a.visible !== false) !== (angle !== null)) {
      update[`${prefix}visible`] = angle !== null;
      a.visible = angle !== null;
    }
    if (angle === null || a.angle === angle) return;
    state.cache.priorAngles[circles[n].radius] = angle; // the next layout (another model, a resize) starts there
    Object.assign(update, priorLabelAt(a.centre, circles[n].radius, angle, prefix));
    a.angle = angle; // what is asked for: asked again only when it changes
  });
  const hidden = hiddenPriorNote(graph);
  if (noted.get(state) !== hidden) {
    noted.set(state, hidden);
    renderHolesKey(state, shownPriorNote(state)); // the line under the map names a ring left unlabelled
  }
  if (!Object.keys(update).length) return;
  // A relayout renders the whole plot again (~150 ms on these machines): after the frame that shows the strip
  // and markers, never before it (a β change's strip waited for it: 24 -> 178 ms, benchmarks/page_speed.py).
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (graph.layout?.annotations === annotations) Plotly.relayout(graph, update);
    }, 0),
  );
}

/**
 * The placement fields of a label at `angle` on the circle of `radius` around `centre` (data units), each key
 * prefixed (for Plotly.relayout) or not (for a new layout).
 * @param {number[]} centre @param {number} radius @param {number} angle @param {string} [prefix]
 */
export function priorLabelAt(centre, radius, angle, prefix = "") {
  const { xanchor, yanchor, xshift, yshift, c, s } = anchorAt(angle);
  const fields = { x: centre[0] + radius * c, y: centre[1] + radius * s, xanchor, yanchor, xshift, yshift };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [prefix + k, v]));
}
