// The row of labels over a strip of tiles: "A" and "B" over the endpoints' own pictures, and over each decoded frame
// the digit the host's classifier reads (sections/morph.py reading, hosts/static-compute.js readingFor). One rule
// for every strip that shows frames (the morph's strip, each compare row): a reading under P = READABLE is
// "unsure", grey with a "?" (the lesson's words, the presets' "(unsure)").

import { READABLE } from "../../core/constants.js";

/**
 * @typedef {import("../types.js").Reading} Reading
 * @typedef {import("../types.js").Path} Path
 */

export const LABEL_PX = 16; // the labels' row above each tile (13 px text: a projector's minimum)
const LABEL_WIDTH = 18; // px a label such as "9?" takes at 13 px bold, with a little air: narrower tiles stagger them
const FONT = "bold 13px sans-serif";
const END = "#d62728";
const SURE = "#111111";
const UNSURE = "#8a8a8a";

/** What the labels are, for a caption: "the digit a classifier reads (grey with ?: unsure, P < 0.9)". */
export const READING_WORDS = `the digit a classifier reads (grey with ?: unsure, P < ${READABLE})`;

/**
 * `reading` when it is of `path` exactly (same key, one digit per frame, and not a straight line standing in for
 * a geodesic still being computed), else null.
 * @param {Reading | null | undefined} reading @param {Path | null | undefined} path @returns {Reading | null}
 */
export function readingOf(reading, path) {
  return reading && path?.frames && !path.pending && reading.key === path.key
    ? reading.digits.length === path.frames.length
      ? reading
      : null
    : null;
}

/**
 * The label over frame `frame` (0 is the first decoded frame): its text and colour.
 * @param {Reading} reading @param {number} frame @returns {{text: string, color: string}}
 */
export function frameLabel(reading, frame) {
  const sure = reading.confidence[frame] >= READABLE;
  return { text: `${reading.digits[frame]}${sure ? "" : "?"}`, color: sure ? SURE : UNSURE };
}

/**
 * The rows of labels tiles `pitch` px apart need: 1, or 2 where a label is wider than the pitch (a phone's compare
 * row at many frames): every other label then sits a row higher, so none runs into its neighbour.
 * @param {number} pitch
 */
export function labelRows(pitch) {
  return pitch < LABEL_WIDTH ? 2 : 1;
}

/**
 * Writes the labels above a strip's tiles: boxes[0] is A's own picture, the last B's, the frames between; each
 * box [x, y, size] with its tile's top at y (the label sits in the LABEL_PX above it; with `rows` 2, every other
 * label LABEL_PX higher still). Without a reading only A and B. Returns the labels written, in order (a test
 * reads them).
 * @param {CanvasRenderingContext2D} context @param {number[][]} boxes @param {Reading | null} reading
 * @param {number} [rows] 1 or 2 (labelRows)
 * @returns {string[]}
 */
export function labelTiles(context, boxes, reading, rows = 1) {
  context.font = FONT;
  context.textAlign = "center";
  const written = [];
  const last = boxes.length - 1;
  for (let i = 0; i <= last; i++) {
    const [x, y, tile] = boxes[i];
    const label =
      i === 0 || i === last ? { text: i === 0 ? "A" : "B", color: END } : reading ? frameLabel(reading, i - 1) : null;
    if (!label) continue;
    context.fillStyle = label.color;
    context.fillText(label.text, x + tile / 2, y - 3 - (rows > 1 && i % 2 ? LABEL_PX : 0));
    written.push(label.text);
  }
  return written;
}
