// The explorer's flow: data in from the host, events out, and `refresh`, which brings what is drawn up to
// date with the view (loading what the shown model and map need, then the strip, the overlay and the map).
//
// The widget holds its own copy of the view and the endpoints, so a click, a drag, a scrub or a change of β
// redraws within a frame from the decoders it fetched once. Every change is also reported to the host as a
// numbered event (core/protocol.js); until the host has acknowledged them all, the widget's copy wins over
// what the host last sent. The host stays the authority for what it computes: the geodesic replaces the
// straight line shown meanwhile, and its classifier readings label the strip.

import { plotly } from "../core/chart.js";
import { blob, image } from "../core/fetch.js";
import { computePath, currentModel, endFrom, localEnd } from "./endpoints.js";
import { drawOverlay } from "./map/overlay.js";
import { drawBase } from "./map/plot.js";
import { allParts, hasPart, loadModel, modelEntry } from "./models.js";
import { fitSliderMap } from "./multirate.js";
import { renderPanel } from "./panel/index.js";
import { channelFor, hostData, noteDrawn } from "./state.js";

/**
 * @typedef {import("./state.js").ExploreState} ExploreState
 * @typedef {import("./types.js").ExplorerData} ExplorerData
 */

const WAIT_MS = 20000; // how long the map waits for Plotly and its first blobs before saying so

/**
 * Reports an event to the host (numbered and queued by the channel).
 * @param {ExploreState} state @param {{type: string} & Record<string, unknown>} event
 */
export function emit(state, event) {
  const channel = channelFor(state, hostData(state).name);
  state.hostApi.report(channel.emit(event));
  state.dom.root.dataset.sent = String(channel.sent);
}

/** The view as a "view" event carries it (toolbar.js sendView). @param {any} shown */
export function viewEvent(shown) {
  const { model, map, method, frames, compare, backdrop, mr } = shown;
  return { model, map, method, frames, compare: !!compare, backdrop: !!backdrop, mr: mr ?? null };
}

/** New data from the host: its view and endpoints are adopted once it has seen every event sent from here. */
export function receive(/** @type {ExploreState} */ state, /** @type {ExplorerData} */ data) {
  state.host.data = data;
  const ack = data.ack || 0;
  const caughtUp = channelFor(state, data.name).receive(ack);
  state.dom.root.dataset.ack = String(ack);
  const { view } = state;
  if (caughtUp) {
    view.shown = { ...data.view };
    view.ends = { a: endFrom(data.ends.a), b: endFrom(data.ends.b) };
    if (view.shown.compare && view.shown.mr !== null && view.shown.mr !== undefined) {
      // Comparing all β sets the separately trained models side by side: the slider's one model steps aside
      // (opened together from a link, the two froze the page), and the host hears it.
      view.shown.mr = null;
      view.notice = "Comparing all β: the separately trained models; the β slider is off.";
      queueMicrotask(() => emit(state, { type: "view", ...viewEvent(view.shown) }));
    } else if (fitSliderMap(state)) queueMicrotask(() => emit(state, { type: "view", ...viewEvent(view.shown) }));
  } else {
    // Keep the widget's endpoints, but take the codes the host has computed for them since.
    for (const name of /** @type {const} */ (["a", "b"])) {
      const mine = view.ends[name];
      const sent = data.ends[name];
      if (mine && sent && mine.id === sent.id) view.ends[name] = endFrom(sent);
    }
  }
  view.drawn = endFrom(data.drawn);
  if (!state.host.labels) {
    blob(data.digits.labels).promise.then(
      (buffer) => {
        state.host.labels = new Uint8Array(buffer);
        refresh(state, "labels");
      },
      () => {},
    );
  }
  if (state.stage.plotted) preloadGroup(state);
  refresh(state, "data");
}

/** The parts of the shown model the page needs now. Before the first paint only the map's codes: with Plotly
 * they are all a first paint needs; the decoder and the test codes follow once the map is on the screen. */
function neededParts(/** @type {ExploreState} */ state) {
  const { shown, ends } = state.view;
  const parts = [`map:${shown.map}`];
  if (state.stage.painted) {
    parts.push("decoder");
    if ([ends.a, ends.b].some((end) => end && end.kind === "test") || shown.map === "tsne") parts.push("mu");
  }
  return parts;
}

/**
 * Loads what the shown model and map need, then redraws the strip, the overlay and (a frame later) the map.
 * @param {ExploreState} state @param {string} reason what changed (named in the drawing marks)
 */
