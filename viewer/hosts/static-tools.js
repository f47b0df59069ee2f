// Under the static site's map: draw or upload a digit and use it as A or B, and download the morph (GIF) and
// the strip (PNG). The Streamlit page does the same on the server (sections/draw.py, sections/morph.py); here
// the browser does it with the viewer's ports (core/drawing.js, core/encoder.js, core/gif.js), held to the
// Python by their tests.

import { decode, PIXELS, SIDE, toGrey } from "../core/decoder.js";
import { button, element } from "../core/dom.js";
import { DrawingError, toMnist } from "../core/drawing.js";
import { encode } from "../core/encoder.js";
import { morphGif } from "../core/gif.js";
import { pathCodes } from "../core/paths.js";
import { ACCEPT, checkUpload, DAMAGED } from "../core/upload.js";
import { codeUnder, decoderOf, encoderOf } from "./static-compute.js";

/**
 * @typedef {import("./static-session.js").ExploreSession} ExploreSession
 * @typedef {import("../explore/types.js").SentEnd} SentEnd
 * @typedef {{digit: import("../core/drawing.js").Digit, end: {end: SentEnd, link: string}}} Prepared
 */

const CANVAS_PX = 280; // the drawing box, as the Streamlit page's canvas
const PEN_PX = 18;
const LEVELS = 16; // grey levels a drawing keeps, as explorer/state.py quantised (a link carries it exactly)

/** A picture rounded to LEVELS greys (explorer/state.py quantised). @param {Float32Array} image */
function quantised(image) {
  return image.map((v) => Math.round(Math.min(1, Math.max(0, v)) * (LEVELS - 1)) / (LEVELS - 1));
}

/** explorer/state.py drawing_bytes: two pixels per byte. @param {Float32Array} image */
function drawingBytes(image) {
  const packed = new Uint8Array(PIXELS / 2);
  for (let i = 0; i < packed.length; i++) {
    const high = Math.round(Math.min(1, Math.max(0, image[2 * i])) * (LEVELS - 1));
    const low = Math.round(Math.min(1, Math.max(0, image[2 * i + 1])) * (LEVELS - 1));
    packed[i] = (high << 4) | low;
  }
  return packed;
}

