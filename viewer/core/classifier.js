// The digit classifier in the browser, mirroring vae/inference.py NumpyClassifier: two blocks of a 'same' 3x3
// convolution (zero padding of one pixel, cross-correlation as torch's Conv2d: _conv3x3), ReLU and a 2x2
// max-pool of stride 2 (_pool), then fc1 + ReLU and fc2: `logits` is NumpyClassifier.logits, `classify` its
// .probabilities (the softmax), `read` what vae/analytics.py PathAnalytics.predicted and .confidence give the
// strip (the top class and its probability per frame; sections/morph.py reading sends them). tests/js/classifier.test.js holds it to
// fixtures exported from numpy and tests/test_browser_blobs.py to numpy on test digits and decoded frames.
// Pixels are rounded to float32 (Math.fround) as numpy holds them; sums run in float64 and every layer's
// output is rounded to float32, as numpy's is.
//
// Activations are (height, width, channels), channels innermost, as numpy's. A convolution gathers each output
// pixel's patch (3 x 3 x channels in, numpy's _conv3x3 row) keeping only its non-zero values (ReLU turns off
// many of the first block's outputs, and a test digit's blank field is zero), then takes its dot products with
// four output channels' kernels at once (four independent sums). fc1 adds the rows of its non-zero inputs.

import { PIXELS, SIDE } from "./decoder.js";

export const CLASSES = 10;
const HEADER = 3; // c1, c2, hidden: the blob says its own shape
const POOLED = (SIDE / 4) * (SIDE / 4); // 7 x 7 after two pools

/**
 * @typedef {object} Classifier
 * @property {number} c1       conv1's output channels
 * @property {number} c2       conv2's output channels
 * @property {number} hidden   fc1's units
 * @property {Float64Array} k1    conv1 (c1, 9): row out, column (ky, kx)
 * @property {Float32Array} bc1   conv1.bias (c1)
 * @property {Float64Array} k2    conv2 (c2, 9 * c1): row out, column (ky, kx, in)
 * @property {Float32Array} bc2   conv2.bias (c2)
 * @property {Float32Array} w1t   fc1 (49 * c2, hidden): row (y, x, channel), column unit
 * @property {Float32Array} b1    fc1.bias (hidden)
 * @property {Float32Array} w2    fc2.weight (10, hidden)
 * @property {Float32Array} b2    fc2.bias (10)
 * @property {Float32Array} image scratch (28, 28)
 * @property {Float64Array} patch scratch (9 * c1): a patch's non-zero values
 * @property {Int32Array} where   scratch (9 * c1): their columns in the kernel
 * @property {Float64Array} acc1  scratch (28, 28, c1)
 * @property {Float32Array} pool1 scratch (14, 14, c1)
 * @property {Float64Array} acc2  scratch (14, 14, c2)
 * @property {Float32Array} pool2 scratch (7, 7, c2)
 * @property {Float64Array} acc3  scratch (hidden)
 * @property {Float32Array} h     scratch (hidden)
 */

/**
 * A classifier from its blob (explorer/assets.py classifier_blob), float32: a header of three whole numbers
 * [c1, c2, hidden], then conv1.weight (c1, 1, 3, 3), conv1.bias (c1), conv2.weight (c2, c1, 3, 3), conv2.bias
 * (c2), fc1.weight (hidden, c2 * 7 * 7) whose columns follow torch's flattening (channel, y, x), fc1.bias
 * (hidden), fc2.weight (10, hidden), fc2.bias (10): torch's tensors as they are, one after another.
 * @param {ArrayBuffer} buffer @returns {Classifier}
 */
