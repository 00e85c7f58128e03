"""The view as a pyvis network: nodes, edges and options that both the app and the standalone export use."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache, lru_cache

import networkx as nx
import numpy as np
from pyvis.network import Network

from explorer.graph.evidence import relations_table
from explorer.graph.filters import View, describe_filter
from explorer.graph.index import Index
from explorer.graph.signed import relation_weights
from explorer.graph.timeline import play_steps
from explorer.model import aliases_of, day_span
from explorer.render.style import (
    BLOC_COLOURS,
    FADED,
    PRESSURED_COLOUR,
    TARGET_COLOUR,
    bloc_colour,
    edge_dashed,
    edge_width,
    node_style,
    polarity_colour,
    polarity_label,
)
from explorer.tables.schema import vocabulary
from explorer.tables.words import claimed_by, origins_words

DEFAULT_CAP = 300
MAX_RELATIONS = 2000  # beyond this a drawing is a hairball: the best-evidenced relations are drawn
KAMADA_LIMIT = 120  # up to this many actors the layout is Kamada-Kawai (clearer), beyond it seeded spring
LAYOUT_SEED = 7
HANDLE_SPACING = 0.03  # relation midpoints (click handles) stay this far apart, as a share of the layout radius
ROUNDNESS_STEP = 0.2  # the n-th relation between a pair starts from roundness n × this
BASE_SIZE, MAX_EXTRA_SIZE = 12, 20  # an actor's radius: the base, plus one per relation up to this many
SPREAD_LIMIT = 600  # beyond this many drawn relations handles are pixels apart at any bend: no search


@dataclass(frozen=True)
class Emphasis:
    """What to stand out: an axis or a selection. Everything else fades when `actors` is not empty."""

    actors: frozenset[str] = frozenset()
    relations: frozenset[str] = frozenset()
    target: str = ""
    selected_relation: str = ""
    blocs: tuple[tuple[str, ...], ...] = ()  # colour actors by bloc
    bloc_numbers: tuple[int, ...] = ()  # each bloc's colour number (`bloc_colour`), by default its position
    pressured: frozenset[str] = frozenset()  # cross-pressured actors (`graph.balance`): drawn in their own style

    @property
    def bloc_of(self) -> dict[str, int]:
        numbers = self.bloc_numbers or range(len(self.blocs))
        return {actor: number for number, bloc in zip(numbers, self.blocs, strict=True) for actor in bloc}


@dataclass(frozen=True, eq=False)
class NetworkData:
    network: Network  # pyvis's network: its nodes, edges and options feed both the app and the export
    drawn: View  # what is drawn once the cap applies
    options: dict
    total_actors: int
    total_relations: int
    window: tuple[int, int] | None = None  # first and last day (days since 1970) of the drawn relations, for play
    description: str = ""  # the filter in words (describe_filter): the graph's caption and every export's

    @property
    def nodes(self) -> list[dict]:
        return self.network.nodes

    @property
    def edges(self) -> list[dict]:
        return self.network.edges

    @property
    def shown_actors(self) -> int:
        return len(self.network.nodes)

    @property
    def shown_relations(self) -> int:
        return len(self.network.edges)

    def as_component_data(self) -> dict:
        """What graph.js needs: nodes, relations with their active interval and weight, polarity colours."""
        polarity = vocabulary("polarity")
        return {"nodes": self.nodes, "edges": self.edges, "options": self.options,
                "window": list(self.window) if self.window else None,
                "steps": [asdict(step) for step in play_steps(self.window)],
                "polarities": {value: {"colour": term.colour, "label": term.label} for value, term in polarity.items()}}


def run_lengths(values: Sequence[int]) -> list[int]:
    """[value, count, value, count, ...]: a bloc slot per play step is mostly the same slot many times over.

    >>> run_lengths([2, 2, 2, -1, 0, 0])
    [2, 3, -1, 1, 0, 2]
    """
    runs: list[int] = []
    for value in values:
        if runs and runs[-2] == value:
            runs[-1] += 1
        else:
            runs += [int(value), 1]
    return runs


def play_bloc_colours(index: Index, data: NetworkData, slots: Sequence[Mapping[str, int]],
                      palette: Sequence[str] = BLOC_COLOURS, keep_drawn: bool = False,
                      label: str = "bloc colours as of") -> dict:
    """What graph.js needs to recolour actors by bloc at each play step (`slots[i]` is {actor: slot} at step i):
    per drawn actor, in node order, its slot at every step as run lengths (-1: in no bloc then, drawn in its
    kind's colour, `fallback`); slot s is drawn `palette[s % len(palette)]`, as `bloc_colour` does.
    With `keep_drawn`, an actor in no slot keeps its drawn colour (faded stays faded), except the slotted ones,
    which fall back to their kind's colour (the Axes view: amber only while cross-pressured)."""
    kinds = index.dataset.actors["kind"]
    actors = [str(node["id"]) for node in data.nodes]
    slotted = {actor for at_date in slots for actor in at_date}
    fallback = [node["color"]["background"] if keep_drawn and actor not in slotted else node_style(kinds[actor]).colour
                for actor, node in zip(actors, data.nodes, strict=True)]
    return {"palette": list(palette), "fallback": fallback, "label": label,
            "runs": [run_lengths([at_date.get(actor, -1) for at_date in slots]) for actor in actors]}


def capped_actors(index: Index, view: View, cap: int) -> list[str]:
    """The `cap` actors of the view with most relations (chosen actors always kept), in a stable order."""
    if len(view.actors) <= cap:
        return list(view.actors)
    positions = np.asarray(view.relations)
    ends = np.concatenate([index.source_code[positions], index.target_code[positions]])
    counts = np.bincount(ends, minlength=len(index.actor_ids))
    chosen = [a for a in view.filter.actors if a in index.actor_code]
    ranked = sorted(view.actors, key=lambda a: (-counts[index.actor_code[a]], a))
    keep = list(dict.fromkeys([*chosen, *ranked]))[:cap]
    return sorted(keep)


def drawn_view(index: Index, view: View, cap: int = DEFAULT_CAP, max_relations: int = MAX_RELATIONS) -> View:
    """The part of a view that is drawn: the capped actors, and among them the best-evidenced relations."""
    if len(view.actors) <= cap and len(view.relations) <= max_relations:
        return view
    actors = capped_actors(index, view, cap)
    codes = np.array([index.actor_code[a] for a in actors], dtype=np.int64)
    positions = np.asarray(view.relations)
    positions = positions[np.isin(index.source_code[positions], codes) & np.isin(index.target_code[positions], codes)]
    if len(positions) > max_relations:
        evidence_counts = np.diff(index.evidence_ptr)[positions]
        strongest = np.argsort(-evidence_counts, kind="stable")[:max_relations]
        positions = np.sort(positions[strongest])
    return View(positions, view.evidence, tuple(actors), view.filter)


def actor_size(kind: str, degree: int) -> int:
    """An actor's drawn radius: those that take sides grow with their relations; a voice (a person, a medium) stays
    at the smallest size, so Baradar is never drawn bigger than the states he deals with."""
    return BASE_SIZE + min(degree, MAX_EXTRA_SIZE) if node_style(kind).role != "voice" else BASE_SIZE


def network_options() -> dict:
    """vis-network options: positions come from Python (seeded, stable), so physics stays off and the graph
    is drawn at once; tooltips are set as text by our drawing code."""
    return {
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "hideEdgesOnDrag": False},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "smooth": {"enabled": True, "type": "dynamic"}, "selectionWidth": 3, "hoverWidth": 1.5},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 2},
    }


