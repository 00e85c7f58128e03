"""Every download of a view in one place: the data formats with the drawn layout, the HTML page, the pictures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.graph.export import FORMATS as DATA_FORMATS
from explorer.graph.export import EdgeLook, Looks, NodeLook, export_view
from explorer.graph.filters import View, describe_filter
from explorer.graph.index import Index

if TYPE_CHECKING:  # pyvis and the layouts load only for the formats that draw
    from explorer.render.network import NetworkData

FORMATS = (*DATA_FORMATS, "html", "svg", "png")
MIME = {"csv": "text/csv", "json": "application/json", "graphml": "application/xml", "gexf": "application/xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "html": "text/html",
        "svg": "image/svg+xml", "png": "image/png"}


def drawn_looks(data: NetworkData) -> Looks:
    """Positions, colours, sizes and widths exactly as the app draws them (from `network_data`)."""
    nodes = {str(node["id"]): NodeLook(float(node["x"]), float(node["y"]), node["color"]["background"],
                                       float(node["size"])) for node in data.nodes}
    edges = {str(edge["id"]): EdgeLook(edge["color"], float(edge["width"])) for edge in data.edges}
    return Looks(nodes, edges)


def export_bytes(index: Index, view: View, fmt: str, cap: int | None = None, safe: bool = False,
                 data_label: str = "") -> bytes:
    """The view in `fmt`, with its filter in words; layouts and colours are those `network_data` draws.
    `cap`: the most actors drawn (default: the app's `DEFAULT_CAP`). `safe` prefixes CSV cells a spreadsheet
    would run; `data_label` names the data in picture captions."""
    description = describe_filter(view.filter, index)
    if fmt not in DATA_FORMATS or fmt in ("gexf", "graphml"):
        from explorer.render.network import DEFAULT_CAP, network_data

        cap = DEFAULT_CAP if cap is None else cap
    if fmt == "html":
        from explorer.render.html import standalone_html

        return standalone_html(index, view, cap, heading=f"Axis Explorer: {description}").encode("utf-8")
    if fmt in ("svg", "png"):
        from explorer.render.picture import picture_png, picture_svg

        drawing = network_data(index, view, cap)
        svg = picture_svg(drawing, description, data_label)
        return svg.encode("utf-8") if fmt == "svg" else picture_png(svg)
    looks = drawn_looks(network_data(index, view, cap)) if fmt in ("gexf", "graphml") else None
    return export_view(index, view, fmt, description, looks, safe)
