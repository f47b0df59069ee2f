// Where the lesson's probe inset may sit (viewer/lesson/inset.js): the spot clear of every box to avoid nearest
// its mark, moved inside the plot area, else the one covering least; the boxes kept clear on a drawing.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { projection } from "../../viewer/lesson/geometry.js";
import { bestSpot, keepClear, mustClear, overlap } from "../../viewer/lesson/inset.js";

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

  test("bestSpot: a spot over the probe's own marks loses to any other, even one out of reach", () => {
    const bounds = /** @type {[number, number, number, number]} */ ([0, 0, 100, 100]);
    const hard = /** @type {Array<[number, number, number, number]>} */ ([[55, 45, 65, 55]]);
    const mark = { x: 50, y: 50 };
    // (56, 40) is by the mark but covers the hard rect; (0, 40) is out of reach (FAR) yet clear of it.
    const spot = bestSpot([56, 0], [40], 20, 20, bounds, [], mark, 10, hard);
    assert.deepEqual([spot.x, spot.y], [0, 40]);
    assert.ok(spot.covered < 1e12);
  });

  test("mustClear: the mark, the nearest code's ring and squares along the line joining them", () => {
    const area = { l: 0, t: 0, w: 200, h: 200 };
    const p = projection([-5, 5, -5, 5], area);
    const marker = { x: 100, y: 100, off: false, angle: 0 };
    assert.equal(mustClear({ area, projection: p, marker }).length, 1); // no line: the mark alone
    const rects = mustClear({ area, projection: p, marker, link: { x: 140, y: 100 } });
    assert.deepEqual(rects[0], [85, 85, 115, 115]); // ±11 px and 4 px of margin
    assert.deepEqual(rects[1], [130, 90, 150, 110]); // the ring: ±6 px and the margin
    assert.equal(rects.length, 2 + 9); // 40 px of line, a square every 4 px between its ends
    for (const [l, t, r, b] of rects.slice(2)) {
      assert.ok(l >= 93 && r <= 147 && t === 93 && b === 107, String([l, t, r, b]));
    }
    // Any inset clear of them all leaves the line whole: no point of it is under the rect.
    const clear = (/** @type {number[]} */ [l, t, r, b]) => rects.every((q) => overlap([l, t, r, b], q) === 0);
    assert.ok(!clear([110, 95, 130, 120]) && clear([120, 116, 160, 150]));
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
