// What the Streamlit server does with the explorer's events, done in the browser for the static site: the
// view and the two endpoints, their rules (explorer/state.py Endpoints, sections/map.py take_events and
// apply_controls), and the data the widget draws from. The widget itself is the same in both hosts.

import { FRAMES_RANGE, PATH_METHODS, URL_RULES } from "../core/constants.js";
import { mrBeta, pointText } from "../core/share.js";
import { pointEnd, testLabel } from "../explore/endpoints.js";

/**
 * @typedef {import("../core/share.js").UrlView} UrlView
 * @typedef {import("../core/share.js").EndpointRef} EndpointRef
 * @typedef {import("../explore/types.js").SentEnd} SentEnd
 * @typedef {import("../explore/types.js").ViewData} ViewData
 * @typedef {{serial: number, type: string} & Record<string, any>} Event
 * @typedef {object} Site                      what export.py writes into site.json
 * @property {string} title
 * @property {string} tagline
 * @property {any} explorer                    explorer/viewer_data.py family_data
 * @property {import("../core/share.js").Catalog} catalog
 * @property {{model: string, method: string, frames: number, a: number, b: number, hint: string} | null} showcase
 * @property {string} pickHint
 * @property {{encoders: Record<string, string>, classifier: string | null}} inference   URLs of the networks
 */

const METHODS = PATH_METHODS.map((m) => m[0]);
const NAME = "static-explorer";

/** The endpoint of a URL ref that this host can show now (a drawing's needs its encoder: null). */
export class ExploreSession {
  /** @param {Site} site @param {Uint8Array} labels @param {UrlView} view */
  constructor(site, labels, view) {
    this.site = site;
    this.labels = labels;
    /** @type {ViewData} */
    this.view = {
      model: view.model,
      map: view.map,
      method: view.method,
      frames: view.frames,
      compare: view.compare,
      backdrop: view.backdrop,
      mr: view.mr,
    };
    /** @type {{a: SentEnd | null, b: SentEnd | null}} */
    this.ends = { a: this.fromRef(view.a), b: this.fromRef(view.b) };
    this.showcase = false;
    this.ack = 0;
    /** @type {import("../explore/types.js").Reading | null} the classifier's reading, once computed */
    this.reading = null;
    /** @type {Record<string, import("../explore/types.js").Reading>} comparing β: each model's reading */
    this.readings = {};
    /** @type {Record<string, {key: string, codes: number[][], report?: any}>} geodesics computed here, by model */
    this.paths = {};
    /** @type {SentEnd | null} the visitor's latest drawing (the map's star) */
    this.drawn = null;
    /** @type {Map<string, string>} a drawing's id -> its text in a link (explorer/share.py drawing_text) */
    this.links = new Map();
    /** @type {string[]} what could not be used, for the page to say */
    this.problems = [];
  }

  /** Opens on the first visit's pair, as the Streamlit page does (the default model, no endpoint in the link). */
  openOnShowcase() {
    const showcase = this.site.showcase;
    if (!showcase || showcase.model !== this.view.model || showcase.model !== URL_RULES.defaultModel) return;
    this.ends = { a: this.test(showcase.a), b: this.test(showcase.b) };
    this.showcase = true;
  }

  /** @param {number} index @returns {SentEnd} */
  test(index) {
    return { kind: "test", index, id: `t${index}`, label: testLabel(index, this.labels[index]) };
  }

  /** @param {EndpointRef | null} ref @returns {SentEnd | null} */
  fromRef(ref) {
    if (ref === null) return null;
    if (typeof ref === "number") return this.test(ref);
    if (ref[0] === "drawn") return null; // a drawing needs the encoder, which this host does not load yet
    const [map, x, y, source] = ref;
    const end = pointEnd(map, x, y, source || this.view.model);
    return { kind: "point", id: end.id, label: end.label, map, x: end.x, y: end.y, source: end.source };
  }

  /** The visitor's drawing (or photo) as endpoint `which`, as the Streamlit page's "Use as A/B" does. */
  useDrawing(/** @type {{end: SentEnd, link: string}} */ drawn, /** @type {"a" | "b"} */ which) {
    this.links.set(drawn.end.id, drawn.link);
    this.drawn = drawn.end;
    this.ends = { ...this.ends, [which]: drawn.end };
    this.showcase = false;
  }

  /** Test digit `index` as endpoint `which` (the Find panel's Set A / Set B and its neighbours). */
  useTest(/** @type {number} */ index, /** @type {"a" | "b"} */ which) {
    this.ends = { ...this.ends, [which]: this.test(index) };
    this.showcase = false;
  }

  /** A random pair replaces both endpoints. */
  usePair(/** @type {number} */ a, /** @type {number} */ b) {
    this.ends = { a: this.test(a), b: this.test(b) };
    this.showcase = false;
  }

  /** A message from the widget: every event it carries that this session has not handled, oldest first. */
  take(/** @type {Event & {pending?: Event[]}} */ message) {
    const events = [...(Array.isArray(message.pending) ? message.pending : []), message];
    for (const event of events) {
      if (!event || typeof event.serial !== "number" || event.serial <= this.ack) continue;
      this.ack = event.serial;
      const problem = this.apply(event);
      if (problem) this.problems.push(`A map event could not be used: ${problem}.`);
    }
  }

