// Your model's morph (yourmodel.js): the frames between its two ends (core/paths.js, decoded by its decoder),
// drawn as a strip of 28 x 28 canvases, and the buttons that choose how many frames and which path.

import { decode, PIXELS, SIDE, toGrey } from "../../core/decoder.js";
import { element } from "../../core/dom.js";
import { pathCodes } from "../../core/paths.js";

/** @typedef {import("./load.js").YourModel} YourModel */

const FRAME_CHOICES = [5, 10, 20];
const METHODS = ["linear", "spherical"];

/** Test digit `index`'s code. @param {YourModel} model @param {number} index */
export const codeOf = (model, index) => model.mu.subarray(index * model.latent, (index + 1) * model.latent);

/** The morph's frames: 784 values in [0, 1] each. @param {YourModel} model @returns {Float64Array[]} */
export function morphFrames(model) {
  const [a, b] = model.ends;
  return pathCodes(codeOf(model, a), codeOf(model, b), model.frames, model.method).map((z) =>
    decode(model.decoder, z, new Float64Array(PIXELS)),
  );
}

/**
 * The morph's frames in `strip`, anew; the strip's key "a-b/frames/method" (data-strip).
 * @param {HTMLElement} strip @param {YourModel} model
 */
export function drawStrip(strip, model) {
  strip.replaceChildren();
  for (const frame of morphFrames(model)) {
    const canvas = /** @type {HTMLCanvasElement} */ (element(strip, "canvas", "le-yours-frame"));
    canvas.width = canvas.height = SIDE;
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    const picture = new ImageData(SIDE, SIDE);
    toGrey(frame, picture.data);
    context.putImageData(picture, 0, 0);
  }
  const [a, b] = model.ends;
  return `${a}-${b}/${model.frames}/${model.method}`;
}

/**
 * The frames and path buttons in `controls`, anew; a click sets the model's choice and calls `changed` with
 * what changed ("frames", "method").
 * @param {HTMLElement} controls @param {YourModel} model @param {(reason: string) => void} changed
 */
export function drawControls(controls, model, changed) {
  controls.replaceChildren();
  /** @param {string} title @param {Array<[string, string]>} options @param {string} chosen @param {(value: string) => void} pick */
  const group = (title, options, chosen, pick) => {
    const holder = element(controls, "span", "le-yours-group");
    holder.append(`${title} `);
    for (const [value, text] of options) {
      const made = /** @type {HTMLButtonElement} */ (element(holder, "button", "le-choice", text));
      made.type = "button";
      made.setAttribute("aria-pressed", String(value === chosen));
      made.addEventListener("click", () => pick(value));
    }
  };
  group(
    "frames",
    FRAME_CHOICES.map((n) => [String(n), String(n)]),
    String(model.frames),
    (value) => {
      model.frames = Number(value);
      changed("frames");
    },
  );
  group(
    "path",
    METHODS.map((m) => [m, m]),
    model.method,
    (value) => {
      model.method = value;
      changed("method");
    },
  );
}
