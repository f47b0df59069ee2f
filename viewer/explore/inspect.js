// The explorer's test interface: what tests and benchmarks may read, and nothing else of its state.
//
//   const found = {};
//   document.querySelector(".le-root").dispatchEvent(new CustomEvent("le:inspect", {detail: found}));
//   found.view, found.ends, found.path, found.plot, found.markers, found.digits() ...
//
// Beside it, on the root element: data-strip (the shown path's key), data-strip-draws, data-map-draws,
// data-hover-updates, data-path-decodes, data-resizes, data-sent, data-ack, data-scrub, data-scrub-source; on the tip, data-click (what a
// click there would pick); and performance marks "le:<what>" / "le:shown:<what>" for each drawing
// (firstpaint, map, strip:<reason>, scrub). docs/map.md lists them all.

import { pathHoles } from "./holes.js";
import { plotArea } from "./map/area.js";
import { visibleDigits } from "./map/hit.js";

/** @typedef {import("./state.js").ExploreState} ExploreState */

/** A plot-pixel box in viewport pixels. @param {(p: number[]) => number[] | null} page @param {number[] | null | undefined} box */
function labelBox(page, box) {
  if (!box) return null;
  const [left, top] = page([box[0], box[1]]) || [];
  const [right, bottom] = page([box[2], box[3]]) || [];
  return left === undefined ? null : [left, top, right, bottom];
}

/**
 * A snapshot of what the widget shows, in viewport pixels where it is about places.
 * @param {ExploreState} state
 */
export function inspect(state) {
  const { view, cache, dom } = state;
  const area = plotArea(state);
  const page = (/** @type {number[] | null | undefined} */ p) =>
    area && p ? [area.left + p[0], area.top + p[1]] : null;
  const show = (/** @type {import("./types.js").End | null} */ end) =>
    end ? { kind: end.kind, id: end.id, label: end.label, index: end.index ?? null } : null;
  return {
    view: { ...view.shown },
    ends: { a: show(view.ends.a), b: show(view.ends.b) },
    path: view.path
      ? {
          key: view.path.key,
          method: view.path.method,
          pending: view.path.pending,
          frames: (view.path.frames || []).map((frame) => Array.from(frame)),
          pixels: cache.pathPixels.map((p) => page(p)),
        }
      : null,
    strip: dom.stripText.textContent,
    // The z = 2 plane's holes (holes.js): which path frames are in one, the rings drawn on the map (viewport px),
    // how many hole cells are shaded, and the two legend lines (empty when hidden).
    holes: {
      frames: pathHoles(state),
      rings: cache.ringPixels.map((p) => page(p)),
      shaded: cache.holeCells,
      mapKey: dom.holesKey.hidden ? "" : dom.holesKey.textContent,
      stripKey: dom.holesText.hidden ? "" : dom.holesText.textContent,
      stripRings: cache.stripRings, // the strip's tiles ringed (0 is A's own picture)
      stripBoxes: cache.stripBoxes, // each tile's [x, y, size] in CSS px of the strip's canvas
    },
    // The host's classifier reading of the shown path ({key, digits, confidence}), or null.
    reading: state.host.data?.reading ?? null,
    scrub: view.scrub,
    scrubSource: view.scrubSource,
    plotlyDrawn: !!dom.graph._fullLayout,
    // The plot area in viewport pixels and the data range it shows: data (x, y) is at
    // left + width (x - x0) / (x1 - x0), top + height (y1 - y) / (y1 - y0).
    plot: area
      ? {
          left: area.left,
          top: area.top,
          width: area.width,
          height: area.height,
          x: [area.xa.p2l(0), area.xa.p2l(area.width)],
          y: [area.ya.p2l(area.height), area.ya.p2l(0)],
        }
      : null,
    markers: { a: page(cache.markerPixels.a), b: page(cache.markerPixels.b) },
    // The boxes A's and B's labels drew on the map, in viewport pixels [left, top, right, bottom] (null: none).
    labels: {
      a: labelBox(page, cache.markerPixels.aLabel),
      b: labelBox(page, cache.markerPixels.bLabel),
    },
    // The visible digits of the map (legend toggles respected) in viewport pixels: [index, x, y, digit].
    digits: () =>
      (visibleDigits(state) || []).map((d) => [
        d.index,
        area ? area.left + d.px : 0,
        area ? area.top + d.py : 0,
        Number(d.label),
      ]),
  };
}
