// A visitor's .safetensors file read in the browser, mirroring vae/foreign.py (read_safetensors,
// vae_from_state_dict): the file's size bounded, its header length bounded, every header entry (dtype, shape,
// byte range, no overlap, inside the file) checked before any tensor is allocated, then the names and shapes
// of pytorch/examples' MLP VAE (fc1, fc21, fc22, fc3, fc4; this repository's fc_mu, fc_logvar; keys under
// "module." or "_orig_mod."). Nothing is unpickled: a PyTorch .pt/.pth file is named and refused with how to
// convert it. tests/test_upload_vae.py holds both functions to vae/foreign.py with property-based tests, and
// tests/js/safetensors.test.js checks the refusals one by one.

import { PIXELS } from "./decoder.js";

export const MAX_UPLOAD_BYTES = 10 * 2 ** 20; // vae/foreign.py MAX_UPLOAD_BYTES
export const MAX_HEADER_BYTES = 64 * 2 ** 10;
export const MAX_TENSORS = 64;
export const MAX_HIDDEN = 4096;
export const MAX_LATENT = 512;
/** bytes per element of each accepted dtype */
export const DTYPES = { F32: 4, F16: 2, F64: 8, BF16: 2 };
const ALIASES = { fc21: "fc_mu", fc22: "fc_logvar" };
const PREFIXES = ["module.", "_orig_mod."];
const LAYERS = ["fc1", "fc_mu", "fc_logvar", "fc3", "fc4"];
export const SAVE_STATE_DICT = 'Save the weights alone: `torch.save(model.state_dict(), "vae.pth")`.';
export const CONVERT =
  "Convert a .pth you trust to safetensors first: `from safetensors.torch import save_file; " +
  'save_file(torch.load("vae.pth", weights_only=True), "vae.safetensors")`.';
export const EXPECTED_MLP =
  "the fully connected VAE of pytorch/examples (vae/main.py): fc1 = Linear(784, hidden), fc21 and fc22 " +
  "= Linear(hidden, latent) for mu and log sigma^2, fc3 = Linear(latent, hidden), fc4 = Linear(hidden, 784), " +
  "ReLU between, a sigmoid in decode";

/** A file that is not a VAE the page can run: what was found, what was expected, what to do (ImportRefused). */
export class UploadRefused extends Error {
  /** @param {string} found @param {string} expected @param {string} [how] */
  constructor(found, expected, how = SAVE_STATE_DICT) {
    super(`Found ${found}. Expected ${expected}. ${how}`);
    this.name = "UploadRefused";
    this.found = found;
    this.expected = expected;
    this.how = how;
  }
}

/** @typedef {{shape: number[], data: Float32Array}} Tensor */

/**
 * @typedef {object} FoundVAE            vae/foreign.py FoundVAE
 * @property {Record<string, Float32Array>} weights   fc1.weight, fc1.bias, fc_mu.*, fc_logvar.*, fc3.*, fc4.*
 * @property {number} hidden
 * @property {number} latent
 * @property {string} naming            "fc21/fc22" or "fc_mu/fc_logvar"
 * @property {string} prefix            "module." etc., or ""
 */