def _positions(actors: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """A seeded layout computed once in Python: the browser draws it at once instead of simulating physics."""
    return dict(_layout(tuple(sorted(actors)), tuple(sorted({(min(a, b), max(a, b)) for a, b in edges}))))


@lru_cache(maxsize=256)
def _layout(actors: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, tuple[float, float]], ...]:
    """The layout depends only on the actors and which pairs are tied (not on how many relations, nor their
    direction), so views that differ in nothing else (another confidence, another view's colours) share one:
    cached across sessions, as the layout is most of a new view's cost."""
    graph = nx.Graph()
    graph.add_nodes_from(actors)
    graph.add_edges_from(pairs)
    scale = 90 * len(actors) ** 0.5 + 100
    if len(actors) <= KAMADA_LIMIT:
        start = nx.circular_layout(graph)
        layout = nx.kamada_kawai_layout(graph, pos=start, scale=scale)
    else:
        layout = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=40, scale=scale)
    return tuple((a, (round(float(x), 1), round(float(y), 1))) for a, (x, y) in layout.items())


Point = tuple[float, float]


@dataclass(frozen=True)
class Bend:
    """How a relation's line curves: vis-network's `curvedCW` or `curvedCCW` with a roundness."""

    roundness: float
    clockwise: bool = True

    @property
    def smooth(self) -> dict:
        """The edge's vis-network `smooth` option."""
        return {"enabled": True, "type": "curvedCW" if self.clockwise else "curvedCCW", "roundness": self.roundness}

    @classmethod
    def of(cls, smooth: dict) -> Bend:
        """The bend of a `smooth` option (vis-network's default roundness when it has none)."""
        return cls(float(smooth.get("roundness", 0.5)), smooth.get("type", "curvedCW") != "curvedCCW")


