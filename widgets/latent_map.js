// The latent map: one Plotly graph that stays mounted across reruns (see latent_map.py).
//
// Three roles share this module. "digits" and "assets" are hidden siblings that stash
// their heavy payload (the test-digit sprite; a model's base figure, reconstruction
// sprite and z = 2 decoder) on a window-level registry keyed by version: their
// messages never change between clicks, so Streamlit sends them once. "map" draws the
// graph from the registry plus the small overlay it gets on every rerun.
//
// In the browser, with no server round trip: hover shows the nearest digit's image
// and reconstruction (cut from the sprites), or on a z = 2 plane what the decoder
// draws under the pointer (2 -> hidden -> 784, computed here). Clicks resolve to the
// nearest visible digit (or, with bounds, a point of the empty plane), get a serial,
// and stay queued until a run acknowledges them, so none is lost to a busy server.

const REGISTRY = (window.__latentExplorer = window.__latentExplorer || {
  digits: new Map(), // version -> {image, ready}
  assets: new Map(), // version -> {base, recon, decoder}
  serials: new Map(), // map name -> last serial sent (survives remounts)
  listeners: new Set(), // called when anything lands in the registry
});
const KEEP = 8; // asset versions kept (one per model and map a visitor opened recently)
const WAIT_MS = 20000; // how long the map waits for Plotly and its assets before saying so
const PICK_PX = 10; // a click or hover means the nearest digit within this many pixels
const TOUCH_PICK_PX = 18; // a fingertip is less precise
const TAP_SLOP_PX = 6; // a pointer that moved further than this between down and up dragged the map
const SIDE = 28;
const COLUMNS = 100; // digit i sits at column i % 100, row i // 100 of a sprite (explorer/sprites.py)

function remember(map, version, value) {
  map.delete(version);
  map.set(version, value);
  while (map.size > KEEP) map.delete(map.keys().next().value);
  for (const listener of [...REGISTRY.listeners]) listener();
}

function spriteImage(url) {
  const entry = { image: new Image(), ready: false };
  entry.image.onload = () => {
    entry.ready = true;
    for (const listener of [...REGISTRY.listeners]) listener();
  };
  entry.image.src = url;
  return entry;
}

function floats(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer); // little-endian float32, as explorer/sprites.py writes them
}

function decoderFrom(weights) {
  if (!weights) return null;
  return {
    latent: weights.latent, hidden: weights.hidden, pixels: weights.pixels,
    w1: floats(weights.w1), b1: floats(weights.b1), w2: floats(weights.w2), b2: floats(weights.b2),
    h: new Float32Array(weights.hidden),
  };
}

// sigmoid(w2 relu(w1 z + b1) + b2) into `out` (pixels), the decoder of vae/model.py.
function decode(decoder, z, out) {
  const { latent, hidden, pixels, w1, b1, w2, b2, h } = decoder;
  for (let j = 0; j < hidden; j++) {
    let sum = b1[j];
    for (let k = 0; k < latent; k++) sum += w1[j * latent + k] * z[k];
    h[j] = sum > 0 ? sum : 0;
  }
  for (let p = 0; p < pixels; p++) {
    let sum = b2[p];
    const row = p * hidden;
    for (let j = 0; j < hidden; j++) sum += w2[row + j] * h[j];
    out[p] = 1 / (1 + Math.exp(-sum));
  }
  return out;
}

function stash(data) {
  if (data.role === "digits") {
    const known = REGISTRY.digits.get(data.version);
    if (!known || known.url !== data.sprite) {
      const entry = spriteImage(data.sprite);
      entry.url = data.sprite;
      remember(REGISTRY.digits, data.version, entry);
    }
  } else if (data.role === "assets") {
    const known = REGISTRY.assets.get(data.version);
    if (!known || known.raw !== data.base) {
      remember(REGISTRY.assets, data.version, {
        raw: data.base, base: JSON.parse(data.base),
        recon: data.recon ? spriteImage(data.recon) : null, decoder: decoderFrom(data.decoder),
      });
    }
  }
}

function element(parent, tag, className) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  parent.appendChild(made);
  return made;
}

function buildRoot(parentElement) {
  const root = element(parentElement, "div", "le-root");
  const note = element(root, "div", "le-note");
  const graph = element(root, "div", "le-map");
  const tip = element(root, "div", "le-tip");
  const tiles = element(tip, "div", "le-tip-tiles");
  const text = element(tip, "div", "le-tip-text");
  const canvases = [0, 1].map(() => {
    const canvas = element(tiles, "canvas");
    canvas.width = canvas.height = SIDE;
    return canvas;
  });
  const state = {
    root, note, graph, tip, text, canvases, version: null, data: null, queue: [], index: null,
    pixels: new ImageData(SIDE, SIDE), decoded: new Float32Array(SIDE * SIDE), hoverUpdates: 0,
    pointer: null, frame: 0, down: null, waiting: 0, cleanups: [],
  };
  root.leState = state;
  graph.leState = state;
  return state;
}

