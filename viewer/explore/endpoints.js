// Endpoints and the path between them. Labels, ids and the path key must read exactly as the server writes
// them (explorer/state.py Endpoint.label and .id, sections/morph.py path_key): both sides compare ids and
// keys to tell whether they hold the same path, and tests/test_contract.py checks the two on many cases.

import { DIGIT_ARTICLES } from "../core/constants.js";
import { decode, PIXELS } from "../core/decoder.js";
import { alongPolyline, pathCodes, pathPoint } from "../core/paths.js";
import { invert } from "../core/projection.js";
import { fixed2, round2 } from "../core/share.js";
import { modelEntry, testCode } from "./models.js";
import { betaText, multirateCode, shownMultiRate } from "./multirate.js";
import { hostData } from "./state.js";

/**
 * @typedef {import("./state.js").ExploreState} ExploreState
 * @typedef {import("./types.js").End} End
 * @typedef {import("./types.js").SentEnd} SentEnd
 * @typedef {import("./types.js").Path} Path
 * @typedef {import("./models.js").ModelEntry} ModelEntry
 */

/** "test #42 (an 8)": a test digit's label. @param {number} index @param {number | null} digit */
export function testLabel(index, digit) {
  return digit === null ? `test #${index}` : `test #${index} (${DIGIT_ARTICLES[digit]} ${digit})`;
}

/**
 * A point of a map as an endpoint: its label and id as the server will give them.
 * @param {string} map @param {number} x @param {number} y @param {string} source the model whose map it is
 * @returns {End}
 */
export function pointEnd(map, x, y, source) {
  const rx = round2(x);
  const ry = round2(y);
  const where = `${fixed2(rx)},${fixed2(ry)}`;
  const what = map === "plane" ? "plane point" : "map point"; // plain words: no "PCA" to explain
  return {
    kind: "point",
    map,
    x: rx,
    y: ry,
    source,
    codes: {},
    image: null,
    id: `p:${map}:${where}@${source}`,
    label: `${what} (${fixed2(rx)}, ${fixed2(ry)})`,
  };
}

/**
 * An endpoint made here, before the host has seen it.
 * @param {ExploreState} state
 * @param {{kind: "test", index: number} | {kind: "point", map: string, x: number, y: number}} spec
 * @returns {End}
 */
export function localEnd(state, spec) {
  if (spec.kind === "test") {
    const labels = state.host.labels;
    const label = testLabel(spec.index, labels ? labels[spec.index] : null);
    return { kind: "test", index: spec.index, id: `t${spec.index}`, label, codes: {}, image: null };
  }
  return pointEnd(spec.map, spec.x, spec.y, state.view.shown.model);
}

