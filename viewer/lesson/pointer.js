// The pointer on a plane: a tap (a press and release in one place) probes the point under it; hovering
// shows what the shipped decoder draws there, decoded in the browser (core/decoder.js, held to numpy).

import { decode, makeDecoder, PIXELS, SIDE, toGrey } from "../core/decoder.js";
import { blob } from "../core/fetch.js";
import { coordinate } from "./geometry.js";

const TAP_SLOP_PX = 6; // a release further than this from its press is a drag, not a tap

/** @typedef {import("./plane.js").Placement} Placement */
/** @typedef {import("./build.js").PlaneNodes} PlaneNodes */
/** @typedef {import("./types.js").Box} Box */
/** @typedef {import("../core/decoder.js").Decoder} Decoder */

/** @typedef {{side: number, clientX: number, clientY: number}} PointerAt  a press, or where the pointer hovers */

/** Each decoder blob's decoder, made once per page. @type {WeakMap<ArrayBuffer, Decoder>} */
const decoders = new WeakMap();

/**
 * The data point a release probes, or null: not a tap on the plot area of the plane it was pressed on.
 * @param {PointerAt | null} press @param {PointerAt} release @param {Placement | null} placement
 * @param {HTMLCanvasElement} canvas
 * @returns {{x: number, y: number} | null}
 */
export function tapPoint(press, release, placement, canvas) {
  if (!press || press.side !== release.side || !placement) return null;
  if (Math.hypot(release.clientX - press.clientX, release.clientY - press.clientY) > TAP_SLOP_PX) return null;
  const rect = canvas.getBoundingClientRect();
  const { area, projection } = placement;
  const cx = release.clientX - rect.left;
  const cy = release.clientY - rect.top;
  if (cx < area.l || cx > area.l + area.w || cy < area.t || cy > area.t + area.h) return null;
  return { x: projection.x(cx), y: projection.y(cy) };
}

/**
 * The decoder of `source` once its blob has arrived; until then null (the blob is being fetched).
 * @param {{decoder: string, latent: number, hidden: number}} source @returns {Decoder | null}
 */
export function decoderOf(source) {
  const value = blob(source.decoder).value;
  if (!value) return null;
  let made = decoders.get(value);
  if (!made) {
    made = makeDecoder(value, source.latent, source.hidden);
    decoders.set(value, made);
  }
  return made;
}

/**
 * Shows on `plane` the decoded picture under the pointer when it lies in `box` (the shipped model's codes),
 * beside the pointer and inside the plane; hides the tip otherwise. The tip's data-point="x,y" is the exact
 * point decoded (the test interface, docs/lesson.md).
 * @param {PlaneNodes} plane @param {PointerAt} pointer @param {Placement} placement @param {Box} box
 * @param {Decoder} decoder @param {Float64Array} scratch (784) @returns {boolean} whether the tip shows
 */
export function showTip(plane, pointer, placement, box, decoder, scratch) {
  const rect = plane.canvas.getBoundingClientRect();
  const left = pointer.clientX - rect.left;
  const top = pointer.clientY - rect.top;
  const x = placement.projection.x(left);
  const y = placement.projection.y(top);
  if (x < box[0] || x > box[1] || y < box[2] || y > box[3]) return hideTip(plane);
  const pixels = new ImageData(SIDE, SIDE);
  toGrey(decode(decoder, [x, y], scratch), pixels.data);
  /** @type {CanvasRenderingContext2D} */ (plane.tipCanvas.getContext("2d")).putImageData(pixels, 0, 0);
  plane.tipText.textContent = `(${coordinate(x)}, ${coordinate(y)})`;
  plane.tip.dataset.point = `${x},${y}`;
  const tip = plane.tip;
  tip.style.display = "block";
  const flip = left + 16 + tip.offsetWidth > rect.width;
  tip.style.left = `${flip ? left - 12 - tip.offsetWidth : left + 14}px`;
  tip.style.top = `${Math.max(0, Math.min(top + 14, rect.height - tip.offsetHeight))}px`;
  return true;
}

/** @param {PlaneNodes} plane @returns {false} */
export function hideTip(plane) {
  plane.tip.style.display = "none";
  delete plane.tip.dataset.point;
  return false;
}

/** A scratch row for one decoded picture. */
export function decodeScratch() {
  return new Float64Array(PIXELS);
}
