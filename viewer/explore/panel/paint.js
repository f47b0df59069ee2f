// Pictures into 28 x 28 canvases: a decoded code, pixel values, grey bytes, or an endpoint's own picture.

import { decode, PIXELS, SIDE, toGrey } from "../../core/decoder.js";
import { codeOf, currentModel } from "../endpoints.js";
import { spriteTile } from "../map/tip.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../types.js").End} End
 */

/** @param {HTMLCanvasElement} canvas */
function context2d(canvas) {
  return /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
}

/** Pixel values in [0, 1] (null: a dark tile). @param {HTMLCanvasElement} canvas @param {ArrayLike<number> | null} values */
export function paintPixels(canvas, values) {
  const context = context2d(canvas);
  if (!values) {
    context.fillStyle = "#222";
    context.fillRect(0, 0, SIDE, SIDE);
    return;
  }
  const picture = context.createImageData(SIDE, SIDE);
  toGrey(values, picture.data);
  context.putImageData(picture, 0, 0);
}

/** Grey bytes 0-255. @param {HTMLCanvasElement} canvas @param {Uint8Array} grey */
function paintGrey(canvas, grey) {
  const context = context2d(canvas);
  const picture = context.createImageData(SIDE, SIDE);
  for (let p = 0; p < PIXELS; p++) {
    picture.data[4 * p] = picture.data[4 * p + 1] = picture.data[4 * p + 2] = grey[p];
    picture.data[4 * p + 3] = 255;
  }
  context.putImageData(picture, 0, 0);
}

/** A code's decoded picture under the shown model (null code: a dark tile). */
export function paintCode(
  /** @type {ExploreState} */ state,
  /** @type {HTMLCanvasElement} */ canvas,
  /** @type {ArrayLike<number> | null} */ code,
) {
  const model = currentModel(state);
  if (!code || !model.decoder) return paintPixels(canvas, null);
  return paintPixels(canvas, decode(model.decoder, code, state.cache.scratch));
}

/** The endpoint's own picture: a test digit's image, a drawing, or what its source decoder draws at a point. */
export function paintOriginal(
  /** @type {ExploreState} */ state,
  /** @type {HTMLCanvasElement} */ canvas,
  /** @type {End} */ end,
) {
  if (end.image) return paintGrey(canvas, end.image);
  if (end.kind === "test" && end.index !== undefined && state.cache.sprite?.ready)
    return spriteTile(state, end.index)(canvas);
  if (end.kind === "point") return paintCode(state, canvas, codeOf(state, end));
  return paintPixels(canvas, null);
}
