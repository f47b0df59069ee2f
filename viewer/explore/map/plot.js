// The base graph: 10,000 test codes as one Plotly WebGL graph that stays mounted and is re-laid, not rebuilt,
// when only its size changes. Private Plotly fields read: gd._fullLayout (width, height), gd._fullData.

import { plotly } from "../../core/chart.js";
import { DIGIT_COLOURS, PRIOR_RADII, PRIOR_WORDS } from "../../core/constants.js";
import { firstPaint, plotted } from "../controller.js";
import { currentModel } from "../endpoints.js";
import { modelWords } from "../models.js";
import { betaText } from "../multirate.js";
import { hostData, noteDrawn } from "../state.js";
import { mapInfo, shownMapSize } from "./area.js";
import { paintFirstMap, removeFirstPaint } from "./firstpaint.js";
import { forgetHits } from "./hit.js";
import { drawOverlay, placeOverlay } from "./overlay.js";
import { hiddenPriorNote, priorLabelAt } from "./priorlabels.js";

/**
 * @typedef {import("../state.js").ExploreState} ExploreState
 * @typedef {import("../types.js").MapInfo} MapInfo
 */

// A phone's top margin holds the title on two lines (the model, then the map) under Plotly's modebar, which
// sits at the top right: on one line beside it the two overlapped (issue 24).
export const MARGINS = { wide: { l: 42, r: 84, t: 34, b: 30 }, narrow: { l: 30, r: 8, t: 64, b: 22 } };
export const NARROW_TITLE_Y = 40; // the title's y (Plotly sets two lines' top ~13 px above it): under the modebar

/** The map's title: on a phone the model, then on a second line the map in words (MAP_TITLES); else the full title. */
export function mapTitle(
  /** @type {ExploreState} */ state,
  /** @type {MapInfo} */ info,
  /** @type {boolean} */ narrow,
) {
  const { map } = state.view.shown;
  const model = modelWords(currentModel(state).manifest); // the β slider's MR-VAE while it is on
  const { mapLabels, mapTitles } = hostData(state);
  if (narrow) return `${model}<br>${mapTitles?.[map] || mapLabels[map] || map}`;
  // A title that would run under the modebar (top right) breaks onto a second line at the last " · ", ", " or
  // ": " that leaves its first line clear of it.
  const room = shownMapSize(state).width - MODEBAR_ROOM;
  const title = info.title;
  if (textWidth(title) <= room) return title;
  /** @type {string[] | null} */
  let cut = null;
  for (const found of title.matchAll(/ · |, |: /g)) {
    const head = title.slice(0, found.index) + found[0].trim().replace("·", "");
    if (textWidth(head) <= room) cut = [head, title.slice(found.index + found[0].length)];
  }
  return cut ? `${cut[0]}<br>${cut[1]}` : title;
}

const MODEBAR_ROOM = 200; // px kept free of the title at the map's top right for Plotly's modebar, and a margin
export const WIDE_TWO_LINES_TOP = 54; // the top margin of a wide map whose title takes two lines

/** A text's width in px in the wide title's font (baseLayout). @param {string} text */
function textWidth(text, font = "14px sans-serif") {
  const context = /** @type {CanvasRenderingContext2D} */ (document.createElement("canvas").getContext("2d"));
  context.font = font;
  return context.measureText(text).width;
}

export const PRIOR_LABEL_PX = 24; // a circle narrower than this on the screen is too small to label

/**
 * How many screen px one unit of the map spans before any zoom (equal units: the tighter axis decides), or 0 for a
 * map without an extent. @param {{width: number, height: number, narrow: boolean}} size @param {MapInfo} info
 */
export function unitPixels(size, info) {
  if (!info.extent) return 0;
  const margin = size.narrow ? MARGINS.narrow : MARGINS.wide;
  const [x0, x1, y0, y1] = info.extent;
  return Math.min((size.width - margin.l - margin.r) / (x1 - x0), (size.height - margin.t - margin.b) / (y1 - y0));
}

/**
 * Whether N(0, I)'s circle of `radius` gets a label: wide enough on the screen to read one (PRIOR_LABEL_PX), and
 * big enough beside the codes that its label does not print over them (an autoencoder's map spans tens of units).
 * @param {{width: number, height: number, narrow: boolean}} size @param {MapInfo} info @param {number} radius
 */
export function circleLabelled(size, info, radius) {
  if (!info.extent) return true;
  const span = Math.max(info.extent[1] - info.extent[0], info.extent[3] - info.extent[2]);
  return 2 * radius >= LABELLED_CIRCLE * span && 2 * radius * unitPixels(size, info) >= PRIOR_LABEL_PX;
}

/**
 * N(0, I)'s circles in words where they are too small to label (the largest unlabelled), else "": where they are,
 * how wide, on axes how wide (in the map's units: its px are the screen's business, not the reader's). @param {{width: number, height: number, narrow: boolean}} size @param {MapInfo} info
 */
