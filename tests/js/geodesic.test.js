// viewer/core/geodesic.js against vae/geodesic.py: the hand-written gradient against central differences on a
// tiny random decoder and against numpy's energy_and_gradient on the shipped models, the optimised paths'
// energies within 1% of numpy's on pairs of real test codes (tests/js/fixtures/geodesic.json, written by
// tests/js/make_fixtures.py), the report's fields, the async variant, and grade.
// (tests/test_geodesic_js.py runs more pairs and models against numpy live, and grade on many ratios.)

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decode, makeDecoder, PIXELS } from "../../viewer/core/decoder.js";
import {
  curveEnergyAndLength,
  DEFAULTS,
  energyAndGradient,
  GRADES,
  geodesicPath,
  geodesicPathAsync,
  grade,
} from "../../viewer/core/geodesic.js";
import { simdKernels } from "../../viewer/core/simd.js";
import { f32, fixture, largestDifference } from "./fixtures.js";
import { shippedDecoder } from "./shipped.js";

const FIXTURE = fixture("geodesic.json");
const AGREEMENT = 0.01; // the bound: a path's energy within 1% of numpy's on the same pair

/** A seeded random decoder (mulberry32), curved enough that the line is not already the geodesic. */
function tinyDecoder(/** @type {number} */ latent, /** @type {number} */ hidden, /** @type {number} */ seed) {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sizes = [hidden * latent, hidden, PIXELS * hidden, PIXELS];
  const scales = [4 / Math.sqrt(latent), 1, 6 / Math.sqrt(hidden), 1];
  const blob = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  sizes.forEach((size, part) => {
    for (let k = 0; k < size; k++) blob[at++] = (2 * uniform() - 1) * scales[part];
  });
  return { decoder: makeDecoder(blob.buffer, latent, hidden), uniform };
}

/** The energy in float64 throughout, from codes in float64: what central differences need. */
function energy64(
  /** @type {import("../../viewer/core/decoder.js").Decoder} */ decoder,
  /** @type {number[][]} */ curve,
) {
  const { latent, hidden, w3, b3, w4t, b4 } = decoder;
  const images = curve.map((z) => {
    const h = Array.from({ length: hidden }, (_, j) => {
      let sum = b3[j];
      for (let i = 0; i < latent; i++) sum += w3[j * latent + i] * z[i];
      return Math.max(sum, 0);
    });
    return Array.from({ length: PIXELS }, (_, p) => {
      let sum = b4[p];
      for (let j = 0; j < hidden; j++) sum += w4t[j * PIXELS + p] * h[j];
      return 1 / (1 + Math.exp(-sum));
    });
  });
  let energy = 0;
  for (let k = 0; k + 1 < images.length; k++) {
    for (let p = 0; p < PIXELS; p++) energy += (images[k + 1][p] - images[k][p]) ** 2;
  }
  return energy;
}

/** Decoded step lengths between consecutive codes. */
function decodedSteps(
  /** @type {import("../../viewer/core/decoder.js").Decoder} */ decoder,
  /** @type {Float32Array[]} */ codes,
) {
  const images = codes.map((code) => decode(decoder, code, new Float64Array(PIXELS)));
  return images.slice(1).map((image, k) => Math.sqrt(image.reduce((sum, v, p) => sum + (v - images[k][p]) ** 2, 0)));
}

