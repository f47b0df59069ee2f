// "Your model": a visitor drops the .safetensors of a VAE they trained (pytorch/examples' vae/main.py, a
// tutorial's fc1/fc21/fc22/fc3/fc4, any hidden size, latent >= 2) and explores it here: its codes for the
// 10,000 test digits (core/codes.js on the digits' sprite), a PCA map of them (core/projection.js fitPca),
// and morphs between two digits decoded by its decoder (core/decoder.js). Everything runs in this page: the
// file is never sent anywhere, so no other visitor can see it, and both hosts (Streamlit, static) show the same.
// Its β is unknown, so it has no β controls: it is labelled "your model".
//
//   const yours = mountYourModel(parent, () => data.digits);   // the test digits' sprite and labels
//   yours.destroy();
//
// Test interface (docs/your-model.md): the section `.le-yours` carries data-state ("empty", "reading",
// "encoding", "ready", "refused"), data-map-draws and data-strip; a "le:yours" CustomEvent on it fills
// its detail with a snapshot (inspectYours); performance marks "le:yours:start" (the file chosen),
// "le:yours:read", "le:yours:encoded", "le:yours:map" (its map and morph drawn) time an upload.

import { encodeRange } from "../core/codes.js";
import { DIGIT_COLOURS } from "../core/constants.js";
import { decode, makeDecoder, PIXELS, SIDE, toGrey } from "../core/decoder.js";
import { element, listen, sizeCanvas, useStylesheet } from "../core/dom.js";
import { makeEncoder } from "../core/encoder.js";
import { blob, image } from "../core/fetch.js";
import { pathCodes } from "../core/paths.js";
import { fitPca, projectAll } from "../core/projection.js";
import { checkSize, modelBlobs, readSafetensors, UploadRefused, vaeFromStateDict } from "../core/safetensors.js";

/**
 * @typedef {object} YourModel          what an upload made; module scope, so it outlives a remount of the widget
 * @property {string} file              the file's name (shown as text only)
 * @property {number} latent
 * @property {number} hidden
 * @property {string} naming
 * @property {import("../core/decoder.js").Decoder} decoder
 * @property {Float32Array} mu          the test digits' codes, (count, latent)
 * @property {import("../core/projection.js").Pca} pca
 * @property {Float32Array} coords      their places on the PCA map, (count, 2)
 * @property {Uint8Array} labels
 * @property {[number, number]} ends    the morph's two test digits
 * @property {number} frames
 * @property {string} method
 * @property {Record<string, number>} seconds   read, encode, map: how long each step took
 */

export const LABEL = "your model";
export const ACCEPT = ".safetensors";
const DEFAULT_ENDS = /** @type {[number, number]} */ ([0, 1]);
const FRAME_CHOICES = [5, 10, 20];
const METHODS = ["linear", "spherical"];
const CHUNK = 1000; // digits encoded between two looks at the page (progress, input)
const MAP_PX = 420;
const DOT = 2;
const STYLES = new URL("./yourmodel.css", import.meta.url).href;

/** @type {YourModel | null} */
let current = null;

/** @param {string} mark */
const note = (mark) => performance.mark(`le:yours:${mark}`);

/** One frame to the browser, so a message shows before long work. */
const yieldFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The test digits' grey levels / 255 (float32, as numpy holds them), cut from the sprite: digit i at column
 * i % columns, row floor(i / columns) (explorer/assets.py digits_manifest).
 * @param {HTMLImageElement} sprite @param {number} count @param {number} columns
 */
function spritePixels(sprite, count, columns) {
  const canvas = document.createElement("canvas");
  canvas.width = sprite.naturalWidth;
  canvas.height = sprite.naturalHeight;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  context.drawImage(sprite, 0, 0);
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const left = (i % columns) * SIDE;
    const top = Math.floor(i / columns) * SIDE;
    for (let r = 0; r < SIDE; r++) {
      const from = 4 * ((top + r) * canvas.width + left);
      for (let c = 0; c < SIDE; c++) pixels[i * PIXELS + r * SIDE + c] = rgba[from + 4 * c] / 255;
    }
  }
  return pixels;
}

