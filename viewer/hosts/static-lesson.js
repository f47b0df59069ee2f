// The static host's part for the lesson: it plays what sections/lesson.py does on the Streamlit page (the
// seeds, the probed point, the events), with the same rules: a probe is two finite numbers within the URL's
// bound, rounded to 0.01; a seed wraps within the URL's range. The lesson itself (viewer/lesson/) computes
// everything it shows from site.json's `lesson` (explorer/lesson_assets.py lesson_data).

import { URL_RULES } from "../core/constants.js";
import { round2 } from "../core/share.js";

/** @typedef {{serial?: number, type?: string, x?: unknown, y?: unknown, pending?: unknown[]}} LessonEvent */

export const LESSON_KEY = "lesson-planes"; // sections/lesson.py KEY: the same event serials' names

export class LessonSession {
  /** @param {any} lesson site.json's lesson @param {import("../core/share.js").UrlView} view the link's */
  constructor(lesson, view) {
    this.lesson = lesson;
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
    } else if (event.type === "samples") this.seeds.samples = next(this.seeds.samples);
    else if (event.type === "eps") this.seeds.eps = next(this.seeds.eps);
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
      preset: null,
    };
  }

  /** The link's lesson fields. @returns {{samples: number, eps: number, probe: [number, number] | null}} */
  urlFields() {
    return { ...this.seeds, probe: this.probe ? [this.probe.x, this.probe.y] : null };
  }
}
