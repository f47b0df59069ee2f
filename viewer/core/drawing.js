// A drawing or an uploaded picture -> the 28x28 digit the model sees, mirroring vae/drawing.py (to_mnist,
// ink_map, _shrink, _noise_warning, and read_upload's checks of the file before it is decoded), on RGBA pixels:
// reading the canvas or decoding the file (createImageBitmap) is the host's; everything after is here.
//
// tests/js/drawing.test.js holds it to vae/drawing.py on drawings and photo-like pictures exported from numpy
// (tests/js/make_fixtures.py), within 1/255 per pixel (equal, on this machine), and tests/test_drawing_js.py
// on random pictures and every refusal's message.
// How it stays that close:
// - float32 wherever numpy holds float32 (stores into Float32Array, Math.fround), numpy's pairwise summation
//   for the sums the centring rounds, Python's round (half to even);
// - Pillow's resampling ported from its C (libImaging/Resample.c: the LANCZOS and BOX kernels, their
//   support, normalisation to 22-bit integers, each of the two passes stored as 8-bit, in Pillow 13's order;
//   Reduce.c and Convert.c for the box reduction of big pictures with premultiplied alpha);
// - grey = 0.299 R + 0.587 G + 0.114 B rounded as numpy's float32 matmul rounds it on the machines measured
//   (OpenBLAS's sgemv kernel: fma(B, 0.114, fma(R, 0.299, G * 0.587))). A BLAS without FMA rounds some
//   greys one float32 ulp apart, and the 8-bit truncation before the resize can then flip a level: with plain
//   float32 rounding instead, the fixtures' digits differ by at most 1/255 (one pixel of one drawing).
// The resampling follows Pillow 13 (the order of its two passes changed there): a server on an older Pillow
// resizes some crops differently, by more than 1/255 (tests/js/make_fixtures.py's output would change too).
// What the browser cannot do the same way: decode JPEG at reduced scale (Pillow's draft, a DCT scaling) and
// decode 16-bit PNGs at 16 bits; the host decodes at full size and 8 bits, so a photo's pixels can differ
// more than 1/255 from the server's there (the digit is the same to the eye).

import { DRAWING } from "./constants.js";

const {
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_PIXELS,
  BOMB_PIXELS,
  MIN_SIDE,
  MAX_ASPECT,
  WORK_SIDE,
  NOISE_GRID,
  NOISE_FRAGMENTS,
  NOISE_COVERAGE,
  BOX,
  FIELD,
  CENTRE,
} = DRAWING;
// numpy compares a float32 array with a Python float in float32 (NEP 50).
const INK_THRESHOLD = Math.fround(DRAWING.INK_THRESHOLD);
const MIN_CONTRAST32 = Math.fround(DRAWING.MIN_CONTRAST);
const MIN_CONTRAST = DRAWING.MIN_CONTRAST;
const MIN_EXTENT = DRAWING.MIN_EXTENT;

/** A picture that cannot become a digit; the message is meant for the visitor (vae/drawing.py DrawingError). */
export class DrawingError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "DrawingError";
  }
}

/**
 * @typedef {object} Picture  RGBA pixels, row-major, as ImageData holds them (straight, not premultiplied, alpha)
 * @property {number} width
 * @property {number} height
 * @property {Uint8ClampedArray | Uint8Array} data  width * height * 4 bytes
 */

/**
 * @typedef {object} Digit  vae/drawing.py Digit
 * @property {Float32Array} image  28 * 28 values in [0, 1], white ink on black, row-major
 * @property {boolean} inverted  the picture was dark-on-light and was inverted
 * @property {string | null} warning  accepted, but the visitor should know (it looks like noise)
 */

/** For the host's file input: the files vae/drawing.py reads (ACCEPTED_FORMATS; MPO is a JPEG). */
export const ACCEPT = "image/png,image/jpeg,.png,.jpg,.jpeg";
/** What read_upload answers when the host cannot decode a file that passed checkUpload. */
export const DAMAGED = "That picture is damaged or truncated and cannot be read.";
const NOISE =
  "This looks more like noise or a textured photo than a pen-drawn digit. It is encoded anyway " +
  "(the model places anything), but its place on the map and its nearest digits mean little.";
