// A view's URL form, read and written as explorer/share.py does (parse_query, to_query, endpoint_ref,
// ref_text), so a link copied from one host of the viewer opens the same view in another.
// tests/test_contract.py holds the two to each other on many hostile URLs.
//
//   ?model=z20-beta2&map=tsne&method=spherical&frames=16&a=3&b=7&compare=1
//   ?model=z20-beta1&a=pca:0.50,-1.20&b=d:eNpjYBgFo2AUjIJRMApGwSgYBaNgFIwC...
//   ?page=lesson&samples=4&eps=2&probe=0.50,-1.20
//   ?model=z2-beta1&map=plane&mr=0.316        (the β slider: the Multi-Rate VAE at β = 0.316)

import { FRAMES_RANGE, PATH_METHODS, URL_RULES } from "./constants.js";

const NUMBER = new RegExp(`^(?:${URL_RULES.numberText})$`);
const METHODS = PATH_METHODS.map((m) => m[0]);

/**
 * What the URL may name: each model's maps, and how many test digits there are.
 * @typedef {{models: Record<string, {maps: string[]}>, count: number}} Catalog
 * @typedef {number | ["plane" | "pca", number, number, string | null] | ["drawn", string]} EndpointRef
 * @typedef {{model: string, map: string, method: string, frames: number, compare: boolean, backdrop: boolean,
 *   page: string, samples: number, eps: number, probe: [number, number] | null, a: EndpointRef | null,
 *   b: EndpointRef | null, mr: number | null}} UrlView
 * @typedef {{key: string, value: string, why: string}} UrlWarning
 */

/**
 * Python's round(x, 2): to the nearest, an exact tie to even (8x odd), the sign of a zero kept.
 * @param {number} x
 */
export function round2(x) {
  const eighths = x * 8;
  let rounded;
  if (Number.isInteger(eighths) && eighths % 2 !== 0) {
    const below = Math.floor(x * 100);
    rounded = (below % 2 === 0 ? below : below + 1) / 100;
  } else {
    rounded = Number(x.toFixed(2));
  }
  return rounded === 0 && (x < 0 || Object.is(x, -0)) ? -0 : rounded;
}

/** A rounded coordinate as Python's f"{x:.2f}" writes it ("-0.00" for a negative zero). @param {number} x */
export function fixed2(x) {
  return Object.is(x, -0) ? "-0.00" : x.toFixed(2);
}

/** explorer/untrusted.py whole_text: ASCII digits only, at most MAX_DIGITS of them. @param {string} text */
export function wholeText(text) {
  return new RegExp(`^[0-9]{1,${URL_RULES.maxDigits}}$`).test(text) ? Number(text) : null;
}

/**
 * explorer/untrusted.py point_text: "x,y", two plain decimals with |x|, |y| <= limit, rounded to 0.01.
 * @param {string} text @param {number} limit @returns {[number, number] | null}
 */
export function pointText(text, limit) {
  if (text.length > URL_RULES.pointTextLimit) return null;
  const parts = text.split(",");
  if (parts.length !== 2 || !parts.every((part) => NUMBER.test(part))) return null;
  const [x, y] = parts.map(Number);
  if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > limit || Math.abs(y) > limit) return null;
  return [round2(x), round2(y)];
}

/** A drawing's URL text is checked (and inflated) by the host: here only its form. @param {string} text */
function drawingForm(text) {
  return text.startsWith("d:") && text.length <= URL_RULES.drawingLimit && /^d:[A-Za-z0-9_-]*$/.test(text);
}

/**
 * explorer/share.py endpoint_ref: an endpoint's URL text checked against the catalog, or null.
 * @param {string} text @param {Catalog} catalog @param {string} model the URL's model @returns {EndpointRef | null}
 */
export function endpointRef(text, catalog, model) {
  const index = wholeText(text);
  if (index !== null) return index < catalog.count ? index : null;
  if (text.startsWith("d:")) return drawingForm(text) ? ["drawn", text] : null;
  const at = text.indexOf("@");
  const body = at < 0 ? text : text.slice(0, at);
  const source = (at < 0 ? "" : text.slice(at + 1)) || model;
  if (!(source in catalog.models) || body.length > URL_RULES.endpointLimit) return null;
  const colon = body.lastIndexOf(":");
  const map = colon < 0 ? "plane" : body.slice(0, colon);
  const point = pointText(colon < 0 ? body : body.slice(colon + 1), URL_RULES.planeLimit);
  if (!point || (map !== "plane" && map !== "pca") || !catalog.models[source].maps.includes(map)) return null;
  return [map, point[0], point[1], source === model ? null : source];
}