export function makeClassifier(buffer) {
  const all = new Float32Array(buffer);
  const [c1, c2, hidden] = all.subarray(0, HEADER);
  if (!(all.length >= HEADER && [c1, c2, hidden].every((n) => Number.isInteger(n) && n > 0 && n <= 4096))) {
    throw new Error("classifier blob: its header is not three positive whole numbers (c1, c2, hidden)");
  }
  if (c1 % 4 || c2 % 4) throw new Error(`classifier blob: channels ${c1}, ${c2} are not multiples of 4`);
  let at = HEADER;
  const take = (/** @type {number} */ n) => {
    at += n;
    return all.subarray(at - n, at);
  };
  const conv1 = take(c1 * 9);
  const bc1 = take(c1);
  const conv2 = take(c2 * c1 * 9);
  const bc2 = take(c2);
  const fc1 = take(hidden * c2 * POOLED);
  const b1 = take(hidden);
  const w2 = take(CLASSES * hidden);
  const b2 = take(CLASSES);
  if (at !== all.length) throw new Error(`classifier blob holds ${all.length} floats, expected ${at}`);

  // Kernels as (out, ky, kx, in) rows, the patch's order; float64 (exact copies), the faster to multiply here.
  const k1 = Float64Array.from(conv1);
  const k2 = new Float64Array(9 * c1 * c2);
  for (let o = 0; o < c2; o++) {
    for (let i = 0; i < c1; i++) {
      for (let tap = 0; tap < 9; tap++) k2[(o * 9 + tap) * c1 + i] = conv2[(o * c1 + i) * 9 + tap];
    }
  }
  // torch flattens (c2, 7, 7); the activations here are (7, 7, c2): fc1's columns are permuted once, as numpy does.
  const w1t = new Float32Array(POOLED * c2 * hidden);
  for (let j = 0; j < hidden; j++) {
    for (let c = 0; c < c2; c++) {
      for (let s = 0; s < POOLED; s++) w1t[(s * c2 + c) * hidden + j] = fc1[j * c2 * POOLED + c * POOLED + s];
    }
  }
  const half = SIDE / 2;
  return {
    c1,
    c2,
    hidden,
    k1,
    bc1,
    k2,
    bc2,
    w1t,
    b1,
    w2,
    b2,
    image: new Float32Array(PIXELS),
    patch: new Float64Array(9 * c1),
    where: new Int32Array(9 * c1),
    acc1: new Float64Array(PIXELS * c1),
    pool1: new Float32Array(half * half * c1),
    acc2: new Float64Array(half * half * c2),
    pool2: new Float32Array(POOLED * c2),
    acc3: new Float64Array(hidden),
    h: new Float32Array(hidden),
  };
}

/**
 * The products of a 'same' 3x3 convolution (bias not yet added) of `x` (side, side, cin) into `acc`
 * (side, side, cout): zero padding of one pixel, so taps outside the image add nothing (numpy's np.pad).
 * @param {Float32Array} x @param {number} side @param {number} cin @param {Float64Array} kernel (cout, 9 * cin)
 * @param {number} cout (a multiple of 4) @param {Float64Array} acc @param {Float64Array} patch @param {Int32Array} where
 */
function convolve(x, side, cin, kernel, cout, acc, patch, where) {
  const width = 9 * cin;
  for (let y = 0; y < side; y++) {
    for (let xx = 0; xx < side; xx++) {
      let count = 0;
      for (let ky = 0; ky < 3; ky++) {
        const sy = y + ky - 1;
        if (sy < 0 || sy >= side) continue;
        for (let kx = 0; kx < 3; kx++) {
          const sx = xx + kx - 1;
          if (sx < 0 || sx >= side) continue;
          const from = (sy * side + sx) * cin;
          const column = (ky * 3 + kx) * cin;
          for (let i = 0; i < cin; i++) {
            const value = x[from + i];
            if (value === 0) continue;
            patch[count] = value;
            where[count++] = column + i;
          }
        }
      }
      const out = (y * side + xx) * cout;
      for (let o = 0; o < cout; o += 4) {
        const r0 = o * width;
        const r1 = r0 + width;
        const r2 = r1 + width;
        const r3 = r2 + width;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let q = 0; q < count; q++) {
          const value = patch[q];
          const k = where[q];
          s0 += kernel[r0 + k] * value;
          s1 += kernel[r1 + k] * value;
          s2 += kernel[r2 + k] * value;
          s3 += kernel[r3 + k] * value;
        }
        acc[out + o] = s0;
        acc[out + o + 1] = s1;
        acc[out + o + 2] = s2;
        acc[out + o + 3] = s3;
      }
    }
  }
}

