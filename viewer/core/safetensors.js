// A visitor's .safetensors file read in the browser, mirroring vae/foreign.py read_safetensors: the file's
// size bounded, its header length bounded, every header entry (dtype, shape, byte range, no overlap, inside
// the file) checked before any tensor is allocated, then each tensor decoded (tensorbytes.js). Nothing is
// unpickled: a PyTorch .pt/.pth file is named and refused with how to convert it. What the tensors must be to
// make a VAE is statedict.js's. tests/test_upload_vae.py holds it to vae/foreign.py with property-based
// tests, and tests/js/safetensors.test.js checks the refusals one by one.

import { CONVERT, shown, UploadRefused } from "./refusal.js";
import { DTYPES, decodeTensor } from "./tensorbytes.js";

export const MAX_UPLOAD_BYTES = 10 * 2 ** 20; // vae/foreign.py MAX_UPLOAD_BYTES
export const MAX_HEADER_BYTES = 64 * 2 ** 10;
export const MAX_TENSORS = 64;

/** @typedef {{shape: number[], data: Float32Array}} Tensor */

/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/**
 * torch.save's zip or legacy pickle, from the first 9 bytes (vae/foreign.py looks_like_torch_file).
 * @param {Uint8Array} head
 */
export function looksLikeTorchFile(head) {
  const zip = head.length >= 2 && head[0] === 0x50 && head[1] === 0x4b; // "PK"
  const pickle = head.length >= 1 && head[0] === 0x80;
  return head[8] !== 0x7b && (zip || pickle); // a safetensors file has "{" at byte 8
}

/**
 * Checks one header entry; its (begin, end, name).
 * @param {string} name @param {unknown} entry @param {number} dataSize @returns {[number, number, string]}
 */
function checkEntry(name, entry, dataSize) {
  if (!(name.length > 0 && name.length <= 200)) {
    throw new UploadRefused(`a tensor name ${shown(name)}`, "names such as 'fc1.weight'", CONVERT);
  }
  const keys = entry && typeof entry === "object" && !Array.isArray(entry) ? Object.keys(entry).sort() : null;
  if (keys?.join() !== "data_offsets,dtype,shape") {
    throw new UploadRefused(`header entry ${shown(name)} = ${shown(entry)}`, "{dtype, shape, data_offsets}", CONVERT);
  }
  const { dtype, shape, data_offsets: offsets } = /** @type {Record<string, unknown>} */ (entry);
  if (typeof dtype !== "string" || !Object.hasOwn(DTYPES, dtype)) {
    throw new UploadRefused(
      `tensor ${shown(name)} of dtype ${shown(dtype)}`,
      `floating-point weights (${Object.keys(DTYPES).join(", ")}); a VAE of this shape has no integer buffers`,
    );
  }
  const isSize = (/** @type {unknown} */ d) => typeof d === "number" && Number.isInteger(d) && d >= 0 && d < 2 ** 31;
  if (!Array.isArray(shape) || shape.length > 4 || !shape.every(isSize)) {
    throw new UploadRefused(`tensor ${shown(name)} of shape ${shown(shape)}`, "a list of at most 4 sizes", CONVERT);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isInteger(o)) ||
    !(0 <= offsets[0] && offsets[0] <= offsets[1] && offsets[1] <= dataSize)
  ) {
    throw new UploadRefused(
      `tensor ${shown(name)} at bytes ${shown(offsets)}`,
      `a byte range inside the ${dataSize} data bytes`,
      CONVERT,
    );
  }
  // BigInt: a product of four sizes below 2^31 can pass 2^53.
  const expected =
    shape.reduce((n, d) => n * BigInt(d), 1n) * BigInt(DTYPES[/** @type {keyof typeof DTYPES} */ (dtype)]);
  if (BigInt(offsets[1] - offsets[0]) !== expected) {
    throw new UploadRefused(
      `tensor ${shown(name)} (${shape.join(", ")}) ${dtype} stored in ${offsets[1] - offsets[0]} bytes`,
      `${expected} bytes for that shape and dtype`,
      CONVERT,
    );
  }
  return [offsets[0], offsets[1], name];
}

/**
 * Refuses a file over `limit` bytes, before a byte of it is read.
 * @param {number} size @param {number} [limit]
 */
export function checkSize(size, limit = MAX_UPLOAD_BYTES) {
  if (size > limit) {
    throw new UploadRefused(
      `a file of ${megabytes(size)}`,
      `at most ${limit / 2 ** 20} MB (a 784-400-20 VAE is 2.6 MB in float32)`,
      "Save the VAE's state dict alone, in float32 or float16, with no optimizer state.",
    );
  }
}

/**
 * The tensors of a .safetensors file as float32, every header entry checked before any is read
 * (vae/foreign.py read_safetensors); or UploadRefused.
 * @param {ArrayBuffer | Uint8Array} file @param {number} [limit] @returns {Record<string, Tensor>}
 */
export function readSafetensors(file, limit = MAX_UPLOAD_BYTES) {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const size = bytes.length;
  checkSize(size, limit);
  if (looksLikeTorchFile(bytes.subarray(0, 9))) {
    throw new UploadRefused(
      "a PyTorch file (a pickle, as torch.save writes)",
      "a .safetensors file: raw tensors and a JSON header, nothing that runs code when read",
      CONVERT,
    );
  }
  if (size < 8) {
    throw new UploadRefused(`${size} bytes`, "a safetensors file (8 bytes of header length, then a JSON header)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length < 2n || length > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
    throw new UploadRefused(
      `a header length of ${length} bytes in a file of ${size} bytes`,
      `a safetensors file whose JSON header (at most ${MAX_HEADER_BYTES / 1024} KB) fits inside it`,
      CONVERT,
    );
  }
  const headerEnd = 8 + Number(length);
  /** @type {unknown} */
  let header;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch {
    throw new UploadRefused("a header that is not JSON text", "a safetensors file's JSON header", CONVERT);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) {
    const kind = header === null ? "null" : Array.isArray(header) ? "list" : typeof header;
    throw new UploadRefused(`a header that is a JSON ${kind}`, "a JSON object of tensors", CONVERT);
  }
  const entries = Object.entries(header).filter(([name]) => name !== "__metadata__");
  if (entries.length > MAX_TENSORS) {
    throw new UploadRefused(`${entries.length} tensors`, `a VAE's 10 (at most ${MAX_TENSORS})`);
  }
  const dataSize = size - headerEnd;
  const spans = entries
    .map(([name, entry]) => checkEntry(name, entry, dataSize))
    .sort((p, q) => p[0] - q[0] || p[1] - q[1] || (p[2] < q[2] ? -1 : p[2] > q[2] ? 1 : 0));
  for (let k = 1; k < spans.length; k++) {
    if (spans[k][0] < spans[k - 1][1]) {
      throw new UploadRefused(
        `tensors ${shown(spans[k - 1][2])} and ${shown(spans[k][2])} sharing bytes`,
        "disjoint tensors",
        CONVERT,
      );
    }
  }
  /** @type {Record<string, Tensor>} */
  const tensors = {};
  for (const [begin, end, name] of spans) {
    const { dtype, shape } = /** @type {{dtype: string, shape: number[]}} */ (/** @type {any} */ (header)[name]);
    const tensorView = new DataView(bytes.buffer, bytes.byteOffset + headerEnd + begin, end - begin);
    tensors[name] = {
      shape,
      data: decodeTensor(tensorView, dtype, (end - begin) / DTYPES[/** @type {"F32"} */ (dtype)]),
    };
  }
  return tensors;
}
