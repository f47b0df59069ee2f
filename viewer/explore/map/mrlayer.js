// The map while the β slider is dragged: Plotly's WebGL points take a whole frame or more to redraw without a GPU
// (measured: ~200 ms a frame for 10,000 points in headless Chromium on this 2-core machine), so during a drag the
// codes are painted on a 2-D canvas laid exactly over the plot area (Plotly's own axes, l2p), with the legend's
// hidden digits left out, and Plotly's points and backdrop are hidden under it. When the drag rests, Plotly gets
// the codes (restyle) and the canvas goes. On the z = 2 plane the decoded backdrop is painted there too.

import { DIGIT_COLOURS } from "../../core/constants.js";
import { element } from "../../core/dom.js";
import { plotArea } from "./area.js";

/** @typedef {import("../state.js").ExploreState} ExploreState */

const DRAGGING = "le-mr-dragging"; // on the graph: explore.css hides Plotly's WebGL points and images under it

/** @type {WeakMap<ExploreState, HTMLCanvasElement>} */
const layers = new WeakMap();

/**
 * Paints `codes` (N, 2) over the plot area, and under them `backdrop` (a canvas of tiles covering `extent`), and
 * hides Plotly's points. False when the plot is not there to paint over.
 * @param {ExploreState} state @param {Float32Array} codes @param {{canvas: HTMLCanvasElement,
 *   extent: [number, number, number, number]} | null} backdrop
 */
export function paintLayer(state, codes, backdrop) {
  const graph = state.dom.graph;
  const labels = state.host.labels;
  const area = plotArea(state);
  if (!area || !labels || !graph._fullData) return false;
  let canvas = layers.get(state);
  if (!canvas) {
    canvas = /** @type {HTMLCanvasElement} */ (element(state.dom.mapBox, "canvas", "le-mr-layer"));
    state.dom.mapBox.insertBefore(canvas, state.dom.overlay);
    layers.set(state, canvas);
  }
  const ratio = window.devicePixelRatio || 1;
  const box = state.dom.mapBox.getBoundingClientRect();
  const width = Math.round(area.width * ratio);
  const height = Math.round(area.height * ratio);
  canvas.style.left = `${area.left - box.left}px`;
  canvas.style.top = `${area.top - box.top}px`;
  canvas.style.width = `${area.width}px`;
  canvas.style.height = `${area.height}px`;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  if (!context) return false;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, area.width, area.height);
  const { xa, ya } = area;
  if (backdrop) {
    const [x0, x1, y0, y1] = backdrop.extent;
    context.globalAlpha = 0.9;
    context.drawImage(backdrop.canvas, xa.l2p(x0), ya.l2p(y1), xa.l2p(x1) - xa.l2p(x0), ya.l2p(y0) - ya.l2p(y1));
  }
  const faint = !!backdrop || (state.view.shown.map === "plane" && state.view.shown.backdrop);
  const radius = faint ? 1.5 : 2;
  context.globalAlpha = faint ? 0.45 : 0.75;
  for (let digit = 0; digit < 10; digit++) {
    const trace = graph._fullData[digit];
    if (trace?.visible !== true) continue;
    context.fillStyle = DIGIT_COLOURS[digit];
    context.beginPath();
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== digit) continue;
      const x = xa.l2p(codes[2 * i]);
      const y = ya.l2p(codes[2 * i + 1]);
      context.rect(x - radius, y - radius, 2 * radius, 2 * radius); // squares: a fraction of arcs' cost
    }
    context.fill();
  }
  context.globalAlpha = 1;
  canvas.style.display = "block";
  graph.classList.add(DRAGGING);
  return true;
}

/** Plotly has the codes again: the layer goes, its points show. @param {ExploreState} state */
export function clearLayer(state) {
  const canvas = layers.get(state);
  if (canvas) canvas.style.display = "none";
  state.dom.graph.classList.remove(DRAGGING);
}
