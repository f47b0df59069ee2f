// The Multi-Rate VAE as the explorer's shown model, while the β slider is on (view.shown.mr is a β): one
// ModelEntry (models.js) whose decoder, map codes and endpoint codes follow the slider's β.
//
//   precomputed  the 10,000 test codes on fixed axes at 33 grid betas (the code file): a drag interpolates
//                between the two frames around β, 20,000 multiply-adds, instead of encoding 10,000 digits
//   live         the gated network at the exact β (core/multirate.js setBeta): the morph's endpoints are
//                encoded from their pictures and its frames decoded, and the z = 2 plane's backdrop decoded
//   read         no host sees the slider's frames, so the digit classifier (core/classifier.js, the blob the host
//                names in its data) reads them here, once the strip has rested READ_AFTER_MS on a path (a drag
//                paints 30+ frames a second: none of them waits for it), once per (β, path) (sliderReading)
//
// Module scope: one entry per MR-VAE per page, like models.js.

import { CLASSES, classify } from "../core/classifier.js";
import { loadClassifier } from "../core/classifier-loader.js";
import { decode, PIXELS, SIDE } from "../core/decoder.js";
import { encode } from "../core/encoder.js";
import { blob, image } from "../core/fetch.js";
import { codesAt, fromHalves, makeMultiRate, setBeta } from "../core/multirate.js";
import { invert } from "../core/projection.js";
import { mrStep, mrText } from "../core/share.js";
import { hostData } from "./state.js";

/**
 * @typedef {import("./state.js").ExploreState} ExploreState
 * @typedef {import("./types.js").MultiRateManifest} MultiRateManifest
 * @typedef {import("./types.js").End} End
 * @typedef {import("./types.js").Path} Path
 * @typedef {import("./types.js").Reading} Reading
 * @typedef {import("./models.js").ModelEntry} ModelEntry
 *
 * @typedef {object} MultiRateEntry
 * @property {MultiRateManifest} manifest
 * @property {import("../core/multirate.js").MultiRate | null} model
 * @property {Float32Array | null} grid     (K, N, 2) codes at the grid betas
 * @property {Float32Array} codes           (N, 2) codes at `beta`, interpolated
 * @property {number} beta                  NaN until set
 * @property {Promise<void> | null} loading
 * @property {ModelEntry} view              what the explorer draws from (models.js's shape)
 * @property {{beta: number, tiles: number, url: string} | null} backdrop   the plane's decoded backdrop, at the β
 *   and tiles per side it was drawn for
 */

/** @type {Map<string, MultiRateEntry>} weights URL -> entry */
const entries = new Map();

/** What loading calls once an MR-VAE's arrays are in (beta.js sets it to a refresh: no import cycle). */
export const hooks = { loaded: (/** @type {ExploreState} */ _state) => {} };

/** The MR-VAE of a latent size, if shipped. @param {ExploreState} state @param {number} latent */
export function multirateManifest(state, latent) {
  return hostData(state).multirate?.[`z${latent}-mr`] || null;
}

/**
 * With the β slider on, the map is the MR-VAE's own (it ships codes for no other map: a link asking for t-SNE with
 * the slider on hung the page); where no MR-VAE was trained for the shown latent size the slider goes off.
 * @param {ExploreState} state @returns {boolean} whether the view changed
 */
export function fitSliderMap(state) {
  const shown = state.view.shown;
  if (shown.mr === null || shown.mr === undefined) return false;
  const model = hostData(state).models[shown.model];
  const manifest = model ? multirateManifest(state, model.latent) : null;
  if (!manifest) {
    shown.mr = null;
    return true;
  }
  if (shown.map === manifest.map.name) return false;
  shown.map = manifest.map.name;
  return true;
}

/** The MR-VAE for the shown model's latent size, if shipped. @param {ExploreState} state */
export function shownManifest(state) {
  const model = hostData(state).models[state.view.shown.model];
  return model ? multirateManifest(state, model.latent) : null;
}