/** @param {string} base64 */
function bytes(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** An endpoint as the host sends it (sections/map.py end_data). @param {SentEnd | null} sent @returns {End | null} */
export function endFrom(sent) {
  if (!sent) return null;
  /** @type {Record<string, Float32Array>} */
  const codes = {};
  for (const [name, code] of Object.entries(sent.codes || {})) codes[name] = Float32Array.from(code);
  return { ...sent, codes, image: sent.image ? bytes(sent.image) : null };
}

/** The shown model: the β slider's Multi-Rate VAE at its β while it is on (multirate.js), else the chosen one.
 * @param {ExploreState} state @returns {ModelEntry} */
export function currentModel(state) {
  const multirate = shownMultiRate(state);
  return multirate ? multirate.view : modelEntry(hostData(state).models[state.view.shown.model]);
}

/**
 * An endpoint's code under one model: a test digit's mu, a point's own code on its own map, or the code the
 * host computed (a drawing, or a point seen by another model: its picture, encoded).
 * @param {End | null} end @param {ModelEntry} entry @returns {ArrayLike<number> | null}
 */
export function codeUnder(end, entry) {
  if (!end) return null;
  const name = entry.manifest.name;
  if (end.kind === "test" && end.index !== undefined) return testCode(entry, end.index);
  if (end.kind === "point" && end.source === name && end.x !== undefined && end.y !== undefined) {
    const pca = entry.manifest.maps.pca;
    if (end.map === "plane") return Float32Array.of(end.x, end.y);
    return pca ? invert(pca, end.x, end.y) : null;
  }
  return end.codes?.[name] || null;
}

/** @param {ExploreState} state @param {End | null} end */
export function codeOf(state, end) {
  const multirate = shownMultiRate(state);
  return multirate ? multirateCode(state, multirate, end) : codeUnder(end, currentModel(state));
}

/**
 * The path's name: model|method|frames|A's id|B's id (sections/morph.py path_key).
 * @param {string} model @param {string} method @param {number} frames @param {End | null} a @param {End | null} b
 */
export function pathKey(model, method, frames, a, b) {
  return [model, method, frames, a ? a.id : "-", b ? b.id : "-"].join("|");
}

/**
 * The path's codes under model `name`: computed here for linear and spherical; for a geodesic, the host's
 * optimised codes once they match this very path, a straight line until then.
 * @param {ExploreState} state @param {string} name @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 * @returns {Path}
 */
export function pathFor(state, name, a, b) {
  const { method, frames } = state.view.shown;
  const key = pathKey(name, method, frames, state.view.ends.a, state.view.ends.b);
  if (method === "geodesic" && state.view.shown.mr != null) {
    // The hosts optimise geodesics for the separately trained models only; say so rather than wait for one.
    return { key, method, pending: false, straight: true, codes: pathCodes(a, b, frames, "linear") };
  }
  if (method === "geodesic") {
    const sent = hostData(state).paths?.[name];
    if (sent && sent.key === key) {
      return { key, method, pending: false, codes: sent.codes.map((c) => Float32Array.from(c)) };
    }
    return { key, method, pending: true, codes: pathCodes(a, b, frames, "linear") };
  }
  return { key, method, pending: false, codes: pathCodes(a, b, frames, method) };
}

/** The shown path, decoded, or null while an endpoint or the decoder is missing. @param {ExploreState} state */
export function computePath(state) {
  const entry = currentModel(state);
  const a = codeOf(state, state.view.ends.a);
  const b = codeOf(state, state.view.ends.b);
  if (!a || !b || !entry.decoder) return null;
  const decoder = entry.decoder;
  // The MR-VAE's path is named with its β, so a drag redraws the strip (sections/morph.py never sees the name).
  const beta = entry.manifest.beta;
  const name = entry.manifest.mu ? entry.manifest.name : `${entry.manifest.name}@${betaText(beta)}`;
  const path = pathFor(state, name, a, b);
  path.a = a;
  path.b = b;
  path.frames = decodedFrames(state, decoder, path, a, b, beta);
  return path;
}

/**
 * The last path each decoder decoded, and from what.
 * @type {WeakMap<object, {key: string, a: Float32Array, b: Float32Array, frames: Float64Array[]}>}
 */
const decodedPaths = new WeakMap();

/**
 * `path`'s frames under `decoder`, decoded once per path: the view refreshes on every arrival (a model, a blob,
 * Plotly, a reading), and decoding again each time held the main thread for seconds on a compare link. The shown
 * strip and each compare row ask here, so the shown model's row reuses the strip's frames. The MR-VAE's decoder
 * changes its weights in place with β, so the β is part of what the frames were decoded for.
 * @param {ExploreState} state @param {import("../core/decoder.js").Decoder} decoder @param {Path} path
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b @param {number} beta
 * @returns {Float64Array[]}
 */
export function decodedFrames(state, decoder, path, a, b, beta) {
  const key = `${path.key}|${path.pending}|${beta}`;
  const last = decodedPaths.get(decoder);
  if (last && last.key === key && sameCode(last.a, a) && sameCode(last.b, b)) return last.frames;
  const frames = path.codes.map((code) => decode(decoder, code, new Float64Array(PIXELS)));
  countDecode(state);
  decodedPaths.set(decoder, { key, a: Float32Array.from(a), b: Float32Array.from(b), frames });
  return frames;
}

/** One more path decoded (a test reads the count: refreshes must not decode again). @param {ExploreState} state */
function countDecode(state) {
  state.stage.pathDecodes += 1;
  state.dom.root.dataset.pathDecodes = String(state.stage.pathDecodes);
}

/** Whether two codes hold the same numbers. @param {ArrayLike<number>} x @param {ArrayLike<number>} y */
function sameCode(x, y) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The code at fraction t of the shown path: exact for straight and spherical paths, along the optimised
 * polyline for a geodesic.
 * @param {Path} path @param {number} t
 */
export function pathAt(path, t) {
  if (!path.pending && path.method !== "geodesic" && path.a && path.b) {
    return Float32Array.from(pathPoint(path.a, path.b, t, path.method));
  }
  return alongPolyline(path.codes, t);
}
