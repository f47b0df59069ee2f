// Making elements and listening to them, with a cleanup list per widget.

/**
 * A new element appended to `parent`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {Element} parent
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(parent, tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  parent.appendChild(made);
  return made;
}

/**
 * A plain button that calls `onClick` when clicked.
 * @param {Element} parent @param {string} text @param {(event: MouseEvent) => void} onClick @param {string} className
 */
export function button(parent, text, onClick, className) {
  const made = element(parent, "button", className, text);
  made.type = "button";
  made.addEventListener("click", onClick);
  return made;
}

/**
 * Adds a listener and records how to remove it in `cleanups`.
 * @param {Array<() => void>} cleanups
 * @param {EventTarget} target
 * @param {string} type
 * @param {(event: any) => void} handler
 * @param {boolean | AddEventListenerOptions} [options]
 */
export function listen(cleanups, target, type, handler, options) {
  target.addEventListener(type, handler, options);
  cleanups.push(() => target.removeEventListener(type, handler, options));
}

/**
 * A canvas sized `width` x `height` CSS pixels at the screen's pixel ratio; returns its 2-D context, scaled.
 * @param {HTMLCanvasElement} canvas @param {number} width @param {number} height
 */
export function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/**
 * A grid of pictures' canvas, made ready: sized as sizeCanvas does, cleared, smoothing off (pixels drawn as
 * blocks); its context.
 * @param {HTMLCanvasElement} canvas @param {number} width @param {number} height
 */
export function gridCanvas(canvas, width, height) {
  const context = sizeCanvas(canvas, width, height);
  context.imageSmoothingEnabled = false;
  context.clearRect(0, 0, width, height);
  return context;
}

/**
 * The side of one picture in a row of `columns` after a label column `labelPx` wide, in `width` CSS pixels:
 * 16 at the least, `largest` at the most.
 * @param {number} width @param {number} labelPx @param {number} columns @param {number} largest
 */
export function tileSide(width, labelPx, columns, largest) {
  return Math.max(16, Math.min(largest, Math.floor((width - labelPx) / columns)));
}

/** @type {Map<string, Promise<void>>} */
const stylesheets = new Map();

/**
 * Adds the stylesheet at `url` to the document once; resolves when it applies, so a widget measures its
 * layout with its styles in place (a failed sheet resolves too: an unstyled widget beats none).
 * @param {string} url
 * @returns {Promise<void>}
 */
export function useStylesheet(url) {
  let loading = stylesheets.get(url);
  if (!loading) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    loading = new Promise((resolve) => {
      link.onload = link.onerror = () => resolve();
    });
    document.head.appendChild(link);
    stylesheets.set(url, loading);
  }
  return loading;
}

/**
 * A closed disclosure (`<details>`) of its own: a summary line, a paragraph of words, then a whole-number box
 * from 0 under a label; more of the box's properties (max, value) in `number`.
 * @param {Element} parent
 * @param {{className: string, summary: string, words: [string, string], label: [string, string],
 *   number?: Partial<HTMLInputElement>}} parts  words and label: [className, text]
 * @returns {{box: HTMLDetailsElement, input: HTMLInputElement}}
 */
export function numberDisclosure(parent, { className, summary, words, label, number = {} }) {
  const box = element(parent, "details", className);
  element(box, "summary", "", summary);
  element(box, "p", ...words);
  const input = element(element(box, "label", ...label), "input");
  Object.assign(input, { type: "number", min: 0, step: 1, ...number });
  return { box, input };
}

/**
 * Wires a number disclosure: `redraw` when it opens or closes; a typed number, rounded and held to
 * 0..max() (0 for what is no number), goes to `take` before the redraw.
 * @param {{box: HTMLDetailsElement, input: HTMLInputElement}} dom @param {() => void} redraw
 * @param {() => number} max @param {(value: number) => void} take
 */
export function listenToNumber(dom, redraw, max, take) {
  dom.box.addEventListener("toggle", redraw);
  dom.input.addEventListener("change", () => {
    const value = Math.round(Number(dom.input.value));
    take(Number.isFinite(value) ? Math.min(max(), Math.max(0, value)) : 0);
    redraw();
  });
}
