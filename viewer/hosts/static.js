// The viewer's static host: a plain HTML page (index.html, written by export.py) with no server behind it.
// It reads site.json, the link's view (core/share.js: the same rules and format as the Streamlit page), and
// plays the server's part for the explorer in the browser (static-session.js). Plotly loads after the map's
// first paint, so the codes are on the screen before the library is even evaluated.

import { PRESET_FIGURES, PRESET_ROWS, PRESET_ROWS_ID, PRIOR_WORDS } from "../core/constants.js";
import { blob } from "../core/fetch.js";
import { cut, drawingFromText, parseQuery, toQuery } from "../core/share.js";
import { mountExplorer } from "../explore/index.js";
import { geodesicFor, pointCodes, readingFor } from "./static-compute.js";
import { buildFind } from "./static-find.js";
import { LessonSession } from "./static-lesson.js";
import { ExploreSession } from "./static-session.js";
import { buildTools, drawnEnd } from "./static-tools.js";

const PLOTLY = "plotly.min.js"; // beside index.html
const SETTLE_MS = 150; // what the server would compute waits this long after the visitor's last event
const PRESET_LINE = "le:preset-line"; // sessionStorage: a preset's words (JSON), shown on the map it opened

/**
 * The view shown ("explore" or "lesson") and what writes the link: the explorer's view, with the lesson's
 * fields (seeds, probe) when the lesson is shown, in the Streamlit page's format (core/share.js toQuery).
 * @type {{page: string, explorer: ExploreSession | null, lesson: LessonSession | null}}
 */
const shown = { page: "explore", explorer: null, lesson: null };

function writeLink() {
  if (!shown.explorer) return;
  const view = shown.explorer.urlView();
  const lesson = shown.page === "lesson" && shown.lesson ? { page: "lesson", ...shown.lesson.urlFields() } : {};
  history.replaceState(null, "", `?${new URLSearchParams(toQuery({ ...view, ...lesson }))}`);
}

/** @param {string} selector */
function find(selector) {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`index.html has no ${selector}`);
  return /** @type {HTMLElement} */ (found);
}

/** Says something to the visitor above the view (text only: nothing a link holds is read as markup). */
function note(/** @type {string} */ text) {
  const line = document.createElement("p");
  line.textContent = text;
  find(".sh-notes").appendChild(line);
}

/**
 * The banner of the preset that opened the map, above it: "title: line" as visible text, the caption (its
 * figures) behind a closed disclosure. Text only, from sessionStorage's JSON; anything else there is ignored.
 * @param {string} stored
 */
/**
 * A preset's line as nodes, its "rows under the morph" a link to the rows' box (on a phone they lie below the first
 * screen; a reader could not find them). Text stays text: the line comes from sessionStorage.
 * @param {string} line @returns {(string | HTMLAnchorElement)[]}
 */
function linkedRows(line) {
  const at = line.indexOf(PRESET_ROWS);
  if (at < 0) return [line];
  const link = document.createElement("a");
  link.href = `#${PRESET_ROWS_ID}`;
  link.textContent = PRESET_ROWS;
  return [line.slice(0, at), link, line.slice(at + PRESET_ROWS.length)];
}

function presetNote(stored) {
  /** @type {unknown} */
  let words = null;
  try {
    words = JSON.parse(stored);
  } catch {
    return;
  }
  const { title, line, caption } = /** @type {Record<string, unknown>} */ (
    words && typeof words === "object" ? words : {}
  );
  if (typeof title !== "string" || typeof line !== "string" || typeof caption !== "string") return;
  const box = document.createElement("div");
  box.className = "sh-preset";
  box.setAttribute("role", "note");
  const said = document.createElement("p");
  const bold = document.createElement("b");
  bold.textContent = `${title}: `;
  said.append(bold, ...linkedRows(line));
  const figures = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = PRESET_FIGURES;
  const figuresText = document.createElement("p");
  figuresText.textContent = caption;
  figures.append(summary, figuresText);
  box.append(said, figures);
  find(".sh-notes").appendChild(box);
}

/** Resolves once the map's codes are on the screen (the viewer's first paint, or Plotly's graph), or after
 * 3 s at the latest: what is not needed for that waits, so it never competes with it. */
const painted = new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    if (list.getEntries().some((entry) => entry.name === "le:shown:firstpaint" || entry.name === "le:shown:map")) {
      observer.disconnect();
      resolve(undefined);
    }
  }).observe({ type: "mark", buffered: true });
  setTimeout(resolve, 3000);
});

