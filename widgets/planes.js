// The lesson's first screen (widgets/planes.py says what the server sends and reads back).
//
// Top to bottom: for each model a column of rows of decoded N(0, I) draws (the same draws under both
// models) with what a classifier reads under each picture; one bar of controls; the two z = 2 planes
// side by side; the curves over training epochs. Everything the browser can do alone, it does alone:
// the scale (one pair of axes for both planes, or each its own), showing the codes, scrubbing or
// playing the epochs. A click on a plane, "decode one draw" and "new samples" go to the server as
// numbered events that stay queued until a run acknowledges them.
//
// A plane is drawn on a canvas: the decoder's mosaic stretched over the box of that epoch's codes,
// the empty cells of the same grid shaded, the 10,000 test codes, N(0, I)'s 1σ and 2σ circles and
// the probed point. Each epoch's mosaic (PNG) and codes (float32) are fetched once by URL.

const SHARED = (window.__latentLesson = window.__latentLesson || {
  serials: new Map(), // component name -> last event serial sent (survives remounts)
  log: [], // {what, epoch, at}: every drawing of the planes, read by the benchmark and the tests
  scrolled: 0, // the last scroll token acted on
});
const DIGIT_COLOURS = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]; // explorer/figures.py DIGIT_COLOURS
const MODEL_COLOURS = ["#c0392b", "#1f6fb2"]; // autoencoder, VAE: titles, curves
const EMPTY_FILL = "rgba(255, 40, 90, 0.5)";
const OUTSIDE_FILL = "#5a5a5e"; // the plot where no box of codes reaches
const PRIOR = "#ffd400";
const PROBE = "#00e5ff";
const PLAY_STEP_MS = 700; // eleven snapshots: about 8 s from the first epoch to the last
const MAX_PENDING = 64;
const SIDE = 28;
const TAP_SLOP_PX = 6;
const MIN_TILE_PX = 28; // the smallest sample picture; a narrow column shows fewer of them
const WAIT_MS = 20000; // how long the planes may stay incomplete before the page says so
const RETRY_MS = 2000; // a blob that failed to arrive is asked for again after this long

// --- numbers -------------------------------------------------------------------------------------

function union(boxes, pad) {
  let [x0, x1, y0, y1] = boxes[0];
  for (const b of boxes) {
    x0 = Math.min(x0, b[0]);
    x1 = Math.max(x1, b[1]);
    y0 = Math.min(y0, b[2]);
    y1 = Math.max(y1, b[3]);
  }
  const margin = pad * Math.max(x1 - x0, y1 - y0);
  return [x0 - margin, x1 + margin, y0 - margin, y1 + margin];
}

// Data <-> canvas pixels with equal units on both axes, the frame centred in the plot area.
function projection(frame, area) {
  const [x0, x1, y0, y1] = frame;
  const s = Math.min(area.w / (x1 - x0), area.h / (y1 - y0));
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, mx = area.l + area.w / 2, my = area.t + area.h / 2;
  return {
    s,
    px: (x) => mx + (x - cx) * s,
    py: (y) => my - (y - cy) * s,
    x: (px) => cx + (px - mx) / s,
    y: (py) => cy - (py - my) / s,
  };
}

