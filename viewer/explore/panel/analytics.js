// Under the map: the shown path's per-frame analytics (how far each frame moves, how typical its code is under
// the prior, what a digit classifier reads) and, comparing every β, what each β's frames read as. The same
// charts in both hosts, drawn with the page's Plotly. `pathAnalytics` mirrors vae/analytics.py analyse_path
// (step, log_prior), held to numpy by tests/test_analytics.py; the classifier's probabilities come with the
// host's reading (sections/morph.py reading, hosts/static-compute.js readingFor), or, while the β slider is on
// (no host sees its frames), with the viewer's own reading of the slider's strip (multirate.js sliderReading).

import { drawChart } from "../../core/chart.js";
import { element } from "../../core/dom.js";
import { grade } from "../../core/geodesic.js";
import { pathKey } from "../endpoints.js";
import { wordsFor } from "../models.js";
import { sliderReadingOf } from "../multirate.js";
import { hostData } from "../state.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../types.js").Reading} Reading
 * @typedef {{step: ArrayLike<number>, logPrior: ArrayLike<number>, probabilities: number[][] | null}} Analytics
 */

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const SETTLE_MS = 120; // a drag redraws the strip every frame; the charts follow once it rests
// Zoom and pan add little to a dozen frames, and on a phone Plotly's toolbar covers the chart's titles: none.
export const CHART_CONFIG = {
  displaylogo: false,
  displayModeBar: false,
  responsive: true,
};
export const STEP_DEFINITION =
  "Change from the frame before: the distance (L2) between two frames over all 784 pixels, each from 0 (black) to " +
  "1 (white). 1.0 is one pixel going from black to white, or four changing by half; an even path spreads its " +
  "change over the frames.";
export const PRIOR_DEFINITION =
  "How typical each frame's code is for the model: log N(z; 0, I), the log-density of the prior the VAE packs " +
  "its codes into (in nats, natural-log units; higher is nearer the centre of the cloud).";
// The classifier's row has no legend of its own (a reader asked what the rings and the blues meant).
export const READS_DEFINITION = "What a digit classifier reads: dark cells are likely digits, ○ its pick.";

/**
 * Why the map and this chart can disagree on a z > 2 model (a reader saw A inside the 1σ ring, its frame the least
 * typical here): both are right. @param {number} latent
 */
export function mapVersusPrior(latent) {
  return (
    `The map is a 2-D view of ${latent} numbers: a frame inside its 1σ ring can still be far from N(0, I)'s ` +
    `centre in all ${latent}, which this chart counts.`
  );
}

/** @type {WeakMap<ExploreState, {key: string, timer: number}>} what each widget last drew */
const drawn = new WeakMap();

/**
 * vae/analytics.py: per frame, the L2 distance to the previous frame (0 for the first) and log N(z; 0, I).
 * @param {ArrayLike<ArrayLike<number>>} codes (F, latent) @param {ArrayLike<ArrayLike<number>>} frames (F, 784)
 */
export function pathAnalytics(codes, frames) {
  const step = new Float64Array(frames.length);
  for (let f = 1; f < frames.length; f++) {
    let sum = 0;
    for (let p = 0; p < frames[f].length; p++) sum += (frames[f][p] - frames[f - 1][p]) ** 2;
    step[f] = Math.sqrt(sum);
  }
  const logPrior = new Float64Array(codes.length);
  for (let f = 0; f < codes.length; f++) {
    let sum = 0;
    for (let i = 0; i < codes[f].length; i++) sum += codes[f][i] ** 2;
    logPrior[f] = -0.5 * sum - 0.5 * codes[f].length * Math.log(2 * Math.PI);
  }
  return { step, logPrior };
}

/** @param {ArrayLike<number>} values @param {number} digits */
function rounded(values, digits) {
  const scale = 10 ** digits;
  return Array.from(values, (v) => Math.round(v * scale) / scale);
}

/** @param {string} text */
function title(text) {
  return { text, font: { size: 14 }, x: 0.01 };
}

/**
 * Three aligned rows per frame (two without the classifier's probabilities): the change from the frame before,
 * how typical the code is under the prior, and what a digit classifier reads.
 * @param {Analytics} analytics @param {string} heading
 */
