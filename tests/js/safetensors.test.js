// viewer/core/safetensors.js and statedict.js: a visitor's .safetensors read and checked in the browser
// (vae/foreign.py's rules).
// Files are written here (a small safetensors writer); a shipped weights file is read as it is.
// tests/test_upload_vae.py holds the same functions to vae/foreign.py on generated files.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { UploadRefused } from "../../viewer/core/refusal.js";
import { MAX_UPLOAD_BYTES, readSafetensors } from "../../viewer/core/safetensors.js";
import { modelBlobs, vaeFromStateDict } from "../../viewer/core/statedict.js";
import { ROOT } from "./fixtures.js";

/** @typedef {{dtype?: string, shape: number[], values?: number[], fill?: number}} Spec */

/** IEEE half precision bits of a number that half holds exactly (or NaN). @param {number} v */
function toHalf(v) {
  if (Number.isNaN(v)) return 0x7e00;
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(v)));
  const fraction = Math.round((Math.abs(v) / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

/** little-endian bytes of `count` values of `dtype` */
function encodeValues(/** @type {string} */ dtype, /** @type {number[]} */ values) {
  const size = { F32: 4, F64: 8, F16: 2, BF16: 2 }[dtype] ?? 4;
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, k) => {
    if (dtype === "F64") view.setFloat64(8 * k, v, true);
    else if (dtype === "F32") view.setFloat32(4 * k, v, true);
    else if (dtype === "BF16") {
      const word = new DataView(new ArrayBuffer(4));
      word.setFloat32(0, v, true);
      view.setUint16(2 * k, word.getUint32(0, true) >>> 16, true);
    } else view.setUint16(2 * k, toHalf(v), true);
  });
  return new Uint8Array(view.buffer);
}

/**
 * A .safetensors file of `specs` (name -> spec), with `header` overrides.
 * @param {Record<string, Spec>} specs @param {Record<string, unknown>} [extra] @returns {Uint8Array}
 */
function write(specs, extra = {}) {
  /** @type {Record<string, unknown>} */
  const header = { __metadata__: { format: "pt" } };
  const chunks = [];
  let at = 0;
  for (const [name, spec] of Object.entries(specs)) {
    const dtype = spec.dtype ?? "F32";
    const count = spec.shape.reduce((n, d) => n * d, 1);
    const values = spec.values ?? Array.from({ length: count }, (_, k) => spec.fill ?? ((k % 7) - 3) / 8);
    const data = encodeValues(dtype, values);
    header[name] = { dtype, shape: spec.shape, data_offsets: [at, at + data.length] };
    chunks.push(data);
    at += data.length;
  }
  Object.assign(header, extra);
  const text = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  let offset = 8 + text.length;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The tutorial's VAE (pytorch/examples vae/main.py names) of hidden size `h` and latent size `z`. */
function tutorial(h = 8, z = 3, dtype = "F32", prefix = "") {
  /** @type {Record<string, Spec>} */
  const specs = {
    "fc1.weight": { shape: [h, 784] },
    "fc1.bias": { shape: [h] },
    "fc21.weight": { shape: [z, h] },
    "fc21.bias": { shape: [z] },
    "fc22.weight": { shape: [z, h] },
    "fc22.bias": { shape: [z] },
    "fc3.weight": { shape: [h, z] },
    "fc3.bias": { shape: [h] },
    "fc4.weight": { shape: [784, h] },
    "fc4.bias": { shape: [784] },
  };
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [prefix + name, { ...spec, dtype }]));
}

/** The message of the refusal `run` throws. @param {() => unknown} run */
function refusal(run) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UploadRefused, `not an UploadRefused: ${error}`);
    return error.message;
  }
  assert.fail("accepted");
}

const load = (/** @type {Uint8Array} */ file) => vaeFromStateDict(readSafetensors(file));

