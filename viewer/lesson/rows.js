// The rows of decoded N(0, I) draws as one part of the lesson's screen: a row per model and z (samples.js) and the
// row that follows β (beta.js). Laid out once per set of models; each drawing computes what the host's seed still
// lacks once the row's decoder and the classifier are in (compute.js sampleRow), labels every row for the epoch
// shown (epochs.js) and refits the rows to their columns' width. index.js says when: `layout` with each update
// from the host, `show` with each drawing.

import { listen } from "../core/dom.js";
import { buildBetaRow, showBetaRow } from "./beta.js";
import { sampleRow } from "./compute.js";
import { betaSuffix, labelRows } from "./epochs.js";
import { classifierFrom, decoderFrom } from "./models.js";
import { buildRows, fillRow, refitRows } from "./samples.js";

/** @typedef {import("./types.js").LessonData} LessonData */

export class DrawRows {
  /**
   * @param {import("./build.js").ColumnNodes[]} columns  the models' columns the rows go in
   * @param {Array<() => void>} cleanups  where the β slider's listener is kept for the widget's destroy
   * @param {() => void} moved  called when the β slider moves
   */
  constructor(columns, cleanups, moved) {
    this.columns = columns;
    this.cleanups = cleanups;
    this.moved = moved;
    this.key = ""; // which rows are laid out (their models')
    /** @type {import("./samples.js").RowView[]} */
    this.rows = [];
    /** @type {import("./beta.js").BetaView | null} the row that follows β (under both columns) */
    this.betaRow = null;
  }

  /** The rows for `data`, laid out anew only when the models behind them change. @param {LessonData} data */
  layout(data) {
    const key = data.rows.map((row) => `${row.side}:${row.label}:${row.decoder.decoder}`).join("|");
    if (this.key === key) return;
    this.key = key;
    this.rows = buildRows(this.columns, this.rows, data.rows, data.sampleCount);
    this.betaRow?.box.remove();
    this.betaRow = null;
    if (data.betaRow) {
      this.betaRow = buildBetaRow(this.columns[1], data.betaRow, data.sampleCount);
      listen(this.cleanups, this.betaRow.slider, "input", this.moved);
    }
  }

  /**
   * Every row at `epoch` (`last`: the trained models' own epoch): computed for the host's seed where its decoder
   * and the classifier are in, labelled, fitted to its column. Returns what is still on its way (its arrival
   * calls for another drawing).
   * @param {LessonData} data @param {number} epoch @param {boolean} last @returns {Promise<unknown>[]}
   */
  show(data, epoch, last) {
    const key = String(data.seeds.samples);
    /** @type {Promise<unknown>[]} */
    const waits = [];
    const classifier = data.classifier ? classifierFrom(data.classifier, waits) : null;
    for (const view of this.rows) {
      if (view.computed === key) continue;
      const decoder = decoderFrom(view.row.decoder, waits);
      if (!decoder || (data.classifier && !classifier)) continue;
      const { pixels, reads } = sampleRow(decoder, classifier, data.seeds.samples, data.sampleCount, data.readable);
      fillRow(view, pixels, reads, key);
    }
    if (this.betaRow && data.betaRow) {
      const { seeds, sampleCount, readable } = data;
      const suffix = betaSuffix(data, this.betaRow.box, epoch, last);
      showBetaRow(this.betaRow, data.betaRow, classifier, seeds.samples, sampleCount, readable, waits, suffix);
    }
    labelRows(data, this.rows, epoch, last);
    refitRows(this.betaRow ? [...this.rows, this.betaRow.row] : this.rows);
    return waits;
  }
}
