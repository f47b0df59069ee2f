// The screen's words, all from the host's data: headers, buttons, legend, curve titles, the probe's insets.

import { element } from "../core/dom.js";
import { epochsOf } from "./manifest.js";

/** @typedef {import("./build.js").Nodes} Nodes */
/** @typedef {import("./build.js").PlaneNodes} PlaneNodes */
/** @typedef {import("./types.js").LessonData} LessonData */
/** @typedef {import("./types.js").LessonProbe} LessonProbe */

/**
 * Writes `data`'s texts into the screen; hides the player and the curves when there is one epoch only.
 * @param {Nodes} nodes @param {LessonData} data
 */
export function showTexts(nodes, data) {
  const { text } = data;
  data.headers.forEach((header, side) => {
    nodes.columns[side].head.textContent = header;
  });
  nodes.sampleText.textContent = text.samples;
  nodes.newSamples.textContent = text.new_samples;
  for (const button of nodes.scaleButtons) {
    button.textContent = text.scale[button.dataset.scale === "own" ? "own" : "same"];
  }
  nodes.codesText.textContent = text.codes;
  nodes.draw.textContent = text.draw;
  nodes.legend.textContent = text.legend;
  const epochs = epochsOf(data.planes);
  nodes.epochs.style.display = epochs.length > 1 ? "" : "none";
  nodes.curvesRow.style.display = epochs.length > 1 ? "" : "none";
  nodes.slider.max = String(epochs.length - 1);
  nodes.curves.forEach((curve, i) => {
    curve.title.textContent = text.curves[i];
  });
}

/**
 * The host's probe on one plane (`side`): the decoded picture and what the classifier reads there, or that
 * the point lies outside the model's codes; hidden when `probe` is null.
 * @param {PlaneNodes} plane @param {LessonProbe | null} probe
 */
export function showInset(plane, probe) {
  const { inset, insetImage, insetText } = plane;
  if (!probe) {
    inset.style.display = "none";
    return;
  }
  const result = probe.results[plane.side];
  inset.style.display = "";
  insetImage.style.display = result.image ? "" : "none";
  if (result.image && insetImage.getAttribute("src") !== result.image) insetImage.src = result.image;
  insetText.replaceChildren();
  for (const line of [probe.title, ...result.lines]) element(insetText, "div", "", line);
  inset.title = result.detail || "";
}
