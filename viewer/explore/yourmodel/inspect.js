// Your model's test interface (docs/your-model.md): what a "le:yours" CustomEvent on the section fills its
// detail with, for tests and benchmarks.

import { MAP_PX } from "./map.js";
import { codeOf, morphFrames } from "./strip.js";

/**
 * The state, the message, the model's shape, its ends and frames, a few codes, and where a test digit sits on
 * the map in viewport pixels.
 * @param {HTMLElement} section @param {import("./load.js").YourModel | null} model @param {string} label
 * @param {(x: number, y: number) => number[]} toPixel
 */
export function inspectYours(section, model, label, toPixel) {
  const rect = section.querySelector(".le-yours-map")?.getBoundingClientRect();
  return {
    state: section.dataset.state,
    message: section.querySelector(".le-yours-message")?.textContent ?? "",
    model: model
      ? {
          label,
          file: model.file,
          latent: model.latent,
          hidden: model.hidden,
          naming: model.naming,
          count: model.labels.length,
          ends: [...model.ends],
          frames: model.frames,
          method: model.method,
          seconds: { ...model.seconds },
          pca: model.pca,
        }
      : null,
    framesNow: () => (model ? morphFrames(model).map((frame) => Array.from(frame)) : []),
    code: (/** @type {number} */ index) => (model ? Array.from(codeOf(model, index)) : null),
    place: (/** @type {number} */ index) => (model ? [model.coords[2 * index], model.coords[2 * index + 1]] : null),
    pixel: (/** @type {number} */ index) => {
      if (!model || !rect) return null;
      const [px, py] = toPixel(model.coords[2 * index], model.coords[2 * index + 1]);
      return [rect.left + (px * rect.width) / MAP_PX, rect.top + (py * rect.height) / MAP_PX];
    },
  };
}
