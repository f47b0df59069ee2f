// Tensors read straight from a shipped safetensors file in node (an 8-byte little-endian header length, a JSON
// header: name -> dtype, shape, data_offsets, then the raw little-endian tensors), so the JS tests need no copy
// of the weights in their fixtures.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT } from "./fixtures.js";

/**
 * The named float32 tensors of `path` (relative to the repository's root), one after another, after `header`
 * (numbers written first, as float32).
 * @param {string} path @param {string[]} names @param {number[]} [header] @returns {Float32Array<ArrayBuffer>}
 */
export function safetensorsBlob(path, names, header = []) {
  const file = readFileSync(new URL(path, ROOT));
  const length = Number(file.readBigUInt64LE(0));
  const index = JSON.parse(file.subarray(8, 8 + length).toString("utf8"));
  const chunks = names.map((name) => {
    assert.ok(index[name], `${path} holds no tensor ${name}`);
    const { dtype, data_offsets: offsets } = index[name];
    assert.equal(dtype, "F32", `${name} is ${dtype}`);
    return file.subarray(8 + length + offsets[0], 8 + length + offsets[1]);
  });
  const first = Buffer.from(Float32Array.from(header).buffer);
  return new Float32Array(Uint8Array.from(Buffer.concat([first, ...chunks])).buffer);
}
