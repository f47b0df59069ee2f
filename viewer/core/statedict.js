// A state dict read from a visitor's file checked as pytorch/examples' MLP VAE, mirroring vae/foreign.py
// vae_from_state_dict: the names (fc1, fc21, fc22, fc3, fc4; this repository's fc_mu, fc_logvar; keys under
// "module." or "_orig_mod."), the shapes (any hidden size, a latent size of 2 or more), finite values; then
// the encoder's and decoder's blobs. tests/test_upload_vae.py holds it to vae/foreign.py with property-based
// tests, and tests/js/safetensors.test.js checks the refusals one by one.

import { PIXELS } from "./decoder.js";
import { shown, UploadRefused } from "./refusal.js";

export const MAX_HIDDEN = 4096; // vae/foreign.py MAX_HIDDEN
export const MAX_LATENT = 512;
const ALIASES = { fc21: "fc_mu", fc22: "fc_logvar" };
const PREFIXES = ["module.", "_orig_mod."];
const LAYERS = ["fc1", "fc_mu", "fc_logvar", "fc3", "fc4"];
export const EXPECTED_MLP =
  "the fully connected VAE of pytorch/examples (vae/main.py): fc1 = Linear(784, hidden), fc21 and fc22 " +
  "= Linear(hidden, latent) for mu and log sigma^2, fc3 = Linear(latent, hidden), fc4 = Linear(hidden, 784), " +
  "ReLU between, a sigmoid in decode";

/** @typedef {import("./safetensors.js").Tensor} Tensor */

/**
 * @typedef {object} FoundVAE            vae/foreign.py FoundVAE
 * @property {Record<string, Float32Array>} weights   fc1.weight, fc1.bias, fc_mu.*, fc_logvar.*, fc3.*, fc4.*
 * @property {number} hidden
 * @property {number} latent
 * @property {string} naming            "fc21/fc22" or "fc_mu/fc_logvar"
 * @property {string} prefix            "module." etc., or ""
 */

/** @param {string} name */
const order = (name) => {
  const layer = LAYERS.indexOf(name.split(".")[0]);
  return name.includes(".") && layer >= 0 ? layer : 9;
};
/** @param {string} p @param {string} q */
const byOrder = (p, q) => order(p) - order(q) || (p < q ? -1 : p > q ? 1 : 0);

/** @param {string[]} names */
function listed(names) {
  if (!names.length) return "nothing";
  const text = names.slice(0, 6).map(shown).join(", ");
  return names.length > 6 ? `${text} and ${names.length - 6} more` : text;
}

/** The shapes of the MLP VAE's parameters (vae/config.py parameter_shapes). @param {number} hidden @param {number} latent */
export function parameterShapes(hidden, latent) {
  return {
    "fc1.weight": [hidden, PIXELS],
    "fc1.bias": [hidden],
    "fc_mu.weight": [latent, hidden],
    "fc_mu.bias": [latent],
    "fc_logvar.weight": [latent, hidden],
    "fc_logvar.bias": [latent],
    "fc3.weight": [hidden, latent],
    "fc3.bias": [hidden],
    "fc4.weight": [PIXELS, hidden],
    "fc4.bias": [PIXELS],
  };
}

/** @param {number[]} shape */
const tuple = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;

/**
 * Checks a state dict's names, shapes and values against the MLP VAE and renames it (vae/foreign.py
 * vae_from_state_dict); or UploadRefused.
 * @param {Record<string, Tensor>} tensors @returns {FoundVAE}
 */
