// The holes of a z = 2 model's plane on the explore map (viewer/core/holes.js: the lesson's one rule): the path's
// frames that fall in a hole are ringed on the map and in the strip (and in each compare row, on that model's own
// plane), the hole cells are shaded as the lesson shades them when the decoded backdrop is off, and one line under the map and one
// under the strip say what a ring and the shading mean. Nothing here on PCA, t-SNE or the β slider's model.

import { HOLE_FILL, holeCells, inHole } from "../core/holes.js";
import { shownMultiRate } from "./multirate.js";
import { hostData } from "./state.js";

/** @typedef {import("./state.js").ExploreState} ExploreState */

export const RING = "#c2185b"; // a frame in a hole: on the map's path and around its picture in the strip
export const RING_WORDS = "ringed: a frame in a hole, where no test code lies";
export const SHADE_WORDS = "shaded: holes, cells of a 25 × 25 grid over the codes with none in them";

/**
 * The grid of holes of `model`'s plane while the plane is the map shown, else null.
 * @param {ExploreState} state @param {string} [model]
 * @returns {(import("../core/holes.js").HoleGrid & {tiles: number}) | null}
 */
export function holeGrid(state, model = state.view.shown.model) {
  if (state.view.shown.map !== "plane" || shownMultiRate(state)) return null;
  const data = hostData(state);
  const grid = data.mapInfo?.[model]?.plane?.holes;
  return grid && data.models[model]?.latent === 2 ? grid : null;
}

/**
 * Which codes (each 2-D) fall in a hole of `grid`. @param {{box: number[], empty: string, tiles: number}} grid
 * @param {ArrayLike<number>[]} codes @returns {boolean[]}
 */
export function codesInHoles(grid, codes) {
  return codes.map((code) => inHole(grid, grid.tiles, code[0], code[1]) === true);
}

/** Per frame of the shown path (A's code first), whether it lies in a hole; null off a z = 2 plane. @param {ExploreState} state */
export function pathHoles(state) {
  const grid = holeGrid(state);
  const path = state.view.path;
  return grid && path ? codesInHoles(grid, path.codes) : null;
}

/**
 * Shades the hole cells (only without the decoded backdrop: over it they would hide the digits drawn there).
 * @param {ExploreState} state @param {CanvasRenderingContext2D} context
 * @param {(xy: [number, number]) => number[] | null} pixel
 */
export function shadeHoles(state, context, pixel) {
  const grid = holeGrid(state);
  if (!grid || state.view.shown.backdrop) return 0;
  context.fillStyle = HOLE_FILL; // the lesson's look, so a reader who saw its holes knows these
  const cells = holeCells(grid, grid.tiles);
  for (const [x0, x1, y0, y1] of cells) {
    const [left, top] = /** @type {number[]} */ (pixel([x0, y1]));
    const [right, bottom] = /** @type {number[]} */ (pixel([x1, y0]));
    context.fillRect(left, top, right - left, bottom - top); // cells share edges: no gaps, no overlaps
  }
  return cells.length;
}

/**
 * A ring around a frame in a hole on the map: hollow and on no halo, so the hole's fill shows inside and around it
 * (a white halo once hid a phone's 12 x 18 px cell: "ringed" read as "on white"). @param {CanvasRenderingContext2D} context
 */
export function ringAt(context, /** @type {number} */ x, /** @type {number} */ y) {
  context.beginPath();
  context.arc(x, y, 8, 0, 2 * Math.PI);
  context.lineWidth = 3;
  context.strokeStyle = RING;
  context.stroke();
}

/** A ring around a picture in the strip or a compare row. @param {CanvasRenderingContext2D} context */
export function ringTile(context, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ tile) {
  context.lineWidth = 3;
  context.strokeStyle = RING;
  context.strokeRect(x + 1.5, y + 1.5, tile - 3, tile - 3);
}

/**
 * The two legend lines: under the map (shading and rings, and `note`: N(0, I)'s circles in words where they are
 * too small to label) and under the strip (rings, with the count), empty where they would say nothing.
 * @param {ExploreState} state @param {string} [note]
 */
export function renderHolesKey(state, note = "") {
  const holes = pathHoles(state);
  const grid = holeGrid(state);
  const ringed = holes ? holes.filter(Boolean).length : 0;
  const shaded = !!grid && !state.view.shown.backdrop && grid.empty.includes("1");
  const frames = holes?.length ?? 0;
  const endsIn = holes ? Number(holes[0]) + Number(frames > 1 && holes[frames - 1]) : 0;
  const among = endsIn ? `${ringed} of the ${frames} frames` : `${ringed} of the ${frames - 2} frames between the ends`;
  const mapLine = [shaded ? SHADE_WORDS : "", ringed ? RING_WORDS : "", note].filter(Boolean).join("; ");
  const stripLine = holes ? `${RING_WORDS} (${among})` : "";
  setLine(state.dom.holesKey, mapLine);
  setLine(state.dom.holesText, stripLine);
}

/** @param {HTMLElement} line @param {string} text */
function setLine(line, text) {
  if (line.textContent !== text) line.textContent = text;
  line.hidden = !text;
}
