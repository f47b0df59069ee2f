// The Multi-Rate VAE in the browser, mirroring vae/multirate.py NumpyMultiRateVAE at any β of its range.
// Each layer's pre-activations are scaled unit by unit by a gate of η = log β (Bae et al., ICLR 2023):
//   encoder layers (fc1, fc_mu, fc_logvar)   sigmoid(slope η + offset)
//   decoder layers (fc3, fc4)                sqrt(max(1 - exp(slope η + offset), 1e-4))
// A gate scales whole rows of (W x + b), so at one β the model IS a plain VAE whose rows are scaled: `setBeta`
// writes those scaled weights into one encoder and one decoder (core/encoder.js, core/decoder.js), which then
// run unchanged. tests/test_beta_slider.py holds this to numpy (frames within 1/255, codes within 1e-4).
//
//   const model = makeMultiRate(buffer, latent, hidden);   // the blob explorer/assets.py multirate_blob serves
//   setBeta(model, 0.3);                                   // ~1 M multiplications: cheap enough for every drag
//   encode(model.encoder, pixels); decode(model.decoder, z, out);

import { PIXELS } from "./decoder.js";

export const DECODER_GATE_FLOOR = 1e-4; // vae/multirate.py DECODER_GATE_FLOOR
export const LAYERS = ["fc1", "fc_mu", "fc_logvar", "fc3", "fc4"]; // the blob's order (vae/multirate.py GATED_LAYERS)

/**
 * @typedef {object} MultiRate
 * @property {number} latent
 * @property {number} hidden
 * @property {Record<string, {weight: Float32Array, bias: Float32Array, slope: Float32Array, offset: Float32Array}>} layers
 * @property {{w1t: Float32Array, w4t: Float32Array}} transposed   fc1.weight (784, hidden), fc4.weight (hidden, 784)
 * @property {import("./encoder.js").Encoder} encoder   the model at `beta` (its arrays rewritten by setBeta)
 * @property {import("./decoder.js").Decoder} decoder
 * @property {number} beta                              NaN before the first setBeta
 */

/** (out, in) of each layer. @param {number} latent @param {number} hidden @returns {Record<string, [number, number]>} */
function shapes(latent, hidden) {
  return {
    fc1: [hidden, PIXELS],
    fc_mu: [latent, hidden],
    fc_logvar: [latent, hidden],
    fc3: [hidden, latent],
    fc4: [PIXELS, hidden],
  };
}

/**
 * A Multi-Rate VAE from its blob: each layer's weight (out, in) and bias in LAYERS order, then each layer's gate
 * slope and offset (out,) in the same order; float32, torch's layout.
 * @param {ArrayBuffer} buffer @param {number} latent @param {number} hidden @returns {MultiRate}
 */
export function makeMultiRate(buffer, latent, hidden) {
  const all = new Float32Array(buffer);
  let at = 0;
  const take = (/** @type {number} */ n) => {
    at += n;
    return all.subarray(at - n, at);
  };
  const dims = shapes(latent, hidden);
  /** @type {Record<string, any>} */
  const layers = {};
  for (const name of LAYERS) layers[name] = { weight: take(dims[name][0] * dims[name][1]), bias: take(dims[name][0]) };
  for (const name of LAYERS) {
    layers[name].slope = take(dims[name][0]);
    layers[name].offset = take(dims[name][0]);
  }
  if (at !== all.length) throw new Error(`Multi-Rate VAE blob holds ${all.length} floats, expected ${at}`);
  // fc1 and fc4 transposed once, as encoder.js and decoder.js hold them, so setBeta scales them in order.
  const w1t = new Float32Array(PIXELS * hidden);
  for (let j = 0; j < hidden; j++)
    for (let p = 0; p < PIXELS; p++) w1t[p * hidden + j] = layers.fc1.weight[j * PIXELS + p];
  const w4t = new Float32Array(hidden * PIXELS);
  for (let p = 0; p < PIXELS; p++)
    for (let j = 0; j < hidden; j++) w4t[j * PIXELS + p] = layers.fc4.weight[p * hidden + j];
  const encoder = {
    latent,
    hidden,
    w1t: new Float32Array(PIXELS * hidden),
    b1: new Float32Array(hidden),
    wMu: new Float32Array(latent * hidden),
    bMu: new Float32Array(latent),
    wLogvar: new Float32Array(latent * hidden),
    bLogvar: new Float32Array(latent),
    acc: new Float64Array(hidden),
    h: new Float32Array(hidden),
  };
  const decoder = {
    latent,
    hidden,
    w3: new Float32Array(hidden * latent),
    b3: new Float32Array(hidden),
    w4t: new Float32Array(hidden * PIXELS),
    b4: new Float32Array(PIXELS),
    h: new Float64Array(hidden),
    acc: new Float64Array(PIXELS),
  };
  return { latent, hidden, layers, transposed: { w1t, w4t }, encoder, decoder, beta: Number.NaN };
}

/**
 * The per-unit scale of one layer's pre-activations at η = log β (vae/multirate.py encoder_gate / decoder_gate,
 * in float32 where numpy rounds).
 * @param {MultiRate} model @param {string} name @param {number} eta @returns {Float64Array}
 */
