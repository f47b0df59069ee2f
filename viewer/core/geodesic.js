// Geodesic paths in the browser, mirroring vae/geodesic.py: curveEnergyAndLength <- curve_energy_and_length,
// energyAndGradient <- energy_and_gradient (the energy's gradient back-propagated by hand through the 2-layer
// decoder), geodesicPath <- geodesic_path (the straight line with K points, its inner points moved by Adam as
// torch.optim.Adam does it, the same stopping rule, then resampled to equal decoded steps as
// _resample_equal_steps), grade <- grade. geodesicPathAsync is geodesicPath giving the event loop back.
// tests/js/geodesic.test.js holds the gradient to finite differences and to numpy's, and the optimised paths'
// energies to numpy's on pairs of test codes (within 1%); tests/test_geodesic_js.py runs more models against
// numpy live, and grade against Python's on many ratios. benchmarks/geodesic_js.py times it against numpy.
//
// The curve's decoding, energy and gradient are viewer/core/curve.js (WebAssembly SIMD where the browser has
// it, else plain JS loops: {simd: false} asks for those). Codes are float32, as numpy holds them.

import { curveEnergyAndLength, decodeCurve, energyAndGradientFlat } from "./curve.js";
import { PIXELS } from "./decoder.js";

export { curveEnergyAndLength, energyAndGradient } from "./curve.js";

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