const DOT = "That is only a dot: draw a whole digit that fills most of the box.";
const MEGAPIXELS = Math.floor(MAX_UPLOAD_PIXELS / 1_000_000);
/** @type {[number[], string][]} the refused formats' first bytes, and their names */
const SIGNATURES = DRAWING.SIGNATURES.map(([hex, name]) => [
  Array.from({ length: hex.length / 2 }, (_, k) => Number.parseInt(hex.slice(2 * k, 2 * k + 2), 16)),
  name,
]);

// ---- the file, before it is decoded: vae/drawing.py read_upload, _not_accepted, _decode_small's checks ----

/** @param {ArrayLike<number>} data @param {ArrayLike<number>} prefix @param {number} [at] */
function startsWith(data, prefix, at = 0) {
  if (data.length < at + prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (data[at + k] !== prefix[k]) return false;
  return true;
}

/** @param {ArrayLike<number>} data @param {number} from @param {number} to */
function ascii(data, from, to) {
  let text = "";
  for (let k = from; k < Math.min(to, data.length); k++) text += String.fromCharCode(data[k]);
  return text;
}

/**
 * The message for a file that is not a PNG or JPEG, naming what it most likely is (vae/drawing.py _not_accepted).
 * @param {ArrayLike<number>} data  the file's first bytes (64 are read)
 * @returns {string}
 */
export function notAccepted(data) {
  let start = 0;
  const end = Math.min(64, data.length);
  while (start < end && [32, 9, 10, 13, 11, 12].includes(data[start])) start++; // bytes.lstrip()
  const head = Array.from({ length: end - start }, (_, k) => data[start + k]);
  /** @type {string | undefined} */
  let kind = SIGNATURES.find(([magic]) => startsWith(head, magic))?.[1];
  if (kind === undefined && ascii(head, 4, 8) === "ftyp") kind = "a HEIC/AVIF photo";
  if (kind === undefined && ["<?xml", "<svg "].includes(ascii(head, 0, 5).toLowerCase())) kind = "an SVG drawing";
  if (kind === undefined && ascii(head, 0, 4) === "RIFF" && ascii(data, 8, 12) === "WEBP") kind = "a WebP";
  const what = kind ? `That file looks like ${kind}` : "That file is not a picture we can read";
  return `${what}; only PNG and JPEG pictures are accepted (the file's contents decide, not its name).`;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** @param {ArrayLike<number>} data @param {number} at */
const be16 = (data, at) => data[at] * 256 + data[at + 1];
/** @param {ArrayLike<number>} data @param {number} at */
const be32 = (data, at) => data[at] * 16777216 + data[at + 1] * 65536 + data[at + 2] * 256 + data[at + 3];

/**
 * A JPEG's (width, height) from its frame header (SOF0-SOF15 but DHT, JPG and DAC), or null if none comes
 * before the scan or the bytes end.
 * @param {ArrayLike<number>} data @returns {[number, number] | null}
 */
function jpegSize(data) {
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // the end, or the scan, before any frame header
    const length = be16(data, at + 2);
    if (length < 2) return null;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > data.length) return null;
      return [be16(data, at + 7), be16(data, at + 5)];
    }
    at += 2 + length;
  }
  return null;
}

/**
 * Checks an uploaded file before anything decodes it, with vae/drawing.py read_upload's messages: empty, too
 * many bytes (the Streamlit page's maxUploadSize), not a PNG or JPEG (by its contents, never its name), and from
 * the header's size: too many pixels, too small, a thin strip. Throws DrawingError.
 * @param {Uint8Array} bytes  the file, or at least its start up to a JPEG's frame header (the whole file is safest)
 * @param {number} size  the file's length in bytes
 * @returns {{format: "PNG" | "JPEG", width: number, height: number}}
 */
