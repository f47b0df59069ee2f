// Hit testing in plot pixels: the digit nearest the pointer (a bucket grid of the visible digits, rebuilt
// after any zoom, pan, resize or legend toggle) and the point of the drawn path nearest to it.
// Private Plotly field read: gd._fullData (each trace's x, y, customdata, name, visible).

import { currentModel } from "../endpoints.js";
import { plotArea } from "./area.js";
import { baseTraces } from "./plot.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {{px: number, py: number, index: number, label: string, x: number, y: number}} Hit
 * @typedef {{cell: number, cells: Map<string, Hit[]>}} HitGrid
 */

const CELL_PX = 24;

/** @param {number} px @param {number} py @param {number} cell */
function cellKey(px, py, cell) {
  return `${Math.floor(px / cell)},${Math.floor(py / cell)}`;
}

/** A bucket grid of points. @param {Hit[]} points @param {number} cell @returns {HitGrid} */
export function hitGrid(points, cell = CELL_PX) {
  /** @type {Map<string, Hit[]>} */
  const cells = new Map();
  for (const point of points) {
    const key = cellKey(point.px, point.py, cell);
    const bucket = cells.get(key);
    if (bucket) bucket.push(point);
    else cells.set(key, [point]);
  }
  return { cell, cells };
}

/**
 * The point of `grid` nearest to (px, py) within `radius` pixels, or null (ties: the later point).
 * @param {HitGrid} grid @param {number} px @param {number} py @param {number} radius @returns {Hit | null}
 */
export function nearestIn(grid, px, py, radius) {
  const { cell, cells } = grid;
  let best = /** @type {Hit | null} */ (null);
  let bestDistance = radius * radius;
  const reach = Math.ceil(radius / cell);
  const cx = Math.floor(px / cell);
  const cy = Math.floor(py / cell);
  for (let dx = -reach; dx <= reach; dx++) {
    for (let dy = -reach; dy <= reach; dy++) {
      for (const point of cells.get(`${cx + dx},${cy + dy}`) || []) {
        const distance = (point.px - px) ** 2 + (point.py - py) ** 2;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = point;
        }
      }
    }
  }
  return best;
}

/**
 * The fraction t along a polyline of pixels nearest to (px, py), and how far away it is (null under 2 points).
 * @param {number[][]} pixels @param {number} px @param {number} py
 */
export function nearestOnPolyline(pixels, px, py) {
  if (!pixels || pixels.length < 2) return null;
  let best = /** @type {{distance: number, t: number} | null} */ (null);
  for (let i = 0; i + 1 < pixels.length; i++) {
    const [x0, y0] = pixels[i];
    const [x1, y1] = pixels[i + 1];
    const dx = x1 - x0;
    const dy = y1 - y0;
    const length = dx * dx + dy * dy;
    const u = length > 0 ? Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / length)) : 0;
    const distance = Math.hypot(x0 + u * dx - px, y0 + u * dy - py);
    if (!best || distance < best.distance) best = { distance, t: (i + u) / (pixels.length - 1) };
  }
  return best;
}

/** The traces whose points can be hit: Plotly's, or before it has drawn, the same from the codes (all visible). */
function hitTraces(/** @type {ExploreState} */ state) {
  const data = state.dom.graph._fullData;
  if (data) return data;
  const codes = currentModel(state).maps[state.view.shown.map];
  if (!codes || !state.host.labels) return [];
  return baseTraces(codes, state.host.labels, false).map((trace) => ({ ...trace, visible: true }));
}

/** The visible digits of the shown map, in plot pixels, inside the plot. @param {ExploreState} state */
export function visibleDigits(state) {
  const area = plotArea(state);
  if (!area) return null;
  /** @type {Hit[]} */
  const points = [];
  for (const trace of hitTraces(state)) {
    if (trace.visible !== true || !trace.customdata || !/^[0-9]$/.test(trace.name)) continue;
    for (let i = 0; i < trace.x.length; i++) {
      const px = area.xa.l2p(trace.x[i]);
      const py = area.ya.l2p(trace.y[i]);
      if (!(px >= 0 && px <= area.width && py >= 0 && py <= area.height)) continue;
      points.push({ px, py, index: trace.customdata[i], label: trace.name, x: trace.x[i], y: trace.y[i] });
    }
  }
  return points;
}

/** The nearest visible digit within `radius` plot pixels. @param {ExploreState} state @param {number} px @param {number} py @param {number} radius */
export function nearestDigit(state, px, py, radius) {
  if (!state.cache.hitGrid) {
    const points = visibleDigits(state);
    if (!points) return null;
    state.cache.hitGrid = hitGrid(points);
  }
  return nearestIn(state.cache.hitGrid, px, py, radius);
}

/** The grid is stale (a new map, a zoom, a pan, a resize, a legend toggle). @param {ExploreState} state */
export function forgetHits(state) {
  state.cache.hitGrid = null;
}
