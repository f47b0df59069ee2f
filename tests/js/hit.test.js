// Hit testing and the map's layout helpers (viewer/explore/map/hit.js, area.js, firstpaint.js): the digit
// nearest the pointer against a brute-force search, the nearest point of the drawn path, sizes and ranges.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inside, mapSize } from "../../viewer/explore/map/area.js";
import { paintRange } from "../../viewer/explore/map/firstpaint.js";
import { hitGrid, nearestIn, nearestOnPolyline } from "../../viewer/explore/map/hit.js";

/** A seeded generator (mulberry32), so every run tests the same points. @param {number} seed */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number} count @param {() => number} next */
function points(count, next) {
  return Array.from({ length: count }, (_, index) => ({
    px: next() * 600,
    py: next() * 400,
    index,
    label: "",
    x: 0,
    y: 0,
  }));
}

/** The nearest point within `radius` by looking at every point (ties: the later, as nearestIn). */
function bruteForce(
  /** @type {ReturnType<typeof points>} */ all,
  /** @type {number} */ px,
  /** @type {number} */ py,
  radius,
) {
  let best = /** @type {import("../../viewer/explore/map/hit.js").Hit | null} */ (null);
  let bestDistance = radius * radius;
  for (const point of all) {
    const distance = (point.px - px) ** 2 + (point.py - py) ** 2;
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = point;
    }
  }
  return best;
}

describe("nearestIn: the digit under the pointer", () => {
  test("agrees with a brute-force search, for radii smaller and larger than a cell", () => {
    const next = random(1);
    const all = points(2000, next);
    for (const cell of [24, 7]) {
      const grid = hitGrid(all, cell);
      for (let trial = 0; trial < 400; trial++) {
        const px = next() * 640 - 20;
        const py = next() * 440 - 20;
        const radius = [3, 12, 30][trial % 3];
        const expected = bruteForce(all, px, py, radius);
        assert.equal(nearestIn(grid, px, py, radius)?.index, expected?.index, `(${px}, ${py}), radius ${radius}`);
      }
    }
  });

  test("the radius is inclusive; beyond it, nothing; an empty grid finds nothing", () => {
    const grid = hitGrid([{ px: 10, py: 10, index: 0, label: "", x: 0, y: 0 }]);
    assert.equal(nearestIn(grid, 13, 14, 5)?.index, 0);
    assert.equal(nearestIn(grid, 13, 14.01, 5), null);
    assert.equal(nearestIn(hitGrid([]), 0, 0, 50), null);
  });

  test("points across a cell boundary and at negative pixels are found", () => {
    const grid = hitGrid([
      { px: 23.9, py: 5, index: 1, label: "", x: 0, y: 0 },
      { px: -3, py: -3, index: 2, label: "", x: 0, y: 0 },
    ]);
    assert.equal(nearestIn(grid, 24.1, 5, 1)?.index, 1);
    assert.equal(nearestIn(grid, 0, 0, 5)?.index, 2);
  });
});

describe("nearestOnPolyline: where along the path the pointer is", () => {
  const path = [
    [0, 0],
    [100, 0],
    [100, 100],
  ];

  test("on a segment: its fraction of the whole polyline (segments count equally) and the distance", () => {
    assert.deepEqual(nearestOnPolyline(path, 50, 10), { distance: 10, t: 0.25 });
    assert.deepEqual(nearestOnPolyline(path, 110, 50), { distance: 10, t: 0.75 });
  });

  test("beyond the ends: clamped to t = 0 and t = 1", () => {
    assert.deepEqual(nearestOnPolyline(path, -30, -40), { distance: 50, t: 0 });
    assert.deepEqual(nearestOnPolyline(path, 100, 130), { distance: 30, t: 1 });
  });

  test("a segment of zero length counts as its point; fewer than two points, nothing", () => {
    const still = nearestOnPolyline(
      [
        [5, 5],
        [5, 5],
      ],
      8,
      9,
    );
    assert.deepEqual(still, { distance: 5, t: 0 });
    assert.equal(nearestOnPolyline([[1, 1]], 0, 0), null);
  });
});

describe("the map's size and range", () => {
  test("mapSize: a minimum width, a narrow (phone) layout taller than a wide one's aspect, a height cap", () => {
    const wide = mapSize(900, 2000, 0.82);
    assert.deepEqual(wide, { width: 900, height: Math.round(900 * 0.82), narrow: false });
    const phone = mapSize(360, 2000, 0.82);
    assert.ok(phone.narrow && phone.height > Math.round(360 * 0.82));
    assert.equal(mapSize(900, 500, 0.82).height, Math.round(500 * 0.86), "at most 86% of the window");
    assert.equal(mapSize(0, 2000, 0.82).width, 600, "an unmeasured box counts as 600 px");
    assert.ok(mapSize(100, 100, 0.82).height >= 260 && mapSize(100, 100, 0.82).width === 200);
  });

  test("paintRange: the fixed extent when there is one, else the codes' box padded by 4%", () => {
    const extent = /** @type {[number, number, number, number]} */ ([-1, 1, -2, 2]);
    assert.equal(paintRange(Float32Array.of(5, 5), extent), extent);
    assert.deepEqual(paintRange(Float32Array.of(0, 10, 100, -10, 50, 0), null), [-4, 104, -10.8, 10.8]);
  });

  test("inside: the extent's edges count; no extent, nothing is inside", () => {
    const extent = /** @type {[number, number, number, number]} */ ([-1, 1, -2, 2]);
    assert.ok(inside(extent, 1, -2) && inside(extent, 0, 0));
    assert.ok(!inside(extent, 1.01, 0) && !inside(extent, 0, 2.5) && !inside(null, 0, 0));
  });
});