function niceStep(span, target) {
  const raw = span / target, power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function tickText(value) {
  const text = String(Math.round(value * 1000) / 1000);
  return text === "-0" || text === "0" ? "0" : text.replace("-", "−");
}

// A coordinate as the server writes one (explorer.planes.figure): two decimals, a true minus, no "-0.00".
function coordinate(value) {
  const text = (Math.round(value * 100) / 100).toFixed(2);
  return (text === "-0.00" ? "0.00" : text).replace("-", "−");
}

// --- building the screen -------------------------------------------------------------------------

function build(parentElement) {
  const root = element(parentElement, "div", "lp-root");
  const samples = element(root, "div", "lp-samples");
  const columns = [0, 1].map((side) => {
    const column = element(samples, "div", "lp-column");
    const head = element(column, "div", "lp-head");
    head.style.color = MODEL_COLOURS[side];
    return { column, head, rows: [] };
  });
  const sampleNote = element(root, "div", "lp-note lp-sample-note");
  const sampleText = element(sampleNote, "span");
  const newSamples = element(sampleNote, "button", "lp-button lp-new-samples");
  newSamples.type = "button";

  const bar = element(root, "div", "lp-bar");
  const scale = element(bar, "div", "lp-segmented");
  const scaleButtons = ["same", "own"].map((value) => {
    const button = element(scale, "button", "lp-button");
    button.type = "button";
    button.dataset.scale = value;
    return button;
  });
  const codesLabel = element(bar, "label", "lp-check");
  const codes = element(codesLabel, "input");
  codes.type = "checkbox";
  codes.checked = true;
  const codesText = element(codesLabel, "span");
  const draw = element(bar, "button", "lp-button lp-draw");
  draw.type = "button";
  const epochs = element(bar, "div", "lp-epochs");
  const play = element(epochs, "button", "lp-button lp-play", "▶");
  play.type = "button";
  const slider = element(epochs, "input", "lp-slider");
  slider.type = "range";
  slider.min = 0;
  slider.step = 1;
  const epochText = element(epochs, "span", "lp-epoch");

  const planesRow = element(root, "div", "lp-planes");
  const planes = [0, 1].map((side) => {
    const box = element(planesRow, "div", "lp-plane");
    const title = element(box, "div", "lp-title");
    title.style.color = MODEL_COLOURS[side];
    const wrap = element(box, "div", "lp-wrap");
    const canvas = element(wrap, "canvas", "lp-canvas");
    const tip = element(wrap, "div", "lp-tip");
    const tipCanvas = element(tip, "canvas");
    tipCanvas.width = tipCanvas.height = SIDE;
    const tipText = element(tip, "div");
    const inset = element(wrap, "div", "lp-inset");
    const insetImage = element(inset, "img");
    insetImage.alt = "";
    const insetText = element(inset, "div", "lp-inset-text");
    return { side, box, title, wrap, canvas, tip, tipCanvas, tipText, inset, insetImage, insetText, projection: null };
  });
  const legend = element(root, "div", "lp-note lp-legend");
  const waiting = element(root, "div", "lp-waiting");
  const curvesRow = element(root, "div", "lp-curves");
  const curves = [0, 1].map(() => {
    const box = element(curvesRow, "div", "lp-curve");
    const title = element(box, "div", "lp-curve-title");
    const canvas = element(box, "canvas");
    const values = element(box, "div", "lp-curve-values");
    return { box, title, canvas, values };
  });
  const state = {
    root, columns, sampleText, newSamples, scaleButtons, codes, codesText, draw, epochs, play, slider, epochText,
    planes, legend, waiting, curvesRow, curves, data: null, builtAt: performance.now(), scale: "same", index: null, manifest: null, playing: null,
    queue: [], localProbe: null, drawn: 0, awaiting: new Set(), down: null, cleanups: [], frameRequest: 0, labels: null, byLabel: null,
  };
  root.lpState = state;

  newSamples.onclick = () => sendEvent(state, { type: "samples" });
  draw.onclick = () => sendEvent(state, { type: "draw" });
  for (const button of scaleButtons) {
    button.onclick = () => {
      state.scale = button.dataset.scale;
      schedule(state);
    };
  }
  codes.onchange = () => schedule(state);
  slider.oninput = () => {
    stopPlaying(state);
    state.index = Number(slider.value);
    schedule(state);
  };
  play.onclick = () => (state.playing ? stopPlaying(state) : startPlaying(state));
  for (const plane of planes) {
    listen(state, plane.canvas, "pointerdown", (event) => {
      state.down = { x: event.clientX, y: event.clientY, plane };
    });
    listen(state, plane.canvas, "pointerup", (event) => onPointerUp(state, plane, event));
    listen(state, plane.canvas, "pointermove", (event) => onHover(state, plane, event));
    listen(state, plane.canvas, "pointerleave", () => {
      state.pointer = null;
      plane.tip.style.display = "none";
    });
  }
  const resize = new ResizeObserver(() => schedule(state));
  resize.observe(root);
  state.cleanups.push(() => resize.disconnect());
  listen(state, window, "resize", () => schedule(state));
  return state;
}

function listen(state, target, type, handler) {
  target.addEventListener(type, handler);
  state.cleanups.push(() => target.removeEventListener(type, handler));
}

// --- what the server sent ------------------------------------------------------------------------

function models(state) {
  return state.data.planes.models;
}

function epochList(state) {
  return models(state)[0].frames.map((frame) => frame.epoch);
}

// The frame of `model` at the shown epoch (the latest one at or before it, if the models differ).
function frameOf(state, model) {
  const epoch = epochList(state)[state.index];
  let found = model.frames[0];
  for (const frame of model.frames) if (frame.epoch <= epoch) found = frame;
  return found;
}

function isFinal(state) {
  return state.index === epochList(state).length - 1;
}

function apply(state, data) {
  state.data = data;
  const text = data.text;
  const manifestKey = models(state).map((m) => m.frames.map((f) => f.mosaic).join()).join("|");
  if (state.manifest !== manifestKey) {
    state.manifest = manifestKey;
    state.index = epochList(state).length - 1; // the shipped models first; play starts from epoch 0
  }
  if (!state.labels && !state.labelsLoading) {
    state.labelsLoading = true;
    blob(data.planes.labels).promise.then((buffer) => {
      state.labels = new Uint8Array(buffer);
      state.byLabel = DIGIT_COLOURS.map(() => []);
      state.labels.forEach((label, i) => state.byLabel[label].push(i));
      schedule(state);
    }, () => setTimeout(() => (state.labelsLoading = false), RETRY_MS)); // the next run asks again
  }
  data.headers.forEach((header, side) => (state.columns[side].head.textContent = header));
  const rowsKey = data.samples.map((row) => row.strip + row.label).join("|");
  if (state.rowsKey !== rowsKey) buildRows(state, data.samples, rowsKey);
  state.sampleText.textContent = text.samples;
  state.newSamples.textContent = text.new_samples;
  state.scaleButtons.forEach((button) => (button.textContent = text.scale[button.dataset.scale]));
  state.codesText.textContent = text.codes;
  state.draw.textContent = text.draw;
  state.legend.textContent = text.legend;
  const many = epochList(state).length > 1;
  state.epochs.style.display = many ? "" : "none";
  state.curvesRow.style.display = many ? "" : "none";
  state.slider.max = epochList(state).length - 1;
  state.curves.forEach((curve, i) => (curve.title.textContent = text.curves[i]));
  // The cross drawn at a click stands until a run has handled that click; then the server's probe replaces it.
  if (state.localProbe && state.localProbe.serial <= (data.ack || 0)) state.localProbe = null;
  state.queue = state.queue.filter((event) => event.serial > (data.ack || 0));
  SHARED.serials.set(data.name, Math.max(SHARED.serials.get(data.name) || 0, data.ack || 0));
  if (data.scroll && SHARED.scrolled !== data.scroll) {
    SHARED.scrolled = data.scroll;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({ top: 0 });
    window.scrollTo({ top: 0 });
  }
  loadShown(state);
  schedule(state);
}

// The rows of decoded draws, rebuilt only when the draws or their figures change.
function buildRows(state, samples, key) {
  state.rowsKey = key;
  for (const column of state.columns) {
    for (const row of column.rows) row.box.remove();
    column.rows = [];
  }
  for (const row of samples) {
    const column = state.columns[row.side];
    const box = element(column.column, "div", "lp-row");
    element(box, "div", "lp-row-label", row.label);
    const canvas = element(box, "canvas", "lp-strip");
    const entry = { box, canvas, row, shown: 0 };
    column.rows.push(entry);
    image(row.strip).promise.then(() => drawStrip(entry));
  }
}

// Fetches the shown epoch's mosaics and codes first, then every other epoch's, so a scrub finds them.
function loadShown(state) {
  const shown = models(state).flatMap((model) => {
    const frame = frameOf(state, model);
    return [image(frame.mosaic).promise, blob(frame.mu).promise];
  });
  Promise.all(shown).then(
    () => {
      schedule(state);
      for (const model of models(state)) {
        for (const frame of model.frames) {
          image(frame.mosaic);
          blob(frame.mu);
        }
      }
    },
    () => {}, // each drawing asks again for what is missing (redrawWhen)
  );
}

// --- events --------------------------------------------------------------------------------------

function sendEvent(state, event) {
  if (!state.data || !state.send) return;
  const name = state.data.name;
  const serial = Math.max(SHARED.serials.get(name) || 0, state.data.ack || 0) + 1;
  SHARED.serials.set(name, serial);
  const entry = { serial, ...event };
  state.queue.push(entry);
  state.queue = state.queue.slice(-MAX_PENDING);
  state.send("event", { ...entry, pending: state.queue.slice() });
  return entry;
}

function onPointerUp(state, plane, event) {
  const down = state.down;
  state.down = null;
  if (!down || down.plane !== plane || !plane.projection) return;
  if (Math.hypot(event.clientX - down.x, event.clientY - down.y) > TAP_SLOP_PX) return;
  const rect = plane.canvas.getBoundingClientRect(), area = plane.area;
  const cx = event.clientX - rect.left, cy = event.clientY - rect.top;
  if (cx < area.l || cx > area.l + area.w || cy < area.t || cy > area.t + area.h) return;
  const x = plane.projection.x(cx), y = plane.projection.y(cy);
  const sent = sendEvent(state, { type: "probe", x, y });
  if (sent) state.localProbe = { x, y, serial: sent.serial };
  schedule(state);
}

// --- the hover tip: what the shipped decoder draws under the pointer, decoded here ------------------

function decoderOf(state, side) {
  const entry = models(state)[side].decoder;
  if (!entry) return null;
  const found = blob(entry.decoder);
  if (!found.value) {
    if (!found.waiting) found.waiting = found.promise.then(() => showTip(state), () => {});
    return null;
  }
  if (!found.decoder) found.decoder = makeDecoder(found.value, entry.latent, entry.hidden);
  return found.decoder;
}

function onHover(state, plane, event) {
  if (event.pointerType === "touch") return; // a finger has no hover: a tap probes instead
  state.pointer = { plane, x: event.clientX, y: event.clientY };
  if (!state.hoverFrame) {
    state.hoverFrame = requestAnimationFrame(() => {
      state.hoverFrame = 0;
      showTip(state);
    });
  }
}

function showTip(state) {
  const pointer = state.pointer;
  if (!pointer || !state.data) return;
  const { plane } = pointer;
  const hide = () => (plane.tip.style.display = "none");
  if (!isFinal(state) || !plane.projection) return hide(); // the decoder shipped is the last epoch's
  const rect = plane.canvas.getBoundingClientRect();
  const x = plane.projection.x(pointer.x - rect.left), y = plane.projection.y(pointer.y - rect.top);
  const model = models(state)[plane.side];
  const box = model.frames[model.frames.length - 1].box;
  if (x < box[0] || x > box[1] || y < box[2] || y > box[3]) return hide();
  const decoder = decoderOf(state, plane.side);
  if (!decoder) return hide();
  const values = decode(decoder, [x, y], state.decoded || (state.decoded = new Float64Array(PIXELS)));
  const pixels = new ImageData(SIDE, SIDE);
  for (let p = 0; p < PIXELS; p++) {
    const grey = Math.round(255 * values[p]);
    pixels.data[4 * p] = pixels.data[4 * p + 1] = pixels.data[4 * p + 2] = grey;
    pixels.data[4 * p + 3] = 255;
  }
  plane.tipCanvas.getContext("2d").putImageData(pixels, 0, 0);
  plane.tipText.textContent = `(${coordinate(x)}, ${coordinate(y)})`;
  plane.hovered = [x, y]; // for the tests: the exact point decoded
  plane.tip.style.display = "block";
  const left = pointer.x - rect.left, top = pointer.y - rect.top;
  const flip = left + 16 + plane.tip.offsetWidth > rect.width;
  plane.tip.style.left = `${flip ? left - 12 - plane.tip.offsetWidth : left + 14}px`;
  plane.tip.style.top = `${Math.max(0, Math.min(top + 14, rect.height - plane.tip.offsetHeight))}px`;
  SHARED.hovers = (SHARED.hovers || 0) + 1;
}

function startPlaying(state) {
  const last = epochList(state).length - 1;
  if (state.index >= last) state.index = 0;
  state.play.textContent = "❚❚";
  let previous = performance.now();
  const step = (now) => {
    if (!state.playing) return;
    if (now - previous >= PLAY_STEP_MS) {
      previous = now;
      if (state.index >= last) return stopPlaying(state);
      state.index += 1;
      draw(state);
    }
    state.playing = requestAnimationFrame(step);
  };
  state.playing = requestAnimationFrame(step);
  draw(state);
}

function stopPlaying(state) {
  if (state.playing) cancelAnimationFrame(state.playing);
  state.playing = null;
  state.play.textContent = "▶";
}

// --- drawing -------------------------------------------------------------------------------------

function schedule(state) {
  if (state.frameRequest || !state.data) return;
  state.frameRequest = requestAnimationFrame(() => {
    state.frameRequest = 0;
    draw(state);
  });
}

function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

function drawStrip(entry) {
  const { canvas, row } = entry;
  const width = entry.box.clientWidth;
  const source = image(row.strip);
  if (!width || !source.ready) return;
  const count = Math.max(1, Math.min(row.reads.length, Math.floor(width / MIN_TILE_PX)));
  const tile = Math.min(48, Math.floor(width / count));
  const context = sizeCanvas(canvas, tile * count, tile + 13);
  context.clearRect(0, 0, tile * count, tile + 13);
  context.imageSmoothingEnabled = false;
  context.font = "11px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "top";
  for (let i = 0; i < count; i++) {
    context.drawImage(source.image, i * SIDE, 0, SIDE, SIDE, i * tile + 1, 0, tile - 2, tile - 2);
    const read = row.reads[i];
    if (read >= 0) {
      context.fillStyle = "#1e8e3e";
      context.fillRect(i * tile + 1, tile - 1, tile - 2, 2);
      context.fillText(String(read), i * tile + tile / 2, tile + 1);
    }
  }
  entry.shown = count;
  entry.width = width;
}

// How tall the planes may be: what is left of the window under their top, so both stay in view.
function planeHeight(state, width) {
  const main = document.querySelector('[data-testid="stMain"]');
  const top = state.planes[0].wrap.getBoundingClientRect().top + (main ? main.scrollTop : 0) + window.scrollY;
  const below = state.legend.offsetHeight + 14;
  const room = window.innerHeight - top - below;
  return Math.round(Math.max(170, Math.min(room, width * 1.05)));
}

function draw(state) {
  if (!state.data) return;
  const final = isFinal(state);
  const epochs = epochList(state);
  state.slider.value = state.index;
  state.epochText.textContent = `${state.data.text.epoch} ${epochs[state.index]}`;
  state.root.dataset.epoch = epochs[state.index];
  state.root.dataset.scale = state.scale;
  state.scaleButtons.forEach((button) => button.classList.toggle("lp-on", button.dataset.scale === state.scale));
  for (const column of state.columns) {
    for (const row of column.rows) if (row.width !== row.box.clientWidth) drawStrip(row);
  }
  const width = state.planes[0].wrap.clientWidth;
  if (!width) return;
  const height = planeHeight(state, width);
  const all = models(state);
  const same = union(all.flatMap((model) => model.frames.map((f) => f.box)), 0.03);
  let complete = true;
  all.forEach((model, side) => {
    const plane = state.planes[side];
    const frame = frameOf(state, model);
    plane.title.textContent = `${state.data.headers[side]} · ${frame.empty_text}`;
    const own = union(model.frames.map((f) => f.box), 0.03);
    complete = drawPlane(state, plane, model, frame, state.scale === "same" ? same : own, width, height) && complete;
    showInset(state, plane, side, final);
  });
  drawCurves(state);
  state.drawn += 1;
  state.root.dataset.drawn = state.drawn;
  // Said only when it lasts: the arrays come over plain HTTP and are asked for again every RETRY_MS.
  const late = !complete && performance.now() - state.builtAt > WAIT_MS;
  state.waiting.textContent = late ? state.data.text.waiting : "";
  state.waiting.style.display = late ? "" : "none";
  if (late) setTimeout(() => schedule(state), RETRY_MS);
  if (complete) {
    state.root.dataset.complete = `${epochs[state.index]}:${state.scale}`;
    SHARED.log.push({ what: "planes", epoch: epochs[state.index], scale: state.scale, at: performance.now() });
    if (SHARED.log.length > 500) SHARED.log.splice(0, 250);
  }
}

function drawPlane(state, plane, model, frame, view, width, height) {
  const narrow = width < 300;
  const area = { l: narrow ? 28 : 38, t: 6, w: 0, h: 0 };
  area.w = width - area.l - 6;
  area.h = height - area.t - (narrow ? 18 : 22);
  const p = projection(view, area);
  plane.area = area;
  plane.projection = p;
  const context = sizeCanvas(plane.canvas, width, height);
  context.clearRect(0, 0, width, height);
  context.fillStyle = OUTSIDE_FILL;
  context.fillRect(area.l, area.t, area.w, area.h);
  context.save();
  context.beginPath();
  context.rect(area.l, area.t, area.w, area.h);
  context.clip();
  const [bx0, bx1, by0, by1] = frame.box;
  const left = p.px(bx0), right = p.px(bx1), top = p.py(by1), bottom = p.py(by0);
  const mosaic = image(frame.mosaic);
  const mu = blob(frame.mu).value;
  if (!mosaic.ready) redrawWhen(state, mosaic.promise);
  if (!mu) redrawWhen(state, blob(frame.mu).promise);
  context.fillStyle = "#000";
  context.fillRect(left, top, right - left, bottom - top);
  if (mosaic.ready) {
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(mosaic.image, left, top, right - left, bottom - top);
  }
  const tiles = state.data.planes.tiles, cw = (right - left) / tiles, ch = (bottom - top) / tiles;
  context.fillStyle = EMPTY_FILL;
  for (let r = 0; r < tiles; r++) {
    for (let c = 0; c < tiles; c++) {
      if (frame.empty.charCodeAt(r * tiles + c) === 49) context.fillRect(left + c * cw, top + r * ch, cw, ch);
    }
  }
  context.strokeStyle = "rgba(255, 255, 255, 0.7)";
  context.lineWidth = 1;
  context.strokeRect(left, top, right - left, bottom - top);
  if (state.codes.checked && mu && state.byLabel) {
    const codes = new Float32Array(mu);
    const size = Math.max(1.5, Math.min(2.5, width / 260)), half = size / 2;
    context.globalAlpha = 0.55;
    state.byLabel.forEach((indices, label) => {
      context.fillStyle = DIGIT_COLOURS[label];
      for (const i of indices) context.fillRect(p.px(codes[2 * i]) - half, p.py(codes[2 * i + 1]) - half, size, size);
    });
    context.globalAlpha = 1;
  }
  context.strokeStyle = PRIOR;
  context.lineWidth = 1.6;
  for (const radius of [1, 2]) {
    context.setLineDash(radius === 2 ? [5, 4] : []);
    context.beginPath();
    context.arc(p.px(0), p.py(0), radius * p.s, 0, 2 * Math.PI);
    context.stroke();
  }
  context.setLineDash([]);
  const probe = state.localProbe || state.data.probe;
  if (probe) {
    const x = p.px(probe.x), y = p.py(probe.y);
    context.strokeStyle = "#000";
    context.lineWidth = 4;
    crosshair(context, x, y);
    context.strokeStyle = PROBE;
    context.lineWidth = 2;
    crosshair(context, x, y);
  }
  context.restore();
  axes(context, p, area, narrow);
  return Boolean(mosaic.ready && (mu || !state.codes.checked) && (state.byLabel || !state.codes.checked));
}

// A frame still loading (a scrub can outrun the prefetch): draw again once it has arrived, or try
// again a little later if it failed (the drawing asks for it anew), never faster than RETRY_MS.
function redrawWhen(state, promise) {
  if (state.awaiting.has(promise)) return;
  state.awaiting.add(promise);
  const done = () => {
    state.awaiting.delete(promise);
    schedule(state);
  };
  promise.then(done, () => setTimeout(done, RETRY_MS));
}

function crosshair(context, x, y) {
  context.beginPath();
  context.moveTo(x - 9, y);
  context.lineTo(x + 9, y);
  context.moveTo(x, y - 9);
  context.lineTo(x, y + 9);
  context.stroke();
}

function axes(context, p, area, narrow) {
  context.fillStyle = "#444";
  context.strokeStyle = "#999";
  context.lineWidth = 1;
  context.font = `${narrow ? 9 : 11}px sans-serif`;
  const x0 = p.x(area.l), x1 = p.x(area.l + area.w), y0 = p.y(area.t + area.h), y1 = p.y(area.t);
  const step = niceStep(Math.max(x1 - x0, y1 - y0), narrow ? 3 : 7);
  context.textAlign = "center";
  context.textBaseline = "top";
  for (let v = Math.ceil(x0 / step) * step; v <= x1; v += step) {
    const x = p.px(v);
    context.beginPath();
    context.moveTo(x, area.t + area.h);
    context.lineTo(x, area.t + area.h + 3);
    context.stroke();
    context.fillText(tickText(v), Math.max(area.l + 6, Math.min(area.l + area.w - 6, x)), area.t + area.h + 4);
  }
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (let v = Math.ceil(y0 / step) * step; v <= y1; v += step) {
    const y = p.py(v);
    context.beginPath();
    context.moveTo(area.l - 3, y);
    context.lineTo(area.l, y);
    context.stroke();
    context.fillText(tickText(v), area.l - 4, Math.max(area.t + 5, Math.min(area.t + area.h - 5, y)));
  }
}

// The probe's result on one plane: only for the shipped models (the last epoch), whose decoders the
// server ran; at an earlier epoch the cross alone marks the point.
function showInset(state, plane, side, final) {
  const probe = state.data.probe;
  if (!probe || !final || state.localProbe) {
    plane.inset.style.display = "none";
    return;
  }
  const result = probe.results[side];
  plane.inset.style.display = "";
  plane.insetImage.style.display = result.image ? "" : "none";
  if (result.image && plane.insetImage.getAttribute("src") !== result.image) plane.insetImage.src = result.image;
  plane.insetText.replaceChildren();
  for (const line of [probe.title, ...result.lines]) element(plane.insetText, "div", "", line);
  plane.inset.title = result.detail || "";
}

function drawCurves(state) {
  if (epochList(state).length < 2) return;
  const epochs = epochList(state), all = models(state);
  const series = [
    all.map((model) => model.frames.map((f) => f.readable)),
    all.map((model) => model.frames.map((f) => f.empty_share)),
  ];
  const texts = [
    all.map((model) => frameOf(state, model).readable_text),
    all.map((model) => frameOf(state, model).empty_value),
  ];
  state.curves.forEach((curve, k) => {
    const width = curve.box.clientWidth;
    if (!width) return;
    const height = 96;
    const context = sizeCanvas(curve.canvas, width, height);
    context.clearRect(0, 0, width, height);
    const area = { l: 34, t: 6, w: width - 42, h: height - 24 };
    const last = epochs[epochs.length - 1] || 1;
    const px = (epoch) => area.l + (epoch / last) * area.w, py = (value) => area.t + (1 - value) * area.h;
    context.strokeStyle = "#ccc";
    context.fillStyle = "#555";
    context.font = "10px sans-serif";
    context.lineWidth = 1;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const value of [0, 0.5, 1]) {
      context.beginPath();
      context.moveTo(area.l, py(value));
      context.lineTo(area.l + area.w, py(value));
      context.stroke();
      context.fillText(`${Math.round(value * 100)}%`, area.l - 4, py(value));
    }
    context.textAlign = "center";
    context.textBaseline = "top";
    for (const epoch of [0, Math.round(last / 2), last]) context.fillText(String(epoch), px(epoch), area.t + area.h + 3);
    series[k].forEach((values, side) => {
      context.strokeStyle = MODEL_COLOURS[side];
      context.lineWidth = 2;
      context.beginPath();
      all[side].frames.forEach((frame, i) => {
        if (values[i] === null) return;
        const x = px(frame.epoch), y = py(values[i]);
        if (i === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
      const frame = frameOf(state, all[side]);
      const value = values[all[side].frames.indexOf(frame)];
      if (value !== null) {
        context.fillStyle = MODEL_COLOURS[side];
        context.beginPath();
        context.arc(px(frame.epoch), py(value), 3.5, 0, 2 * Math.PI);
        context.fill();
      }
    });
    context.strokeStyle = "#888";
    context.setLineDash([3, 3]);
    context.beginPath();
    context.moveTo(px(epochs[state.index]), area.t);
    context.lineTo(px(epochs[state.index]), area.t + area.h);
    context.stroke();
    context.setLineDash([]);
    curve.values.replaceChildren();
    texts[k].forEach((text, side) => {
      const span = element(curve.values, "span", "", `${state.data.short[side]} ${text}`);
      span.style.color = MODEL_COLOURS[side];
    });
  });
}

// --- mounting ------------------------------------------------------------------------------------

// From another view: fetch what the lesson's first drawing needs once the page is idle, into the same
// window-level caches the lesson reads, so a first press on its tab finds them there.
function prefetch(urls) {
  const start = () => {
    for (const url of urls || []) {
      if (typeof url !== "string" || !url.startsWith("/le-assets/")) continue;
      if (url.endsWith(".png")) image(url);
      else blob(url).promise.catch(() => {}); // the lesson asks again if this one failed
    }
  };
  if (window.requestIdleCallback) requestIdleCallback(start, { timeout: 3000 });
  else setTimeout(start, 1000);
}

export default function (component) {
  const { parentElement, data } = component;
  if (data && data.role === "prefetch") return prefetch(data.urls);
  let state = parentElement.querySelector(".lp-root")?.lpState;
  if (!state) state = build(parentElement);
  state.send = component.setTriggerValue;
  state.gone = false;
  apply(state, data);
  // Streamlit runs the cleanup on unmount and also for a call superseded before it finished: tear down
  // only once the element has really left the page.
  return () =>
    setTimeout(() => {
      if (state.root.isConnected || state.gone) return;
      state.gone = true;
      stopPlaying(state);
      for (const cleanup of state.cleanups.splice(0)) cleanup();
    }, 0);
}