/**
 * relu(acc + bias) rounded to float32, then the 2x2 max-pool of stride 2: (side, side, c) -> (side/2, side/2, c).
 * The bias, ReLU and the rounding are monotone, so pooling first gives what activating every pixel first would.
 * @param {Float64Array} acc @param {Float32Array} bias @param {number} side @param {number} c @param {Float32Array} out
 */
function activatePool(acc, bias, side, c, out) {
  const half = side / 2;
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const top = (2 * y * side + 2 * x) * c;
      const bottom = top + side * c;
      const to = (y * half + x) * c;
      for (let o = 0; o < c; o++) {
        const best = Math.max(acc[top + o], acc[top + c + o], acc[bottom + o], acc[bottom + c + o]) + bias[o];
        out[to + o] = best > 0 ? best : 0;
      }
    }
  }
}

/**
 * The ten logits of one image of 784 pixels in [0, 1], row by row (NumpyClassifier.logits).
 * @param {Classifier} classifier @param {ArrayLike<number>} pixels @returns {Float32Array}
 */
export function logits(classifier, pixels) {
  const { c1, c2, hidden, k1, bc1, k2, bc2, w1t, b1, w2, b2, image, patch, where } = classifier;
  const { acc1, pool1, acc2, pool2, acc3, h } = classifier;
  if (pixels.length !== PIXELS) throw new Error(`an image has ${PIXELS} pixels, not ${pixels.length}`);
  for (let p = 0; p < PIXELS; p++) image[p] = pixels[p];
  convolve(image, SIDE, 1, k1, c1, acc1, patch, where);
  activatePool(acc1, bc1, SIDE, c1, pool1);
  convolve(pool1, SIDE / 2, c1, k2, c2, acc2, patch, where);
  activatePool(acc2, bc2, SIDE / 2, c2, pool2);

  acc3.fill(0);
  for (let s = 0; s < pool2.length; s++) {
    const value = pool2[s];
    if (value === 0) continue;
    const row = s * hidden;
    for (let j = 0; j < hidden; j++) acc3[j] += w1t[row + j] * value;
  }
  for (let j = 0; j < hidden; j++) {
    const sum = acc3[j] + b1[j];
    h[j] = sum > 0 ? sum : 0; // dropout is off in eval
  }
  const out = new Float32Array(CLASSES);
  for (let d = 0; d < CLASSES; d++) {
    let sum = b2[d];
    const row = d * hidden;
    for (let j = 0; j < hidden; j++) sum += w2[row + j] * h[j];
    out[d] = sum;
  }
  return out;
}

/**
 * Softmax probabilities of the ten digits for one image of 784 pixels in [0, 1] (NumpyClassifier.probabilities).
 * @param {Classifier} classifier @param {ArrayLike<number>} pixels @returns {Float64Array}
 */
export function classify(classifier, pixels) {
  const values = logits(classifier, pixels);
  const top = Math.max(...values);
  const probabilities = new Float64Array(CLASSES);
  let total = 0;
  for (let d = 0; d < CLASSES; d++) {
    probabilities[d] = Math.exp(values[d] - top);
    total += probabilities[d];
  }
  for (let d = 0; d < CLASSES; d++) probabilities[d] /= total;
  return probabilities;
}

/**
 * The strip's reading of a path's frames: per frame the digit the classifier rates highest (the first on a
 * tie, as numpy's argmax) and its probability, unrounded (sections/morph.py rounds them to 3 decimals only
 * to send them).
 * @param {Classifier} classifier @param {ArrayLike<ArrayLike<number>>} frames
 * @returns {{digits: number[], confidence: number[]}}
 */
export function read(classifier, frames) {
  const digits = [];
  const confidence = [];
  for (let f = 0; f < frames.length; f++) {
    const probabilities = classify(classifier, frames[f]);
    let best = 0;
    for (let d = 1; d < CLASSES; d++) if (probabilities[d] > probabilities[best]) best = d;
    digits.push(best);
    confidence.push(probabilities[best]);
  }
  return { digits, confidence };
}
