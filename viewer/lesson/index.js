// The lesson's first screen (sections/lesson.py builds its data, types.js LessonData; widgets/planes.py reads
// its events). Top to bottom: for each model a column of rows of decoded N(0, I) draws (samples.js); one bar
// of controls; the two z = 2 planes side by side (plane.js); the curves over training epochs (curves.js).
//
// The rows of draws are rows.js's: laid out with each update, computed, labelled and fitted with each drawing.
//
// Everything the browser can do alone, it does alone: the scale (one pair of axes for both planes, or each
// its own), showing the codes, scrubbing or playing the epochs (player.js), the hover tip (pointer.js). A
// tap on a plane, "decode one draw" and "new draws" go to the host as events of core/protocol.js, queued
// until the host acknowledges them. Each epoch's mosaic (PNG) and codes (float32) are fetched once by URL.
//
// The test interface (docs/lesson.md; status.js writes it): data attributes on the root, on each plane's
// canvas and hover tip, and a performance mark per complete drawing. Nothing else here is for tests to read.

import { DIGIT_COLOURS, MAX_PENDING } from "../core/constants.js";
import { listen, useStylesheet } from "../core/dom.js";
import { blob, image } from "../core/fetch.js";
import { Channel } from "../core/protocol.js";
import { buildScreen } from "./build.js";
import { drawPoint } from "./compute.js";
import { drawCurves } from "./curves.js";
import { epochLabel } from "./epochs.js";
import { union } from "./geometry.js";
import { Arrivals, fetchFrames, prefetchArrays } from "./loading.js";
import { epochsOf, frameAt, indicesByDigit, snapshotsKey } from "./manifest.js";
import { drawPlane } from "./plane.js";
import { EpochPlayer } from "./player.js";
import { decoderOf, decodeScratch, hideTip, showTip, tapPoint } from "./pointer.js";
import { buildPosterior, showPosterior } from "./posterior.js";
import { probeInsets } from "./probe.js";
import { Reveal } from "./reveal.js";
import { DrawRows } from "./rows.js";
import { showScaleNote } from "./scale.js";
import { markComplete, writeStatus } from "./status.js";
import { buildTable, showTable } from "./table.js";
import { showInset, showPresets, showTexts } from "./texts.js";

const STYLESHEET = new URL("./lesson.css", import.meta.url).href;
const BOX_PAD = 0.03; // room around the union of boxes a plane fits, as a share of its longer side
const MIN_PLANE_PX = 170;
// A phone's plane (under 300 px wide) fills what is left of the first screen, within these bounds: the static host's
// system font wraps the words above more than Streamlit's, and a fixed 150 px left its planes 15 px under the fold.
const PHONE_PLANE_PX = { min: 120, max: 170 };
const WAIT_MS = 20000; // how long the planes may stay incomplete before the screen says so

/** @typedef {import("./types.js").LessonData} LessonData */
/** @typedef {import("./types.js").Scale} Scale */
/** @typedef {import("./pointer.js").PointerAt} PointerAt */
/** @typedef {import("./plane.js").Placement} Placement */

/**
 * Where the probe shows on a plane, for Own scale's note to keep clear of (scale.js): its mark, the ring on its
 * nearest code and its inset, when on the plot, in CSS pixels from the canvas's top left.
 * @param {import("./build.js").PlaneNodes} plane @param {Placement | null} placement
 * @returns {import("./scale.js").Rect[]}
 */
function probeRects(plane, placement) {
  const rects = [];
  for (const at of [placement?.marker, placement?.link])
    if (at) rects.push({ x: at.x - 12, y: at.y - 12, w: 24, h: 24 });
  const { inset } = plane;
  if (inset.offsetParent === plane.wrap && inset.offsetWidth) {
    rects.push({ x: inset.offsetLeft, y: inset.offsetTop, w: inset.offsetWidth, h: inset.offsetHeight });
  }
  return rects;
}

/**
 * What the visitor set in the browser alone.
 * @typedef {object} LessonView
 * @property {number} epochIndex  the snapshot shown: an index into the epochs (epochsOf)
 * @property {Scale} scale
 * @property {{x: number, y: number, drawn: boolean, serial: number} | null} tapped  a probe the host has not
 *   handled yet (a tap, or "decode one draw"): shown at once, and the host's probe after
 * @property {number} draws  presses of "decode one draw" so far: the next draw's seed
 * @property {number} preset  the preset pressed here (its line shows at once), -1 for none
 */

