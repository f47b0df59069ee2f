// The map: 10,000 test codes as one Plotly WebGL graph that stays mounted, a 2-D canvas above it
// for the path, A, B, the drawing's star and the scrub marker (above every WebGL point, and
// redrawn without touching Plotly), and the pointer: hover, tap, drag an endpoint, scrub the path.
//
// Private Plotly fields read here (plotly.js 3, Streamlit's bundle), guarded by the browser tests
// in tests/test_e2e.py: gd._fullLayout.xaxis/yaxis (_offset, _length, l2p, p2l) and gd._fullData
// (each trace's x, y, customdata, name, visible).

const DIGIT_COLOURS = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];
const PICK_PX = 10; // a click or hover means the nearest digit within this many pixels
const TOUCH_PICK_PX = 18; // a fingertip is less precise
const NARROW_PX = 560; // a map narrower than this is laid out for a phone
const GRAB_PX = 14; // how close to A or B a press picks it up
const TOUCH_GRAB_PX = 24;
const PATH_PX = 9; // how close to the path a pointer scrubs it
const TAP_SLOP_PX = 6; // a pointer that moved further than this between down and up dragged the map
const SIDE = 28;
const PRIOR_CIRCLES = [
  [1, 1 - Math.exp(-0.5)],
  [2, 1 - Math.exp(-2)],
];

function buildMap(state, parent) {
  // A phone's map has no room for Plotly's legend: one line of coloured digits above it instead.
  state.key = element(parent, "div", "le-key");
  state.key.setAttribute("aria-label", "colours of the digits 0 to 9");
  DIGIT_COLOURS.forEach((colour, digit) => {
    const item = element(state.key, "span", "le-key-item", String(digit));
    element(item, "i").style.background = colour;
    item.prepend(item.lastChild);
  });
  const box = element(parent, "div", "le-mapbox");
  state.note = element(box, "div", "le-note");
  state.graph = element(box, "div", "le-map");
  state.overlay = element(box, "canvas", "le-overlay");
  state.tip = element(box, "div", "le-tip");
  const tiles = element(state.tip, "div", "le-tip-tiles");
  state.tipCanvases = [0, 1].map(() => {
    const canvas = element(tiles, "canvas");
    canvas.width = canvas.height = SIDE;
    return canvas;
  });
  state.tipText = element(state.tip, "div", "le-tip-text");
  state.mapBox = box;
  state.graph.leState = state;
  // Page pixels of a map point, from Plotly's axes or, before Plotly has drawn, the first paint's (tests).
  state.graph.lePixels = (x, y) => {
    const area = plotArea(state);
    return area ? [area.left + area.xa.l2p(x), area.top + area.ya.l2p(y)] : null;
  };
}

function plotArea(state) {
  const layout = state.graph._fullLayout;
  if (!layout || !layout.xaxis || !layout.yaxis || !layout.xaxis.l2p) return state.previewShown ? previewArea(state) : null;
  const box = state.graph.getBoundingClientRect();
  const xa = layout.xaxis, ya = layout.yaxis;
  return { box, xa, ya, left: box.left + xa._offset, top: box.top + ya._offset, width: xa._length, height: ya._length };
}

// ---- the first paint, before Plotly has arrived ----
// Streamlit's Plotly bundle takes a second or more to fetch and evaluate; the map's codes arrive far
// sooner. Until Plotly has drawn, the same points are painted on a canvas laid exactly where Plotly
// will put its plot area (fixed margins, the legend inside the right one, equal units centred as
// Plotly's constrain="domain" does), and hover, clicks and drags already work on it.

const MARGINS = { wide: { l: 42, r: 84, t: 34, b: 30 }, narrow: { l: 30, r: 8, t: 32, b: 22 } };

// The map's title: on a phone the model and the map's short name; else the full title mapInfo gives.
function mapTitle(state, info, narrow) {
  return narrow ? `${state.shown.model} · ${state.data.mapLabels[state.shown.map] || state.shown.map}` : info.title;
}

// A phone's map has no legend: the widget's own line of colours stands above it (it moves the map down).
function showKey(state, narrow) {
  state.key.style.display = narrow ? "flex" : "none";
}

