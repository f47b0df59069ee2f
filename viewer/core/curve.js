// A curve of codes through the decoder, for vae/geodesic.py's optimiser in the browser (geodesic.js): its
// decoded points, its energy (sum of squared decoded steps) and length, and the energy's gradient back-propagated
// by hand through the 2-layer decoder (energy_and_gradient). tests/js/geodesic.test.js holds the gradient to
// finite differences and to numpy's.
//
// It runs on viewer/core/decoder.js's Decoder (w3 (hidden, latent), b3, w4t (hidden, 784), b4), with buffers
// of its own kept per decoder (WeakMaps). The products run in WebAssembly SIMD (viewer/core/simd.js, float32
// like numpy's) where the browser has it, else in plain JS loops summing in float64.

import { PIXELS } from "./decoder.js";
import { simdKernels } from "./simd.js";

// dE/dlogits below this count as 0: a saturated pixel (a logit under -87) makes float32 subnormals there, and
// every product with a subnormal takes the CPU's slow path (the backward product ran 3x slower on z2-beta1).
// Far below anything the gradient can feel: its entries are sums of 784 of these times weights of order 0.1.
const TINY = 1e-30;

/**
 * The plain JS loops' buffers, float64.
 * @typedef {object} Scratch
 * @property {number} points
 * @property {Float64Array} pre    (K, hidden) pre-activations of the hidden layer
 * @property {Float64Array} x      (K, 784) pixel means, then the gradient with respect to the logits
 * @property {Float64Array} hidden (K, hidden) the gradient with respect to the pre-activations
 * @property {Float64Array} next   (784) one point's pixels
 */

/**
 * The SIMD kernels' memory (viewer/core/simd.js), float32, at byte addresses: the decoder (W4's rows, b4, W3
 * transposed and b3, W3's rows, each row padded to whole 16-float blocks), then per point: its code, the hidden
 * pre-activations, the pixels, and for its active hidden units the addresses of their rows of W4 and W3, their
 * values and the gradient with respect to them, and the gradient with respect to the code. `count`: each point's
 * active units; hiddenStride, latentStride: the padded rows' lengths in floats.
 * @typedef {object} SimdScratch
 * @property {number} points
 * @property {import("./simd.js").Kernels} kernels
 * @property {Float32Array} f32  the memory as float32
 * @property {Int32Array} i32    the memory as int32
 * @property {Int32Array} count  (K)
 * @property {Float64Array} next (784) one point's pixels
 * @property {Record<string, number>} at  where each part starts
 * @property {object | null} ends  the optimisation whose two ends' pixels the memory still holds (rows 0, K - 1)
 * @property {number} hiddenStride @property {number} latentStride
 */

/** @type {WeakMap<import("./decoder.js").Decoder, Scratch>} */
const scratches = new WeakMap();
/** @type {WeakMap<import("./decoder.js").Decoder, SimdScratch | null>} */
const simdScratches = new WeakMap();

/** @param {import("./decoder.js").Decoder} decoder @param {number} points @returns {Scratch} */
function scratch(decoder, points) {
  let found = scratches.get(decoder);
  if (!found || found.points < points) {
    const size = decoder.hidden * points;
    found = {
      points,
      pre: new Float64Array(size),
      x: new Float64Array(PIXELS * points),
      hidden: new Float64Array(size),
      next: new Float64Array(PIXELS),
    };
    scratches.set(decoder, found);
  }
  return found;
}

/**
 * The SIMD kernels' scratch for up to `points` codes, W4 copied in once; null without WebAssembly SIMD.
 * @param {import("./decoder.js").Decoder} decoder @param {number} points @returns {SimdScratch | null}
 */
function simdScratch(decoder, points) {
  const found = simdScratches.get(decoder);
  if (found === null || (found && found.points >= points)) return found;
  const { hidden, latent } = decoder;
  const hiddenStride = 16 * Math.ceil(hidden / 16);
  const latentStride = 16 * Math.ceil(latent / 16);
  /** @type {Record<string, number>} */
  const at = {};
  let end = 0;
  for (const [part, floats] of /** @type {[string, number][]} */ ([
    ["w4", hidden * PIXELS],
    ["b4", PIXELS],
    ["w3t", latent * hiddenStride],
    ["b3", hiddenStride],
    ["w3", hidden * latentStride],
    ["zero", latentStride],
    ["latentRows", latent],
    ["codes", points * latent],
    ["pre", points * hiddenStride],
    ["pixels", points * PIXELS],
    ["rows", points * hidden],
    ["values", points * hidden],
    ["units", points * hidden],
    ["gradHidden", points * hidden],
    ["gradCode", points * latentStride],
  ])) {
    at[part] = end;
    end += 16 * Math.ceil(floats / 4); // bytes, each part 16-byte aligned
  }
  const kernels = simdKernels(end);
  if (kernels === null) {
    simdScratches.set(decoder, null);
    return null;
  }
  const f32 = new Float32Array(kernels.memory.buffer);
  const i32 = new Int32Array(kernels.memory.buffer);
  f32.set(decoder.w4t, at.w4 >> 2);
  f32.set(decoder.b4, at.b4 >> 2);
  f32.set(decoder.b3, at.b3 >> 2);
  for (let i = 0; i < latent; i++) {
    i32[(at.latentRows >> 2) + i] = at.w3t + 4 * i * hiddenStride;
    for (let j = 0; j < hidden; j++) {
      f32[(at.w3t >> 2) + i * hiddenStride + j] = decoder.w3[j * latent + i];
      f32[(at.w3 >> 2) + j * latentStride + i] = decoder.w3[j * latent + i];
    }
  }
  const made = {
    points,
    kernels,
    f32,
    i32,
    count: new Int32Array(points),
    next: new Float64Array(PIXELS),
    at,
    ends: null,
  };
  Object.assign(made, { hiddenStride, latentStride });
  simdScratches.set(decoder, /** @type {SimdScratch} */ (made));
  return /** @type {SimdScratch} */ (made);
}

