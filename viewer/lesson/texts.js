// The screen's words, all from the host's data: headers, buttons, legend, curve titles, the probe's insets.

import { PRESET_FIGURES } from "../core/constants.js";
import { SIDE, toGrey } from "../core/decoder.js";
import { element } from "../core/dom.js";
import { placeInset } from "./inset.js";
import { epochsOf } from "./manifest.js";
import { ringSeen } from "./plane.js";
import { nearestWords, showLine } from "./probe.js";

/** @typedef {import("./build.js").Nodes} Nodes */
/** @typedef {import("./build.js").PlaneNodes} PlaneNodes */
/** @typedef {import("./types.js").LessonData} LessonData */

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
  nodes.sampleText.title = text.samples_help;
  nodes.newSamples.textContent = text.new_samples;
  for (const button of nodes.scaleButtons) {
    button.textContent = text.scale[button.dataset.scale === "own" ? "own" : "same"];
  }
  nodes.codesText.textContent = text.codes;
  nodes.draw.textContent = text.draw;
  nodes.legend.textContent = text.legend;
  nodes.legend.title = text.legend_help;
  const epochs = epochsOf(data.planes);
  nodes.epochs.style.display = epochs.length > 1 ? "" : "none";
  nodes.curvesRow.style.display = epochs.length > 1 ? "" : "none";
  nodes.slider.max = String(epochs.length - 1);
  nodes.curves.forEach((curve, i) => {
    curve.title.textContent = text.curves[i];
  });
}

/**
 * The "Show me" buttons (made once per list of presets; a press calls `press` with the preset's index), and
 * the preset shown (`shown`) where it lands: "title: line" as visible text, its caption (the figures) behind a
 * closed disclosure, all as text (a shipped file's words are never read as markup).
 * @param {Nodes} nodes @param {LessonData} data @param {number} shown @param {(index: number) => void} press
 */
export function showPresets(nodes, data, shown, press) {
  const key = data.presets.map((preset) => preset.title).join("|");
  if (nodes.presets.dataset.key !== key) {
    nodes.presets.dataset.key = key;
    nodes.presets.replaceChildren();
    if (data.presets.length) element(nodes.presets, "span", "lp-presets-label", data.text.show_me);
    data.presets.forEach((preset, index) => {
      const made = element(nodes.presets, "button", "lp-button lp-preset-button", preset.title);
      made.type = "button";
      made.addEventListener("click", () => press(index));
    });
  }
  const preset = shown >= 0 ? data.presets[shown] : data.preset;
  nodes.preset.style.display = preset ? "" : "none";
  nodes.preset.dataset.title = preset ? preset.title : "";
  // Rebuilt only when the preset changes, so a disclosure the reader opened stays open through other updates.
  const said = preset ? `${preset.title}|${preset.line}|${preset.caption}` : "";
  if (nodes.preset.dataset.said === said) return;
  nodes.preset.dataset.said = said;
  nodes.preset.replaceChildren();
  if (preset) {
    const line = element(nodes.preset, "p", "lp-preset-line");
    element(line, "b", "", `${preset.title}: `);
    element(line, "span", "", preset.line);
    const figures = element(nodes.preset, "details", "lp-preset-figures");
    element(figures, "summary", "", PRESET_FIGURES);
    element(figures, "p", "", preset.caption);
  }
}

/**
 * The probe's inset on one plane, next to its marker (the cross, or the arrow on the edge when the point is off
 * this plane's view: then `offView`, a line saying so, is added), off the 2σ circle and the central codes
 * (inset.js); on a phone the stylesheet puts the inset under the plane instead, so it never covers one. Hidden when `inset` is null.
 * @param {PlaneNodes} plane @param {import("./probe.js").Inset | null} inset
 * @param {import("./plane.js").Placement | null} placement @param {string} offView
 * @param {import("./types.js").Box} [core]  the box of the plane's central codes, which the inset avoids (inset.js)
 */
export function showInset(plane, inset, placement, offView, core) {
  const { inset: box, insetImage, insetText } = plane;
  if (!inset) {
    box.style.display = "none";
    delete box.dataset.where;
    return;
  }
  box.style.display = "";
  const off = Boolean(placement?.marker?.off);
  const ringed = ringSeen(placement);
  const key = `${inset.title}|${plane.side}|${off}|${ringed}`;
  if (box.dataset.key !== key) {
    box.dataset.key = key;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIDE;
    const pixels = new ImageData(SIDE, SIDE);
    toGrey(inset.pixels, pixels.data);
    /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).putImageData(pixels, 0, 0);
    insetImage.src = canvas.toDataURL();
    insetText.replaceChildren();
    const { distance, gaps, digit } = inset.away;
    const nearest = nearestWords(distance, gaps, digit, ringed); // no ring drawn off the view, or none seen under the "+"
    for (const line of [inset.title, ...inset.lines, nearest, ...(off ? [offView] : [])]) showLine(insetText, line);
  }
  box.title = inset.detail;
  box.dataset.where = inset.where;
  box.dataset.digit = String(inset.digit);
  box.dataset.gaps = inset.gaps.toFixed(2);
  box.dataset.off = String(off);
  placeInset(box, placement, core);
}