/**
 * What has arrived, and keys saying what the screen was last built from.
 * @typedef {object} Loaded
 * @property {number[][] | null} byDigit   the test codes' indices per digit (from the labels)
 * @property {boolean} labelsAsked
 * @property {string} snapshots            snapshotsKey of the planes the player steps through
 * @property {Float64Array} scratch        one decoded picture (the hover tip)
 * @property {string} probeKey             the point `insets` were computed for
 * @property {import("./probe.js").Inset[] | null} insets
 */

/**
 * The lesson's first screen in `parent`; `host` receives its events.
 * @param {HTMLElement} parent @param {import("../core/host.js").Host} host
 * @returns {import("../core/host.js").Widget<LessonData>}
 */
export function mountLesson(parent, host) {
  const lesson = new Lesson(parent, host);
  return { root: lesson.nodes.root, update: (data) => lesson.update(data), destroy: () => lesson.destroy() };
}

/**
 * From another view (a host calls it once the page is idle): the lesson's stylesheet, and the arrays its
 * first drawing needs (`urls`: sections/lesson.py prefetch_lesson), so a first visit finds them in the
 * browser. The stylesheet's rules all start with lp-: nothing else on the page changes.
 * @param {unknown} urls
 */
export function prefetchLesson(urls) {
  useStylesheet(STYLESHEET);
  prefetchArrays(urls);
}

class Lesson {
  /** @param {HTMLElement} parent @param {import("../core/host.js").Host} host */
  constructor(parent, host) {
    this.host = host;
    this.nodes = buildScreen(parent);
    this.posterior = buildPosterior(
      this.nodes.root,
      () => this.schedule(),
      () => this.report({ type: "eps" }),
    );
    this.table = buildTable(this.nodes.root);
    /** @type {LessonData | null} */
    this.data = null; // applied once the stylesheet is in: the layout is measured
    /** @type {LessonData | null} */
    this.received = null;
    /** @type {Channel | null} */
    this.channel = null;
    /** @type {LessonView} */
    this.view = { epochIndex: 0, scale: "own", tapped: null, draws: 0, preset: -1 };
    /** @type {Loaded} */
    this.loaded = {
      byDigit: null,
      labelsAsked: false,
      snapshots: "",
      scratch: decodeScratch(),
      probeKey: "",
      insets: null,
    };
    this.reveal = new Reveal(); // what the visitor's last action must bring into view once drawn (reveal.js)
    /** @type {Array<Placement | null>} where each plane's last drawing put the data */
    this.placements = [null, null];
    /** @type {{press: PointerAt | null, hover: PointerAt | null}} */
    this.pointer = { press: null, hover: null };
    this.frames = { draw: 0, hover: 0 }; // pending animation frames
    this.arrivals = new Arrivals();
    this.counts = { planeDraws: 0, completeDraws: 0 };
    this.builtAt = performance.now();
    /** @type {Array<() => void>} */
    this.cleanups = [];
    this.draws = new DrawRows(this.nodes.columns, this.cleanups, () => this.schedule());
    this.styled = false; // the stylesheet is in: data can be applied (the layout measured)
    this.player = new EpochPlayer(
      () => this.nextEpoch(),
      (playing) => {
        this.nodes.play.textContent = playing ? "❚❚" : "▶";
      },
    );
    this.wire();
    useStylesheet(STYLESHEET).then(() => {
      this.styled = true;
      if (this.received) this.apply(this.received);
    });
  }

  /** @param {LessonData} data */
  update(data) {
    this.received = data;
    if (this.styled) this.apply(data);
  }

  destroy() {
    this.player.stop();
    cancelAnimationFrame(this.frames.draw);
    cancelAnimationFrame(this.frames.hover);
    this.arrivals.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.data = this.received = null;
    this.nodes.root.remove();
  }