function plotArea(state) {
  const layout = state.graph._fullLayout;
  if (!layout || !layout.xaxis || !layout.yaxis) return null;
  const box = state.graph.getBoundingClientRect();
  const xa = layout.xaxis, ya = layout.yaxis;
  return { box, xa, ya, left: box.left + xa._offset, top: box.top + ya._offset, width: xa._length, height: ya._length };
}

// A bucket grid of the visible digits in plot pixels, rebuilt after any zoom, pan, resize or legend toggle.
function pointIndex(state) {
  if (state.index) return state.index;
  const area = plotArea(state);
  if (!area) return null;
  const cell = 24, cells = new Map(), points = [];
  for (const trace of state.graph._fullData) {
    if (trace.visible !== true || !trace.customdata || !/^[0-9]$/.test(trace.name)) continue;
    for (let i = 0; i < trace.x.length; i++) {
      const index = trace.customdata[i];
      if (typeof index !== "number" || index < 0) continue;
      const px = area.xa.l2p(trace.x[i]), py = area.ya.l2p(trace.y[i]);
      if (!(px >= 0 && px <= area.width && py >= 0 && py <= area.height)) continue;
      const point = { px, py, index, label: trace.name, x: trace.x[i], y: trace.y[i] };
      const key = `${Math.floor(px / cell)},${Math.floor(py / cell)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(point);
      points.push(point);
    }
  }
  state.index = { cell, cells, points };
  return state.index;
}

function nearest(state, px, py, radius) {
  const grid = pointIndex(state);
  if (!grid) return null;
  const { cell, cells } = grid;
  let best = null, bestDistance = radius * radius;
  const reach = Math.ceil(radius / cell);
  const cx = Math.floor(px / cell), cy = Math.floor(py / cell);
  for (let dx = -reach; dx <= reach; dx++) {
    for (let dy = -reach; dy <= reach; dy++) {
      for (const point of cells.get(`${cx + dx},${cy + dy}`) || []) {
        const distance = (point.px - px) ** 2 + (point.py - py) ** 2;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = point;
        }
      }
    }
  }
  return best;
}

// Where a page-space pointer falls: plot pixels and data coordinates, or null outside the plot.
function locate(state, clientX, clientY) {
  const area = plotArea(state);
  if (!area) return null;
  const px = clientX - area.left, py = clientY - area.top;
  if (px < 0 || py < 0 || px > area.width || py > area.height) return null;
  return { px, py, x: area.xa.p2l(px), y: area.ya.p2l(py) };
}

function inside(bounds, x, y) {
  return !!bounds && x >= bounds[0] && x <= bounds[1] && y >= bounds[2] && y <= bounds[3];
}

function drawTile(canvas, image, index) {
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(image, (index % COLUMNS) * SIDE, Math.floor(index / COLUMNS) * SIDE, SIDE, SIDE, 0, 0, SIDE, SIDE);
}

function drawDecoded(state, decoder, x, y) {
  const values = decode(decoder, [x, y], state.decoded);
  const rgba = state.pixels.data;
  for (let p = 0; p < values.length; p++) {
    const grey = Math.round(255 * values[p]);
    rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = grey;
    rgba[4 * p + 3] = 255;
  }
  state.canvases[0].getContext("2d").putImageData(state.pixels, 0, 0);
}

function hideTip(state) {
  state.tip.style.display = "none";
}

// One hover update per animation frame: the pointer's latest position only.
function showTip(state) {
  state.frame = 0;
  const started = performance.now();
  updateTip(state);
  const finished = performance.now();
  state.graph.leHoverMs = (state.graph.leHoverMs || 0) + finished - started; // for the benchmark
  if (state.pointer) state.graph.leHoverLatency = finished - state.pointer.at; // pointer event -> tip drawn
}

function updateTip(state) {
  const pointer = state.pointer;
  const data = state.data;
  if (!pointer || !data) return hideTip(state);
  const spot = locate(state, pointer.clientX, pointer.clientY);
  if (!spot) return hideTip(state);
  const assets = REGISTRY.assets.get(state.version);
  const digits = data.digits ? REGISTRY.digits.get(data.digits) : null;
  const decoder = assets && assets.decoder;
  const point = nearest(state, spot.px, spot.py, pointer.touch ? TOUCH_PICK_PX : PICK_PX);
  const [first, second] = state.canvases;
  let text;
  if (point && digits && digits.ready) {
    drawTile(first, digits.image, point.index);
    const recon = assets && assets.recon;
    second.style.display = recon && recon.ready ? "" : "none";
    if (recon && recon.ready) drawTile(second, recon.image, point.index);
    text = `digit ${point.label} · test #${point.index}` + (recon && recon.ready ? " · original | reconstruction" : "");
  } else if (decoder && (inside(data.bounds, spot.x, spot.y) || !data.bounds)) {
    drawDecoded(state, decoder, spot.x, spot.y);
    second.style.display = "none";
    text = `(${spot.x.toFixed(2)}, ${spot.y.toFixed(2)}): what the decoder draws here`;
  } else if (point) {
    first.style.display = second.style.display = "none";
    text = `digit ${point.label} · test #${point.index}`;
  } else {
    return hideTip(state);
  }
  if (text.startsWith("digit") && !(digits && digits.ready)) first.style.display = "none";
  else first.style.display = "";
  state.text.textContent = text;
  const rootBox = state.root.getBoundingClientRect();
  const tip = state.tip;
  tip.style.display = "block";
  const left = pointer.clientX - rootBox.left, top = pointer.clientY - rootBox.top;
  const flip = left + 24 + tip.offsetWidth > rootBox.width;
  tip.style.left = `${Math.max(0, flip ? left - 16 - tip.offsetWidth : left + 16)}px`;
  tip.style.top = `${Math.max(0, Math.min(top + 16, rootBox.height - tip.offsetHeight))}px`;
  state.hoverUpdates += 1;
  state.graph.leHoverUpdates = state.hoverUpdates;
}

function onPointerMove(state, event) {
  state.pointer = {
    clientX: event.clientX, clientY: event.clientY, touch: event.pointerType === "touch", at: event.timeStamp,
  };
  if (!state.frame) state.frame = requestAnimationFrame(() => showTip(state));
}

function sendClick(state, click) {
  const name = state.data.name;
  const serial = Math.max(REGISTRY.serials.get(name) || 0, state.data.ack || 0) + 1;
  REGISTRY.serials.set(name, serial);
  const entry = { serial, ...click };
  state.queue.push(entry);
  state.graph.leSent = (state.graph.leSent || 0) + 1;
  // Every unacknowledged click rides along: if Streamlit coalesces two triggers, the latest still holds both.
  state.send("click", { ...entry, pending: state.queue.slice(-64) });
}

function onPointerDown(state, event) {
  if (event.button !== 0 || !state.data || event.target.closest(".legend, .modebar-container, .le-note")) return;
  state.down = { x: event.clientX, y: event.clientY, touch: event.pointerType === "touch" };
  if (state.down.touch) onPointerMove(state, event); // a finger has no hover: show the digit under it
}

function onPointerUp(state, event) {
  const down = state.down;
  state.down = null;
  if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) return;
  const spot = locate(state, event.clientX, event.clientY);
  if (!spot) return;
  const point = nearest(state, spot.px, spot.py, down.touch ? TOUCH_PICK_PX : PICK_PX);
  if (point) sendClick(state, { index: point.index, x: point.x, y: point.y });
  else if (inside(state.data.bounds, spot.x, spot.y)) sendClick(state, { index: -1, x: spot.x, y: spot.y });
}

