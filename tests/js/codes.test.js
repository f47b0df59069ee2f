// viewer/core/codes.js encodeRange against viewer/core/encoder.js encode (held to numpy by encoder.test.js) and
// NumpyVAE.encode's fixtures: the SIMD first layer gives the same codes within float32 rounding.

import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeRange } from "../../viewer/core/codes.js";
import { PIXELS } from "../../viewer/core/decoder.js";
import { encode, makeEncoder } from "../../viewer/core/encoder.js";
import { simdKernels } from "../../viewer/core/simd.js";
import { assertClose, bytes, fixture } from "./fixtures.js";
import { safetensorsBlob } from "./safetensors.js";

const FIXTURE = fixture("encoder.json");
const GREY = bytes(FIXTURE.images);
const COUNT = GREY.length / PIXELS;
const PIXEL_VALUES = Float32Array.from(GREY, (v) => v / 255);

for (const model of FIXTURE.models) {
  test(`${model.file}: encodeRange's codes are encode's and numpy's, with SIMD and without`, () => {
    const encoder = makeEncoder(safetensorsBlob(model.file, model.tensors).buffer, model.latent, model.hidden);
    for (const simd of [true, false]) {
      const mu = new Float32Array(COUNT * model.latent);
      encodeRange(encoder, PIXEL_VALUES, COUNT, 0, 2, mu, { simd }); // two calls: a range is resumed where it stopped
      encodeRange(encoder, PIXEL_VALUES, COUNT, 2, COUNT + 5, mu, { simd });
      for (let i = 0; i < COUNT; i++) {
        const row = mu.subarray(i * model.latent, (i + 1) * model.latent);
        const one = encode(encoder, PIXEL_VALUES.subarray(i * PIXELS, (i + 1) * PIXELS)).mu;
        assertClose(row, one, simd ? 1e-5 : 0, `image ${i}, simd ${simd}: against encode`);
        assertClose(row, model.mu[i], 1e-5, `image ${i}, simd ${simd}: against numpy`);
      }
    }
  });
}

test("node has WebAssembly SIMD, so the fast path above ran", () => {
  assert.ok(simdKernels(65536));
});