export function analyticsFigure(analytics, heading) {
  const count = analytics.step.length;
  const frames = Array.from({ length: count }, (_, i) => i);
  const classified = !!analytics.probabilities;
  const rows = classified ? 3 : 2;
  const heights = [0.25, 0.25, 0.5].slice(0, rows);
  const gap = 0.09;
  const usable = 1 - gap * (rows - 1);
  const total = heights.reduce((s, h) => s + h, 0);
  /** @type {number[][]} */
  const domains = [];
  let top = 1;
  for (const height of heights) {
    const bottom = top - (usable * height) / total;
    domains.push([Math.max(0, Math.round(bottom * 1e4) / 1e4), Math.round(top * 1e4) / 1e4]);
    top = bottom - gap;
  }
  /** @type {object[]} */
  const data = [
    {
      type: "bar",
      x: frames.slice(1),
      y: rounded(Array.from(analytics.step).slice(1), 4),
      marker: { color: "#555555" },
      hovertemplate: "frame %{x}: ‖xᵢ − xᵢ₋₁‖₂ = %{y:.2f} (pixels 0–1)<extra></extra>",
      xaxis: "x",
      yaxis: "y",
    },
    {
      type: "scatter",
      mode: "lines+markers",
      x: frames,
      y: rounded(analytics.logPrior, 2),
      line: { color: "#1f77b4" },
      hovertemplate: "frame %{x}: log N(z; 0, I) = %{y:.1f} nats<extra></extra>",
      xaxis: "x",
      yaxis: "y2",
    },
  ];
  const subtitles = [
    "change from the frame before",
    "how typical under N(0, I) (high: central)", // fits a 320 px phone (a 288 px chart on Streamlit)
    "what a digit classifier reads",
  ];
  /** @type {Record<string, any>} */
  const layout = {
    height: classified ? 480 : 270,
    margin: { l: 66, r: 10, t: heading ? 50 : 26, b: 40 }, // room for "log N(z; 0, I)" beside its ticks
    title: title(heading),
    showlegend: false,
    font: { size: 13 },
    // The strip shows A and B beside the decoded frames; the charts count the decoded frames only (a reader could not
    // match "frame 0" to the strip's "A").
    xaxis: {
      anchor: `y${rows}`,
      title: { text: `frame (0: A's code, ${count - 1}: B's)` },
      dtick: count <= 16 ? 1 : null,
    },
    yaxis: { domain: domains[0], title: { text: "change" } },
    yaxis2: { domain: domains[1], title: { text: "log N(z; 0, I)" } }, // one name: the hover and the words say it so
    annotations: subtitles.slice(0, rows).map((text, row) => ({
      text,
      xref: "paper",
      yref: "paper",
      x: 0.5,
      y: domains[row][1],
      yanchor: "bottom",
      showarrow: false,
      font: { size: 13 },
    })),
  };
  if (analytics.probabilities) {
    const probabilities = analytics.probabilities;
    const predicted = probabilities.map((row) => row.indexOf(Math.max(...row)));
    data.push(
      {
        type: "heatmap",
        x: frames,
        y: DIGITS,
        z: DIGITS.map((_, d) => probabilities.map((row) => Math.round(row[d] * 1000) / 1000)),
        zmin: 0,
        zmax: 1,
        colorscale: "Blues",
        reversescale: true, // as on the per-β chart: likely digits dark
        showscale: false,
        hovertemplate: "frame %{x}: P(%{y}) = %{z:.2f}<extra></extra>",
        xaxis: "x",
        yaxis: "y3",
      },
      {
        type: "scatter",
        mode: "markers",
        x: frames,
        y: predicted.map(String),
        marker: { symbol: "circle-open", size: 9, color: "#d62728" },
        hovertemplate: "frame %{x}: reads as %{y}<extra></extra>",
        xaxis: "x",
        yaxis: "y3",
      },
    );
    // Digit strings look numeric to Plotly, which then ticks only 0 and 5: the axis is categorical.
    layout.yaxis3 = {
      domain: domains[2],
      title: { text: "digit" },
      type: "category",
      categoryorder: "array",
      categoryarray: DIGITS,
      tickmode: "array",
      tickvals: DIGITS,
      ticktext: DIGITS,
    };
  }
  return { data, layout };
}

/**
 * One row per β: which digit each frame reads as (text) and how surely (colour).
 * @param {number[]} betas @param {Reading[]} readings
 */
