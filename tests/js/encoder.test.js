// viewer/core/encoder.js against vae/inference.py NumpyVAE.encode, on fixtures exported from numpy
// (tests/js/make_fixtures.py): five test digits, a drawing and a photo (through vae/drawing.py), under the shipped
// weights/vae-z20-beta1 and vae-z2-beta1, whose encoders are read here from their files.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { PIXELS } from "../../viewer/core/decoder.js";
import { encode, makeEncoder } from "../../viewer/core/encoder.js";
import { assertClose, bytes, fixture, largestDifference } from "./fixtures.js";
import { safetensorsBlob } from "./safetensors.js";

const FIXTURE = fixture("encoder.json");
// The issue asks for codes within 1e-4 of numpy's. numpy sums in float32 (OpenBLAS), the browser in float64
// from the same float32 weights, so they differ in the last float32 bits; this holds them to 1e-5, so a wrong
// index or layout (which moves a code by far more) cannot hide under the tolerance.
const TOLERANCE = 1e-5;

/** The fixture's images: uint8 grey levels, divided by 255 in float32 as numpy does. */
const IMAGES = (() => {
  const grey = bytes(FIXTURE.images);
  return Array.from({ length: grey.length / PIXELS }, (_, i) =>
    Float32Array.from(grey.subarray(i * PIXELS, (i + 1) * PIXELS), (v) => v / 255),
  );
})();

/** @param {Float32Array} blob */
function sha256(blob) {
  return createHash("sha256")
    .update(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength))
    .digest("hex");
}

/** @param {any} model */
function shipped(model) {
  const blob = safetensorsBlob(model.file, model.tensors);
  assert.equal(sha256(blob), model.blob_sha256, "the blob is not the bytes explorer/assets.py encoder_blob serves");
  return makeEncoder(blob.buffer, model.latent, model.hidden);
}

describe("encode matches NumpyVAE.encode", () => {
  for (const model of FIXTURE.models) {
    test(`${model.file}: test digits, a drawing and a photo`, (t) => {
      const encoder = shipped(model);
      assert.equal(IMAGES.length, model.mu.length);
      let worst = 0;
      IMAGES.forEach((image, i) => {
        const { mu, logvar } = encode(encoder, image);
        assert.equal(mu.length, model.latent);
        assert.equal(logvar.length, model.latent);
        worst = Math.max(worst, largestDifference(mu, model.mu[i]), largestDifference(logvar, model.logvar[i]));
        assertClose(mu, model.mu[i], TOLERANCE, `image ${i}: mu`);
        assertClose(logvar, model.logvar[i], TOLERANCE, `image ${i}: logvar`);
      });
      t.diagnostic(`largest difference from numpy: ${worst.toExponential(1)}`);
    });
  }
});

describe("encoder plumbing", () => {
  const model = FIXTURE.models[1];
  const blob = safetensorsBlob(model.file, model.tensors);

  test("the images differ in their codes, and encoding again gives the same code (scratch is reset)", () => {
    const encoder = makeEncoder(blob.buffer, model.latent, model.hidden);
    const first = encode(encoder, IMAGES[0]);
    const other = encode(encoder, IMAGES[1]);
    assert.ok(largestDifference(first.mu, other.mu) > 0.1, "two different digits, one code");
    assert.deepEqual(encode(encoder, IMAGES[0]), first);
  });

  test("pixels are rounded to float32, as numpy holds them; a plain array works as well", () => {
    const encoder = makeEncoder(blob.buffer, model.latent, model.hidden);
    const wide = Float64Array.from(IMAGES[5], (v, p) => v + (p % 3) * 1e-12);
    assert.deepEqual(encode(encoder, wide), encode(encoder, IMAGES[5]));
    assert.deepEqual(encode(encoder, Array.from(IMAGES[5])), encode(encoder, IMAGES[5]));
  });

  test("a blank image gives the code of the biases alone (every pixel skipped)", () => {
    const encoder = makeEncoder(blob.buffer, model.latent, model.hidden);
    const { mu } = encode(encoder, new Float32Array(PIXELS));
    const expected = new Float32Array(model.latent);
    for (let k = 0; k < model.latent; k++) {
      let sum = encoder.bMu[k];
      for (let j = 0; j < model.hidden; j++) sum += encoder.wMu[k * model.hidden + j] * Math.max(0, encoder.b1[j]);
      expected[k] = sum;
    }
    assert.deepEqual(mu, expected);
  });

  test("a blob of the wrong size, or an image of the wrong size, is refused", () => {
    const longer = new Float32Array(blob.length + 1);
    longer.set(blob);
    assert.throws(() => makeEncoder(longer.buffer, model.latent, model.hidden), /holds \d+ floats, expected \d+/);
    assert.throws(() => makeEncoder(blob.buffer, model.latent + 1, model.hidden), /expected/);
    const encoder = makeEncoder(blob.buffer, model.latent, model.hidden);
    assert.throws(() => encode(encoder, new Float32Array(PIXELS - 1)), /784 pixels, not 783/);
  });
});

test("time: encoding one image in node (printed, never asserted)", (t) => {
  const model = FIXTURE.models[0];
  const encoder = makeEncoder(safetensorsBlob(model.file, model.tensors).buffer, model.latent, model.hidden);
  for (const image of IMAGES) encode(encoder, image); // warm up: the first calls run before the JIT compiles the loops
  const runs = 20;
  const start = performance.now();
  for (let run = 0; run < runs; run++) for (const image of IMAGES) encode(encoder, image);
  const each = (performance.now() - start) / (runs * IMAGES.length);
  t.diagnostic(`${model.file}: ${each.toFixed(3)} ms per image`);
});