describe("accepted files", () => {
  test("the tutorial's names, float32: renamed to fc_mu/fc_logvar, values kept", () => {
    const found = load(write(tutorial(8, 3)));
    assert.equal(found.hidden, 8);
    assert.equal(found.latent, 3);
    assert.equal(found.naming, "fc21/fc22");
    assert.deepEqual(Object.keys(found.weights), [
      "fc1.bias",
      "fc1.weight",
      "fc_mu.bias",
      "fc_mu.weight",
      "fc_logvar.bias",
      "fc_logvar.weight",
      "fc3.bias",
      "fc3.weight",
      "fc4.bias",
      "fc4.weight",
    ]);
    assert.deepEqual(Array.from(found.weights["fc_mu.bias"]), [-3 / 8, -2 / 8, -1 / 8]);
  });

  for (const dtype of ["F16", "BF16", "F64"]) {
    test(`${dtype} weights become float32 with their values`, () => {
      const specs = tutorial(4, 2, dtype);
      specs["fc3.bias"].values = [0, 1, -2, 0.5];
      const found = load(write(specs));
      assert.deepEqual(Array.from(found.weights["fc3.bias"]), [0, 1, -2, 0.5]);
    });
  }

  test("keys under module. (DataParallel) and this repository's own names", () => {
    assert.equal(load(write(tutorial(5, 2, "F32", "module."))).prefix, "module.");
    const ours = Object.fromEntries(
      Object.entries(tutorial(5, 2)).map(([n, s]) => [n.replace("fc21", "fc_mu").replace("fc22", "fc_logvar"), s]),
    );
    assert.equal(load(write(ours)).naming, "fc_mu/fc_logvar");
  });

  test("a shipped checkpoint (its record in __metadata__) gives the blobs the encoder and decoder read", () => {
    const file = readFileSync(new URL("weights/vae-z20-beta1.safetensors", ROOT));
    const found = load(new Uint8Array(file));
    assert.equal(found.latent, 20);
    const { encoder, decoder } = modelBlobs(found);
    const h = found.hidden;
    assert.equal(encoder.byteLength, 4 * (h * 784 + h + 2 * (20 * h + 20)));
    assert.equal(decoder.byteLength, 4 * (h * 20 + h + 784 * h + 784));
  });
});

describe("refusals that teach", () => {
  test("a pickle (torch.save's zip or legacy format): named, with how to convert it", () => {
    for (const head of [
      [0x50, 0x4b, 3, 4],
      [0x80, 2, 0x8a],
    ]) {
      const file = new Uint8Array(64);
      file.set(head);
      const message = refusal(() => readSafetensors(file));
      assert.match(message, /PyTorch file/);
      assert.match(message, /safetensors\.torch import save_file/);
    }
  });

  test("over 10 MB, before anything is read", () => {
    const message = refusal(() => readSafetensors(new Uint8Array(MAX_UPLOAD_BYTES + 1)));
    assert.match(message, /at most 10 MB/);
  });

  test("a header length past the file or past 64 KB", () => {
    const file = write(tutorial(2, 2));
    new DataView(file.buffer).setBigUint64(0, 2n ** 40n, true);
    assert.match(
      refusal(() => readSafetensors(file)),
      /header length of 1099511627776 bytes/,
    );
  });

  test("a shape whose size disagrees with its bytes, and overlapping tensors", () => {
    const file = write({ a: { shape: [4] } }, { b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } });
    assert.match(
      refusal(() => readSafetensors(file)),
      /sharing bytes/,
    );
    const huge = write(
      { a: { shape: [4] } },
      { a: { dtype: "F32", shape: [2 ** 30, 2 ** 30, 8], data_offsets: [0, 16] } },
    );
    assert.match(
      refusal(() => readSafetensors(huge)),
      /stored in 16 bytes/,
    );
  });

  test("integer dtypes, a conv VAE, a latent size of 1, NaN weights, a missing key, two namings", () => {
    const ints = write({ step: { dtype: "I64", shape: [1], values: [] } });
    assert.match(
      refusal(() => readSafetensors(ints)),
      /dtype 'I64'/,
    );
    const conv = { ...tutorial(4, 2), "enc.conv1.weight": { shape: [8, 1, 3, 3] } };
    assert.match(
      refusal(() => load(write(conv))),
      /convolution weights/,
    );
    assert.match(
      refusal(() => load(write(tutorial(4, 1)))),
      /latent size of 1 \(fc21\.weight is \(1, 4\)\)/,
    );
    const nan = tutorial(4, 2);
    nan["fc4.bias"].fill = Number.NaN;
    assert.match(
      refusal(() => load(write(nan))),
      /784 NaN or infinite values in fc4\.bias/,
    );
    const missing = tutorial(4, 2);
    delete missing["fc22.bias"];
    assert.match(
      refusal(() => load(write(missing))),
      /^Found no fc22\.bias/,
    );
    const both = { ...tutorial(4, 2), "fc_mu.bias": { shape: [2] } };
    assert.match(
      refusal(() => load(write(both))),
      /both fc21\/fc22 and fc_mu\/fc_logvar/,
    );
  });

  test("a misshapen layer names the layer and the shape expected", () => {
    const specs = tutorial(4, 2);
    specs["fc4.weight"].shape = [784, 5];
    assert.match(
      refusal(() => load(write(specs))),
      /fc4\.weight of shape \(784, 5\)\. Expected \(784, 4\)/,
    );
  });
});
