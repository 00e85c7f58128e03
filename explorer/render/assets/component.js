/* Streamlit components v2 entry. Streamlit calls it again on every rerun whose data changed: the graph built on
   the first call stays (same vis-network, same zoom) and takes the new data in place. The cleanup runs only
   when the element leaves the page. Selections and play stay in the browser; Python hears of them through
   state values (a rerun of the graph's fragment only), and of "focus", "add" and "pause" through triggers. */
export default function (component) {
  const { parentElement, setStateValue, setTriggerValue } = component;
  /* the event graph's data comes as JSON bytes, serialised once per drawing on the server (graph_component.py) */
  const data = component.data instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(component.data))
    : component.data;
  explorerTableKeys(document);
  let root = parentElement.querySelector(".explorer-root");
  let graph = root && root.explorerGraph;
  if (!graph) {
    root = document.createElement("div");
    parentElement.appendChild(root);
    const url = (changes) => {
      const params = new URLSearchParams(window.location.search);
      Object.entries(changes).forEach(([key, value]) => (value ? params.set(key, value) : params.delete(key)));
      const query = [...params.entries()].map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
      window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
    };
    const state = { selection: (data && data.selected) || "", lines: (data && data.lines) || "ties" };
    graph = new ExplorerGraph(root, {
      chrome: true,
      lines: state.lines,
      onSelect: (selection) => {
        const parsed = selection ? graph.parseSelection(selection) : { kind: "", id: "" };
        url({ relation: parsed.kind === "relation" ? parsed.id : "", tie: parsed.kind === "tie" ? parsed.id : "",
          selected_actor: parsed.kind === "actor" ? parsed.id : "" });
        state.selection = selection;
        setStateValue("view", Object.assign({}, state));
      },
      onLines: (mode) => {
        url({ lines: mode === "ties" ? "" : mode });
        state.lines = mode;
        setStateValue("view", Object.assign({}, state));
      },
      onFocus: (actor) => setTriggerValue("focus", actor),
      onAddActor: (actor) => setTriggerValue("add_actor", actor),
      onPause: (month) => {
        url({ as_of: month });
        setTriggerValue("pause", month);
      },
    });
    root.explorerGraph = graph;
    graph.setLines(state.lines, false);
  }
  graph.setData(data || { nodes: [], edges: [] });
  const handle = (data && data.handle) || "explorer";  /* window.explorerNetwork is the curated graph's */
  const time = globalThis.explorerTimes && globalThis.explorerTimes.get(handle);  /* time.js: a date sent apart */
  if (time && !(data && "asOf" in data)) { graph.setTime(time.asOf, time.label, true); }
  root.setAttribute("data-handle", handle);
  explorerExpose(graph, handle);
  /* Streamlit also calls the cleanup of a call that a newer one overtook (the entry file loads asynchronously, so
     two quick reruns can overlap): the element is still on the page then, and its graph must live on. */
  return () => setTimeout(() => {
    if (root.isConnected) { return; }
    explorerUnexpose(graph, handle);
    graph.destroy();
    root.explorerGraph = null;
    root.remove();
  }, 0);
}
