// Where the lesson's probe inset may sit (viewer/lesson/inset.js): the spot clear of every box to avoid nearest
// its mark, moved inside the plot area, else the one covering least; the boxes kept clear on a drawing.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { projection } from "../../viewer/lesson/geometry.js";
import { bestSpot, keepClear, overlap } from "../../viewer/lesson/inset.js";

describe("lesson inset", () => {
  test("overlap is the shared area, 0 for rects that only touch", () => {
    assert.equal(overlap([0, 0, 10, 10], [5, 5, 20, 20]), 25);
    assert.equal(overlap([0, 0, 10, 10], [10, 0, 20, 10]), 0);
  });

  test("bestSpot: the clear spot nearest the mark; none clear: the least covered, inside the bounds", () => {
    const bounds = /** @type {[number, number, number, number]} */ ([0, 0, 100, 100]);
    const avoid = /** @type {Array<[number, number, number, number]>} */ ([[40, 40, 60, 60]]);
    const mark = { x: 50, y: 50 };
    // (60, 45) and (0, 0) are clear; (60, 45) is nearer the mark; (95, 95) is moved inside to (80, 80).
    assert.deepEqual(bestSpot([60, 0, 95], [45, 0, 95], 20, 20, bounds, avoid, mark), {
      x: 60,
      y: 45,
      covered: 0,
      distance: 10,
    });
    const spot = bestSpot([30, 45], [30, 45], 20, 20, bounds, avoid, mark);
    assert.equal(spot.covered, 100); // (30, 30) covers 10 x 10 of the box, the least of the four
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