export function checkUpload(bytes, size) {
  if (size === 0) throw new DrawingError("That file is empty; upload a PNG or JPEG picture of one digit.");
  if (size > MAX_UPLOAD_BYTES) {
    throw new DrawingError(
      `That file is ${(size / 1048576).toFixed(1)} MB; files up to ${MAX_UPLOAD_BYTES / 1048576} MB are accepted. ` +
        "Crop or shrink it and try again.",
    );
  }
  /** @type {"PNG" | "JPEG"} */
  let format;
  let width;
  let height;
  if (startsWith(bytes, PNG_MAGIC) && bytes.length >= 24 && ascii(bytes, 12, 16) === "IHDR") {
    format = "PNG";
    width = be32(bytes, 16);
    height = be32(bytes, 20);
  } else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const found = jpegSize(bytes);
    if (found === null) throw new DrawingError(notAccepted(bytes));
    format = "JPEG";
    [width, height] = found;
  } else {
    throw new DrawingError(notAccepted(bytes));
  }
  if (width * height > BOMB_PIXELS) throw new DrawingError("That image is far too large to open safely.");
  if (width * height > MAX_UPLOAD_PIXELS) {
    throw new DrawingError(
      `That image is ${width}x${height} pixels; pictures up to ${MEGAPIXELS} megapixels are accepted. ` +
        "Crop or shrink it and try again.",
    );
  }
  if (Math.min(width, height) < MIN_SIDE) {
    throw new DrawingError(
      `That image is only ${width}x${height} pixels; a digit needs at least ${MIN_SIDE}x${MIN_SIDE}. ` +
        "Upload a larger picture.",
    );
  }
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) {
    throw new DrawingError(`That image is ${width}x${height} pixels, a thin strip; upload a picture of one digit.`);
  }
  return { format, width, height };
}

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

// ---- numpy's float32 arithmetic ----

const W_RED = Math.fround(0.299);
const W_GREEN = Math.fround(0.587);
const W_BLUE = Math.fround(0.114);

/**
 * a * b + c rounded once to float32 (a fused multiply-add), for float32 a, b, c: the product is exact in a
 * float64; the sum's one rounding to float64 is undone where it lands on a float32 tie.
 * @param {number} a @param {number} b @param {number} c
 */
function fmaf(a, b, c) {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const error = p - (s - v) + (c - v); // s + error == p + c exactly (two-sum)
  const r = Math.fround(s);
  if (error === 0 || r === s) return r;
  const other = Math.fround(r + 2 * (s - r)); // the float32 on s's other side
  if (other === r || (r + other) / 2 !== s) return r; // not a tie: the float64 rounding cannot change it
  return error > 0 === other > r ? other : r;
}

/**
 * numpy's pairwise sum (add.reduce of a contiguous array: 0 + the blocks of 8 accumulators), in float32 when
 * `f32` and float64 otherwise.
 * @param {ArrayLike<number>} values @param {number} from @param {number} n @param {boolean} f32
 * @returns {number}
 */
function pairwise(values, from, n, f32) {
  const round = f32 ? Math.fround : (/** @type {number} */ x) => x;
  if (n < 8) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum = round(sum + values[from + k]);
    return sum;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => values[from + j]);
    let k = 8;
    for (; k < n - (n % 8); k += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + values[from + k + j]);
    let sum = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
    for (; k < n; k++) sum = round(sum + values[from + k]);
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(pairwise(values, from, half, f32) + pairwise(values, from + half, n - half, f32));
}

/** np.sum of a float32 array (0 + the pairwise sum, in float32). @param {ArrayLike<number>} values */
const sum32 = (values) => Math.fround(0 + pairwise(values, 0, values.length, true));

/** np.median of a float32 array. @param {Float32Array} values */
function median(values) {
  const sorted = values.slice().sort();
  const n = sorted.length;
  const middle = n >> 1;
  return n % 2 ? sorted[middle] : Math.fround(Math.fround(sorted[middle - 1] + sorted[middle]) / 2);
}

/** @param {ArrayLike<number>} values @returns {[number, number]} */
function range(values) {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < low) low = values[k];
    if (values[k] > high) high = values[k];
  }
  return [low, high];
}

