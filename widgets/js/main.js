// The latent explorer widget (widgets/morph_map.py says what the server sends and reads back).
//
// The browser holds its own copy of the view (model, map, path method, frames) and of the two
// endpoints, so a click, a drag, a scrub or a change of β redraws the strip within a frame, from
// the decoders it fetched once (assets.js). Every change is also sent to the server as a numbered
// event; events stay queued (and are re-sent with each new one) until a server run acknowledges
// them, and until then the browser's copy wins over what the server last sent. The server's run
// stays the authority: its frames feed the downloads, the analytics and the tests, and its
// geodesic replaces the straight line the browser shows while it is being computed.

const WAIT_MS = 20000; // how long the map waits for Plotly and its first blobs before saying so
const MAX_PENDING = 64; // events one message may carry (morph_map.py keeps the same bound)

function currentModel(state) {
  return modelEntry(state.data.models[state.shown.model]);
}

function testCode(entry, index) {
  const latent = entry.manifest.latent;
  return entry.mu ? entry.mu.subarray(index * latent, (index + 1) * latent) : null;
}

// An endpoint's code under one model: a test digit's mu, a point's own code on its own map, or the
// code the server computed (a drawing, or a point seen by another model: its picture, encoded).
function codeUnder(state, end, entry) {
  if (!end) return null;
  const name = entry.manifest.name;
  if (end.kind === "test") return testCode(entry, end.index);
  if (end.kind === "point" && end.source === name) {
    return end.map === "plane" ? Float32Array.of(end.x, end.y) : invert(entry.manifest.maps.pca, end.x, end.y);
  }
  return end.codes && end.codes[name] ? end.codes[name] : null;
}

function codeOf(state, end) {
  return codeUnder(state, end, currentModel(state));
}

function pathKey(state, name) {
  const id = (end) => (end ? end.id : "-");
  return [name, state.shown.method, state.shown.frames, id(state.ends.a), id(state.ends.b)].join("|");
}

// The path's codes under model `name`: computed here for linear and spherical; for a geodesic, the
// server's optimised codes once they match this very path, a straight line until then.
function pathFor(state, name, a, b) {
  const { method, frames } = state.shown, key = pathKey(state, name);
  if (method === "geodesic") {
    const server = state.data.paths && state.data.paths[name];
    if (server && server.key === key) return { key, method, pending: false, codes: server.codes.map((c) => Float32Array.from(c)) };
    return { key, method, pending: true, codes: pathCodes(a, b, frames, "linear") };
  }
  return { key, method, pending: false, codes: pathCodes(a, b, frames, method) };
}

function computePath(state) {
  const entry = currentModel(state);
  const a = codeOf(state, state.ends.a), b = codeOf(state, state.ends.b);
  if (!a || !b || !entry.decoder) return null;
  const path = pathFor(state, entry.manifest.name, a, b);
  path.a = a;
  path.b = b;
  path.frames = path.codes.map((code) => decode(entry.decoder, code, new Float64Array(784)));
  return path;
}

// The code at fraction t of the shown path: exact for straight and spherical paths, along the
// optimised polyline for a geodesic.
function pathAt(state, t) {
  const path = state.path;
  if (!path.pending && path.method !== "geodesic") return Float32Array.from(pathPoint(path.a, path.b, t, path.method));
  const codes = path.codes, at = t * (codes.length - 1), i = Math.min(codes.length - 2, Math.floor(at)), u = at - i;
  return codes[i].map((value, k) => (1 - u) * value + u * codes[i + 1][k]);
}

function rounded(value) {
  return Math.round(value * 100) / 100;
}

// An endpoint made here, before the server has seen it (the same label and id the server will give it).
function localEnd(state, spec) {
  if (spec.kind === "test") {
    const label = state.labels ? ` (a ${state.labels[spec.index]})` : "";
    return { kind: "test", index: spec.index, id: `t${spec.index}`, label: `test #${spec.index}${label}` };
  }
  const x = rounded(spec.x), y = rounded(spec.y), source = state.shown.model;
  const what = spec.map === "plane" ? "plane" : "PCA point";
  return {
    kind: "point", map: spec.map, x, y, source, codes: {}, image: null,
    id: `p:${spec.map}:${x.toFixed(2)},${y.toFixed(2)}@${source}`, label: `${what} (${x.toFixed(2)}, ${y.toFixed(2)})`,
  };
}

