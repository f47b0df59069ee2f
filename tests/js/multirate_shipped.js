// The shipped Multi-Rate VAEs (weights/mrvae-z<N>.safetensors) in core/multirate.js, for the tests that hold the
// browser's MR-VAE to numpy (tests/test_beta_slider.py, through tests/js/bridge.js) and for the node unit tests.
// The blob is assembled from the safetensors file in makeMultiRate's order: the bytes explorer/multirate_assets.py
// multirate_blob serves (the Python test compares the two digests).

import { createHash } from "node:crypto";
import { decode, PIXELS } from "../../viewer/core/decoder.js";
import { encode } from "../../viewer/core/encoder.js";
import { LAYERS, makeMultiRate, setBeta } from "../../viewer/core/multirate.js";
import { safetensorsBlob } from "./safetensors.js";

/** The tensor names in the blob's order. */
export const NAMES = [
  ...LAYERS.flatMap((layer) => [`${layer}.weight`, `${layer}.bias`]),
  ...LAYERS.flatMap((layer) => [`gate_${layer}.slope`, `gate_${layer}.offset`]),
];

/** @type {Map<number, {model: import("../../viewer/core/multirate.js").MultiRate, sha256: string}>} */
const loaded = new Map();

/** @param {number} latent */
export function shippedMultiRate(latent) {
  let found = loaded.get(latent);
  if (!found) {
    const blob = safetensorsBlob(`weights/mrvae-z${latent}.safetensors`, NAMES);
    const sha256 = createHash("sha256").update(new Uint8Array(blob.buffer)).digest("hex");
    found = { model: makeMultiRate(blob.buffer, latent, 400), sha256 };
    loaded.set(latent, found);
  }
  return found;
}

/** The blob's SHA-256. @param {number} latent */
export function blobDigest(latent) {
  return shippedMultiRate(latent).sha256;
}

/** Pixel means (rows of 784) of codes at β. @param {number} latent @param {number} beta @param {number[][]} codes */
export function decodeAt(latent, beta, codes) {
  const model = setBeta(shippedMultiRate(latent).model, beta);
  return codes.map((z) => Array.from(decode(model.decoder, z, new Float64Array(PIXELS))));
}

/** mu and logvar of images (rows of 784 values in [0, 1]) at β. @param {number} latent @param {number} beta
 * @param {number[][]} images */
export function encodeAt(latent, beta, images) {
  const model = setBeta(shippedMultiRate(latent).model, beta);
  return images.map((x) => {
    const { mu, logvar } = encode(model.encoder, x);
    return [Array.from(mu), Array.from(logvar)];
  });
}
