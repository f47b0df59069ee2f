// After an action, its result scrolled into view once it has drawn: the probe's insets after a tap or a draw
// (a phone puts them under the planes, below the first screen), the preset's line after a preset (at the top
// on a phone, the planes and insets under it). Scrolled once, so the visitor's own scrolling is never fought;
// given up after REVEAL_MS.

const REVEAL_MS = 5000; // how long an action's result may take to arrive and still be scrolled into view

export class Reveal {
  constructor() {
    /** @type {{what: "insets" | "preset", until: number} | null} */
    this.pending = null;
  }

  /** @param {"insets" | "preset"} what */
  later(what) {
    this.pending = { what, until: performance.now() + REVEAL_MS };
  }

  /**
   * Scrolls once the insets are shown. "A phone" is what the stylesheet makes it: insets laid under the planes
   * (lesson.css gives them position: static there), so no second breakpoint lives here.
   * @param {HTMLElement[]} insets @param {HTMLElement} preset
   */
  show(insets, preset) {
    const pending = this.pending;
    if (!pending) return;
    if (performance.now() > pending.until) {
      this.pending = null;
      return;
    }
    if (!insets.every((inset) => inset.style.display !== "none" && inset.dataset.where)) return;
    this.pending = null;
    const under = getComputedStyle(insets[0]).position === "static";
    if (pending.what === "preset") preset.scrollIntoView({ block: under ? "start" : "nearest" });
    else lowest(insets).scrollIntoView({ block: "nearest" }); // both in view: they start at one height
  }
}

/** The element reaching lowest on the page. @param {HTMLElement[]} elements */
function lowest(elements) {
  const bottom = (/** @type {HTMLElement} */ e) => e.getBoundingClientRect().bottom;
  return elements.reduce((low, e) => (bottom(e) > bottom(low) ? e : low));
}
