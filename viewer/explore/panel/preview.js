// The preview: loops A -> B -> A through the frames, resting on each end; a scrub (the slider, the path or
// the strip) shows the exact point of the path instead.

import { pathAt } from "../endpoints.js";
import { drawOverlay } from "../map/overlay.js";
import { noteDrawn } from "../state.js";
import { paintCode, paintOriginal, paintPixels } from "./paint.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

const PLAY_MS = 90; // per frame of the looping preview (the GIF's pace)
const PAUSE_FRAMES = 6; // frames the preview rests on A and on B

/**
 * The frame shown at step `step` of the loop over `frames` frames (rest on A, forth, rest on B, back).
 * @param {number} step @param {number} frames
 */
export function loopFrame(step, frames) {
  const cycle = 2 * (frames - 1) + 2 * PAUSE_FRAMES;
  const at = step % cycle;
  let index;
  if (at < PAUSE_FRAMES) index = 0;
  else if (at < PAUSE_FRAMES + frames - 1) index = at - PAUSE_FRAMES;
  else if (at < 2 * PAUSE_FRAMES + frames - 1) index = frames - 1;
  else index = frames - 1 - (at - 2 * PAUSE_FRAMES - frames + 1);
  return Math.max(0, Math.min(frames - 1, index));
}

/**
 * Holds the preview at fraction t of the path (null: lets it play again); `source` says what scrubs.
 * @param {ExploreState} state @param {number | null} t @param {string | null} source
 */
export function setScrub(state, t, source) {
  const { view, dom } = state;
  view.scrub = t;
  view.scrubSource = t === null ? null : source;
  if (t !== null && source !== "slider") dom.scrubInput.value = String(Math.round(1000 * t));
  dom.root.dataset.scrub = t === null ? "" : t.toFixed(3);
  dom.root.dataset.scrubSource = view.scrubSource || "";
  state.cache.overlayPoints = null;
  drawOverlay(state);
  drawPreview(state);
  if (t !== null) noteDrawn("scrub");
}

/** @param {ExploreState} state */
export function drawPreview(state) {
  const { view, dom } = state;
  const path = view.path;
  if (!path?.frames) {
    // One endpoint chosen: show it, and what comes next, where the morph will play.
    const end = view.ends.a || view.ends.b;
    if (end) paintOriginal(state, dom.preview, end);
    else paintPixels(dom.preview, null);
    dom.previewText.textContent = !end ? "" : view.ends.a ? "A chosen: pick a dot for B" : "B chosen: pick a dot for A";
    return;
  }
  if (view.scrub !== null) {
    paintCode(state, dom.preview, pathAt(path, view.scrub));
    dom.previewText.textContent = `${Math.round(100 * view.scrub)}% of the way from A to B`;
    return;
  }
  const shown = loopFrame(view.playStep, path.frames.length);
  paintPixels(dom.preview, path.frames[shown]);
  // The slider follows the loop (unless the visitor holds it), so it never claims a point the preview left.
  if (document.activeElement !== dom.scrubInput) {
    dom.scrubInput.value = String(Math.round((1000 * shown) / Math.max(1, path.frames.length - 1)));
  }
  dom.previewText.textContent = "looping A → B → A; scrub with the slider, or along the path or the strip";
}

/** Steps the loop every PLAY_MS while the page is visible and nothing scrubs (none with reduced motion). */
export function play(/** @type {ExploreState} */ state) {
  clearTimeout(state.timers.player);
  const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  if (still || state.stage.gone) return;
  state.timers.player = window.setTimeout(() => {
    if (!document.hidden && state.view.scrub === null) {
      state.view.playStep += 1;
      drawPreview(state);
    }
    play(state);
  }, PLAY_MS);
}