/**
 * Decodes K codes (flat, K * latent): the pixel means (K * 784), and the scratch that holds them.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} curve @param {number} points
 * @param {boolean} simd @param {object | null} [owner] an optimisation whose ends stay put (see decodeSimd)
 * @returns {{x: Float64Array | Float32Array, work: Scratch | SimdScratch}}
 */
export function decodeCurve(decoder, curve, points, simd, owner = null) {
  const fast = simd ? simdScratch(decoder, points) : null;
  if (fast) return { x: decodeSimd(decoder, curve, points, fast, owner), work: fast };
  const work = scratch(decoder, points);
  return { x: decodeJs(decoder, curve, points, work), work };
}

/**
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} curve @param {number} points
 * @param {Scratch} work
 */
function decodeJs(decoder, curve, points, work) {
  const { latent, hidden, w3, b3, w4t, b4 } = decoder;
  const { pre, x } = work;
  for (let k = 0; k < points; k++) {
    const z = k * latent;
    for (let j = 0; j < hidden; j++) {
      let sum = b3[j];
      const row = j * latent;
      for (let i = 0; i < latent; i++) sum += w3[row + i] * curve[z + i];
      pre[k * hidden + j] = sum;
    }
    x.set(b4, k * PIXELS);
  }
  for (let j = 0; j < hidden; j++) {
    const row = j * PIXELS;
    for (let k = 0; k < points; k++) {
      const value = pre[k * hidden + j];
      if (value <= 0) continue; // ReLU: the unit is off for this point
      const out = k * PIXELS;
      for (let p = 0; p < PIXELS; p++) x[out + p] += w4t[row + p] * value;
    }
  }
  sigmoid(x, points * PIXELS);
  return x;
}

/**
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} curve @param {number} points
 * @param {SimdScratch} work
 */
function decodeSimd(decoder, curve, points, work, owner) {
  const { latent, hidden } = decoder;
  const { f32, i32, count, kernels, at, hiddenStride } = work;
  // An optimisation never moves its two ends, and leaves their pixels in place (energyAndGradientFlat): from
  // its second step on, only the inner points are decoded. Any other decoding takes the memory back.
  const skip = owner !== null && work.ends === owner ? 1 : 0;
  work.ends = owner;
  for (let q = 0; q < points * latent; q++) f32[(at.codes >> 2) + q] = curve[q];
  for (let k = skip; k < points - skip; k++) {
    const pre = at.pre + 4 * k * hiddenStride;
    kernels.combine(pre, at.b3, at.latentRows, at.codes + 4 * k * latent, 4 * latent, 4 * hiddenStride);
    const list = k * hidden;
    const rows = (at.rows >> 2) + list;
    const values = (at.values >> 2) + list;
    const units = (at.units >> 2) + list;
    let active = 0;
    for (let j = 0; j < hidden; j++) {
      const value = f32[(pre >> 2) + j];
      if (value <= 0) continue; // ReLU: the unit is off for this point
      i32[rows + active] = at.w4 + 4 * j * PIXELS;
      i32[units + active] = at.w3 + 4 * j * work.latentStride;
      f32[values + active++] = value;
    }
    count[k] = active;
    kernels.combine(
      at.pixels + 4 * k * PIXELS,
      at.b4,
      at.rows + 4 * list,
      at.values + 4 * list,
      4 * active,
      4 * PIXELS,
    );
  }
  const x = f32.subarray(at.pixels >> 2, (at.pixels >> 2) + points * PIXELS);
  sigmoid(x.subarray(skip * PIXELS, (points - skip) * PIXELS), (points - 2 * skip) * PIXELS);
  return x;
}

/** In place, without overflow. @param {Float64Array | Float32Array} x @param {number} size */
function sigmoid(x, size) {
  for (let q = 0; q < size; q++) {
    const logit = x[q];
    x[q] = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
  }
}

/**
 * E and dE/dz for a flat curve (K * latent), into `gradient` (flat, K * latent); rows first..last-1 only.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} curve @param {number} points
 * @param {Float64Array} gradient @param {number} first @param {number} last @param {boolean} simd
 * @param {object | null} [owner] an optimisation that never moves the rows outside first..last-1
 */
