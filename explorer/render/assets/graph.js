/* Draws an Axis Explorer view with vis-network. Shared by the Streamlit component and the standalone export.
   Every text from data is set with textContent: vis-network never receives an HTML string. */
function explorerTooltip(text) {
  const element = document.createElement("div");
  element.className = "explorer-tip";
  element.textContent = String(text);
  return element;
}

function explorerDraw(container, data, onClick) {
  const vis = globalThis.vis;
  const nodes = new vis.DataSet(data.nodes.map((n) => Object.assign({}, n, { title: explorerTooltip(n.title || "") })));
  const edges = new vis.DataSet(data.edges.map((e) => Object.assign({}, e, { title: explorerTooltip(e.title || "") })));
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  /* Positions come precomputed and physics is off: the drawing is final once the first frame is drawn. */
  network.once("afterDrawing", () => container.setAttribute("data-stable", "1"));
  network.on("click", (params) => {
    if (params.nodes && params.nodes.length) {
      onClick({ kind: "actor", id: String(params.nodes[0]) });
    } else if (params.edges && params.edges.length) {
      onClick({ kind: "relation", id: String(params.edges[0]) });
    }
  });
  if (data.selected && edges.get(data.selected)) {
    network.selectEdges([data.selected]);
  }
  globalThis.explorerNetwork = network;
  /* A point on an edge's drawn curve, in page coordinates: for tests and power users. */
  globalThis.explorerEdgePoint = (id) => {
    const edge = network.body.edges[id];
    if (!edge) { return null; }
    const point = edge.edgeType.getPoint(0.5);
    const dom = network.canvasToDOM(point);
    const box = container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  };
  globalThis.explorerNodePoint = (id) => {
    const positions = network.getPositions([id]);
    if (!positions[id]) { return null; }
    const dom = network.canvasToDOM(positions[id]);
    const box = container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  };
  return network;
}