function previewArea(state) {
  const model = currentModel(state), codes = model.maps[state.shown.map], info = mapInfo(state);
  if (!codes || !info) return null;
  const { width, height, narrow } = mapSize(state);
  const margin = narrow ? MARGINS.narrow : MARGINS.wide;
  const room = { w: width - margin.l - margin.r, h: height - margin.t - margin.b };
  let [x0, x1, y0, y1] = info.extent || [Infinity, -Infinity, Infinity, -Infinity];
  if (!info.extent) {
    for (let i = 0; i < codes.length; i += 2) {
      x0 = Math.min(x0, codes[i]);
      x1 = Math.max(x1, codes[i]);
      y0 = Math.min(y0, codes[i + 1]);
      y1 = Math.max(y1, codes[i + 1]);
    }
    const padX = 0.04 * (x1 - x0), padY = 0.04 * (y1 - y0); // Plotly's autorange pads about this much
    [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  }
  let sx = room.w / (x1 - x0), sy = room.h / (y1 - y0), left = margin.l, top = margin.t;
  if (info.extent) {
    sx = sy = Math.min(sx, sy);
    left += (room.w - (x1 - x0) * sx) / 2;
    top += (room.h - (y1 - y0) * sy) / 2;
  }
  const w = (x1 - x0) * sx, h = (y1 - y0) * sy;
  const xa = { _offset: left, _length: w, l2p: (x) => (x - x0) * sx, p2l: (p) => x0 + p / sx };
  const ya = { _offset: top, _length: h, l2p: (y) => (y1 - y) * sy, p2l: (p) => y1 - p / sy };
  const box = state.graph.getBoundingClientRect();
  return { box, xa, ya, left: box.left + left, top: box.top + top, width: w, height: h, size: { width, height, narrow } };
}

function paintFirstMap(state) {
  showKey(state, mapSize(state).narrow); // before the plot area is measured
  const area = previewArea(state), labels = state.labels, codes = currentModel(state).maps[state.shown.map];
  if (!area || !labels) return false;
  const { width, height, narrow } = area.size, ratio = window.devicePixelRatio || 1;
  const key = `${state.shown.model}/${state.shown.map}/${width}x${height}`;
  if (state.previewShown && state.previewKey === key) return true; // drawn already: nothing changed
  state.previewKey = key;
  const canvas = state.previewCanvas || (state.previewCanvas = element(state.mapBox, "canvas", "le-firstpaint"));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  state.graph.style.height = `${height}px`; // the space Plotly will take, so nothing below moves
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = "#fafafa";
  context.fillRect(area.xa._offset, area.ya._offset, area.width, area.height);
  context.fillStyle = "#262730";
  context.font = `${narrow ? 11 : 13}px sans-serif`;
  context.fillText(mapTitle(state, mapInfo(state), narrow), 8, 20);
  const size = state.shown.map === "plane" && state.shown.backdrop ? 3 : 4;
  for (let digit = 0; digit < 10; digit++) {
    context.fillStyle = DIGIT_COLOURS[digit];
    context.globalAlpha = 0.75;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== digit) continue;
      const x = area.xa._offset + area.xa.l2p(codes[2 * i]), y = area.ya._offset + area.ya.l2p(codes[2 * i + 1]);
      context.beginPath();
      context.arc(x, y, size / 2, 0, 2 * Math.PI);
      context.fill();
    }
  }
  context.globalAlpha = 1;
  state.previewShown = true;
  placeOverlay(state);
  drawOverlay(state);
  noteDrawn("firstpaint");
  return true;
}

// Plot pixels (from the plot area's corner) of a point of the map, or null before the first draw.
function toPixels(state, xy) {
  const area = plotArea(state);
  return area ? [area.xa.l2p(xy[0]), area.ya.l2p(xy[1])] : null;
}

// Where a page-space pointer falls: plot pixels and map coordinates, or null outside the plot.
function locate(state, clientX, clientY) {
  const area = plotArea(state);
  if (!area) return null;
  const px = clientX - area.left, py = clientY - area.top;
  if (px < 0 || py < 0 || px > area.width || py > area.height) return null;
  return { px, py, x: area.xa.p2l(px), y: area.ya.p2l(py) };
}

// The shown map's extent, prior centre, title and backdrop (explorer/figures.py map_info).
function mapInfo(state) {
  const models = state.data.mapInfo || {}, maps = models[state.shown.model] || {};
  return maps[state.shown.map] || null;
}

function inside(extent, x, y) {
  return !!extent && x >= extent[0] && x <= extent[1] && y >= extent[2] && y <= extent[3];
}