/** @param {MultiRateManifest} manifest @returns {MultiRateEntry} */
function entryFor(manifest) {
  let entry = entries.get(manifest.weights);
  if (entry) return entry;
  const map = manifest.map;
  const codes = new Float32Array(2 * manifest.count);
  /** @type {MultiRateEntry} */
  const made = {
    manifest,
    model: null,
    grid: null,
    codes,
    beta: Number.NaN,
    loading: null,
    backdrop: null,
    view: {
      manifest: {
        name: manifest.name,
        words: manifest.words,
        latent: manifest.latent,
        hidden: manifest.hidden,
        beta: Number.NaN,
        count: manifest.count,
        decoder: manifest.weights,
        mu: "",
        maps: /** @type {any} */ ({
          [map.name]: { codes: manifest.codes, mean: map.mean, components: map.components },
        }),
      },
      decoder: null,
      mu: null,
      maps: {},
    },
  };
  entry = made;
  entries.set(manifest.weights, entry);
  return entry;
}

/** Starts loading an MR-VAE's two blobs; resolves once both are in. @param {MultiRateEntry} entry */
export function loadMultiRate(entry) {
  if (!entry.loading) {
    const { manifest } = entry;
    entry.loading = Promise.all([blob(manifest.weights).promise, blob(manifest.codes).promise]).then(
      ([weights, codes]) => {
        entry.model = makeMultiRate(weights, manifest.latent, manifest.hidden);
        entry.grid = fromHalves(new Uint16Array(codes));
        if (entry.grid.length !== manifest.betas.length * manifest.count * 2)
          throw new Error("codes of the wrong size");
      },
    );
  }
  return entry.loading;
}

/**
 * Brings an entry to β: the network's gates (live) and the map's codes (interpolated). Cheap when β is unchanged.
 * @param {MultiRateEntry} entry @param {number} beta
 */
export function moveTo(entry, beta) {
  if (!entry.model || !entry.grid || entry.beta === beta) return;
  setBeta(entry.model, beta);
  codesAt(entry.grid, entry.manifest.betas, beta, entry.codes);
  entry.beta = beta;
  entry.view.manifest.beta = beta;
  entry.view.decoder = entry.model.decoder;
  entry.view.maps[entry.manifest.map.name] = entry.codes;
}

/**
 * The MR-VAE as the shown model when the slider is on and its arrays are in, else null (the separate model
 * stays shown meanwhile; loading starts here and refreshes once done).
 * @param {ExploreState} state @returns {MultiRateEntry | null}
 */
export function shownMultiRate(state) {
  const beta = state.view.shown.mr;
  if (beta === null || beta === undefined || !state.host.data) return null;
  const manifest = shownManifest(state);
  if (!manifest) return null;
  const entry = entryFor(manifest);
  if (!entry.model) {
    loadMultiRate(entry).then(
      () => hooks.loaded(state),
      () => {},
    );
    return null;
  }
  moveTo(entry, beta);
  return entry;
}

/** A β as the slider and the link write it ("0.316"). @param {number} beta */
export function betaText(beta) {
  return mrText(mrStep(beta));
}

/** The test digits' sheet, read once into grey levels (explorer/sprites.py: digit i at column i % 100). */
const sheets = new Map();

/**
 * A test digit's 784 pixels in [0, 1] (grey / 255, as numpy holds them), from the sprite sheet, or null
 * before the sheet has loaded (loading starts here and refreshes once done).
 * @param {ExploreState} state @param {number} index @returns {Float32Array | null}
 */
export function testPixels(state, index) {
  const { sprite, columns } = hostData(state).digits;
  let sheet = sheets.get(sprite);
  if (!sheet) {
    sheet = { entry: image(sprite), context: /** @type {CanvasRenderingContext2D | null} */ (null) };
    sheets.set(sprite, sheet);
    sheet.entry.promise.then(
      () => hooks.loaded(state),
      () => {},
    );
  }
  if (!sheet.entry.ready) return null;
  if (!sheet.context) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIDE;
    sheet.context = canvas.getContext("2d", { willReadFrequently: true });
  }
  const context = sheet.context;
  if (!context) return null;
  context.clearRect(0, 0, SIDE, SIDE);
  const column = index % columns;
  const row = Math.floor(index / columns);
  context.drawImage(sheet.entry.image, column * SIDE, row * SIDE, SIDE, SIDE, 0, 0, SIDE, SIDE);
  const rgba = context.getImageData(0, 0, SIDE, SIDE).data;
  const pixels = new Float32Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) pixels[p] = Math.fround(rgba[4 * p] / 255);
  return pixels;
}

/**
 * An endpoint's code under the MR-VAE at its β: a test digit or a drawing encoded live from its picture, a
 * point of the MR's own map where it was put.
 * @param {ExploreState} state @param {MultiRateEntry} entry @param {End | null} end
 * @returns {ArrayLike<number> | null}
 */
