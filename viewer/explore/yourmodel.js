// "Your model": a visitor drops the .safetensors of a VAE they trained (pytorch/examples' vae/main.py, a
// tutorial's fc1/fc21/fc22/fc3/fc4, any hidden size, latent >= 2) and explores it here: its codes for the
// 10,000 test digits (core/codes.js on the digits' sprite), a PCA map of them (core/projection.js fitPca),
// and morphs between two digits decoded by its decoder (core/decoder.js). Everything runs in this page: the
// file is never sent anywhere, so no other visitor can see it, and both hosts (Streamlit, static) show the same.
// Its β is unknown, so it has no β controls: it is labelled "your model".
//
//   const yours = mountYourModel(parent, () => data.digits);   // the test digits' sprite and labels
//   yours.destroy();
//
// Here the section and its events; yourmodel/ holds the rest: load.js (the file to a model), map.js (its PCA
// map, a click to a digit), strip.js (the morph and its controls), inspect.js (the test interface).
//
// Test interface (docs/your-model.md): the section `.le-yours` carries data-state ("empty", "reading",
// "encoding", "ready", "refused"), data-map-draws and data-strip; a "le:yours" CustomEvent on it fills
// its detail with a snapshot (inspectYours); performance marks "le:yours:start" (the file chosen),
// "le:yours:read", "le:yours:encoded", "le:yours:map" (its map and morph drawn) time an upload.

import { element, listen, useStylesheet } from "../core/dom.js";
import { UploadRefused } from "../core/refusal.js";
import { digitKey } from "./digitkey.js";
import { inspectYours } from "./yourmodel/inspect.js";
import { load, note, yieldFrame } from "./yourmodel/load.js";
import { yourMap } from "./yourmodel/map.js";
import { drawControls, drawStrip } from "./yourmodel/strip.js";

/** @typedef {import("./yourmodel/load.js").YourModel} YourModel */

export const LABEL = "your model";
export const ACCEPT = ".safetensors";
export const CHOOSE = "Choose a .safetensors file";
export const CHOOSE_ANOTHER = "Choose another file";
export const NONE_LOADED = "none loaded";
const STYLES = new URL("./yourmodel.css", import.meta.url).href;

/** @type {YourModel | null} */
let current = null;

/**
 * Mounts the upload control and, once a model is read, its map and morph.
 * @param {HTMLElement} parent
 * @param {() => (import("./yourmodel/load.js").Digits | null)} getDigits  the host's test digits
 */
export function mountYourModel(parent, getDigits) {
  useStylesheet(STYLES);
  /** @type {Array<() => void>} */
  const cleanups = [];
  const section = element(parent, "section", "le-yours");
  section.dataset.state = "empty";
  section.dataset.mapDraws = "0";
  element(section, "h3", "le-yours-title", "Explore your own VAE");
  const intro = element(section, "p", "le-yours-intro");
  intro.textContent =
    "Drop the .safetensors of a VAE you trained (pytorch/examples' vae/main.py: fc1, fc21, fc22, fc3, fc4; " +
    "any hidden size, a latent size of 2 or more, at most 10 MB). It runs in this page only: nothing is sent.";
  // The native file input is cleared after each try (the same file chosen again is a new change), so it would
  // say "No file chosen" beside a loaded model: it is kept for the picker and the keyboard, but hidden, and the
  // label shows what is loaded.
  const picker = element(section, "label", "le-yours-pick");
  picker.append("Your model's file: ");
  const input = /** @type {HTMLInputElement} */ (element(picker, "input", "le-yours-input"));
  input.type = "file";
  input.accept = ACCEPT;
  const choose = element(picker, "span", "le-yours-choose", CHOOSE);
  const loaded = element(picker, "span", "le-yours-file", NONE_LOADED);
  const shownFile = (/** @type {YourModel | null} */ model) => {
    choose.textContent = model ? CHOOSE_ANOTHER : CHOOSE;
    loaded.textContent = model ? `${model.file} (loaded)` : NONE_LOADED;
  };
  const message = element(section, "p", "le-yours-message");
  message.setAttribute("role", "status");
  const body = element(section, "div", "le-yours-body");
  body.hidden = true;
  const heading = element(body, "div", "le-yours-heading");
  const controls = element(body, "div", "le-yours-controls");
  digitKey(body, "le-key le-yours-key");
  const panes = element(body, "div", "le-yours-panes");
  const canvas = /** @type {HTMLCanvasElement} */ (element(panes, "canvas", "le-yours-map"));
  canvas.setAttribute("aria-label", `${LABEL}: PCA map of the test digits' codes; click two digits to morph`);
  const map = yourMap(canvas);
  const strip = element(panes, "div", "le-yours-strip");
  let picks = 0; // clicks on the map so far: even sets A, odd sets B

  function show(/** @type {YourModel} */ model, /** @type {string} */ reason) {
    body.hidden = false;
    heading.textContent =
      `${LABEL}: ${model.file} — latent size ${model.latent}, hidden size ${model.hidden}, ${model.naming} names; ` +
      `test digit #${model.ends[0]} (a ${model.labels[model.ends[0]]}) to #${model.ends[1]} ` +
      `(a ${model.labels[model.ends[1]]}). Click the map to pick new ends.`;
    drawControls(controls, model, (changed) => show(model, changed));
    section.dataset.strip = drawStrip(strip, model);
    map.draw(model);
    section.dataset.mapDraws = String(Number(section.dataset.mapDraws) + 1);
    note(`shown:${reason}`);
  }

  listen(cleanups, canvas, "click", (event) => {
    const model = current;
    if (!model) return;
    const best = map.nearest(model, event.clientX, event.clientY);
    if (best < 0) return;
    model.ends[picks % 2] = best;
    picks += 1;
    show(model, "pick");
  });

  listen(cleanups, input, "change", async () => {
    const file = input.files?.[0];
    const digits = getDigits();
    if (!file || !digits) return;
    note("start");
    section.dataset.state = "reading";
    message.textContent = `Reading ${file.name}…`;
    message.classList.remove("le-yours-error");
    await yieldFrame();
    try {
      section.dataset.state = "encoding";
      const model = await load(file, digits, (text) => {
        message.textContent = text;
      });
      current = model;
      picks = 0;
      shownFile(model);
      show(model, "upload");
      note("map");
      section.dataset.state = "ready";
      const { read, encode: encoding, map: mapping } = model.seconds;
      message.textContent =
        `${LABEL}: read in ${read.toFixed(2)} s, 10,000 digits encoded in ${encoding.toFixed(2)} s, ` +
        `PCA map in ${mapping.toFixed(2)} s, in this page only.`;
    } catch (error) {
      section.dataset.state = "refused";
      message.classList.add("le-yours-error");
      message.textContent =
        error instanceof UploadRefused
          ? `Not loaded. ${error.message}`
          : `Not loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
    input.value = ""; // the same file chosen again is a new change
  });

  listen(cleanups, section, "le:yours", (event) => {
    Object.assign(/** @type {CustomEvent} */ (event).detail, inspectYours(section, current, LABEL, map.toPixel));
  });

  if (current) {
    section.dataset.state = "ready";
    shownFile(current);
    show(current, "remount");
  }
  return {
    destroy() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      section.remove();
    },
  };
}