// ---- the base graph -------------------------------------------------------------------------

function baseTraces(codes, labels, faint) {
  const groups = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  return groups.map((indices, digit) => {
    const x = new Float32Array(indices.length), y = new Float32Array(indices.length);
    indices.forEach((i, n) => {
      x[n] = codes[2 * i];
      y[n] = codes[2 * i + 1];
    });
    return {
      type: "scattergl", mode: "markers", name: String(digit), x, y, customdata: indices, hoverinfo: "none",
      marker: { size: faint ? 3 : 4, color: DIGIT_COLOURS[digit], opacity: faint ? 0.45 : 0.75 },
    };
  });
}

function baseLayout(state, info, version) {
  const { width, height, narrow } = mapSize(state);
  showKey(state, narrow);
  const layout = {
    width, height, autosize: false, uirevision: version,
    title: {
      text: mapTitle(state, info, narrow),
      x: 0.01, font: { size: narrow ? 11 : 13 },
    },
    margin: { ...(narrow ? MARGINS.narrow : MARGINS.wide), autoexpand: false },
    legend: { title: { text: "digit" }, itemsizing: "constant", x: 1.02, xanchor: "left", y: 1, yanchor: "top" },
    // On a phone the legend would take rows of the screen: the tip names a digit under the finger instead.
    dragmode: "zoom", hovermode: false, plot_bgcolor: "#fafafa", showlegend: !narrow,
    xaxis: { showgrid: false, zeroline: false },
    yaxis: { showgrid: false, zeroline: false },
    shapes: [], annotations: [], images: [],
  };
  if (info.extent) {
    const [x0, x1, y0, y1] = info.extent;
    Object.assign(layout.xaxis, { range: [x0, x1], autorange: false, constrain: "domain" });
    Object.assign(layout.yaxis, { range: [y0, y1], autorange: false, constrain: "domain", scaleanchor: "x" });
  }
  if (info.prior) {
    const [cx, cy] = info.prior;
    for (const [radius, mass] of PRIOR_CIRCLES) {
      layout.shapes.push({
        type: "circle", xref: "x", yref: "y", x0: cx - radius, x1: cx + radius, y0: cy - radius, y1: cy + radius,
        line: { color: "#444", width: 1.2, dash: "dash" }, layer: "above",
      });
      layout.annotations.push({
        x: cx, y: cy + radius, text: `${radius}σ (${Math.round(100 * mass)}%)`, showarrow: false, yshift: 7,
        font: { size: 11, color: "#444" },
      });
    }
  }
  if (info.backdrop && info.extent) {
    const [x0, x1, y0, y1] = info.extent;
    layout.images.push({
      source: info.backdrop, xref: "x", yref: "y", x: x0, y: y1, sizex: x1 - x0, sizey: y1 - y0,
      sizing: "stretch", layer: "below", opacity: 0.9,
    });
  }
  return layout;
}

// Under NARROW_PX the map is a phone's: taller than wide, tighter margins, no legend.
function mapSize(state) {
  const width = Math.max(200, state.mapBox.clientWidth || 600), narrow = width < NARROW_PX;
  const aspect = narrow ? 0.98 : state.data.aspect || 0.82;
  const height = Math.round(Math.max(260, Math.min(width * aspect, window.innerHeight * 0.86)));
  return { width, height, narrow };
}

