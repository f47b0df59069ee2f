// The path stays inside the plot: where a map has fixed axes (PCA, the plane), the axes widen to hold every
// frame of the shown path and the endpoints (a spherical path can bow far outside the codes' 99.8% box), and
// return to the shared axes once the path fits them again. A visitor's own zoom is kept while nothing has to move.

import { plotly } from "../../core/chart.js";
import { codeOf } from "../endpoints.js";
import { mapInfo } from "./area.js";
import { placeCode } from "./overlay.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

const PAD = 0.06; // of the span, beyond the outermost frame (as explorer/figures.py pads the codes' box)
const SETTLE_MS = 150; // a drag moves the path every frame: the axes follow once it rests

/** @type {WeakMap<ExploreState, {version: string, key: string, timer: number}>} the ranges each widget asked for */
const asked = new WeakMap();

/**
 * The extent [x0, x1, y0, y1] widened to hold `points` with a margin; the extent itself when they fit in it.
 * On a square extent (the plane, equal units) the result stays square.
 * @param {number[]} extent @param {Array<[number, number] | null>} points
 */
export function fitExtent(extent, points) {
  let [x0, x1, y0, y1] = extent;
  const inside = points.every((p) => !p || (p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1));
  if (inside) return [x0, x1, y0, y1];
  const square = Math.abs(x1 - x0 - (y1 - y0)) < 1e-6;
  for (const p of points) {
    if (!p) continue;
    x0 = Math.min(x0, p[0]);
    x1 = Math.max(x1, p[0]);
    y0 = Math.min(y0, p[1]);
    y1 = Math.max(y1, p[1]);
  }
  const padX = PAD * (x1 - x0);
  const padY = PAD * (y1 - y0);
  [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  if (square) {
    const half = Math.max(x1 - x0, y1 - y0) / 2;
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    [x0, x1, y0, y1] = [cx - half, cx + half, cy - half, cy + half];
  }
  return [x0, x1, y0, y1];
}

/** Widens (or restores) the map's axes for the shown path, once it rests. @param {ExploreState} state */
export function fitPath(state) {
  const info = mapInfo(state);
  const graph = state.dom.graph;
  const Plotly = plotly();
  if (!info?.extent) return;
  if (!Plotly || !graph._fullLayout) {
    // Plotly has not drawn the map yet: look again shortly (a link may open on a path that needs wider axes).
    const waiting = asked.get(state) || { version: "", key: "", timer: 0 };
    clearTimeout(waiting.timer);
    waiting.timer = window.setTimeout(() => state.stage.gone || fitPath(state), 250);
    asked.set(state, waiting);
    return;
  }
  const { path, ends } = state.view;
  const points = [...(path?.codes || []), codeOf(state, ends.a), codeOf(state, ends.b)].map((code) =>
    code ? placeCode(state, code) : null,
  );
  const range = fitExtent(info.extent, points);
  const key = range.map((v) => v.toFixed(4)).join(",");
  const version = state.cache.baseVersion;
  const last = asked.get(state);
  // A base drawn afresh (another model or map) starts from its extent.
  const before = last && last.version === version ? last.key : info.extent.map((v) => v.toFixed(4)).join(",");
  if (key === before) return;
  if (last) clearTimeout(last.timer);
  const entry = { version, key, timer: 0 };
  asked.set(state, entry);
  entry.timer = window.setTimeout(() => {
    if (state.stage.gone || state.cache.baseVersion !== version || !graph._fullLayout) return;
    Plotly.relayout(graph, { "xaxis.range": range.slice(0, 2), "yaxis.range": range.slice(2) });
    graph.dataset.pathRange = key; // the test interface: the range the path asked for (docs/map.md)
  }, SETTLE_MS);
}