export function multirateCode(state, entry, end) {
  if (!end || !entry.model) return null;
  const map = entry.manifest.map;
  if (end.kind === "point" && end.x !== undefined && end.y !== undefined) {
    if (end.map !== map.name) return null;
    return map.name === "plane" ? Float32Array.of(end.x, end.y) : invert(map, end.x, end.y);
  }
  /** @type {Float32Array | null} */
  let pixels = null;
  if (end.kind === "test" && end.index !== undefined) pixels = testPixels(state, end.index);
  else if (end.image) pixels = Float32Array.from(end.image, (grey) => Math.fround(grey / 255));
  return pixels ? encode(entry.model.encoder, pixels).mu : null;
}

export const BACKDROP_TILES = 14; // decoded digits per side behind the z = 2 plane at the slider's β (live)
export const PHONE_BACKDROP_TILES = 10; // on a phone's map: explorer/figures.py PHONE_BACKDROP_TILES, 28 px a digit

/** The z = 2 plane's backdrop at the entry's β, as a PNG data URL (what Plotly's layout image takes).
 * @param {MultiRateEntry} entry @param {number} [tiles] */
export function backdropAt(entry, tiles = BACKDROP_TILES) {
  return backdropCanvas(entry, tiles).toDataURL("image/png");
}

/**
 * The z = 2 plane's backdrop at the entry's β, decoded here (explorer/images.py manifold: dark ink whose alpha is
 * the pixel, tiles at the centres of a grid over the extent, top row first), on a canvas.
 * @param {MultiRateEntry} entry @param {number} [tiles] per side @returns {HTMLCanvasElement}
 */
export function backdropCanvas(entry, tiles = BACKDROP_TILES) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = tiles * SIDE;
  backdropTiles(entry, canvas, 0, tiles * tiles);
  return canvas;
}

/**
 * `count` of the backdrop's tiles from tile `first` on (row by row), decoded at the entry's β into `canvas`
 * (a drag re-decodes a few a frame); the canvas's side says how many tiles it holds per side.
 * @param {MultiRateEntry} entry @param {HTMLCanvasElement} canvas @param {number} first @param {number} count
 */
export function backdropTiles(entry, canvas, first, count) {
  const model = entry.model;
  const context = canvas.getContext("2d");
  if (!model || !context) return;
  const [x0, x1, y0, y1] = entry.manifest.map.extent;
  const tiles = Math.round(canvas.width / SIDE);
  const picture = context.createImageData(SIDE, SIDE);
  const pixels = new Float64Array(PIXELS);
  const z = new Float32Array(2);
  for (let tile = first; tile < Math.min(first + count, tiles * tiles); tile++) {
    const row = Math.floor(tile / tiles);
    const column = tile % tiles;
    z[0] = x0 + ((column + 0.5) * (x1 - x0)) / tiles;
    z[1] = y1 - ((row + 0.5) * (y1 - y0)) / tiles;
    decode(model.decoder, z, pixels);
    for (let p = 0; p < PIXELS; p++) {
      picture.data[4 * p] = picture.data[4 * p + 1] = picture.data[4 * p + 2] = 40;
      picture.data[4 * p + 3] = Math.round(255 * pixels[p]);
    }
    context.putImageData(picture, column * SIDE, row * SIDE);
  }
}

/**
 * The MR map's layout facts (explorer/figures.py map_info's shape): fixed extent and prior for every β; the
 * backdrop decoded at the current β when the plane shows it (fewer, larger tiles on a phone's map).
 * @param {ExploreState} state @param {MultiRateEntry} entry @param {boolean} [phone]
 * @returns {import("./types.js").MapInfo}
 */
export function multirateInfo(state, entry, phone = false) {
  const map = entry.manifest.map;
  /** @type {string | null} */
  let backdrop = null;
  if (map.name === "plane" && state.view.shown.backdrop && entry.model) {
    const tiles = phone ? PHONE_BACKDROP_TILES : BACKDROP_TILES;
    if (!entry.backdrop || entry.backdrop.beta !== entry.beta || entry.backdrop.tiles !== tiles)
      entry.backdrop = { beta: entry.beta, tiles, url: backdropAt(entry, tiles) };
    backdrop = entry.backdrop.url;
  }
  return { title: map.title, extent: map.extent, prior: map.prior, backdrop };
}