// Draws (or re-lays) the base graph for the model and map shown, once its codes and Plotly are there.
function drawBase(state) {
  const Plotly = window.Plotly, model = currentModel(state), labels = state.labels;
  const mapName = state.shown.map, info = mapInfo(state);
  if (!Plotly && !state.graph._fullLayout && paintFirstMap(state)) firstPaint(state);
  if (!Plotly || !labels || !model.maps[mapName] || !info) return false;
  const version = `${model.manifest.name}/${mapName}/${state.shown.backdrop}`;
  const layout = baseLayout(state, info, version);
  state.graph.style.height = `${layout.height}px`;
  if (state.baseVersion === version && state.graph._fullLayout) {
    const drawn = state.graph._fullLayout;
    if (Math.abs(drawn.width - layout.width) >= 2 || Math.abs(drawn.height - layout.height) >= 2) {
      Plotly.relayout(state.graph, { width: layout.width, height: layout.height }).then(() => afterDraw(state));
    }
    return true;
  }
  state.baseVersion = version;
  state.index = null;
  const traces = baseTraces(model.maps[mapName], labels, mapName === "plane" && state.shown.backdrop);
  const fresh = !state.graph._fullLayout;
  const drawing = fresh
    ? Plotly.newPlot(state.graph, traces, layout, state.data.config)
    : Plotly.react(state.graph, traces, layout, state.data.config);
  drawing.then(() => {
    if (state.previewCanvas) state.previewCanvas.remove();
    state.previewShown = false;
    state.previewCanvas = null;
    plotted(state);
    if (fresh) {
      for (const event of ["plotly_relayout", "plotly_restyle", "plotly_afterplot", "plotly_legendclick"]) {
        state.graph.on(event, () => afterDraw(state));
      }
      state.graph.on("plotly_relayouting", () => drawOverlay(state));
    }
    afterDraw(state);
    state.graph.leDrawn = (state.graph.leDrawn || 0) + 1;
    noteDrawn("map");
  });
  return true;
}

function afterDraw(state) {
  state.index = null;
  placeOverlay(state);
  drawOverlay(state);
}

// ---- hit testing ----------------------------------------------------------------------------

// A bucket grid of the visible digits in plot pixels, rebuilt after any zoom, pan, resize or legend toggle.
function pointIndex(state) {
  if (state.index) return state.index;
  const area = plotArea(state);
  if (!area) return null;
  const cell = 24, cells = new Map();
  for (const trace of state.graph._fullData || firstPaintTraces(state)) {
    if (trace.visible !== true || !trace.customdata || !/^[0-9]$/.test(trace.name)) continue;
    for (let i = 0; i < trace.x.length; i++) {
      const px = area.xa.l2p(trace.x[i]), py = area.ya.l2p(trace.y[i]);
      if (!(px >= 0 && px <= area.width && py >= 0 && py <= area.height)) continue;
      const point = { px, py, index: trace.customdata[i], label: trace.name, x: trace.x[i], y: trace.y[i] };
      const key = `${Math.floor(px / cell)},${Math.floor(py / cell)}`;
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(point);
    }
  }
  state.index = { cell, cells };
  return state.index;
}

// Before Plotly has drawn: the same traces, from the codes (every digit visible).
function firstPaintTraces(state) {
  const codes = currentModel(state).maps[state.shown.map];
  if (!codes || !state.labels) return [];
  return baseTraces(codes, state.labels, false).map((trace) => ({ ...trace, visible: true }));
}

