"""The drawn view as a picture to paste into an article: SVG from the app's own positions, PNG at twice the size."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from functools import cache

from jinja2 import Environment, FileSystemLoader

from explorer.render.html import TEMPLATES
from explorer.render.network import Bend, NetworkData, curve_via
from explorer.render.style import MAX_EDGE_WIDTH, node_style
from explorer.tables.schema import vocabulary

WIDTH = 1200
MARGIN = 32
GRAPH_WIDTH = WIDTH - 2 * MARGIN
PNG_SCALE = 2
POLYGON_SIDES = {"diamond": (4, 0.0), "triangle": (3, -math.pi / 2), "triangleDown": (3, math.pi / 2),
                 "hexagon": (6, 0.0)}


@cache
def _template():
    # Autoescape every value: labels, titles and the caption come from data.
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True).get_template("picture.svg")


def _polygon(x: float, y: float, r: float, sides: int, turn: float) -> str:
    return " ".join(f"{x + r * math.cos(turn + 2 * math.pi * k / sides):.1f},"
                    f"{y + r * math.sin(turn + 2 * math.pi * k / sides):.1f}" for k in range(sides))


def _curve(start: tuple[float, float], end: tuple[float, float], bend: Bend, radius: float) -> str:
    """The edge as vis-network bends it (a quadratic Bézier), stopped at the target's rim so the arrow shows."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    cx, cy = curve_via(start, end, bend)
    tx, ty = x2 - cx, y2 - cy
    back = math.hypot(tx, ty) or length
    ex, ey = x2 - tx / back * (radius + 2), y2 - ty / back * (radius + 2)
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"


def picture_svg(data: NetworkData, description: str, data_label: str = "", title: str = "Axis Explorer",
                today: dt.date | None = None) -> str:
    """An SVG of the view as the app draws it: same positions, colours, sizes, widths and dashes, with a title,
    a caption naming the data, the filter and the date, and a legend. Every text is escaped."""
    today = today or dt.date.today()
    caption = " · ".join(part for part in (
        f"Data: {data_label}" if data_label else "", f"Filter: {description}",
        f"{data.shown_actors} of {data.total_actors} actors, {data.shown_relations} of {data.total_relations} "
        "relations drawn", f"Made {today.isoformat()}") if part)
    caption_lines = textwrap.wrap(caption, 150) or [""]
    top = 58 + 17 * len(caption_lines) + 20
    xs = [float(n["x"]) for n in data.nodes] or [0.0]
    ys = [float(n["y"]) for n in data.nodes] or [0.0]
    pad = 40.0  # room for the largest node and its label
    span_x, span_y = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    scale = min(GRAPH_WIDTH / span_x, 1.6)
    graph_height = span_y * scale
    place = {str(n["id"]): (MARGIN + (float(n["x"]) - min(xs) + pad) * scale + (GRAPH_WIDTH - span_x * scale) / 2,
                            top + (float(n["y"]) - min(ys) + pad) * scale) for n in data.nodes}
    radius = {str(n["id"]): max(4.0, float(n["size"]) * scale * 0.6) for n in data.nodes}
    nodes = []
    for node in data.nodes:
        x, y = place[str(node["id"])]
        r = radius[str(node["id"])]
        shape = node.get("shape", "dot")
        item = {"x": round(x, 1), "y": round(y, 1), "r": round(r, 1), "colour": node["color"]["background"],
                "label": node["label"], "title": node.get("title", node["label"]), "shape": "circle"}
        if shape in ("square", "box"):
            item["shape"] = "square"
        elif shape in POLYGON_SIDES:
            sides, turn = POLYGON_SIDES[shape]
            item.update(shape="polygon", points=_polygon(x, y, r * 1.2, sides, turn))
        nodes.append(item)
    markers = list(dict.fromkeys(edge["color"] for edge in data.edges))
    edges = [{"path": _curve(place[str(edge["from"])], place[str(edge["to"])],
                             Bend.of(edge.get("smooth", {})), radius[str(edge["to"])]),
              "colour": edge["color"], "width": round(max(1.0, float(edge["width"]) * min(scale, 1.2)), 1),
              "dashed": bool(edge.get("dashes")), "marker": markers.index(edge["color"]) + 1,
              "title": edge.get("title", "")} for edge in data.edges]
    legend_top = top + graph_height + 24
    legend, x = [], MARGIN
    kinds = [term for term in vocabulary("kind").values()
             if any(node_style(term.value).colour == n["colour"] for n in nodes)]
    legend.append({"kind": "", "x": MARGIN, "y": legend_top, "text": "Actors:", "colour": ""})
    x = MARGIN + 60
    for term in kinds:
        legend.append({"kind": "node", "x": x, "y": legend_top, "text": term.label, "colour": term.colour})
        x += 40 + 7 * len(term.label)
    legend.append({"kind": "", "x": MARGIN, "y": legend_top + 22, "text": "Lines:", "colour": ""})
    x = MARGIN + 60
    for term in vocabulary("polarity").values():
        legend.append({"kind": "line", "x": x, "y": legend_top + 22, "text": term.label, "colour": term.colour})
        x += 44 + 7 * len(term.label)
    legend.append({"kind": "", "x": x, "y": legend_top + 22, "colour": "",
                   "text": f"thicker with more evidence (up to {MAX_EDGE_WIDTH:g} px) · dashed = low confidence "
                           "or single perspective · arrow from the actor who acts first"})
    height = int(legend_top + 44)
    return _template().render(width=WIDTH, height=height, margin=MARGIN, title=title, caption=caption,
                              caption_lines=caption_lines, markers=markers, nodes=nodes, edges=edges, legend=legend)


def picture_png(svg: str, scale: int = PNG_SCALE) -> bytes:
    """The SVG rasterised by cairosvg (needs the cairo library: Debian's libcairo2), `scale` times its size."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
