// Each model's arrays in the browser, as they arrive (core/fetch.js fetches each blob once). An entry fills
// in part by part; `loadModel` resolves once every part asked for is there. Module scope: one cache per page.

import { makeDecoder } from "../core/decoder.js";
import { blob } from "../core/fetch.js";

/**
 * @typedef {import("./types.js").ModelManifest} ModelManifest
 * @typedef {object} ModelEntry
 * @property {ModelManifest} manifest
 * @property {import("../core/decoder.js").Decoder | null} decoder
 * @property {Float32Array | null} mu               the test codes, (count, latent)
 * @property {Record<string, Float32Array>} maps    map name -> (count, 2) coordinates
 */

/**
 * A model in plain words (explorer/assets.py model_words: "VAE (β = 1), z = 20", "Autoencoder (β = 0), z = 2"), never its internal id.
 * @param {{words?: string, label?: string}} manifest
 */
export function modelWords(manifest) {
  return manifest.words || manifest.label || "your model";
}

/**
 * The plain words for a model named in a path's key: a separately trained model, or the β slider's at a β
 * ("z20-mr@0.1"). @param {import("./types.js").ExplorerData} data @param {string} name
 */
export function wordsFor(data, name) {
  const [model, beta] = name.split("@");
  const manifest = data.models[model] || Object.values(data.multirate || {}).find((m) => m.name === model);
  const words = manifest ? modelWords(manifest) : "this model";
  return beta ? `${words}, at β = ${beta}` : words;
}

/** @type {Map<string, ModelEntry>} decoder URL -> entry */
const entries = new Map();

/** @param {ModelManifest} manifest @returns {ModelEntry} */
export function modelEntry(manifest) {
  let entry = entries.get(manifest.decoder);
  if (!entry) {
    entry = { manifest, decoder: null, mu: null, maps: {} };
    entries.set(manifest.decoder, entry);
  }
  return entry;
}

/**
 * Whether `part` ("decoder", "mu", "map:pca", ...) of a model is loaded.
 * @param {ModelEntry} entry @param {string} part
 */
export function hasPart(entry, part) {
  if (part === "decoder") return !!entry.decoder;
  if (part === "mu") return !!entry.mu;
  return !!entry.maps[part.slice(4)];
}

/**
 * Starts loading `parts` of a model; resolves with the entry when all are in.
 * @param {ModelEntry} entry @param {string[]} parts @returns {Promise<ModelEntry>}
 */
export function loadModel(entry, parts) {
  const { manifest } = entry;
  const waits = [];
  for (const part of parts) {
    if (hasPart(entry, part)) continue;
    if (part === "decoder") {
      waits.push(
        blob(manifest.decoder).promise.then((buffer) => {
          entry.decoder = entry.decoder || makeDecoder(buffer, manifest.latent, manifest.hidden);
        }),
      );
    } else if (part === "mu") {
      waits.push(
        blob(manifest.mu).promise.then((buffer) => {
          entry.mu = new Float32Array(buffer);
        }),
      );
    } else if (part.startsWith("map:")) {
      const name = part.slice(4);
      const map = manifest.maps[name];
      if (map) {
        waits.push(
          blob(map.codes).promise.then((buffer) => {
            entry.maps[name] = new Float32Array(buffer);
          }),
        );
      }
    }
  }
  return Promise.all(waits).then(() => entry);
}

/** Every part of a model: what preloading a latent size's models fetches. @param {ModelManifest} manifest */
export function allParts(manifest) {
  return ["decoder", "mu", ...Object.keys(manifest.maps).map((name) => `map:${name}`)];
}

/**
 * The models of one latent size, lowest β first.
 * @param {Record<string, ModelManifest>} models @param {number} latent
 */
export function sameLatent(models, latent) {
  return Object.values(models)
    .filter((m) => m.latent === latent)
    .sort((p, q) => p.beta - q.beta);
}

/** A test digit's code under a model, or null before its codes arrive. @param {ModelEntry} entry @param {number} index */
export function testCode(entry, index) {
  const latent = entry.manifest.latent;
  return entry.mu ? entry.mu.subarray(index * latent, (index + 1) * latent) : null;
}
