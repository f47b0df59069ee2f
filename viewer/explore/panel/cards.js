// The A and B cards: each endpoint's own picture, what the shown model draws back, and what they are.

import { SIDE } from "../../core/decoder.js";
import { element } from "../../core/dom.js";
import { codeOf } from "../endpoints.js";
import { paintCode, paintOriginal, paintPixels } from "./paint.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

/** @param {HTMLElement} parent @param {string} name */
export function buildCard(parent, name) {
  const box = element(parent, "div", "le-card");
  const title = element(box, "div", "le-card-title", name);
  const tiles = element(box, "div", "le-card-tiles");
  const canvases = [0, 1].map(() => {
    const canvas = element(tiles, "canvas");
    canvas.width = canvas.height = SIDE;
    return canvas;
  });
  return { box, title, canvases, caption: element(box, "div", "le-card-caption") };
}

/** @param {ExploreState} state */
export function renderCards(state) {
  const { ends, shown } = state.view;
  for (const name of /** @type {const} */ (["a", "b"])) {
    const view = state.dom.cards[name];
    const end = ends[name];
    view.title.textContent = name.toUpperCase() + (end ? ` · ${end.label}` : "");
    view.box.classList.toggle("le-empty", !end);
    const [original, reconstruction] = view.canvases;
    if (!end) {
      paintPixels(original, null);
      reconstruction.style.display = "none";
      view.caption.textContent = "not chosen";
      continue;
    }
    paintOriginal(state, original, end);
    const ownPoint = end.kind === "point" && end.source === shown.model;
    reconstruction.style.display = ownPoint ? "none" : "";
    if (!ownPoint) paintCode(state, reconstruction, codeOf(state, end));
    const what = end.kind === "drawn" ? end.label : end.kind === "point" ? "its decoded point" : "original";
    view.caption.textContent = ownPoint ? "what the decoder draws there (no original)" : `${what} | reconstruction`;
  }
  state.dom.swap.disabled = !ends.a && !ends.b;
  state.dom.clear.disabled = !ends.a && !ends.b;
}
