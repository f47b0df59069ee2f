// Compare all β: the same two endpoints under every model of the shown latent size, one row each, labelled as the
// strip is (readings.js: A, B and the digit the host's classifier reads in each frame, grey with "?" when unsure).
//
// Marks for tests: each row carries data-model (its model's name), its canvas data-ringed (frames in a hole) and
// data-read (its labels, space-separated, as written on it); the box's id is "le-compare" (a link may point at it).

import { element, sizeCanvas } from "../../core/dom.js";
import { refresh } from "../controller.js";
import { codeUnder, decodedFrames, pathFor } from "../endpoints.js";
import { codesInHoles, holeGrid, ringTile } from "../holes.js";
import { loadModel, modelEntry, sameLatent } from "../models.js";
import { hostData } from "../state.js";
import { paintOriginal, paintPixels } from "./paint.js";
import { labelRows, labelTiles, LABEL_PX as READING_PX, READING_WORDS, readingOf } from "./readings.js";
import { formatBeta } from "./toolbar.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../models.js").ModelEntry} ModelEntry
 */

const LABEL_PX = 70; // the row's "β = ..." label
const HEAD = 2; // the title and the line saying what the labels are, above the rows

/**
 * The path's frames under another model and, on a z = 2 plane, which lie in that model's holes; null while a code
 * is missing. @param {ExploreState} state @param {ModelEntry} entry
 */
function betaFrames(state, entry) {
  const decoder = entry.decoder;
  const a = codeUnder(state.view.ends.a, entry);
  const b = codeUnder(state.view.ends.b, entry);
  if (!a || !b || !decoder) return null;
  const path = pathFor(state, entry.manifest.name, a, b);
  const grid = holeGrid(state, entry.manifest.name);
  const holes = grid ? codesInHoles(grid, path.codes) : null;
  // Decoded once per path (endpoints.js decodedFrames: a compare link once held the main thread 8.8 s re-decoding).
  path.frames = decodedFrames(state, decoder, path, a, b, entry.manifest.beta);
  return { frames: path.frames, holes, reading: readingOf(readingFor(state, entry.manifest.name), path) };
}

/**
 * The host's reading of the path under model `name` (comparing β, each model's; the shown model's is also the
 * strip's). @param {ExploreState} state @param {string} name
 */
function readingFor(state, name) {
  const data = hostData(state);
  return data.readings?.[name] ?? (name === state.view.shown.model ? data.reading : null);
}

/**
 * One row: A's own picture, the frames, B's own picture, each under its label (readings.js).
 * @param {ExploreState} state @param {HTMLCanvasElement} canvas @param {Float64Array[]} frames
 * @param {boolean[] | null} holes @param {import("../types.js").Reading | null} reading @param {number} width
 */
function drawRow(state, canvas, frames, holes, reading, width) {
  const count = frames.length + 2;
  const tile = Math.max(14, Math.min(36, Math.floor((width - 4 * count) / count)));
  const rows = labelRows(tile + 2);
  const top = rows * READING_PX; // the tiles' top, under their labels
  const context = sizeCanvas(canvas, count * (tile + 2) + 8, top + tile);
  context.imageSmoothingEnabled = false;
  const scratch = state.dom.tile;
  const boxes = [];
  for (let i = 0; i < count; i++) {
    const end = i === 0 ? state.view.ends.a : i === count - 1 ? state.view.ends.b : null;
    if (end) paintOriginal(state, scratch, end);
    else paintPixels(scratch, frames[i - 1]);
    const x = i * (tile + 2) + (i > 0 ? 4 : 0) + (i === count - 1 ? 4 : 0);
    context.drawImage(scratch, x, top, tile, tile);
    if (!end && holes?.[i - 1]) ringTile(context, x, top, tile);
    boxes.push([x, top, tile]);
  }
  canvas.dataset.ringed = holes ? String(holes.filter(Boolean).length) : "";
  canvas.dataset.read = labelTiles(context, boxes, reading, rows).join(" ");
}

/** @param {ExploreState} state */
export function renderCompare(state) {
  const box = state.dom.compare;
  const { shown, ends } = state.view;
  if (!shown.compare || !ends.a || !ends.b) {
    box.replaceChildren();
    box.style.display = "none";
    return;
  }
  box.style.display = "";
  const models = hostData(state).models;
  const group = sameLatent(models, models[shown.model].latent);
  if (box.childElementCount !== group.length + HEAD) {
    box.replaceChildren();
    box.id = "le-compare";
    element(box, "div", "le-compare-title", "The same two endpoints under every β");
    element(box, "div", "le-compare-words", `Above each frame, ${READING_WORDS}.`);
    for (const manifest of group) {
      const row = element(box, "div", "le-compare-row");
      row.dataset.model = manifest.name;
      element(row, "span", "le-compare-label", manifest.label ?? `β = ${formatBeta(manifest.beta)}`);
      element(row, "canvas", "le-compare-strip");
    }
  }
  const needsCodes = [ends.a, ends.b].some((end) => end?.kind === "test");
  group.forEach((manifest, n) => {
    const row = /** @type {HTMLElement} */ (box.children[n + HEAD]);
    const canvas = /** @type {HTMLCanvasElement} */ (row.children[1]);
    const entry = modelEntry(manifest);
    if (!entry.decoder || (needsCodes && !entry.mu)) {
      loadModel(entry, needsCodes ? ["decoder", "mu"] : ["decoder"]).then(
        () => refresh(state, "compare"),
        () => {},
      );
      row.classList.add("le-loading");
      return;
    }
    row.classList.remove("le-loading");
    row.classList.toggle("le-current", manifest.name === shown.model);
    const found = betaFrames(state, entry);
    if (found) drawRow(state, canvas, found.frames, found.holes, found.reading, row.clientWidth - LABEL_PX);
  });
}
