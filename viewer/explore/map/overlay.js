// The overlay: a 2-D canvas over the plot area for the path, A, B, the drawing's star and the scrub marker,
// above every WebGL point and redrawn without touching Plotly.

import { knnPlace, project } from "../../core/projection.js";
import { codeOf, currentModel, pathAt } from "../endpoints.js";
import { pathHoles, ringAt, shadeHoles } from "../holes.js";
import { plotArea } from "./area.js";
import { placePriorLabels } from "./priorlabels.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {[number, number] | null} XY
 */

/** Sizes the overlay to the plot area. @param {ExploreState} state */
export function placeOverlay(state) {
  const area = plotArea(state);
  const canvas = state.dom.overlay;
  if (!area) return;
  const ratio = window.devicePixelRatio || 1;
  const rootBox = state.dom.mapBox.getBoundingClientRect();
  canvas.style.left = `${area.left - rootBox.left}px`;
  canvas.style.top = `${area.top - rootBox.top}px`;
  canvas.style.width = `${area.width}px`;
  canvas.style.height = `${area.height}px`;
  canvas.width = Math.round(area.width * ratio);
  canvas.height = Math.round(area.height * ratio);
}

/**
 * A code's place on the map shown: exact on the plane and PCA, the 10-nearest-codes estimate on t-SNE.
 * @param {ExploreState} state @param {ArrayLike<number>} code @returns {XY}
 */
export function placeCode(state, code) {
  const model = currentModel(state);
  const map = state.view.shown.map;
  const pca = model.manifest.maps.pca;
  if (map === "plane") return [code[0], code[1]];
  if (map === "pca" && pca) return project(pca, code);
  if (map === "tsne" && model.mu && model.maps.tsne)
    return knnPlace(model.mu, model.manifest.latent, model.maps.tsne, code);
  return null;
}

/** Map coordinates of the shown path's frames and of each endpoint (null where a code is not known yet). */
function overlayPoints(/** @type {ExploreState} */ state) {
  const { path, ends, drawn, scrub } = state.view;
  const place = (/** @type {ArrayLike<number> | null} */ code) => (code ? placeCode(state, code) : null);
  return {
    path: path ? path.codes.map(place) : null,
    holes: pathHoles(state), // per frame of the path: in a hole of the z = 2 plane shown (null elsewhere)
    a: place(codeOf(state, ends.a)),
    b: place(codeOf(state, ends.b)),
    drawn: place(codeOf(state, drawn)),
    scrub: scrub !== null && path ? place(pathAt(path, scrub)) : null,
  };
}

/**
 * Draws the path, its frames, the endpoints and the scrub marker; then, unless the map is moving under a zoom or
 * pan, moves N(0, I)'s labels off the markers. @param {ExploreState} state @param {boolean} [moving]
 */
export function drawOverlay(state, moving = false) {
  const canvas = state.dom.overlay;
  const area = plotArea(state);
  if (!area || !canvas.width) return;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const ratio = canvas.width / area.width;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, area.width, area.height);
  state.cache.overlayPoints = state.cache.overlayPoints || overlayPoints(state);
  const points = state.cache.overlayPoints;
  const pixel = (/** @type {XY} */ xy) => (xy ? [area.xa.l2p(xy[0]), area.ya.l2p(xy[1])] : null);
  state.cache.holeCells = shadeHoles(state, context, pixel);
  const path = points.path ? /** @type {number[][]} */ (points.path.map(pixel).filter(Boolean)) : [];
  state.cache.pathPixels = path;
  if (path.length > 1) drawPath(context, path);
  const ringed = [];
  if (points.holes && path.length === points.holes.length) {
    for (let i = 0; i < path.length; i++) {
      if (!points.holes[i]) continue;
      ringAt(context, path[i][0], path[i][1]);
      ringed.push(path[i]);
    }
  }
  state.cache.ringPixels = ringed;
  // The star's label goes under it: a drawing used as A or B has that endpoint's label above the same spot.
  // Each label stays inside the plot (the overlay clips at its edges): beside its marker near the top (away from
  // the other endpoint) or under it, above it near the bottom, shifted in from a side (labelPlace).
  const size = { width: area.width, height: area.height };
  marker(context, pixel(points.drawn), "star", "#ffd400", "★ you", true, size);
  const [pa, pb] = [pixel(points.a), pixel(points.b)];
  const away = pa && pb ? Math.sign(pa[0] - pb[0]) : 0; // A's label's side away from B (B's: the other)
  const labelA = marker(context, pa, "diamond", "#111", "A", false, size, away);
  const labelB = marker(context, pb, "square", "#111", "B", false, size, -away);
  const scrub = pixel(points.scrub);
  if (scrub) {
    context.beginPath();
    context.arc(scrub[0], scrub[1], 8, 0, 2 * Math.PI);
    context.lineWidth = 3;
    context.strokeStyle = "#d62728";
    context.stroke();
  }
  // The endpoints' labels' boxes too (le:inspect `labels`): a test holds them inside the plot.
  state.cache.markerPixels = { a: pa, b: pb, aLabel: labelA, bLabel: labelB };
  if (!moving && state.dom.graph._fullLayout) {
    const boxes = [
      markerBox(pa, 9, "A", false, size, away),
      markerBox(pb, 9, "B", false, size, -away),
      markerBox(pixel(points.drawn), 11, "★ you", true, size),
    ].filter((box) => box !== null);
    placePriorLabels(state, area, /** @type {[number, number, number, number][]} */ (boxes), path.length ? [path] : []);
  }
}

