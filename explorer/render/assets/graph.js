/* Draws an Axis Explorer view with vis-network and keeps it alive: the Streamlit component and the standalone
   export share this file. Every text from data is set with textContent: vis-network never receives an HTML
   string, and panels are built node by node. The browser keeps what the user builds (zoom, selection, the
   play head); new data from Python is applied to the same DataSets (add/update/remove), never by a rebuild. */

const EXPLORER_FADED_NODE = 0.18;
const EXPLORER_FADED_EDGE = 0.1;
const EXPLORER_MIN_LABEL_PX = 11;
const EXPLORER_LABEL_CHARS = 30;  /* longer names are cut on the canvas; tooltip and panel give them whole */
const EXPLORER_SPEEDS = { "slow": 3, "normal": 6, "fast": 12 };  /* frames (months or years) per second */
const EXPLORER_FIT_MARGIN = 0.96;  /* the fitted picture fills this share of the canvas in its tighter dimension */
const EXPLORER_MAX_STRETCH = 1.8;  /* the layout may stretch this much along one axis to take the canvas's shape */
const EXPLORER_UNCROWD_LIMIT = 150;  /* actors: beyond this many no label is pushed clear of the others */
const EXPLORER_BOX_GAP = 3;  /* pixels kept between labels, and between a label and another actor's shape */

function explorerTooltip(text) {
  const element = document.createElement("div");
  element.className = "explorer-tip";
  element.textContent = String(text);
  return element;
}

function explorerElement(parent, tag, text, className) {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) { element.textContent = String(text); }
  if (className) { element.className = className; }
  if (parent) { parent.appendChild(element); }
  return element;
}

const EXPLORER_HANDLE_PX = 8;  /* click handles (line midpoints) stay this far apart at the fitted zoom */
const EXPLORER_BENDS = [];  /* the bends network.BENDS offers: roundness 0.1 … 1.0, clockwise or not */
for (let k = 0; k < 19; k += 1) {
  [true, false].forEach((clockwise) => EXPLORER_BENDS.push({ roundness: Math.round((0.1 + 0.05 * k) * 100) / 100,
    clockwise: clockwise }));
}

/* The drawn midpoint of a curvedCW/curvedCCW edge, as vis-network 9.1.2 computes its control point
   (`_getViaCoordinates`) and as network.curve_midpoint does in Python. */
function explorerCurveMidpoint(start, end, bend) {
  const share = 0.5 * bend.roundness + 0.5;
  const turn = bend.clockwise ? share : 0.5 - 0.5 * bend.roundness;
  const angle = ((Math.atan2(start.y - end.y, end.x - start.x) + turn * Math.PI) % (2 * Math.PI) + 2 * Math.PI)
    % (2 * Math.PI);
  const length = Math.hypot(end.x - start.x, end.y - start.y);
  const via = { x: start.x + share * length * Math.sin(angle), y: start.y + share * length * Math.cos(angle) };
  return { x: (start.x + end.x) / 4 + via.x / 2, y: (start.y + end.y) / 4 + via.y / 2 };
}

function explorerTieId(a, b) {
  return a < b ? a + "~" + b : b + "~" + a;
}

class ExplorerGraph {
  /* options: chrome (toolbar, panel, play), onSelect(selection), onFocus(actor), onAddActor(actor),
     onPause(month), onLines(mode), onClick(clicked) for the standalone page. */
  constructor(root, options) {
    this.options = options || {};
    this.root = root;
    this.relations = new Map();
    this.nodeInfo = new Map();
    this.ties = new Map();
    this.panels = {};
    this.placed = new Map();  /* actor id -> position on the canvas: Python's layout fitted to this canvas */
    this.bends = new Map();  /* relation id -> `smooth` where moved actors brought its click handle near another */
    this.bendsFor = null;  /* the layout (relations, scale, positions) this.bends were found for */
    this.presents = 0;  /* counts the data changes waiting for their frame: presentedAt marks the latest */
    this.lines = this.options.lines || "relations";
    this.time = null;
    this.selection = null;
    this.serverSelection = undefined;
    this.shown = { nodes: new Map(), edges: new Map() };
    this.flash = new Set();
    this.steps = [];  /* play's frames, from Python (timeline.play_steps): {as_of, lo, hi, shown} */
    this.blocSlots = null;  /* actor id -> its bloc slot at each step (-1: none), when colour means bloc */
    this.blocStep = null;  /* the step whose bloc colours are drawn; null: the view's own colours */
    this.playing = null;
    this.speed = "normal";
    this.frames = 0;
    this.build();
  }

  build() {
    const vis = globalThis.vis;
    if (this.options.chrome) {
      this.root.classList.add("explorer-root");
      this.toolbar = explorerElement(this.root, "div", null, "explorer-toolbar");
      this.toolbar.setAttribute("role", "toolbar");
      this.toolbar.setAttribute("aria-label", "Graph tools");
      this.buildToolbar();
      this.body = explorerElement(this.root, "div", null, "explorer-body");
      this.stage = explorerElement(this.body, "div", null, "explorer-stage");
      this.container = explorerElement(this.stage, "div", null, "explorer-graph");
      this.dateLabel = explorerElement(this.stage, "div", null, "explorer-date");
      this.dateLabel.setAttribute("aria-live", "off");
      this.blocLabel = explorerElement(this.stage, "div", null, "explorer-bloc-date");
      this.panel = explorerElement(this.body, "aside", null, "explorer-panel");
      this.panel.setAttribute("aria-live", "polite");
      this.panel.setAttribute("aria-label", "Selection");
    } else {
      this.container = this.root;
    }
    this.container.setAttribute("role", "img");
    this.container.setAttribute("aria-label", "Relation graph; the list beside it and the table below give the same relations");
    this.nodes = new vis.DataSet([]);
    this.edges = new vis.DataSet([]);
    this.network = new vis.Network(this.container, { nodes: this.nodes, edges: this.edges }, {});
    this.network.explorerId = "network-" + Date.now() + "-" + Math.random().toString(36).slice(2);
    this.network.on("click", (params) => this.onCanvasClick(params));
    if (this.options.chrome) { this.buildKeyboard(); }
    this.network.on("zoom", () => { this.userMoved = true; });
    this.network.on("dragEnd", (params) => { if (!params.nodes || !params.nodes.length) { this.userMoved = true; } });
    if (globalThis.ResizeObserver) {
      /* Streamlit lays the page out after the first draw: follow the container, refit until the user moves. */
      this.resizer = new ResizeObserver(() => {
        this.network.setSize("100%", "100%");
        if (this.userMoved) { this.network.redraw(); } else { this.fit(); }
      });
      this.resizer.observe(this.container);
    }
    this.network.on("afterDrawing", () => {
      this.frames += 1;
      if (this.undrawn) {  /* the first frame that shows new data: the benchmark reads it */
        this.drawnAt = performance.now();
        this.drawnStructure = this.structure;
        this.undrawn = false;
      }
      this.container.setAttribute("data-stable", "1");
    });
  }

