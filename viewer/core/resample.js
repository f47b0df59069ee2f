// Pillow's resampling in the browser, as vae/drawing.py uses it: the LANCZOS and BOX resize of one 8-bit band
// (libImaging/Resample.c, Pillow 13's pass order) and the box reduction of a big RGBA picture with
// premultiplied alpha (Reduce.c). tests/js/drawing.test.js holds them to Pillow through the fixtures.

import { DRAWING } from "./constants.js";

const { WORK_SIDE } = DRAWING;

/** @typedef {import("./drawing.js").Picture} Picture */

// ---- Pillow's resampling (libImaging/Resample.c), 8-bit, one band ----

const PRECISION_BITS = 22; // 32 - 8 - 2
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** @param {number} x */
function sinc(x) {
  if (x === 0) return 1;
  const y = x * Math.PI;
  return Math.sin(y) / y;
}

/** @type {Record<"lanczos" | "box", {filter: (x: number) => number, support: number}>} */
const FILTERS = {
  lanczos: { filter: (x) => (-3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0), support: 3 },
  box: { filter: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0), support: 0.5 },
};

/**
 * precompute_coeffs + normalize_coeffs_8bpc: per output pixel, the first input pixel, the count, and the
 * weights as integers of 2^22.
 * @param {number} inSize @param {number} outSize @param {{filter: (x: number) => number, support: number}} filter
 */
function coefficients(inSize, outSize, filter) {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const weights = new Float64Array(ksize);
  const inverse = 1.0 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const count = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0;
    for (let x = 0; x < count; x++) {
      weights[x] = filter.filter((x + xmin - center + 0.5) * inverse);
      ww += weights[x];
    }
    for (let x = 0; x < count; x++) {
      const w = ww !== 0 ? weights[x] / ww : weights[x];
      kk[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = count;
  }
  return { bounds, kk, ksize };
}

/** clip8: the sum's integer part (an arithmetic shift) clipped to 0-255. @param {number} sum */
const clip8 = (sum) => Math.min(255, Math.max(0, Math.floor(sum / ONE)));

/**
 * Pillow's Image.resize of a mode "L" picture (ImagingResample, Pillow 13: two passes, each stored as 8-bit,
 * in the order Pillow picks; a pass is skipped where that side keeps its size).
 * @param {Uint8Array} pixels  width * height grey levels
 * @param {number} width @param {number} height @param {number} outWidth @param {number} outHeight
 * @param {"lanczos" | "box"} filterName
 * @returns {Uint8Array} outWidth * outHeight grey levels
 */
export function resizeGrey(pixels, width, height, outWidth, outHeight, filterName) {
  if (width === outWidth && height === outHeight) return pixels.slice(); // Image.resize returns a copy
  const filter = FILTERS[filterName];
  // Pillow 13: "if height is being scaled down more than twice the amount the width is, run the vertical
  // pass first" (each pass rounds to 8 bits, so the order changes pixels).
  const verticalFirst = height - outHeight > 0 && height - outHeight > (width - outWidth) * 2;
  if (verticalFirst) {
    const tall = outHeight === height ? pixels : verticalPass(pixels, width, height, outHeight, filter);
    return outWidth === width ? tall : horizontalPass(tall, width, outHeight, outWidth, filter);
  }
  const wide = outWidth === width ? pixels : horizontalPass(pixels, width, height, outWidth, filter);
  return outHeight === height ? wide : verticalPass(wide, outWidth, height, outHeight, filter);
}

/**
 * _ImagingResampleHorizontal_8bpc.
 * @param {Uint8Array} pixels @param {number} width @param {number} height @param {number} outWidth
 * @param {{filter: (x: number) => number, support: number}} filter
 */
function horizontalPass(pixels, width, height, outWidth, filter) {
  const { bounds, kk, ksize } = coefficients(width, outWidth, filter);
  const out = new Uint8Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = bounds[2 * xx];
      const count = bounds[2 * xx + 1];
      let sum = HALF;
      for (let x = 0; x < count; x++) sum += pixels[row + xmin + x] * kk[xx * ksize + x];
      out[y * outWidth + xx] = clip8(sum);
    }
  }
  return out;
}

/**
 * _ImagingResampleVertical_8bpc.
 * @param {Uint8Array} pixels @param {number} width @param {number} height @param {number} outHeight
 * @param {{filter: (x: number) => number, support: number}} filter
 */
function verticalPass(pixels, width, height, outHeight, filter) {
  const { bounds, kk, ksize } = coefficients(height, outHeight, filter);
  const out = new Uint8Array(width * outHeight);
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[2 * yy];
    const count = bounds[2 * yy + 1];
    for (let x = 0; x < width; x++) {
      let sum = HALF;
      for (let y = 0; y < count; y++) sum += pixels[(ymin + y) * width + x] * kk[yy * ksize + y];
      out[yy * width + x] = clip8(sum);
    }
  }
  return out;
}

// ---- vae/drawing.py _shrink: Pillow's Image.reduce of an RGBA picture (premultiplied alpha) ----

/** MULDIV255: a * b / 255 rounded (libImaging/ImagingUtils.h). @param {number} a @param {number} b */
function mulDiv255(a, b) {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/**
 * The picture reduced to fit WORK_SIDE a side by an integer factor, each output pixel the rounded mean of a
 * factor x factor box (the last row and column of boxes cut short), as vae/drawing.py _shrink does it with
 * Pillow's reduce: RGBA -> premultiplied "RGBa" -> ImagingReduce -> RGBA. A picture that fits is returned as is.
 * @param {Picture} picture @returns {Picture}
 */
export function shrink(picture) {
  const { width, height, data } = picture;
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / WORK_SIDE));
  if (factor === 1) return picture;
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  /** @type {Map<number, number>} */
  const multipliers = new Map();
  // division_UINT32: 2^32 / (256 * count) in float32, truncated; then (sum + count / 2) * it >> 24.
  const multiplier = (/** @type {number} */ count) => {
    let value = multipliers.get(count);
    if (value === undefined) {
      value = Math.trunc(Math.fround(4294967296 / Math.fround(256 * count)));
      multipliers.set(count, value);
    }
    return value;
  };
  const sums = [0, 0, 0, 0];
  for (let y = 0; y < outHeight; y++) {
    const rows = Math.min(factor, height - y * factor);
    for (let x = 0; x < outWidth; x++) {
      const columns = Math.min(factor, width - x * factor);
      const count = rows * columns;
      sums[0] = sums[1] = sums[2] = sums[3] = Math.trunc(count / 2);
      for (let yy = y * factor; yy < y * factor + rows; yy++) {
        for (let xx = x * factor; xx < x * factor + columns; xx++) {
          const p = (yy * width + xx) * 4;
          const alpha = data[p + 3]; // premultiplied as it is read: no second full-size copy
          sums[0] += mulDiv255(data[p], alpha);
          sums[1] += mulDiv255(data[p + 1], alpha);
          sums[2] += mulDiv255(data[p + 2], alpha);
          sums[3] += alpha;
        }
      }
      const m = multiplier(count);
      const q = (y * outWidth + x) * 4;
      for (let c = 0; c < 4; c++) out[q + c] = Math.floor((sums[c] * m) / 16777216);
      const alpha = out[q + 3];
      if (alpha !== 0 && alpha !== 255) {
        for (let c = 0; c < 3; c++) out[q + c] = Math.min(255, Math.trunc((255 * out[q + c]) / alpha)); // rgba2rgbA
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}
