// What the lesson computes in the browser, in every host: decoded draws of N(0, I) and the digit the
// classifier reads in each, what a probed point decodes to and how far the nearest test code is, and one
// digit's q(z|x) sampled (z = μ + σ·ε). Plain functions of the models (core/decoder.js, encoder.js,
// classifier.js, each held to numpy) and the seeded draws (draws.js). Their numpy twins:
// `sampleRow` <- explorer/lesson_draws.py sample_row, `probe` <- explorer/planes.py probe_report,
// `posteriorRow` <- explorer/lesson_draws.py posterior_row (tests/test_lesson_js.py holds them together).

import { classify } from "../core/classifier.js";
import { decode, PIXELS } from "../core/decoder.js";
import { normals, STREAMS } from "../core/draws.js";
import { encode } from "../core/encoder.js";
import { round2 } from "../core/share.js";

/** @typedef {import("../core/decoder.js").Decoder} Decoder */
/** @typedef {import("../core/classifier.js").Classifier} Classifier */
/** @typedef {import("../core/encoder.js").Encoder} Encoder */

/**
 * @typedef {object} Reading  what the classifier reads in one picture
 * @property {number} digit     the top class (the first on a tie, as numpy's argmax)
 * @property {number} p         its probability
 * @property {boolean} readable p >= the threshold
 */

/**
 * @param {Classifier} classifier @param {ArrayLike<number>} pixels @param {number} threshold @returns {Reading}
 */
export function readOf(classifier, pixels, threshold) {
  const probabilities = classify(classifier, pixels);
  let digit = 0;
  for (let d = 1; d < probabilities.length; d++) if (probabilities[d] > probabilities[digit]) digit = d;
  const p = probabilities[digit];
  return { digit, p, readable: p >= threshold };
}

/**
 * Decodes `count` codes of `decoder.latent` numbers each (row after row in `codes`) into one array of
 * count x 784 pixel means, float32 as numpy's.
 * @param {Decoder} decoder @param {Float32Array} codes @param {number} count @returns {Float32Array}
 */
export function decodeAll(decoder, codes, count) {
  const out = new Float32Array(count * PIXELS);
  const one = new Float64Array(PIXELS);
  for (let i = 0; i < count; i++) {
    decode(decoder, codes.subarray(i * decoder.latent, (i + 1) * decoder.latent), one);
    out.set(one, i * PIXELS);
  }
  return out;
}

/**
 * The sample rows' draws for `seed`: `count` codes of N(0, I) of the decoder's size, from the stream of that
 * size (STREAMS.rows20 or rows2), so both models of one size decode the same draws.
 * @param {number} seed @param {number} latent @param {number} count @returns {Float32Array}
 */
export function rowCodes(seed, latent, count) {
  return normals(seed, latent === 2 ? STREAMS.rows2 : STREAMS.rows20, count * latent);
}

/**
 * One row: the draws decoded, and per draw the digit read at P >= threshold, or -1 (no classifier: all -1).
 * @param {Decoder} decoder @param {Classifier | null} classifier @param {number} seed @param {number} count
 * @param {number} threshold @returns {{pixels: Float32Array, reads: number[], p: number[]}}
 */
export function sampleRow(decoder, classifier, seed, count, threshold) {
  const pixels = decodeAll(decoder, rowCodes(seed, decoder.latent, count), count);
  const reads = [];
  const p = [];
  for (let i = 0; i < count; i++) {
    if (!classifier) {
      reads.push(-1);
      p.push(0);
      continue;
    }
    const reading = readOf(classifier, pixels.subarray(i * PIXELS, (i + 1) * PIXELS), threshold);
    reads.push(reading.readable ? reading.digit : -1);
    p.push(reading.p);
  }
  return { pixels, reads, p };
}

/**
 * The test code nearest to (x, y) among `codes` (float32 pairs) and its distance, in float64 as numpy's.
 * @param {Float32Array} codes @param {number} x @param {number} y @returns {{index: number, distance: number}}
 */