/**
 * The upload, from the file to a model ready to explore; throws UploadRefused for a file it cannot run.
 * @param {File} file @param {{labels: string, sprite: string, columns: number}} digits
 * @param {(text: string) => void} progress @returns {Promise<YourModel>}
 */
async function load(file, digits, progress) {
  const started = performance.now();
  checkSize(file.size); // before a byte is read
  const found = vaeFromStateDict(readSafetensors(await file.arrayBuffer()));
  const blobs = modelBlobs(found);
  const encoder = makeEncoder(blobs.encoder, found.latent, found.hidden);
  const decoder = makeDecoder(blobs.decoder, found.latent, found.hidden);
  note("read");
  const read = performance.now();
  progress(`Read ${found.latent}-d codes, hidden size ${found.hidden}. Encoding the 10,000 test digits…`);
  const [sprite, labelBuffer] = await Promise.all([image(digits.sprite).promise, blob(digits.labels).promise]);
  const labels = new Uint8Array(labelBuffer);
  const pixels = spritePixels(image(digits.sprite).image, labels.length, digits.columns);
  if (!sprite) throw new Error("the test digits did not load");
  const mu = new Float32Array(labels.length * found.latent);
  for (let from = 0; from < labels.length; from += CHUNK) {
    if (from) {
      progress(`Encoding the test digits: ${from} of ${labels.length}…`);
      await yieldFrame();
    }
    encodeRange(encoder, pixels, labels.length, from, from + CHUNK, mu);
  }
  note("encoded");
  const encoded = performance.now();
  const pca = fitPca(mu, found.latent);
  const coords = projectAll(pca, mu, found.latent);
  return {
    file: file.name,
    latent: found.latent,
    hidden: found.hidden,
    naming: found.naming,
    decoder,
    mu,
    pca,
    coords,
    labels,
    ends: [...DEFAULT_ENDS],
    frames: 10,
    method: "linear",
    seconds: {
      read: (read - started) / 1000,
      encode: (encoded - read) / 1000,
      map: (performance.now() - encoded) / 1000,
    },
  };
}

/** @param {YourModel} model @param {number} index */
const codeOf = (model, index) => model.mu.subarray(index * model.latent, (index + 1) * model.latent);

/** The morph's frames: 784 values in [0, 1] each. @param {YourModel} model @returns {Float64Array[]} */
export function morphFrames(model) {
  const [a, b] = model.ends;
  return pathCodes(codeOf(model, a), codeOf(model, b), model.frames, model.method).map((z) =>
    decode(model.decoder, z, new Float64Array(PIXELS)),
  );
}

/** The map's data box, padded: [x0, x1, y0, y1]. @param {Float32Array} coords */
function extent(coords) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < coords.length; i += 2) {
    x0 = Math.min(x0, coords[i]);
    x1 = Math.max(x1, coords[i]);
    y0 = Math.min(y0, coords[i + 1]);
    y1 = Math.max(y1, coords[i + 1]);
  }
  const padX = (x1 - x0) * 0.04 || 1;
  const padY = (y1 - y0) * 0.04 || 1;
  return [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
}

/**
 * Mounts the upload control and, once a model is read, its map and morph.
 * @param {HTMLElement} parent
 * @param {() => ({labels: string, sprite: string, columns: number} | null)} getDigits  the host's test digits
 */