function nearest(state, px, py, radius) {
  const grid = pointIndex(state);
  if (!grid) return null;
  const { cell, cells } = grid;
  let best = null, bestDistance = radius * radius;
  const reach = Math.ceil(radius / cell), cx = Math.floor(px / cell), cy = Math.floor(py / cell);
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

// ---- the overlay: path, endpoints, star, scrub marker -------------------------------------------

function placeOverlay(state) {
  const area = plotArea(state);
  const canvas = state.overlay;
  if (!area) return;
  const ratio = window.devicePixelRatio || 1;
  const rootBox = state.mapBox.getBoundingClientRect();
  canvas.style.left = `${area.left - rootBox.left}px`;
  canvas.style.top = `${area.top - rootBox.top}px`;
  canvas.style.width = `${area.width}px`;
  canvas.style.height = `${area.height}px`;
  canvas.width = Math.round(area.width * ratio);
  canvas.height = Math.round(area.height * ratio);
}

// Map coordinates of the shown path's frames and of each endpoint (null where a code is not known yet).
function overlayPoints(state) {
  const out = { path: null, a: null, b: null, drawn: null, scrub: null };
  const place = (code) => (code ? placeCode(state, code) : null);
  if (state.path) out.path = state.path.codes.map(place);
  out.a = place(codeOf(state, state.ends.a));
  out.b = place(codeOf(state, state.ends.b));
  out.drawn = place(codeOf(state, state.drawn));
  if (state.scrub !== null && state.path) out.scrub = place(pathAt(state, state.scrub));
  return out;
}

// A code's place on the map shown: exact on the plane and PCA, the 10-nearest-codes estimate on t-SNE.
function placeCode(state, code) {
  const model = currentModel(state), map = state.shown.map;
  if (map === "plane") return [code[0], code[1]];
  if (map === "pca") return project(model.manifest.maps.pca, code);
  if (map === "tsne" && model.mu && model.maps.tsne) {
    return knnPlace(model.mu, model.manifest.latent, model.maps.tsne, code);
  }
  return null;
}

function drawOverlay(state) {
  const canvas = state.overlay, area = plotArea(state);
  if (!area || !canvas.width) return;
  const context = canvas.getContext("2d");
  const ratio = canvas.width / area.width;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, area.width, area.height);
  const points = state.overlayPoints || (state.overlayPoints = overlayPoints(state));
  const pixel = (xy) => (xy ? [area.xa.l2p(xy[0]), area.ya.l2p(xy[1])] : null);
  const path = points.path ? points.path.map(pixel).filter(Boolean) : [];
  state.pathPixels = path;
  if (path.length > 1) {
    context.lineJoin = "round";
    context.lineWidth = 5;
    context.strokeStyle = "rgba(255,255,255,0.9)";
    context.beginPath();
    path.forEach(([x, y], i) => (i ? context.lineTo(x, y) : context.moveTo(x, y)));
    context.stroke();
    context.lineWidth = 2.5;
    context.strokeStyle = "#111";
    context.stroke();
    for (const [x, y] of path.slice(1, -1)) {
      context.beginPath();
      context.arc(x, y, 3.6, 0, 2 * Math.PI);
      context.fillStyle = "#fff";
      context.fill();
      context.lineWidth = 1.6;
      context.stroke();
    }
  }
  marker(context, pixel(points.drawn), "star", "#ffd400", "★ you");
  marker(context, pixel(points.a), "diamond", "#111", "A");
  marker(context, pixel(points.b), "square", "#111", "B");
  const scrub = pixel(points.scrub);
  if (scrub) {
    context.beginPath();
    context.arc(scrub[0], scrub[1], 8, 0, 2 * Math.PI);
    context.lineWidth = 3;
    context.strokeStyle = "#d62728";
    context.stroke();
  }
  state.markerPixels = { a: pixel(points.a), b: pixel(points.b) };
}

function marker(context, xy, shape, fill, label) {
  if (!xy) return;
  const [x, y] = xy, r = shape === "star" ? 11 : 9;
  context.beginPath();
  if (shape === "diamond") {
    context.moveTo(x, y - r);
    context.lineTo(x + r, y);
    context.lineTo(x, y + r);
    context.lineTo(x - r, y);
  } else if (shape === "square") {
    context.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
  } else {
    for (let i = 0; i < 10; i++) {
      const angle = -Math.PI / 2 + (i * Math.PI) / 5, radius = i % 2 ? r * 0.45 : r;
      context.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
    }
  }
  context.closePath();
  context.lineWidth = 3;
  context.strokeStyle = "#fff";
  context.stroke();
  context.fillStyle = fill;
  context.fill();
  context.font = "bold 14px sans-serif";
  context.textAlign = "center";
  context.lineWidth = 3;
  context.strokeText(label, x, y - r - 5);
  context.fillStyle = "#111";
  context.fillText(label, x, y - r - 5);
}

// The fraction t along the drawn path nearest to a pixel, and how far away it is (null without a path).
function nearestOnPath(state, px, py) {
  const path = state.pathPixels;
  if (!path || path.length < 2) return null;
  let best = null;
  for (let i = 0; i + 1 < path.length; i++) {
    const [x0, y0] = path[i], [x1, y1] = path[i + 1];
    const dx = x1 - x0, dy = y1 - y0, length = dx * dx + dy * dy;
    const u = length > 0 ? Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / length)) : 0;
    const distance = Math.hypot(x0 + u * dx - px, y0 + u * dy - py);
    if (!best || distance < best.distance) best = { distance, t: (i + u) / (path.length - 1) };
  }
  return best;
}

// ---- the hover tip ----------------------------------------------------------------------------

function hideTip(state) {
  state.tip.style.display = "none";
  state.tip.dataset.click = "";
}

