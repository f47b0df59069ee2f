// The rows of decoded N(0, I) draws: per row a label and a strip of pictures, under each the digit the
// classifier reads there. The draws are decoded and read here (compute.js sampleRow) once the row's decoder
// and the classifier have arrived. A narrow column shows fewer pictures rather than smaller ones.

import { PIXELS, SIDE, toGrey } from "../core/decoder.js";
import { element, sizeCanvas } from "../core/dom.js";

const MIN_TILE_PX = 28; // the smallest picture
const MAX_TILE_PX = 48;
const LABEL_PX = 14; // the room under a picture for its digit
const READ_COLOUR = "#1e8e3e";

/** @typedef {import("./types.js").SampleRow} SampleRow */
/** @typedef {import("./build.js").ColumnNodes} ColumnNodes */

/**
 * A row on the page: `width` is the column width it was drawn for, `shown` how many pictures it shows;
 * `strip` holds the decoded draws side by side (28 x 28 each) once computed, `reads` the digits read.
 * @typedef {object} RowView
 * @property {HTMLDivElement} box
 * @property {HTMLDivElement} label
 * @property {HTMLCanvasElement} canvas
 * @property {SampleRow} row
 * @property {HTMLCanvasElement | null} strip
 * @property {number[]} reads
 * @property {string} computed  the key of what `strip` shows ("" when nothing yet)
 * @property {number} count     pictures in the row (its room is kept while they are computed)
 * @property {number} width
 * @property {number} shown
 */

/**
 * Replaces `rows` (removed from the page) by one per sample row of `count` pictures, blank until `fillRow`.
 * @param {ColumnNodes[]} columns @param {RowView[]} rows @param {SampleRow[]} specs @param {number} count
 * @returns {RowView[]}
 */
export function buildRows(columns, rows, specs, count) {
  for (const old of rows) old.box.remove();
  return specs.map((row) => {
    const box = element(columns[row.side].column, "div", "lp-row");
    const label = element(box, "div", "lp-row-label", row.label);
    if (row.title) label.title = row.title;
    const canvas = element(box, "canvas", "lp-strip");
    canvas.dataset.row = `${row.side}:${row.latent}`; // the test interface: which row, and (fillRow) its reads
    /** @type {RowView} */
    const view = { box, label, canvas, row, strip: null, reads: [], computed: "", count, width: 0, shown: 0 };
    drawStrip(view);
    return view;
  });
}

/**
 * Gives a row its decoded draws (count x 784 pixel means) and reads, then draws it.
 * @param {RowView} view @param {Float32Array} pixels @param {number[]} reads @param {string} key
 */
export function fillRow(view, pixels, reads, key) {
  const count = reads.length;
  const strip = document.createElement("canvas");
  strip.width = SIDE * count;
  strip.height = SIDE;
  const rgba = new ImageData(SIDE * count, SIDE);
  const one = new Uint8ClampedArray(4 * PIXELS);
  for (let i = 0; i < count; i++) {
    toGrey(pixels.subarray(i * PIXELS, (i + 1) * PIXELS), one);
    for (let y = 0; y < SIDE; y++) {
      rgba.data.set(one.subarray(4 * SIDE * y, 4 * SIDE * (y + 1)), 4 * (y * SIDE * count + i * SIDE));
    }
  }
  /** @type {CanvasRenderingContext2D} */ (strip.getContext("2d")).putImageData(rgba, 0, 0);
  view.strip = strip;
  view.reads = reads;
  view.computed = key;
  view.canvas.dataset.reads = reads.join(",");
  view.canvas.dataset.key = key;
  drawStrip(view);
}

/**
 * Draws a row's pictures at the width of its column (nothing while they are being computed or hidden).
 * @param {RowView} view
 */
export function drawStrip(view) {
  const { canvas, strip, reads } = view;
  const width = view.box.clientWidth;
  if (!width) return;
  const count = Math.max(1, Math.min(view.count, Math.floor(width / MIN_TILE_PX)));
  const tile = Math.min(MAX_TILE_PX, Math.floor(width / count));
  const context = sizeCanvas(canvas, tile * count, tile + LABEL_PX); // the same room before the pictures come
  context.clearRect(0, 0, tile * count, tile + LABEL_PX);
  view.width = width;
  if (!strip) return;
  context.imageSmoothingEnabled = false;
  context.font = "13px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "top";
  for (let i = 0; i < count; i++) {
    context.drawImage(strip, i * SIDE, 0, SIDE, SIDE, i * tile + 1, 0, tile - 2, tile - 2);
    const read = reads[i];
    if (read >= 0) {
      context.fillStyle = READ_COLOUR;
      context.fillRect(i * tile + 1, tile - 1, tile - 2, 2);
      context.fillText(String(read), i * tile + tile / 2, tile + 1);
    }
  }
  view.shown = count;
}

/**
 * Redraws the rows whose column changed width since they were drawn.
 * @param {RowView[]} rows
 */
export function refitRows(rows) {
  for (const view of rows) if (view.width !== view.box.clientWidth) drawStrip(view);
}
