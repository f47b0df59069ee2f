// viewer/core/gif.js: its GIFs read back by a small GIF decoder written here from the GIF89a specification
// (tests/test_drawing_js.py also has Pillow decode them, and compares them with explorer/images.py morph_gif's).

import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeGif, MORPH_PAUSE, morphGif, toUint8 } from "../../viewer/core/gif.js";

/**
 * The frames (palette indices, full screen only), their delays in hundredths, and the loop count of a GIF89a as
 * encodeGif writes it.
 * @param {Uint8Array} data
 */
function readGif(data) {
  const word = (/** @type {number} */ at) => data[at] | (data[at + 1] << 8);
  assert.equal(String.fromCharCode(...data.subarray(0, 6)), "GIF89a");
  const width = word(6);
  const height = word(8);
  assert.equal(data[10], 0xf7, "a global table of 256 colours");
  for (let grey = 0; grey < 256; grey++)
    assert.deepEqual([...data.subarray(13 + 3 * grey, 16 + 3 * grey)], [grey, grey, grey]);
  let at = 13 + 768;
  /** @type {{pixels: Uint8Array, delay: number}[]} */
  const frames = [];
  /** @type {number | null} */
  let loop = null;
  let delay = 0;
  while (data[at] !== 0x3b) {
    if (data[at] === 0x21) {
      const label = data[at + 1];
      at += 2;
      const first = at;
      if (label === 0xff && String.fromCharCode(...data.subarray(at + 1, at + 12)) === "NETSCAPE2.0") {
        loop = word(at + 14);
      }
      if (label === 0xf9) delay = word(at + 2);
      while (data[at] !== 0) at += data[at] + 1;
      at += 1;
      assert.ok(at > first);
    } else {
      assert.equal(data[at], 0x2c, `a block at ${at}`);
      assert.deepEqual(
        [word(at + 1), word(at + 3), word(at + 5), word(at + 7), data[at + 9]],
        [0, 0, width, height, 0],
      );
      at += 10;
      const minimum = data[at++];
      const bytes = [];
      while (data[at] !== 0) {
        bytes.push(...data.subarray(at + 1, at + 1 + data[at]));
        at += data[at] + 1;
      }
      at += 1;
      frames.push({ pixels: unLzw(bytes, minimum, width * height), delay });
    }
  }
  return { width, height, frames, loop };
}

/** @param {number[]} bytes @param {number} minimum @param {number} count */
function unLzw(bytes, minimum, count) {
  const clear = 1 << minimum;
  const out = new Uint8Array(count);
  let written = 0;
  /** @type {number[][]} */
  let table = [];
  let size = minimum + 1;
  let position = 0;
  /** @type {number[] | null} */
  let previous = null;
  const reset = () => {
    table = Array.from({ length: clear + 2 }, (_, k) => [k]);
    size = minimum + 1;
    previous = null;
  };
  reset();
  for (;;) {
    let code = 0;
    for (let b = 0; b < size; b++, position++) code |= ((bytes[position >> 3] >> (position & 7)) & 1) << b;
    if (code === clear) {
      reset();
      continue;
    }
    if (code === clear + 1) break;
    /** @type {number[]} */
    let entry;
    if (code < table.length) entry = table[code];
    else {
      assert.equal(code, table.length, "a code one past the table");
      assert.ok(previous);
      entry = [...previous, previous[0]];
    }
    if (previous) table.push([...previous, entry[0]]);
    if (table.length === 1 << size && size < 12) size++;
    for (const value of entry) out[written++] = value;
    previous = entry;
  }
  assert.equal(written, count, "the frame's pixel count");
  return out;
}

test("frames, scaled by a whole factor, come back pixel for pixel with their delays, looping", () => {
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  };
  const width = 37;
  const height = 23;
  const frames = [Array.from({ length: width * height }, random), new Array(width * height).fill(200)];
  const data = encodeGif(frames, width, height, { scale: 4, delays: [90, 544], loop: 0 });
  const gif = readGif(data);
  assert.deepEqual([gif.width, gif.height, gif.loop], [148, 92, 0]);
  assert.deepEqual(
    gif.frames.map((f) => f.delay),
    [9, 54],
  );
  gif.frames.forEach(({ pixels }, f) => {
    for (let y = 0; y < 92; y++) {
      for (let x = 0; x < 148; x++) {
        assert.equal(
          pixels[y * 148 + x],
          frames[f][Math.floor(y / 4) * width + Math.floor(x / 4)],
          `frame ${f} (${x}, ${y})`,
        );
      }
    }
  });
});

test("morphGif plays A -> B -> A with a pause at each end", () => {
  const frames = [0, 0.25, 0.5, 1].map((v) => new Float32Array(784).fill(v));
  const gif = readGif(morphGif(frames, 2));
  assert.deepEqual(
    gif.frames.map(({ pixels }) => pixels[0]),
    [0, 64, 128, 255, 128, 64],
  );
  assert.deepEqual(
    gif.frames.map((f) => f.delay),
    [9 * MORPH_PAUSE, 9, 9, 9 * MORPH_PAUSE, 9, 9],
  );
});

test("toUint8 rounds halves to even and clips, as explorer/images.py to_uint8", () => {
  assert.deepEqual([...toUint8([0.5, 1.5 / 255, 2.5 / 255, -1, 2, 0.999])], [128, 2, 2, 0, 255, 255]);
});

test("encodeGif refuses what a GIF cannot hold", () => {
  assert.throws(() => encodeGif([], 2, 2), /at least one frame/);
  assert.throws(() => encodeGif([[0, 0, 0, 0]], 2, 2, { scale: 1.5 }), /whole number/);
  assert.throws(() => encodeGif([[0, 0, 0]], 2, 2), /holds 3 pixels/);
});
