// Where the map's plot area is on the page, and what a pointer there points at.
//
// Private Plotly fields read here (plotly.js 3), guarded by the browser tests: gd._fullLayout.xaxis/yaxis
// (_offset, _length, l2p, p2l). Before Plotly has drawn, the first paint's own axes stand in (firstpaint.js).

import { multirateInfo, shownMultiRate } from "../multirate.js";
import { hostData } from "../state.js";
import { previewArea } from "./firstpaint.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {{_offset: number, _length: number, l2p: (v: number) => number, p2l: (p: number) => number}} Axis
 * @typedef {{box: DOMRect, xa: Axis, ya: Axis, left: number, top: number, width: number, height: number,
 *   size?: {width: number, height: number, narrow: boolean}}} Area
 */

export const NARROW_PX = 560; // a map narrower than this is laid out for a phone

/** @param {ExploreState} state @returns {Area | null} */
export function plotArea(state) {
  const graph = state.dom.graph;
  const layout = graph._fullLayout;
  if (!layout?.xaxis?.l2p || !layout.yaxis) return state.cache.firstPaint.shown ? previewArea(state) : null;
  const box = graph.getBoundingClientRect();
  const xa = layout.xaxis;
  const ya = layout.yaxis;
  return { box, xa, ya, left: box.left + xa._offset, top: box.top + ya._offset, width: xa._length, height: ya._length };
}

/**
 * Where a page-space pointer falls: plot pixels and map coordinates, or null outside the plot.
 * @param {ExploreState} state @param {number} clientX @param {number} clientY
 */
export function locate(state, clientX, clientY) {
  const area = plotArea(state);
  if (!area) return null;
  const px = clientX - area.left;
  const py = clientY - area.top;
  if (px < 0 || py < 0 || px > area.width || py > area.height) return null;
  return { px, py, x: area.xa.p2l(px), y: area.ya.p2l(py) };
}

/**
 * The shown map's extent, prior centre, title and backdrop (explorer/figures.py map_info); on a phone's map the
 * backdrop with fewer, larger tiles, so its digits stay readable.
 */
export function mapInfo(/** @type {ExploreState} */ state, phone = phoneMap(state)) {
  const multirate = shownMultiRate(state);
  const { model, map, backdrop } = state.view.shown;
  const info = multirate ? multirateInfo(state, multirate, phone) : hostData(state).mapInfo?.[model]?.[map] || null;
  if (!info) return null;
  // "Decoded digits behind" off: no backdrop (the button's state is what the plot shows).
  if (!backdrop) return info.backdrop ? { ...info, backdrop: null } : info;
  return !multirate && phone && info.phoneBackdrop ? { ...info, backdrop: info.phoneBackdrop } : info;
}

/**
 * Whether the map is laid out for a phone (mapSize's narrow): from the width Plotly drew it at, once drawn, so the
 * many callers of mapInfo (pointer moves, a drag's frames) never force a layout; before that, from its box.
 * @param {ExploreState} state
 */
export function phoneMap(state) {
  const drawn = state.dom.graph._fullLayout?.width;
  return typeof drawn === "number" ? drawn < NARROW_PX : shownMapSize(state).narrow;
}

/** @param {[number, number, number, number] | null} extent @param {number} x @param {number} y */
export function inside(extent, x, y) {
  return !!extent && x >= extent[0] && x <= extent[1] && y >= extent[2] && y <= extent[3];
}

/**
 * The map's size: under NARROW_PX a phone's (taller than wide, tighter margins, no legend).
 * @param {number} boxWidth the map's box @param {number} innerHeight the window's @param {number} aspect
 */
export function mapSize(boxWidth, innerHeight, aspect) {
  const width = Math.max(200, boxWidth || 600);
  const narrow = width < NARROW_PX;
  const height = Math.round(Math.max(260, Math.min(width * (narrow ? 0.98 : aspect), innerHeight * 0.86)));
  return { width, height, narrow };
}

/** @param {ExploreState} state */
export function shownMapSize(state) {
  return mapSize(state.dom.mapBox.clientWidth, window.innerHeight, hostData(state).aspect || 0.82);
}