export function refresh(state, reason) {
  if (state.stage.gone || !state.host.data) return;
  const entry = currentModel(state);
  // The β slider's MR-VAE has no stored test codes (mu: ""): it encodes the endpoints it needs (multirate.js).
  const missing = neededParts(state).filter((part) => !hasPart(entry, part) && !(part === "mu" && !entry.manifest.mu));
  const waiting = missing.join() + entry.manifest.name;
  if (missing.length && state.cache.loading !== waiting) {
    state.cache.loading = waiting;
    loadModel(entry, missing).then(
      () => {
        if (state.cache.loading === waiting) state.cache.loading = null;
        refresh(state, reason);
      },
      (error) =>
        showNote(state, `The model's data did not arrive (${error.message}). Check the connection, then retry.`),
    );
  }
  const before = state.view.path ? `${state.view.path.key}/${state.view.path.pending}` : null;
  state.view.path = computePath(state);
  renderPanel(state); // the strip first: redrawing 10,000 points can take longer than a frame
  const path = state.view.path;
  if (path && `${path.key}/${path.pending}` !== before) {
    state.stage.stripDraws += 1;
    state.dom.root.dataset.strip = path.key;
    state.dom.root.dataset.stripDraws = String(state.stage.stripDraws);
    noteDrawn(`strip:${reason}`);
  }
  state.cache.overlayPoints = null;
  drawOverlay(state);
  // The map after the frame that shows the strip: laying out 10,000 points can take longer than a frame.
  const { timers } = state;
  cancelAnimationFrame(timers.baseFrame);
  clearTimeout(timers.baseTimer);
  if (!state.stage.painted) waitForPlotly(state);
  else {
    timers.baseFrame = requestAnimationFrame(() => {
      timers.baseTimer = window.setTimeout(() => waitForPlotly(state), 0);
    });
  }
}

/** Once the map's points are on the screen (the canvas before Plotly, or Plotly): what the strip needs. */
export function firstPaint(/** @type {ExploreState} */ state) {
  if (state.stage.painted) return;
  state.stage.painted = true;
  refresh(state, "painted");
}

/**
 * Once Plotly has drawn the map: the hover's digit sprite, then the other models of this latent size. Not
 * sooner: while the host's Plotly is on its way they would compete with it for the connection and the thread.
 * @param {ExploreState} state
 */
export function plotted(state) {
  firstPaint(state);
  if (state.stage.plotted) return;
  state.stage.plotted = true;
  const sprite = image(hostData(state).digits.sprite);
  state.cache.sprite = sprite;
  sprite.promise.then(
    () => renderPanel(state),
    () => {},
  );
  preloadGroup(state);
}

/** After the first paint, the other β of the shown latent size, so switching β never waits. */
function preloadGroup(/** @type {ExploreState} */ state) {
  const shown = state.view.shown.model;
  if (state.cache.preloaded === shown) return;
  state.cache.preloaded = shown;
  const models = hostData(state).models;
  const latent = models[shown].latent;
  const later = window.requestIdleCallback || ((/** @type {() => void} */ work) => setTimeout(work, 200));
  later(() => {
    for (const manifest of Object.values(models)) {
      if (manifest.latent === latent) loadModel(modelEntry(manifest), allParts(manifest)).catch(() => {});
    }
  });
}

/** A message over the map with a Retry button. @param {ExploreState} state @param {string} message */
export function showNote(state, message) {
  const note = state.dom.note;
  note.replaceChildren(document.createTextNode(message));
  const retry = document.createElement("button");
  retry.type = "button";
  retry.textContent = "Retry";
  retry.onclick = () => {
    // A failed Plotly chunk stays failed for this page (the browser remembers a failed module import): only a
    // reload fetches it again. Missing data can be asked for again.
    if (!plotly()) {
      window.location.reload();
      return;
    }
    note.style.display = "none";
    state.timers.waitStarted = performance.now();
    refresh(state, "retry");
  };
  note.appendChild(retry);
  note.style.display = "block";
}

/** The base graph needs Plotly (the host's) and the map's codes: draws it now, or tries again shortly. */
export function waitForPlotly(/** @type {ExploreState} */ state) {
  const { timers } = state;
  if (drawBase(state)) {
    state.dom.note.style.display = "none";
    return;
  }
  if (timers.waiting) return;
  timers.waitStarted = timers.waitStarted || performance.now();
  // Past WAIT_MS the visitor is told once, and the wait goes on, slower: a slow machine or network may yet
  // deliver, and then the map draws.
  timers.waiting = window.setTimeout(
    () => {
      timers.waiting = 0;
      if (state.stage.gone) return;
      if (drawBase(state)) {
        state.dom.note.style.display = "none";
        refresh(state, "plotly");
        return;
      }
      if (!timers.noted && performance.now() - timers.waitStarted > WAIT_MS) {
        timers.noted = true;
        showNote(
          state,
          plotly()
            ? "The map's data did not arrive. Check the connection, then retry."
            : "The map's drawing library (Plotly) did not load. Check the connection, then retry (the page reloads).",
        );
      }
      waitForPlotly(state);
    },
    timers.noted ? 500 : 40,
  );
}

/**
 * @typedef {{kind: "test", index: number} | {kind: "point", map: string, x: number, y: number}} Spec
 */

/** A click: the first empty slot (A, then B); with both set, a new pair from A. */
export function applyPick(/** @type {ExploreState} */ state, /** @type {Spec} */ spec, /** @type {string} */ reason) {
  const end = localEnd(state, spec);
  const ends = state.view.ends;
  if (!ends.a) ends.a = end;
  else if (!ends.b) ends.b = end;
  else state.view.ends = { a: end, b: null };
  refresh(state, reason);
}

/** @param {ExploreState} state @param {Spec} spec */
export function sendPick(state, spec) {
  emit(
    state,
    spec.kind === "test" ? { type: "pick", index: spec.index } : { type: "point", map: spec.map, x: spec.x, y: spec.y },
  );
}

/** @param {ExploreState} state @param {Spec} spec */
export function pick(state, spec) {
  applyPick(state, spec, "pick");
  sendPick(state, spec);
}