  wire() {
    const { nodes, cleanups } = this;
    listen(cleanups, nodes.newSamples, "click", () => this.report({ type: "samples" }));
    listen(cleanups, nodes.draw, "click", () => this.drawOne());
    for (const button of nodes.scaleButtons) {
      listen(cleanups, button, "click", () => {
        this.view.scale = button.dataset.scale === "own" ? "own" : "same";
        this.schedule();
      });
    }
    listen(cleanups, nodes.codes, "change", () => this.schedule());
    listen(cleanups, nodes.slider, "input", () => {
      this.player.stop();
      this.view.epochIndex = Number(nodes.slider.value);
      this.schedule();
    });
    listen(cleanups, nodes.play, "click", () => this.togglePlayer());
    for (const plane of nodes.planes) {
      const at = (/** @type {PointerEvent} */ event) => ({
        side: plane.side,
        clientX: event.clientX,
        clientY: event.clientY,
      });
      listen(cleanups, plane.canvas, "pointerdown", (event) => {
        this.pointer.press = at(event);
      });
      listen(cleanups, plane.canvas, "pointerup", (event) => this.tap(at(event)));
      listen(cleanups, plane.canvas, "pointermove", (event) => {
        if (event.pointerType !== "touch") this.hover(at(event)); // a finger has no hover: a tap probes instead
      });
      listen(cleanups, plane.canvas, "pointerleave", () => {
        this.pointer.hover = null;
        hideTip(plane);
      });
    }
    const resize = new ResizeObserver(() => this.schedule());
    resize.observe(nodes.root);
    cleanups.push(() => resize.disconnect());
    listen(cleanups, window, "resize", () => this.schedule());
  }

  /** @param {LessonData} data */
  apply(data) {
    this.data = data;
    const key = snapshotsKey(data.planes);
    if (this.loaded.snapshots !== key) {
      this.loaded.snapshots = key;
      this.view.epochIndex = epochsOf(data.planes).length - 1; // the shipped models first; play starts at 0
    }
    this.loadLabels(data.planes.labels);
    this.draws.layout(data);
    showTexts(this.nodes, data);
    showPresets(this.nodes, data, this.view.preset, (index) => this.applyPreset(index));
    if (!this.channel) this.channel = new Channel(data.name, MAX_PENDING);
    this.channel.receive(data.ack || 0);
    // The cross drawn at a tap stands until a run has handled the tap (or the host dropped it: a new session).
    const tapped = this.view.tapped;
    if (tapped && !this.channel.queue.some((event) => event.serial === tapped.serial)) this.view.tapped = null;
    fetchFrames(data.planes.models, this.epoch(), () => this.schedule());
    this.schedule();
  }

  /** The test digits' labels, once (a failed fetch is asked for again by a later update). @param {string} url */
  loadLabels(url) {
    if (this.loaded.labelsAsked) return;
    this.loaded.labelsAsked = true;
    blob(url).promise.then(
      (buffer) => {
        this.loaded.byDigit = indicesByDigit(new Uint8Array(buffer), DIGIT_COLOURS.length);
        this.schedule();
      },
      () => this.arrivals.later(() => (this.loaded.labelsAsked = false)),
    );
  }

  /** The epoch shown. */
  epoch() {
    return this.data ? epochsOf(this.data.planes)[this.view.epochIndex] : 0;
  }

  /** Whether the shipped models (the last epoch) are shown: only theirs have a decoder here and probe results. */
  atLastEpoch() {
    return this.data !== null && this.view.epochIndex === epochsOf(this.data.planes).length - 1;
  }

  /** @param {{type: string} & Record<string, unknown>} event */
  report(event) {
    if (!this.channel) return null; // no data yet: no name to number the event by
    const message = this.channel.emit(event);
    this.host.report(message);
    return message;
  }

  /** @param {PointerAt} release */
  tap(release) {
    const press = this.pointer.press;
    this.pointer.press = null;
    const plane = this.nodes.planes[release.side];
    const point = tapPoint(press, release, this.placements[release.side], plane.canvas);
    if (!point) return;
    const sent = this.report({ type: "probe", x: point.x, y: point.y });
    if (sent) this.view.tapped = { ...point, drawn: false, serial: sent.serial };
    this.reveal.later("insets");
    this.leavePreset();
    this.schedule();
  }

  /**
   * A "Show me" preset: what the lesson itself shows (the scale, the trained models' epoch) is set here at once,
   * its line shown; the host applies the rest of its view (the probe, or the map with its pair).
   * @param {number} index
   */
  applyPreset(index) {
    const preset = this.data?.presets[index];
    if (!this.data || !preset) return;
    this.player.stop();
    if (preset.scale) this.view.scale = preset.scale;
    if (preset.lastEpoch) this.view.epochIndex = epochsOf(this.data.planes).length - 1;
    this.view.preset = index;
    this.view.tapped = null;
    showPresets(this.nodes, this.data, index, (next) => this.applyPreset(next));
    this.report({ type: "preset", index });
    this.nodes.preset.scrollIntoView({ block: "nearest" });
    if (preset.query.page === "lesson") this.reveal.later("preset");
    this.schedule();
  }