export function mountYourModel(parent, getDigits) {
  useStylesheet(STYLES);
  /** @type {Array<() => void>} */
  const cleanups = [];
  const section = element(parent, "section", "le-yours");
  section.dataset.state = "empty";
  section.dataset.mapDraws = "0";
  element(section, "h3", "le-yours-title", "Explore your own VAE");
  const intro = element(section, "p", "le-yours-intro");
  intro.textContent =
    "Drop the .safetensors of a VAE you trained (pytorch/examples' vae/main.py: fc1, fc21, fc22, fc3, fc4; " +
    "any hidden size, a latent size of 2 or more, at most 10 MB). It runs in this page only: nothing is sent.";
  const picker = element(section, "label", "le-yours-pick");
  picker.append("Your model's file: ");
  const input = /** @type {HTMLInputElement} */ (element(picker, "input", "le-yours-input"));
  input.type = "file";
  input.accept = ACCEPT;
  const message = element(section, "p", "le-yours-message");
  message.setAttribute("role", "status");
  const body = element(section, "div", "le-yours-body");
  body.hidden = true;
  const heading = element(body, "div", "le-yours-heading");
  const controls = element(body, "div", "le-yours-controls");
  const key = element(body, "div", "le-key le-yours-key");
  key.setAttribute("aria-label", "colours of the digits 0 to 9");
  DIGIT_COLOURS.forEach((colour, digit) => {
    const item = element(key, "span", "le-key-item");
    element(item, "i").style.background = colour;
    item.append(String(digit));
  });
  const panes = element(body, "div", "le-yours-panes");
  const map = /** @type {HTMLCanvasElement} */ (element(panes, "canvas", "le-yours-map"));
  map.setAttribute("aria-label", `${LABEL}: PCA map of the test digits' codes; click two digits to morph`);
  const strip = element(panes, "div", "le-yours-strip");
  let picks = 0; // clicks on the map so far: even sets A, odd sets B
  /** @type {number[]} */
  let box = [0, 1, 0, 1];

  const toPixel = (/** @type {number} */ x, /** @type {number} */ y) => [
    ((x - box[0]) / (box[1] - box[0])) * MAP_PX,
    ((box[3] - y) / (box[3] - box[2])) * MAP_PX,
  ];

  function drawMap(/** @type {YourModel} */ model) {
    const context = sizeCanvas(map, MAP_PX, MAP_PX);
    map.style.removeProperty("height"); // its width's square, also where max-width narrows it (a phone)
    box = extent(model.coords);
    context.fillStyle = "#fff";
    context.fillRect(0, 0, MAP_PX, MAP_PX);
    for (let i = 0; i < model.labels.length; i++) {
      const [px, py] = toPixel(model.coords[2 * i], model.coords[2 * i + 1]);
      context.fillStyle = DIGIT_COLOURS[model.labels[i]] ?? "#888";
      context.fillRect(px - DOT / 2, py - DOT / 2, DOT, DOT);
    }
    const ends = model.ends.map((index) => toPixel(model.coords[2 * index], model.coords[2 * index + 1]));
    context.strokeStyle = "#262730";
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(ends[0][0], ends[0][1]);
    context.lineTo(ends[1][0], ends[1][1]);
    context.stroke();
    ends.forEach(([px, py], k) => {
      context.fillStyle = "#262730";
      context.beginPath();
      context.arc(px, py, 6, 0, 2 * Math.PI);
      context.fill();
      context.fillStyle = "#fff";
      context.font = "bold 9px sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      context.fillText(k ? "B" : "A", px, py);
    });
    section.dataset.mapDraws = String(Number(section.dataset.mapDraws) + 1);
  }

  function drawStrip(/** @type {YourModel} */ model) {
    strip.replaceChildren();
    for (const frame of morphFrames(model)) {
      const canvas = /** @type {HTMLCanvasElement} */ (element(strip, "canvas", "le-yours-frame"));
      canvas.width = canvas.height = SIDE;
      const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
      const picture = new ImageData(SIDE, SIDE);
      toGrey(frame, picture.data);
      context.putImageData(picture, 0, 0);
    }
    const [a, b] = model.ends;
    section.dataset.strip = `${a}-${b}/${model.frames}/${model.method}`;
  }

  function drawControls(/** @type {YourModel} */ model) {
    controls.replaceChildren();
    /** @param {string} title @param {Array<[string, string]>} options @param {string} chosen @param {(value: string) => void} pick */
    const group = (title, options, chosen, pick) => {
      const holder = element(controls, "span", "le-yours-group");
      holder.append(`${title} `);
      for (const [value, text] of options) {
        const made = /** @type {HTMLButtonElement} */ (element(holder, "button", "le-choice", text));
        made.type = "button";
        made.setAttribute("aria-pressed", String(value === chosen));
        made.addEventListener("click", () => pick(value));
      }
    };
    group(
      "frames",
      FRAME_CHOICES.map((n) => [String(n), String(n)]),
      String(model.frames),
      (value) => {
        model.frames = Number(value);
        show(model, "frames");
      },
    );
    group(
      "path",
      METHODS.map((m) => [m, m]),
      model.method,
      (value) => {
        model.method = value;
        show(model, "method");
      },
    );
  }

  function show(/** @type {YourModel} */ model, /** @type {string} */ reason) {
    body.hidden = false;
    heading.textContent =
      `${LABEL}: ${model.file} — latent size ${model.latent}, hidden size ${model.hidden}, ${model.naming} names; ` +
      `test digit #${model.ends[0]} (a ${model.labels[model.ends[0]]}) to #${model.ends[1]} ` +
      `(a ${model.labels[model.ends[1]]}). Click the map to pick new ends.`;
    drawControls(model);
    drawStrip(model);
    drawMap(model);
    note(`shown:${reason}`);
  }

  listen(cleanups, map, "click", (event) => {
    const model = current;
    if (!model) return;
    const rect = map.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * MAP_PX;
    const y = ((event.clientY - rect.top) / rect.height) * MAP_PX;
    let best = -1;
    let bestDistance = Infinity;
    for (let i = 0; i < model.labels.length; i++) {
      const [px, py] = toPixel(model.coords[2 * i], model.coords[2 * i + 1]);
      const distance = (px - x) ** 2 + (py - y) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    if (best < 0) return;
    model.ends[picks % 2] = best;
    picks += 1;
    show(model, "pick");
  });

  listen(cleanups, input, "change", async () => {
    const file = input.files?.[0];
    const digits = getDigits();
    if (!file || !digits) return;
    note("start");
    section.dataset.state = "reading";
    message.textContent = `Reading ${file.name}…`;
    message.classList.remove("le-yours-error");
    await yieldFrame();
    try {
      section.dataset.state = "encoding";
      const model = await load(file, digits, (text) => {
        message.textContent = text;
      });
      current = model;
      picks = 0;
      show(model, "upload");
      note("map");
      section.dataset.state = "ready";
      const { read, encode: encoding, map: mapping } = model.seconds;
      message.textContent =
        `${LABEL}: read in ${read.toFixed(2)} s, 10,000 digits encoded in ${encoding.toFixed(2)} s, ` +
        `PCA map in ${mapping.toFixed(2)} s, in this page only.`;
    } catch (error) {
      section.dataset.state = "refused";
      message.classList.add("le-yours-error");
      message.textContent =
        error instanceof UploadRefused
          ? `Not loaded. ${error.message}`
          : `Not loaded: ${error instanceof Error ? error.message : String(error)}`;
    }
    input.value = ""; // the same file chosen again is a new change
  });

  listen(cleanups, section, "le:yours", (event) => {
    Object.assign(/** @type {CustomEvent} */ (event).detail, inspectYours(section, toPixel));
  });

  if (current) {
    section.dataset.state = "ready";
    show(current, "remount");
  }
  return {
    destroy() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      section.remove();
    },
  };
}

