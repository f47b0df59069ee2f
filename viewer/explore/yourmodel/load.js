// An uploaded .safetensors to a model ready to explore (yourmodel.js): the file read and checked
// (core/safetensors.js, core/statedict.js), the 10,000 test digits cut from the host's sprite and encoded in
// chunks (core/codes.js), and their PCA map (core/projection.js fitPca). The upload's performance marks
// ("le:yours:*", docs/your-model.md) are made here and in yourmodel.js.

import { encodeRange } from "../../core/codes.js";
import { makeDecoder, PIXELS, SIDE } from "../../core/decoder.js";
import { makeEncoder } from "../../core/encoder.js";
import { blob, image } from "../../core/fetch.js";
import { fitPca, projectAll } from "../../core/projection.js";
import { checkSize, readSafetensors } from "../../core/safetensors.js";
import { modelBlobs, vaeFromStateDict } from "../../core/statedict.js";

/**
 * @typedef {object} YourModel          what an upload made; module scope, so it outlives a remount of the widget
 * @property {string} file              the file's name (shown as text only)
 * @property {number} latent
 * @property {number} hidden
 * @property {string} naming
 * @property {import("../../core/decoder.js").Decoder} decoder
 * @property {Float32Array} mu          the test digits' codes, (count, latent)
 * @property {import("../../core/projection.js").Pca} pca
 * @property {Float32Array} coords      their places on the PCA map, (count, 2)
 * @property {Uint8Array} labels
 * @property {[number, number]} ends    the morph's two test digits
 * @property {number} frames
 * @property {string} method
 * @property {Record<string, number>} seconds   read, encode, map: how long each step took
 */

/** @typedef {{labels: string, sprite: string, columns: number}} Digits  the host's test digits */

const DEFAULT_ENDS = /** @type {[number, number]} */ ([0, 1]);
const CHUNK = 1000; // digits encoded between two looks at the page (progress, input)

/** @param {string} mark */
export const note = (mark) => performance.mark(`le:yours:${mark}`);

/** One frame to the browser, so a message shows before long work. */
export const yieldFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The test digits' grey levels / 255 (float32, as numpy holds them), cut from the sprite: digit i at column
 * i % columns, row floor(i / columns) (explorer/assets.py digits_manifest).
 * @param {HTMLImageElement} sprite @param {number} count @param {number} columns
 */
function spritePixels(sprite, count, columns) {
  const canvas = document.createElement("canvas");
  canvas.width = sprite.naturalWidth;
  canvas.height = sprite.naturalHeight;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  context.drawImage(sprite, 0, 0);
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const left = (i % columns) * SIDE;
    const top = Math.floor(i / columns) * SIDE;
    for (let r = 0; r < SIDE; r++) {
      const from = 4 * ((top + r) * canvas.width + left);
      for (let c = 0; c < SIDE; c++) pixels[i * PIXELS + r * SIDE + c] = rgba[from + 4 * c] / 255;
    }
  }
  return pixels;
}

/**
 * The upload, from the file to a model ready to explore; throws UploadRefused for a file it cannot run.
 * @param {File} file @param {Digits} digits
 * @param {(text: string) => void} progress @returns {Promise<YourModel>}
 */
export async function load(file, digits, progress) {
  const started = performance.now();
  checkSize(file.size); // before a byte is read
  const found = vaeFromStateDict(readSafetensors(await file.arrayBuffer()));
  const blobs = modelBlobs(found);
  const encoder = makeEncoder(blobs.encoder, found.latent, found.hidden);
  const decoder = makeDecoder(blobs.decoder, found.latent, found.hidden);
  note("read");
  const read = performance.now();
  progress(`Read ${found.latent}-d codes, hidden size ${found.hidden}. Encoding the 10,000 test digits…`);
  const [sprite, labelBuffer] = await Promise.all([image(digits.sprite).promise, blob(digits.labels).promise]);
  const labels = new Uint8Array(labelBuffer);
  const pixels = spritePixels(image(digits.sprite).image, labels.length, digits.columns);
  if (!sprite) throw new Error("the test digits did not load");
  const mu = new Float32Array(labels.length * found.latent);
  for (let from = 0; from < labels.length; from += CHUNK) {
    if (from) {
      progress(`Encoding the test digits: ${from} of ${labels.length}…`);
      await yieldFrame();
    }
    encodeRange(encoder, pixels, labels.length, from, from + CHUNK, mu);
  }
  note("encoded");
  const encoded = performance.now();
  const pca = fitPca(mu, found.latent);
  const coords = projectAll(pca, mu, found.latent);
  return {
    file: file.name,
    latent: found.latent,
    hidden: found.hidden,
    naming: found.naming,
    decoder,
    mu,
    pca,
    coords,
    labels,
    ends: [...DEFAULT_ENDS],
    frames: 10,
    method: "linear",
    seconds: {
      read: (read - started) / 1000,
      encode: (encoded - read) / 1000,
      map: (performance.now() - encoded) / 1000,
    },
  };
}
