// Where the lesson's probe inset may sit (viewer/lesson/inset.js): the first spot clear of every box to avoid,
// moved inside the plot area, else the one covering least; the boxes kept clear on a drawing.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { projection } from "../../viewer/lesson/geometry.js";
import { clearSpot, keepClear, overlap } from "../../viewer/lesson/inset.js";

describe("lesson inset", () => {
  test("overlap is the shared area, 0 for rects that only touch", () => {
    assert.equal(overlap([0, 0, 10, 10], [5, 5, 20, 20]), 25);
    assert.equal(overlap([0, 0, 10, 10], [10, 0, 20, 10]), 0);
  });

  test("the first clear spot wins; none clear: the least covered, inside the bounds", () => {
    const bounds = /** @type {[number, number, number, number]} */ ([0, 0, 100, 100]);
    const avoid = /** @type {Array<[number, number, number, number]>} */ ([[40, 40, 60, 60]]);
    assert.deepEqual(
      clearSpot(
        [
          [45, 45],
          [70, 70],
        ],
        20,
        20,
        bounds,
        avoid,
      ),
      { x: 70, y: 70, covered: 0 },
    );
    // (95, 95) is moved inside the bounds to (80, 80): clear.
    assert.deepEqual(clearSpot([[95, 95]], 20, 20, bounds, avoid), { x: 80, y: 80, covered: 0 });
    const spot = clearSpot(
      [
        [30, 30],
        [50, 50],
      ],
      20,
      20,
      bounds,
      avoid,
    );
    assert.equal(spot.covered, 100); // (30, 30) covers 10 x 10 of the box, (50, 50) the same: the first kept
    assert.deepEqual([spot.x, spot.y], [30, 30]);
  });

  test("keepClear: the 2σ circle's box, the mark, the central codes' box, each with a margin", () => {
    const area = { l: 0, t: 0, w: 200, h: 200 };
    const p = projection([-5, 5, -5, 5], area); // 20 px per unit, the origin at (100, 100)
    const rects = keepClear({ area, projection: p, marker: { x: 150, y: 20, off: false, angle: 0 } }, [-1, 1, -3, 3]);
    assert.equal(rects.length, 3);
    assert.deepEqual(rects[0], [56, 56, 144, 144]); // ±2 units = ±40 px, and 4 px of margin
    assert.deepEqual(rects[1], [135, 5, 165, 35]);
    assert.deepEqual(rects[2], [76, 36, 124, 164]);
  });
});
