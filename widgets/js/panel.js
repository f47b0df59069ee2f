// The controls above the map and the morph beside it: A and B, the looping preview with its scrub
// slider, the strip of frames (with what the classifier reads in each, once the server has said),
// and one row per β in compare mode. Everything here is decoded in the browser from the path's codes.

const TILE_MIN = 22; // px per strip tile before the strip wraps onto another row
const TILE_MAX = 56;
const PLAY_MS = 90; // per frame of the looping preview (the GIF's pace)
const PAUSE_FRAMES = 6; // frames the preview rests on A and on B

function button(parent, text, onClick, className = "le-button") {
  const made = element(parent, "button", className, text);
  made.type = "button";
  made.addEventListener("click", onClick);
  return made;
}

function buildToolbar(state, parent) {
  const bar = element(parent, "div", "le-toolbar");
  state.toolbar = {
    latent: element(bar, "div", "le-group"),
    betas: element(bar, "div", "le-group"),
    maps: element(bar, "div", "le-group"),
    toggles: element(bar, "div", "le-toggles"),
  };
}

function buildPanel(state, parent) {
  const panel = element(parent, "div", "le-panel");
  state.hint = element(panel, "div", "le-hint");
  const cards = element(panel, "div", "le-cards");
  state.cards = { a: card(cards, "A"), b: card(cards, "B") };
  const actions = element(cards, "div", "le-actions");
  state.swapButton = button(actions, "⇄ Swap", () => act(state, { type: "swap" }));
  state.clearButton = button(actions, "✕ Clear", () => act(state, { type: "clear" }));
  const path = element(panel, "div", "le-pathbar");
  state.methods = element(path, "div", "le-group");
  const frames = element(path, "label", "le-frames");
  state.framesLabel = element(frames, "span", "", "");
  state.framesInput = element(frames, "input");
  Object.assign(state.framesInput, { type: "range", min: 4, max: 32, step: 1 });
  state.framesInput.addEventListener("input", () => {
    state.shown.frames = Number(state.framesInput.value);
    refresh(state, "frames");
  });
  state.framesInput.addEventListener("change", () => sendView(state));
  const morph = element(panel, "div", "le-morph");
  const stage = element(morph, "div", "le-stage");
  state.preview = element(stage, "canvas", "le-preview");
  state.preview.width = state.preview.height = SIDE;
  state.scrubInput = element(stage, "input", "le-scrub");
  Object.assign(state.scrubInput, { type: "range", min: 0, max: 1000, step: 1, value: 0 });
  state.scrubInput.setAttribute("aria-label", "scrub along the path from A to B");
  // The slider holds the scrub while it is pressed or focused; letting go (or leaving it) plays again.
  state.scrubInput.addEventListener("input", () => setScrub(state, Number(state.scrubInput.value) / 1000, "slider"));
  state.scrubInput.addEventListener("pointerup", () => setScrub(state, null));
  state.scrubInput.addEventListener("blur", () => state.scrubSource === "slider" && setScrub(state, null));
  state.previewText = element(stage, "div", "le-preview-text");
  state.strip = element(morph, "canvas", "le-strip");
  state.strip.addEventListener("pointermove", (event) => scrubStrip(state, event));
  state.strip.addEventListener("pointerdown", (event) => scrubStrip(state, event));
  state.strip.addEventListener("pointerleave", () => state.scrubSource === "strip" && setScrub(state, null));
  state.stripText = element(morph, "div", "le-strip-text");
  state.compare = element(panel, "div", "le-compare");
  state.below = element(panel, "a", "le-below", "Per-frame analytics and downloads are under the map ↓");
  state.below.href = "#le-analytics";
  state.below.addEventListener("click", (event) => {
    event.preventDefault();
    const target = document.getElementById("le-analytics");
    if (target) target.scrollIntoView({ behavior: "smooth", block: "start" });
  });
}

function card(parent, name) {
  const box = element(parent, "div", "le-card");
  const title = element(box, "div", "le-card-title");
  const tiles = element(box, "div", "le-card-tiles");
  const canvases = [0, 1].map(() => {
    const canvas = element(tiles, "canvas");
    canvas.width = canvas.height = SIDE;
    return canvas;
  });
  return { box, title, canvases, caption: element(box, "div", "le-card-caption"), name };
}

