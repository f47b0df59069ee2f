// The digit classifier, loaded once per URL per page for every part of the viewer (the static host's strip
// readings, the β slider's strip, the lesson's probes): its blob fetched and unpacked once (core/classifier.js
// makeClassifier). A load that fails (the fetch, or a blob that does not unpack) is forgotten whole, so the next
// call fetches again; a rejected promise is never kept. It keeps no copy of the blob in core/fetch.js's cache: a
// blob that did not unpack would be handed back from there unchanged.

import { makeClassifier } from "./classifier.js";

/**
 * @typedef {object} ClassifierLoad
 * @property {Promise<import("./classifier.js").Classifier>} promise
 * @property {import("./classifier.js").Classifier | null} value   the classifier once made, else null
 */

/** @type {Map<string, ClassifierLoad>} blob URL -> its load, while it has not failed */
const loads = new Map();

/** The load of the classifier at `url`: started on the first call, and again after a failure. @param {string} url */
export function classifierLoad(url) {
  let found = loads.get(url);
  if (!found) {
    /** @type {ClassifierLoad} */
    const made = { value: null, promise: Promise.resolve(/** @type {any} */ (null)) };
    made.promise = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        made.value = makeClassifier(buffer);
        return made.value;
      });
    made.promise.catch(() => {
      if (loads.get(url) === made) loads.delete(url);
    });
    loads.set(url, made);
    found = made;
  }
  return found;
}

/** The classifier at `url`, once loaded. @param {string} url */
export function loadClassifier(url) {
  return classifierLoad(url).promise;
}

/**
 * The classifier at `url` if it has loaded, else null (its promise goes into `waits`, for a caller that redraws
 * once it is in). @param {string} url @param {Promise<unknown>[]} [waits]
 */
export function loadedClassifier(url, waits) {
  const found = classifierLoad(url);
  if (!found.value) waits?.push(found.promise);
  return found.value;
}