export function vaeFromStateDict(tensors) {
  const names = Object.keys(tensors);
  if (!names.length) throw new UploadRefused("no tensors", EXPECTED_MLP);
  const prefix = PREFIXES.find((p) => names.every((name) => name.startsWith(p))) ?? "";
  /** @type {Record<string, Tensor>} */
  const arrays = {};
  for (const name of names) arrays[name.slice(prefix.length)] = tensors[name];
  const conv = Object.keys(arrays)
    .filter((name) => arrays[name].shape.length > 2 || name.toLowerCase().includes("conv"))
    .sort((p, q) => Number(arrays[p].shape.length <= 2) - Number(arrays[q].shape.length <= 2));
  if (conv.length) {
    throw new UploadRefused(
      `convolution weights (${shown(conv[0])}, shape ${tuple(arrays[conv[0]].shape)}${conv.length > 1 ? " and more" : ""})`,
      EXPECTED_MLP,
      "This page runs that MLP only: a convolutional VAE cannot be imported. Train the MLP (pytorch/examples " +
        'vae/main.py) and save it with `torch.save(model.state_dict(), "vae.pth")`.',
    );
  }
  const layerOf = (/** @type {string} */ name) => name.split(".")[0];
  const fc2x = Object.keys(arrays).some((name) => Object.hasOwn(ALIASES, layerOf(name)));
  const naming = fc2x ? "fc21/fc22" : "fc_mu/fc_logvar";
  if (fc2x && Object.keys(arrays).some((name) => Object.values(ALIASES).includes(layerOf(name)))) {
    throw new UploadRefused("both fc21/fc22 and fc_mu/fc_logvar", "one naming: fc21, fc22 or fc_mu, fc_logvar");
  }
  /** @type {Record<string, Tensor>} */
  const renamed = {};
  /** @type {Record<string, string>} */
  const original = {};
  for (const [name, tensor] of Object.entries(arrays)) {
    const dot = name.indexOf(".");
    const layer = dot < 0 ? name : name.slice(0, dot);
    const ours = `${ALIASES[/** @type {"fc21"} */ (layer)] ?? layer}${dot < 0 ? "" : name.slice(dot)}`;
    renamed[ours] = tensor;
    original[ours] = name;
  }
  const theirName = (/** @type {string} */ ours) => {
    if (!fc2x) return ours;
    return ours.replace(/^fc_mu(?=\.|$)/, "fc21").replace(/^fc_logvar(?=\.|$)/, "fc22");
  };
  const expectedNames = Object.keys(parameterShapes(1, 2));
  const missing = expectedNames.filter((n) => !Object.hasOwn(renamed, n)).sort(byOrder);
  if (missing.length) {
    throw new UploadRefused(
      `no ${missing.slice(0, 4).map(theirName).join(", ")}${missing.length > 4 ? " ..." : ""} ` +
        `(the file holds ${listed(Object.values(original).sort())})`,
      EXPECTED_MLP,
    );
  }
  const extra = Object.keys(renamed)
    .filter((n) => !expectedNames.includes(n))
    .sort();
  if (extra.length) {
    throw new UploadRefused(
      `tensors a VAE of this shape does not have: ${listed(extra.map((n) => original[n]))}`,
      `${EXPECTED_MLP}, and nothing else (no batch norm, no extra layers)`,
    );
  }
  const fc1 = renamed["fc1.weight"].shape;
  const [hidden, inputs] = fc1.length === 2 ? fc1 : [0, 0];
  const mu = renamed["fc_mu.weight"].shape;
  const latent = mu.length === 2 ? mu[0] : 0;
  if (inputs !== PIXELS) {
    throw new UploadRefused(
      `fc1.weight of shape ${tuple(fc1)}`,
      `(hidden, ${PIXELS}): an encoder of 28 x 28 MNIST digits, flattened`,
    );
  }
  if (latent === 1) {
    throw new UploadRefused(
      `a latent size of 1 (${theirName("fc_mu.weight")} is ${tuple(mu)})`,
      "a latent size of 2 or more: a map of the codes needs two dimensions",
      `Train with ${theirName("fc_mu")} and ${theirName("fc_logvar")} = Linear(${hidden}, 2) or more, then ` +
        'save with `torch.save(model.state_dict(), "vae.pth")`.',
    );
  }
  if (!(hidden > 0 && hidden <= MAX_HIDDEN && latent >= 2 && latent <= MAX_LATENT)) {
    throw new UploadRefused(
      `a hidden size of ${hidden} and a latent size of ${latent}`,
      `a hidden size in 1..${MAX_HIDDEN} and a latent size in 2..${MAX_LATENT}`,
    );
  }
  const shapes = parameterShapes(hidden, latent);
  for (const name of Object.keys(shapes).sort(byOrder)) {
    const want = shapes[/** @type {keyof typeof shapes} */ (name)];
    const got = renamed[name].shape;
    if (got.length !== want.length || got.some((d, k) => d !== want[k])) {
      throw new UploadRefused(
        `${theirName(name)} of shape ${tuple(got)}`,
        `${tuple(want)} for hidden size ${hidden} and latent size ${latent} (read from fc1 and ` +
          `${theirName("fc_mu")}): ${EXPECTED_MLP}`,
      );
    }
  }
  /** @type {Record<string, Float32Array>} */
  const weights = {};
  for (const name of Object.keys(shapes).sort(byOrder)) {
    const data = renamed[name].data;
    let bad = 0;
    for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k])) bad += 1;
    if (bad) {
      throw new UploadRefused(
        `${bad} NaN or infinite values in ${theirName(name)}`,
        "finite weights (a model whose loss became NaN while training cannot be explored)",
        "Save the state dict from before the loss diverged (lower the learning rate, or keep the last " +
          'finite epoch): `torch.save(model.state_dict(), "vae.pth")`.',
      );
    }
    weights[name] = data;
  }
  return { weights, hidden, latent, naming, prefix };
}

/**
 * The encoder's and decoder's blobs (explorer/assets.py encoder_blob, decoder_blob) of an accepted VAE, for
 * core/encoder.js makeEncoder and core/decoder.js makeDecoder.
 * @param {FoundVAE} found @returns {{encoder: ArrayBuffer, decoder: ArrayBuffer}}
 */
export function modelBlobs(found) {
  const join = (/** @type {string[]} */ names) => {
    const total = names.reduce((n, name) => n + found.weights[name].length, 0);
    const out = new Float32Array(total);
    let at = 0;
    for (const name of names) {
      out.set(found.weights[name], at);
      at += found.weights[name].length;
    }
    return out.buffer;
  };
  return {
    encoder: join(["fc1.weight", "fc1.bias", "fc_mu.weight", "fc_mu.bias", "fc_logvar.weight", "fc_logvar.bias"]),
    decoder: join(["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"]),
  };
}
