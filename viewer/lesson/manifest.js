// Reading the planes' manifest (types.js LessonPlanes): the epochs, the frame shown at one, what changed.

/** @typedef {import("./types.js").LessonPlanes} LessonPlanes */
/** @typedef {import("./types.js").LessonModel} LessonModel */
/** @typedef {import("./types.js").LessonFrame} LessonFrame */

/**
 * The epochs the player steps through: the first model's snapshots.
 * @param {LessonPlanes} planes @returns {number[]}
 */
export function epochsOf(planes) {
  return planes.models[0].frames.map((frame) => frame.epoch);
}

/**
 * The frame of `model` at `epoch`: the latest one at or before it (the models may differ in snapshots).
 * @param {LessonModel} model @param {number} epoch @returns {LessonFrame}
 */
export function frameAt(model, epoch) {
  let found = model.frames[0];
  for (const frame of model.frames) if (frame.epoch <= epoch) found = frame;
  return found;
}

/**
 * A key that changes when the models' snapshots do (a new family): the player then starts anew.
 * @param {LessonPlanes} planes
 */
export function snapshotsKey(planes) {
  return planes.models.map((model) => model.frames.map((frame) => frame.mosaic).join()).join("|");
}

/**
 * The test codes' indices per digit, from their labels, so each digit's codes are drawn in one colour run.
 * @param {Uint8Array} labels @param {number} digits @returns {number[][]}
 */
export function indicesByDigit(labels, digits) {
  /** @type {number[][]} */
  const byDigit = Array.from({ length: digits }, () => []);
  labels.forEach((label, i) => {
    byDigit[label].push(i);
  });
  return byDigit;
}
