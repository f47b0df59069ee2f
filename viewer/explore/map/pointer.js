// The pointer on the map: hover, press (a pick shown at once, taken back if it turns into a drag), drag A or
// B, and a finger scrubbing along the path.

import { listen } from "../../core/dom.js";
import { applyPick, emit, pick, refresh, sendPick } from "../controller.js";
import { localEnd } from "../endpoints.js";
import { setScrub } from "../panel/preview.js";
import { inside, locate, mapInfo } from "./area.js";
import { nearestDigit, nearestOnPolyline } from "./hit.js";
import { hideTip, updateTip } from "./tip.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../controller.js").Spec} Spec
 * @typedef {{px: number, py: number, x: number, y: number}} Spot
 */

export const PICK_PX = 10; // a click or hover means the nearest digit within this many pixels
export const TOUCH_PICK_PX = 18; // a fingertip is less precise
export const PATH_PX = 9; // how close to the path a pointer scrubs it
const GRAB_PX = 14; // how close to A or B a press picks it up
const TOUCH_GRAB_PX = 24;
const TAP_SLOP_PX = 6; // a pointer that moved further than this between down and up dragged the map
const SNAP_PX = 30; // on t-SNE a dragged endpoint snaps to the digit within this many pixels

/**
 * What a click at this spot picks: the nearest digit; on the plane or a PCA map, empty space is that point.
 * @param {ExploreState} state @param {Spot} spot @param {boolean} touch @returns {Spec | null}
 */
export function targetAt(state, spot, touch) {
  const point = nearestDigit(state, spot.px, spot.py, touch ? TOUCH_PICK_PX : PICK_PX);
  const map = state.view.shown.map;
  const info = mapInfo(state);
  if (point) return { kind: "test", index: point.index };
  if ((map === "plane" && info && inside(info.extent, spot.x, spot.y)) || map === "pca") {
    return { kind: "point", map, x: spot.x, y: spot.y };
  }
  return null;
}

/** Runs `work` at the next animation frame; a newer call replaces it. @param {ExploreState} state @param {() => void} work */
function schedule(state, work) {
  const { timers } = state;
  timers.work = work;
  if (!timers.frame) {
    timers.frame = requestAnimationFrame(() => {
      timers.frame = 0;
      const next = timers.work;
      timers.work = null;
      if (next) next();
    });
  }
}

/** @param {ExploreState} state @param {PointerEvent} event */
function onPointerMove(state, event) {
  const { gesture } = state;
  gesture.pointer = { clientX: event.clientX, clientY: event.clientY, touch: event.pointerType === "touch" };
  const down = gesture.down;
  if (down && !down.reverted && Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) {
    revertPress(state, down);
  }
  const grab = gesture.grab;
  if (grab) {
    if (!grab.moved && Math.hypot(event.clientX - grab.x, event.clientY - grab.y) > 2) grab.moved = true;
    schedule(state, () => dragTo(state, event.clientX, event.clientY));
    return;
  }
  if (gesture.finger) {
    schedule(state, () => {
      const spot = locate(state, event.clientX, event.clientY);
      const on = spot && nearestOnPolyline(state.cache.pathPixels, spot.px, spot.py);
      if (on) setScrub(state, on.t, "path");
    });
    return;
  }
  schedule(state, () => updateTip(state));
}

/** @param {ExploreState} state @param {PointerEvent} event */
function onPointerDown(state, event) {
  const target = /** @type {Element} */ (event.target);
  if (event.button !== 0 || !state.host.data || target.closest(".legend, .modebar-container, .le-note")) return;
  const spot = locate(state, event.clientX, event.clientY);
  if (!spot) return;
  const touch = event.pointerType === "touch";
  const pixels = state.cache.markerPixels;
  const reach = touch ? TOUCH_GRAB_PX : GRAB_PX;
  const grabbed = ["b", "a"].find((end) => {
    const at = pixels[end];
    return at && Math.hypot(at[0] - spot.px, at[1] - spot.py) <= reach;
  });
  const { gesture } = state;
  if (grabbed) {
    gesture.grab = { end: grabbed, x: event.clientX, y: event.clientY, moved: false, touch };
    hideTip(state);
  } else {
    const on = touch && state.view.path ? nearestOnPolyline(state.cache.pathPixels, spot.px, spot.py) : null;
    if (on && on.distance <= PATH_PX * 2) {
      gesture.finger = true;
      setScrub(state, on.t, "path");
    } else {
      // The press already shows what a click here would pick; a drag (a zoom box, a pan, a scroll) takes it
      // back, and only a release in place tells the host.
      const spec = targetAt(state, spot, touch);
      gesture.down = { x: event.clientX, y: event.clientY, touch, spec, before: { ...state.view.ends } };
      if (spec) applyPick(state, spec, "press");
      if (touch) onPointerMove(state, event); // a finger has no hover: show what is under it
      return;
    }
  }
  // A grab or a scrub is ours: Plotly must not start a zoom box or a pan with it.
  event.preventDefault();
  event.stopPropagation();
}

