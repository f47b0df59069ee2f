// The explorer widget: the latent map with the morph beside it (under it on a phone), in one element that
// stays mounted. A host mounts it and hands it data (types.js); it reports its events to the host.
//
//   const widget = mountExplorer(parentElement, { report(message) { ... } });
//   widget.update(data);   // each time the host has new data
//   widget.destroy();      // when it leaves the page

import { plotly } from "../core/chart.js";
import { SIDE } from "../core/decoder.js";
import { element, listen, useStylesheet } from "../core/dom.js";
import { buildSlider } from "./beta.js";
import { receive } from "./controller.js";
import { digitKey } from "./digitkey.js";
import { inspect } from "./inspect.js";
import { drawBase } from "./map/plot.js";
import { listenToPointer } from "./map/pointer.js";
import { buildPanel, renderPanel } from "./panel/index.js";
import { play } from "./panel/preview.js";
import { buildToolbar } from "./panel/toolbar.js";
import { createState } from "./state.js";
import { mountYourModel } from "./yourmodel.js";

/**
 * @typedef {import("./state.js").ExploreState} ExploreState
 * @typedef {import("./types.js").ExplorerData} ExplorerData
 */

const STYLES = new URL("./explore.css", import.meta.url).href;
const NARROW_ROOT_PX = 760; // a widget narrower than this puts the morph under the map

/** The map's column: the phone's line of colours, then the map box with its layers. @param {HTMLElement} parent */
function buildMapColumn(parent) {
  // A phone's map has no room for Plotly's legend: one line of coloured digits above it instead.
  const key = digitKey(parent, "le-key");
  const mapBox = element(parent, "div", "le-mapbox");
  const holesKey = element(parent, "div", "le-holes-key"); // what the map's shading and rings mean (holes.js)
  holesKey.hidden = true;
  const note = element(mapBox, "div", "le-note");
  const graph = element(mapBox, "div", "le-map");
  const overlay = element(mapBox, "canvas", "le-overlay");
  const tip = element(mapBox, "div", "le-tip");
  const tiles = element(tip, "div", "le-tip-tiles");
  const tipCanvases = [0, 1].map(() => {
    const canvas = element(tiles, "canvas");
    canvas.width = canvas.height = SIDE;
    return canvas;
  });
  const tipText = element(tip, "div", "le-tip-text");
  return { key, mapBox, holesKey, note, graph, overlay, tip, tipCanvases, tipText };
}

/** Lays the widget out again when its width changes (frame-throttled). @param {ExploreState} state */
function followResize(state) {
  const root = state.dom.root;
  let frame = 0;
  let laidOut = "";
  const resize = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!root.isConnected || root.clientWidth === 0) return; // leaving the page (another view): nothing to lay out
      // What the map's size follows only (its width, the window's height: area.js mapSize): a line of the panel
      // that grows or shrinks with the model's name changes the root's height, and a full Plotly layout for
      // it, before the frame that shows a β change's strip, cost ~150 ms a press (benchmarks/page_speed.py).
      const size = `${root.clientWidth}x${window.innerHeight}`;
      if (size === laidOut) return;
      laidOut = size;
      state.stage.resizes += 1;
      root.dataset.resizes = String(state.stage.resizes);
      root.classList.toggle("le-narrow", root.clientWidth < NARROW_ROOT_PX);
      if (state.host.data) {
        drawBase(state);
        renderPanel(state);
      }
    });
  });
  resize.observe(root);
  state.cleanups.push(() => resize.disconnect());
}

/**
 * @param {HTMLElement} parent @param {import("../core/host.js").Host} host
 * @returns {import("../core/host.js").Widget<ExplorerData>}
 */
export function mountExplorer(parent, host) {
  const root = element(parent, "div", "le-root");
  root.classList.toggle("le-narrow", (parent.clientWidth || 1000) < NARROW_ROOT_PX);
  const toolbar = buildToolbar(root);
  const body = element(root, "div", "le-body");
  const mapColumn = buildMapColumn(element(body, "div", "le-left"));
  /** @type {ExploreState} */
  let state;
  const panel = buildPanel(body, () => state);
  const mr = buildSlider(body);
  panel.compare.before(mr.box); // the β slider under the morph it redraws (on a phone above the map: beta.js)
  const tile = document.createElement("canvas");
  tile.width = tile.height = SIDE;
  state = createState(host, { root, toolbar, mr, ...mapColumn, ...panel, tile });
  listenToPointer(state);
  followResize(state);
  listen(state.cleanups, root, "le:inspect", (event) => Object.assign(event.detail, inspect(state)));
  play(state);
  const yours = mountYourModel(root, () => state.host.data?.digits ?? null);
  state.cleanups.push(yours.destroy);
  const styled = useStylesheet(STYLES);
  return {
    root,
    update(data) {
      styled.then(() => {
        if (!state.stage.gone) receive(state, data);
      });
    },
    destroy() {
      state.stage.gone = true;
      clearTimeout(state.timers.player);
      clearTimeout(state.timers.waiting);
      for (const cleanup of state.cleanups.splice(0)) cleanup();
      if (plotly() && state.dom.graph._fullLayout) plotly().purge(state.dom.graph);
    },
  };
}
