// viewer/core/decoder.js against vae/inference.py NumpyVAE.decode, on fixtures exported from numpy
// (tests/js/make_fixtures.py): two small random decoders and the shipped weights/vae-z2-beta1.safetensors.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { decode, makeDecoder, PIXELS, toGrey } from "../../viewer/core/decoder.js";
import { assertClose, bytes, f32, fixture, i8, largestDifference, ROOT } from "./fixtures.js";

const FIXTURE = fixture("decoder.json");
const ORDER = ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]; // explorer/assets.py decoder_blob
// numpy decodes in float32 (OpenBLAS products), the browser sums in float64 from the same float32 weights:
// they differ in the last float32 bits. The page allows 1/255 (tests/test_browser_decoding.py); this holds
// them far closer, so a wrong index or layout cannot hide under the tolerance.
const TOLERANCE = 2e-6;

/** @param {Float32Array} blob */
function sha256(blob) {
  return createHash("sha256")
    .update(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength))
    .digest("hex");
}

/** The random decoder's blob: its int8 tensors times their power-of-two scales, exact in float32. */
function randomBlob(/** @type {any} */ model) {
  const parts = ORDER.map((name) =>
    Float32Array.from(i8(model.tensors[name].i8), (v) => v * model.tensors[name].scale),
  );
  const blob = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    blob.set(part, at);
    at += part.length;
  }
  return blob;
}

/**
 * The decoder's four tensors read from a safetensors file: an 8-byte little-endian header length, a JSON
 * header (name -> dtype, shape, data_offsets), then the raw tensors.
 * @param {string} path @param {string[]} names
 */
function safetensorsBlob(path, names) {
  const file = readFileSync(new URL(path, ROOT));
  const length = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + length).toString("utf8"));
  const chunks = names.map((name) => {
    const { dtype, data_offsets: offsets } = header[name];
    assert.equal(dtype, "F32", `${name} is ${dtype}`);
    return file.subarray(8 + length + offsets[0], 8 + length + offsets[1]);
  });
  return new Float32Array(Uint8Array.from(Buffer.concat(chunks)).buffer);
}

/**
 * Decodes every code of `model` with `blob` and compares with numpy's means and grey levels.
 * @param {any} model @param {Float32Array<ArrayBuffer>} blob
 */
function checkDecoder(model, blob) {
  assert.equal(sha256(blob), model.blob_sha256, "the blob is not the bytes explorer/assets.py decoder_blob serves");
  const decoder = makeDecoder(blob.buffer, model.latent, model.hidden);
  const means = f32(model.means);
  const grey = bytes(model.grey);
  let worst = 0;
  model.codes.forEach((/** @type {number[]} */ code, /** @type {number} */ i) => {
    const expected = means.subarray(i * PIXELS, (i + 1) * PIXELS);
    const found = decode(decoder, code, new Float64Array(PIXELS));
    worst = Math.max(worst, largestDifference(found, expected));
    assertClose(found, expected, TOLERANCE, `code ${i} (${code.slice(0, 3)}...)`);
    // toGrey of numpy's own means gives explorer/images.py's grey levels exactly; of the browser's, within one.
    const expectedGrey = grey.subarray(i * PIXELS, (i + 1) * PIXELS);
    const fromNumpy = toGrey(expected, new Uint8ClampedArray(4 * PIXELS));
    const fromBrowser = toGrey(found, new Uint8ClampedArray(4 * PIXELS));
    for (let p = 0; p < PIXELS; p++) {
      assert.equal(fromNumpy[4 * p], expectedGrey[p], `code ${i}, pixel ${p}: grey level`);
      assert.ok(Math.abs(fromBrowser[4 * p] - expectedGrey[p]) <= 1, `code ${i}, pixel ${p}: browser grey level`);
    }
  });
  return worst;
}

describe("decode matches NumpyVAE.decode", () => {
  for (const model of FIXTURE.random) {
    test(`a random decoder, latent ${model.latent}, hidden ${model.hidden}`, () => {
      checkDecoder(model, randomBlob(model));
    });
  }

  test("the shipped weights/vae-z2-beta1.safetensors, read from its file", () => {
    const model = FIXTURE.shipped;
    checkDecoder(model, safetensorsBlob(model.file, model.tensors));
  });

  test("some hidden units are off (ReLU), and pixels fall on both sides of one half", () => {
    // Without this the random decoders would not test the branches they are there for.
    const model = FIXTURE.random[1];
    const blob = randomBlob(model);
    const decoder = makeDecoder(blob.buffer, model.latent, model.hidden);
    const out = decode(decoder, model.codes[0], new Float64Array(PIXELS));
    assert.ok(decoder.h.some((value) => value === 0) && decoder.h.some((value) => value > 0), "hidden units");
    assert.ok(out.some((value) => value < 0.25) && out.some((value) => value > 0.75), "pixels");
  });
});

describe("decoder plumbing", () => {
  const model = FIXTURE.random[0];
  const blob = randomBlob(model);

  test("decode writes into and returns `out`, a Float32Array as well as a Float64Array", () => {
    const decoder = makeDecoder(blob.buffer, model.latent, model.hidden);
    const wide = new Float64Array(PIXELS);
    assert.equal(decode(decoder, model.codes[1], wide), wide);
    const narrow = new Float32Array(PIXELS);
    assert.equal(decode(decoder, model.codes[1], narrow), narrow);
    assert.deepEqual(narrow, Float32Array.from(wide));
  });

  test("decoding again gives the same pixels (the scratch buffers are reset)", () => {
    const decoder = makeDecoder(blob.buffer, model.latent, model.hidden);
    const first = decode(decoder, model.codes[0], new Float64Array(PIXELS));
    decode(decoder, model.codes[3], new Float64Array(PIXELS));
    assert.deepEqual(decode(decoder, model.codes[0], new Float64Array(PIXELS)), first);
  });

  test("codes are rounded to float32, as numpy holds them", () => {
    const decoder = makeDecoder(blob.buffer, model.latent, model.hidden);
    const code = [0.1, -0.7];
    const rounded = decode(decoder, Float32Array.from(code), new Float64Array(PIXELS));
    assert.deepEqual(decode(decoder, code, new Float64Array(PIXELS)), rounded);
  });

  test("a blob of the wrong size is refused", () => {
    const longer = new Float32Array(blob.length + 1);
    longer.set(blob);
    assert.throws(() => makeDecoder(longer.buffer, model.latent, model.hidden), /holds \d+ floats, expected \d+/);
    assert.throws(() => makeDecoder(blob.buffer, model.latent + 1, model.hidden), /expected/);
  });

  test("toGrey clamps to [0, 1] and writes opaque RGBA", () => {
    const values = new Float64Array(PIXELS).fill(0.5);
    values[0] = -0.2;
    values[1] = 1.7;
    values[2] = 0.1;
    const rgba = toGrey(values, new Uint8Array(4 * PIXELS));
    assert.deepEqual(Array.from(rgba.subarray(0, 12)), [0, 0, 0, 255, 255, 255, 255, 255, 26, 26, 26, 255]);
    assert.ok(rgba.every((value, k) => k % 4 !== 3 || value === 255));
  });
});