/** explorer/share.py ref_text. @param {EndpointRef} ref @param {string} model */
export function refText(ref, model) {
  if (typeof ref === "number") return String(ref);
  if (ref[0] === "drawn") return ref[1];
  const [map, x, y, source] = ref;
  return `${map}:${fixed2(x)},${fixed2(y)}${source && source !== model ? `@${source}` : ""}`;
}

/** explorer/share.py mr_step: the slider's step nearest to β, ties up, within its range. @param {number} beta */
export function mrStep(beta) {
  const [low, high] = URL_RULES.mrRange.map((end) => Math.round(URL_RULES.mrSteps * Math.log10(end)));
  return Math.min(high, Math.max(low, Math.floor(URL_RULES.mrSteps * Math.log10(beta) + 0.5)));
}

/** explorer/share.py mr_text: a step's β to 3 significant digits, no trailing zeros. @param {number} step */
export function mrText(step) {
  const steps = URL_RULES.mrSteps;
  const decimals = step < -steps ? 4 : step < 0 ? 3 : step < steps ? 2 : 1;
  return (10 ** (step / steps)).toFixed(decimals).replace(/0+$/, "").replace(/\.$/, "");
}

/**
 * explorer/share.py mr_beta: a slider's β (a number, or a link's plain decimal) snapped to its step, or null.
 * @param {unknown} value @returns {number | null}
 */
export function mrBeta(value) {
  let beta = value;
  if (typeof beta === "string") {
    if (beta.length > URL_RULES.mrTextLimit || !NUMBER.test(beta)) return null;
    beta = Number(beta);
  }
  if (typeof beta !== "number" || !Number.isFinite(beta)) return null;
  if (beta < URL_RULES.mrRange[0] || beta > URL_RULES.mrRange[1]) return null;
  return Number(mrText(mrStep(beta)));
}

/** The view a first visit gets. @param {Catalog} catalog @returns {UrlView} */
export function defaultView(catalog) {
  const names = Object.keys(catalog.models);
  const model = URL_RULES.defaultModel in catalog.models ? URL_RULES.defaultModel : names[0];
  return {
    model,
    map: catalog.models[model].maps[0],
    method: "linear",
    frames: 10,
    compare: false,
    backdrop: true,
    page: "explore",
    samples: 0,
    eps: 0,
    probe: null,
    a: null,
    b: null,
    mr: null,
  };
}

/**
 * explorer/share.py parse_query: the view a URL asks for, and one warning per value it could not use.
 * @param {Iterable<[string, string]>} params @param {Catalog} catalog
 * @returns {{view: UrlView, warnings: UrlWarning[], query: Record<string, string>}} `query`: the link written back
 */
