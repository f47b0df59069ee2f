// The codes (mu) of many images at once, for a visitor's uploaded model (explore/yourmodel.js): what
// core/encoder.js encode computes image by image (vae/inference.py NumpyVAE.encode), with the first layer, nearly
// all of the work, through core/simd.js combine (f32x4 over the hidden units, summed over an image's lit pixels)
// where the browser has WebAssembly SIMD, and encode's own loops where it has not. float32 sums, as numpy's are
// (in another order); tests/test_upload_vae.py holds the codes to numpy's within 1e-4 in Chromium.

import { PIXELS } from "./decoder.js";
import { encode } from "./encoder.js";
import { simdKernels } from "./simd.js";

/**
 * mu of `count` images (count * 784 values in [0, 1], row by row), (count, latent) row-major.
 * @param {import("./encoder.js").Encoder} encoder @param {Float32Array} pixels @param {number} count
 * @param {number} from first image to encode @param {number} to one past the last
 * @param {Float32Array} mu written at rows from..to
 * @param {{simd: boolean}} [options]
 */
export function encodeRange(encoder, pixels, count, from, to, mu, options = { simd: true }) {
  const { latent } = encoder;
  const fast = options.simd ? simdFirstLayer(encoder) : null;
  if (!fast) {
    for (let i = from; i < Math.min(to, count); i++) {
      mu.set(encode(encoder, pixels.subarray(i * PIXELS, (i + 1) * PIXELS)).mu, i * latent);
    }
    return;
  }
  const { hidden, wMu, bMu } = encoder;
  const { kernels, f32, i32, at, stride } = fast;
  const h = new Float32Array(hidden);
  for (let i = from; i < Math.min(to, count); i++) {
    let lit = 0;
    for (let p = 0; p < PIXELS; p++) {
      const value = pixels[i * PIXELS + p];
      if (value === 0) continue;
      i32[(at.rows >> 2) + lit] = at.w1t + 4 * p * stride;
      f32[(at.values >> 2) + lit] = value;
      lit += 1;
    }
    kernels.combine(at.out, at.b1, at.rows, at.values, 4 * lit, 4 * stride);
    for (let j = 0; j < hidden; j++) {
      const sum = f32[(at.out >> 2) + j];
      h[j] = sum > 0 ? sum : 0;
    }
    for (let k = 0; k < latent; k++) {
      let sum = bMu[k];
      const row = k * hidden;
      for (let j = 0; j < hidden; j++) sum += wMu[row + j] * h[j];
      mu[i * latent + k] = sum;
    }
  }
}

/** @typedef {{kernels: import("./simd.js").Kernels, f32: Float32Array, i32: Int32Array, at: Record<string, number>, stride: number}} FirstLayer */

/** @type {WeakMap<object, FirstLayer | null>} */
const layers = new WeakMap();

/**
 * fc1 in WebAssembly memory: its transposed rows (one per pixel, `stride` floats, 16-byte aligned), its bias,
 * and room for one image's lit pixels; null without WebAssembly SIMD. Built once per encoder.
 * @param {import("./encoder.js").Encoder} encoder @returns {FirstLayer | null}
 */
function simdFirstLayer(encoder) {
  if (layers.has(encoder)) return layers.get(encoder) ?? null;
  const { hidden, w1t, b1 } = encoder;
  const stride = 16 * Math.ceil(hidden / 16); // combine works on blocks of 16 float32
  /** @type {Record<string, number>} */
  const at = {};
  let end = 0;
  for (const [part, floats] of /** @type {Array<[string, number]>} */ ([
    ["w1t", PIXELS * stride],
    ["b1", stride],
    ["out", stride],
    ["rows", PIXELS],
    ["values", PIXELS],
  ])) {
    at[part] = end;
    end += 16 * Math.ceil(floats / 4);
  }
  const kernels = simdKernels(end);
  if (!kernels) {
    layers.set(encoder, null);
    return null;
  }
  const f32 = new Float32Array(kernels.memory.buffer);
  const i32 = new Int32Array(kernels.memory.buffer);
  for (let p = 0; p < PIXELS; p++) f32.set(w1t.subarray(p * hidden, (p + 1) * hidden), (at.w1t >> 2) + p * stride);
  f32.set(b1, at.b1 >> 2);
  const made = { kernels, f32, i32, at, stride };
  layers.set(encoder, made);
  return made;
}