// A segmented choice: one button per option, the chosen one pressed. It acts on the press (a pointer's
// down), not on the click that follows the release, so what it changes shows a human's click earlier;
// a keyboard's Enter or Space still clicks. The buttons stay in place while only the choice changes.
function choices(parent, options, chosen, onPick) {
  const key = JSON.stringify(options.map((o) => [o[0], o[1]]));
  if (parent.leKey !== key) {
    parent.leKey = key;
    parent.replaceChildren();
    for (const [value, text, help] of options) {
      const made = element(parent, "button", "le-choice", text);
      made.type = "button";
      made.leValue = value;
      if (help) made.title = help;
      made.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        made.lePressed = true;
        parent.leOnPick(value);
      });
      made.addEventListener("click", () => {
        if (made.lePressed) made.lePressed = false;
        else parent.leOnPick(value);
      });
    }
  }
  parent.leOnPick = onPick;
  for (const made of parent.children) made.setAttribute("aria-pressed", String(made.leValue === chosen));
}

function renderToolbar(state) {
  const data = state.data, shown = state.shown, model = data.models[shown.model];
  const latentSizes = [...new Set(Object.values(data.models).map((m) => m.latent))].sort((p, q) => q - p);
  choices(state.toolbar.latent, latentSizes.map((z) => [z, `z = ${z}`, z === 2 ? "a 2-D code: the map is the latent plane itself" : `a ${z}-D code, flattened to 2-D`]), model.latent, (z) => {
    const group = Object.values(data.models).filter((m) => m.latent === z).sort((p, q) => p.beta - q.beta);
    const same = group.find((m) => m.beta === model.beta) || group.find((m) => m.beta === 1) || group[0];
    // Said, not done silently: the β shown changes when the other latent size was not trained with it.
    const betas = group.map((m) => formatNumber(m.beta)).join(" and ");
    state.notice = same.beta === model.beta ? null
      : `z = ${z} was trained with β = ${betas} only: showing β = ${formatNumber(same.beta)}.`;
    changeView(state, { model: same.name, map: Object.keys(same.maps)[0] });
  });
  const group = Object.values(data.models).filter((m) => m.latent === model.latent).sort((p, q) => p.beta - q.beta);
  state.toolbar.betas.style.display = group.length > 1 ? "" : "none";
  choices(state.toolbar.betas, group.map((m) => [m.name, `β = ${formatNumber(m.beta)}`, m.beta === 0 ? "β = 0: a plain autoencoder" : "the weight of the KL term"]), shown.model, (name) => {
    state.notice = null;
    changeView(state, { model: name });
  });
  const maps = Object.keys(model.maps);
  choices(state.toolbar.maps, maps.map((m) => [m, data.mapLabels[m] || m]), shown.map, (map) => changeView(state, { map }));
  // Toggles: each its own one-button choice, pressed when on.
  const toggles = [];
  if (group.length > 1) toggles.push(["compare", "Compare all β"]);
  if (shown.map === "plane") toggles.push(["backdrop", "Decoded digits behind"]);
  choices(state.toolbar.toggles, toggles.map(([name, text]) => [name, text]), null, (name) => changeView(state, { [name]: !state.shown[name] }));
  for (const made of state.toolbar.toggles.children) made.setAttribute("aria-pressed", String(!!shown[made.leValue]));
}

function formatNumber(value) {
  return Number.isInteger(value) ? String(value) : String(value);
}

// The view changed here: redraw at once, then tell the server (it reruns the rest of the page behind it).
function changeView(state, change) {
  Object.assign(state.shown, change);
  if (change.model && !change.map && !state.data.models[state.shown.model].maps[state.shown.map]) {
    state.shown.map = Object.keys(state.data.models[state.shown.model].maps)[0];
  }
  refresh(state, "view");
  sendView(state);
}

function sendView(state) {
  const { model, map, method, frames, compare, backdrop } = state.shown;
  sendEvent(state, { type: "view", model, map, method, frames, compare: !!compare, backdrop: !!backdrop });
}

