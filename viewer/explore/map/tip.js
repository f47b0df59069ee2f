// The hover tip: what the pointer is over. A digit (its image and what the model draws back), a point of the
// plane or of a PCA map (what the decoder draws there), or a point of the path (that frame).

import { SIDE } from "../../core/decoder.js";
import { invert } from "../../core/projection.js";
import { codeOf, currentModel, pathAt } from "../endpoints.js";
import { testCode } from "../models.js";
import { paintCode } from "../panel/paint.js";
import { setScrub } from "../panel/preview.js";
import { hostData } from "../state.js";
import { inside, locate, mapInfo } from "./area.js";
import { nearestDigit, nearestOnPolyline } from "./hit.js";
import { PATH_PX, PICK_PX, TOUCH_PICK_PX, targetAt } from "./pointer.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {(canvas: HTMLCanvasElement) => void} Picture
 */

/** @param {ExploreState} state */
export function hideTip(state) {
  state.dom.tip.style.display = "none";
  state.dom.tip.dataset.click = "";
}

/**
 * @param {ExploreState} state @param {{clientX: number, clientY: number}} pointer
 * @param {Picture[]} pictures @param {string} text
 */
function showTip(state, pointer, pictures, text) {
  const { tip, tipCanvases, tipText, mapBox, root } = state.dom;
  pictures.forEach((draw, i) => {
    draw(tipCanvases[i]);
  });
  tipCanvases[0].style.display = pictures.length > 0 ? "" : "none";
  tipCanvases[1].style.display = pictures.length > 1 ? "" : "none";
  tipText.textContent = text;
  const rootBox = mapBox.getBoundingClientRect();
  tip.style.display = "block";
  const left = pointer.clientX - rootBox.left;
  const top = pointer.clientY - rootBox.top;
  const flip = left + 24 + tip.offsetWidth > rootBox.width;
  tip.style.left = `${Math.max(0, flip ? left - 16 - tip.offsetWidth : left + 16)}px`;
  tip.style.top = `${Math.max(0, Math.min(top + 16, rootBox.height - tip.offsetHeight))}px`;
  state.stage.hoverUpdates += 1;
  root.dataset.hoverUpdates = String(state.stage.hoverUpdates);
}

/** A test digit's own picture, cut from the digits' sprite. @param {ExploreState} state @param {number} index */
export function spriteTile(state, index) {
  return (/** @type {HTMLCanvasElement} */ canvas) => {
    const sprite = state.cache.sprite;
    if (!sprite) return;
    const columns = hostData(state).digits.columns;
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    context.imageSmoothingEnabled = false;
    const sx = (index % columns) * SIDE;
    const sy = Math.floor(index / columns) * SIDE;
    context.drawImage(sprite.image, sx, sy, SIDE, SIDE, 0, 0, SIDE, SIDE);
  };
}

/** @param {ExploreState} state @param {ArrayLike<number>} code @returns {Picture} */
function decodedTile(state, code) {
  return (canvas) => paintCode(state, canvas, code);
}

/** Shows what the pointer is over, or hides the tip. @param {ExploreState} state */
export function updateTip(state) {
  const pointer = state.gesture.pointer;
  if (!pointer || state.gesture.grab) return hideTip(state);
  const spot = locate(state, pointer.clientX, pointer.clientY);
  if (!spot) return hideTip(state);
  // What a click here would pick, whatever the tip shows (a tip on the path shows the path, yet a click on a
  // digit lying on it still picks that digit): the test interface reads it (docs/map.md).
  const click = targetAt(state, spot, pointer.touch);
  state.dom.tip.dataset.click = click ? (click.kind === "test" ? String(click.index) : "-1") : "";
  const path = state.view.path;
  const onPath = path ? nearestOnPolyline(state.cache.pathPixels, spot.px, spot.py) : null;
  if (path && onPath && onPath.distance <= PATH_PX) {
    setScrub(state, onPath.t, "path");
    const picks = click && click.kind === "test" ? ` · a click picks test #${click.index}` : "";
    const text = `on the path, ${Math.round(100 * onPath.t)}% of the way from A to B${picks}`;
    return showTip(state, pointer, [decodedTile(state, pathAt(path, onPath.t))], text);
  }
  if (state.view.scrubSource === "path") setScrub(state, null, null);
  const model = currentModel(state);
  const point = nearestDigit(state, spot.px, spot.py, pointer.touch ? TOUCH_PICK_PX : PICK_PX);
  if (point) {
    /** @type {Picture[]} */
    const pictures = [];
    if (state.cache.sprite?.ready) pictures.push(spriteTile(state, point.index));
    // The β slider's MR-VAE stores no test codes: it encodes the digit at its β (codeOf).
    const asEnd = {
      kind: /** @type {const} */ ("test"),
      index: point.index,
      id: "",
      label: "",
      codes: {},
      image: null,
    };
    const code = model.decoder ? testCode(model, point.index) || codeOf(state, asEnd) : null;
    if (code) pictures.push(decodedTile(state, code));
    const both = pictures.length === 2 ? " · original | reconstruction" : "";
    return showTip(state, pointer, pictures, `digit ${point.label} · test #${point.index}${both}`);
  }
  const where = `(${spot.x.toFixed(2)}, ${spot.y.toFixed(2)})`;
  const map = state.view.shown.map;
  const info = mapInfo(state);
  const pca = model.manifest.maps.pca;
  if (map === "plane" && info && inside(info.extent, spot.x, spot.y) && model.decoder) {
    return showTip(
      state,
      pointer,
      [decodedTile(state, [spot.x, spot.y])],
      `No digit here: what the decoder draws at this code ${where}`,
    );
  }
  if (map === "pca" && pca && model.decoder) {
    const text = `No digit here: what the decoder draws at the code this spot stands for ${where}`;
    return showTip(state, pointer, [decodedTile(state, invert(pca, spot.x, spot.y))], text);
  }
  hideTip(state);
}