// A click: the first empty slot (A, then B); with both set, a new pair from A.
function applyPick(state, spec, reason) {
  const end = localEnd(state, spec), ends = state.ends;
  if (!ends.a) ends.a = end;
  else if (!ends.b) ends.b = end;
  else state.ends = { a: end, b: null };
  refresh(state, reason);
}

function sendPick(state, spec) {
  sendEvent(state, spec.kind === "test" ? { type: "pick", index: spec.index } : { type: "point", map: spec.map, x: spec.x, y: spec.y });
}

function pick(state, spec) {
  applyPick(state, spec, "pick");
  sendPick(state, spec);
}

function bytes(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

// An endpoint as the server sends it (sections/map.py end_data).
function endFrom(sent) {
  if (!sent) return null;
  const end = { ...sent, codes: {} };
  for (const [name, code] of Object.entries(sent.codes || {})) end.codes[name] = Float32Array.from(code);
  end.image = sent.image ? bytes(sent.image) : null;
  return end;
}

function sendEvent(state, event) {
  const name = state.data.name;
  const serial = Math.max(SHARED.serials.get(name) || 0, state.data.ack || 0) + 1;
  SHARED.serials.set(name, serial);
  const entry = { serial, ...event };
  state.queue.push(entry);
  state.graph.leSent = (state.graph.leSent || 0) + 1;
  // Every unacknowledged event rides along: if Streamlit coalesces two triggers, the latest still holds both.
  state.send("event", { ...entry, pending: state.queue.slice(-MAX_PENDING) });
}

// New data from the server: adopt its view and endpoints once it has seen every event sent from here.
function receive(state, data) {
  state.data = data;
  const ack = data.ack || 0;
  // An acknowledgement that went backwards comes from a new session (the server restarted, or the old
  // session expired): it has rebuilt the view from the link, and the events it never saw are dropped.
  if (ack < (state.lastAck || 0)) state.queue = [];
  state.lastAck = ack;
  state.queue = state.queue.filter((event) => event.serial > ack);
  SHARED.serials.set(data.name, Math.max(SHARED.serials.get(data.name) || 0, ack));
  state.graph.leAck = ack;
  if (state.queue.length === 0) {
    state.shown = { ...data.view };
    state.ends = { a: endFrom(data.ends.a), b: endFrom(data.ends.b) };
  } else {
    // Keep the browser's endpoints, but take the codes the server has computed for them since.
    for (const name of ["a", "b"]) {
      const mine = state.ends[name], sent = data.ends[name];
      if (mine && sent && mine.id === sent.id) state.ends[name] = endFrom(sent);
    }
  }
  state.drawn = endFrom(data.drawn);
  if (!state.labels) blob(data.digits.labels).promise.then((buffer) => {
    state.labels = new Uint8Array(buffer);
    refresh(state, "labels");
  }, () => {});
  if (state.plotted) preloadGroup(state);
  refresh(state, "data");
}

// Loads what the shown model and map need, then redraws the strip, the overlay and the map. Before the
// first paint only the map's codes are fetched (with Plotly, they are all a first paint needs); the
// decoders, the test codes and the digit sprite follow once the map is on the screen.
function refresh(state, reason) {
  if (state.gone || !state.data) return;
  const entry = currentModel(state), parts = [`map:${state.shown.map}`];
  if (state.painted) {
    parts.push("decoder");
    if ([state.ends.a, state.ends.b].some((end) => end && end.kind === "test") || state.shown.map === "tsne") parts.push("mu");
  }
  const have = (part) => (part === "decoder" ? entry.decoder : part === "mu" ? entry.mu : entry.maps[part.slice(4)]);
  const missing = parts.filter((part) => !have(part));
  const waiting = missing.join() + entry.manifest.name;
  if (missing.length && state.loading !== waiting) {
    state.loading = waiting;
    loadModel(entry, missing).then(
      () => {
        if (state.loading === waiting) state.loading = null;
        refresh(state, reason);
      },
      (error) => showNote(state, `The model's data did not arrive (${error.message}). Check the connection, then retry.`),
    );
  }
  const before = state.path ? `${state.path.key}/${state.path.pending}` : null;
  state.path = computePath(state);
  renderPanel(state); // the strip first: redrawing 10,000 points can take longer than a frame
  const now = state.path ? `${state.path.key}/${state.path.pending}` : null;
  if (state.path && now !== before) {
    state.root.dataset.strip = state.path.key;
    state.stripDraws = (state.stripDraws || 0) + 1;
    state.root.dataset.stripDraws = String(state.stripDraws);
    noteDrawn(`strip:${reason}`);
  }
  state.overlayPoints = null;
  drawOverlay(state);
  // The map after the frame that shows the strip: laying out 10,000 points can take longer than a frame.
  cancelAnimationFrame(state.baseFrame);
  clearTimeout(state.baseTimer);
  if (!state.painted) waitForPlotly(state);
  else state.baseFrame = requestAnimationFrame(() => (state.baseTimer = setTimeout(() => waitForPlotly(state), 0)));
}

// Once the map's points are on the screen (the canvas before Plotly, or Plotly): what the strip needs.
function firstPaint(state) {
  if (state.painted) return;
  state.painted = true;
  refresh(state, "painted");
}

// Once Plotly has drawn the map: the hover's digit sprite, then the other models of this latent size.
// Not sooner: while Streamlit's Plotly bundle is on its way they would compete with it for the
// connection and the main thread.
function plotted(state) {
  firstPaint(state);
  if (state.plotted) return;
  state.plotted = true;
  state.sprite = image(state.data.digits.sprite);
  state.sprite.promise.then(() => renderPanel(state), () => {});
  preloadGroup(state);
}

// After the first paint, the other β of the shown latent size, so switching β never waits.
function preloadGroup(state) {
  if (state.preloaded === state.shown.model) return;
  state.preloaded = state.shown.model;
  const latent = state.data.models[state.shown.model].latent;
  const later = window.requestIdleCallback || ((work) => setTimeout(work, 200));
  later(() => {
    for (const manifest of Object.values(state.data.models)) {
      if (manifest.latent === latent) loadModel(modelEntry(manifest), ["decoder", "mu", ...Object.keys(manifest.maps).map((m) => `map:${m}`)]).catch(() => {});
    }
  });
}

function showNote(state, message) {
  state.note.replaceChildren(document.createTextNode(message));
  const retry = element(state.note, "button");
  retry.type = "button";
  retry.textContent = "Retry";
  retry.onclick = () => {
    // A failed Plotly chunk stays failed for this page (the browser remembers a failed module import):
    // only a reload fetches it again. Missing data can be asked for again.
    if (!window.Plotly) {
      window.location.reload();
      return;
    }
    state.note.style.display = "none";
    state.waitStarted = performance.now();
    refresh(state, "retry");
  };
  state.note.style.display = "block";
}

// The base graph needs Plotly (Streamlit's own bundle, loaded by a hidden chart) and the map's codes.
function waitForPlotly(state) {
  if (drawBase(state)) {
    state.note.style.display = "none";
    return;
  }
  if (state.waiting) return;
  state.waitStarted = state.waitStarted || performance.now();
  state.waiting = setTimeout(() => {
    state.waiting = 0;
    if (state.gone) return;
    if (drawBase(state)) {
      state.note.style.display = "none";
      refresh(state, "plotly");
    } else if (performance.now() - state.waitStarted > WAIT_MS) {
      showNote(state, window.Plotly
        ? "The map's data did not arrive. Check the connection, then retry."
        : "The map's drawing library (Plotly) did not load. Check the connection, then retry (the page reloads).");
    } else {
      waitForPlotly(state);
    }
  }, 40);
}

function listen(state, target, type, handler, options) {
  target.addEventListener(type, handler, options);
  state.cleanups.push(() => target.removeEventListener(type, handler, options));
}

function buildExplorer(parentElement) {
  const root = element(parentElement, "div", "le-root");
  const state = {
    root, data: null, shown: null, ends: { a: null, b: null }, drawn: null, queue: [], path: null, scrub: null,
    scrubSource: null, playStep: 0, cleanups: [], scratch: new Float64Array(784), gone: false,
  };
  state.tileCanvas = document.createElement("canvas");
  state.tileCanvas.width = state.tileCanvas.height = SIDE;
  buildToolbar(state, root);
  const body = element(root, "div", "le-body");
  buildMap(state, element(body, "div", "le-left"));
  buildPanel(state, body);
  root.leState = state;
  listen(state, state.mapBox, "pointermove", (event) => onPointerMove(state, event));
  listen(state, state.mapBox, "pointerleave", () => {
    state.pointer = null;
    hideTip(state);
    if (state.scrubSource === "path" && !state.finger) setScrub(state, null);
  });
  listen(state, state.mapBox, "pointerdown", (event) => onPointerDown(state, event), true);
  listen(state, window, "pointermove", (event) => state.grab && onPointerMove(state, event), true);
  listen(state, window, "pointerup", (event) => onPointerUp(state, event), true);
  listen(state, window, "pointercancel", () => {
    if (state.down && !state.down.reverted) revertPress(state, state.down);
    state.down = null;
    state.grab = null;
    state.finger = false;
  }, true);
  // Touch events come after pointerdown: a grab or a scrub keeps the page from scrolling (which would
  // cancel the pointer) and Plotly from panning with the same finger.
  const holdTouch = (event) => {
    if (!state.grab && !state.finger) return;
    event.preventDefault();
    event.stopPropagation();
  };
  listen(state, state.mapBox, "touchstart", holdTouch, { capture: true, passive: false });
  listen(state, state.mapBox, "touchmove", holdTouch, { capture: true, passive: false });
  let resizeFrame = 0;
  const resize = new ResizeObserver(() => {
    if (resizeFrame) return;
    resizeFrame = requestAnimationFrame(() => {
      resizeFrame = 0;
      if (!root.isConnected || root.clientWidth === 0) return; // leaving the page (another view): nothing to lay out
      root.classList.toggle("le-narrow", root.clientWidth < 760);
      if (state.data) {
        drawBase(state);
        renderPanel(state);
      }
    });
  });
  resize.observe(root);
  state.cleanups.push(() => resize.disconnect());
  root.classList.toggle("le-narrow", (parentElement.clientWidth || 1000) < 760);
  play(state);
  return state;
}

function mountExplorer(component) {
  const { parentElement } = component;
  let state = parentElement.querySelector(".le-root")?.leState;
  if (!state) state = buildExplorer(parentElement);
  state.send = component.setTriggerValue;
  receive(state, component.data);
  // Streamlit runs the cleanup on unmount and also for a call superseded before it finished: the
  // widget is shared by every call, so tear down only once it has really left the page.
  return () =>
    setTimeout(() => {
      if (state.root.isConnected || state.gone) return;
      state.gone = true;
      clearTimeout(state.player);
      clearTimeout(state.waiting);
      for (const cleanup of state.cleanups.splice(0)) cleanup();
      if (window.Plotly && state.graph._fullLayout) window.Plotly.purge(state.graph);
    }, 0);
}

// A plain Plotly figure (a dict of lists from the server, no plotly.py on the way) drawn with Streamlit's Plotly.
function mountChart(component) {
  const { parentElement, data } = component;
  let chart = parentElement.querySelector(".le-chart");
  if (!chart) {
    chart = element(parentElement, "div", "le-chart");
    if (data.anchor) chart.id = data.anchor;
  }
  const draw = (tries) => {
    if (!window.Plotly) {
      if (tries < WAIT_MS / 50) setTimeout(() => draw(tries + 1), 50);
      return;
    }
    const width = Math.max(240, parentElement.clientWidth || 600);
    const layout = { ...data.figure.layout, width, autosize: false };
    window.Plotly.react(chart, data.figure.data, layout, data.config || { displaylogo: false, responsive: true });
  };
  draw(0);
  return () => setTimeout(() => {
    if (!chart.isConnected && window.Plotly) window.Plotly.purge(chart);
  }, 0);
}

// Scrolls Streamlit's main column (the page scrolls inside it) to the top, once per token.
function scrollTop(component) {
  const token = component.data.token;
  if (SHARED.scrolled === token) return undefined;
  SHARED.scrolled = token;
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) main.scrollTo({ top: 0 });
  window.scrollTo({ top: 0 });
  return undefined;
}

export default function (component) {
  const role = component.data && component.data.role;
  if (role === "chart") return mountChart(component);
  if (role === "scroll") return scrollTop(component);
  return mountExplorer(component);
}