export function nearestCode(codes, x, y) {
  let index = -1;
  let best = Infinity;
  for (let i = 0; i < codes.length / 2; i++) {
    const dx = codes[2 * i] - x;
    const dy = codes[2 * i + 1] - y;
    const squared = dx * dx + dy * dy;
    if (squared < best) {
      best = squared;
      index = i;
    }
  }
  return { index, distance: Math.sqrt(best) };
}

/**
 * @typedef {object} ProbeReport  what one plane says about a point
 * @property {boolean} inside         within the box of the model's test codes (0.5-99.5 percentiles)
 * @property {Float64Array} pixels    the decoded point (784)
 * @property {Reading | null} reading null without a classifier
 * @property {number} distance        to the nearest test code, in latent units
 * @property {number} nearest         that code's index in `codes`
 * @property {number} gaps            that distance over `spacing` (the median gap between neighbouring codes)
 */

/**
 * What one plane says about the point (x, y): the decoder's picture there (anywhere: a decoder draws
 * something at every point), what the classifier reads in it, and how far the nearest test code is.
 * @param {{decoder: Decoder, classifier: Classifier | null, codes: Float32Array,
 *   box: [number, number, number, number], spacing: number}} plane
 * @param {number} x @param {number} y @param {number} threshold @returns {ProbeReport}
 */
export function probe(plane, x, y, threshold) {
  const pixels = decode(plane.decoder, [x, y], new Float64Array(PIXELS));
  const { index, distance } = nearestCode(plane.codes, x, y);
  const [x0, x1, y0, y1] = plane.box;
  return {
    inside: x0 <= x && x <= x1 && y0 <= y && y <= y1,
    pixels,
    reading: plane.classifier ? readOf(plane.classifier, pixels, threshold) : null,
    distance,
    nearest: index,
    gaps: distance / plane.spacing,
  };
}

/**
 * The point of "decode one draw": draw number `n` of N(0, I) on the plane, rounded to 0.01 (its URL form).
 * @param {number} n @returns {[number, number]}
 */
export function drawPoint(n) {
  const [x, y] = normals(n, STREAMS.draw, 2);
  return [round2(x), round2(y)];
}

/**
 * One digit's q(z|x) sampled: μ and σ from the encoder, then z = μ + σ·ε for `count` draws ε of N(0, I)
 * (seed `seed` of STREAMS.eps: the same ε under every model of one size), decoded; `change` is the mean L2
 * distance over the 784 pixels between a decoded sample and decoded μ.
 * @param {Encoder} encoder @param {Decoder} decoder @param {ArrayLike<number>} image (784, in [0, 1])
 * @param {number} seed @param {number} count
 * @returns {{mu: Float32Array, sigma: Float32Array, pixels: Float32Array, change: number}}
 */
export function posteriorRow(encoder, decoder, image, seed, count) {
  const { mu, logvar } = encode(encoder, image);
  const latent = mu.length;
  const sigma = new Float32Array(latent);
  for (let k = 0; k < latent; k++) sigma[k] = Math.exp(0.5 * logvar[k]);
  const eps = normals(seed, STREAMS.eps, count * latent);
  const codes = new Float32Array((count + 1) * latent);
  codes.set(mu, 0);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < latent; k++) codes[(i + 1) * latent + k] = mu[k] + sigma[k] * eps[i * latent + k];
  }
  const pixels = decodeAll(decoder, codes, count + 1);
  let change = 0;
  for (let i = 1; i <= count; i++) {
    let squared = 0;
    for (let p = 0; p < PIXELS; p++) squared += (pixels[i * PIXELS + p] - pixels[p]) ** 2;
    change += Math.sqrt(squared);
  }
  return { mu, sigma, pixels, change: change / count };
}

/** The median of `values` (as numpy's: the mean of the two middle ones for an even count). @param {ArrayLike<number>} values */
export function median(values) {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