/** A value from an untrusted file as short text (vae/foreign.py _shown). @param {unknown} value */
function shown(value) {
  let text;
  try {
    text = typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

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

/** IEEE half precision to a number. @param {number} bits */
function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * One tensor's bytes as float32 (little-endian in the file, whatever this machine's order).
 * @param {DataView} view @param {string} dtype @param {number} count @returns {Float32Array}
 */
function decodeTensor(view, dtype, count) {
  const out = new Float32Array(count);
  if (dtype === "F32") for (let k = 0; k < count; k++) out[k] = view.getFloat32(4 * k, true);
  else if (dtype === "F64") for (let k = 0; k < count; k++) out[k] = view.getFloat64(8 * k, true);
  else if (dtype === "F16") for (let k = 0; k < count; k++) out[k] = halfToFloat(view.getUint16(2 * k, true));
  else {
    // bfloat16 is the top half of a float32
    const word = new DataView(new ArrayBuffer(4));
    for (let k = 0; k < count; k++) {
      word.setUint32(0, view.getUint16(2 * k, true) << 16, true);
      out[k] = word.getFloat32(0, true);
    }
  }
  return out;
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

/** @param {string} name */
const order = (name) => {
  const layer = LAYERS.indexOf(name.split(".")[0]);
  return name.includes(".") && layer >= 0 ? layer : 9;
};
/** @param {string} p @param {string} q */
const byOrder = (p, q) => order(p) - order(q) || (p < q ? -1 : p > q ? 1 : 0);

/** @param {string[]} names */
function listed(names) {
  if (!names.length) return "nothing";
  const text = names.slice(0, 6).map(shown).join(", ");
  return names.length > 6 ? `${text} and ${names.length - 6} more` : text;
}

/** The shapes of the MLP VAE's parameters (vae/config.py parameter_shapes). @param {number} hidden @param {number} latent */
export function parameterShapes(hidden, latent) {
  return {
    "fc1.weight": [hidden, PIXELS],
    "fc1.bias": [hidden],
    "fc_mu.weight": [latent, hidden],
    "fc_mu.bias": [latent],
    "fc_logvar.weight": [latent, hidden],
    "fc_logvar.bias": [latent],
    "fc3.weight": [hidden, latent],
    "fc3.bias": [hidden],
    "fc4.weight": [PIXELS, hidden],
    "fc4.bias": [PIXELS],
  };
}

/** @param {number[]} shape */
const tuple = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;

/**
 * Checks a state dict's names, shapes and values against the MLP VAE and renames it (vae/foreign.py
 * vae_from_state_dict); or UploadRefused.
 * @param {Record<string, Tensor>} tensors @returns {FoundVAE}
 */
export function vaeFromStateDict(tensors) {
  const names = Object.keys(tensors);
  if (!names.length) throw new UploadRefused("no tensors", EXPECTED_MLP);
  const prefix = PREFIXES.find((p) => names.every((name) => name.startsWith(p))) ?? "";
  /** @type {Record<string, Tensor>} */
  const arrays = {};
  for (const name of names) arrays[name.slice(prefix.length)] = tensors[name];
  const conv = Object.keys(arrays)
    .filter((name) => arrays[name].shape.length > 2 || name.toLowerCase().includes("conv"))
    .sort((p, q) => Number(arrays[p].shape.length <= 2) - Number(arrays[q].shape.length <= 2));
  if (conv.length) {
    throw new UploadRefused(
      `convolution weights (${shown(conv[0])}, shape ${tuple(arrays[conv[0]].shape)}${conv.length > 1 ? " and more" : ""})`,
      EXPECTED_MLP,
      "This page runs that MLP only: a convolutional VAE cannot be imported. Train the MLP (pytorch/examples " +
        'vae/main.py) and save it with `torch.save(model.state_dict(), "vae.pth")`.',
    );
  }
  const layerOf = (/** @type {string} */ name) => name.split(".")[0];
  const fc2x = Object.keys(arrays).some((name) => Object.hasOwn(ALIASES, layerOf(name)));
  const naming = fc2x ? "fc21/fc22" : "fc_mu/fc_logvar";
  if (fc2x && Object.keys(arrays).some((name) => Object.values(ALIASES).includes(layerOf(name)))) {
    throw new UploadRefused("both fc21/fc22 and fc_mu/fc_logvar", "one naming: fc21, fc22 or fc_mu, fc_logvar");
  }
  /** @type {Record<string, Tensor>} */
  const renamed = {};
  /** @type {Record<string, string>} */
  const original = {};
  for (const [name, tensor] of Object.entries(arrays)) {
    const dot = name.indexOf(".");
    const layer = dot < 0 ? name : name.slice(0, dot);
    const ours = `${ALIASES[/** @type {"fc21"} */ (layer)] ?? layer}${dot < 0 ? "" : name.slice(dot)}`;
    renamed[ours] = tensor;
    original[ours] = name;
  }
  const theirName = (/** @type {string} */ ours) => {
    if (!fc2x) return ours;
    return ours.replace(/^fc_mu(?=\.|$)/, "fc21").replace(/^fc_logvar(?=\.|$)/, "fc22");
  };
  const expectedNames = Object.keys(parameterShapes(1, 2));
  const missing = expectedNames.filter((n) => !Object.hasOwn(renamed, n)).sort(byOrder);
  if (missing.length) {
    throw new UploadRefused(
      `no ${missing.slice(0, 4).map(theirName).join(", ")}${missing.length > 4 ? " ..." : ""} ` +
        `(the file holds ${listed(Object.values(original).sort())})`,
      EXPECTED_MLP,
    );
  }
  const extra = Object.keys(renamed)
    .filter((n) => !expectedNames.includes(n))
    .sort();
  if (extra.length) {
    throw new UploadRefused(
      `tensors a VAE of this shape does not have: ${listed(extra.map((n) => original[n]))}`,
      `${EXPECTED_MLP}, and nothing else (no batch norm, no extra layers)`,
    );
  }
  const fc1 = renamed["fc1.weight"].shape;
  const [hidden, inputs] = fc1.length === 2 ? fc1 : [0, 0];
  const mu = renamed["fc_mu.weight"].shape;
  const latent = mu.length === 2 ? mu[0] : 0;
  if (inputs !== PIXELS) {
    throw new UploadRefused(
      `fc1.weight of shape ${tuple(fc1)}`,
      `(hidden, ${PIXELS}): an encoder of 28 x 28 MNIST digits, flattened`,
    );
  }
  if (latent === 1) {
    throw new UploadRefused(
      `a latent size of 1 (${theirName("fc_mu.weight")} is ${tuple(mu)})`,
      "a latent size of 2 or more: a map of the codes needs two dimensions",
      `Train with ${theirName("fc_mu")} and ${theirName("fc_logvar")} = Linear(${hidden}, 2) or more, then ` +
        'save with `torch.save(model.state_dict(), "vae.pth")`.',
    );
  }
  if (!(hidden > 0 && hidden <= MAX_HIDDEN && latent >= 2 && latent <= MAX_LATENT)) {
    throw new UploadRefused(
      `a hidden size of ${hidden} and a latent size of ${latent}`,
      `a hidden size in 1..${MAX_HIDDEN} and a latent size in 2..${MAX_LATENT}`,
    );
  }
  const shapes = parameterShapes(hidden, latent);
  for (const name of Object.keys(shapes).sort(byOrder)) {
    const want = shapes[/** @type {keyof typeof shapes} */ (name)];
    const got = renamed[name].shape;
    if (got.length !== want.length || got.some((d, k) => d !== want[k])) {
      throw new UploadRefused(
        `${theirName(name)} of shape ${tuple(got)}`,
        `${tuple(want)} for hidden size ${hidden} and latent size ${latent} (read from fc1 and ` +
          `${theirName("fc_mu")}): ${EXPECTED_MLP}`,
      );
    }
  }
  /** @type {Record<string, Float32Array>} */
  const weights = {};
  for (const name of Object.keys(shapes).sort(byOrder)) {
    const data = renamed[name].data;
    let bad = 0;
    for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k])) bad += 1;
    if (bad) {
      throw new UploadRefused(
        `${bad} NaN or infinite values in ${theirName(name)}`,
        "finite weights (a model whose loss became NaN while training cannot be explored)",
        "Save the state dict from before the loss diverged (lower the learning rate, or keep the last " +
          'finite epoch): `torch.save(model.state_dict(), "vae.pth")`.',
      );
    }
    weights[name] = data;
  }
  return { weights, hidden, latent, naming, prefix };
}

/**
 * The encoder's and decoder's blobs (explorer/assets.py encoder_blob, decoder_blob) of an accepted VAE, for
 * core/encoder.js makeEncoder and core/decoder.js makeDecoder.
 * @param {FoundVAE} found @returns {{encoder: ArrayBuffer, decoder: ArrayBuffer}}
 */
export function modelBlobs(found) {
  const join = (/** @type {string[]} */ names) => {
    const total = names.reduce((n, name) => n + found.weights[name].length, 0);
    const out = new Float32Array(total);
    let at = 0;
    for (const name of names) {
      out.set(found.weights[name], at);
      at += found.weights[name].length;
    }
    return out.buffer;
  };
  return {
    encoder: join(["fc1.weight", "fc1.bias", "fc_mu.weight", "fc_mu.bias", "fc_logvar.weight", "fc_logvar.bias"]),
    decoder: join(["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]),
  };
}