/** Plotly, once the map's codes are painted. */
function loadPlotlyAfterFirstPaint() {
  painted.then(() => {
    const script = document.createElement("script");
    script.src = PLOTLY;
    document.head.appendChild(script);
  });
}

/**
 * What the server would compute for the shown view (a point's codes under the other models, the geodesic, the
 * strip's reading), each handed to the widget as it arrives; `current()` is false once a newer view superseded it.
 * @param {any} site @param {ExploreSession} session @param {{update: (data: any) => void}} widget
 * @param {() => boolean} current @param {AbortSignal} signal
 */
async function computeFor(site, session, widget, current, signal) {
  const { ends, view } = session;
  for (const end of [ends.a, ends.b]) {
    if (end && end.kind === "point" && !end.codes) {
      const codes = await pointCodes(site, end);
      if (!current()) return;
      end.codes = codes;
    }
  }
  if (view.method === "geodesic") {
    // The shown model's first, then (comparing) the other β of its latent size, each drawn as it arrives.
    const models = site.explorer.models;
    const latent = models[view.model].latent;
    const others = view.compare
      ? Object.keys(models).filter((n) => n !== view.model && models[n].latent === latent)
      : [];
    for (const name of [view.model, ...others]) {
      const found = await geodesicFor(site, view, ends, name, signal);
      if (!current() || !found) return;
      session.paths[name] = found;
      widget.update(session.data());
    }
  }
  const reading = await readingFor(site, view, ends, session.paths[view.model]?.codes);
  if (!current()) return;
  session.reading = reading;
  widget.update(session.data());
  if (!view.compare || !reading) return;
  // Comparing β: every model's reading of the path under it, for the analytics' per-β chart.
  const models = site.explorer.models;
  const latent = models[view.model].latent;
  for (const name of Object.keys(models).filter((n) => models[n].latent === latent)) {
    const found =
      name === view.model
        ? reading
        : await readingFor(site, { ...view, model: name }, ends, session.paths[name]?.codes);
    if (!current()) return;
    if (found) session.readings[name] = found;
  }
  widget.update(session.data());
}

/** The explorer on this page: the session plays the server, the URL follows the view. Returns `use`, which
 * makes a drawing an endpoint. */
function startExplorer(/** @type {any} */ site, /** @type {Uint8Array} */ labels, /** @type {any} */ view) {
  const session = new ExploreSession(site, labels, view);
  shown.explorer = session;
  // A link with no usable endpoint opens on the showcase pair, as the Streamlit page does.
  if (view.a === null && view.b === null && view.page === "explore") session.openOnShowcase();
  const widget = mountExplorer(find(".sh-explore"), {
    report(message) {
      session.take(/** @type {any} */ (message));
      for (const problem of session.problems.splice(0)) note(problem);
      // A change of the controls (a button, a released slider) is one event: nothing to wait for.
      publish(/** @type {any} */ (message).type === "view" ? 0 : SETTLE_MS);
    },
  });
  // What the server would compute follows once the visitor's events settle, so a drag never waits for it.
  let timer = 0;
  let run = 0;
  let stop = new AbortController();
  const publish = (settle = SETTLE_MS) => {
    widget.update(session.data());
    writeLink();
    clearTimeout(timer);
    const mine = ++run;
    stop.abort();
    stop = new AbortController();
    const signal = stop.signal;
    timer = window.setTimeout(
      () => painted.then(() => computeFor(site, session, widget, () => mine === run, signal)).catch(() => {}),
      settle,
    );
  };
  publish();
  const changed = (/** @type {() => void} */ change) => {
    change();
    publish();
    finder.refresh();
  };
  const finder = buildFind(
    find(".sh-explore"),
    site,
    session,
    (index, which) => changed(() => session.useTest(index, which)),
    (a, b) => changed(() => session.usePair(a, b)),
  );
  const use = (/** @type {{end: any, link: string}} */ drawn, /** @type {"a" | "b"} */ which) =>
    changed(() => session.useDrawing(drawn, which));
  buildTools(find(".sh-explore"), site, session, use, note);
  return use;
}

/**
 * The lesson, mounted the first time it is shown (its code is fetched then); events go to its session, and
 * every change reaches the lesson and the link.
 * @param {any} site @param {any} view the link's
 */
