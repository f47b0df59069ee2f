// For tests/test_upload_vae.py (through harness/node.py Bridge): a file's bytes in base64, read by
// viewer/core/safetensors.js (and statedict.js), answered as JSON: {refused: message} or what was read.

import { UploadRefused } from "../../viewer/core/refusal.js";
import { readSafetensors } from "../../viewer/core/safetensors.js";
import { vaeFromStateDict } from "../../viewer/core/statedict.js";

/** @param {() => unknown} run */
function answer(run) {
  try {
    return { value: run() };
  } catch (error) {
    if (error instanceof UploadRefused) return { refused: error.message };
    throw error; // anything else is a bug the test must see
  }
}

/** The tensors of the file: name -> {shape, data}. @param {string} base64 */
export function read(base64) {
  return answer(() => readSafetensors(new Uint8Array(Buffer.from(base64, "base64"))));
}

/** The VAE in the file: {hidden, latent, naming, prefix, weights}. @param {string} base64 */
export function vae(base64) {
  return answer(() => vaeFromStateDict(readSafetensors(new Uint8Array(Buffer.from(base64, "base64")))));
}
