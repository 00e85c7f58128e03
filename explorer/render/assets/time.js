/* A graph's "as of" sent apart from its drawing: app/graph_component.py EVENT_TIME_KEY says why. */
export default function (component) {
  const data = component.data || {};
  const times = globalThis.explorerTimes || (globalThis.explorerTimes = new Map());
  const time = { asOf: data.asOf || null, label: data.asOfLabel || "" };
  times.set(data.timeOf, time);
  const graph = globalThis[data.timeOf + "Graph"];
  if (graph && graph.loaded) { graph.setTime(time.asOf, time.label, true); }
}