  /** "Decode one draw of N(0, I)": the next draw, probed here at once and reported to the host (the link). */
  drawOne() {
    this.view.draws += 1;
    const [x, y] = drawPoint(this.view.draws);
    const sent = this.report({ type: "draw", x, y });
    if (sent) this.view.tapped = { x, y, drawn: true, serial: sent.serial };
    this.reveal.later("insets");
    this.leavePreset();
    this.schedule();
  }

  /** A probe of the visitor's own: the preset's line goes (the host forgets its preset on the event too). */
  leavePreset() {
    this.view.preset = -1;
    if (this.data) showPresets(this.nodes, { ...this.data, preset: null }, -1, (next) => this.applyPreset(next));
  }

  /** The probed point (a tap or draw waiting for the host, else the host's) and both planes' insets for it. */
  probed() {
    const data = this.data;
    if (!data) return null;
    const point = this.view.tapped || data.probe;
    if (!point) return null;
    const key = `${point.x},${point.y},${point.drawn}`;
    if (this.loaded.probeKey !== key) {
      /** @type {Promise<unknown>[]} */
      const waits = [];
      this.loaded.insets = probeInsets(data, point, waits);
      this.loaded.probeKey = this.loaded.insets ? key : "";
      for (const wait of waits) this.arrivals.whenArrived(wait, () => this.schedule());
    }
    return { point, insets: this.loaded.insets };
  }

  /** @param {PointerAt} at */
  hover(at) {
    this.pointer.hover = at;
    if (this.frames.hover) return;
    this.frames.hover = requestAnimationFrame(() => {
      this.frames.hover = 0;
      this.showHover();
    });
  }

  showHover() {
    const at = this.pointer.hover;
    if (!at || !this.data) return;
    const plane = this.nodes.planes[at.side];
    const placement = this.placements[at.side];
    if (!this.atLastEpoch() || !placement) return hideTip(plane); // the decoder shipped is the last epoch's
    const model = this.data.planes.models[at.side];
    const decoder = decoderOf(model.decoder);
    if (!decoder) {
      this.arrivals.whenArrived(blob(model.decoder.decoder).promise, () => this.showHover());
      return hideTip(plane);
    }
    return showTip(plane, at, placement, model.frames[model.frames.length - 1].box, decoder, this.loaded.scratch);
  }

  togglePlayer() {
    if (this.player.playing) {
      this.player.stop();
      return;
    }
    if (this.atLastEpoch()) this.view.epochIndex = 0;
    this.player.start();
    this.draw();
  }

  /** The player's step: the next epoch, drawn now; false at the last. */
  nextEpoch() {
    if (!this.data || this.atLastEpoch()) return false;
    this.view.epochIndex += 1;
    this.draw();
    return true;
  }

  schedule() {
    if (this.frames.draw || !this.data) return;
    this.frames.draw = requestAnimationFrame(() => {
      this.frames.draw = 0;
      this.draw();
    });
  }

  draw() {
    const data = this.data;
    if (!data) return;
    const { nodes, view } = this;
    const epoch = this.epoch();
    nodes.slider.value = String(view.epochIndex);
    nodes.epochText.textContent = epochLabel(data, epoch, view.epochIndex);
    for (const button of nodes.scaleButtons) button.classList.toggle("lp-on", button.dataset.scale === view.scale);
    for (const wait of this.draws.show(data, epoch, this.atLastEpoch())) {
      this.arrivals.whenArrived(wait, () => this.schedule());
    }
    const width = nodes.planes[0].wrap.clientWidth;
    if (width) {
      const complete = this.drawPlanes(data, epoch, width, this.planeHeight(width));
      drawCurves(nodes.curves, data.planes.models, epochsOf(data.planes), epoch, data.short, data.text.epoch);
      showPosterior(this.posterior, data, () => this.schedule());
      showTable(this.table, data.table);
      this.counts.planeDraws += 1;
      // Said only when it lasts: the arrays come over plain HTTP and are asked for again every RETRY_MS.
      const late = !complete && performance.now() - this.builtAt > WAIT_MS;
      nodes.waiting.textContent = late ? data.text.waiting : "";
      nodes.waiting.style.display = late ? "" : "none";
      if (late) this.arrivals.later(() => this.schedule());
      if (complete) {
        this.counts.completeDraws += 1;
        markComplete(nodes.root, epoch, view.scale);
      }
    }
    this.reveal.show(
      this.nodes.planes.map((plane) => plane.inset),
      this.nodes.preset,
    );
    // A tip waiting for its decoder: the blob's arrival schedules this drawing (whoever asked for it first).
    if (this.pointer.hover) this.showHover();
    this.status(epoch);
  }