export function compareFigure(betas, readings) {
  const width = readings[0]?.digits.length || 0;
  return {
    data: [
      {
        type: "heatmap",
        z: readings.map((r) => rounded(r.confidence, 3)),
        x: Array.from({ length: width }, (_, i) => i),
        y: betas.map((b) => `β = ${b}`),
        zmin: 0,
        zmax: 1,
        colorscale: "Blues",
        reversescale: true, // Plotly's Blues runs dark to pale: sure frames dark, unsure ones pale
        text: readings.map((r) => r.digits.map(String)),
        texttemplate: "%{text}",
        colorbar: { title: { text: "P" } },
        hovertemplate: "%{y}, frame %{x}: reads as %{text} (P = %{z:.2f})<extra></extra>",
      },
    ],
    layout: {
      height: 70 + 36 * betas.length,
      margin: { l: 70, r: 10, t: 40, b: 34 },
      font: { size: 13 },
      title: title("What each β's frames read as (pale: unsure, no clear digit)"),
      yaxis: { type: "category", autorange: "reversed" },
      xaxis: { title: { text: "frame" }, dtick: width <= 16 ? 1 : null },
    },
  };
}

/**
 * The section under the map, made once: a heading, the chart, what the step means, the per-β chart.
 * @param {HTMLElement} parent
 */
export function buildAnalytics(parent) {
  const box = element(parent, "section", "le-analytics");
  box.id = "le-analytics";
  const heading = element(box, "h3", "le-analytics-title", "Along the path");
  const chart = element(box, "div", "le-analytics-chart");
  const words = element(box, "p", "le-analytics-words");
  element(words, "span", "", STEP_DEFINITION);
  words.append(" ");
  element(words, "span", "", PRIOR_DEFINITION);
  words.append(" ");
  element(words, "span", "", READS_DEFINITION);
  words.append(" ");
  const dims = element(words, "span", "le-analytics-dims"); // mapVersusPrior, on a model of more than 2 numbers
  const compare = element(box, "div", "le-analytics-compare");
  // In place of the classifier's row while it has no probabilities: why, in a few words (never an empty row).
  const unread = element(box, "p", "le-analytics-unread");
  unread.hidden = true;
  box.insertBefore(unread, words);
  return { box, heading, chart, compare, dims, unread };
}

/** The host's reading of path `key`, with its probabilities, if it has sent one. @param {Reading | null | undefined} r @param {string} key */
function readingOf(r, key) {
  return r && r.key === key ? r : null;
}

/**
 * Draws the analytics of the shown path once the view rests (a drag redraws only when it stops).
 * @param {ExploreState} state @param {ReturnType<typeof buildAnalytics>} dom
 */
export function renderAnalytics(state, dom) {
  const path = state.view.path;
  const data = hostData(state);
  dom.box.hidden = !path?.frames;
  if (!path?.frames) return;
  const latent = path.codes[0]?.length ?? 2;
  dom.dims.hidden = latent <= 2;
  dom.dims.textContent = latent > 2 ? mapVersusPrior(latent) : "";
  // The slider's own path (its model named with its β, endpoints.js pathFor); until the MR-VAE is in, the separate
  // model's path stays shown, with the host's reading.
  const slider =
    state.view.shown.mr !== null && state.view.shown.mr !== undefined && path.key.split("|")[0].includes("@");
  const reading = slider ? sliderReadingOf(state, path) : readingOf(data.reading, path.key);
  const readings = state.view.shown.compare ? compareReadings(state) : null;
  const key = [path.key, path.pending, reading ? "r" : "", readings ? readings.length : "", dom.box.clientWidth].join(
    "|",
  );
  const last = drawn.get(state) || { key: "", timer: 0 };
  if (last.key === key) return;
  clearTimeout(last.timer);
  last.key = key;
  drawn.set(state, last);
  last.timer = window.setTimeout(() => {
    const frames = /** @type {Float64Array[]} */ (path.frames);
    const { step, logPrior } = pathAnalytics(path.codes, frames);
    const sent = reading?.probabilities;
    const analytics = { step, logPrior, probabilities: sent && sent.length === frames.length ? sent : null };
    dom.unread.hidden = !!analytics.probabilities;
    dom.box.dataset.readKey = analytics.probabilities ? path.key : ""; // a test waits for this path's row
    dom.unread.textContent = analytics.probabilities ? "" : unreadWords(slider, !!data.classifier);
    const method = path.pending ? "straight line while the geodesic is computed" : `${path.method} path`;
    // The path's own model (endpoints.js pathFor names it first in the key): the β slider's is "z20-mr@0.1".
    const model = wordsFor(data, path.key.split("|")[0]);
    const heading = `Along the path (${model}): ${frames.length} frames, ${method}`;
    dom.heading.textContent = heading;
    const figure = analyticsFigure(analytics, "");
    // Never shorter than it has been: the classifier's row arriving (or going) must not shift the page below.
    dom.chart.style.minHeight = `${Math.max(figure.layout.height, parseFloat(dom.chart.style.minHeight) || 0)}px`;
    drawChart(dom.chart, { figure, config: CHART_CONFIG });
    dom.compare.hidden = !readings;
    if (readings) {
      drawChart(dom.compare, {
        figure: compareFigure(
          readings.map((r) => r.beta),
          readings.map((r) => r.reading),
        ),
        config: CHART_CONFIG,
      });
    }
  }, SETTLE_MS);
}