/** Python's round(x): to the nearest integer, halves to even. @param {number} x */
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const difference = x - floor;
  if (difference < 0.5) return floor;
  if (difference > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

// ---- vae/drawing.py ink_map, to_mnist, _noise_warning ----

/**
 * Grey ink in [0, 1], light on dark, and whether the picture was inverted (vae/drawing.py ink_map): strokes
 * painted on a transparent background are the alpha; otherwise the grey (0.299 R + 0.587 G + 0.114 B), inverted
 * when the border's median is light. A picture over WORK_SIDE a side is reduced first (`width`, `height` say
 * to what). Throws DrawingError.
 * @param {Picture} picture
 * @returns {{ink: Float32Array, width: number, height: number, inverted: boolean}}
 */
export function inkMap(picture) {
  const { width, height } = picture;
  if (width * height === 0) throw new DrawingError("That picture is empty (0 pixels).");
  if (width * height > MAX_UPLOAD_PIXELS) {
    throw new DrawingError(
      `That image is ${width}x${height} pixels; pictures up to ${MEGAPIXELS} megapixels are accepted.`,
    );
  }
  if (picture.data.length !== width * height * 4) {
    throw new Error(`a ${width}x${height} RGBA picture holds ${width * height * 4} bytes, not ${picture.data.length}`);
  }
  const small = shrink(picture);
  const n = small.width * small.height;
  const { data } = small;
  const grey = new Float32Array(n);
  const alpha = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const red = Math.fround(data[4 * p] / 255);
    const green = Math.fround(data[4 * p + 1] / 255);
    const blue = Math.fround(data[4 * p + 2] / 255);
    grey[p] = fmaf(blue, W_BLUE, fmaf(red, W_RED, Math.fround(green * W_GREEN)));
    alpha[p] = Math.fround(data[4 * p + 3] / 255);
  }
  const [alphaLow, alphaHigh] = range(alpha);
  if (alphaHigh < MIN_CONTRAST32)
    throw new DrawingError("That picture is fully transparent: nothing is painted on it.");
  const size = { width: small.width, height: small.height };
  if (alphaLow < Math.fround(0.9) && Math.fround(alphaHigh - alphaLow) >= MIN_CONTRAST32) {
    return { ink: alpha, ...size, inverted: false };
  }
  const w = small.width;
  const h = small.height;
  const border = new Float32Array(2 * w + 2 * h);
  for (let x = 0; x < w; x++) {
    border[x] = grey[x];
    border[w + x] = grey[(h - 1) * w + x];
  }
  for (let y = 0; y < h; y++) {
    border[2 * w + y] = grey[y * w];
    border[2 * w + h + y] = grey[y * w + w - 1];
  }
  const inverted = median(border) > 0.5;
  if (inverted) for (let p = 0; p < n; p++) grey[p] = 1 - grey[p];
  return { ink: grey, ...size, inverted };
}

/**
 * The 28x28 digit the model sees (vae/drawing.py to_mnist): the ink lifted off its background and stretched to
 * [0, 1], cropped to the strokes, the longer side scaled to 20 pixels (Pillow's LANCZOS), placed so that its
 * centre of mass sits at (14, 14). Throws DrawingError, with vae/drawing.py's messages, for a picture that holds
 * no digit.
 * @param {Picture} picture
 * @param {{drawn?: boolean}} [options]  drawn: it is the canvas (blank says "nothing drawn"), else an upload
 * @returns {Digit}
 */
export function toMnist(picture, options = {}) {
  const mapped = inkMap(picture);
  const { ink, width, height, inverted } = mapped;
  const n = ink.length;
  const [low, high] = range(ink);
  if (Math.fround(high - low) < MIN_CONTRAST32) {
    if (options.drawn) throw new DrawingError("Nothing drawn yet: draw a digit (0-9) in the box.");
    throw new DrawingError(
      "That picture is one flat shade with no strokes in it; upload a picture of a digit drawn in a dark or light pen.",
    );
  }
  const background = median(ink);
  const lift = background > 0.05 && high - background >= MIN_CONTRAST ? background : low;
  for (let p = 0; p < n; p++) ink[p] = ink[p] - lift;
  const lifted = range(ink)[1]; // > 0: the contrast check above
  for (let p = 0; p < n; p++) ink[p] = Math.min(1, Math.max(0, Math.fround(ink[p] / lifted)));

  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK_THRESHOLD) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  const extent = Math.max(bottom - top + 1, right - left + 1);
  if (extent < MIN_EXTENT * Math.max(height, width)) throw new DrawingError(DOT);
  const warning = noiseWarning(ink, width, height);

  const cropWidth = right - left + 1;
  const cropHeight = bottom - top + 1;
  const crop = new Uint8Array(cropWidth * cropHeight);
  for (let y = 0; y < cropHeight; y++) {
    for (let x = 0; x < cropWidth; x++) crop[y * cropWidth + x] = Math.fround(ink[(top + y) * width + left + x] * 255);
  }
  const scale = BOX / Math.max(cropWidth, cropHeight);
  const patchWidth = Math.max(1, roundHalfEven(cropWidth * scale));
  const patchHeight = Math.max(1, roundHalfEven(cropHeight * scale));
  const grey = resizeGrey(crop, cropWidth, cropHeight, patchWidth, patchHeight, "lanczos");
  const patch = new Float32Array(grey.length);
  for (let p = 0; p < grey.length; p++) patch[p] = Math.fround(grey[p] / 255);

  const mass = sum32(patch);
  if (mass <= 0) throw new DrawingError(DOT);
  const byRow = new Float64Array(patch.length);
  const byColumn = new Float64Array(patch.length);
  for (let y = 0; y < patchHeight; y++) {
    for (let x = 0; x < patchWidth; x++) {
      byRow[y * patchWidth + x] = y * patch[y * patchWidth + x];
      byColumn[y * patchWidth + x] = x * patch[y * patchWidth + x];
    }
  }
  const rowMean = (0 + pairwise(byRow, 0, byRow.length, false)) / mass;
  const columnMean = (0 + pairwise(byColumn, 0, byColumn.length, false)) / mass;
  const placeTop = Math.min(FIELD - patchHeight, Math.max(0, roundHalfEven(CENTRE - rowMean)));
  const placeLeft = Math.min(FIELD - patchWidth, Math.max(0, roundHalfEven(CENTRE - columnMean)));
  const image = new Float32Array(FIELD * FIELD);
  for (let y = 0; y < patchHeight; y++) {
    for (let x = 0; x < patchWidth; x++) image[(placeTop + y) * FIELD + placeLeft + x] = patch[y * patchWidth + x];
  }
  return { image, inverted, warning };
}

