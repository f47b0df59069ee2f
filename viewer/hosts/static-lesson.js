// The static host's part for the lesson: it plays what sections/lesson.py does on the Streamlit page (the
// seeds, the probed point, the events), with the same rules: a probe is two finite numbers within the URL's
// bound, rounded to 0.01; a seed wraps within the URL's range. The lesson itself (viewer/lesson/) computes
// everything it shows from site.json's `lesson` (explorer/lesson_assets.py lesson_data).

import { URL_RULES } from "../core/constants.js";
import { parseQuery, round2 } from "../core/share.js";

/**
 * @typedef {{serial?: number, type?: string, x?: unknown, y?: unknown, index?: unknown, pending?: unknown[]}}
 *   LessonEvent
 */

/** @typedef {{title: string, line: string, caption: string}} PresetShown  a preset's words, where it lands */

export const LESSON_KEY = "lesson-planes"; // sections/lesson.py KEY: the same event serials' names

export class LessonSession {
  /**
   * @param {any} lesson site.json's lesson @param {import("../core/share.js").UrlView} view the link's
   * @param {import("../core/share.js").Catalog} catalog what a link may name
   */
  constructor(lesson, view, catalog) {
    this.lesson = lesson;
    this.catalog = catalog;
    /** @type {{title: string, line: string, caption: string} | null} the preset last applied, shown where it lands */
    this.preset = null;
    /** @type {{query: Record<string, string>, shown: PresetShown} | null} a preset that opens the map: the page goes there */
    this.leave = null;
    this.seeds = { samples: view.samples, eps: view.eps };
    /** @type {{x: number, y: number, drawn: boolean} | null} */
    this.probe = view.probe ? { x: view.probe[0], y: view.probe[1], drawn: false } : null;
    this.ack = 0;
  }

  /** A message from the lesson: every event it carries that this session has not handled, oldest first. */
  take(/** @type {LessonEvent} */ message) {
    const events = [...(Array.isArray(message.pending) ? message.pending : []), message];
    for (const event of /** @type {LessonEvent[]} */ (events)) {
      if (!event || typeof event.serial !== "number" || event.serial <= this.ack) continue;
      this.ack = event.serial;
      this.apply(event);
    }
  }

  /** @param {LessonEvent} event */
  apply(event) {
    const next = (/** @type {number} */ seed) => (seed + 1) % (URL_RULES.seedRange[1] + 1);
    if (event.type === "probe" || event.type === "draw") {
      const { x, y } = event;
      const limit = URL_RULES.planeLimit;
      if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) return;
      if (Math.abs(x) > limit || Math.abs(y) > limit) return;
      this.probe = { x: round2(x), y: round2(y), drawn: event.type === "draw" };
      this.preset = null;
    } else if (event.type === "preset") this.applyPreset(event.index);
    else if (event.type === "samples") this.seeds.samples = next(this.seeds.samples);
    else if (event.type === "eps") this.seeds.eps = next(this.seeds.eps);
  }

  /** A "Show me" preset by its index: its view, exactly as its link would open it. @param {unknown} index */
  applyPreset(index) {
    const preset = typeof index === "number" ? this.lesson.presets[index] : undefined;
    if (!preset) return;
    const { view } = parseQuery(Object.entries(preset.query), this.catalog);
    if (view.page !== "lesson") {
      this.leave = { query: preset.query, shown: { title: preset.title, line: preset.line, caption: preset.caption } };
      return;
    }
    this.seeds = { samples: view.samples, eps: view.eps };
    this.probe = view.probe ? { x: view.probe[0], y: view.probe[1], drawn: false } : null;
    this.preset = { title: preset.title, line: preset.line, caption: preset.caption };
  }

  /** What the lesson is handed (types.js LessonData). */
  data() {
    return {
      ...this.lesson,
      name: LESSON_KEY,
      ack: this.ack,
      seeds: { ...this.seeds },
      probe: this.probe ? { ...this.probe } : null,
      digit: null,
      preset: this.preset,
    };
  }

  /** The link's lesson fields. @returns {{samples: number, eps: number, probe: [number, number] | null}} */
  urlFields() {
    return { ...this.seeds, probe: this.probe ? [this.probe.x, this.probe.y] : null };
  }
}
