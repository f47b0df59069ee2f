// viewer/core/multirate.js on its own terms: the folded network (gates written into the rows of one plain encoder
// and decoder) equals the gated forward pass written out here layer by layer, on the shipped MR-VAEs; the float16
// reader; the interpolation between grid betas. tests/test_beta_slider.py holds it to numpy.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decode, PIXELS } from "../../viewer/core/decoder.js";
import { codesAt, fromHalves, gate, gridPlace, setBeta } from "../../viewer/core/multirate.js";
import { shippedMultiRate } from "./multirate_shipped.js";

/** The gated layer as vae/multirate.py writes it: (W x + b) * gate. */
function layer(model, name, x, eta) {
  const { weight, bias } = model.layers[name];
  const g = gate(model, name, eta);
  const out = new Float64Array(bias.length);
  for (let o = 0; o < bias.length; o++) {
    let sum = bias[o];
    for (let i = 0; i < x.length; i++) sum += weight[o * x.length + i] * x[i];
    out[o] = sum * g[o];
  }
  return out;
}

const relu = (x) => x.map((v) => (v > 0 ? v : 0));

describe("the folded Multi-Rate VAE", () => {
  for (const latent of [2, 20]) {
    test(`z = ${latent}: folded decode equals the gated forward pass at several β`, () => {
      const { model } = shippedMultiRate(latent);
      const z = Float32Array.from({ length: latent }, (_, k) => Math.sin(k + 1));
      for (const beta of [0.01, 0.3, 1, 4.2, 10]) {
        setBeta(model, beta);
        const folded = decode(model.decoder, z, new Float64Array(PIXELS));
        const logits = layer(model, "fc4", relu(layer(model, "fc3", z, Math.log(beta))), Math.log(beta));
        let worst = 0;
        for (let p = 0; p < PIXELS; p++) worst = Math.max(worst, Math.abs(folded[p] - 1 / (1 + Math.exp(-logits[p]))));
        assert.ok(worst < 1e-5, `β = ${beta}: ${worst}`);
      }
    });
  }

  test("β moves the picture: the decoder's gates differ between the ends of the range", () => {
    const { model } = shippedMultiRate(2);
    const z = Float32Array.of(0.5, -0.5);
    const low = Float64Array.from(decode(setBeta(model, 0.01).decoder, z, new Float64Array(PIXELS)));
    const high = decode(setBeta(model, 10).decoder, z, new Float64Array(PIXELS));
    assert.ok(low.some((v, p) => Math.abs(v - high[p]) > 0.05));
  });

  test("a β that is not a finite number > 0 is refused", () => {
    const { model } = shippedMultiRate(2);
    for (const beta of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => setBeta(model, beta));
  });
});

describe("the per-β code file", () => {
  test("float16 halves read as numpy writes them", () => {
    // 1.0, -2.0, 0.5, 65504 (largest), 2^-24 (smallest subnormal), -0, inf
    const halves = Uint16Array.of(0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x8000, 0x7c00);
    assert.deepEqual(Array.from(fromHalves(halves)), [1, -2, 0.5, 65504, 2 ** -24, -0, Number.POSITIVE_INFINITY]);
  });

  test("β between two grid betas interpolates linearly in log β; the ends clamp", () => {
    const betas = [0.01, 0.1, 1, 10];
    assert.deepEqual(gridPlace(betas, 0.001), { k: 0, t: 0 });
    assert.deepEqual(gridPlace(betas, 20), { k: 2, t: 1 });
    const { k, t } = gridPlace(betas, Math.sqrt(0.1));
    assert.equal(k, 1);
    assert.ok(Math.abs(t - 0.5) < 1e-12);
    const xy = Float32Array.of(0, 0, 1, 1, 2, 4, 3, 9); // K = 4 frames of one code
    const out = codesAt(xy, betas, Math.sqrt(10), new Float32Array(2));
    assert.ok(Math.abs(out[0] - 2.5) < 1e-6 && Math.abs(out[1] - 6.5) < 1e-6);
  });
});