export function priorNote(size, info) {
  if (!info.prior || !info.extent) return "";
  const largest = PRIOR_RADII[PRIOR_RADII.length - 1];
  if (circleLabelled(size, info, largest)) return "";
  const [cx, cy] = info.prior.map((v) => Math.round(v * 10) / 10 + 0); // + 0: no "-0"
  const span = Math.round(Math.max(info.extent[1] - info.extent[0], info.extent[3] - info.extent[2]));
  return `N(0, I): the small dashed rings at (${cx}, ${cy}), too small here to label (${largest}σ: ${2 * largest} units across, on axes ${span} units wide)`;
}

/** A phone's map has no legend: the widget's own line of colours stands above it (it moves the map down). */
export function showKey(/** @type {ExploreState} */ state, /** @type {boolean} */ narrow) {
  state.dom.key.style.display = narrow ? "flex" : "none";
}

/** Whether the main pointer is a finger (a phone, a tablet). */
function coarsePointer() {
  return !!window.matchMedia?.("(pointer: coarse)").matches;
}

const LABELLED_CIRCLE = 0.08; // a prior circle is labelled when its diameter is at least this share of the map

/** Probability that a draw of the 2-D standard normal falls within radius r. @param {number} r */
export function priorMass(r) {
  return 1 - Math.exp((-r * r) / 2);
}

/**
 * One WebGL trace per digit, its points' test indices in customdata.
 * @param {Float32Array} codes (count, 2) @param {Uint8Array} labels @param {boolean} faint
 */
export function baseTraces(codes, labels, faint) {
  /** @type {number[][]} */
  const groups = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  return groups.map((indices, digit) => {
    const x = new Float32Array(indices.length);
    const y = new Float32Array(indices.length);
    indices.forEach((i, n) => {
      x[n] = codes[2 * i];
      y[n] = codes[2 * i + 1];
    });
    return {
      type: "scattergl",
      mode: "markers",
      name: String(digit),
      x,
      y,
      customdata: indices,
      hoverinfo: "none",
      marker: { size: faint ? 3 : 4, color: DIGIT_COLOURS[digit], opacity: faint ? 0.45 : 0.75 },
    };
  });
}

/**
 * priorNote of the map shown, at the size it is laid out, and the circles whose label found no room on them.
 * @param {ExploreState} state
 */
export function shownPriorNote(state) {
  const size = shownMapSize(state);
  const info = mapInfo(state, size.narrow);
  return [info ? priorNote(size, info) : "", hiddenPriorNote(state.dom.graph)].filter(Boolean).join("; ");
}

/**
 * The map's layout: fixed ranges with equal units where the map has an extent, N(0, I)'s circles where the
 * map is comparable, the decoded backdrop under the plane.
 * @param {{width: number, height: number, narrow: boolean}} size @param {MapInfo} info @param {string} title
 * @param {string} version @param {Record<number, number>} [angles] each N(0, I) label's angle, by radius
 */
