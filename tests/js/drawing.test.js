// viewer/core/drawing.js against vae/drawing.py to_mnist (tests/js/fixtures/drawing.json, from numpy and
// Pillow): every pixel within 1/255 on canvas drawings and photo-like pictures, the same inversion and warning,
// and the same message for every refusal. `node --test tests/js/drawing.test.js` prints each case's largest
// pixel difference (in 255ths) as a diagnostic.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inflateSync } from "node:zlib";
import { DrawingError, toMnist } from "../../viewer/core/drawing.js";
import { resizeGrey, shrink } from "../../viewer/core/resample.js";
import { bytes, fixture, largestDifference } from "./fixtures.js";

const drawing = fixture("drawing.json");
const TOLERANCE = 1 / 255 + 1e-6;

/** tests/js/make_fixtures.py noise: integer grey noise from a hash of the pixel's index. */
function noise(/** @type {number} */ index, /** @type {number} */ amplitude, /** @type {number} */ seed) {
  let h = (Math.imul(index, 2654435761) + seed) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, 2246822519) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  return (h % (2 * amplitude + 1)) - amplitude;
}

/** tests/js/make_fixtures.py assemble: the base repeated, cut, with noise. @param {any} item */
function assemble(item) {
  const base = inflateSync(Buffer.from(item.base, "base64"));
  const { width, height, repeat: k } = item;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / k) * item.base_width + Math.floor(x / k)) * 4;
      const to = (y * width + x) * 4;
      const shift = item.noise ? noise(y * width + x, item.noise, item.seed) : 0;
      for (let c = 0; c < 3; c++) data[to + c] = base[from + c] + shift; // clamped to 0-255, as np.clip
      data[to + 3] = base[from + 3];
    }
  }
  return { width, height, data };
}

/** @param {any} item @param {{width: number, height: number, data: Uint8ClampedArray}} picture @param {any} t */
function check(item, picture, t) {
  const expected = item.expected;
  /** @type {any} */
  let found;
  try {
    found = toMnist(picture, { drawn: item.kind === "drawn" });
  } catch (error) {
    if (!(error instanceof DrawingError)) throw error;
    assert.equal(error.message, expected.error ?? "(no refusal)", item.name);
    return;
  }
  assert.equal(expected.error, undefined, `${item.name}: vae/drawing.py refuses it: ${expected.error}`);
  const grey = Array.from(bytes(expected.grey), (level) => Math.fround(level / 255)); // to_mnist's are k / 255
  const worst = largestDifference(found.image, grey);
  t.diagnostic(`${item.name}: largest pixel difference ${(worst * 255).toFixed(4)}/255`);
  assert.ok(worst <= TOLERANCE, `${item.name}: a pixel differs by ${worst * 255}/255`);
  assert.equal(found.inverted, expected.inverted, `${item.name}: inverted`);
  assert.equal(found.warning, expected.warning, `${item.name}: warning`);
}

for (const item of drawing.pictures) {
  test(`to_mnist: ${item.name} (${item.width}x${item.height}, ${item.kind})`, (t) => check(item, assemble(item), t));
}

for (const item of drawing.refusals) {
  test(`to_mnist refuses or warns: ${item.name}`, (t) => {
    const data = new Uint8ClampedArray(inflateSync(Buffer.from(item.rgba, "base64")));
    check(item, { width: item.width, height: item.height, data }, t);
  });
}

test("resizeGrey returns a copy at the same size, and keeps a flat picture flat", () => {
  const flat = new Uint8Array(30 * 17).fill(77);
  const same = resizeGrey(flat, 30, 17, 30, 17, "lanczos");
  assert.notEqual(same, flat);
  assert.deepEqual(same, flat);
  for (const filter of /** @type {const} */ (["lanczos", "box"])) {
    assert.ok(
      resizeGrey(flat, 30, 17, 11, 20, filter).every((v) => v === 77),
      filter,
    );
  }
});

test("shrink leaves a picture that fits WORK_SIDE alone and reduces a bigger one by a whole factor", () => {
  const small = { width: 560, height: 3, data: new Uint8ClampedArray(560 * 3 * 4) };
  assert.equal(shrink(small), small);
  const big = { width: 561, height: 2, data: new Uint8ClampedArray(561 * 2 * 4).fill(200) };
  const reduced = shrink(big);
  assert.deepEqual([reduced.width, reduced.height], [281, 1]);
  assert.ok(reduced.data.every((v) => v === 200));
});
