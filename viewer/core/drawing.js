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
import { resizeGrey, shrink } from "./resample.js";

const { MAX_UPLOAD_PIXELS, NOISE_GRID, NOISE_FRAGMENTS, NOISE_COVERAGE, BOX, FIELD, CENTRE } = DRAWING;
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

const NOISE =
  "This looks more like noise or a textured photo than a pen-drawn digit. It is encoded anyway " +
  "(the model places anything), but its place on the map and its nearest digits mean little.";
const DOT = "That is only a dot: draw a whole digit that fills most of the box.";
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
      `That image is ${width}x${height} pixels; pictures up to ${Math.floor(MAX_UPLOAD_PIXELS / 1_000_000)} megapixels are accepted.`,
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