export const READ_AFTER_MS = 200; // the strip unchanged this long (a drag rests or ends, a link opens): its frames are read
const FRAMES_PER_TASK = 4; // frames read per task once it rests
const READINGS_KEPT = 64; // (β, path) readings remembered: dragging back to a β seen shows its labels at once

/** @type {Map<string, Reading>} "β|path key" -> the classifier's reading of those frames, the oldest first */
const readings = new Map();
/** @type {WeakMap<ExploreState, {key: string, timer: number}>} per widget: the path waiting to be read */
const waiting = new WeakMap();
/** @type {WeakMap<ExploreState, number>} per widget: the slider's strips read so far (root data-mr-reads) */
const readCounts = new WeakMap();

/**
 * Remembers `value` under `key` in `cache`, the newest last, dropping the oldest past `keep` (pure: a unit test
 * holds it). @template T @param {Map<string, T>} cache @param {string} key @param {T} value @param {number} keep
 */
export function remember(cache, key, value, keep) {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > keep) cache.delete(/** @type {string} */ (cache.keys().next().value));
}

/**
 * The slider's reading of `path` at the shown β if it has been read (sliderReading), else null: what the
 * analytics panel draws its classifier row from while the slider is on. @param {ExploreState} state @param {Path} path
 */
export function sliderReadingOf(state, path) {
  const found = readings.get(`${state.view.shown.mr}|${path.key}`);
  return found && found.digits.length === path.frames?.length ? found : null;
}

/**
 * The classifier's reading of the slider's strip (readings.js's shape, keyed like the path: one digit and its
 * probability per frame, as core/classifier.js read gives them, numpy's PathAnalytics.predicted/.confidence,
 * and all ten probabilities per frame for the analytics' heatmap, PathAnalytics.probabilities), or
 * null while it is not read yet: then a read is set for when the strip has shown this path for READ_AFTER_MS,
 * after which `redraw` draws the labels. Nothing is read on a drag's frames, and each (β, path) once.
 * @param {ExploreState} state @param {MultiRateEntry} entry @param {Path} path @param {() => void} redraw
 * @returns {Reading | null}
 */
export function sliderReading(state, entry, path, redraw) {
  const key = `${entry.beta}|${path.key}`;
  const found = readings.get(key);
  if (found) return found.digits.length === path.frames?.length ? found : null;
  const url = hostData(state).classifier;
  if (!url || !path.frames || path.pending || waiting.get(state)?.key === key) return null;
  clearTimeout(waiting.get(state)?.timer);
  const timer = window.setTimeout(() => {
    const done = () => {
      if (waiting.get(state)?.key === key) waiting.delete(state);
    };
    // Still the strip's path at this β (else the strip that replaced it set its own read).
    const still = () =>
      !state.stage.gone && state.view.path?.key === path.key && state.view.shown.mr === entry.beta && !!path.frames;
    loadClassifier(url).then(
      (classifier) => {
        done();
        const frames = /** @type {Float64Array[]} */ (path.frames);
        /** @type {{digits: number[], confidence: number[], probabilities: number[][]}} */
        const made = { digits: [], confidence: [], probabilities: [] };
        // A few frames a task (~4 ms each here), so a drag that starts again waits for no more than those.
        const step = (/** @type {number} */ from) => {
          if (!still()) return;
          for (const frame of frames.slice(from, from + FRAMES_PER_TASK)) {
            const p = classify(classifier, frame);
            let best = 0; // core/classifier.js read's rule: the first on a tie, numpy's argmax
            for (let d = 1; d < CLASSES; d++) if (p[d] > p[best]) best = d;
            made.digits.push(best);
            made.confidence.push(p[best]);
            made.probabilities.push(Array.from(p)); // the analytics' heatmap, as the hosts send theirs
          }
          if (from + FRAMES_PER_TASK < frames.length) window.setTimeout(() => step(from + FRAMES_PER_TASK), 0);
          else {
            remember(readings, key, { key: path.key, ...made }, READINGS_KEPT);
            const count = (readCounts.get(state) || 0) + 1;
            readCounts.set(state, count);
            state.dom.root.dataset.mrReads = String(count); // a test checks a drag's frames read nothing
            redraw();
          }
        };
        step(0);
      },
      done, // not fetched: the next strip with this path asks again
    );
  }, READ_AFTER_MS);
  waiting.set(state, { key, timer });
  return null;
}
