// The explorer's state, in named parts. One object per mounted widget (hosts keep them in a WeakMap).
//
//   view      what the visitor sees and chose: the controls, the endpoints, the path, the scrub
//   host      what the host sent last, and the test labels fetched once
//   gesture   the pointer now: hovering, a press, a grabbed endpoint, a finger scrubbing
//   dom       the elements the widget made
//   cache     what is derived and kept until something changes (hit-test grid, pixels, first paint)
//   timers    animation frames and timeouts, cleared on destroy
//   stage     how far the page has come: first paint, Plotly's first draw, gone

import { MAX_PENDING } from "../core/constants.js";
import { SIDE } from "../core/decoder.js";
import { Channel } from "../core/protocol.js";

/**
 * @typedef {import("./types.js").ExplorerData} ExplorerData
 * @typedef {import("./types.js").ViewData} ViewData
 * @typedef {import("./types.js").End} End
 * @typedef {import("./types.js").Path} Path
 *
 * @typedef {object} Dom
 * @property {HTMLElement} root
 * @property {Record<string, HTMLElement>} toolbar   latent, betas, maps, toggles
 * @property {HTMLElement} key          the phone's line of digit colours
 * @property {HTMLElement} mapBox
 * @property {HTMLElement} holesKey     under the map: what its shaded cells and ringed frames mean (holes.js)
 * @property {HTMLElement & {on?: any, _fullLayout?: any, _fullData?: any}} graph   Plotly's graph div
 * @property {HTMLCanvasElement} overlay
 * @property {HTMLElement} note
 * @property {HTMLElement} tip
 * @property {HTMLCanvasElement[]} tipCanvases
 * @property {HTMLElement} tipText
 * @property {HTMLElement} hint
 * @property {Record<"a" | "b", {box: HTMLElement, title: HTMLElement, canvases: HTMLCanvasElement[], caption: HTMLElement}>} cards
 * @property {HTMLButtonElement} swap
 * @property {HTMLButtonElement} clear
 * @property {HTMLElement} methods
 * @property {HTMLElement} framesLabel
 * @property {HTMLInputElement} framesInput
 * @property {HTMLCanvasElement} preview
 * @property {HTMLInputElement} scrubInput
 * @property {HTMLElement} previewText
 * @property {HTMLCanvasElement} strip
 * @property {HTMLElement} stripText
 * @property {HTMLElement} holesText    under the strip: its ringed frames, counted
 * @property {HTMLElement} compare
 * @property {HTMLAnchorElement} below  the link to the analytics under the map
 * @property {HTMLElement} verdict      the geodesic's verdict in plain words, its figures in a tooltip
 * @property {ReturnType<typeof import("./panel/analytics.js").buildAnalytics>} analytics   under the map
 * @property {ReturnType<typeof import("./panel/traversals.js").buildTraversals>} traversals
 * @property {ReturnType<typeof import("./panel/prior.js").buildPrior>} prior   draws of N(0, I), decoded
 * @property {HTMLCanvasElement} tile   a 28 x 28 scratch canvas for one picture
 * @property {import("./beta.js").Slider} mr   the β slider's row
 *
 * @typedef {object} ExploreState
 * @property {import("../core/host.js").Host} hostApi
 * @property {Channel | null} channel
 * @property {{data: ExplorerData | null, labels: Uint8Array | null}} host
 * @property {{shown: ViewData, ends: {a: End | null, b: End | null}, drawn: End | null, path: Path | null,
 *   scrub: number | null, scrubSource: string | null, playStep: number, notice: string | null}} view
 * @property {{pointer: {clientX: number, clientY: number, touch: boolean} | null, down: any, grab: any, finger: boolean}} gesture
 * @property {Dom} dom
 * @property {{hitGrid: any, overlayPoints: any, pathPixels: number[][],
 *   ringPixels: number[][], holeCells: number,
 *   stripRings: number[], markerPixels: Record<string, number[] | null>, priorAngles: Record<number, number>,
 *   stripBoxes: number[][] | null, firstPaint: {shown: boolean, key: string, canvas: HTMLCanvasElement | null},
 *   sprite: import("../core/fetch.js").ImageEntry | null, baseVersion: string, loading: string | null,
 *   preloaded: string | null, scratch: Float64Array}} cache
 * @property {{player: number, waiting: number, waitStarted: number, noted: boolean, frame: number,
 *   work: (() => void) | null,
 *   baseFrame: number, baseTimer: number}} timers
 * @property {{painted: boolean, plotted: boolean, gone: boolean, stripDraws: number, mapDraws: number,
 *   hoverUpdates: number, mrDraws: number, pathDecodes: number, resizes: number}} stage
 * @property {Array<() => void>} cleanups
 */

/**
 * @param {import("../core/host.js").Host} hostApi
 * @param {Dom} dom
 * @returns {ExploreState}
 */
export function createState(hostApi, dom) {
  return {
    hostApi,
    channel: null,
    host: { data: null, labels: null },
    view: {
      shown: { model: "", map: "", method: "linear", frames: 10, compare: false, backdrop: false },
      ends: { a: null, b: null },
      drawn: null,
      path: null,
      scrub: null,
      scrubSource: null,
      playStep: 0,
      notice: null,
    },
    gesture: { pointer: null, down: null, grab: null, finger: false },
    dom,
    cache: {
      hitGrid: null,
      overlayPoints: null,
      pathPixels: [],
      ringPixels: [],
      stripRings: [],
      holeCells: 0,
      markerPixels: {},
      priorAngles: {},
      stripBoxes: null,
      firstPaint: { shown: false, key: "", canvas: null },
      sprite: null,
      baseVersion: "",
      loading: null,
      preloaded: null,
      scratch: new Float64Array(SIDE * SIDE),
    },
    timers: { player: 0, waiting: 0, waitStarted: 0, noted: false, frame: 0, work: null, baseFrame: 0, baseTimer: 0 },
    stage: {
      painted: false,
      plotted: false,
      gone: false,
      stripDraws: 0,
      mapDraws: 0,
      hoverUpdates: 0,
      mrDraws: 0,
      pathDecodes: 0,
      resizes: 0,
    },
    cleanups: [],
  };
}

/**
 * The host's data, which every part of the widget reads once it has arrived.
 * @param {ExploreState} state
 * @returns {ExplorerData}
 */
export function hostData(state) {
  if (!state.host.data) throw new Error("the explorer has no data yet");
  return state.host.data;
}

/** The channel its events go through, made with the first data (the data names the widget). */
export function channelFor(/** @type {ExploreState} */ state, /** @type {string} */ name) {
  if (!state.channel || state.channel.name !== name) state.channel = new Channel(name, MAX_PENDING);
  return state.channel;
}

/**
 * Marks the time something was drawn, and just after the next frame was on the screen (a timeout queued from
 * that frame's animation callback runs once it is painted): `le:<what>` and `le:shown:<what>`. Tests and
 * benchmarks read these marks (performance.getEntriesByType("mark")); docs/map.md lists them.
 * @param {string} what
 */
export function noteDrawn(what) {
  performance.mark(`le:${what}`);
  requestAnimationFrame(() => setTimeout(() => performance.mark(`le:shown:${what}`), 0));
}
