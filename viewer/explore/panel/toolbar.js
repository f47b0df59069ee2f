// The controls above the map (latent size, β, map, toggles) and the segmented choice they are made of.

import { element } from "../../core/dom.js";
import { renderSlider } from "../beta.js";
import { emit, refresh, viewEvent } from "../controller.js";
import { sameLatent } from "../models.js";
import { fitSliderMap, multirateManifest } from "../multirate.js";
import { hostData } from "../state.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

/** @param {HTMLElement} parent */
export function buildToolbar(parent) {
  const bar = element(parent, "div", "le-toolbar");
  const latent = element(bar, "div", "le-group");
  // The six β buttons are the separately trained models; the β slider under the toolbar is one other model.
  const separate = element(bar, "div", "le-separate");
  element(separate, "span", "le-separate-label", "Trained separately:");
  return {
    latent,
    separate,
    betas: element(separate, "div", "le-group"),
    maps: element(bar, "div", "le-group"),
    toggles: element(bar, "div", "le-toggles"),
  };
}

/** What a segmented choice remembers between renders: its options, and what a pick does now. */
const choiceState = new WeakMap();

/**
 * A segmented choice: one button per option, the chosen one pressed. It acts on the press (a pointer's down),
 * not on the click that follows the release, so what it changes shows a click earlier; a keyboard's Enter or
 * Space still clicks. The buttons stay in place while only the choice changes.
 * @template T
 * @param {HTMLElement} parent @param {Array<[T, string, string?]>} options @param {T | null} chosen
 * @param {(value: T) => void} onPick
 */
export function choices(parent, options, chosen, onPick) {
  const key = JSON.stringify(options.map((o) => [o[0], o[1]]));
  let held = choiceState.get(parent);
  if (!held || held.key !== key) {
    held = { key, onPick, values: options.map((o) => o[0]) };
    choiceState.set(parent, held);
    parent.replaceChildren();
    const current = held;
    for (const [value, text, help] of options) {
      const made = element(parent, "button", "le-choice", text);
      made.type = "button";
      if (help) made.title = help;
      let pressed = false;
      made.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        pressed = true;
        current.onPick(value);
      });
      made.addEventListener("click", () => {
        if (pressed) pressed = false;
        else current.onPick(value);
      });
    }
  }
  held.onPick = onPick;
  const values = held.values;
  [...parent.children].forEach((made, i) => {
    made.setAttribute("aria-pressed", String(values[i] === chosen));
  });
}

/** β as the page writes it. @param {number} value */
export function formatBeta(value) {
  return String(value);
}

/** The view changed here: redraw at once, then tell the host. @param {ExploreState} state @param {object} change */
export function changeView(state, change) {
  const shown = state.view.shown;
  const models = hostData(state).models;
  Object.assign(shown, change);
  if ("model" in change && !("map" in change) && !models[shown.model].maps[shown.map]) {
    shown.map = Object.keys(models[shown.model].maps)[0];
  }
  fitSliderMap(state); // the β slider stays on across latent sizes where an MR-VAE was trained, on its own map
  refresh(state, "view");
  sendView(state);
}

/** @param {ExploreState} state */
export function sendView(state) {
  emit(state, { type: "view", ...viewEvent(state.view.shown) });
}

/** @param {ExploreState} state */
export function renderToolbar(state) {
  const data = hostData(state);
  const { shown } = state.view;
  const model = data.models[shown.model];
  const bar = state.dom.toolbar;
  const latentSizes = [...new Set(Object.values(data.models).map((m) => m.latent))].sort((p, q) => q - p);
  const latentHelp = (/** @type {number} */ z) =>
    z === 2 ? "a 2-D code: the 2-D plane shows the codes as they are" : `a ${z}-D code, flattened to 2-D`;
  choices(
    bar.latent,
    latentSizes.map((z) => [z, `z = ${z}`, latentHelp(z)]),
    model.latent,
    (z) => {
      const group = sameLatent(data.models, z);
      const same = group.find((m) => m.beta === model.beta) || group.find((m) => m.beta === 1) || group[0];
      // Said, not done silently: the β shown changes when the other latent size was not trained with it.
      const betas = group.map((m) => formatBeta(m.beta)).join(" and ");
      state.view.notice =
        same.beta === model.beta
          ? null
          : `z = ${z} was trained with β = ${betas} only: showing β = ${formatBeta(same.beta)}.`;
      changeView(state, { model: same.name, map: Object.keys(same.maps)[0] });
    },
  );
  const group = sameLatent(data.models, model.latent);
  const multirate = shown.mr !== null && shown.mr !== undefined;
  bar.separate.style.display = group.length > 1 ? "" : "none";
  bar.separate.classList.toggle("le-off", multirate);
  const betaHelp = (/** @type {number} */ beta) =>
    beta === 0 ? "β = 0: a plain autoencoder" : "the weight of the KL term";
  choices(
    bar.betas,
    group.map((m) => [m.name, m.label ?? `β = ${formatBeta(m.beta)}`, betaHelp(m.beta)]),
    multirate ? null : shown.model, // none pressed while the slider's one model is shown
    (name) => {
      state.view.notice = null;
      changeView(state, { model: name, mr: null });
    },
  );
  const mrMap = multirate ? multirateManifest(state, model.latent)?.map.name : null;
  const maps = mrMap ? [mrMap] : Object.keys(model.maps);
  choices(
    bar.maps,
    maps.map((m) => [m, data.mapLabels[m] || m, data.mapTitles?.[m]]), // its title's words: what "t-SNE" is
    shown.map,
    (map) => changeView(state, { map }),
  );
  // Toggles: each its own one-button choice, pressed when on.
  /** @type {Array<["compare" | "backdrop", string]>} */
  const toggles = [];
  if (group.length > 1) toggles.push(["compare", "Compare all β"]);
  if (shown.map === "plane") toggles.push(["backdrop", "Decoded digits behind"]);
  choices(bar.toggles, toggles, null, (name) => {
    changeView(state, { [name]: !shown[name] });
    // On a phone the rows land under the map: bring them into view, so the tap visibly did something.
    if (name === "compare" && state.view.shown.compare) {
      requestAnimationFrame(() => state.dom.compare.scrollIntoView({ block: "nearest", behavior: "smooth" }));
    }
  });
  toggles.forEach(([name], i) => {
    bar.toggles.children[i].setAttribute("aria-pressed", String(!!shown[name]));
  });
  renderSlider(state);
}
