// The map's ring around a frame in a hole (viewer/explore/holes.js ringAt): hollow and on no halo, so the hole's
// fill shows inside and around it (issue 24: a white halo hid a phone's 12 x 18 px hole cells).

import assert from "node:assert/strict";
import { test } from "node:test";
import { RING, ringAt } from "../../viewer/explore/holes.js";

test("a ring is one stroke in the ring's colour: no fill, no white halo", () => {
  /** @type {string[]} */
  const calls = [];
  const context = {
    strokeStyle: "",
    fillStyle: "",
    lineWidth: 1,
    beginPath: () => calls.push("beginPath"),
    arc: () => calls.push("arc"),
    stroke() {
      calls.push(`stroke ${this.strokeStyle} ${this.lineWidth}`);
    },
    fill: () => calls.push("fill"),
    fillRect: () => calls.push("fill"),
  };
  ringAt(/** @type {any} */ (context), 50, 50);
  const strokes = calls.filter((c) => c.startsWith("stroke"));
  assert.ok(!calls.includes("fill"), calls.join("; "));
  assert.deepEqual(
    strokes.map((c) => c.split(" ")[1]),
    [RING],
  );
  assert.ok(Number(strokes[0].split(" ")[2]) >= 2.5); // still bold enough to see over the hole's fill
});
