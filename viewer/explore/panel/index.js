// The morph beside the map: the hint, the A/B cards, the path and frame controls, the looping preview with
// its scrub slider, the strip, and one row per β in compare mode. Everything here is decoded in the browser.

import { FRAMES_RANGE, PATH_METHODS } from "../../core/constants.js";
import { button, element } from "../../core/dom.js";
import { emit, refresh } from "../controller.js";
import { renderHolesKey } from "../holes.js";
import { fitPath } from "../map/fit.js";
import { shownPriorNote } from "../map/plot.js";
import { hostData } from "../state.js";
import { buildAnalytics, renderAnalytics, renderVerdict } from "./analytics.js";
import { buildCard, renderCards } from "./cards.js";
import { renderCompare } from "./compare.js";
import { drawPreview, setScrub } from "./preview.js";
import { buildPrior, listenToPrior, renderPrior } from "./prior.js";
import { renderStrip, scrubStrip } from "./strip.js";
import { changeView, choices, renderToolbar, sendView } from "./toolbar.js";
import { buildTraversals, listenToTraversals, renderTraversals } from "./traversals.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

/**
 * The panel's elements, made once; their handlers reach the widget through `state` once it exists.
 * @param {HTMLElement} parent @param {() => ExploreState} widget
 */
export function buildPanel(parent, widget) {
  const panel = element(parent, "div", "le-panel");
  const hint = element(panel, "div", "le-hint");
  const cardsBox = element(panel, "div", "le-cards");
  const cards = { a: buildCard(cardsBox, "A"), b: buildCard(cardsBox, "B") };
  const actions = element(cardsBox, "div", "le-actions");
  const swap = button(actions, "⇄ Swap", () => act(widget(), "swap"), "le-button");
  const clear = button(actions, "✕ Clear", () => act(widget(), "clear"), "le-button");
  const pathBar = element(panel, "div", "le-pathbar");
  const methods = element(pathBar, "div", "le-group");
  const framesBox = element(pathBar, "label", "le-frames");
  const framesLabel = element(framesBox, "span", "", "");
  const framesInput = element(framesBox, "input");
  Object.assign(framesInput, { type: "range", min: FRAMES_RANGE[0], max: FRAMES_RANGE[1], step: 1 });
  framesInput.addEventListener("input", () => {
    widget().view.shown.frames = Number(framesInput.value);
    refresh(widget(), "frames");
  });
  framesInput.addEventListener("change", () => sendView(widget()));
  const morph = element(panel, "div", "le-morph");
  const stage = element(morph, "div", "le-stage");
  const preview = element(stage, "canvas", "le-preview");
  preview.width = preview.height = 28;
  const scrubInput = element(stage, "input", "le-scrub");
  Object.assign(scrubInput, { type: "range", min: 0, max: 1000, step: 1, value: 0 });
  scrubInput.setAttribute("aria-label", "scrub along the path from A to B");
  // The slider holds the scrub while it is pressed or focused; letting go (or leaving it) plays again.
  scrubInput.addEventListener("input", () => setScrub(widget(), Number(scrubInput.value) / 1000, "slider"));
  scrubInput.addEventListener("pointerup", () => setScrub(widget(), null, null));
  scrubInput.addEventListener("blur", () => widget().view.scrubSource === "slider" && setScrub(widget(), null, null));
  const previewText = element(stage, "div", "le-preview-text");
  const strip = element(morph, "canvas", "le-strip");
  strip.addEventListener("pointermove", (event) => scrubStrip(widget(), event));
  strip.addEventListener("pointerdown", (event) => scrubStrip(widget(), event));
  strip.addEventListener("pointerleave", () => widget().view.scrubSource === "strip" && setScrub(widget(), null, null));
  const stripText = element(morph, "div", "le-strip-text");
  const holesText = element(morph, "div", "le-holes-text");
  holesText.hidden = true;
  const verdict = element(morph, "div", "le-verdict");
  verdict.tabIndex = 0; // its figures are in its tooltip: reachable by keyboard too
  const compare = element(panel, "div", "le-compare");
  // The analytics and the traversals are under the map (far below on a phone): a link points at them.
  const below = element(panel, "a", "le-below", "Per-frame analytics and latent traversals are under the map ↓");
  below.href = "#le-analytics";
  below.addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("le-analytics")?.scrollIntoView({ behavior: "smooth", block: "start" });
  });
  // Under the map and the panel, full width, in both hosts: the path's analytics, the traversals, the prior's draws.
  const under = element(/** @type {HTMLElement} */ (parent.parentElement), "div", "le-under");
  const analytics = buildAnalytics(under);
  const traversals = buildTraversals(under);
  listenToTraversals(widget, traversals);
  const prior = buildPrior(under);
  listenToPrior(widget, prior);
  return {
    hint,
    cards,
    swap,
    clear,
    methods,
    framesLabel,
    framesInput,
    preview,
    scrubInput,
    previewText,
    strip,
    stripText,
    holesText,
    compare,
    below,
    verdict,
    analytics,
    traversals,
    prior,
  };
}

/** Swap or clear: done here at once, then reported. @param {ExploreState} state @param {"swap" | "clear"} type */
function act(state, type) {
  const { a, b } = state.view.ends;
  state.view.ends = type === "swap" ? { a: b, b: a } : { a: null, b: null };
  emit(state, { type });
  refresh(state, type);
}

/** @param {ExploreState} state */
function renderPathBar(state) {
  const { shown } = state.view;
  const { methods, framesInput, framesLabel } = state.dom;
  const options = /** @type {Array<[string, string, string]>} */ (PATH_METHODS);
  choices(methods, options, shown.method, (method) => changeView(state, { method }));
  if (document.activeElement !== framesInput) framesInput.value = String(shown.frames);
  framesLabel.textContent = `${shown.frames} frames`;
}

/**
 * The host's hint; once A and B are both set, the pick hint gives way to what the next click does (a new pair).
 * @param {ExploreState} state
 */
export function hintText(state) {
  const { hint, hints } = hostData(state);
  const { a, b } = state.view.ends;
  return a && b && hints && hint === hints.pick ? hints.pair : hint;
}

/** Redraws everything beside the map from the view. @param {ExploreState} state */
export function renderPanel(state) {
  renderToolbar(state);
  renderCards(state);
  renderPathBar(state);
  renderStrip(state);
  renderHolesKey(state, shownPriorNote(state));
  drawPreview(state);
  renderCompare(state);
  state.dom.hint.textContent = [state.view.notice, hintText(state)].filter(Boolean).join(" ");
  state.dom.below.hidden = !state.view.path?.frames;
  fitPath(state);
  renderVerdict(state, state.dom.verdict);
  renderAnalytics(state, state.dom.analytics);
  renderTraversals(state, state.dom.traversals);
  renderPrior(state, state.dom.prior);
}