  buildToolbar() {
    const bar = this.toolbar;
    const group = explorerElement(bar, "span", null, "explorer-group");
    this.linesButtons = {};
    [["ties", "Ties"], ["relations", "Relations"]].forEach(([mode, label]) => {
      const button = explorerElement(group, "button", label, "explorer-lines");
      button.type = "button";
      button.title = mode === "ties" ? "One line per pair of actors" : "One line per relation";
      button.addEventListener("click", () => this.setLines(mode, true));
      this.linesButtons[mode] = button;
    });
    const search = explorerElement(bar, "input", null, "explorer-search");
    search.type = "search";
    search.placeholder = "Find an actor";
    search.setAttribute("aria-label", "Find an actor drawn in the graph (name or alias)");
    this.datalist = explorerElement(bar, "datalist");
    this.datalist.id = "explorer-actors-" + Math.random().toString(36).slice(2);
    search.setAttribute("list", this.datalist.id);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); this.find(search.value); }
    });
    search.addEventListener("change", () => this.find(search.value));
    this.search = search;
    const zoom = explorerElement(bar, "span", null, "explorer-group");
    [["−", "Zoom out", () => this.zoom(1 / 1.3)], ["+", "Zoom in", () => this.zoom(1.3)],
      ["Fit", "Show the whole graph", () => this.fit()]].forEach(([label, title, action]) => {
      const button = explorerElement(zoom, "button", label, "explorer-zoom");
      button.type = "button";
      button.title = title;
      button.setAttribute("aria-label", title);
      button.addEventListener("click", action);
    });
    const play = explorerElement(bar, "span", null, "explorer-group");
    this.playButton = explorerElement(play, "button", "▶ Play", "explorer-play");
    this.playButton.type = "button";
    this.playButton.title = "Step through the window month by month";
    this.playButton.addEventListener("click", () => (this.playing ? this.pause(true) : this.play()));
    const speed = explorerElement(play, "select", null, "explorer-speed");
    speed.setAttribute("aria-label", "Play speed");
    Object.keys(EXPLORER_SPEEDS).forEach((name) => {
      const option = explorerElement(speed, "option", name + " (" + EXPLORER_SPEEDS[name] + "/s)");
      option.value = name;
    });
    speed.value = this.speed;
    speed.addEventListener("change", () => {
      this.speed = speed.value;
      if (this.playing) { this.pause(false); this.play(); }
    });
  }

  /* ---- data ------------------------------------------------------------------------------------------ */

  setData(data) {
    const first = !this.loaded;
    this.loaded = true;
    let shown = false;  /* new data or a new date: its frame gets a presentedAt */
    /* the first lines mode before the first fit: the bends of the relations view are only found when drawn */
    if (first && (data.lines === "ties" || data.lines === "relations")) { this.lines = data.lines; }
    this.polarities = data.polarities || {};
    if (data.height) { this.container.style.height = data.height; }
    const structure = data.structure || JSON.stringify([data.nodes.length, data.edges.length, data.window]);
    const theme = getComputedStyle(this.root).getPropertyValue("--st-text-color");
    if (data.options && (structure !== this.structure || theme !== this.theme)) {
      this.theme = theme;
      this.visOptions = this.themed(data.options);
      this.network.setOptions(this.visOptions);
      if (this.labelSize) { this.network.setOptions({ nodes: { font: { size: this.labelSize } } }); }
    }
    if (structure !== this.structure) {
      this.structure = structure;
      this.undrawn = true;
      shown = true;
      const before = new Set(this.nodeInfo.keys());
      this.nodeInfo = new Map(data.nodes.map((node) => [String(node.id), node]));
      this.relations = new Map(data.edges.map((edge) => [String(edge.id), edge]));
      this.ties = new Map();
      data.edges.forEach((edge) => {
        const id = explorerTieId(String(edge.from), String(edge.to));
        if (!this.ties.has(id)) {
          const ends = [String(edge.from), String(edge.to)].sort();
          this.ties.set(id, { id: id, a: ends[0], b: ends[1], relations: [] });
        }
        this.ties.get(id).relations.push(String(edge.id));
      });
      this.steps = data.steps || [];
      if (this.playing) { this.pause(false); }
      this.blocStep = null;
      const sameActors = before.size === this.nodeInfo.size && [...before].every((id) => this.nodeInfo.has(id));
      this.redraw();
      if (!sameActors || first) { this.fit(); } else { this.placeLayout(); }  /* new positions, same zoom */
      this.network.redraw();  /* new data always draws a frame, also when no line changed: drawnAt marks it */
      this.fillSearch();
    }
    this.setBlocSteps(data.blocSteps || null);
    Object.assign(this.panels, data.panels || {});
    if (data.lines && first) { this.setLines(data.lines, false); }
    if ("asOf" in data && this.setTime(data.asOf, data.asOfLabel, false)) { shown = true; }
    const selected = data.selected || "";
    const pending = this.pending && Date.now() - this.pending.at < 4000 ? this.pending.value : undefined;
    if (pending !== undefined && selected !== pending) {
      /* an echo of an earlier click still on its way: the browser's newer selection stands */
    } else if (selected !== this.serverSelection) {
      this.pending = null;
      this.serverSelection = selected;
      this.select(selected ? this.parseSelection(selected) : null, false);
    } else if (this.selection && this.options.chrome) {
      this.renderPanel();  /* a panel that was loading may have arrived */
    }
    if (shown) { this.markPresented(); }
  }

  /* "as of": [first day, last day] (days since 1970) fades what is not in force then; null shows the whole window.
     It comes with the data, or on its own (`explorerSetTime`) for a graph whose drawing does not change with the
     date. Returns whether the date changed (its frame then gets a presentedAt); while playing, play's date stands. */
  setTime(asOf, label, present) {
    const time = asOf ? asOf.slice(0, 2) : null;
    if (this.playing || JSON.stringify(time) === JSON.stringify(this.time)) { return false; }
    this.time = time;
    this.blocStep = null;
    this.showBlocDate();
    this.undrawn = true;
    this.redraw();
    this.network.redraw();  /* a new date always draws a frame, also when no line changed: drawnAt marks it */
    this.showDate(label || "");
    if (present) { this.markPresented(); }
    return true;
  }

  themed(options) {
    const style = getComputedStyle(this.root);
    const text = style.getPropertyValue("--st-text-color").trim() || style.color || "#222";
    const background = style.getPropertyValue("--st-background-color").trim() || "#fff";
    const themed = JSON.parse(JSON.stringify(options));
    themed.nodes = themed.nodes || {};
    themed.nodes.font = Object.assign({}, themed.nodes.font || {},
      { color: text, strokeWidth: 4, strokeColor: background });
    return themed;
  }

  /* A relation is active when its interval meets the time shown; a line with `spans` (an event tie: one
     [first day, last day, weight] per dyad-month) when one of its spans does. */
  active(relation) {
    if (!this.time) { return true; }
    if (relation.spans) { return relation.spans.some((span) => this.meets(span)); }
    return relation.lo <= this.time[1] && relation.hi >= this.time[0];
  }

  meets(span) {
    return span[0] <= this.time[1] && span[1] >= this.time[0];
  }

  /* The weight a line carries at the time shown: its own, or for a line with spans the sum over its active spans
     (all of them when none is active, as an inactive relation keeps its weight). */
  weightOf(relation) {
    if (!relation.spans || !this.time) { return relation.w || 0; }
    const live = relation.spans.filter((span) => this.meets(span));
    return live.length ? live.reduce((sum, span) => sum + span[2], 0) : (relation.w || 0);
  }

  /* The vis items the current lines mode, time and flash call for; only changed ones reach the DataSets. */
  redraw() {
    const nodes = new Map();
    const edges = new Map();
    const activeNodes = new Set();
    this.relations.forEach((relation) => {
      if (this.active(relation)) { activeNodes.add(String(relation.from)); activeNodes.add(String(relation.to)); }
    });
    this.nodeInfo.forEach((node, id) => {
      const item = Object.assign({}, node);
      delete item.info;
      const placed = this.placed.get(id);
      if (placed) { item.x = placed.x; item.y = placed.y; }
      const label = String(node.label || "");
      item.label = label.length > EXPLORER_LABEL_CHARS ? label.slice(0, EXPLORER_LABEL_CHARS - 1).trimEnd() + "…" : label;
      item.opacity = (!this.time || activeNodes.has(id)) ? 1 : EXPLORER_FADED_NODE;
      if (this.blocStep !== null && this.blocSlots && this.blocSlots.has(id)) { item.color = this.blocColour(id, node); }
      nodes.set(id, item);
    });
    if (this.lines === "ties") {
      this.ties.forEach((tie) => {
        const members = tie.relations.map((rid) => this.relations.get(rid));
        const live = members.filter((relation) => this.active(relation));
        const counted = live.length ? live : members;
        const weight = counted.reduce((sum, relation) => sum + this.weightOf(relation), 0);
        const sign = weight > 0 ? "1" : (weight < 0 ? "-1" : "0");
        const colour = (this.polarities[sign] || {}).colour || "#888";
        const flash = this.flash.has(tie.id);
        edges.set(tie.id, {
          id: tie.id, from: tie.a, to: tie.b, arrows: "", smooth: false, dashes: false,
          color: { color: colour, highlight: colour, hover: colour, opacity: live.length ? 1 : EXPLORER_FADED_EDGE },
          width: Math.min(1.5 + 1.2 * Math.abs(weight), 12) + (flash ? 5 : 0),
          shadow: flash ? { enabled: true, color: colour, size: 14, x: 0, y: 0 } : false,
          title: this.tieTitle(tie, members, live, weight),
        });
      });
    } else {
      this.relations.forEach((relation, id) => {
        const item = Object.assign({}, relation);
        ["polarity", "w", "lo", "hi", "spans"].forEach((key) => delete item[key]);
        if (this.bends.has(id)) { item.smooth = this.bends.get(id); }
        const colour = typeof relation.color === "string" ? relation.color : "#888";
        item.color = { color: colour, highlight: colour, hover: colour,
          opacity: this.active(relation) ? 1 : EXPLORER_FADED_EDGE };
        edges.set(id, item);
      });
    }
    this.apply(this.nodes, this.shown.nodes, nodes);
    this.apply(this.edges, this.shown.edges, edges);
  }

  apply(dataset, shown, wanted) {
    const removed = [...shown.keys()].filter((id) => !wanted.has(id));
    if (removed.length) { dataset.remove(removed); removed.forEach((id) => shown.delete(id)); }
    const changed = [];
    wanted.forEach((item, id) => {
      const key = JSON.stringify(item);
      if (shown.get(id) !== key) {
        shown.set(id, key);
        changed.push(Object.assign({}, item, { title: explorerTooltip(item.title || "") }));
      }
    });
    if (changed.length) { dataset.update(changed); }
  }

  tieTitle(tie, members, live, weight) {
    const counts = { "1": 0, "0": 0, "-1": 0 };
    members.forEach((relation) => { counts[String(relation.polarity)] += 1; });
    const name = (id) => ((this.nodeInfo.get(id) || {}).label || id);
    const parts = ["1", "-1", "0"].filter((sign) => counts[sign])
      .map((sign) => counts[sign] + " " + ((this.polarities[sign] || {}).label || sign).toLowerCase());
    const lines = [name(tie.a) + " — " + name(tie.b),
      members.length + (members.length === 1 ? " relation" : " relations") + ": " + parts.join(", ") +
        (this.time ? " (" + live.length + " active)" : ""),
      "net weight " + (weight > 0 ? "+" : "") + weight.toFixed(2)];
    members.slice(0, 6).forEach((relation) => {
      lines.push(name(String(relation.from)) + " → " + name(String(relation.to)) + ": " +
        String(relation.title || "").split("\n")[1]);
    });
    if (members.length > 6) { lines.push("… and " + (members.length - 6) + " more"); }
    lines.push("Click for the evidence.");
    return lines.join("\n");
  }

  /* ---- lines mode, view, search ---------------------------------------------------------------------- */

  /* presentedAt: when the frame showing new data is on screen (the benchmark reads it). drawnAt is vis-network's
     first draw of it, which comes inside fit() before the layout is placed; the browser paints only after the
     whole task and the resize observer's refit. The second animation frame callback runs after that paint. */
  markPresented() {
    const mine = ++this.presents;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (mine === this.presents) { this.presentedAt = performance.now(); }
    }));
  }

  setLines(mode, fromUser) {
    if (mode !== "ties" && mode !== "relations") { return; }
    const changed = mode !== this.lines;
    this.lines = mode;
    if (this.linesButtons) {
      Object.entries(this.linesButtons).forEach(([name, button]) => button.setAttribute("aria-pressed", String(name === mode)));
    }
    if (changed) {
      this.findBends();
      this.redraw();
      this.highlight();
    }
    if (fromUser && changed && this.options.onLines) { this.options.onLines(mode); }
  }

  fit() {
    this.userMoved = false;
    this.placeLayout(false);
    /* Labels get at least EXPLORER_MIN_LABEL_PX on screen at the fitted zoom; a new label size is a new layout. */
    for (let pass = 0; pass < 3; pass += 1) {
      const scale = this.fittedScale();
      const size = Math.min(48, Math.max(14, Math.ceil(EXPLORER_MIN_LABEL_PX / scale)));
      if (size === this.labelSize) { break; }
      this.labelSize = size;
      this.network.setOptions({ nodes: { font: { size: size } } });
      this.placeLayout(false);
    }
    if (this.findBends()) { this.redraw(); }  /* once per fit, on the last label size's layout */
    const box = this.drawnBox();
    if (!box) { return; }
    this.network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: this.fittedScale(), animation: false });
  }

  /* Every drawn actor's boxes on the canvas as vis-network measured them at its last draw: its shape and, when
     the label sits outside the shape, its label. */
  actorBoxes() {
    this.network.redraw();
    const boxes = new Map();
    this.network.body.nodeIndices.forEach((id) => {
      const node = this.network.body.nodes[id];
      const size = 2 * (node.options.size || 10);
      const width = node.shape.width || size;
      const height = node.shape.height || size;
      const list = [{ left: node.x - width / 2, top: node.y - height / 2, right: node.x + width / 2,
        bottom: node.y + height / 2 }];
      const label = node.labelModule.size;
      if (node.labelModule.elementOptions.label && label && label.width) {
        list.push({ left: label.left, top: label.top, right: label.left + label.width, bottom: label.top + label.height });
      }
      boxes.set(id, { x: node.x, y: node.y, boxes: list });
    });
    return boxes;
  }

  drawnBox() {
    const all = [...this.actorBoxes().values()].flatMap((actor) => actor.boxes);
    if (!all.length) { return null; }
    return { left: Math.min(...all.map((b) => b.left)), top: Math.min(...all.map((b) => b.top)),
      right: Math.max(...all.map((b) => b.right)), bottom: Math.max(...all.map((b) => b.bottom)) };
  }

  fittedScale() {
    const box = this.drawnBox();
    const width = this.container.clientWidth || 600;
    const height = this.container.clientHeight || 600;
    if (!box) { return 1; }
    return EXPLORER_FIT_MARGIN * Math.min(width / Math.max(box.right - box.left, 1),
      height / Math.max(box.bottom - box.top, 1));
  }

  /* Python's layout (seeded, the same for everyone) fitted to this canvas: stretched along one axis towards the
     canvas's shape, then actors pushed apart until no label overlaps another label or another actor's shape
     (measured on vis-network's own boxes at the current label size). Stretching only lengthens distances, and the
     pushes are a few label heights at most, so lines' click handles stay apart (tools/browser_bench.py). */
  placeLayout(bends = true) {
    const ids = [...this.nodeInfo.keys()];
    if (!ids.length) { return; }
    const home = ids.map((id) => this.nodeInfo.get(id));
    const xs = home.map((node) => Number(node.x) || 0);
    const ys = home.map((node) => Number(node.y) || 0);
    const spanX = Math.max(...xs) - Math.min(...xs) || 1;
    const spanY = Math.max(...ys) - Math.min(...ys) || 1;
    const wanted = (this.container.clientWidth || 600) / (this.container.clientHeight || 600);
    const stretchX = Math.min(EXPLORER_MAX_STRETCH, Math.max(1, wanted * spanY / spanX));
    const stretchY = Math.min(EXPLORER_MAX_STRETCH, Math.max(1, spanX / (wanted * spanY)));
    const centreX = (Math.max(...xs) + Math.min(...xs)) / 2;
    const centreY = (Math.max(...ys) + Math.min(...ys)) / 2;
    const placed = new Map(ids.map((id, i) => [id, { x: centreX + (xs[i] - centreX) * stretchX,
      y: centreY + (ys[i] - centreY) * stretchY }]));
    this.movePlaced(placed);
    const scale = this.fittedScale();
    const shapes = this.actorBoxes();
    const gap = EXPLORER_BOX_GAP / scale;
    const slack = 0.5 / scale;  /* pushed half a pixel further than needed, so that float rounding settles */
    /* boxes relative to their actor's centre: they move with it */
    const relative = new Map([...shapes].map(([id, actor]) => [id, actor.boxes.map((b) => ({
      left: b.left - actor.x, top: b.top - actor.y, right: b.right - actor.x, bottom: b.bottom - actor.y }))]));
    const at = (id, box) => ({ left: placed.get(id).x + box.left, right: placed.get(id).x + box.right,
      top: placed.get(id).y + box.top, bottom: placed.get(id).y + box.bottom });
    /* pairwise: beyond EXPLORER_UNCROWD_LIMIT actors the labels are too small to read at the fitted zoom anyway */
    const order = ids.length <= EXPLORER_UNCROWD_LIMIT ? ids.filter((id) => relative.has(id)) : [];
    for (let round = 0; round < 200; round += 1) {
      let moved = false;
      for (let i = 0; i < order.length; i += 1) {
        for (let j = i + 1; j < order.length; j += 1) {
          const a = order[i];
          const b = order[j];
          for (const boxA of relative.get(a)) {
            for (const boxB of relative.get(b)) {
              const one = at(a, boxA);
              const two = at(b, boxB);
              const overX = Math.min(one.right, two.right) - Math.max(one.left, two.left) + gap;
              const overY = Math.min(one.bottom, two.bottom) - Math.max(one.top, two.top) + gap;
              if (overX <= 0 || overY <= 0) { continue; }
              const push = Math.min(overX, overY) / 2 + slack;
              const pa = placed.get(a);
              const pb = placed.get(b);
              /* the side is the actors' (not the boxes'): a label and a shape of one actor move the same way */
              if (overX < overY) {
                const sign = pa.x <= pb.x ? -1 : 1;
                pa.x += sign * push; pb.x -= sign * push;
              } else {
                const sign = pa.y <= pb.y ? -1 : 1;
                pa.y += sign * push; pb.y -= sign * push;
              }
              moved = true;
            }
          }
        }
      }
      this.uncrowdRounds = round + 1;
      if (!moved) { break; }
    }
    this.movePlaced(placed);
    this.handleScale = scale;
    if (bends) { this.findBends(); }
    this.redraw();
  }

  /* The relations view's bends for the current layout: found only when relations are drawn (ties are straight),
     and not again for the layout they were found for (a refit at the same size places the same positions).
     True when they were found anew. */
  findBends() {
    if (this.lines !== "relations" || this.handleScale === undefined) { return false; }
    const last = this.bendsFor;
    if (last && last.relations === this.relations && last.scale === this.handleScale
        && last.placed.size === this.placed.size
        && [...this.placed].every(([id, point]) => {
          const before = last.placed.get(id);
          return before && before.x === point.x && before.y === point.y;
        })) { return false; }
    this.spreadHandles(this.handleScale);
    this.bendsFor = { relations: this.relations, scale: this.handleScale,
      placed: new Map([...this.placed].map(([id, point]) => [id, { x: point.x, y: point.y }])) };
    return true;
  }

  /* Python bends relations so that no two click handles (drawn midpoints) nor a handle and an actor's centre are
     close (network.spread_bends); actors pushed clear of labels can bring two together again. A relation whose
     handle is now within EXPLORER_HANDLE_PX of one placed before it takes the nearest clear bend, clockwise first,
     with vis-network's curve geometry (explorerCurveMidpoint); the others keep Python's. */
  spreadHandles(scale) {
    const spacing = EXPLORER_HANDLE_PX / scale;
    /* the points taken so far (actors' centres, then handles) in square cells one spacing wide: a point closer
       than the spacing lies in the same cell or one of its 8 neighbours, so only those are compared */
    const cells = new Map();
    const cellOf = (value) => Math.floor(value / spacing);
    const take = (point) => {
      const key = cellOf(point.x) + "," + cellOf(point.y);
      if (!cells.has(key)) { cells.set(key, []); }
      cells.get(key).push(point);
    };
    const clear = (point) => {
      const cx = cellOf(point.x);
      const cy = cellOf(point.y);
      for (let dx = -1; dx <= 1; dx += 1) {
        for (let dy = -1; dy <= 1; dy += 1) {
          const near = cells.get((cx + dx) + "," + (cy + dy));
          if (near && !near.every((other) => Math.hypot(other.x - point.x, other.y - point.y) >= spacing)) { return false; }
        }
      }
      return true;
    };
    this.placed.forEach(take);
    const bends = new Map();
    this.relations.forEach((relation, id) => {
      const start = this.placed.get(String(relation.from));
      const end = this.placed.get(String(relation.to));
      if (!start || !end) { return; }
      const smooth = relation.smooth || { type: "curvedCW", roundness: 0.5 };
      const wanted = { clockwise: smooth.type !== "curvedCCW", roundness: Number(smooth.roundness ?? 0.5) };
      let chosen = wanted;
      if (!clear(explorerCurveMidpoint(start, end, wanted))) {
        const tried = EXPLORER_BENDS.slice().sort((a, b) => (a.clockwise === b.clockwise ? 0 : (a.clockwise ? -1 : 1))
          || Math.abs(a.roundness - wanted.roundness) - Math.abs(b.roundness - wanted.roundness));
        chosen = tried.find((bend) => clear(explorerCurveMidpoint(start, end, bend))) || wanted;
      }
      take(explorerCurveMidpoint(start, end, chosen));
      if (chosen !== wanted) {
        bends.set(id, { enabled: true, type: chosen.clockwise ? "curvedCW" : "curvedCCW", roundness: chosen.roundness });
      }
    });
    this.bends = bends;
  }

  movePlaced(placed) {
    this.placed = placed;
    const updates = [];
    placed.forEach((point, id) => {
      if (this.nodes.get(id)) { updates.push({ id: id, x: point.x, y: point.y }); }
    });
    this.nodes.update(updates);
  }

  zoom(factor) {
    this.userMoved = true;
    this.network.moveTo({ scale: this.network.getScale() * factor, animation: false });
  }

  fillSearch() {
    if (!this.datalist) { return; }
    this.datalist.replaceChildren();
    this.nodeInfo.forEach((node) => {
      const info = node.info || {};
      [info.name || node.label, ...(info.aliases || [])].forEach((label) => {
        const option = explorerElement(this.datalist, "option");
        option.value = String(label);
      });
    });
  }

  /* The drawn actor whose name or alias matches best: exact, then prefix, then substring. */
  match(text) {
    const wanted = String(text || "").trim().toLocaleLowerCase();
    if (!wanted) { return null; }
    let best = null;
    let bestRank = 9;
    this.nodeInfo.forEach((node, id) => {
      const info = node.info || {};
      [info.name || node.label, ...(info.aliases || []), id].forEach((label, position) => {
        const name = String(label).toLocaleLowerCase();
        const rank = name === wanted ? 0 : (name.startsWith(wanted) ? 2 : (name.includes(wanted) ? 4 : 9));
        const ranked = rank + (position === 0 ? 0 : 1) * (rank === 0 ? 0 : 1);
        if (ranked < bestRank) { bestRank = ranked; best = id; }
      });
    });
    return best;
  }

  find(text) {
    const id = this.match(text);
    if (!id) { return; }
    this.select({ kind: "actor", id: id }, true);
    this.network.focus(id, { scale: Math.max(this.network.getScale(), 1), animation: false });
  }

  /* ---- selection and panels -------------------------------------------------------------------------- */

  parseSelection(text) {
    const at = text.indexOf(":");
    if (at < 0) { return { kind: "relation", id: text }; }
    return { kind: text.slice(0, at), id: text.slice(at + 1) };
  }

  /* What a click at this canvas point means. A line's midpoint is its handle: a click within a few pixels of
     it selects that line even where lines cross or an actor's shape overlaps, unless an actor's centre is
     nearer still; otherwise vis-network's own hit test decides. */
  pick(pointer) {
    const point = pointer.canvas;
    const near = 7 / this.network.getScale();
    const distance = (other) => Math.hypot(other.x - point.x, other.y - point.y);
    let handle = null;
    let handleDistance = Infinity;
    this.shown.edges.forEach((_, id) => {
      const point = this.handle(id);
      if (!point) { return; }
      const d = distance(point);
      if (d < handleDistance) { handleDistance = d; handle = id; }
    });
    const node = this.network.getNodeAt(pointer.DOM);
    const nodeDistance = node === undefined ? Infinity : distance(this.network.getPositions([node])[node]);
    if (handle !== null && handleDistance <= near && handleDistance < nodeDistance) { return this.asSelection(handle); }
    if (node !== undefined) { return { kind: "actor", id: String(node) }; }
    const edge = this.network.getEdgeAt(pointer.DOM);
    return edge === undefined ? null : this.asSelection(String(edge));
  }

  /* A drawn line's click handle: its midpoint as drawn (the curve at t = ½), in canvas coordinates. Python
     bends parallel and crossing relations so that no two handles fall close together (network.spread_bends). */
  handle(edgeId) {
    const edge = this.network.body.edges[edgeId];
    return edge && edge.connected ? edge.edgeType.getPoint(0.5) : null;
  }

  asSelection(edgeId) {
    return this.lines === "ties" && this.ties.has(edgeId) ? { kind: "tie", id: edgeId } : { kind: "relation", id: edgeId };
  }

  onCanvasClick(params) {
    const clicked = params.pointer ? this.pick(params.pointer) : null;
    if (this.options.onClick) { this.options.onClick(clicked || { kind: "none", id: "" }); }
    if (this.options.chrome) { this.select(clicked, true); }
  }

  select(selection, fromUser) {
    if (selection && !["actor", "tie", "relation"].includes(selection.kind)) { selection = null; }
    this.selection = selection;
    this.highlight();
    if (this.options.chrome) { this.renderPanel(); }
    if (fromUser && this.options.onSelect) {
      const value = selection ? selection.kind + ":" + selection.id : "";
      this.pending = { value: value, at: Date.now() };
      this.options.onSelect(value);
    }
  }

  highlight() {
    const selection = this.selection;
    if (!selection) { this.network.unselectAll(); return; }
    if (selection.kind === "actor") {
      if (this.nodeInfo.has(selection.id)) { this.network.selectNodes([selection.id], false); } else { this.network.unselectAll(); }
      return;
    }
    let edges = [];
    if (selection.kind === "relation") {
      const relation = this.relations.get(selection.id);
      if (relation) { edges = [this.lines === "ties" ? explorerTieId(String(relation.from), String(relation.to)) : selection.id]; }
    } else {
      const tie = this.ties.get(selection.id);
      if (tie) { edges = this.lines === "ties" ? [tie.id] : tie.relations.slice(); }
    }
    this.network.setSelection({ nodes: [], edges: edges }, { unselectAll: true, highlightEdges: false });
  }

  name(id) {
    const node = this.nodeInfo.get(id);
    return node ? String((node.info || {}).name || node.label) : id;
  }

  renderPanel() {
    const panel = this.panel;
    panel.replaceChildren();
    const selection = this.selection;
    if (!selection) {
      this.renderIntro(panel);
    } else if (selection.kind === "relation") {
      this.renderRelation(panel, selection.id, true);
    } else if (selection.kind === "tie") {
      this.renderTie(panel, selection.id);
    } else {
      this.renderActor(panel, selection.id);
    }
    if (selection && this.body && this.body.offsetWidth < 700) {
      /* narrow screens: the panel sits under the graph; its heading comes to the top (below Streamlit's header,
         graph.css: scroll-margin-top), since a long panel aligned "nearest" shows its end and hides its heading */
      (panel.querySelector("h3") || panel).scrollIntoView({ block: "start" });
    }
  }

  renderIntro(panel) {
    explorerElement(panel, "h3", "Select a line or an actor");
    explorerElement(panel, "p", "Click a line to read the evidence of a tie, click an actor to read about it. " +
      "On the keyboard: Tab to the graph, move between actors with the arrow keys, Enter selects; or pick a tie here:", "explorer-hint");
    const list = explorerElement(panel, "ul", null, "explorer-list");
    list.setAttribute("aria-label", "Ties drawn in the graph");
    [...this.ties.values()].slice(0, 400).forEach((tie) => {
      const item = explorerElement(list, "li");
      const button = explorerElement(item, "button", this.name(tie.a) + " — " + this.name(tie.b) + " (" +
        tie.relations.length + ")", "explorer-link");
      button.type = "button";
      button.addEventListener("click", () => this.select({ kind: "tie", id: tie.id }, true));
    });
  }

  chip(parent, polarity, text) {
    const chip = explorerElement(parent, "span", text, "chip");
    chip.style.background = (this.polarities[String(polarity)] || {}).colour || "#777";
    return chip;
  }

  renderRelation(parent, relationId, full) {
    const data = this.panels[relationId];
    const box = explorerElement(parent, "div", null, "evidence-panel");
    box.setAttribute("data-relation", relationId);
    if (!data) {
      const relation = this.relations.get(relationId);
      explorerElement(box, full ? "h3" : "h4", relation ? String(relation.title || "").split("\n")[0] : relationId);
      explorerElement(box, "p", "Loading the evidence…", "explorer-loading");
      return box;
    }
    explorerElement(box, full ? "h3" : "h4", data.heading);
    const line = explorerElement(box, "p");
    this.chip(line, data.polarity, data.polarity_label);
    explorerElement(line, "b", " " + data.type);
    explorerElement(line, "span", " · " + data.period + " · confidence " + data.confidence);
    if (data.summary) { explorerElement(box, "p", data.summary, "summary"); }
    if (data.claim_status) {
      explorerElement(box, "p", null, "claim-status warn").appendChild(
        document.createElement("b")).textContent = data.claim_status[0].toUpperCase() + data.claim_status.slice(1) +
        ": no outlet reports it in its own voice";
    }
    explorerElement(box, "p", data.support, "support");
    explorerElement(box, "p", data.perspective_note, "perspective" + (data.single_perspective ? " warn" : ""));
    explorerElement(box, "p", "Who claims it: " + data.claimants.join("; "), "claimants");
    const stances = explorerElement(box, "div", null, "stances");
    data.evidence.forEach((group) => {
      const column = explorerElement(stances, "div", null, "stance stance-" + group.stance);
      explorerElement(column, "h5", group.label);
      group.items.forEach((item) => {
        const figure = explorerElement(column, "figure", null, "evidence");
        explorerElement(figure, "blockquote", item.quote);
        const caption = explorerElement(figure, "figcaption");
        explorerElement(caption, "span", item.outlet + (item.via ? " (relays " + item.via + ")" : "") +
          (item.title ? " — " + item.title : "") + " · published " + item.published + " · " + item.claim);
        if (item.note) { explorerElement(caption, "span", " · Source note: " + item.note, "source-note"); }
        if (item.url) {
          explorerElement(caption, "br");
          const link = explorerElement(caption, "a", item.url);
          link.href = item.url;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
        }
        if (item.document) {
          explorerElement(caption, "span", " · ");
          const doc = explorerElement(caption, "a", "read the stored document", "document-link");
          doc.href = item.document;
          doc.target = "_self";
        }
      });
    });
    return box;
  }

  renderTie(panel, tieId) {
    const tie = this.ties.get(tieId);
    if (!tie) { explorerElement(panel, "p", "This tie is not drawn in the current view."); return; }
    const members = tie.relations.map((rid) => this.relations.get(rid));
    const weight = members.reduce((sum, relation) => sum + (relation.w || 0), 0);
    const sign = weight > 0 ? "1" : (weight < 0 ? "-1" : "0");
    const box = explorerElement(panel, "div", null, "tie-panel");
    box.setAttribute("data-tie", tieId);
    explorerElement(box, "h3", this.name(tie.a) + " — " + this.name(tie.b));
    const line = explorerElement(box, "p");
    this.chip(line, sign, "net " + ((this.polarities[sign] || {}).label || "").toLowerCase());
    explorerElement(line, "span", " weight " + (weight > 0 ? "+" : "") + weight.toFixed(2) + " · " +
      members.length + (members.length === 1 ? " relation" : " relations"));
    const groups = new Map();
    members.slice().sort((x, y) => x.lo - y.lo).forEach((relation) => {
      const type = (this.panels[relation.id] || {}).type || String(relation.title || "").split("\n")[1].split(" · ")[0];
      if (!groups.has(type)) { groups.set(type, []); }
      groups.get(type).push(relation);
    });
    groups.forEach((relations, type) => {
      explorerElement(box, "h4", type + " (" + relations.length + ")", "tie-type");
      relations.forEach((relation) => this.renderRelation(box, String(relation.id), false));
    });
  }

  renderActor(panel, actorId) {
    const node = this.nodeInfo.get(actorId);
    if (!node) { explorerElement(panel, "p", "This actor is not drawn in the current view."); return; }
    const info = node.info || {};
    const box = explorerElement(panel, "div", null, "actor-panel");
    box.setAttribute("data-actor", actorId);
    explorerElement(box, "h3", info.name || node.label);
    explorerElement(box, "p", [info.kind, info.country].filter(Boolean).join(" · "), "kind");
    if (info.aliases && info.aliases.length) { explorerElement(box, "p", "Also: " + info.aliases.join(", "), "aliases"); }
    if (info.description) { explorerElement(box, "p", info.description, "description"); }
    if (info.first) { explorerElement(box, "p", "Relations from " + info.first + " to " + info.last, "dates"); }
    const buttons = explorerElement(box, "p", null, "actor-actions");
    const focus = explorerElement(buttons, "button", "Focus on this actor", "explorer-focus");
    focus.type = "button";
    focus.addEventListener("click", () => this.options.onFocus && this.options.onFocus(actorId));
    const add = explorerElement(buttons, "button", "Add to the actor filter", "explorer-add");
    add.type = "button";
    add.addEventListener("click", () => this.options.onAddActor && this.options.onAddActor(actorId));
    const bySign = { "1": [], "-1": [], "0": [] };
    this.ties.forEach((tie) => {
      if (tie.a !== actorId && tie.b !== actorId) { return; }
      const weight = tie.relations.reduce((sum, rid) => sum + (this.relations.get(rid).w || 0), 0);
      bySign[weight > 0 ? "1" : (weight < 0 ? "-1" : "0")].push(tie);
    });
    ["1", "-1", "0"].forEach((sign) => {
      const ties = bySign[sign];
      const label = ((this.polarities[sign] || {}).label || sign) + " ties: " + ties.length;
      const heading = explorerElement(box, "h4", null, "ties-" + sign);
      this.chip(heading, sign, label);
      const list = explorerElement(box, "ul", null, "explorer-list");
      ties.forEach((tie) => {
        const other = tie.a === actorId ? tie.b : tie.a;
        const button = explorerElement(explorerElement(list, "li"), "button",
          this.name(other) + " (" + tie.relations.length + ")", "explorer-link");
        button.type = "button";
        button.addEventListener("click", () => this.select({ kind: "tie", id: tie.id }, true));
      });
    });
  }

  /* ---- time and play --------------------------------------------------------------------------------- */

  showDate(label) {
    if (this.dateLabel) { this.dateLabel.textContent = label || ""; }
  }

  /* Bloc colours through play: per actor, run lengths [slot, count, ...] over the steps, decoded once. */
  setBlocSteps(blocSteps) {
    const key = this.structure + JSON.stringify(blocSteps);
    if (key === this.blocKey) { return; }
    this.blocKey = key;
    this.blocSlots = null;
    this.blocPalette = [];
    this.blocFallback = new Map();
    if (blocSteps) {
      this.blocSlots = new Map();
      this.blocPalette = blocSteps.palette;
      this.blocWords = blocSteps.label || "bloc colours as of";
      const ids = [...this.nodeInfo.keys()];
      blocSteps.runs.forEach((runs, number) => {
        const slots = [];
        for (let i = 0; i < runs.length; i += 2) { for (let n = 0; n < runs[i + 1]; n += 1) { slots.push(runs[i]); } }
        this.blocSlots.set(ids[number], slots);
        this.blocFallback.set(ids[number], blocSteps.fallback[number]);
      });
    }
    if (this.blocStep !== null) { this.redraw(); }
    this.showBlocDate();
  }

  blocColour(id, node) {
    const slot = this.blocSlots.get(id)[this.blocStep];
    const colour = slot >= 0 ? this.blocPalette[slot % this.blocPalette.length] : this.blocFallback.get(id);
    const own = node.color || {};
    const border = own.border && own.border !== own.background ? own.border : colour;  /* a target keeps its ring */
    return { background: colour, border: border };
  }

  showBlocDate() {
    if (!this.blocLabel) { return; }
    const step = this.blocStep === null ? null : this.steps[this.blocStep];
    this.blocLabel.textContent = step && this.blocSlots ? this.blocWords + " " + step.shown : "";
  }

  setStep(index) {
    const step = this.steps[index];
    if (!step) { return; }
    const before = new Set();
    if (this.lines === "ties") {
      this.ties.forEach((tie) => { if (tie.relations.some((rid) => this.active(this.relations.get(rid)))) { before.add(tie.id); } });
    }
    this.stepIndex = index;
    this.blocStep = this.blocSlots ? index : null;
    this.time = [step.lo, step.hi];
    this.flash = new Set();
    if (this.lines === "ties") {
      this.ties.forEach((tie) => {
        if (!before.has(tie.id) && tie.relations.some((rid) => this.active(this.relations.get(rid)))) { this.flash.add(tie.id); }
      });
    }
    this.redraw();
    this.showDate(step.shown);
    this.showBlocDate();
    this.root.setAttribute("data-date", step.as_of);
  }

  play() {
    if (!this.steps.length) { return; }
    let start = 0;
    if (this.time) {
      const at = this.steps.findIndex((step) => step.lo >= this.time[0]);
      start = at < 0 || at >= this.steps.length - 1 ? 0 : at;
    }
    this.playButton.textContent = "❚❚ Pause";
    this.root.setAttribute("data-playing", "1");
    let index = start;
    this.setStep(index);
    this.playing = setInterval(() => {
      index += 1;
      if (index >= this.steps.length) { this.pause(true); return; }
      this.setStep(index);
    }, 1000 / EXPLORER_SPEEDS[this.speed]);
  }

  pause(report) {
    if (!this.playing) { return; }
    clearInterval(this.playing);
    this.playing = null;
    this.flash = new Set();
    this.redraw();
    this.playButton.textContent = "▶ Play";
    this.root.removeAttribute("data-playing");
    const step = this.steps[this.stepIndex];
    if (report && step && this.options.onPause) { this.options.onPause(step.as_of); }
  }

  destroy() {
    this.pause(false);
    if (this.resizer) { this.resizer.disconnect(); }
    this.network.destroy();
  }

  /* ---- points for tests and power users (page coordinates) ------------------------------------------- */

  pagePoint(canvasPoint) {
    const dom = this.network.canvasToDOM(canvasPoint);
    const box = this.container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  }

  edgePoint(id) {
    let edgeId = String(id);
    if (this.lines === "ties" && this.relations.has(edgeId)) {
      const relation = this.relations.get(edgeId);
      edgeId = explorerTieId(String(relation.from), String(relation.to));
    }
    const point = this.handle(edgeId);
    return point ? this.pagePoint(point) : null;
  }

  nodePoint(id) {
    const positions = this.network.getPositions([id]);
    if (!positions[id]) { return null; }
    return this.pagePoint(positions[id]);
  }

  /* ---- the keyboard on the graph ------------------------------------------------------------------------ */

  /* The graph is one tab stop: arrow keys move a ring (the cursor) to the nearest drawn actor in that
     direction, Enter or Space selects it as a click would, Escape clears the selection. A live region says
     which actor the ring is on; the view follows the ring when it leaves the canvas. */
  buildKeyboard() {
    const container = this.container;
    container.tabIndex = 0;
    container.setAttribute("role", "application");
    container.setAttribute("aria-roledescription", "relation graph");
    container.setAttribute("aria-label", "Relation graph. Arrow keys move between actors, Enter selects the " +
      "actor, Escape clears the selection. The list beside it and the table below give the same relations.");
    const frame = container.querySelector(".vis-network");
    if (frame) { frame.tabIndex = -1; }  /* vis-network's own focusable frame: one tab stop is enough */
    this.cursor = null;
    this.live = explorerElement(this.stage, "div", null, "explorer-live");
    this.live.setAttribute("aria-live", "polite");
    this.live.setAttribute("role", "status");
    container.addEventListener("keydown", (event) => this.onKey(event));
    container.addEventListener("focus", () => { if (!this.cursorOn()) { this.moveCursor(this.cursorStart()); } });
    container.addEventListener("blur", () => this.network.redraw());
    this.network.on("afterDrawing", (context) => this.drawCursor(context));
  }

  cursorOn() {
    return this.cursor !== null && this.nodeInfo.has(this.cursor);
  }

  /* Where the ring starts: the selected actor, or the actor nearest the centre of the view. */
  cursorStart() {
    if (this.selection && this.selection.kind === "actor" && this.nodeInfo.has(this.selection.id)) { return this.selection.id; }
    /* the actor nearest the middle of the actors (not of the view, which long labels pull to one side) */
    const positions = this.network.getPositions();
    const xs = Object.values(positions).map((point) => point.x);
    const ys = Object.values(positions).map((point) => point.y);
    const centre = { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
    let best = null;
    let bestDistance = Infinity;
    Object.entries(positions).forEach(([id, point]) => {
      const distance = Math.hypot(point.x - centre.x, point.y - centre.y);
      if (distance < bestDistance) { bestDistance = distance; best = id; }
    });
    return best;
  }

  /* The nearest drawn actor from `from` in a direction (dx, dy): within 45° of it if any, else the nearest
     one on that side, where going sideways counts double. */
  nearestToward(from, dx, dy) {
    const positions = this.network.getPositions();
    const origin = positions[from];
    if (!origin) { return null; }
    let best = null;
    let bestScore = Infinity;
    Object.entries(positions).forEach(([id, point]) => {
      if (id === from) { return; }
      const along = (point.x - origin.x) * dx + (point.y - origin.y) * dy;
      const across = Math.abs((point.x - origin.x) * dy - (point.y - origin.y) * dx);
      if (along <= 0) { return; }
      const inCone = across <= along;
      const score = (inCone ? 0 : 1e9) + Math.hypot(along, across) + (inCone ? 0 : across);
      if (score < bestScore) { bestScore = score; best = id; }
    });
    return best;
  }

  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    const directions = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (directions[event.key]) {
      event.preventDefault();
      const [dx, dy] = directions[event.key];
      this.moveCursor(this.cursorOn() ? (this.nearestToward(this.cursor, dx, dy) || this.cursor) : this.cursorStart());
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!this.cursorOn()) { this.moveCursor(this.cursorStart()); }
      if (this.cursorOn()) {
        this.select({ kind: "actor", id: this.cursor }, true);
        this.announce(this.name(this.cursor) + " selected: its panel is open.");
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.select(null, true);
      this.announce("Selection cleared.");
    }
  }

  moveCursor(id) {
    if (id === null || id === undefined) { return; }
    this.cursor = String(id);
    this.container.setAttribute("data-cursor", this.cursor);
    const point = this.network.getPositions([this.cursor])[this.cursor];
    const dom = this.network.canvasToDOM(point);
    const margin = 40;
    if (dom.x < margin || dom.y < margin || dom.x > this.container.clientWidth - margin ||
        dom.y > this.container.clientHeight - margin) {
      this.userMoved = true;
      this.network.moveTo({ position: point, animation: false });
    }
    this.network.redraw();
    const info = (this.nodeInfo.get(this.cursor) || {}).info || {};
    this.announce(this.name(this.cursor) + (info.kind ? ", " + info.kind : "") + ". Enter selects.");
  }

  announce(text) {
    if (this.live) { this.live.textContent = text; }
  }

  drawCursor(context) {
    if (!this.cursorOn() || !this.container.contains(document.activeElement)) { return; }
    const node = this.network.body.nodes[this.cursor];
    if (!node) { return; }
    const scale = this.network.getScale();
    const radius = Math.max(node.shape.width || 0, node.shape.height || 0, 2 * (node.options.size || 10)) / 2 + 6 / scale;
    const style = getComputedStyle(this.root);
    context.save();
    context.lineWidth = 3 / scale;
    context.strokeStyle = style.getPropertyValue("--st-primary-color").trim() || "#1f77b4";
    context.setLineDash([6 / scale, 4 / scale]);
    context.beginPath();
    context.arc(node.x, node.y, radius, 0, 2 * Math.PI);
    context.stroke();
    context.restore();
  }
}