function size(state) {
  const width = Math.max(200, state.root.clientWidth || 600);
  const asked = state.data && state.data.aspect > 0 ? state.data.aspect : 0.82;
  const aspect = width < 560 ? Math.max(asked, 1.15) : asked; // a phone: the legend moves below the plot
  const height = Math.round(Math.max(260, Math.min(width * aspect, window.innerHeight * 0.88)));
  return { width, height };
}

function layoutFor(state, assets) {
  const { width, height } = size(state);
  const narrow = width < 560;
  const layout = { ...assets.base.layout, width, height, autosize: false, uirevision: state.data.version };
  if (narrow) {
    layout.legend = {
      ...(layout.legend || {}), orientation: "h", x: 0, y: -0.06, yanchor: "top", title: { text: "" }, entrywidth: 34,
    };
    layout.margin = { ...(layout.margin || {}), l: 30, r: 8, t: 36, b: 10 };
    const title = layout.title || {};
    layout.title = { ...title, font: { ...(title.font || {}), size: 11 } };
  }
  return layout;
}

function overlayTraces(data) {
  try {
    return JSON.parse(data.overlay || "{}").data || [];
  } catch (error) {
    console.error("latent map: unreadable overlay", error);
    return [];
  }
}

function draw(state) {
  const Plotly = window.Plotly;
  const data = state.data;
  const assets = REGISTRY.assets.get(data.version);
  const traces = assets.base.data.concat(overlayTraces(data)); // the overlay last: WebGL paints in trace order
  const layout = layoutFor(state, assets);
  state.graph.style.height = `${layout.height}px`; // reserve the space, so the page flows below the map
  if (state.version === data.version && state.graph._fullLayout) {
    Plotly.react(state.graph, traces, layout, data.config);
    return;
  }
  state.version = data.version;
  state.index = null;
  Plotly.newPlot(state.graph, traces, layout, data.config).then(() => {
    const reindex = () => {
      state.index = null;
    };
    for (const event of ["plotly_relayout", "plotly_restyle", "plotly_afterplot", "plotly_legendclick"]) {
      state.graph.on(event, reindex);
    }
    state.graph.leDrawn = (state.graph.leDrawn || 0) + 1;
  });
}

