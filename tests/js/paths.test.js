// viewer/core/paths.js against vae/paths.py interpolate, on fixtures exported from numpy
// (tests/js/make_fixtures.py): linear and spherical paths, near-parallel, near-opposite and zero-norm codes.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { alongPolyline, pathCodes, pathPoint } from "../../viewer/core/paths.js";
import { assertClose, assertSame, f32, fixture } from "./fixtures.js";

const FIXTURE = fixture("paths.json");
// numpy sums a spherical path's norms and dot products in another order (BLAS, pairwise sums): its
// float64 rows agree to a few 1e-16, up to ~4e-13 for near-opposite codes (omega near pi, where acos
// and 1/sin(omega) amplify rounding), and a float32 code could round the other way (one ulp, ~5e-7 at
// |z| ~ 4; today they agree bit for bit). Linear paths run the very same float64 arithmetic: exact.
const ROW_TOLERANCE = 1e-11;
const CODE_TOLERANCE = 1e-6;

/** The float32 rows of a (frames, latent) array. @param {Float32Array} flat @param {number} frames */
function rows(flat, frames) {
  const latent = flat.length / frames;
  return Array.from({ length: frames }, (_, i) => flat.subarray(i * latent, (i + 1) * latent));
}

describe("pathCodes matches interpolate", () => {
  for (const item of FIXTURE.interpolate) {
    const { a, b } = FIXTURE.pairs[item.pair];
    test(`${item.method}, ${item.frames} frames, ${item.pair}`, () => {
      const expected = rows(f32(item.codes), item.frames);
      const found = pathCodes(Float32Array.from(a), Float32Array.from(b), item.frames, item.method);
      assert.equal(found.length, item.frames);
      assertSame(found[0], a, "the first frame is exactly a");
      assertSame(found[found.length - 1], b, "the last frame is exactly b");
      found.forEach((code, i) => {
        assert.ok(code instanceof Float32Array);
        if (item.method === "linear")
          assertSame(code, expected[i], `frame ${i}`); // the same float64 arithmetic
        else assertClose(code, expected[i], CODE_TOLERANCE, `frame ${i}`);
      });
    });
  }
});

describe("pathPoint matches interpolate's rows at any t", () => {
  for (const item of FIXTURE.points) {
    const { a, b } = FIXTURE.pairs[item.pair];
    test(`${item.pair}, t = ${item.t.toFixed(3)}`, () => {
      assertSame(pathPoint(a, b, item.t, "linear"), item.linear, "linear");
      const scale = Math.max(1, ...item.spherical.map(Math.abs));
      assertClose(pathPoint(a, b, item.t, "spherical"), item.spherical, ROW_TOLERANCE * scale, "spherical");
    });
  }

  test("a spherical path's norm changes linearly from |a| to |b|", () => {
    const { a, b } = FIXTURE.pairs.z20;
    const norm = (/** @type {ArrayLike<number>} */ v) => Math.hypot(...Array.from(v));
    for (const t of [0, 0.25, 0.5, 1]) {
      const expected = (1 - t) * norm(a) + t * norm(b);
      assert.ok(Math.abs(norm(pathPoint(a, b, t, "spherical")) - expected) < 1e-12 * expected, `t = ${t}`);
    }
  });

  test("an unknown method (a geodesic still computing) gives the straight line", () => {
    const { a, b } = FIXTURE.pairs.z2;
    assert.deepEqual(pathPoint(a, b, 0.3, "geodesic"), pathPoint(a, b, 0.3, "linear"));
  });
});

describe("alongPolyline matches np.interp along each coordinate", () => {
  const { codes, t: ts, points } = FIXTURE.polyline;
  const polyline = codes.map((/** @type {number[]} */ code) => Float32Array.from(code));
  ts.forEach((/** @type {number} */ t, /** @type {number} */ i) => {
    test(`t = ${t}`, () => {
      const found = alongPolyline(polyline, t);
      assert.ok(found instanceof Float32Array);
      assertClose(found, Float32Array.from(points[i]), CODE_TOLERANCE, `t = ${t}`);
    });
  });

  test("its ends are the polyline's ends exactly, and its knots the codes", () => {
    assertSame(alongPolyline(polyline, 0), polyline[0], "t = 0");
    assertSame(alongPolyline(polyline, 1), polyline[polyline.length - 1], "t = 1");
    const last = polyline.length - 1;
    for (let i = 0; i <= last; i++) assertSame(alongPolyline(polyline, i / last), polyline[i], `knot ${i}`);
  });
});
