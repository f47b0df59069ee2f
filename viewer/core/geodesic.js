// Geodesic paths in the browser, mirroring vae/geodesic.py: curveEnergyAndLength <- curve_energy_and_length,
// energyAndGradient <- energy_and_gradient (the energy's gradient back-propagated by hand through the 2-layer
// decoder), geodesicPath <- geodesic_path (the straight line with K points, its inner points moved by Adam as
// torch.optim.Adam does it, the same stopping rule, then resampled to equal decoded steps as
// _resample_equal_steps), grade <- grade. geodesicPathAsync is geodesicPath giving the event loop back.
// tests/js/geodesic.test.js holds the gradient to finite differences and to numpy's, and the optimised paths'
// energies to numpy's on pairs of test codes (within 1%); tests/test_geodesic_js.py runs more models against
// numpy live, and grade against Python's on many ratios. benchmarks/geodesic_js.py times it against numpy.
//
// It runs on viewer/core/decoder.js's Decoder (w3 (hidden, latent), b3, w4t (hidden, 784), b4), with buffers
// of its own kept per decoder (WeakMaps). Codes are float32, as numpy holds them. The products run in
// WebAssembly SIMD (viewer/core/simd.js, float32 like numpy's) where the browser has it, else in plain JS loops
// summing in float64 ({simd: false} asks for those); either way a hidden unit that the ReLU turns off skips
// its row of W4 in both directions.

import { PIXELS } from "./decoder.js";
import { simdKernels } from "./simd.js";

/**
 * @typedef {object} GeodesicReport  vae/geodesic.py GeodesicReport
 * @property {number} energy        sum of squared decoded steps, K points
 * @property {number} length        sum of decoded step lengths (pixel L2)
 * @property {number} linearEnergy  the same for the straight line
 * @property {number} linearLength
 * @property {number} steps         optimiser steps taken
 */

/**
 * @typedef {object} GeodesicOptions  geodesic_path's keyword arguments, with its defaults
 * @property {number} [points]       K, the curve's points (16)
 * @property {number} [priorWeight]  lambda of the prior term lambda * sum ||z_i||^2 / 2 (0.05)
 * @property {number} [maxSteps]     (400)
 * @property {number} [lr]           Adam's learning rate (0.05)
 * @property {number} [tolerance]    a step counts as progress when the loss drops by this fraction (1e-4)
 * @property {(fraction: number) => void} [progress]  called every 10 steps with step / maxSteps
 * @property {boolean} [simd]  the products in WebAssembly SIMD where the browser has it (true); false: plain JS
 */

/**
 * @typedef {object} AsyncOptions
 * @property {number} [sliceMs]     time between yields to the event loop (12 ms: one frame's work)
 * @property {AbortSignal} [signal] aborts the optimisation (the promise rejects with the signal's reason)
 */