function act(state, event) {
  const { a, b } = state.ends;
  if (event.type === "swap") state.ends = { a: b, b: a };
  if (event.type === "clear") state.ends = { a: null, b: null };
  sendEvent(state, event);
  refresh(state, event.type);
}

// Paints a code's decoded picture into a 28 x 28 canvas (null code: a dark tile).
function paintCode(state, canvas, code) {
  const model = currentModel(state);
  if (!code || !model.decoder) return paintPixels(canvas, null);
  return paintPixels(canvas, decode(model.decoder, code, state.scratch));
}

function paintPixels(canvas, values) {
  const context = canvas.getContext("2d");
  if (!values) {
    context.fillStyle = "#222";
    context.fillRect(0, 0, SIDE, SIDE);
    return;
  }
  const image = context.createImageData(SIDE, SIDE);
  toGrey(values, image.data);
  context.putImageData(image, 0, 0);
}

function paintGrey(canvas, grey) {
  const context = canvas.getContext("2d"), image = context.createImageData(SIDE, SIDE);
  for (let p = 0; p < 784; p++) {
    image.data[4 * p] = image.data[4 * p + 1] = image.data[4 * p + 2] = grey[p];
    image.data[4 * p + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

// The endpoint's own picture: a test digit's image, a drawing, or what its source decoder draws at a point.
function paintOriginal(state, canvas, end) {
  if (end.image) return paintGrey(canvas, end.image);
  if (end.kind === "test" && state.sprite && state.sprite.ready) return spriteTile(state, end.index)(canvas);
  if (end.kind === "point") return paintCode(state, canvas, codeOf(state, end));
  return paintPixels(canvas, null);
}

function renderCards(state) {
  for (const name of ["a", "b"]) {
    const view = state.cards[name], end = state.ends[name];
    view.title.textContent = name.toUpperCase() + (end ? ` · ${end.label}` : "");
    view.box.classList.toggle("le-empty", !end);
    const [original, reconstruction] = view.canvases;
    if (!end) {
      paintPixels(original, null);
      reconstruction.style.display = "none";
      view.caption.textContent = "not chosen";
      continue;
    }
    paintOriginal(state, original, end);
    const ownPoint = end.kind === "point" && end.source === state.shown.model;
    reconstruction.style.display = ownPoint ? "none" : "";
    if (!ownPoint) paintCode(state, reconstruction, codeOf(state, end));
    view.caption.textContent = ownPoint
      ? "what the decoder draws there (no original)"
      : `${end.kind === "drawn" ? "your drawing" : end.kind === "point" ? "its decoded point" : "original"} | reconstruction`;
  }
  state.swapButton.disabled = !state.ends.a && !state.ends.b;
  state.clearButton.disabled = !state.ends.a && !state.ends.b;
}

function renderPathBar(state) {
  const methods = [
    ["linear", "linear", "a straight line between the two codes"],
    ["spherical", "spherical", "turns between the codes' directions, with the norm changing evenly"],
    ["geodesic", "geodesic", "the path whose decoded images change least, optimised on the server"],
  ];
  choices(state.methods, methods, state.shown.method, (method) => changeView(state, { method }));
  if (document.activeElement !== state.framesInput) state.framesInput.value = state.shown.frames;
  state.framesLabel.textContent = `${state.shown.frames} frames`;
}

// Tile size and rows for `count` tiles in `width` px.
function stripLayout(width, count) {
  const gap = 2, endGap = 6;
  let perRow = count, tile = Math.floor((width - 2 * endGap - (count - 3) * gap) / count);
  if (tile < TILE_MIN) {
    perRow = Math.max(3, Math.floor((width + gap) / (TILE_MIN + gap)));
    tile = Math.floor((width - (perRow - 1) * gap) / perRow);
  }
  return { tile: Math.min(TILE_MAX, tile), perRow, gap, endGap };
}

// The strip: A's own picture, the decoded frames, B's own picture; the classifier's reading over each frame.
function renderStrip(state) {
  const canvas = state.strip, path = state.path;
  const width = Math.max(120, canvas.parentElement.clientWidth);
  if (!path) {
    canvas.style.display = "none";
    state.stripText.textContent = "";
    return;
  }
  canvas.style.display = "";
  const count = path.frames.length + 2;
  const { tile, perRow, gap, endGap } = stripLayout(width, count);
  const rows = Math.ceil(count / perRow), label = 14;
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = perRow === count ? 2 * endGap + (count - 3) * gap + count * tile : perRow * tile + (perRow - 1) * gap;
  const cssHeight = rows * (tile + label);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.imageSmoothingEnabled = false;
  context.clearRect(0, 0, cssWidth, cssHeight);
  const reading = matchingReading(state);
  const boxes = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / perRow), column = i % perRow;
    let x = column * (tile + gap);
    if (perRow === count) x = i === 0 ? 0 : endGap + i * tile + (i - 1) * gap + (i === count - 1 ? endGap - gap : 0);
    const y = row * (tile + label) + label;
    const end = i === 0 ? state.ends.a : i === count - 1 ? state.ends.b : null;
    const source = state.tileCanvas;
    if (end) paintOriginal(state, source, end);
    else paintPixels(source, path.frames[i - 1]);
    context.drawImage(source, x, y, tile, tile);
    boxes.push([x, y, tile]);
    if (reading && !end) {
      const digit = reading.digits[i - 1], confidence = reading.confidence[i - 1];
      context.fillStyle = `rgba(17,17,17,${0.25 + 0.75 * confidence})`;
      context.font = "bold 11px sans-serif";
      context.textAlign = "center";
      context.fillText(String(digit), x + tile / 2, y - 3);
    } else if (end) {
      context.fillStyle = "#d62728";
      context.font = "bold 11px sans-serif";
      context.textAlign = "center";
      context.fillText(i === 0 ? "A" : "B", x + tile / 2, y - 3);
    }
  }
  state.stripBoxes = boxes;
  const method = path.pending ? "straight line for now: the geodesic is being computed" : `${path.method} path`;
  state.stripText.textContent =
    `${path.frames.length} decoded frames on a ${method}` + (reading ? "; above each, the digit a classifier reads (darker: surer)" : "");
}

function matchingReading(state) {
  const reading = state.data.reading;
  return reading && state.path && reading.key === state.path.key && reading.digits.length === state.path.frames.length ? reading : null;
}

function scrubStrip(state, event) {
  if (!state.path || !state.stripBoxes || (event.type === "pointermove" && event.pointerType === "touch" && !event.buttons)) return;
  const box = state.strip.getBoundingClientRect(), x = event.clientX - box.left, y = event.clientY - box.top;
  const boxes = state.stripBoxes;
  const frames = state.path.frames.length;
  for (let i = 1; i <= frames; i++) {
    const [bx, by, tile] = boxes[i];
    if (y >= by - 14 && y <= by + tile && x >= bx - 1 && x <= bx + tile + 1) {
      const within = Math.min(1, Math.max(0, (x - bx) / tile));
      const t = frames > 1 ? Math.min(1, Math.max(0, (i - 1 + within - 0.5) / (frames - 1))) : 0;
      setScrub(state, t, "strip");
      return;
    }
  }
}

function renderCompare(state) {
  const box = state.compare;
  if (!state.shown.compare || !state.ends.a || !state.ends.b) {
    box.replaceChildren();
    box.style.display = "none";
    return;
  }
  box.style.display = "";
  const data = state.data, model = data.models[state.shown.model];
  const group = Object.values(data.models).filter((m) => m.latent === model.latent).sort((p, q) => p.beta - q.beta);
  if (box.childElementCount !== group.length + 1) {
    box.replaceChildren();
    element(box, "div", "le-compare-title", "The same two endpoints under every β");
    for (const manifest of group) {
      const row = element(box, "div", "le-compare-row");
      element(row, "span", "le-compare-label", `β = ${formatNumber(manifest.beta)}`);
      element(row, "canvas", "le-compare-strip");
    }
  }
  group.forEach((manifest, n) => {
    const row = box.children[n + 1], canvas = row.children[1];
    const entry = modelEntry(manifest);
    const parts = ["decoder"];
    if ([state.ends.a, state.ends.b].some((end) => end.kind === "test")) parts.push("mu");
    if (!entry.decoder || (parts.includes("mu") && !entry.mu)) {
      loadModel(entry, parts).then(() => refresh(state, "compare"), () => {});
      row.classList.add("le-loading");
      return;
    }
    row.classList.remove("le-loading");
    const frames = betaFrames(state, entry);
    row.classList.toggle("le-current", manifest.name === state.shown.model);
    drawRow(state, canvas, entry, frames, row.clientWidth - 70);
  });
}

function betaFrames(state, entry) {
  const a = codeUnder(state, state.ends.a, entry), b = codeUnder(state, state.ends.b, entry);
  if (!a || !b) return null;
  const codes = pathFor(state, entry.manifest.name, a, b).codes;
  return codes.map((code) => decode(entry.decoder, code, new Float64Array(784)));
}

function drawRow(state, canvas, entry, frames, width) {
  if (!frames) return;
  const count = frames.length + 2, tile = Math.max(14, Math.min(36, Math.floor((width - 4 * count) / count)));
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${count * (tile + 2) + 8}px`;
  canvas.style.height = `${tile}px`;
  canvas.width = Math.round((count * (tile + 2) + 8) * ratio);
  canvas.height = Math.round(tile * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.imageSmoothingEnabled = false;
  for (let i = 0; i < count; i++) {
    const end = i === 0 ? state.ends.a : i === count - 1 ? state.ends.b : null;
    if (end) paintOriginal(state, state.tileCanvas, end);
    else paintPixels(state.tileCanvas, frames[i - 1]);
    const x = i * (tile + 2) + (i > 0 ? 4 : 0) + (i === count - 1 ? 4 : 0);
    context.drawImage(state.tileCanvas, x, 0, tile, tile);
  }
}

// ---- the preview: loops A -> B -> A through the frames; a scrub shows the exact point of the path ----

function setScrub(state, t, source) {
  state.scrub = t;
  state.scrubSource = t === null ? null : source;
  if (t !== null && source !== "slider") state.scrubInput.value = String(Math.round(1000 * t));
  state.overlayPoints = null;
  drawOverlay(state);
  drawPreview(state);
  if (t !== null) noteDrawn("scrub");
}

function drawPreview(state) {
  const path = state.path;
  if (!path) {
    // One endpoint chosen: show it, and what comes next, where the morph will play.
    const end = state.ends.a || state.ends.b;
    if (end) paintOriginal(state, state.preview, end);
    else paintPixels(state.preview, null);
    state.previewText.textContent = !end ? "" : state.ends.a ? "A chosen: pick a dot for B" : "B chosen: pick a dot for A";
    return;
  }
  if (state.scrub !== null) {
    paintCode(state, state.preview, pathAt(state, state.scrub));
    state.previewText.textContent = `${Math.round(100 * state.scrub)}% of the way from A to B`;
    return;
  }
  const frames = path.frames.length, cycle = 2 * (frames - 1) + 2 * PAUSE_FRAMES;
  const step = state.playStep % cycle;
  let index;
  if (step < PAUSE_FRAMES) index = 0;
  else if (step < PAUSE_FRAMES + frames - 1) index = step - PAUSE_FRAMES;
  else if (step < 2 * PAUSE_FRAMES + frames - 1) index = frames - 1;
  else index = frames - 1 - (step - 2 * PAUSE_FRAMES - frames + 1);
  paintPixels(state.preview, path.frames[Math.max(0, Math.min(frames - 1, index))]);
  state.previewText.textContent = "looping A → B → A; scrub below, or along the path or the strip";
}

function play(state) {
  clearTimeout(state.player);
  const motion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (motion || state.gone) return;
  state.player = setTimeout(() => {
    if (!document.hidden && state.scrub === null) {
      state.playStep += 1;
      drawPreview(state);
    }
    play(state);
  }, PLAY_MS);
}

function renderPanel(state) {
  renderToolbar(state);
  renderCards(state);
  renderPathBar(state);
  renderStrip(state);
  drawPreview(state);
  renderCompare(state);
  state.hint.textContent = [state.notice, state.data.hint].filter(Boolean).join(" ");
}
