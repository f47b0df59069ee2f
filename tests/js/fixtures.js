// Reading tests/js/fixtures/*.json (written by tests/js/make_fixtures.py from numpy) and comparing arrays.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

/** The repository's root, for files the fixtures name (weights/...). */
export const ROOT = new URL("../../", import.meta.url);

/** @param {string} name @returns {any} */
export function fixture(name) {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8"));
}

/** The bytes of a base64 string, in a buffer of their own (so typed views are aligned). @param {string} text */
export function bytes(text) {
  return Uint8Array.from(Buffer.from(text, "base64"));
}

/** base64 of little-endian float32 (every machine node runs on is little-endian). @param {string} text */
export function f32(text) {
  return new Float32Array(bytes(text).buffer);
}

/** base64 of int8. @param {string} text */
export function i8(text) {
  return new Int8Array(bytes(text).buffer);
}

/**
 * The largest absolute difference between two arrays of equal length.
 * @param {ArrayLike<number>} found @param {ArrayLike<number>} expected
 */
export function largestDifference(found, expected) {
  assert.equal(found.length, expected.length, "lengths differ");
  let worst = 0;
  for (let k = 0; k < found.length; k++) {
    const difference = Math.abs(found[k] - expected[k]);
    if (!(difference <= worst)) worst = difference; // NaN counts as the worst
  }
  return worst;
}

/**
 * Asserts every element within `tolerance`, naming the worst.
 * @param {ArrayLike<number>} found @param {ArrayLike<number>} expected @param {number} tolerance @param {string} what
 */
export function assertClose(found, expected, tolerance, what) {
  const worst = largestDifference(found, expected);
  assert.ok(worst <= tolerance, `${what}: differs by ${worst} (tolerance ${tolerance})`);
}

/** The same numbers in the same order (Float32Array and number[] alike). @param {ArrayLike<number>} found @param {ArrayLike<number>} expected @param {string} what */
export function assertSame(found, expected, what) {
  assert.deepEqual(Array.from(found), Array.from(expected), what);
}