BENDS = tuple(Bend(round(0.1 + 0.05 * k, 2), clockwise) for k in range(19) for clockwise in (True, False))


def curve_via(start: Point, end: Point, bend: Bend) -> Point:
    """The control point of a `curvedCW`/`curvedCCW` edge exactly as vis-network 9.1.2 computes it
    (`_getViaCoordinates`): the click handles and the picture export bend as the browser draws."""
    (x1, y1), (x2, y2) = start, end
    share = 0.5 * bend.roundness + 0.5
    turn = share if bend.clockwise else 0.5 - 0.5 * bend.roundness
    angle = (math.atan2(y1 - y2, x2 - x1) + turn * math.pi) % (2 * math.pi)
    length = math.hypot(x2 - x1, y2 - y1)
    return x1 + share * length * math.sin(angle), y1 + share * length * math.cos(angle)


def curve_midpoint(start: Point, end: Point, bend: Bend) -> Point:
    """The drawn midpoint of a curved edge (the quadratic Bézier at t = ½): the line's click handle."""
    via = curve_via(start, end, bend)
    return ((start[0] + end[0]) / 4 + via[0] / 2, (start[1] + end[1]) / 4 + via[1] / 2)


@cache
def _bends_near(wanted: Bend) -> tuple[Bend, ...]:
    """Every bend, `wanted` first, then clockwise ones by nearness of roundness, then counter-clockwise ones."""
    def order(bend: Bend) -> tuple:
        return (not bend.clockwise, abs(bend.roundness - wanted.roundness), bend.roundness)

    return tuple(sorted({wanted, *BENDS}, key=order))


