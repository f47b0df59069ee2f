// What the lesson waits for: its arrays over HTTP (core/fetch.js caches them for the page's life), retried
// on failure, and its timers, so that destroying the lesson stops them all.

import { blob, image } from "../core/fetch.js";
import { frameAt } from "./manifest.js";

const RETRY_MS = 2000; // an array that failed to arrive is asked for again after this long

/** @typedef {import("./types.js").LessonModel} LessonModel */

export class Arrivals {
  constructor() {
    /** @type {Set<Promise<unknown>>} the arrivals a callback waits for */
    this.awaiting = new Set();
    /** @type {Set<ReturnType<typeof setTimeout>>} */
    this.timers = new Set();
  }

  /** Runs `then` after RETRY_MS, unless cleared first. @param {() => void} then */
  later(then) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      then();
    }, RETRY_MS);
    this.timers.add(timer);
  }

  /**
   * Runs `then` once `promise` settles (RETRY_MS after, if it failed: the caller asks anew), once per promise.
   * @param {Promise<unknown>} promise @param {() => void} then
   */
  whenArrived(promise, then) {
    if (this.awaiting.has(promise)) return;
    this.awaiting.add(promise);
    const done = () => {
      this.awaiting.delete(promise);
      then();
    };
    promise.then(done, () => this.later(done));
  }

  clear() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.awaiting.clear();
  }
}

/**
 * Fetches the mosaics and codes of `epoch` first, then, once they are in (`shown` is called), every other
 * epoch's, so a scrub finds them. A failure is left to the drawing, which asks again for what is missing.
 * @param {LessonModel[]} models @param {number} epoch @param {() => void} shown
 */
export function fetchFrames(models, epoch, shown) {
  const first = models.flatMap((model) => {
    const frame = frameAt(model, epoch);
    return [image(frame.mosaic).promise, blob(frame.mu).promise];
  });
  Promise.all(first).then(
    () => {
      shown();
      for (const frame of models.flatMap((model) => model.frames)) {
        image(frame.mosaic).promise.catch(() => {});
        blob(frame.mu).promise.catch(() => {});
      }
    },
    () => {},
  );
}

/**
 * Fetches `urls` into the caches the lesson reads (prefetchLesson). Only URLs of the page's own origin; PNGs
 * as images, the rest as blobs.
 * @param {unknown} urls
 */
export function prefetchArrays(urls) {
  for (const url of Array.isArray(urls) ? urls : []) {
    if (typeof url !== "string" || new URL(url, window.location.href).origin !== window.location.origin) continue;
    if (url.endsWith(".png")) image(url).promise.catch(() => {});
    else blob(url).promise.catch(() => {}); // the lesson asks again if this one failed
  }
}
