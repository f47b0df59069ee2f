// What the Streamlit server computes for the explorer, computed in the browser for the static site, from the
// same arrays: the classifier's reading of the strip's frames (sections/morph.py reading), and a map point's
// code under the other models (its decoded picture, encoded: explorer/state.py Endpoint.latent). Each
// network is fetched the first time it is needed.

import { CLASSES, classify } from "../core/classifier.js";
import { loadClassifier } from "../core/classifier-loader.js";
import { decode, PIXELS } from "../core/decoder.js";
import { encode, makeEncoder } from "../core/encoder.js";
import { blob } from "../core/fetch.js";
import { geodesicPathAsync } from "../core/geodesic.js";
import { pathCodes } from "../core/paths.js";
import { invert } from "../core/projection.js";
import { pathKey } from "../explore/endpoints.js";
import { loadModel, modelEntry, testCode } from "../explore/models.js";

/**
 * @typedef {import("./static-session.js").Site} Site
 * @typedef {import("../explore/types.js").SentEnd} SentEnd
 * @typedef {import("../explore/types.js").ViewData} ViewData
 */

/** @type {Map<string, Promise<import("../core/encoder.js").Encoder>>} */
const encoders = new Map();

/** A model's encoder, fetched once. @param {Site} site @param {string} name */
export function encoderOf(site, name) {
  let found = encoders.get(name);
  if (!found) {
    const manifest = site.explorer.models[name];
    const url = site.inference.encoders[name];
    found = blob(url).promise.then((buffer) => makeEncoder(buffer, manifest.latent, manifest.hidden));
    encoders.set(name, found);
    found.catch(() => encoders.delete(name));
  }
  return found;
}

/** The site's classifier (core/classifier-loader.js: once per page), or null where none is shipped. @param {Site} site */
function classifierOf(site) {
  return site.inference.classifier ? loadClassifier(site.inference.classifier) : null;
}

/**
 * An endpoint's code under model `name`, as the server finds it: a test digit's mu; a point's own code on its
 * own map; else the point's decoded picture under its own model, encoded by model `name` (its mu).
 * @param {Site} site @param {SentEnd} end @param {string} name @returns {Promise<ArrayLike<number>>}
 */
export async function codeUnder(site, end, name) {
  const entry = await loadModel(modelEntry(site.explorer.models[name]), ["decoder", "mu"]);
  if (end.kind === "test" && end.index !== undefined) return /** @type {Float32Array} */ (testCode(entry, end.index));
  if (end.kind === "drawn") return Float32Array.from(end.codes?.[name] || []);
  const source = await loadModel(modelEntry(site.explorer.models[end.source || name]), ["decoder"]);
  const pca = source.manifest.maps.pca;
  const own =
    end.map === "plane"
      ? Float32Array.of(end.x || 0, end.y || 0)
      : invert(/** @type {any} */ (pca), end.x || 0, end.y || 0);
  if (end.source === name) return own;
  const picture = decode(/** @type {any} */ (source.decoder), own, new Float32Array(PIXELS));
  return encode(await encoderOf(site, name), picture).mu;
}

/**
 * A point's codes under every model but its own, for the widget (the server sends the same, in end_data).
 * @param {Site} site @param {SentEnd} end @returns {Promise<Record<string, number[]>>}
 */
export async function pointCodes(site, end) {
  /** @type {Record<string, number[]>} */
  const codes = {};
  for (const name of Object.keys(site.explorer.models)) codes[name] = Array.from(await codeUnder(site, end, name));
  return codes;
}

/**
 * The classifier's reading of the shown path, keyed like the widget's path, or null (no classifier, an
 * endpoint missing, or a geodesic not computed yet).
 * @param {Site} site @param {ViewData} view @param {{a: SentEnd | null, b: SentEnd | null}} ends
 * @param {number[][] | null} [geodesic] the geodesic's codes, when that is the path shown
 */
export async function readingFor(site, view, ends, geodesic = null) {
  const reading = classifierOf(site);
  if (!reading || !ends.a || !ends.b || (view.method === "geodesic" && !geodesic)) return null;
  const [a, b] = await Promise.all([codeUnder(site, ends.a, view.model), codeUnder(site, ends.b, view.model)]);
  const decoder = await decoderOf(site, view.model);
  const codes = geodesic ? geodesic.map((code) => Float32Array.from(code)) : pathCodes(a, b, view.frames, view.method);
  const frames = codes.map((code) => decode(decoder, code, new Float64Array(PIXELS)));
  const model = await reading;
  // Per frame the classifier's probabilities (the analytics' heatmap) and, as core/classifier.js read gives
  // them, the top digit (the first on a tie, numpy's argmax) and its probability (the strip's reading).
  const probabilities = frames.map((frame) => classify(model, frame));
  const digits = probabilities.map((p) => p.indexOf(Math.max(...p)));
  const key = pathKey(view.model, view.method, view.frames, /** @type {any} */ (ends.a), /** @type {any} */ (ends.b));
  const round3 = (/** @type {number} */ p) => Math.round(p * 1000) / 1000;
  return {
    key,
    digits,
    confidence: probabilities.map((p, f) => round3(p[digits[f]])),
    probabilities: probabilities.map((p) => Array.from(p.subarray(0, CLASSES), round3)),
  };
}

/** A model's decoder, fetched once. @param {Site} site @param {string} name */
export async function decoderOf(site, name) {
  const entry = await loadModel(modelEntry(site.explorer.models[name]), ["decoder"]);
  return /** @type {import("../core/decoder.js").Decoder} */ (entry.decoder);
}

/**
 * The geodesic between the endpoints under model `name` (vae/geodesic.py's optimiser, ported: core/geodesic.js),
 * keyed like the widget's path, as the server sends it (sections/map.py widget_data "paths").
 * @param {Site} site @param {ViewData} view @param {{a: SentEnd | null, b: SentEnd | null}} ends @param {string} name
 * @param {AbortSignal} signal  a newer request stops this one
 */
export async function geodesicFor(site, view, ends, name, signal) {
  if (!ends.a || !ends.b) return null;
  const [a, b] = await Promise.all([codeUnder(site, ends.a, name), codeUnder(site, ends.b, name)]);
  const { codes, report } = await geodesicPathAsync(await decoderOf(site, name), a, b, view.frames, { signal });
  const key = pathKey(name, "geodesic", view.frames, /** @type {any} */ (ends.a), /** @type {any} */ (ends.b));
  return { key, codes: codes.map((code) => Array.from(code)), report };
}