/**
 * vae/drawing.py _noise_warning: the ink reduced to fit NOISE_GRID (Pillow's thumbnail, BOX); many separate
 * pieces of ink and background, or ink over most of it, read as noise.
 * @param {Float32Array} ink  in [0, 1] @param {number} width @param {number} height
 * @returns {string | null}
 */
export function noiseWarning(ink, width, height) {
  /** @type {Uint8Array} */
  let grid = new Uint8Array(ink.length);
  for (let p = 0; p < ink.length; p++) grid[p] = Math.fround(ink[p] * 255);
  let w = width;
  let h = height;
  if (Math.max(w, h) > NOISE_GRID) {
    [w, h] = thumbnailSize(width, height, NOISE_GRID);
    grid = resizeGrey(grid, width, height, w, h, "box");
  }
  let top = 0;
  for (let p = 0; p < grid.length; p++) top = Math.max(top, grid[p]);
  const threshold = Math.fround(0.5 * Math.fround(top / 255));
  const mask = new Uint8Array(grid.length);
  let inked = 0;
  for (let p = 0; p < grid.length; p++) {
    mask[p] = Math.fround(grid[p] / 255) > threshold ? 1 : 0;
    inked += mask[p];
  }
  const fragments = pieces(mask, w, h, 1) + pieces(mask, w, h, 0);
  return fragments > NOISE_FRAGMENTS || inked / mask.length > NOISE_COVERAGE ? NOISE : null;
}

/**
 * Pillow's Image.thumbnail size for a square bound (preserve_aspect_ratio: the nearer of floor and ceil).
 * @param {number} width @param {number} height @param {number} side @returns {[number, number]}
 */
function thumbnailSize(width, height, side) {
  const aspect = width / height;
  /** @param {number} number @param {(n: number) => number} key */
  const roundAspect = (number, key) => {
    const floor = Math.floor(number);
    const ceil = Math.ceil(number);
    return Math.max(key(ceil) < key(floor) ? ceil : floor, 1);
  };
  if (side / side >= aspect) return [roundAspect(side * aspect, (n) => Math.abs(aspect - n / side)), side];
  return [side, roundAspect(side / aspect, (n) => (n === 0 ? 0 : Math.abs(aspect - side / n)))];
}

/**
 * The number of 4-connected regions of `value` in a mask (vae/drawing.py _pieces).
 * @param {Uint8Array} mask @param {number} width @param {number} height @param {number} value
 */
function pieces(mask, width, height, value) {
  const seen = new Uint8Array(mask.length);
  const stack = [];
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== value || seen[start]) continue;
    count++;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const p = /** @type {number} */ (stack.pop());
      const y = Math.floor(p / width);
      const x = p - y * width;
      const next = [
        y > 0 ? p - width : -1,
        y < height - 1 ? p + width : -1,
        x > 0 ? p - 1 : -1,
        x < width - 1 ? p + 1 : -1,
      ];
      for (const q of next) {
        if (q >= 0 && mask[q] === value && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  return count;
}
