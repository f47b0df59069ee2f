// The decoder in the browser, mirroring vae/inference.py NumpyVAE.decode: sigmoid(fc4(relu(fc3(z)))).
// tests/test_browser_decoding.py holds it to numpy on every shipped model (frames within 1/255 per pixel)
// and tests/js/decoder.test.js to fixtures exported from numpy. Codes are rounded to float32
// (Math.fround) where numpy holds them as float32; sums run in float64.

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/**
 * @typedef {object} Decoder
 * @property {number} latent
 * @property {number} hidden
 * @property {Float32Array} w3   fc3.weight (hidden, latent)
 * @property {Float32Array} b3   fc3.bias (hidden)
 * @property {Float32Array} w4t  fc4.weight transposed (hidden, 784)
 * @property {Float32Array} b4   fc4.bias (784)
 * @property {Float64Array} h    scratch (hidden)
 * @property {Float64Array} acc  scratch (784)
 */

/**
 * A decoder from its blob: fc3.weight (hidden, latent), fc3.bias, fc4.weight (784, hidden), fc4.bias, float32.
 * @param {ArrayBuffer} buffer @param {number} latent @param {number} hidden @returns {Decoder}
 */
export function makeDecoder(buffer, latent, hidden) {
  const all = new Float32Array(buffer);
  let at = 0;
  const take = (/** @type {number} */ n) => {
    at += n;
    return all.subarray(at - n, at);
  };
  const w3 = take(hidden * latent);
  const b3 = take(hidden);
  const w4 = take(PIXELS * hidden);
  const b4 = take(PIXELS);
  if (at !== all.length) throw new Error(`decoder blob holds ${all.length} floats, expected ${at}`);
  // fc4 transposed to (hidden, 784): a zero hidden unit (ReLU) then skips a whole contiguous row.
  const w4t = new Float32Array(hidden * PIXELS);
  for (let p = 0; p < PIXELS; p++) for (let j = 0; j < hidden; j++) w4t[j * PIXELS + p] = w4[p * hidden + j];
  return { latent, hidden, w3, b3, w4t, b4, h: new Float64Array(hidden), acc: new Float64Array(PIXELS) };
}

/**
 * Pixel means in [0, 1] of one code `z` (length latent) into `out` (length 784).
 * @template {Float64Array | Float32Array} T
 * @param {Decoder} decoder @param {ArrayLike<number>} z @param {T} out @returns {T}
 */
export function decode(decoder, z, out) {
  const { latent, hidden, w3, b3, w4t, b4, h, acc } = decoder;
  for (let j = 0; j < hidden; j++) {
    let sum = b3[j];
    const row = j * latent;
    for (let k = 0; k < latent; k++) sum += w3[row + k] * Math.fround(z[k]);
    h[j] = sum > 0 ? sum : 0;
  }
  for (let p = 0; p < PIXELS; p++) acc[p] = b4[p];
  for (let j = 0; j < hidden; j++) {
    const value = h[j];
    if (value === 0) continue;
    const row = j * PIXELS;
    for (let p = 0; p < PIXELS; p++) acc[p] += w4t[row + p] * value;
  }
  for (let p = 0; p < PIXELS; p++) {
    const x = acc[p];
    out[p] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
  return out;
}

/**
 * Grey levels 0-255 as numpy rounds them (np.round halves to even; pixels are never exact halves here),
 * written as opaque RGBA.
 * @param {ArrayLike<number>} values @param {Uint8ClampedArray | Uint8Array} rgba
 */
export function toGrey(values, rgba) {
  for (let p = 0; p < PIXELS; p++) {
    const grey = Math.round(255 * Math.min(1, Math.max(0, values[p])));
    rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = grey;
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}