/** The path: a dark line on a white halo, a dot at each inner frame. */
function drawPath(/** @type {CanvasRenderingContext2D} */ context, /** @type {number[][]} */ path) {
  context.lineJoin = "round";
  context.lineWidth = 5;
  context.strokeStyle = "rgba(255,255,255,0.9)";
  context.beginPath();
  context.moveTo(path[0][0], path[0][1]);
  for (const [x, y] of path.slice(1)) context.lineTo(x, y);
  context.stroke();
  context.lineWidth = 2.5;
  context.strokeStyle = "#111";
  context.stroke();
  for (const [x, y] of path.slice(1, -1)) {
    context.beginPath();
    context.arc(x, y, 3.6, 0, 2 * Math.PI);
    context.fillStyle = "#fff";
    context.fill();
    context.lineWidth = 1.6;
    context.stroke();
  }
}

const LABEL_PX = 14; // bold 14 px labels
const LABEL_GAP = 5; // between a marker and its label's baseline (above) or its top (under)

/**
 * Where a marker's label goes, in plot pixels: its centre x, its baseline y and the box it may cover [left, top,
 * right, bottom] (bold 14 px: about 10 px a letter, with the halo). Above the marker (the star's under it), unless
 * that crosses the plot's top (then beside it, on the `away` side when it fits there, else under) or, for a label
 * under, its bottom (then above); moved in from a side.
 * @param {number[]} xy @param {number} r @param {string} label @param {boolean} below
 * @param {{width: number, height: number}} [size] the plot area; none: no edges
 * @param {number} [away] -1 or 1: the side away from the other endpoint (0: none)
 */
export function labelPlace(xy, r, label, below, size, away = 0) {
  const [x, y] = xy;
  const half = 7 + 5 * label.length;
  const above = (/** @type {number} */ baseline) => baseline - LABEL_PX - 2; // the label's top
  const baselineAbove = y - r - LABEL_GAP;
  const baselineUnder = y + r + LABEL_GAP + LABEL_PX - 4;
  let under = below;
  if (size && !under && above(baselineAbove) < 0 && away) {
    // Beside the marker, on the side away from the other endpoint: under it, the label sat by the path's first
    // frame and read as that frame's (a read-through, phone).
    const cx = x + away * (r + LABEL_GAP + half - 4);
    if (cx - half >= 0 && cx + half <= size.width) {
      const baseline = Math.max(LABEL_PX + 2, y + LABEL_PX / 2 - 2);
      return { x: cx, baseline, box: [cx - half, above(baseline), cx + half, baseline + 6] };
    }
  }
  if (size && !under && above(baselineAbove) < 0) under = true;
  else if (size && under && baselineUnder + 6 > size.height && above(baselineAbove) >= 0) under = false;
  const cx = size ? Math.min(Math.max(x, half), Math.max(half, size.width - half)) : x;
  const baseline = under ? baselineUnder : baselineAbove;
  return { x: cx, baseline, box: [cx - half, above(baseline), cx + half, baseline + 6] };
}

/**
 * What a marker and its label cover, in plot pixels [left, top, right, bottom] (marker() draws them).
 * @param {number[] | null} xy @param {number} r @param {string} label @param {boolean} below
 * @param {{width: number, height: number}} [size] @param {number} [away] @returns {number[] | null}
 */
export function markerBox(xy, r, label, below, size, away = 0) {
  if (!xy) return null;
  const [x, y] = xy;
  const box = labelPlace(xy, r, label, below, size, away).box;
  return [
    Math.min(box[0], x - r - 2),
    Math.min(box[1], y - r - 2),
    Math.max(box[2], x + r + 2),
    Math.max(box[3], y + r + 2),
  ];
}

/** The outline of a marker's shape around (x, y). */
function shapePath(/** @type {CanvasRenderingContext2D} */ context, /** @type {string} */ shape, x = 0, y = 0, r = 9) {
  context.beginPath();
  if (shape === "diamond") {
    context.moveTo(x, y - r);
    context.lineTo(x + r, y);
    context.lineTo(x, y + r);
    context.lineTo(x - r, y);
  } else if (shape === "square") {
    context.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
  } else {
    for (let i = 0; i < 10; i++) {
      const angle = -Math.PI / 2 + (i * Math.PI) / 5;
      const radius = i % 2 ? r * 0.45 : r;
      context.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
    }
  }
  context.closePath();
}

/**
 * A marker (diamond, square or star) with its label above it (labelPlace); returns the label's box.
 * @param {CanvasRenderingContext2D} context @param {number[] | null} xy @param {string} shape
 * @param {string} fill @param {string} label @param {boolean} [below] the label under the marker
 * @param {{width: number, height: number}} [size] the plot area, whose edges the label keeps inside
 * @param {number} [away] the side away from the other endpoint (labelPlace)
 * @returns {number[] | null}
 */
function marker(context, xy, shape, fill, label, below = false, size = undefined, away = 0) {
  if (!xy) return null;
  const [x, y] = xy;
  const r = shape === "star" ? 11 : 9;
  shapePath(context, shape, x, y, r);
  context.lineWidth = 3;
  context.strokeStyle = "#fff";
  context.stroke();
  context.fillStyle = fill;
  context.fill();
  context.font = `bold ${LABEL_PX}px sans-serif`;
  context.textAlign = "center";
  context.lineWidth = 3;
  const place = labelPlace(xy, r, label, below, size, away);
  context.strokeText(label, place.x, place.baseline);
  context.fillStyle = "#111";
  context.fillText(label, place.x, place.baseline);
  // The box the text drew (measured, with its 1.5 px halo), not the estimate it was placed by.
  const drawn = context.measureText(label);
  const halo = context.lineWidth / 2;
  return [
    place.x - drawn.actualBoundingBoxLeft - halo,
    place.baseline - drawn.actualBoundingBoxAscent - halo,
    place.x + drawn.actualBoundingBoxRight + halo,
    place.baseline + drawn.actualBoundingBoxDescent + halo,
  ];
}
