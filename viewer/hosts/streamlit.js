// The viewer's Streamlit host: the module every components-v2 element of the page imports
// (widgets/component.py's loader). The element's data says which widget it is (`role`); the host keeps one
// widget per parent element, hands it each new data, and reports its events as the component's trigger.

import { drawChart } from "../core/chart.js";

/** @typedef {{parentElement: HTMLElement, data: any, setTriggerValue: (name: string, value: unknown) => void}} Component */

/** Each widget's code, fetched when a page first shows it (the lesson's code never loads on the map's view). */
const WIDGETS = {
  explorer: () => import("../explore/index.js").then((module) => module.mountExplorer),
  lesson: () => import("../lesson/index.js").then((module) => module.mountLesson),
};
const IDLE_WAIT_MS = 3000; // the longest a prefetch waits for the page to be idle

/**
 * parent element -> what is mounted there: Streamlit reuses the element across reruns, so the widget stays.
 * @type {WeakMap<HTMLElement, {widget: any, send: Component["setTriggerValue"], data: any, gone: boolean}>}
 */
const mounted = new WeakMap();
/** Who asks (the page's scroll element, a widget's name) -> the last scroll token acted on: each counts its own. */
const scrolledFor = new Map();

/** @param {Component} component */
function mountWidget(component) {
  const { parentElement, data } = component;
  let held = mounted.get(parentElement);
  if (!held) {
    const made = { widget: /** @type {any} */ (null), send: component.setTriggerValue, data, gone: false };
    const host = { report: (/** @type {unknown} */ message) => made.send("event", message) };
    mounted.set(parentElement, made);
    WIDGETS[data.role === "lesson" ? "lesson" : "explorer"]().then(
      (mount) => {
        if (made.gone) return;
        made.widget = mount(parentElement, host);
        made.widget.update(made.data);
      },
      (error) => {
        parentElement.textContent = `This part of the page did not load (${error.message}): reload the page.`;
      },
    );
    held = made;
  }
  const current = held;
  current.send = component.setTriggerValue;
  current.data = data;
  // A switch of view, or a preset that opens another part of the page.
  if (data.scroll) scrollToTop(data.scroll, data.name || data.role);
  current.widget?.update(data);
  // Streamlit runs the cleanup on unmount and also for a call superseded before it finished: tear the widget
  // down only once it has really left the page.
  return () =>
    setTimeout(() => {
      const widget = current.widget;
      if (mounted.get(parentElement) !== current) return;
      if (widget ? widget.root.isConnected : parentElement.isConnected) return;
      mounted.delete(parentElement);
      current.gone = true;
      widget?.destroy();
    }, 0);
}

/**
 * Scrolls Streamlit's main column (the page scrolls inside it) to the top, once per token of each asker.
 * @param {number} token @param {string} asker
 */
export function scrollToTop(token, asker) {
  if (!token || scrolledFor.get(asker) === token) return;
  scrolledFor.set(asker, token);
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) main.scrollTo({ top: 0 });
  window.scrollTo({ top: 0 });
}

/**
 * From the map's view, once the page is idle: the lesson's code, and the arrays its first drawing needs, so
 * a first visit to the lesson finds them in the browser's caches.
 * @param {unknown} urls
 */
function prefetchWhenIdle(urls) {
  const start = () =>
    import("../lesson/index.js").then(
      (module) => module.prefetchLesson(urls),
      () => {},
    );
  if ("requestIdleCallback" in window) requestIdleCallback(start, { timeout: IDLE_WAIT_MS });
  else setTimeout(start, IDLE_WAIT_MS);
}

/** @param {Component} component */
export default function (component) {
  const role = component.data?.role;
  if (role === "chart") return drawChart(component.parentElement, component.data);
  if (role === "scroll") {
    scrollToTop(component.data.token, "scroll");
    return undefined;
  }
  if (role === "prefetch") {
    prefetchWhenIdle(component.data.urls);
    return undefined;
  }
  return mountWidget(component);
}