function showTip(state, pointer, pictures, text) {
  const [first, second] = state.tipCanvases;
  pictures.forEach((draw, i) => draw(state.tipCanvases[i]));
  first.style.display = pictures.length > 0 ? "" : "none";
  second.style.display = pictures.length > 1 ? "" : "none";
  state.tipText.textContent = text;
  const rootBox = state.mapBox.getBoundingClientRect(), tip = state.tip;
  tip.style.display = "block";
  const left = pointer.clientX - rootBox.left, top = pointer.clientY - rootBox.top;
  const flip = left + 24 + tip.offsetWidth > rootBox.width;
  tip.style.left = `${Math.max(0, flip ? left - 16 - tip.offsetWidth : left + 16)}px`;
  tip.style.top = `${Math.max(0, Math.min(top + 16, rootBox.height - tip.offsetHeight))}px`;
  state.graph.leHoverUpdates = (state.graph.leHoverUpdates || 0) + 1;
}

function spriteTile(state, index) {
  return (canvas) => {
    const sprite = state.sprite, columns = state.data.digits.columns;
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = false;
    context.drawImage(
      sprite.image, (index % columns) * SIDE, Math.floor(index / columns) * SIDE, SIDE, SIDE, 0, 0, SIDE, SIDE,
    );
  };
}

function decodedTile(state, code) {
  return (canvas) => paintCode(state, canvas, code);
}

// What the pointer is over: a digit (its image and what the model draws back), a point of the
// plane or of a PCA map (what the decoder draws there), or a point of the path (that frame).
function updateTip(state) {
  const pointer = state.pointer;
  if (!pointer || state.grab) return hideTip(state);
  const spot = locate(state, pointer.clientX, pointer.clientY);
  if (!spot) return hideTip(state);
  const model = currentModel(state), map = state.shown.map, info = mapInfo(state);
  // What a click here would pick, whatever the tip shows (the browser tests read it: a tip on the
  // path shows the path, yet a click on a digit lying on it still picks that digit).
  const click = targetAt(state, spot, pointer.touch);
  state.tip.dataset.click = click ? (click.kind === "test" ? String(click.index) : "-1") : "";
  const onPath = state.path ? nearestOnPath(state, spot.px, spot.py) : null;
  if (onPath && onPath.distance <= PATH_PX) {
    setScrub(state, onPath.t, "path");
    const code = pathAt(state, onPath.t);
    const picks = click && click.kind === "test" ? ` · a click picks test #${click.index}` : "";
    return showTip(state, pointer, [decodedTile(state, code)], `on the path, ${Math.round(100 * onPath.t)}% of the way from A to B${picks}`);
  }
  if (state.scrubSource === "path") setScrub(state, null);
  const point = nearest(state, spot.px, spot.py, pointer.touch ? TOUCH_PICK_PX : PICK_PX);
  if (point) {
    const pictures = [];
    if (state.sprite && state.sprite.ready) pictures.push(spriteTile(state, point.index));
    const code = model.mu && model.decoder ? testCode(model, point.index) : null;
    if (code) pictures.push(decodedTile(state, code));
    const text = `digit ${point.label} · test #${point.index}` + (pictures.length === 2 ? " · original | reconstruction" : "");
    return showTip(state, pointer, pictures, text);
  }
  const where = `(${spot.x.toFixed(2)}, ${spot.y.toFixed(2)})`;
  if (map === "plane" && info && inside(info.extent, spot.x, spot.y) && model.decoder) {
    return showTip(state, pointer, [decodedTile(state, [spot.x, spot.y])], `${where}: what the decoder draws here`);
  }
  if (map === "pca" && model.decoder) {
    const code = invert(model.manifest.maps.pca, spot.x, spot.y);
    return showTip(state, pointer, [decodedTile(state, code)], `PCA point ${where}: what the decoder draws at the code this point stands for (mean + components · (x, y); no test digit)`);
  }
  hideTip(state);
}

// ---- the pointer ------------------------------------------------------------------------------

function onPointerMove(state, event) {
  state.pointer = { clientX: event.clientX, clientY: event.clientY, touch: event.pointerType === "touch" };
  const down = state.down;
  if (down && !down.reverted && Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) {
    revertPress(state, down);
  }
  if (state.grab) {
    if (!state.grab.moved && Math.hypot(event.clientX - state.grab.x, event.clientY - state.grab.y) > 2) state.grab.moved = true;
    schedule(state, () => dragTo(state, event.clientX, event.clientY));
    return;
  }
  if (state.finger) {
    schedule(state, () => {
      const spot = locate(state, event.clientX, event.clientY), on = spot && nearestOnPath(state, spot.px, spot.py);
      if (on) setScrub(state, on.t, "path");
    });
    return;
  }
  schedule(state, () => updateTip(state));
}