export const DEFAULTS = Object.freeze({ points: 16, priorWeight: 0.05, maxSteps: 400, lr: 0.05, tolerance: 1e-4 });
const BETA1 = 0.9; // Adam's defaults in torch: betas (0.9, 0.999), eps 1e-8, bias-corrected
const BETA2 = 0.999;
const EPS = 1e-8;
const PATIENCE = 15; // steps without progress before the optimiser stops
const SUBSTEPS = 8; // per segment, where the resampling measures decoded arc length
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
function decodeCurve(decoder, curve, points, simd, owner = null) {
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
function energyAndGradientFlat(decoder, curve, points, gradient, first, last, simd, owner = null) {
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

/** np.linspace(start, stop, num)'s values: i * step + start, the last exactly stop. */
function linspace(/** @type {number} */ start, /** @type {number} */ stop, /** @type {number} */ num) {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * One step of Adam (torch.optim.Adam: bias-corrected moments) on the inner points (rows 1..K-2 of the flat
 * `curve`), with the prior's gradient lambda z added to the energy's; float32 where numpy holds float32.
 * Returns the prior term lambda * sum ||z||^2 / 2 of the points before the step. (A plain function: inside the
 * generator V8 boxes every float.)
 * @param {Float32Array} curve @param {Float64Array} gradient @param {Float32Array} moment
 * @param {Float32Array} second @param {number} latent @param {number} step @param {number} lr
 * @param {number} priorWeight
 */
function adamStep(curve, gradient, moment, second, latent, step, lr, priorWeight) {
  const stepSize = lr / (1 - BETA1 ** step);
  const correction = Math.sqrt(1 - BETA2 ** step);
  let prior = 0;
  for (let q = 0; q < moment.length; q++) {
    const z = curve[latent + q];
    prior += z * z;
    const grad = Math.fround(Math.fround(gradient[latent + q]) + Math.fround(priorWeight * z));
    moment[q] = BETA1 * moment[q] + (1 - BETA1) * grad;
    second[q] = BETA2 * second[q] + (1 - BETA2) * grad * grad;
    curve[latent + q] = z - Math.fround((stepSize * moment[q]) / (Math.sqrt(second[q]) / correction + EPS));
  }
  return priorWeight * 0.5 * prior;
}

/**
 * The optimisation as a generator: it yields after every step, so that geodesicPath runs it through and
 * geodesicPathAsync hands the event loop back between slices; its return value is geodesicPath's.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 * @param {number} frames @param {GeodesicOptions} options
 * @returns {Generator<number, {codes: Float32Array[], report: GeodesicReport}>}
 */
function* optimise(decoder, a, b, frames, options) {
  const { points, priorWeight, maxSteps, lr, tolerance, simd } = { ...DEFAULTS, simd: true, ...options };
  const latent = decoder.latent;
  if (a.length !== latent || b.length !== latent) throw new Error(`the ends must hold ${latent} numbers`);
  if (!(points >= 2) || !(frames >= 2)) throw new Error("a geodesic needs at least 2 points and 2 frames");
  const f = Math.fround;
  const t = Float32Array.from(linspace(0, 1, points));
  const line = new Float32Array(points * latent); // (K, latent), as numpy computes it in float32
  for (let k = 0; k < points; k++) {
    const s = f(1 - t[k]);
    for (let i = 0; i < latent; i++) line[k * latent + i] = f(s * f(a[i])) + f(t[k] * f(b[i]));
  }
  const curve = line.slice(); // the optimiser moves the inner points; the ends stay exactly a and b
  const inner = (points - 2) * latent;
  const moment = new Float32Array(inner);
  const second = new Float32Array(inner);
  const gradient = new Float64Array(points * latent);

  const owner = {}; // this optimisation, for the memory that keeps its ends' pixels (decodeSimd)
  let best = Number.POSITIVE_INFINITY;
  let stale = 0;
  let step = 0;
  for (step = 1; step <= maxSteps; step++) {
    const energy = energyAndGradientFlat(decoder, curve, points, gradient, 1, points - 1, simd, owner);
    const loss = energy + adamStep(curve, gradient, moment, second, latent, step, lr, priorWeight);
    if (loss < best * (1 - tolerance)) {
      best = loss;
      stale = 0;
    } else if (++stale >= PATIENCE) {
      break; // stopped improving
    }
    if (options.progress && step % 10 === 0) options.progress(step / maxSteps);
    yield step;
  }
  step = Math.min(step, maxSteps);

  const rows = (/** @type {Float32Array} */ flat) =>
    Array.from({ length: points }, (_, k) => flat.subarray(k * latent, (k + 1) * latent));
  const { energy, length } = curveEnergyAndLength(decoder, rows(curve), { simd });
  const linear = curveEnergyAndLength(decoder, rows(line), { simd });
  const codes = resampleEqualSteps(decoder, curve, points, frames, simd);
  codes[0] = Float32Array.from(a);
  codes[frames - 1] = Float32Array.from(b);
  return {
    codes,
    report: { energy, length, linearEnergy: linear.energy, linearLength: linear.length, steps: step },
  };
}

/**
 * Frames along a piecewise-linear latent curve (flat, K * latent) at equal decoded arc length.
 * @param {import("./decoder.js").Decoder} decoder @param {Float32Array} curve @param {number} points
 * @param {number} frames @param {boolean} simd @returns {Float32Array[]}
 */
function resampleEqualSteps(decoder, curve, points, frames, simd) {
  const latent = decoder.latent;
  const f = Math.fround;
  const count = SUBSTEPS * (points - 1) + 1;
  const dense = new Float32Array(count * latent); // (8 (K - 1) + 1, latent)
  for (let k = 0; k + 1 < points; k++) {
    for (let s = 0; s < SUBSTEPS; s++) {
      const at = (k * SUBSTEPS + s) * latent;
      for (let i = 0; i < latent; i++) {
        const from = curve[k * latent + i];
        dense[at + i] = from + f(f(curve[(k + 1) * latent + i] - from) * (s / SUBSTEPS));
      }
    }
  }
  dense.set(curve.subarray((points - 1) * latent), (count - 1) * latent);
  const { x: images } = decodeCurve(decoder, dense, count, simd);
  const arc = new Float64Array(count);
  for (let d = 1; d < count; d++) {
    let sum = 0;
    for (let q = d * PIXELS; q < (d + 1) * PIXELS; q++) sum += (images[q] - images[q - PIXELS]) ** 2;
    arc[d] = arc[d - 1] + Math.sqrt(sum);
  }
  const targets = linspace(0, arc[count - 1], frames);
  const codes = [];
  let index = 0; // np.searchsorted(arc, target) (the first arc >= target), clipped to [1, count - 1]
  for (const target of targets) {
    while (index < count && arc[index] < target) index++;
    const high = Math.min(Math.max(index, 1), count - 1);
    const low = high - 1;
    const weight = (target - arc[low]) / Math.max(arc[high] - arc[low], 1e-12);
    const code = new Float32Array(latent);
    for (let i = 0; i < latent; i++) {
      const from = dense[low * latent + i];
      code[i] = from + weight * f(dense[high * latent + i] - from); // numpy: a float32 difference, then float64
    }
    codes.push(code);
  }
  return codes;
}

/**
 * `frames` codes from a to b along the optimised curve, and how it compares with the straight line.
 * Runs to the end in one go (about a second on the shipped z = 20 models); geodesicPathAsync gives the
 * event loop back meanwhile.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 * @param {number} frames @param {GeodesicOptions} [options]
 * @returns {{codes: Float32Array[], report: GeodesicReport}}
 */
export function geodesicPath(decoder, a, b, frames, options = {}) {
  const run = optimise(decoder, a, b, frames, options);
  for (;;) {
    const next = run.next();
    if (next.done) return next.value;
  }
}

/**
 * geodesicPath, giving the event loop back every `sliceMs` (the page stays live: a host shows the straight
 * line meanwhile, and a new pair aborts the old one through `signal`). The same steps, the same result.
 * @param {import("./decoder.js").Decoder} decoder @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 * @param {number} frames @param {GeodesicOptions & AsyncOptions} [options]
 * @returns {Promise<{codes: Float32Array[], report: GeodesicReport}>}
 */
export async function geodesicPathAsync(decoder, a, b, frames, options = {}) {
  const { sliceMs = 12, signal } = options;
  const run = optimise(decoder, a, b, frames, options);
  for (;;) {
    signal?.throwIfAborted();
    const until = performance.now() + sliceMs;
    let next = run.next();
    while (!next.done && performance.now() < until) next = run.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export const GRADES = Object.freeze(["no better", "real detour", "nearly straight", "ordinary bend"]);

/**
 * How a geodesic's energy ratio (geodesic / straight line) compares with the ratios measured on random pairs
 * of the shipped models (weights/lesson.json "geodesic": p10, p90): "no better" at 1 or more, "real detour"
 * below p10, "nearly straight" above p90, "ordinary bend" between; null without a measured distribution.
 * @param {number} ratio @param {{p10?: number, p90?: number}} measured @returns {string | null}
 */
export function grade(ratio, measured) {
  if (!("p10" in measured && "p90" in measured)) return null;
  if (ratio >= 1) return GRADES[0];
  if (ratio < /** @type {number} */ (measured.p10)) return GRADES[1];
  if (ratio > /** @type {number} */ (measured.p90)) return GRADES[2];
  return GRADES[3];
}