function startLesson(site, view) {
  const box = find(".sh-lesson");
  if (!site.lesson) {
    box.textContent = "This site was exported without the lesson's two z = 2 models.";
    return;
  }
  const session = new LessonSession(site.lesson, view, site.catalog);
  shown.lesson = session;
  // The lesson's first sentence, as the Streamlit page writes it above the viewer (lesson_assets.py lede).
  const lede = document.createElement("p");
  lede.className = "sh-lede";
  lede.textContent = `${site.lesson.lede || ""} `;
  // Its "?", as Streamlit's help beside the same sentence: the recipe, and N(0, I) in plain words; a hover shows
  // it as a tooltip, a press (a finger too) as a line under the sentence.
  const words = [site.lesson.recipe, PRIOR_WORDS].filter(Boolean).join(" ");
  const help = document.createElement("button");
  Object.assign(help, { type: "button", className: "sh-help", textContent: "?", title: words });
  help.setAttribute("aria-label", "What N(0, I) means, and how both models were trained");
  help.setAttribute("aria-expanded", "false");
  const helpText = document.createElement("span");
  Object.assign(helpText, { className: "sh-help-text", textContent: words, hidden: true });
  help.addEventListener("click", () => {
    helpText.hidden = !helpText.hidden;
    help.setAttribute("aria-expanded", String(!helpText.hidden));
  });
  lede.append(help, helpText);
  const mount = document.createElement("div");
  box.replaceChildren(lede, mount);
  import("../lesson/index.js").then(
    ({ mountLesson }) => {
      const widget = mountLesson(mount, {
        report(message) {
          session.take(/** @type {any} */ (message));
          if (session.leave) {
            // A preset that opens the map: its link, opened here, its line shown above the map it lands on.
            sessionStorage.setItem(PRESET_LINE, JSON.stringify(session.leave.shown));
            window.location.search = `?${new URLSearchParams(session.leave.query)}`;
            return;
          }
          widget.update(/** @type {any} */ (session.data()));
          writeLink();
        },
      });
      widget.update(/** @type {any} */ (session.data()));
    },
    (error) => {
      box.textContent = `The lesson did not load (${error.message}): reload the page.`;
    },
  );
}

/** The two views: the link's `page` picks one, the buttons switch. @param {any} site @param {any} link */
function views(site, link) {
  const show = (/** @type {string} */ page) => {
    shown.page = page;
    find(".sh-explore").hidden = page !== "explore";
    find(".sh-lesson").hidden = page !== "lesson";
    for (const button of document.querySelectorAll(".sh-views button")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.page === page));
    }
    if (page === "lesson" && !shown.lesson) startLesson(site, link);
    writeLink();
  };
  for (const button of document.querySelectorAll(".sh-views button")) {
    button.addEventListener("click", () => show(/** @type {HTMLElement} */ (button).dataset.page || "explore"));
  }
  show(link.page);
}

async function start() {
  const response = await fetch("site.json");
  if (!response.ok) throw new Error(`site.json: HTTP ${response.status}`);
  const site = await response.json();
  find(".sh-tagline").textContent = site.tagline;
  const { view, warnings } = parseQuery(new URLSearchParams(window.location.search), site.catalog);
  const presetLine = sessionStorage.getItem(PRESET_LINE);
  if (presetLine) {
    sessionStorage.removeItem(PRESET_LINE);
    presetNote(presetLine);
  }
  if (warnings.length) {
    const listed = warnings.map((w) => `${w.key} = “${cut(w.value)}” ${w.why}`).join("; ");
    note(`Some of this link's settings could not be used and were left at their defaults: ${listed}.`);
  }
  const labels = new Uint8Array(await blob(site.explorer.digits.labels).promise);
  const use = startExplorer(site, labels, view);
  views(site, view);
  loadPlotlyAfterFirstPaint();
  for (const end of /** @type {const} */ (["a", "b"])) {
    const ref = view[end];
    if (!Array.isArray(ref) || ref[0] !== "drawn") continue; // a drawing in the link: its picture, encoded here
    const picture = await drawingFromText(ref[1]);
    if (picture) use(await drawnEnd(site, picture, "your drawing"), end);
    else note(`${end.toUpperCase()} in this link is not a drawing this page wrote: it was left empty.`);
  }
}

start().catch((error) => {
  note(`The page could not start (${error.message}). Check the connection, then reload.`);
});