function showNote(state, message) {
  state.note.replaceChildren(document.createTextNode(message));
  const retry = element(state.note, "button");
  retry.type = "button";
  retry.textContent = "Retry";
  retry.onclick = () => {
    // A failed Plotly chunk stays failed for this page (the browser remembers the failed module
    // import; measured in docs/testing.md): only a reload fetches it again. Missing data can be waited for.
    if (!window.Plotly) {
      window.location.reload();
      return;
    }
    state.note.style.display = "none";
    waitThenDraw(state);
  };
  state.note.style.display = "block";
}

// The one waiting loop: Plotly (Streamlit's own bundle) and this version's assets, for at most WAIT_MS.
function waitThenDraw(state) {
  const started = performance.now();
  const ticket = ++state.waiting;
  const attempt = () => {
    if (ticket !== state.waiting || state.gone) return;
    if (window.Plotly && REGISTRY.assets.has(state.data.version)) {
      REGISTRY.listeners.delete(attempt);
      state.note.style.display = "none";
      draw(state);
      return;
    }
    if (performance.now() - started > WAIT_MS) {
      REGISTRY.listeners.delete(attempt);
      showNote(
        state,
        window.Plotly
          ? "The map's data did not arrive. Check the connection, then retry."
          : "The map's drawing library (Plotly) did not load. Check the connection, then retry (the page reloads).",
      );
      return;
    }
    setTimeout(attempt, 50);
  };
  REGISTRY.listeners.add(attempt);
  attempt();
}

function listen(state, target, type, handler, options) {
  target.addEventListener(type, handler, options);
  state.cleanups.push(() => target.removeEventListener(type, handler, options));
}

function mountMap(component) {
  const { parentElement } = component;
  let state = parentElement.querySelector(".le-root")?.leState;
  if (!state) {
    state = buildRoot(parentElement);
    listen(state, state.root, "pointermove", (event) => onPointerMove(state, event));
    listen(state, state.root, "pointerleave", () => {
      state.pointer = null;
      hideTip(state);
    });
    listen(state, state.root, "pointerdown", (event) => onPointerDown(state, event), true);
    listen(state, window, "pointerup", (event) => onPointerUp(state, event), true);
    listen(state, window, "pointercancel", () => (state.down = null), true);
    let resizeFrame = 0;
    const resize = new ResizeObserver(() => {
      if (resizeFrame || !state.graph._fullLayout) return;
      resizeFrame = requestAnimationFrame(() => {
        resizeFrame = 0;
        const { width, height } = size(state);
        const drawn = state.graph._fullLayout;
        if (Math.abs(width - drawn.width) < 2 && Math.abs(height - drawn.height) < 2) return;
        if (REGISTRY.assets.has(state.version) && state.data.version === state.version) draw(state);
      });
    });
    resize.observe(state.root);
    listen(state, window, "resize", () => resize.observe(state.root));
    state.cleanups.push(() => resize.disconnect());
  }
  state.data = component.data;
  state.send = component.setTriggerValue; // the latest sender
  const ack = component.data.ack || 0;
  state.queue = state.queue.filter((click) => click.serial > ack);
  REGISTRY.serials.set(component.data.name, Math.max(REGISTRY.serials.get(component.data.name) || 0, ack));
  state.graph.leAck = ack;
  waitThenDraw(state);
  // Streamlit runs the cleanup on unmount, and also for a call superseded before it finished: the
  // graph is shared by every call, so tear down only once the element has really left the page.
  return () =>
    setTimeout(() => {
      if (state.root.isConnected || state.gone) return;
      state.gone = true;
      for (const cleanup of state.cleanups.splice(0)) cleanup();
      if (state.frame) cancelAnimationFrame(state.frame);
      if (window.Plotly && state.graph._fullLayout) window.Plotly.purge(state.graph);
    }, 0);
}

export default function (component) {
  const role = component.data && component.data.role;
  if (role === "digits" || role === "assets") {
    stash(component.data);
    return undefined;
  }
  return mountMap(component);
}
