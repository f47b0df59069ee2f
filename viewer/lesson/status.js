// The lesson's test interface (docs/lesson.md "The test interface"): what tests and benchmarks may read,
// written here only. Data attributes on the root say what is shown; each plane's canvas says where its data
// went (plane.js) and its hover tip which point it decoded (pointer.js); a performance mark times each
// complete drawing of both planes.

const PLANES_MARK = "lesson:planes"; // benchmarks/lesson_speed.py reads it by this name
const MAX_MARKS = 1000; // marks kept: cleared past this many (a benchmark reads the newest)

/**
 * @typedef {object} Shown
 * @property {number} epoch        the epoch shown
 * @property {number} epochIndex   its index among `epochs`
 * @property {number[]} epochs     every snapshot's epoch, oldest first (the last: the shipped models)
 * @property {import("./types.js").Scale} scale
 * @property {boolean} codesShown
 * @property {boolean} playing
 * @property {number} planeDraws     drawings of the planes so far, complete or not
 * @property {number} completeDraws  complete drawings so far (every picture and code had arrived)
 */

/**
 * Writes what the lesson shows onto its root: data-epoch, data-epoch-index, data-epochs ("0,1,2,..."),
 * data-scale ("same" | "own"), data-codes ("shown" | "hidden"), data-playing, data-plane-draws, data-complete-draws.
 * @param {HTMLElement} root @param {Shown} shown
 */
export function writeStatus(root, shown) {
  const { dataset } = root;
  dataset.epoch = String(shown.epoch);
  dataset.epochIndex = String(shown.epochIndex);
  dataset.epochs = shown.epochs.join(",");
  dataset.scale = shown.scale;
  dataset.codes = shown.codesShown ? "shown" : "hidden";
  dataset.playing = String(shown.playing);
  dataset.planeDraws = String(shown.planeDraws);
  dataset.completeDraws = String(shown.completeDraws);
}

/**
 * A complete drawing of both planes: data-complete="epoch:scale" on the root, and a performance mark
 * PLANES_MARK whose detail is {epoch, scale}.
 * @param {HTMLElement} root @param {number} epoch @param {import("./types.js").Scale} scale
 */
export function markComplete(root, epoch, scale) {
  root.dataset.complete = `${epoch}:${scale}`;
  if (performance.getEntriesByName(PLANES_MARK, "mark").length >= MAX_MARKS) performance.clearMarks(PLANES_MARK);
  performance.mark(PLANES_MARK, { detail: { epoch, scale } });
}