  /**
   * Both planes at `epoch`, `width` x `height` each; true when everything they show had arrived.
   * @param {LessonData} data @param {number} epoch @param {number} width @param {number} height
   */
  drawPlanes(data, epoch, width, height) {
    const { models, tiles } = data.planes;
    const codesShown = this.nodes.codes.checked;
    const probed = this.probed();
    const probe = probed ? probed.point : null;
    const same = union(
      models.flatMap((model) => model.frames.map((frame) => frame.box)),
      BOX_PAD,
    );
    let complete = true;
    models.forEach((model, side) => {
      const plane = this.nodes.planes[side];
      const frame = frameAt(model, epoch);
      plane.title.textContent = `${model.title} · ${frame.empty_text}`;
      const mosaic = image(frame.mosaic);
      const codes = blob(frame.mu);
      if (!mosaic.ready) this.arrivals.whenArrived(mosaic.promise, () => this.schedule());
      if (!codes.value) this.arrivals.whenArrived(codes.promise, () => this.schedule());
      // Own scale fits the codes of the epoch shown (its grid and holes are seen at every epoch); the same scale
      // is one pair of axes for both planes and every epoch (how the codes spread out over training is seen).
      const view = this.view.scale === "same" ? same : union([frame.box], BOX_PAD);
      // The probe is the shipped models' (the last epoch's): at an earlier epoch neither its mark nor its insets.
      const last = this.atLastEpoch();
      const scene = {
        frame,
        view,
        tiles,
        mosaic: mosaic.ready ? mosaic.image : null,
        codes: codesShown && codes.value ? new Float32Array(codes.value) : null,
        byDigit: codesShown ? this.loaded.byDigit : null,
        probe: last ? probe : null,
        nearest: last && probed?.insets ? probed.insets[side].nearest : null,
        ringsOff: data.text.rings_off,
        ringsAround: data.text.rings_around,
      };
      this.placements[side] = drawPlane(plane.canvas, scene, width, height);
      complete &&= mosaic.ready && (!codesShown || (codes.value !== null && this.loaded.byDigit !== null));
      const inset = last && probed?.insets ? probed.insets[side] : null;
      showInset(plane, inset, this.placements[side], data.text.where.offview, frame.core);
    });
    this.nodes.planes.forEach((plane, side) => {
      const codes = codesShown ? blob(frameAt(models[side], epoch).mu).value : null;
      const drawn = codes ? new Float32Array(codes) : null;
      const own = this.view.scale === "own";
      showScaleNote(
        plane.scaleNote,
        plane.title,
        data.text,
        side,
        own,
        this.placements,
        drawn,
        probeRects(plane, this.placements[side]),
      );
    });
    return complete;
  }

  /**
   * How tall the planes may be: what is left of the window under their top when the page is scrolled to
   * the top (whichever element scrolls it), so both stay in view.
   * @param {number} width
   */
  planeHeight(width) {
    let top = this.nodes.planes[0].wrap.getBoundingClientRect().top;
    for (let at = this.nodes.root.parentElement; at; at = at.parentElement) top += at.scrollTop; // <html>: the window's
    if (width < 300) {
      const room = window.innerHeight - top - 6; // a phone's legend sits under the fold: the planes come first
      return Math.round(Math.min(PHONE_PLANE_PX.max, width * 1.05, Math.max(PHONE_PLANE_PX.min, room)));
    }
    const room = window.innerHeight - top - (this.nodes.legend.offsetHeight + 14);
    return Math.round(Math.max(MIN_PLANE_PX, Math.min(room, width * 1.05)));
  }

  /** The root's test interface (status.js). @param {number} epoch */
  status(epoch) {
    writeStatus(this.nodes.root, {
      epoch,
      epochIndex: this.view.epochIndex,
      epochs: this.data ? epochsOf(this.data.planes) : [],
      scale: this.view.scale,
      codesShown: this.nodes.codes.checked,
      playing: this.player.playing,
      ...this.counts,
    });
  }
}