  /** Applies one event; returns what was wrong with it, or null. @param {Event} event */
  apply(event) {
    const { ends } = this;
    const use = (/** @type {SentEnd} */ end) => {
      if (!ends.a) ends.a = end;
      else if (!ends.b) ends.b = end;
      else this.ends = { a: end, b: null };
      this.showcase = false;
    };
    if (event.type === "view") return this.applyView(event);
    if (event.type === "swap") this.ends = { a: ends.b, b: ends.a };
    else if (event.type === "clear") this.ends = { a: null, b: null };
    else if (event.type === "pick" || (event.type === "set" && !("map" in event))) {
      const index = event.index;
      if (!Number.isInteger(index) || index < 0 || index >= this.site.catalog.count) return "no such test digit";
      if (event.type === "pick") use(this.test(index));
      else if (event.end === "a" || event.end === "b")
        this.ends[/** @type {"a" | "b"} */ (event.end)] = this.test(index);
      else return "an endpoint is A or B";
    } else if (event.type === "point" || event.type === "set") {
      const end = this.point(event);
      if (typeof end === "string") return end;
      if (event.type === "point") use(end);
      else if (event.end === "a" || event.end === "b") this.ends[/** @type {"a" | "b"} */ (event.end)] = end;
      else return "an endpoint is A or B";
    }
    if (event.type !== "pick" && event.type !== "point") this.showcase = false;
    return null;
  }

  /** A point of the map shown (the plane inside its extent, or anywhere near a PCA map), or what is wrong. */
  point(/** @type {Event} */ event) {
    const { model, map } = this.view;
    if (event.map !== map || !URL_RULES.pointMaps.includes(map))
      return "a point of another map cannot be an endpoint here";
    const xy =
      typeof event.x === "number" && typeof event.y === "number"
        ? pointText(`${event.x},${event.y}`, URL_RULES.planeLimit)
        : null;
    const extent = this.site.explorer.mapInfo[model][map].extent;
    if (
      !xy ||
      (map === "plane" && !(extent[0] <= xy[0] && xy[0] <= extent[1] && extent[2] <= xy[1] && xy[1] <= extent[3]))
    ) {
      return "the point is outside the map";
    }
    const end = pointEnd(map, xy[0], xy[1], model);
    return /** @type {SentEnd} */ ({
      kind: "point",
      id: end.id,
      label: end.label,
      map,
      x: end.x,
      y: end.y,
      source: model,
    });
  }

  /** The controls, checked as explorer/share.py checked_controls does: a value that cannot be used keeps the old
   * one; a map not given or unusable stays if the model is unchanged and has it, else the model's first. */
  applyView(/** @type {Event} */ event) {
    const before = this.view;
    const models = this.site.catalog.models;
    const model = Object.hasOwn(models, event.model) ? event.model : before.model;
    const maps = models[model].maps;
    const frames = event.frames;
    this.view = {
      model,
      map: maps.includes(event.map)
        ? event.map
        : model === before.model && maps.includes(before.map)
          ? before.map
          : maps[0],
      method: METHODS.includes(event.method) ? event.method : before.method,
      frames:
        Number.isInteger(frames) && frames >= FRAMES_RANGE[0] && frames <= FRAMES_RANGE[1] ? frames : before.frames,
      compare: typeof event.compare === "boolean" ? event.compare : before.compare,
      backdrop: typeof event.backdrop === "boolean" ? event.backdrop : before.backdrop,
      // the β slider (explorer/share.py checked_controls): null turns it off, a β out of range keeps the old
      mr: !("mr" in event) ? before.mr : event.mr === null ? null : (mrBeta(event.mr) ?? before.mr),
    };
    return null;
  }

  /** The widget's data now. */
  data() {
    const showcase = this.site.showcase;
    const { model, method, frames } = this.view;
    const showing =
      this.showcase && showcase && showcase.model === model && showcase.method === method && showcase.frames === frames;
    return {
      ...this.site.explorer,
      role: "explorer",
      name: NAME,
      ack: this.ack,
      view: { ...this.view },
      ends: { ...this.ends },
      drawn: this.drawn,
      paths: { ...this.paths },
      reading: this.reading,
      readings: { ...this.readings },
      hint: showing && showcase ? showcase.hint : this.site.pickHint,
    };
  }

  /** The URL's view of the explorer now (explorer/share.py to_query's input). @returns {UrlView} */
  urlView() {
    /** @param {SentEnd | null} end @returns {EndpointRef | null} */
    const ref = (end) => {
      if (!end) return null;
      if (end.kind === "test" && end.index !== undefined) return end.index;
      if (end.kind === "drawn" && this.links.has(end.id))
        return ["drawn", /** @type {string} */ (this.links.get(end.id))];
      if (end.kind === "point" && end.map && end.x !== undefined && end.y !== undefined) {
        return [
          /** @type {"plane" | "pca"} */ (end.map),
          end.x,
          end.y,
          end.source === this.view.model ? null : end.source || null,
        ];
      }
      return null;
    };
    return {
      ...this.view,
      page: "explore",
      samples: 0,
      eps: 0,
      probe: null,
      a: ref(this.ends.a),
      b: ref(this.ends.b),
      mr: this.view.mr ?? null,
    };
  }
}