def spread_bends(ends: list[tuple[Point, Point]], centres: list[Point], spacing: float) -> list[Bend]:
    """A bend per relation so that every relation's midpoint is at least `spacing` from every other relation's
    midpoint and every actor's centre: a click at a line's midpoint then means that line only, even where
    curves between other pairs cross near their middles.

    The k-th relation between a pair keeps roundness k × ROUNDNESS_STEP, clockwise, when that is clear of the
    handles placed so far; otherwise it takes the clear bend nearest to it (clockwise first), or in a crowded
    view where none is clear, keeps the first. Greedy, in the given order, on a grid of `spacing`-wide cells
    (each check reads 9 cells). Beyond SPREAD_LIMIT relations every relation keeps its first bend: handles in such
    a view are a few pixels apart at the fitted zoom whatever the bends, and the search would slow the redraw."""
    grid: dict[tuple[int, int], list[Point]] = defaultdict(list)
    cell = spacing or 1.0
    near = spacing * spacing

    def clear(point: Point) -> bool:
        x, y = point
        cx, cy = int(x // cell), int(y // cell)
        return not any((x - px) ** 2 + (y - py) ** 2 < near for i in (-1, 0, 1) for j in (-1, 0, 1)
                       for px, py in grid.get((cx + i, cy + j), ()))

    def place(point: Point) -> None:
        grid[int(point[0] // cell), int(point[1] // cell)].append(point)

    for centre in centres:
        place(centre)
    slots: dict[tuple[Point, Point], int] = defaultdict(int)
    chosen = []
    for start, end in ends:
        pair = (min(start, end), max(start, end))
        slots[pair] += 1
        wanted = Bend(round(ROUNDNESS_STEP * slots[pair], 2))
        tried = _bends_near(wanted) if len(ends) <= SPREAD_LIMIT else ()
        best = next((bend for bend in tried if clear(curve_midpoint(start, end, bend))), wanted)
        place(curve_midpoint(start, end, best))
        chosen.append(best)
    return chosen


def network_data(index: Index, view: View, cap: int = DEFAULT_CAP, emphasis: Emphasis | None = None) -> NetworkData:
    """Nodes and edges for vis-network, built through pyvis; every text is plain (tooltips are set as text)."""
    emphasis = emphasis or Emphasis()
    drawn = drawn_view(index, view, cap)
    actors = list(drawn.actors)
    table = relations_table(index, drawn)
    positions = _positions(actors, [_pair(index, r) for r in table["id"]])
    fading = bool(emphasis.actors)
    bloc_of = emphasis.bloc_of
    net = Network(directed=True, cdn_resources="in_line")
    degree = {a: 0 for a in actors}
    for rid in table["id"]:
        for end in _pair(index, rid):
            degree[end] += 1
    details = index.dataset.actors
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for record in table.itertuples(index=False):
        for end in _pair(index, record.id):
            first[end] = min(first.get(end, record.start), record.start)
            last[end] = max(last.get(end, ""), record.end or record.start)
    for actor in actors:
        row = details.loc[actor]
        style = node_style(row["kind"])
        colour = bloc_colour(bloc_of[actor]) if actor in bloc_of else style.colour
        if fading and actor not in emphasis.actors:
            colour = FADED
        pressured = actor in emphasis.pressured
        if pressured:
            colour = PRESSURED_COLOUR
        aliases = ", ".join(aliases_of(row["aliases"]))
        title = "\n".join(line for line in (
            row["name"], f"{style.label}{' · ' + row['country'] if row['country'] else ''}",
            f"Also: {aliases}" if aliases else "", row["description"],
            f"{degree[actor]} visible relations") if line)
        info = {"name": row["name"], "kind": style.label, "country": row["country"],
                "aliases": aliases_of(row["aliases"]), "description": row["description"],
                "first": first.get(actor, ""), "last": last.get(actor, "")}
        ring = {"role": "cross-pressured", "shapeProperties": {"borderDashes": [4, 3]}} if pressured else {}
        if pressured:
            title += "\nCross-pressured: cooperates with the target and with one of its adversaries"
        net.add_node(actor, label=row["name"], title=title, shape=style.shape, info=info,
                     color={"background": colour, "border": TARGET_COLOUR if actor == emphasis.target or pressured
                            else colour},
                     borderWidth=5 if actor == emphasis.target else 3 if pressured else 2,
                     size=actor_size(row["kind"], degree[actor]), x=positions[actor][0], y=positions[actor][1], **ring)
    pairs = [_pair(index, rid) for rid in table["id"]]
    radius = max((math.hypot(*xy) for xy in positions.values()), default=0.0)
    bends = spread_bends([(positions[a], positions[b]) for a, b in pairs], list(positions.values()),
                                 HANDLE_SPACING * radius)
    positions = np.asarray(drawn.relations)
    weights = relation_weights(index, drawn)
    for number, record in enumerate(table.itertuples(index=False)):
        source, target = pairs[number]
        position = positions[number]
        colour = polarity_colour(record.polarity)
        if fading and emphasis.relations and record.id not in emphasis.relations:
            colour = FADED
        period = record.start + (f"–{record.end}" if record.end and record.end != record.start else "")
        claim = f" — {claimed_by([record.claimed_by])}" if record.claimed_by else ""
        title = "\n".join([
            f"{record.source} → {record.target}{claim}",
            f"{record.type.replace('_', ' ')} · {polarity_label(record.polarity).lower()} · {period}",
            f"confidence {record.confidence} · {record.evidence} evidence · {origins_words(record.origins)}"
            + (" · single perspective" if record.single_perspective else ""),
            "Click to read the evidence.",
        ])
        net.add_edge(source, target, id=record.id, title=title, color=colour,
                     width=edge_width(record.evidence) + (3 if record.id == emphasis.selected_relation else 0),
                     dashes=edge_dashed(record.confidence, record.single_perspective),
                     smooth=bends[number].smooth,
                     polarity=int(record.polarity), w=round(float(weights[number]), 4),
                     lo=int(index.start_lo[position]), hi=int(index.end_hi[position]))
    options = network_options()
    net.set_options(json.dumps(options))
    return NetworkData(network=net, drawn=drawn, options=options, total_actors=len(view.actors),
                       total_relations=len(view.relations), window=relations_window(index, drawn),
                       description=describe_filter(view.filter, index))


def relations_window(index: Index, view: View) -> tuple[int, int] | None:
    """First and last day (days since 1970) of a view's relations, the span play steps through; None if none."""
    positions = np.asarray(view.relations, dtype=np.int64)
    return day_span(index.start_lo[positions], index.start_hi[positions], index.end_hi[positions])


def _pair(index: Index, relation_id: str) -> tuple[str, str]:
    position = index.relation_position[relation_id]
    return (str(index.actor_ids[index.source_code[position]]), str(index.actor_ids[index.target_code[position]]))

