// The shipped decoders in node, read from weights/*.safetensors, geodesics on them timed in node and latent
// traversals decoded by them (tests/test_traversals.py): for
// tests/js/geodesic.test.js, and through tests/js/bridge.js for tests/test_geodesic_js.py and
// benchmarks/geodesic_js.py.

import { readFileSync } from "node:fs";
import { decode, makeDecoder, PIXELS } from "../../viewer/core/decoder.js";
import { geodesicPath } from "../../viewer/core/geodesic.js";
import { priorCodes } from "../../viewer/explore/panel/prior.js";
import { traverse } from "../../viewer/explore/panel/traversals.js";

const ROOT = new URL("../../", import.meta.url);
const ORDER = ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]; // explorer/assets.py decoder_blob
/** @type {Map<string, import("../../viewer/core/decoder.js").Decoder>} */
const loaded = new Map();

/**
 * The decoder of a safetensors file (a path from the repository's root): an 8-byte little-endian header
 * length, a JSON header (name -> dtype, shape, data_offsets), then the raw tensors.
 * @param {string} path @returns {import("../../viewer/core/decoder.js").Decoder}
 */
export function shippedDecoder(path) {
  const known = loaded.get(path);
  if (known) return known;
  const file = readFileSync(new URL(path, ROOT));
  const length = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + length).toString("utf8"));
  const chunks = ORDER.map((name) => {
    const { dtype, data_offsets: offsets } = header[name];
    if (dtype !== "F32") throw new Error(`${path}: ${name} is ${dtype}`);
    return file.subarray(8 + length + offsets[0], 8 + length + offsets[1]);
  });
  const [hidden, latent] = header["fc3.weight"].shape;
  const decoder = makeDecoder(Uint8Array.from(Buffer.concat(chunks)).buffer, latent, hidden);
  loaded.set(path, decoder);
  return decoder;
}

/**
 * geodesicPath on each pair, each timed alone (the decoder already loaded): what the benchmark and the
 * pytest side compare with numpy. `seconds` is wall-clock time, `cpuSeconds` the process's CPU time (all its
 * threads), which a loaded machine disturbs less.
 * @param {string} path @param {number[][][]} pairs [a, b] codes @param {number} frames
 * @param {import("../../viewer/core/geodesic.js").GeodesicOptions} [options]
 */
export function timedGeodesics(path, pairs, frames, options = {}) {
  const decoder = shippedDecoder(path);
  return pairs.map(([a, b]) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { codes, report } = geodesicPath(decoder, a, b, frames, options);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, codes, report };
  });
}

/**
 * The viewer's latent traversal (viewer/explore/panel/traversals.js) of code z under a shipped decoder, for
 * tests/test_traversals.py: (latent, steps) frames of 784 pixel means.
 * @param {string} path @param {number[]} z @param {number} [steps] @param {number} [reach]
 */
export function shippedTraversal(path, z, steps, reach) {
  return traverse(shippedDecoder(path), z, steps, reach);
}

/**
 * tests/test_prior_js.py: the explore view's samples from the prior (panel/prior.js) under a shipped model,
 * (count, 784) pixel means.
 * @param {string} path @param {number} seed @param {number} latent
 */
export function shippedPriorRow(path, seed, latent) {
  const decoder = shippedDecoder(path);
  return priorCodes(seed, latent).map((code) => Array.from(decode(decoder, code, new Float64Array(PIXELS))));
}