/* The page's handles on a graph, under a prefix: `explorer` for the curated graph (window.explorerNetwork,
   explorerGraph, explorerEdgePoint …), another for a second graph on the same page (the event layer's
   `explorerEvent`: window.explorerEventNetwork …), so that neither takes the other's. */
const EXPLORER_HANDLES = ["Graph", "Network", "EdgePoint", "TiePoint", "NodePoint"];

function explorerExpose(graph, prefix) {
  const name = prefix || "explorer";
  globalThis[name + "Graph"] = graph;
  globalThis[name + "Network"] = graph.network;
  globalThis[name + "EdgePoint"] = (id) => graph.edgePoint(id);
  globalThis[name + "TiePoint"] = (a, b) => graph.edgePoint(b === undefined ? String(a) : explorerTieId(String(a), String(b)));
  globalThis[name + "NodePoint"] = (id) => graph.nodePoint(id);
}

function explorerUnexpose(graph, prefix) {
  const name = prefix || "explorer";
  if (globalThis[name + "Graph"] === graph) { EXPLORER_HANDLES.forEach((handle) => delete globalThis[name + handle]); }
}

/* The standalone export: one line per relation, clicks reported to the page. */
function explorerDraw(container, data, onClick) {
  const graph = new ExplorerGraph(container, { chrome: false, lines: "relations", onClick: onClick });
  graph.setData(data);
  explorerExpose(graph);
  return graph.network;
}