describe("energyAndGradient", () => {
  // The plain JS loops sum in float64; the SIMD kernels in float32, as numpy does (its test allows 1e-4).
  for (const { simd, tolerance } of [
    { simd: false, tolerance: 1e-6 },
    { simd: true, tolerance: 1e-4 },
  ]) {
    test(`matches central differences on a tiny random decoder (${simd ? "SIMD" : "plain JS"})`, () => {
      const { decoder, uniform } = tinyDecoder(3, 12, 1);
      const curve = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => Math.fround(4 * uniform() - 2)));
      const { energy, gradient } = energyAndGradient(decoder, curve, { simd });
      assert.ok(Math.abs(energy - energy64(decoder, curve)) <= tolerance * 1e-2 * energy, "the energy");
      const again = curveEnergyAndLength(decoder, curve, { simd }).energy;
      assert.ok(Math.abs(energy - again) <= 1e-12 * energy, "curveEnergyAndLength's energy");
      const h = 1e-6;
      let worst = 0;
      let largest = 0;
      curve.forEach((code, k) => {
        code.forEach((_, i) => {
          const up = curve.map((row) => row.slice());
          const down = curve.map((row) => row.slice());
          up[k][i] += h;
          down[k][i] -= h;
          const numeric = (energy64(decoder, up) - energy64(decoder, down)) / (2 * h);
          worst = Math.max(worst, Math.abs(gradient[k][i] - numeric));
          largest = Math.max(largest, Math.abs(numeric));
        });
      });
      assert.ok(largest > 0.1, "the energy moves with the codes");
      assert.ok(
        worst <= tolerance * largest,
        `the gradient differs from central differences by ${worst} (of ${largest})`,
      );
    });
  }

  test("node has WebAssembly SIMD, so the tests here run the kernels (and the plain loops where asked)", () => {
    assert.notEqual(simdKernels(65536), null);
  });

  for (const [name, model] of Object.entries(FIXTURE.models)) {
    test(`matches numpy's energy_and_gradient on the shipped ${name}`, () => {
      const decoder = shippedDecoder(model.file);
      const flat = f32(model.curve);
      const curve = Array.from({ length: flat.length / decoder.latent }, (_, k) =>
        flat.subarray(k * decoder.latent, (k + 1) * decoder.latent),
      );
      const { energy, gradient } = energyAndGradient(decoder, curve);
      assert.ok(Math.abs(energy / model.energy - 1) <= 1e-5, `energy ${energy}, numpy ${model.energy}`);
      const expected = f32(model.gradient);
      const found = Float64Array.from(gradient.flatMap((row) => Array.from(row)));
      const scale = expected.reduce((most, v) => Math.max(most, Math.abs(v)), 0);
      assert.ok(largestDifference(found, expected) <= 1e-4 * scale, "the gradient");
    });
  }
});

describe("geodesicPath matches numpy's geodesic_path on pairs of test codes", () => {
  for (const [name, model] of Object.entries(FIXTURE.models)) {
    for (const pair of model.pairs) {
      test(`${name}, test digits #${pair.indices[0]} and #${pair.indices[1]}`, () => {
        const decoder = shippedDecoder(model.file);
        const { codes, report } = geodesicPath(decoder, pair.a, pair.b, model.frames);
        const relative = (/** @type {number} */ found, /** @type {number} */ expected) =>
          Math.abs(found / expected - 1);
        assert.ok(
          relative(report.energy, pair.energy) <= AGREEMENT,
          `energy ${report.energy}, numpy ${pair.energy} (${report.steps} steps)`,
        );
        assert.ok(relative(report.length, pair.length) <= AGREEMENT, `length ${report.length}, numpy ${pair.length}`);
        // The straight line is the same float32 codes in both: only the sums' rounding differs.
        assert.ok(relative(report.linearEnergy, pair.linear_energy) <= 1e-4, "the line's energy");
        assert.ok(relative(report.linearLength, pair.linear_length) <= 1e-4, "the line's length");
        assert.ok(Number.isInteger(report.steps) && report.steps >= 1 && report.steps <= DEFAULTS.maxSteps);
        assert.equal(codes.length, model.frames);
        assert.ok(codes.every((code) => code instanceof Float32Array && code.length === decoder.latent));
        assert.deepEqual(Array.from(codes[0]), pair.a);
        assert.deepEqual(Array.from(codes.at(-1) ?? []), pair.b);
        const steps = decodedSteps(decoder, codes);
        const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
        const spread = Math.sqrt(steps.reduce((sum, s) => sum + (s - mean) ** 2, 0) / steps.length);
        assert.ok(spread / mean < 0.15, `frames equally spaced in pixels (spread ${spread / mean})`);
      });
    }
  }
});

test("the plain JS loops find the same path as the SIMD kernels (z2-beta1, the first pair)", () => {
  const model = FIXTURE.models["z2-beta1"];
  const decoder = shippedDecoder(model.file);
  const [pair] = model.pairs;
  const plain = geodesicPath(decoder, pair.a, pair.b, model.frames, { simd: false });
  assert.ok(Math.abs(plain.report.energy / pair.energy - 1) <= AGREEMENT, `energy ${plain.report.energy}`);
  const simd = geodesicPath(decoder, pair.a, pair.b, model.frames);
  assert.ok(Math.abs(plain.report.energy / simd.report.energy - 1) <= 1e-3);
  assert.ok(Math.abs(plain.report.linearEnergy / simd.report.linearEnergy - 1) <= 1e-6);
});

