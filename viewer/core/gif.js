// A small GIF89a encoder for the morph's download, mirroring explorer/images.py morph_gif: grey frames (a 256-grey
// global palette, one byte a pixel, LZW-compressed), each scaled up by a whole factor (nearest), a delay per frame,
// looping. Pure: frames in, bytes out (the host makes a Blob of them). tests/test_drawing_js.py decodes its output
// with Pillow and compares every frame's pixels and delay with the input and with morph_gif's own GIF.

import { GIF_SCALE } from "./constants.js";

export const MORPH_FRAME_MS = 90; // explorer/images.py morph_gif's frame_ms
export const MORPH_PAUSE = 6; // the first and last frames show this many times longer

/**
 * Grey levels 0-255 of values in [0, 1] as explorer/images.py to_uint8 makes them: float32 clip, * 255, rounded
 * half to even (np.round).
 * @param {ArrayLike<number>} values @returns {Uint8Array}
 */
export function toUint8(values) {
  const out = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const x = Math.fround(Math.fround(v < 0 ? 0 : v > 1 ? 1 : v) * 255);
    const floor = Math.floor(x);
    const rest = x - floor;
    out[k] = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  }
  return out;
}

/**
 * LZW codes of one frame's palette indices (8-bit), packed least significant bit first, in sub-blocks of at
 * most 255 bytes ended by an empty one (GIF89a, appendix F). Starts with a clear code, and clears again when the
 * table is full (4096 codes).
 * @param {Uint8Array} indices @param {number[]} out
 */
function lzw(indices, out) {
  const minimum = 8;
  const clear = 1 << minimum;
  const end = clear + 1;
  let next = end + 1;
  let size = minimum + 1;
  /** @type {Map<number, number>} (prefix code * 256 + byte) -> code */
  let table = new Map();
  const bytes = [];
  let bits = 0;
  let held = 0;
  const emit = (/** @type {number} */ code) => {
    bits |= code << held;
    held += size;
    while (held >= 8) {
      bytes.push(bits & 0xff);
      bits >>>= 8;
      held -= 8;
    }
  };
  emit(clear);
  let prefix = indices[0];
  for (let k = 1; k < indices.length; k++) {
    const key = prefix * 256 + indices[k];
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    emit(prefix);
    if (next === 4096) {
      emit(clear);
      table = new Map();
      next = end + 1;
      size = minimum + 1;
    } else {
      if (next >= 1 << size) size++;
      table.set(key, next++);
    }
    prefix = indices[k];
  }
  emit(prefix);
  emit(end);
  if (held > 0) bytes.push(bits & 0xff);
  out.push(minimum);
  for (let at = 0; at < bytes.length; at += 255) {
    const block = bytes.slice(at, at + 255);
    out.push(block.length, ...block);
  }
  out.push(0);
}

/**
 * A looping GIF89a of grey frames.
 * @param {ArrayLike<number>[]} frames  each width * height grey levels 0-255, row-major
 * @param {number} width @param {number} height
 * @param {{scale?: number, delays?: number | number[], loop?: number}} [options]  scale: a whole factor (nearest);
 *   delays: milliseconds, one for all frames or one per frame (GIF keeps hundredths of a second: rounded);
 *   loop: how many times to repeat, 0 for ever
 * @returns {Uint8Array}
 */
export function encodeGif(frames, width, height, options = {}) {
  const { scale = 1, delays = 100, loop = 0 } = options;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`the scale must be a whole number from 1, not ${scale}`);
  if (frames.length === 0) throw new Error("a GIF needs at least one frame");
  const outWidth = width * scale;
  const outHeight = height * scale;
  if (outWidth > 65535 || outHeight > 65535) throw new Error(`${outWidth}x${outHeight} is too large for a GIF`);
  const word = (/** @type {number} */ n) => [n & 0xff, (n >> 8) & 0xff];
  /** @type {number[]} */
  const out = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]; // "GIF89a"
  out.push(...word(outWidth), ...word(outHeight), 0xf7, 0, 0); // a global table of 256 colours, 8 bits each
  for (let grey = 0; grey < 256; grey++) out.push(grey, grey, grey);
  out.push(0x21, 0xff, 11, ...Array.from("NETSCAPE2.0", (c) => c.charCodeAt(0)), 3, 1, ...word(loop), 0);
  const indices = new Uint8Array(outWidth * outHeight);
  frames.forEach((frame, f) => {
    if (frame.length !== width * height)
      throw new Error(`frame ${f} holds ${frame.length} pixels, not ${width * height}`);
    const ms = Array.isArray(delays) ? delays[f] : delays;
    const hundredths = Math.min(65535, Math.max(0, Math.round(ms / 10)));
    out.push(0x21, 0xf9, 4, 0x04, ...word(hundredths), 0, 0); // graphic control: keep the frame, no transparency
    out.push(0x2c, 0, 0, 0, 0, ...word(outWidth), ...word(outHeight), 0); // the whole screen, the global palette
    for (let y = 0; y < outHeight; y++) {
      const row = Math.floor(y / scale) * width;
      for (let x = 0; x < outWidth; x++) {
        const level = Math.round(frame[row + Math.floor(x / scale)]);
        indices[y * outWidth + x] = level < 0 ? 0 : level > 255 ? 255 : level;
      }
    }
    lzw(indices, out);
  });
  out.push(0x3b);
  return Uint8Array.from(out);
}

/**
 * The morph's GIF as explorer/images.py morph_gif makes it: the frames (values in [0, 1], 28 x 28) played
 * A -> B -> A, each scaled by `scale`, the two ends shown MORPH_PAUSE times longer, looping for ever.
 * @param {ArrayLike<number>[]} frames @param {number} [scale] @param {number} [frameMs]
 * @returns {Uint8Array}
 */
export function morphGif(frames, scale = GIF_SCALE, frameMs = MORPH_FRAME_MS) {
  const greys = frames.map(toUint8);
  const sequence = [...greys, ...greys.slice(1, -1).reverse()];
  const delays = sequence.map(() => frameMs);
  delays[0] = delays[greys.length - 1] = frameMs * MORPH_PAUSE;
  return encodeGif(sequence, 28, 28, { scale, delays, loop: 0 });
}
