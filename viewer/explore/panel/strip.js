// The strip: A's own picture, the decoded frames, B's own picture, with the digit the classifier reads over
// each frame once the host has said (the β slider's frames, which no host sees: once the viewer has read them,
// multirate.js sliderReading); scrubbed by moving across it. Its canvas's data-read: the labels written on it,
// space-separated; data-read-key: the path they are of ("" without digits).

import { sizeCanvas } from "../../core/dom.js";
import { pathHoles, ringTile } from "../holes.js";
import { shownMultiRate, sliderReading } from "../multirate.js";
import { renderAnalytics } from "./analytics.js";
import { paintOriginal, paintPixels } from "./paint.js";
import { setScrub } from "./preview.js";
import { LABEL_PX, labelTiles, READING_WORDS, readingOf } from "./readings.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

const TILE_MIN = 22; // px per strip tile before the strip wraps onto another row
const TILE_MAX = 56;

/**
 * Tile size and rows for `count` tiles in `width` px: one row when tiles of TILE_MIN fit, else wrapped.
 * @param {number} width @param {number} count
 */
export function stripLayout(width, count) {
  const gap = 2;
  const endGap = 6;
  let perRow = count;
  let tile = Math.floor((width - 2 * endGap - (count - 3) * gap) / count);
  if (tile < TILE_MIN) {
    perRow = Math.max(3, Math.floor((width + gap) / (TILE_MIN + gap)));
    tile = Math.floor((width - (perRow - 1) * gap) / perRow);
  }
  return { tile: Math.min(TILE_MAX, tile), perRow, gap, endGap };
}

/**
 * Each tile's [x, y, size] in CSS px and the strip's size. On one row the ends stand a little apart.
 * @param {number} width @param {number} count
 */
export function stripBoxes(width, count) {
  const { tile, perRow, gap, endGap } = stripLayout(width, count);
  const rows = Math.ceil(count / perRow);
  const oneRow = perRow === count;
  const boxes = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow);
    let x = (i % perRow) * (tile + gap);
    if (oneRow) x = i === 0 ? 0 : endGap + i * tile + (i - 1) * gap + (i === count - 1 ? endGap - gap : 0);
    boxes.push([x, row * (tile + LABEL_PX) + LABEL_PX, tile]);
  }
  const cssWidth = oneRow ? 2 * endGap + (count - 3) * gap + count * tile : perRow * tile + (perRow - 1) * gap;
  return { boxes, cssWidth, cssHeight: rows * (tile + LABEL_PX) };
}

/** @param {ExploreState} state */
export function renderStrip(state) {
  const { strip, stripText, tile: scratch } = state.dom;
  const path = state.view.path;
  if (!path?.frames) {
    strip.style.display = "none";
    stripText.textContent = "";
    return;
  }
  strip.style.display = "";
  const frames = path.frames;
  const count = frames.length + 2;
  const width = Math.max(120, strip.parentElement?.clientWidth || 0);
  const { boxes, cssWidth, cssHeight } = stripBoxes(width, count);
  const context = sizeCanvas(strip, cssWidth, cssHeight);
  context.imageSmoothingEnabled = false;
  context.clearRect(0, 0, cssWidth, cssHeight);
  const multirate = shownMultiRate(state);
  const reading = multirate
    ? sliderReading(state, multirate, path, () => {
        renderStrip(state);
        renderAnalytics(state, state.dom.analytics); // its classifier row reads the same frames
      })
    : readingOf(state.host.data?.reading, path);
  const holes = pathHoles(state); // per decoded frame: in a hole of the z = 2 plane shown
  state.cache.stripRings = [];
  boxes.forEach(([x, y, tile], i) => {
    const end = i === 0 ? state.view.ends.a : i === count - 1 ? state.view.ends.b : null;
    if (end) paintOriginal(state, scratch, end);
    else paintPixels(scratch, frames[i - 1]);
    context.drawImage(scratch, x, y, tile, tile);
    if (!end && holes?.[i - 1]) {
      ringTile(context, x, y, tile);
      state.cache.stripRings.push(i); // the tile's place in the strip: 0 is A's own picture
    }
  });
  // One rule with the compare rows and every caption (readings.js): a reading under P = READABLE is grey with a "?".
  strip.dataset.read = labelTiles(context, boxes, reading).join(" ");
  strip.dataset.readKey = reading ? reading.key : "";
  state.cache.stripBoxes = boxes;
  const method = path.straight
    ? "straight line: geodesics are computed for the separately trained models (the β buttons), not the slider's"
    : path.pending
      ? "straight line for now: the geodesic is being computed"
      : `${path.method} path`;
  // The slider's frames are read once it rests (multirate.js): until then the caption says the labels are coming.
  const unread = multirate && state.host.data?.classifier ? `; ${READ_SOON_WORDS}` : "";
  const read = reading ? `; above each, ${READING_WORDS}` : unread;
  stripText.textContent = stripWords(frames.length, method, read);
}

/** The slider's strip before its frames are read: what the labels will be, and when. */
export const READ_SOON_WORDS = `once the slider rests, above each ${READING_WORDS}`;

/**
 * What the strip's tiles are, counted as they are seen: A's and B's own pictures at the ends (the tiles labelled A
 * and B) and the decoded frames between them (A's code decoded first, B's last).
 * @param {number} frames @param {string} method @param {string} read
 */
export function stripWords(frames, method, read) {
  const between = frames > 2 ? ` (A's code, ${frames - 2} between, B's code)` : "";
  return `${frames + 2} pictures: A's and B's own at the ends, and ${frames} decoded frames${between} on a ${method}${read}`;
}

/** Scrubs to the point of the path under the pointer on the strip. @param {ExploreState} state @param {PointerEvent} event */
export function scrubStrip(state, event) {
  const path = state.view.path;
  const boxes = state.cache.stripBoxes;
  if (!path?.frames || !boxes || (event.type === "pointermove" && event.pointerType === "touch" && !event.buttons))
    return;
  const box = state.dom.strip.getBoundingClientRect();
  const x = event.clientX - box.left;
  const y = event.clientY - box.top;
  const frames = path.frames.length;
  for (let i = 1; i <= frames; i++) {
    const [bx, by, tile] = boxes[i];
    if (y >= by - LABEL_PX && y <= by + tile && x >= bx - 1 && x <= bx + tile + 1) {
      const within = Math.min(1, Math.max(0, (x - bx) / tile));
      const t = frames > 1 ? Math.min(1, Math.max(0, (i - 1 + within - 0.5) / (frames - 1))) : 0;
      setScrub(state, t, "strip");
      return;
    }
  }
}