function schedule(state, work) {
  state.work = work;
  if (!state.frame) {
    state.frame = requestAnimationFrame(() => {
      state.frame = 0;
      const next = state.work;
      state.work = null;
      if (next) next();
    });
  }
}

function onPointerDown(state, event) {
  if (event.button !== 0 || !state.data || event.target.closest(".legend, .modebar-container, .le-note")) return;
  const spot = locate(state, event.clientX, event.clientY);
  if (!spot) return;
  const touch = event.pointerType === "touch";
  const pixels = state.markerPixels || {};
  const grabbed = ["b", "a"].find((end) => pixels[end] && Math.hypot(pixels[end][0] - spot.px, pixels[end][1] - spot.py) <= (touch ? TOUCH_GRAB_PX : GRAB_PX));
  if (grabbed) {
    state.grab = { end: grabbed, x: event.clientX, y: event.clientY, moved: false, touch };
    hideTip(state);
  } else {
    const on = touch && state.path ? nearestOnPath(state, spot.px, spot.py) : null;
    if (on && on.distance <= PATH_PX * 2) {
      state.finger = true;
      setScrub(state, on.t, "path");
    } else {
      // The press already shows what a click here would pick; a drag (a zoom box, a pan, a scroll)
      // takes it back, and only a release in place tells the server.
      const spec = targetAt(state, spot, touch);
      state.down = { x: event.clientX, y: event.clientY, touch, spec, before: { ...state.ends } };
      if (spec) applyPick(state, spec, "press");
      if (touch) onPointerMove(state, event); // a finger has no hover: show what is under it
      return;
    }
  }
  // A grab or a scrub is ours: Plotly must not start a zoom box or a pan with it.
  event.preventDefault();
  event.stopPropagation();
}

function onPointerUp(state, event) {
  if (state.grab) {
    const grab = state.grab;
    state.grab = null;
    if (grab.moved) commitDrag(state, grab.end);
    else tap(state, event, grab.touch);
    return;
  }
  if (state.finger) {
    state.finger = false;
    setScrub(state, null);
    return;
  }
  const down = state.down;
  state.down = null;
  if (!down || !down.spec) return;
  if (down.reverted || Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) {
    if (!down.reverted) revertPress(state, down);
    return;
  }
  sendPick(state, down.spec);
}

// A press that turned into a drag (or was cancelled) gives back the endpoints it showed.
function revertPress(state, down) {
  down.reverted = true;
  if (!down.spec) return;
  state.ends = { ...down.before };
  refresh(state, "press");
}

// What a click at this spot picks: the nearest digit; on the plane or a PCA map, empty space is that point.
function targetAt(state, spot, touch) {
  const point = nearest(state, spot.px, spot.py, touch ? TOUCH_PICK_PX : PICK_PX);
  const map = state.shown.map, info = mapInfo(state);
  if (point) return { kind: "test", index: point.index };
  if ((map === "plane" && info && inside(info.extent, spot.x, spot.y)) || map === "pca") {
    return { kind: "point", map, x: spot.x, y: spot.y };
  }
  return null;
}

function tap(state, event, touch) {
  const spot = locate(state, event.clientX, event.clientY);
  const spec = spot && targetAt(state, spot, touch);
  if (spec) pick(state, spec);
}

// While A or B is held: the plane's exact point, a PCA map's inverse point, or on t-SNE the digit under it.
function dragTo(state, clientX, clientY) {
  const grab = state.grab;
  if (!grab) return;
  const spot = locate(state, clientX, clientY);
  if (!spot) return;
  const map = state.shown.map;
  let end;
  if (map === "tsne") {
    const point = nearest(state, spot.px, spot.py, 30);
    if (!point) return;
    end = localEnd(state, { kind: "test", index: point.index });
  } else {
    const info = mapInfo(state);
    if (map === "plane" && !(info && inside(info.extent, spot.x, spot.y))) return;
    end = localEnd(state, { kind: "point", map, x: spot.x, y: spot.y });
  }
  if (!end) return;
  state.ends[grab.end] = end;
  grab.target = end;
  refresh(state, "drag");
}

function commitDrag(state, end) {
  const target = state.ends[end];
  if (!target) return;
  const event = target.kind === "test" ? { type: "set", end, index: target.index } : { type: "set", end, map: target.map, x: target.x, y: target.y };
  sendEvent(state, event);
}
