// The encoder in the browser, mirroring vae/inference.py NumpyVAE.encode: h = relu(fc1(x)), then
// mu = fc_mu(h) and logvar = fc_logvar(h), q(z|x) = N(mu, exp(logvar)). tests/js/encoder.test.js holds it
// to numpy on fixtures (test digits, a drawing and a photo through vae/drawing.py) and
// tests/test_browser_blobs.py on every shipped model. Pixels are rounded to float32 (Math.fround) as
// numpy holds them; sums run in float64 and each layer's output is rounded to float32, as numpy's is.

import { PIXELS } from "./decoder.js";

/**
 * @typedef {object} Encoder
 * @property {number} latent
 * @property {number} hidden
 * @property {Float32Array} w1t   fc1.weight transposed (784, hidden)
 * @property {Float32Array} b1    fc1.bias (hidden)
 * @property {Float32Array} wMu   fc_mu.weight (latent, hidden)
 * @property {Float32Array} bMu   fc_mu.bias (latent)
 * @property {Float32Array} wLogvar  fc_logvar.weight (latent, hidden)
 * @property {Float32Array} bLogvar  fc_logvar.bias (latent)
 * @property {Float64Array} acc   scratch (hidden)
 * @property {Float32Array} h     scratch (hidden): the hidden layer, float32 as numpy holds it
 */

/**
 * An encoder from its blob (explorer/assets.py encoder_blob): fc1.weight (hidden, 784), fc1.bias (hidden),
 * fc_mu.weight (latent, hidden), fc_mu.bias (latent), fc_logvar.weight (latent, hidden), fc_logvar.bias
 * (latent), float32, torch's (out, in) layout, one after another.
 * @param {ArrayBuffer} buffer @param {number} latent @param {number} hidden @returns {Encoder}
 */
export function makeEncoder(buffer, latent, hidden) {
  const all = new Float32Array(buffer);
  let at = 0;
  const take = (/** @type {number} */ n) => {
    at += n;
    return all.subarray(at - n, at);
  };
  const w1 = take(hidden * PIXELS);
  const b1 = take(hidden);
  const wMu = take(latent * hidden);
  const bMu = take(latent);
  const wLogvar = take(latent * hidden);
  const bLogvar = take(latent);
  if (at !== all.length) throw new Error(`encoder blob holds ${all.length} floats, expected ${at}`);
  // fc1 transposed to (784, hidden): a blank pixel (most of a digit's field) then skips a whole contiguous row.
  const w1t = new Float32Array(PIXELS * hidden);
  for (let j = 0; j < hidden; j++) for (let p = 0; p < PIXELS; p++) w1t[p * hidden + j] = w1[j * PIXELS + p];
  return {
    latent,
    hidden,
    w1t,
    b1,
    wMu,
    bMu,
    wLogvar,
    bLogvar,
    acc: new Float64Array(hidden),
    h: new Float32Array(hidden),
  };
}

/**
 * (mu, logvar) of one image: 784 pixel values in [0, 1], row by row (a drawing after vae/drawing.py's
 * preprocessing, or a test digit's grey levels / 255).
 * @param {Encoder} encoder @param {ArrayLike<number>} pixels
 * @returns {{mu: Float32Array, logvar: Float32Array}}
 */
export function encode(encoder, pixels) {
  const { latent, hidden, w1t, b1, wMu, bMu, wLogvar, bLogvar, acc, h } = encoder;
  if (pixels.length !== PIXELS) throw new Error(`an image has ${PIXELS} pixels, not ${pixels.length}`);
  acc.fill(0);
  for (let p = 0; p < PIXELS; p++) {
    const value = Math.fround(pixels[p]);
    if (value === 0) continue;
    const row = p * hidden;
    for (let j = 0; j < hidden; j++) acc[j] += w1t[row + j] * value;
  }
  for (let j = 0; j < hidden; j++) {
    const sum = acc[j] + b1[j];
    h[j] = sum > 0 ? sum : 0;
  }
  const mu = new Float32Array(latent);
  const logvar = new Float32Array(latent);
  for (let k = 0; k < latent; k++) {
    let sumMu = bMu[k];
    let sumLogvar = bLogvar[k];
    const row = k * hidden;
    for (let j = 0; j < hidden; j++) {
      sumMu += wMu[row + j] * h[j];
      sumLogvar += wLogvar[row + j] * h[j];
    }
    mu[k] = sumMu;
    logvar[k] = sumLogvar;
  }
  return { mu, logvar };
}
