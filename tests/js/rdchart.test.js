// The rate-distortion chart's ticks (viewer/explore/rdchart.js niceTicks): 3 to 5 round numbers that cover the
// range, on the ranges the shipped charts show and on many drawn at random.

import assert from "node:assert/strict";
import { test } from "node:test";
import { niceTicks } from "../../viewer/explore/rdchart.js";

/** @param {number} low @param {number} high */
function check(low, high) {
  const { ticks, step, decimals } = niceTicks(low, high);
  const where = `${low}..${high}: ${ticks}`;
  assert.ok(ticks.length >= 3 && ticks.length <= 5, where);
  assert.ok(ticks[0] <= low + 1e-9 && ticks[ticks.length - 1] >= high - 1e-9, where);
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  assert.ok(
    [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6),
    `${where}: step ${step}`,
  );
  for (const [i, tick] of ticks.entries()) {
    assert.ok(Math.abs(tick / step - Math.round(tick / step)) < 1e-6, `${where}: ${tick} is not a multiple of ${step}`);
    if (i) assert.ok(Math.abs(tick - ticks[i - 1] - step) < 1e-6 * step, where);
    assert.equal(Number(tick.toFixed(decimals)), tick, where); // its label shows it exactly
  }
}

test("the shipped charts' ranges get round ticks", () => {
  assert.deepEqual(niceTicks(5, 65).ticks, [0, 20, 40, 60, 80]);
  assert.deepEqual(niceTicks(65, 149).ticks, [50, 100, 150]);
  assert.deepEqual(niceTicks(4, 10).ticks, [4, 6, 8, 10]);
  assert.deepEqual(niceTicks(143, 154).ticks, [140, 145, 150, 155]);
});

test("any range gets 3 to 5 round ticks that cover it", () => {
  let a = 7;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  for (let n = 0; n < 5000; n++) {
    const scale = 10 ** (6 * next() - 3);
    const low = (next() - 0.3) * scale * 10;
    check(low, low + next() * scale);
  }
  check(0, 1);
  check(-1, 1);
  check(99.9, 100.1);
  check(3, 3); // one value: widened
});