export function energyAndGradientFlat(decoder, curve, points, gradient, first, last, simd, owner = null) {
  const { latent, hidden, w3, w4t } = decoder;
  const { x, work } = decodeCurve(decoder, curve, points, simd, owner);
  // E, and dE/dx_k = 2 (x_k - x_{k-1}) - 2 (x_{k+1} - x_k) through the sigmoid: times x (1 - x). In place, from
  // the last point back, so that each point still reads its neighbours' pixels (x_{k+1}, already a gradient,
  // from `next`, a copy of its pixels). Only rows first..last-1 are overwritten: the others keep their pixels.
  let energy = 0;
  const next = work.next;
  for (let k = points - 1; k >= 0; k--) {
    const at = k * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const value = x[at + p];
      let grad = 0;
      if (k > 0) grad += 2 * (value - x[at - PIXELS + p]);
      if (k < points - 1) {
        const step = next[p] - value;
        energy += step * step;
        grad -= 2 * step;
      }
      next[p] = value;
      if (k >= first && k < last) {
        const logits = grad * value * (1 - value);
        x[at + p] = logits > TINY || logits < -TINY ? logits : 0;
      }
    }
  }
  for (let q = first * latent; q < last * latent; q++) gradient[q] = 0;
  if ("kernels" in work) {
    const { f32, count, kernels, at, latentStride } = work;
    for (let k = first; k < last; k++) {
      const list = 4 * k * hidden;
      const out = at.gradCode + 4 * k * latentStride;
      kernels.backward(at.pixels + 4 * k * PIXELS, at.rows + list, 4 * count[k], at.gradHidden + list);
      kernels.combine(out, at.zero, at.units + list, at.gradHidden + list, 4 * count[k], 4 * latentStride);
      for (let i = 0; i < latent; i++) gradient[k * latent + i] = f32[(out >> 2) + i];
    }
    return energy;
  }
  const { pre, hidden: gradHidden } = work;
  for (let j = 0; j < hidden; j++) {
    const row = j * PIXELS;
    for (let k = first; k < last; k++) {
      if (pre[k * hidden + j] <= 0) {
        gradHidden[k * hidden + j] = 0;
        continue;
      }
      const at = k * PIXELS;
      let sum = 0;
      for (let p = 0; p < PIXELS; p++) sum += w4t[row + p] * x[at + p];
      gradHidden[k * hidden + j] = sum;
    }
  }
  for (let k = first; k < last; k++) {
    const z = k * latent;
    for (let j = 0; j < hidden; j++) {
      const value = gradHidden[k * hidden + j];
      if (value === 0) continue;
      const row = j * latent;
      for (let i = 0; i < latent; i++) gradient[z + i] += value * w3[row + i];
    }
  }
  return energy;
}

/** K codes as one flat float32 array (K * latent). @param {ArrayLike<number>[]} codes @param {number} latent */
function flatten(codes, latent) {
  const flat = new Float32Array(codes.length * latent);
  codes.forEach((code, k) => {
    if (code.length !== latent) throw new Error(`code ${k} has ${code.length} numbers, the decoder takes ${latent}`);
    flat.set(code, k * latent);
  });
  return flat;
}

/**
 * The discrete energy sum_i ||decode(z_{i+1}) - decode(z_i)||^2 and length sum_i ||...|| of a latent curve.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>[]} codes @param {{simd?: boolean}} [options]
 * @returns {{energy: number, length: number}}
 */
export function curveEnergyAndLength(decoder, codes, options = {}) {
  const points = codes.length;
  const { x } = decodeCurve(decoder, flatten(codes, decoder.latent), points, options.simd ?? true);
  return stepSums(x, points);
}

/** @param {Float64Array | Float32Array} x @param {number} points */
function stepSums(x, points) {
  let energy = 0;
  let length = 0;
  for (let k = 0; k + 1 < points; k++) {
    let step = 0;
    for (let q = k * PIXELS; q < (k + 1) * PIXELS; q++) step += (x[q + PIXELS] - x[q]) ** 2;
    energy += step;
    length += Math.sqrt(Math.max(step, 1e-12));
  }
  return { energy, length };
}

/**
 * E = sum_i ||decode(z_{i+1}) - decode(z_i)||^2 and dE/dz, one row per code, by hand through
 * z -> h = W3 z + b3 -> relu -> l = W4 h + b4 -> x = sigmoid(l).
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>[]} curve @param {{simd?: boolean}} [options]
 * @returns {{energy: number, gradient: Float64Array[]}}
 */
export function energyAndGradient(decoder, curve, options = {}) {
  const points = curve.length;
  const latent = decoder.latent;
  const flat = new Float64Array(points * latent);
  const energy = energyAndGradientFlat(decoder, flatten(curve, latent), points, flat, 0, points, options.simd ?? true);
  return { energy, gradient: Array.from({ length: points }, (_, k) => flat.slice(k * latent, (k + 1) * latent)) };
}
