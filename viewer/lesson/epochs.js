// What the screen says about the epoch shown, apart from the planes: the player's label, and the rows of
// decoded draws, whose pictures and figures are the trained models' (the snapshots keep no weights to decode
// draws with). At an earlier epoch every row says so and its pictures are dimmed; the z = 2 rows add the
// share that epoch's snapshot measured. At epoch 0 the label says what the data show: both planes are the
// untrained network's (explorer/lesson_assets.py same_start measures it).

import { frameAt } from "./manifest.js";

/** @typedef {import("./types.js").LessonData} LessonData */
/** @typedef {import("./samples.js").RowView} RowView */

/**
 * The player's label: "epoch 12", or at the first snapshot "epoch 0: both untrained, the same starting network".
 * @param {LessonData} data @param {number} epoch @param {number} index  the epoch's place among the snapshots
 */
export function epochLabel(data, epoch, index) {
  const start = index === 0 && data.text.start ? `: ${data.text.start}` : "";
  return `${data.text.epoch} ${epoch}${start}`;
}

/**
 * Labels every row for `epoch`; `last`: the shipped models are shown (the rows' own epoch). The row that
 * follows β (`beta`, its label written by beta.js) is marked like the z = 20 rows: "(after training)".
 * @param {LessonData} data @param {RowView[]} rows @param {number} epoch @param {boolean} last
 */
export function labelRows(data, rows, epoch, last) {
  for (const view of rows) {
    let text = view.row.label;
    const model = data.planes.models[view.row.side];
    if (!last && view.row.latent === 2 && model) {
      const frame = frameAt(model, epoch);
      // The pictures are the trained model's (dimmed): the label says so before the epoch's own share, which a
      // reader otherwise took for the share of the readable pictures beside it.
      text += ` (these draws, ${data.text.after_training}); at epoch ${frame.epoch}: ${frame.readable_text} readable`;
    } else if (!last) {
      text += ` (${data.text.after_training})`; // no snapshots of these models: only the planes move
    }
    if (view.label.textContent !== text) view.label.textContent = text;
    dimRow(view.box, epoch, last);
  }
}

/**
 * The suffix of the β row's label at `epoch` ("" at the trained models'), and its pictures dimmed like the others.
 * @param {LessonData} data @param {HTMLElement} box @param {number} epoch @param {boolean} last
 */
export function betaSuffix(data, box, epoch, last) {
  dimRow(box, epoch, last);
  return last ? "" : ` (${data.text.after_training})`;
}

/** data-epoch on a row's box: its strip is dimmed (lesson.css) while another epoch is shown. */
function dimRow(/** @type {HTMLElement} */ box, /** @type {number} */ epoch, /** @type {boolean} */ last) {
  const value = last ? "" : String(epoch);
  if (box.dataset.epoch !== value) box.dataset.epoch = value;
}
