// The first paint, before Plotly has arrived. A host's Plotly takes a second or more to fetch and evaluate;
// the map's codes arrive far sooner. Until Plotly has drawn, the same points are painted on a canvas laid
// exactly where Plotly will put its plot area (fixed margins, the legend inside the right one, equal units
// centred as Plotly's constrain="domain" does), and hover, clicks and drags already work on it.

import { DIGIT_COLOURS } from "../../core/constants.js";
import { element, sizeCanvas } from "../../core/dom.js";
import { currentModel } from "../endpoints.js";
import { noteDrawn } from "../state.js";
import { mapInfo, shownMapSize } from "./area.js";
import { drawOverlay, placeOverlay } from "./overlay.js";
import { MARGINS, mapTitle, NARROW_TITLE_Y, showKey, WIDE_TWO_LINES_TOP } from "./plot.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

/**
 * The data range a first paint shows: the map's fixed extent, or the codes' box padded as Plotly's autorange.
 * @param {Float32Array} codes (count, 2) @param {[number, number, number, number] | null} extent
 * @returns {[number, number, number, number]}
 */
export function paintRange(codes, extent) {
  if (extent) return extent;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < codes.length; i += 2) {
    x0 = Math.min(x0, codes[i]);
    x1 = Math.max(x1, codes[i]);
    y0 = Math.min(y0, codes[i + 1]);
    y1 = Math.max(y1, codes[i + 1]);
  }
  const padX = 0.04 * (x1 - x0); // Plotly's autorange pads about this much
  const padY = 0.04 * (y1 - y0);
  return [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
}

/** The plot area the first paint uses, with axes shaped like Plotly's. @param {ExploreState} state */
export function previewArea(state) {
  const codes = currentModel(state).maps[state.view.shown.map];
  const info = mapInfo(state);
  if (!codes || !info) return null;
  const { width, height, narrow } = shownMapSize(state);
  const twoLines = !narrow && mapTitle(state, info, narrow).includes("<br>"); // as plot.js lays it out
  const margin = narrow ? MARGINS.narrow : twoLines ? { ...MARGINS.wide, t: WIDE_TWO_LINES_TOP } : MARGINS.wide;
  const room = { w: width - margin.l - margin.r, h: height - margin.t - margin.b };
  const [x0, x1, y0, y1] = paintRange(codes, info.extent);
  let sx = room.w / (x1 - x0);
  let sy = room.h / (y1 - y0);
  let left = margin.l;
  let top = margin.t;
  if (info.extent) {
    sx = sy = Math.min(sx, sy);
    left += (room.w - (x1 - x0) * sx) / 2;
    top += (room.h - (y1 - y0) * sy) / 2;
  }
  const w = (x1 - x0) * sx;
  const h = (y1 - y0) * sy;
  const xa = {
    _offset: left,
    _length: w,
    l2p: (/** @type {number} */ x) => (x - x0) * sx,
    p2l: (/** @type {number} */ p) => x0 + p / sx,
  };
  const ya = {
    _offset: top,
    _length: h,
    l2p: (/** @type {number} */ y) => (y1 - y) * sy,
    p2l: (/** @type {number} */ p) => y1 - p / sy,
  };
  const box = state.dom.graph.getBoundingClientRect();
  return {
    box,
    xa,
    ya,
    left: box.left + left,
    top: box.top + top,
    width: w,
    height: h,
    size: { width, height, narrow },
  };
}

/** Paints the shown map's codes on a canvas; true once painted. @param {ExploreState} state */
export function paintFirstMap(state) {
  showKey(state, shownMapSize(state).narrow); // before the plot area is measured
  const area = previewArea(state);
  const labels = state.host.labels;
  const codes = currentModel(state).maps[state.view.shown.map];
  const info = mapInfo(state);
  if (!area?.size || !labels || !codes || !info) return false;
  const { width, height, narrow } = area.size;
  const shown = state.cache.firstPaint;
  const key = `${state.view.shown.model}/${state.view.shown.map}/${width}x${height}`;
  if (shown.shown && shown.key === key) return true; // drawn already: nothing changed
  shown.key = key;
  const canvas = shown.canvas || element(state.dom.mapBox, "canvas", "le-firstpaint");
  shown.canvas = canvas;
  const context = sizeCanvas(canvas, width, height);
  state.dom.graph.style.height = `${height}px`; // the space Plotly will take, so nothing below moves
  context.fillStyle = "#fafafa";
  context.fillRect(area.xa._offset, area.ya._offset, area.width, area.height);
  context.fillStyle = "#262730";
  context.font = `${narrow ? 12 : 14}px sans-serif`; // as plot.js titles it
  mapTitle(state, info, narrow) // as plot.js places it: a phone's on two lines, under the modebar
    .split("<br>")
    .forEach((line, n) => {
      context.fillText(line, 8, narrow ? NARROW_TITLE_Y - 2 + 15 * n : 20 + 17 * n);
    });
  const size = state.view.shown.map === "plane" && state.view.shown.backdrop ? 3 : 4;
  context.globalAlpha = 0.75;
  for (let digit = 0; digit < 10; digit++) {
    context.fillStyle = DIGIT_COLOURS[digit];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== digit) continue;
      context.beginPath();
      context.arc(
        area.xa._offset + area.xa.l2p(codes[2 * i]),
        area.ya._offset + area.ya.l2p(codes[2 * i + 1]),
        size / 2,
        0,
        2 * Math.PI,
      );
      context.fill();
    }
  }
  context.globalAlpha = 1;
  shown.shown = true;
  placeOverlay(state);
  drawOverlay(state);
  noteDrawn("firstpaint");
  return true;
}

/** Plotly has drawn: the first paint's canvas goes. @param {ExploreState} state */
export function removeFirstPaint(state) {
  const shown = state.cache.firstPaint;
  if (shown.canvas) shown.canvas.remove();
  shown.canvas = null;
  shown.shown = false;
}