export function parseQuery(params, catalog) {
  /** @type {Record<string, string>} */
  const value = {};
  for (const [key, text] of params) value[key] = text; // the last of a repeated key wins
  const view = defaultView(catalog);
  /** @type {UrlWarning[]} */
  const warnings = [];
  const has = (/** @type {string} */ key) => Object.hasOwn(value, key);
  const warn = (/** @type {string} */ key, /** @type {string} */ why) => warnings.push({ key, value: value[key], why });
  if (has("model")) {
    if (Object.hasOwn(catalog.models, value.model)) {
      view.model = value.model;
      view.map = catalog.models[view.model].maps[0];
    } else warn("model", `is not shipped; choose from ${Object.keys(catalog.models).sort().join(", ")}`);
  }
  const maps = catalog.models[view.model].maps;
  if (has("map")) {
    if (maps.includes(value.map)) view.map = value.map;
    else warn("map", `does not exist for ${view.model}; choose from ${maps.join(", ")}`);
  }
  if (has("method")) {
    if (METHODS.includes(value.method)) view.method = value.method;
    else warn("method", `is not one of ${METHODS.join(", ")}`);
  }
  if (has("frames")) {
    const frames = wholeText(value.frames);
    if (frames !== null && frames >= FRAMES_RANGE[0] && frames <= FRAMES_RANGE[1]) view.frames = frames;
    else warn("frames", `must be a whole number from ${FRAMES_RANGE[0]} to ${FRAMES_RANGE[1]}`);
  }
  for (const key of /** @type {const} */ (["compare", "backdrop"])) {
    if (!has(key)) continue;
    if (value[key] === "0" || value[key] === "1") view[key] = value[key] === "1";
    else warn(key, "must be 0 or 1");
  }
  if (has("mr")) {
    const beta = mrBeta(value.mr);
    if (beta !== null) view.mr = beta;
    else warn("mr", `must be a number from ${URL_RULES.mrRange[0]} to ${URL_RULES.mrRange[1]} (the β slider's range)`);
  }
  if (has("page")) {
    if (URL_RULES.pages.includes(value.page)) view.page = value.page;
    else warn("page", `is not one of ${URL_RULES.pages.join(", ")}`);
  }
  const [low, high] = URL_RULES.seedRange;
  for (const key of /** @type {const} */ (["samples", "eps"])) {
    if (!has(key)) continue;
    const seed = wholeText(value[key]);
    if (seed !== null && seed >= low && seed <= high) view[key] = seed;
    else warn(key, `must be a whole number from ${low} to ${high}`);
  }
  if (has("probe")) {
    const point = pointText(value.probe, URL_RULES.planeLimit);
    if (point) view.probe = point;
    else warn("probe", `must be two numbers x,y with |x|, |y| <= ${URL_RULES.planeLimit}`);
  }
  for (const end of /** @type {const} */ (["a", "b"])) {
    if (!has(end)) continue;
    const ref = endpointRef(value[end], catalog, view.model);
    if (ref !== null) view[end] = ref;
    else
      warn(
        end,
        `must be a test-digit index from 0 to ${catalog.count - 1}, a map point such as pca:0.50,-1.20, or a drawing this page wrote`,
      );
  }
  return { view, warnings, query: toQuery(view) };
}

/** explorer/share.py to_query: defaults for seeds and flags left out. @param {UrlView} view */
export function toQuery(view) {
  /** @type {Record<string, string>} */
  const query = { model: view.model, map: view.map, method: view.method, frames: String(view.frames) };
  if (view.compare) query.compare = "1";
  if (!view.backdrop) query.backdrop = "0";
  if (view.page !== "explore") query.page = view.page;
  if (view.samples) query.samples = String(view.samples);
  if (view.eps) query.eps = String(view.eps);
  if (view.probe) query.probe = `${fixed2(view.probe[0])},${fixed2(view.probe[1])}`;
  if (view.mr !== null && view.mr !== undefined) query.mr = mrText(mrStep(view.mr));
  if (view.a !== null) query.a = refText(view.a, view.model);
  if (view.b !== null) query.b = refText(view.b, view.model);
  return query;
}

/**
 * explorer/safe_text.py cut: the value on one line, controls shown as U+FFFD, at most `limit` characters.
 * @param {string} value @param {number} [limit]
 */
export function cut(value, limit = URL_RULES.quoteLimit) {
  const text = [...value]
    .map((char) =>
      /[\t\n\r\v\f\u2028\u2029]/.test(char) ? " " : /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(char) ? "\ufffd" : char,
    )
    .join("");
  const chars = [...text];
  return chars.length <= limit ? text : chars.slice(0, limit - 1).join("") + URL_RULES.ellipsis;
}

/**
 * explorer/share.py drawing_from_text: the 28 x 28 picture (values in [0, 1]) a drawing's link text holds, or
 * null for anything else. Bounded as there: at most drawingLimit characters in, drawingBytes bytes out (the
 * inflater stops reading past them, so a zip bomb costs nothing).
 * @param {string} text @returns {Promise<Float32Array | null>}
 */
export async function drawingFromText(text) {
  if (!drawingForm(text)) return null;
  const payload = text.slice(2).replaceAll("-", "+").replaceAll("_", "/");
  let compressed;
  try {
    compressed = Uint8Array.from(atob(payload + "=".repeat((4 - (payload.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const limit = URL_RULES.drawingBytes;
  const packed = new Uint8Array(limit + 1);
  let filled = 0;
  try {
    const reader = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.length > limit) {
        await reader.cancel();
        return null;
      }
      packed.set(value, filled);
      filled += value.length;
    }
  } catch {
    return null; // not zlib, or trailing bytes after its end
  }
  if (filled !== limit) return null;
  const levels = URL_RULES.drawingLevels - 1;
  const picture = new Float32Array(2 * limit);
  for (let i = 0; i < limit; i++) {
    picture[2 * i] = (packed[i] >> 4) / levels;
    picture[2 * i + 1] = (packed[i] & 15) / levels;
  }
  return picture;
}