/**
 * What stands in for the classifier's row while it has no probabilities. @param {boolean} slider the β slider is
 * on (the viewer reads its frames itself) @param {boolean} classifier the host names a classifier the viewer can load
 */
export function unreadWords(slider, classifier) {
  if (!classifier) return "What a digit classifier reads: no classifier came with this page, so none.";
  if (slider) return "What a digit classifier reads: shown here once the β slider rests.";
  return "What a digit classifier reads: shown here once the host has read these frames.";
}

/** Comparing β: each model's reading of this very path under it, when the host has sent every one. @param {ExploreState} state */
function compareReadings(state) {
  const data = hostData(state);
  const { shown, ends } = state.view;
  const latent = data.models[shown.model]?.latent;
  const models = Object.values(data.models)
    .filter((m) => m.latent === latent)
    .sort((p, q) => p.beta - q.beta);
  const found = [];
  for (const model of models) {
    const key = pathKey(model.name, shown.method, shown.frames, ends.a, ends.b);
    const reading = readingOf(data.readings?.[model.name], key);
    if (!reading) return null;
    found.push({ beta: model.beta, reading });
  }
  return found.length > 1 ? found : null;
}

/**
 * The geodesic's verdict in one plain line, and its figures for a tooltip: its curve energy (how much the
 * decoded images change along it) against the straight line's, graded against the ratios measured on random
 * pairs (weights/lesson.json "geodesic", vae/geodesic.py grade).
 * @param {import("../../core/geodesic.js").GeodesicReport} report
 * @param {{p10?: number, p90?: number, median?: number, saving_pairs?: number} | null | undefined} measured
 * @returns {{line: string, detail: string}}
 */
export function geodesicWords(report, measured) {
  const ratio = report.linearEnergy > 0 ? report.energy / report.linearEnergy : 1;
  const lengthRatio = report.linearLength > 0 ? report.length / report.linearLength : 1;
  const found = grade(ratio, measured || {});
  const line = {
    "no better": "No better than the straight line here: the straight line changes the images as little.",
    "real detour": "A real detour: it bends well away from the straight line, and saves more than most pairs do.",
    "nearly straight": "Nearly the straight line: bending saves little for this pair.",
    "ordinary bend": "Shorter through the cloud than the straight line, by a usual margin.",
  }[found || ""];
  const x = (/** @type {number | undefined} */ v) => `×${(v || 0).toFixed(2)}`;
  const spread =
    measured?.p10 !== undefined
      ? ` On ${measured.saving_pairs} random pairs where a geodesic saves anything, the ratio runs from ` +
        `${x(measured.p10)} to ${x(measured.p90)} (10th to 90th percentile), median ${x(measured.median)}.`
      : " No reference distribution is shipped, so no verdict.";
  const detail =
    `Curve energy (the sum of squared changes between decoded points): ${report.energy.toFixed(1)} against ` +
    `${report.linearEnergy.toFixed(1)} for the straight line (${x(ratio)}); decoded length ${x(lengthRatio)}; ` +
    `${report.steps} optimiser steps.${spread}`;
  return {
    line: line || (ratio < 1 ? "Shorter than the straight line." : "No shorter than the straight line."),
    detail,
  };
}

/**
 * The geodesic's verdict under the strip, once the host's geodesic for this very path has arrived; its figures
 * in the tooltip (title) and in `data-detail`.
 * @param {ExploreState} state @param {HTMLElement} line
 */
export function renderVerdict(state, line) {
  const path = state.view.path;
  const data = hostData(state);
  const sent = path && !path.pending && path.method === "geodesic" ? data.paths?.[state.view.shown.model] : null;
  const report = sent && sent.key === path?.key ? sent.report : null;
  line.hidden = !report;
  if (!report) return;
  const { line: words, detail } = geodesicWords(report, data.inside?.geodesic);
  line.textContent = words;
  line.title = detail;
  line.dataset.detail = detail;
}