export function gate(model, name, eta) {
  const { slope, offset } = model.layers[name];
  const out = new Float64Array(slope.length);
  const decoderSide = name === "fc3" || name === "fc4";
  const e = Math.fround(eta);
  for (let i = 0; i < slope.length; i++) {
    const s = Math.fround(Math.fround(slope[i] * e) + offset[i]);
    out[i] = decoderSide
      ? Math.sqrt(Math.max(1 - Math.exp(s), DECODER_GATE_FLOOR))
      : s >= 0
        ? 1 / (1 + Math.exp(-s))
        : Math.exp(s) / (1 + Math.exp(s));
  }
  return out;
}

/**
 * Rewrites the model's encoder and decoder for this β (> 0): each row of W and b scaled by its unit's gate.
 * @param {MultiRate} model @param {number} beta
 */
export function setBeta(model, beta) {
  if (!(beta > 0 && Number.isFinite(beta))) throw new Error(`β must be a finite number > 0, got ${beta}`);
  if (beta === model.beta) return model;
  const eta = Math.log(beta);
  const { latent, hidden, layers, encoder, decoder } = model;
  const g1 = gate(model, "fc1", eta);
  const { w1t, w4t } = model.transposed;
  for (let j = 0; j < hidden; j++) encoder.b1[j] = layers.fc1.bias[j] * g1[j];
  for (let p = 0; p < PIXELS; p++) {
    const row = p * hidden;
    for (let j = 0; j < hidden; j++) encoder.w1t[row + j] = w1t[row + j] * g1[j];
  }
  for (const [name, w, b] of /** @type {const} */ ([
    ["fc_mu", encoder.wMu, encoder.bMu],
    ["fc_logvar", encoder.wLogvar, encoder.bLogvar],
  ])) {
    const g = gate(model, name, eta);
    for (let k = 0; k < latent; k++) {
      b[k] = layers[name].bias[k] * g[k];
      for (let j = 0; j < hidden; j++) w[k * hidden + j] = layers[name].weight[k * hidden + j] * g[k];
    }
  }
  const g3 = gate(model, "fc3", eta);
  for (let j = 0; j < hidden; j++) {
    decoder.b3[j] = layers.fc3.bias[j] * g3[j];
    for (let k = 0; k < latent; k++) decoder.w3[j * latent + k] = layers.fc3.weight[j * latent + k] * g3[j];
  }
  const g4 = gate(model, "fc4", eta);
  for (let p = 0; p < PIXELS; p++) decoder.b4[p] = layers.fc4.bias[p] * g4[p];
  for (let j = 0; j < hidden; j++) {
    const row = j * PIXELS;
    for (let p = 0; p < PIXELS; p++) decoder.w4t[row + p] = w4t[row + p] * g4[p];
  }
  model.beta = beta;
  return model;
}

/**
 * IEEE half-precision floats (little-endian, numpy's float16) as float32: the per-β code file ships them.
 * @param {Uint16Array} halves @returns {Float32Array}
 */
export function fromHalves(halves) {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    out[i] =
      exponent === 0
        ? sign * 2 ** -14 * (fraction / 1024)
        : exponent === 31
          ? fraction
            ? Number.NaN
            : sign * Number.POSITIVE_INFINITY
          : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}

/**
 * Where β falls on the code file's grid: the two neighbours and the weight of the upper one, linear in log β
 * (docs/multirate.md); clamped to the grid's ends.
 * @param {ArrayLike<number>} betas increasing @param {number} beta @returns {{k: number, t: number}}
 */
export function gridPlace(betas, beta) {
  const last = betas.length - 1;
  if (beta <= betas[0]) return { k: 0, t: 0 };
  if (beta >= betas[last]) return { k: last - 1, t: 1 };
  let k = 0;
  while (k < last - 1 && betas[k + 1] <= beta) k++;
  const t = (Math.log(beta) - Math.log(betas[k])) / (Math.log(betas[k + 1]) - Math.log(betas[k]));
  return { k, t };
}

/**
 * The N codes on the fixed axes at β, interpolated between the two grid frames around it, into `out` (N * 2).
 * @param {Float32Array} xy (K, N, 2) @param {ArrayLike<number>} betas (K) @param {number} beta
 * @param {Float32Array} out @returns {Float32Array}
 */
export function codesAt(xy, betas, beta, out) {
  const size = out.length;
  const { k, t } = gridPlace(betas, beta);
  const lo = k * size;
  const hi = lo + size;
  for (let i = 0; i < size; i++) out[i] = (1 - t) * xy[lo + i] + t * xy[hi + i];
  return out;
}

/**
 * One value per grid β (reconstruction, KL, ...) at β, interpolated as the codes are.
 * @param {ArrayLike<number>} values @param {ArrayLike<number>} betas @param {number} beta
 */
export function figureAt(values, betas, beta) {
  const { k, t } = gridPlace(betas, beta);
  return (1 - t) * values[k] + t * values[k + 1];
}