/** A drawing as an endpoint: its picture, its id (d: and a digest, as explorer/state.py), its code under each model. */
export async function drawnEnd(
  /** @type {any} */ site,
  /** @type {Float32Array} */ image,
  /** @type {string} */ label,
) {
  const picture = Float32Array.from(quantised(image));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", drawingBytes(picture)));
  const id = `d:${Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const grey = Uint8Array.from(picture, (v) => Math.round(255 * v));
  /** @type {Record<string, number[]>} */
  const codes = {};
  for (const name of Object.keys(site.explorer.models))
    codes[name] = Array.from(encode(await encoderOf(site, name), picture).mu);
  const end = /** @type {SentEnd} */ ({ kind: "drawn", id, label, image: btoa(String.fromCharCode(...grey)), codes });
  return { end, link: await drawingLink(drawingBytes(picture)) };
}

/** explorer/share.py drawing_text: "d:" and the packed picture, zlib-compressed, base64url. @param {Uint8Array} packed */
async function drawingLink(packed) {
  const stream = new Blob([/** @type {BlobPart} */ (packed)]).stream().pipeThrough(new CompressionStream("deflate"));
  const compressed = new Uint8Array(await new Response(stream).arrayBuffer());
  return `d:${btoa(String.fromCharCode(...compressed))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "")}`;
}

/** A file saved from bytes. @param {BlobPart} bytes @param {string} type @param {string} name */
function save(bytes, type, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** The shown path's frames, decoded here (as the widget and the server decode them). */
async function frames(/** @type {any} */ site, /** @type {ExploreSession} */ session) {
  const { view, ends } = session;
  if (!ends.a || !ends.b) return null;
  const [a, b] = await Promise.all([codeUnder(site, ends.a, view.model), codeUnder(site, ends.b, view.model)]);
  const decoder = await decoderOf(site, view.model);
  const method = view.method === "geodesic" ? "linear" : view.method;
  return pathCodes(a, b, view.frames, method).map((code) => decode(decoder, code, new Float64Array(PIXELS)));
}

/** The strip as a PNG: the frames side by side, each scaled up. @param {Float64Array[]} decoded */
function stripPng(decoded) {
  const scale = 3;
  const canvas = document.createElement("canvas");
  canvas.width = decoded.length * SIDE * scale;
  canvas.height = SIDE * scale;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  context.imageSmoothingEnabled = false;
  const tile = document.createElement("canvas");
  tile.width = tile.height = SIDE;
  const tileContext = /** @type {CanvasRenderingContext2D} */ (tile.getContext("2d"));
  decoded.forEach((frame, i) => {
    const picture = tileContext.createImageData(SIDE, SIDE);
    toGrey(frame, picture.data);
    tileContext.putImageData(picture, 0, 0);
    context.drawImage(tile, i * SIDE * scale, 0, SIDE * scale, SIDE * scale);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

/**
 * A canvas to draw on with a pointer: white strokes on black, as the Streamlit page's canvas. `strokeEnded`
 * hears each stroke's end with the canvas's new version.
 * @param {HTMLElement} parent @param {(version: number) => void} strokeEnded
 */
function drawingCanvas(parent, strokeEnded) {
  let version = 0;
  const canvas = element(parent, "canvas", "sh-canvas");
  canvas.width = canvas.height = CANVAS_PX;
  const pen = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const clear = () => {
    pen.fillStyle = "#000";
    pen.fillRect(0, 0, CANVAS_PX, CANVAS_PX);
  };
  clear();
  let last = /** @type {[number, number] | null} */ (null);
  const at = (/** @type {PointerEvent} */ event) => {
    const rect = canvas.getBoundingClientRect();
    const x = ((event.clientX - rect.left) * CANVAS_PX) / rect.width;
    return /** @type {[number, number]} */ ([x, ((event.clientY - rect.top) * CANVAS_PX) / rect.height]);
  };
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = at(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = at(event);
    Object.assign(pen, { strokeStyle: "#fff", lineWidth: PEN_PX, lineCap: "round", lineJoin: "round" });
    pen.beginPath();
    pen.moveTo(...last);
    pen.lineTo(...next);
    pen.stroke();
    last = next;
  });
  canvas.addEventListener("pointerup", () => {
    if (!last) return;
    last = null;
    version += 1;
    strokeEnded(version);
  });
  return {
    picture: () => pen.getImageData(0, 0, CANVAS_PX, CANVAS_PX),
    clear: () => {
      clear();
      version += 1;
    },
    /** Counts strokes and clears: a result computed for one version is stale at the next. */
    version: () => version,
  };
}

/** An uploaded file's pixels, once checkUpload has passed its header (else DrawingError). @param {File} file */
async function uploadedPicture(file) {
  checkUpload(new Uint8Array(await file.slice(0, Math.min(file.size, 5 * 2 ** 20)).arrayBuffer()), file.size);
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: "none" }).catch(() => {
    throw new DrawingError(DAMAGED);
  });
  const scratch = document.createElement("canvas");
  scratch.width = bitmap.width;
  scratch.height = bitmap.height;
  const context = /** @type {CanvasRenderingContext2D} */ (scratch.getContext("2d"));
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** The two download buttons. @param {HTMLElement} parent @param {any} site @param {ExploreSession} session @param {(text: string) => void} say */
function buildDownloads(parent, site, session, say) {
  const downloads = element(parent, "div", "sh-downloads");
  element(downloads, "h2", "", "Download the morph");
  const offer = (/** @type {string} */ text, /** @type {(decoded: Float64Array[]) => Promise<void> | void} */ saveIt) =>
    button(
      downloads,
      text,
      async () => {
        const decoded = await frames(site, session);
        if (decoded) await saveIt(decoded);
        else say("Pick A and B first.");
      },
      "le-button",
    );
  offer("GIF (A → B → A)", (decoded) => save(/** @type {BlobPart} */ (morphGif(decoded)), "image/gif", "morph.gif"));
  offer("Strip (PNG)", async (decoded) =>
    save(/** @type {Blob} */ (await stripPng(decoded)), "image/png", "strip.png"),
  );
}

/**
 * Builds the tools under the map. `use(end, which)` hands a drawn endpoint to the session; `say` tells the visitor.
 * @param {HTMLElement} parent @param {any} site @param {ExploreSession} session
 * @param {(drawn: {end: SentEnd, link: string}, which: "a" | "b") => void} use @param {(text: string) => void} say
 */
export function buildTools(parent, site, session, use, say) {
  const box = element(parent, "section", "sh-tools");
  const draw = element(box, "div", "sh-draw");
  element(draw, "h2", "", "Draw a digit");
  /** The drawing as an endpoint, prepared when its stroke ends (preprocessed and encoded by every model), so
   * "Use as A" only places it: the person's move to the button hides the work. Stale after the next stroke. */
  let prepared = /** @type {{version: number, result: Promise<Prepared>} | null} */ (null);
  const prepare = (/** @type {ImageData} */ picture, /** @type {boolean} */ drawn) => {
    const digit = toMnist(picture, { drawn });
    return drawnEnd(site, digit.image, drawn ? "your drawing" : "your photo").then((end) => ({ digit, end }));
  };
  const canvas = drawingCanvas(draw, (version) => {
    performance.mark("le:stroke-end");
    const result = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => prepare(canvas.picture(), true))
      .then((made) => {
        performance.mark("le:drawing-ready"); // benchmarks/static_speed.py: stroke end -> ready to place
        return made;
      });
    result.catch(() => {}); // a blank canvas's refusal is said when the drawing is used
    prepared = { version, result };
  });
  const message = element(draw, "p", "sh-message");
  const row = element(draw, "div", "sh-row");
  /** Makes the picture an endpoint, or says why it cannot be one. @param {() => Promise<Prepared>} made @param {boolean} drawn */
  const take = async (made, drawn, /** @type {"a" | "b"} */ which) => {
    try {
      const { digit, end } = await made();
      message.textContent = digit.warning || "";
      use(end, which);
      message.textContent = `${digit.warning ? `${digit.warning} ` : ""}Your ${drawn ? "drawing" : "photo"} is ${which.toUpperCase()}.`;
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : "That picture could not be read.";
    }
  };
  const drawing = () => (prepared?.version === canvas.version() ? prepared.result : prepare(canvas.picture(), true));
  button(row, "Use as A", () => take(drawing, true, "a"), "le-button");
  button(row, "Use as B", () => take(drawing, true, "b"), "le-button");
  button(row, "Clear", canvas.clear, "le-button");
  const upload = element(row, "input", "sh-upload");
  upload.type = "file";
  upload.accept = ACCEPT;
  upload.setAttribute("aria-label", "upload a photo of a digit");
  upload.addEventListener("change", async () => {
    const file = upload.files?.[0];
    upload.value = ""; // a rejected file is not kept listed
    if (!file) return;
    try {
      const picture = await uploadedPicture(file);
      await take(() => prepare(picture, false), false, session.ends.a ? "b" : "a");
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : "That file could not be read.";
    }
  });
  buildDownloads(box, site, session, say);
}
