// The latent map: one Plotly graph that stays mounted across reruns.
// st.plotly_chart remounts its graph (a new WebGL context, a full redraw of
// 10,000 markers) whenever the figure changes; here the 10,000-point base is
// drawn once per (model, map) and each click only swaps the small overlay
// (path, endpoints, star) with Plotly.react.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let graph = parentElement.querySelector(".le-map");
  if (!graph) {
    graph = document.createElement("div");
    graph.className = "le-map";
    graph.style.width = "100%";
    parentElement.appendChild(graph);
  }
  graph.leSend = setTriggerValue; // the latest sender; the click handler below is bound once

  const draw = () => {
    const Plotly = window.Plotly; // loaded by Streamlit's own Plotly chunk (see latent_map.py)
    if (!Plotly) {
      setTimeout(draw, 25);
      return;
    }
    if (graph.leVersion !== data.version) {
      graph.leBase = JSON.parse(data.base);
    }
    const overlay = JSON.parse(data.overlay).data || [];
    const traces = graph.leBase.data.concat(overlay);
    const layout = graph.leBase.layout;
    graph.style.height = `${layout.height}px`; // reserve the space, so the page flows below the map
    if (graph.leVersion === data.version) {
      Plotly.react(graph, traces, layout, data.config);
    } else {
      graph.leVersion = data.version;
      Plotly.newPlot(graph, traces, layout, data.config); // purges the old graph and its listeners
      graph.on("plotly_click", (event) => {
        const point = event.points && event.points[0];
        if (!point || point.customdata === undefined) return; // overlay traces carry no customdata
        const index = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
        graph.leClicks = (graph.leClicks || 0) + 1;
        graph.leSend("click", { index: index, x: point.x, y: point.y, serial: graph.leClicks });
      });
    }
  };
  draw();
}
