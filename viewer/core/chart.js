// A plain Plotly figure (a dict of lists from the server, no plotly.py on the way), drawn with the page's
// Plotly (window.Plotly: Streamlit's bundle, or the static site's copy of plotly.min.js).

import { element } from "./dom.js";

const WAIT_MS = 20000; // how long a chart waits for Plotly before giving up quietly

/** @returns {any} the page's Plotly, once it has loaded */
export function plotly() {
  return /** @type {any} */ (window).Plotly;
}

/**
 * Draws `figure` in `parent` (made once, then redrawn in place); returns a cleanup.
 * @param {HTMLElement} parent
 * @param {{figure: {data: object[], layout: object}, anchor?: string | null, config?: object | null}} data
 */
export function drawChart(parent, data) {
  let chart = /** @type {HTMLElement | null} */ (parent.querySelector(".le-chart"));
  if (!chart) {
    chart = element(parent, "div", "le-chart");
    if (data.anchor) chart.id = data.anchor;
  }
  const target = chart;
  const draw = (/** @type {number} */ tries) => {
    const Plotly = plotly();
    if (!Plotly) {
      if (tries < WAIT_MS / 50) setTimeout(() => draw(tries + 1), 50);
      return;
    }
    const width = Math.max(240, parent.clientWidth || 600);
    const layout = { ...data.figure.layout, width, autosize: false };
    Plotly.react(target, data.figure.data, layout, data.config || { displaylogo: false, responsive: true });
  };
  draw(0);
  return () =>
    setTimeout(() => {
      if (!target.isConnected && plotly()) plotly().purge(target);
    }, 0);
}