/**
 * What tests and benchmarks may read (docs/your-model.md): the state, the message, the model's shape, its
 * ends and frames, a few codes, and where a test digit sits on the map in viewport pixels.
 * @param {HTMLElement} section @param {(x: number, y: number) => number[]} toPixel
 */
function inspectYours(section, toPixel) {
  const model = current;
  const rect = section.querySelector(".le-yours-map")?.getBoundingClientRect();
  return {
    state: section.dataset.state,
    message: section.querySelector(".le-yours-message")?.textContent ?? "",
    model: model
      ? {
          label: LABEL,
          file: model.file,
          latent: model.latent,
          hidden: model.hidden,
          naming: model.naming,
          count: model.labels.length,
          ends: [...model.ends],
          frames: model.frames,
          method: model.method,
          seconds: { ...model.seconds },
          pca: model.pca,
        }
      : null,
    framesNow: () => (model ? morphFrames(model).map((frame) => Array.from(frame)) : []),
    code: (/** @type {number} */ index) => (model ? Array.from(codeOf(model, index)) : null),
    place: (/** @type {number} */ index) => (model ? [model.coords[2 * index], model.coords[2 * index + 1]] : null),
    pixel: (/** @type {number} */ index) => {
      if (!model || !rect) return null;
      const [px, py] = toPixel(model.coords[2 * index], model.coords[2 * index + 1]);
      return [rect.left + (px * rect.width) / MAP_PX, rect.top + (py * rect.height) / MAP_PX];
    },
  };
}