describe("geodesicPath's options and report", () => {
  const { decoder, uniform } = tinyDecoder(4, 24, 7);
  const a = Array.from({ length: 4 }, () => Math.fround(3 * uniform() - 1.5));
  const b = Array.from({ length: 4 }, () => Math.fround(3 * uniform() - 1.5));

  test("on a curved decoder it beats the line, and the report measures both", () => {
    const { codes, report } = geodesicPath(decoder, a, b, 12);
    assert.deepEqual(Object.keys(report).sort(), ["energy", "length", "linearEnergy", "linearLength", "steps"]);
    assert.ok(report.energy < 0.99 * report.linearEnergy, `energy ${report.energy}, line ${report.linearEnergy}`);
    assert.ok(report.length > 0 && report.linearLength > 0);
    assert.equal(codes.length, 12);
    const line = curveEnergyAndLength(
      decoder,
      Array.from({ length: DEFAULTS.points }, (_, k) => a.map((v, i) => v + (b[i] - v) * (k / (DEFAULTS.points - 1)))),
    );
    assert.ok(Math.abs(line.energy / report.linearEnergy - 1) < 1e-5, "linearEnergy is the straight line's");
  });

  test("maxSteps, points and progress are honoured; the same pair gives the same path", () => {
    /** @type {number[]} */
    const seen = [];
    const short = geodesicPath(decoder, a, b, 5, { maxSteps: 30, points: 6, progress: (f) => seen.push(f) });
    assert.equal(short.report.steps, 30);
    assert.deepEqual(seen, [10 / 30, 20 / 30, 30 / 30]);
    const again = geodesicPath(decoder, a, b, 5, { maxSteps: 30, points: 6 });
    assert.deepEqual(again, short);
    assert.notDeepEqual(geodesicPath(decoder, a, b, 5, { maxSteps: 30, points: 6, lr: 0.01 }), short);
  });

  test("two optimisations interleaved on one decoder each find their own path (the memory they share)", async () => {
    // The SIMD path keeps an optimisation's two ends decoded between its steps; another optimisation, or any
    // other decoding, on the same decoder in between must not leave it reading the other's ends.
    const c = a.map((v, i) => Math.fround(-v + 0.3 * b[i]));
    for (const simd of [true, false]) {
      const first = geodesicPath(decoder, a, b, 8, { simd });
      const second = geodesicPath(decoder, b, c, 8, { simd });
      const both = await Promise.all([
        geodesicPathAsync(decoder, a, b, 8, { simd, sliceMs: 0 }),
        geodesicPathAsync(decoder, b, c, 8, { simd, sliceMs: 0 }),
        (async () => {
          for (let k = 0; k < 20; k++) {
            curveEnergyAndLength(decoder, [c, a, b], { simd });
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
        })(),
      ]);
      assert.deepEqual(both.slice(0, 2), [first, second], simd ? "SIMD" : "plain JS");
    }
  });

  test("ends of the wrong size and too few frames are refused", () => {
    assert.throws(() => geodesicPath(decoder, [0, 0], b, 5), /must hold 4 numbers/);
    assert.throws(() => geodesicPath(decoder, a, b, 1), /at least 2/);
  });

  test("geodesicPathAsync gives the same result, yields to the event loop, and can be aborted", async () => {
    const expected = geodesicPath(decoder, a, b, 8);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const found = await geodesicPathAsync(decoder, a, b, 8, { sliceMs: 1 });
    clearInterval(timer);
    assert.deepEqual(found, expected);
    assert.ok(ticks > 0, "the event loop ran while it optimised");
    const controller = new AbortController();
    const running = geodesicPathAsync(decoder, a, b, 8, { sliceMs: 1, signal: controller.signal });
    controller.abort(new Error("a new pair"));
    await assert.rejects(running, /a new pair/);
  });
});

describe("grade", () => {
  test("the cases of tests/test_geodesic.py", () => {
    const measured = { p10: 0.6, p90: 0.9 };
    assert.equal(grade(1.0, measured), "no better");
    assert.equal(grade(1.3, measured), "no better");
    assert.equal(grade(0.59, measured), "real detour");
    assert.equal(grade(0.91, measured), "nearly straight");
    for (const ratio of [0.6, 0.9, 0.75]) assert.equal(grade(ratio, measured), "ordinary bend");
    assert.equal(grade(0.5, {}), null);
    assert.equal(grade(0.5, { p10: 0.6 }), null);
    assert.deepEqual(GRADES, ["no better", "real detour", "nearly straight", "ordinary bend"]);
  });
});
