// An uploaded file checked before anything is decoded, mirroring vae/drawing.py read_upload and _not_accepted:
// its kind from its first bytes (PNG and JPEG only, other formats named), its size from its header (bounded
// in bytes and pixels), with the Python's messages. tests/test_drawing_js.py holds it to read_upload.

import { DRAWING } from "./constants.js";
import { DrawingError } from "./drawing.js";

const { MAX_UPLOAD_BYTES, MAX_UPLOAD_PIXELS, BOMB_PIXELS, MIN_SIDE, MAX_ASPECT } = DRAWING;

/** For the host's file input: the files vae/drawing.py reads (ACCEPTED_FORMATS; MPO is a JPEG). */
export const ACCEPT = "image/png,image/jpeg,.png,.jpg,.jpeg";
/** What read_upload answers when the host cannot decode a file that passed checkUpload. */
export const DAMAGED = "That picture is damaged or truncated and cannot be read.";
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