/** @param {ExploreState} state @param {PointerEvent} event */
function onPointerUp(state, event) {
  const { gesture } = state;
  const grab = gesture.grab;
  if (grab) {
    gesture.grab = null;
    if (grab.moved) commitDrag(state, grab.end);
    else tap(state, event, grab.touch);
    return;
  }
  if (gesture.finger) {
    gesture.finger = false;
    setScrub(state, null, null);
    return;
  }
  const down = gesture.down;
  gesture.down = null;
  if (!down?.spec) return;
  if (down.reverted || Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) {
    if (!down.reverted) revertPress(state, down);
    return;
  }
  sendPick(state, down.spec);
}

/** A press that turned into a drag (or was cancelled) gives back the endpoints it showed. */
function revertPress(/** @type {ExploreState} */ state, /** @type {any} */ down) {
  down.reverted = true;
  if (!down.spec) return;
  state.view.ends = { ...down.before };
  refresh(state, "press");
}

/** @param {ExploreState} state @param {PointerEvent} event @param {boolean} touch */
function tap(state, event, touch) {
  const spot = locate(state, event.clientX, event.clientY);
  const spec = spot && targetAt(state, spot, touch);
  if (spec) pick(state, spec);
}

/**
 * While A or B is held: the plane's exact point, a PCA map's inverse point, or on t-SNE the digit under it.
 * @param {ExploreState} state @param {number} clientX @param {number} clientY
 */
function dragTo(state, clientX, clientY) {
  const grab = state.gesture.grab;
  if (!grab) return;
  const spot = locate(state, clientX, clientY);
  if (!spot) return;
  const map = state.view.shown.map;
  let end;
  if (map === "tsne") {
    const point = nearestDigit(state, spot.px, spot.py, SNAP_PX);
    if (!point) return;
    end = localEnd(state, { kind: "test", index: point.index });
  } else {
    const info = mapInfo(state);
    if (map === "plane" && !(info && inside(info.extent, spot.x, spot.y))) return;
    end = localEnd(state, { kind: "point", map, x: spot.x, y: spot.y });
  }
  state.view.ends[/** @type {"a" | "b"} */ (grab.end)] = end;
  refresh(state, "drag");
}

/** Tells the host where a dragged endpoint was let go. @param {ExploreState} state @param {"a" | "b"} end */
function commitDrag(state, end) {
  const target = state.view.ends[end];
  if (!target) return;
  emit(
    state,
    target.kind === "test"
      ? { type: "set", end, index: target.index }
      : { type: "set", end, map: target.map, x: target.x, y: target.y },
  );
}

/** Hover, press, drag and scrub on the map, and the window's moves and releases while a gesture lasts. */
export function listenToPointer(/** @type {ExploreState} */ state) {
  const { cleanups, dom, gesture } = state;
  listen(cleanups, dom.mapBox, "pointermove", (event) => onPointerMove(state, event));
  listen(cleanups, dom.mapBox, "pointerleave", () => {
    gesture.pointer = null;
    hideTip(state);
    if (state.view.scrubSource === "path" && !gesture.finger) setScrub(state, null, null);
  });
  listen(cleanups, dom.mapBox, "pointerdown", (event) => onPointerDown(state, event), true);
  listen(cleanups, window, "pointermove", (event) => gesture.grab && onPointerMove(state, event), true);
  listen(cleanups, window, "pointerup", (event) => onPointerUp(state, event), true);
  const cancel = () => {
    if (gesture.down && !gesture.down.reverted) revertPress(state, gesture.down);
    gesture.down = null;
    gesture.grab = null;
    gesture.finger = false;
  };
  listen(cleanups, window, "pointercancel", cancel, true);
  // Touch events come after pointerdown: a grab or a scrub keeps the page from scrolling (which would cancel
  // the pointer) and Plotly from panning with the same finger.
  const holdTouch = (/** @type {TouchEvent} */ event) => {
    if (!gesture.grab && !gesture.finger) return;
    event.preventDefault();
    event.stopPropagation();
  };
  listen(cleanups, dom.mapBox, "touchstart", holdTouch, { capture: true, passive: false });
  listen(cleanups, dom.mapBox, "touchmove", holdTouch, { capture: true, passive: false });
}
