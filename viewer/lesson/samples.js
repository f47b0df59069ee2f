// The rows of decoded N(0, I) draws: per row a label and a strip of pictures, under each the digit the
// classifier reads there. A narrow column shows fewer pictures rather than smaller ones.

import { SIDE } from "../core/decoder.js";
import { element, sizeCanvas } from "../core/dom.js";
import { image } from "../core/fetch.js";

const MIN_TILE_PX = 28; // the smallest picture
const MAX_TILE_PX = 48;
const LABEL_PX = 13; // the room under a picture for its digit
const READ_COLOUR = "#1e8e3e";

/** @typedef {import("./types.js").SampleRow} SampleRow */
/** @typedef {import("./build.js").ColumnNodes} ColumnNodes */

/**
 * A drawn row: `width` is the column width it was drawn for, `shown` how many pictures it shows.
 * @typedef {{box: HTMLDivElement, canvas: HTMLCanvasElement, row: SampleRow, width: number, shown: number}} RowView
 */

/**
 * A key that changes when the rows' pictures or labels do.
 * @param {SampleRow[]} samples
 */
export function rowsKey(samples) {
  return samples.map((row) => row.strip + row.label).join("|");
}

/**
 * Replaces `rows` (removed from the page) by one per sample row, each drawn once its strip has loaded.
 * @param {ColumnNodes[]} columns @param {RowView[]} rows @param {SampleRow[]} samples @returns {RowView[]}
 */
export function buildRows(columns, rows, samples) {
  for (const old of rows) old.box.remove();
  return samples.map((row) => {
    const box = element(columns[row.side].column, "div", "lp-row");
    element(box, "div", "lp-row-label", row.label);
    const canvas = element(box, "canvas", "lp-strip");
    /** @type {RowView} */
    const view = { box, canvas, row, width: 0, shown: 0 };
    image(row.strip).promise.then(
      () => drawStrip(view),
      () => {},
    );
    return view;
  });
}

/**
 * Draws a row's pictures at the width of its column (nothing while the strip is loading or hidden).
 * @param {RowView} view
 */
export function drawStrip(view) {
  const { canvas, row } = view;
  const width = view.box.clientWidth;
  const source = image(row.strip);
  if (!width || !source.ready) return;
  const count = Math.max(1, Math.min(row.reads.length, Math.floor(width / MIN_TILE_PX)));
  const tile = Math.min(MAX_TILE_PX, Math.floor(width / count));
  const context = sizeCanvas(canvas, tile * count, tile + LABEL_PX);
  context.clearRect(0, 0, tile * count, tile + LABEL_PX);
  context.imageSmoothingEnabled = false;
  context.font = "11px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "top";
  for (let i = 0; i < count; i++) {
    context.drawImage(source.image, i * SIDE, 0, SIDE, SIDE, i * tile + 1, 0, tile - 2, tile - 2);
    const read = row.reads[i];
    if (read >= 0) {
      context.fillStyle = READ_COLOUR;
      context.fillRect(i * tile + 1, tile - 1, tile - 2, 2);
      context.fillText(String(read), i * tile + tile / 2, tile + 1);
    }
  }
  view.shown = count;
  view.width = width;
}

/**
 * Redraws the rows whose column changed width since they were drawn.
 * @param {RowView[]} rows
 */
export function refitRows(rows) {
  for (const view of rows) if (view.width !== view.box.clientWidth) drawStrip(view);
}
