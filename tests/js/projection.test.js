// viewer/core/projection.js against vae/atlas.py (Atlas.place "pca", knn_place) and explorer/state.py
// map_code (PCA's inverse), on fixtures exported from numpy (tests/js/make_fixtures.py) from the shipped
// z20-beta1 atlas: its PCA map as the browser receives it (rounded to 7 decimals), 150 of its test codes.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { invert, knnPlace, NEIGHBOURS, project } from "../../viewer/core/projection.js";
import { assertClose, f32, fixture } from "./fixtures.js";

const FIXTURE = fixture("projection.json");
// numpy projects in float32 with the exact mean and components; the browser in float64 with the manifest's
// 7-decimal copies: they agree to ~2e-7 on a map spanning ~10 units.
const PCA_TOLERANCE = 2e-6;
// knn_place takes squared distances as |z|^2 - 2 z.r + |r|^2 in float32 (cancellation, ~1e-5), the browser
// sums squared differences in float64; weights 1 / (distance + 1e-6) on a t-SNE map spanning ~160 units:
// they agree to ~1e-4.
const KNN_TOLERANCE = 1e-3;

describe("PCA: project and invert match numpy", () => {
  const { pca } = FIXTURE;

  FIXTURE.codes.forEach((/** @type {number[]} */ code, /** @type {number} */ i) => {
    test(`project code ${i} as Atlas.place(z, "pca")`, () => {
      assertClose(project(pca, code), FIXTURE.placed[i], PCA_TOLERANCE, `code ${i}`);
    });
  });

  test("a code is rounded to float32 before it is projected, as Atlas.place casts it", () => {
    const code = FIXTURE.codes[4].map((/** @type {number} */ value) => value + 1e-9);
    assert.notDeepEqual(code, FIXTURE.codes[4]);
    assert.deepEqual(project(pca, code), project(pca, Float32Array.from(code)));
  });

  FIXTURE.points.forEach(([x, y], /** @type {number} */ i) => {
    test(`invert (${x}, ${y}) as map_code(loaded, "pca", x, y)`, () => {
      const code = invert(pca, x, y);
      assert.ok(code instanceof Float32Array && code.length === pca.mean.length);
      assertClose(code, FIXTURE.inverse[i], PCA_TOLERANCE, `point ${i}`);
      assertClose(project(pca, code), [x, y], PCA_TOLERANCE, "the inverse projects back onto the point");
    });
  });
});

describe("knnPlace matches knn_place", () => {
  const { latent, queries, placed } = FIXTURE.knn;
  const mu = f32(FIXTURE.knn.mu);
  const coords = f32(FIXTURE.knn.coords);

  queries.forEach((/** @type {number[]} */ query, /** @type {number} */ i) => {
    test(`query ${i}`, () => {
      assertClose(knnPlace(mu, latent, coords, query), placed[i], KNN_TOLERANCE, `query ${i}`);
    });
  });

  test("a test code is placed on its own dot (distance 0 outweighs the other neighbours)", () => {
    // numpy's float32 expansion gives the code a distance of ~1e-3 to itself and so lands up to ~0.05 away;
    // the browser's exact zero puts it on the dot.
    for (const i of [5, 50, 149]) {
      const code = mu.subarray(i * latent, (i + 1) * latent);
      assertClose(knnPlace(mu, latent, coords, code), coords.subarray(2 * i, 2 * i + 2), 1e-3, `code ${i}`);
    }
  });

  test(`only the ${NEIGHBOURS} nearest count`, () => {
    // Eleven references on a line, the query at the first: moving the farthest one anywhere changes nothing.
    const line = Float32Array.from({ length: 11 }, (_, i) => i);
    const places = Float32Array.from({ length: 22 }, (_, k) => (k % 2 ? 0 : k));
    const before = knnPlace(line, 1, places, [0.5]);
    places[20] = 1e6;
    assert.deepEqual(knnPlace(line, 1, places, [0.5]), before);
    places[18] = 1e6; // the 10th nearest does count
    assert.notDeepEqual(knnPlace(line, 1, places, [0.5]), before);
  });
});