export function baseLayout(size, info, title, version, angles = {}) {
  const { width, height, narrow } = size;
  /** @type {any} */
  const layout = {
    width,
    height,
    autosize: false,
    uirevision: version,
    title: narrow
      ? { text: title, x: 0.01, y: 1 - NARROW_TITLE_Y / height, yanchor: "top", font: { size: 12 } }
      : { text: title, x: 0.01, font: { size: 14 } },
    font: { size: narrow ? 11 : 13 }, // axis ticks and the legend: 13 px or more wherever there is room
    margin: {
      ...(narrow ? MARGINS.narrow : MARGINS.wide),
      ...(!narrow && title.includes("<br>") ? { t: WIDE_TWO_LINES_TOP } : {}),
      autoexpand: false,
    },
    legend: { title: { text: "digit" }, itemsizing: "constant", x: 1.02, xanchor: "left", y: 1, yanchor: "top" },
    // On a phone the legend would take rows of the screen: the tip names a digit under the finger instead.
    // A finger's swipe scrolls the page (no zoom box, so no "double-click to zoom back out"); the modebar zooms.
    dragmode: coarsePointer() ? false : "zoom",
    hovermode: false,
    plot_bgcolor: "#fafafa",
    showlegend: !narrow,
    xaxis: { showgrid: false, zeroline: false },
    yaxis: { showgrid: false, zeroline: false },
    shapes: [],
    annotations: [],
    images: [],
  };
  if (info.extent) {
    const [x0, x1, y0, y1] = info.extent;
    Object.assign(layout.xaxis, { range: [x0, x1], autorange: false, constrain: "domain" });
    Object.assign(layout.yaxis, { range: [y0, y1], autorange: false, constrain: "domain", scaleanchor: "x" });
  }
  if (info.prior) {
    const [cx, cy] = info.prior;
    // A circle too small to hold its label (circleLabelled) is drawn unlabelled: its label would print over the
    // codes and the A/B markers, and say nothing readable; the line under the map says it in words (priorNote).
    let labelled = 0;
    for (const radius of PRIOR_RADII) {
      layout.shapes.push({
        type: "circle",
        xref: "x",
        yref: "y",
        x0: cx - radius,
        x1: cx + radius,
        y0: cy - radius,
        y1: cy + radius,
        line: { color: "#222", width: 1.6, dash: "dash" }, // seen among 10,000 dots (a reader lost the 2σ ring)
        layer: "above",
      });
      if (!circleLabelled(size, info, radius)) continue;
      layout.annotations.push({
        // Named, with its centre and angle, so priorlabels.js can move it off the A/B/★ markers.
        name: `prior:${radius}`,
        centre: [cx, cy],
        // Where the last map's label went (priorlabels.js): a new model's layout keeps it, so a β change
        // does not move it back and then need a second full Plotly render to move it off the markers again.
        angle: angles[radius] ?? 90,
        ...priorLabelAt([cx, cy], radius, angles[radius] ?? 90),
        // Plain words first; the share is N(0, I)'s, not the dots' (a newcomer read it as the dots').
        text: labelled++ ? `${radius}σ` : `N(0, I): ${radius}σ`,
        // N(0, I) in plain words (widgets/contract.py), a sentence a line: Plotly's hover label does not wrap.
        hovertext: `${PRIOR_WORDS.split(". ").join(".<br>")}<br>${Math.round(100 * priorMass(radius))}% of its draws fall inside this circle.`,
        showarrow: false,
        bgcolor: "rgba(255,255,255,0.85)", // over the dots, not under them
        font: { size: 13, color: "#444" }, // no text under 13 px, on a projector too
      });
    }
  }
  if (info.backdrop && info.extent) {
    const [x0, x1, y0, y1] = info.extent;
    layout.images.push({
      source: info.backdrop,
      xref: "x",
      yref: "y",
      x: x0,
      y: y1,
      sizex: x1 - x0,
      sizey: y1 - y0,
      sizing: "stretch",
      layer: "below",
      opacity: 0.9,
    });
  }
  return layout;
}

/**
 * Draws (or re-lays) the base graph for the model and map shown, once its codes and Plotly are there; before
 * Plotly, the first paint. True once Plotly has it in hand.
 * @param {ExploreState} state
 */
export function drawBase(state) {
  const Plotly = plotly();
  const model = currentModel(state);
  const labels = state.host.labels;
  const { map, backdrop } = state.view.shown;
  const size = shownMapSize(state);
  const info = mapInfo(state, size.narrow);
  const graph = state.dom.graph;
  if (!Plotly && !graph._fullLayout && paintFirstMap(state)) firstPaint(state);
  const codes = model.maps[map];
  if (!Plotly || !labels || !codes || !info) return false;
  const version = `${model.manifest.name}/${map}/${backdrop}${map === "plane" && size.narrow ? "/phone" : ""}`;
  showKey(state, size.narrow);
  const layout = baseLayout(size, info, mapTitle(state, info, size.narrow), version, state.cache.priorAngles);
  graph.style.height = `${layout.height}px`;
  if (state.cache.baseVersion === version && graph._fullLayout) {
    const drawn = graph._fullLayout;
    if (Math.abs(drawn.width - layout.width) >= 2 || Math.abs(drawn.height - layout.height) >= 2) {
      Plotly.relayout(graph, { width: layout.width, height: layout.height }).then(() => afterDraw(state));
    }
    return true;
  }
  state.cache.baseVersion = version;
  forgetHits(state);
  const traces = baseTraces(codes, labels, map === "plane" && backdrop);
  const drawnBeta = model.manifest.mu ? "" : betaText(model.manifest.beta); // the β slider's MR-VAE (beta.js)
  const fresh = !graph._fullLayout;
  const config = hostData(state).config;
  const drawing = fresh ? Plotly.newPlot(graph, traces, layout, config) : Plotly.react(graph, traces, layout, config);
  drawing.then(() => {
    removeFirstPaint(state);
    plotted(state);
    if (fresh) {
      for (const event of ["plotly_relayout", "plotly_restyle", "plotly_afterplot", "plotly_legendclick"]) {
        graph.on(event, () => afterDraw(state));
      }
      graph.on("plotly_relayouting", () => drawOverlay(state, true));
    }
    afterDraw(state);
    state.stage.mapDraws += 1;
    state.dom.root.dataset.mapDraws = String(state.stage.mapDraws);
    if (drawnBeta) state.dom.root.dataset.mrDrawn = drawnBeta;
    if (drawnBeta && info.backdrop) state.dom.root.dataset.mrBackdrop = drawnBeta;
    noteDrawn("map");
  });
  return true;
}

/** After any zoom, pan, resize or legend toggle: the hit-test grid is stale and the overlay moves. */
export function afterDraw(/** @type {ExploreState} */ state) {
  forgetHits(state);
  placeOverlay(state);
  drawOverlay(state);
}
