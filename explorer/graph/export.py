"""The current view as files other tools read: CSV, JSON, XLSX, GraphML and GEXF 1.3, each naming its filter."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from explorer.graph.filters import View, filter_to_params
from explorer.graph.index import Index
from explorer.model import day_from_number, partial_date_bounds
from explorer.store import take_rows
from explorer.tables.schema import TABLES
from explorer.tables.write import table_bytes

if TYPE_CHECKING:  # NetworkX loads only for the graph formats
    import networkx as nx

FORMATS = ("csv", "json", "xlsx", "graphml", "gexf")
SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
XSI = "http://www.w3.org/2001/XMLSchema-instance"  # networkx 3.7 writes it without "www."


@dataclass(frozen=True)
class NodeLook:
    x: float
    y: float  # screen coordinates, y pointing down as vis-network draws them
    colour: str  # "#rrggbb"
    size: float


@dataclass(frozen=True)
class EdgeLook:
    colour: str
    thickness: float


@dataclass(frozen=True)
class Looks:
    """How the app draws the view (render computes it), so Gephi opens the same picture, not a grey pile."""

    nodes: dict[str, NodeLook] = field(default_factory=dict)
    edges: dict[str, EdgeLook] = field(default_factory=dict)


def iso_period(start: str, end: str) -> tuple[str, str]:
    """Full ISO dates for a partial-date period, for readers that want days: the start is the first day of
    its period and the end the last day of its own (`2021` – `2025-07` gives 2021-01-01 – 2025-07-31);
    an open end stays empty ("ongoing")."""
    first = day_from_number(partial_date_bounds(start)[0]).isoformat()
    last = day_from_number(partial_date_bounds(end)[1]).isoformat() if end else ""
    return first, last


def evidence_rows(index: Index, view: View) -> pd.DataFrame:
    """Visible relations joined with the evidence the view keeps: everything needed to check them."""
    dataset = index.dataset
    evidence, _ = view.kept_evidence(index)
    # Only the columns written, by position (a label lookup builds a hash table of a million relation ids first),
    # text read row by row from the cache file (`take_rows`), not every column paged in.
    rows = take_rows(dataset.evidence, evidence,
                     ["relation", "quote", "claimed_by", "stance", "source", "relation_at", "source_at"])
    relations = take_rows(dataset.relations, rows["relation_at"].to_numpy(),
                          ["source", "target", "type", "polarity", "start", "end", "confidence", "summary"])
    sources = take_rows(dataset.sources, rows["source_at"].to_numpy(),
                        ["outlet", "via", "title", "url", "published", "note"])
    return pd.DataFrame({
        "relation": rows["relation"], "source_actor": relations["source"], "target_actor": relations["target"],
        "type": relations["type"], "polarity": relations["polarity"].astype(int), "start": relations["start"],
        "end": relations["end"], "confidence": relations["confidence"], "summary": relations["summary"],
        "quote": rows["quote"], "claimed_by": rows["claimed_by"],
        "is_claim": index.evidence_is_claim[evidence].astype(bool), "stance": rows["stance"],
        "source": rows["source"], "outlet": sources["outlet"], "via": sources["via"], "title": sources["title"],
        "url": sources["url"], "published": sources["published"], "source_note": sources["note"],
    })


def view_tables(index: Index, view: View) -> dict[str, pd.DataFrame]:
    """The four tables cut to the view (its actors, relations, kept evidence and their sources), as text in the
    stored column order: a workbook of them uploads back as it is."""
    dataset = index.dataset
    evidence_positions, _ = view.kept_evidence(index)
    evidence = dataset.evidence.iloc[evidence_positions]
    chosen = {
        "actors": dataset.actors.loc[list(view.actors)],
        "relations": dataset.relations.iloc[np.asarray(view.relations)],
        "sources": dataset.sources.iloc[pd.unique(evidence["source_at"].to_numpy())],
        "evidence": evidence,
    }
    return {table.name: chosen[table.name][[c for c in table.column_names if c in chosen[table.name].columns]]
            .astype(str).reset_index(drop=True) for table in TABLES}


def view_document(index: Index, view: View, description: str = "") -> dict:
    """The view as plain data: filter (and its sentence), actors, relations each with its evidence."""
    dataset = index.dataset
    evidence_columns = ["quote", "claimed_by", "is_claim", "stance", "source", "outlet", "via", "title", "url",
                        "published", "source_note"]
    by_relation: dict[str, list[dict]] = {}
    for record in evidence_rows(index, view)[["relation", *evidence_columns]].to_dict("records"):
        by_relation.setdefault(record.pop("relation"), []).append(record)  # one pass, not one query per relation
    actors = dataset.actors.loc[list(view.actors), ["id", "name", "kind", "country", "aliases", "description"]]
    columns = ["id", "source", "target", "type", "start", "end", "confidence", "summary", "polarity"]
    relations = [{**relation, "polarity": int(relation["polarity"]), "evidence": by_relation.get(relation["id"], [])}
                 for relation in dataset.relations.iloc[np.asarray(view.relations)][columns].to_dict("records")]
    return {"description": description, "filter": filter_to_params(view.filter),
            "actors": actors.to_dict("records"), "relations": relations}


def _rgb(colour: str) -> dict[str, int]:
    digits = colour.lstrip("#")
    return {"r": int(digits[0:2], 16), "g": int(digits[2:4], 16), "b": int(digits[4:6], 16)}


def attribute_graph(index: Index, view: View, description: str = "", looks: Looks | None = None,
                    viz: bool = False) -> nx.MultiDiGraph:
    """The view as a typed attribute graph: names as labels, kind, country, relation type, polarity,
    confidence, evidence count, claimants, ISO dates. With `viz`, looks go into GEXF's viz element; else
    into plain x, y, size, color attributes (GraphML, which Gephi and graphology read by those names).
    Positions are flipped vertically: Gephi and sigma.js draw y upwards, vis-network downwards."""
    import networkx as nx

    looks = looks or Looks()
    document = view_document(index, view, description)
    names = index.dataset.actors["name"]
    graph = nx.MultiDiGraph(description=description, name="Axis Explorer view")
    for actor in document["actors"]:
        attributes: dict = {"label": actor["name"], "kind": actor["kind"], "country": actor["country"],
                            "aliases": actor["aliases"], "about": actor["description"]}
        look = looks.nodes.get(actor["id"])
        if look is not None and viz:
            attributes["viz"] = {"position": {"x": look.x, "y": -look.y, "z": 0.0}, "size": look.size,
                                 "color": {**_rgb(look.colour), "a": 1.0}}
        elif look is not None:
            attributes.update(x=look.x, y=-look.y, size=look.size, color=look.colour, **_rgb(look.colour))
        graph.add_node(actor["id"], **attributes)
    for relation in document["relations"]:
        evidence = relation["evidence"]
        start, end = iso_period(relation["start"], relation["end"])
        claimants = sorted({str(names.get(e["claimed_by"], e["claimed_by"])) for e in evidence if e["claimed_by"]})
        attributes = {
            "id": relation["id"], "label": relation["type"].replace("_", " "), "relation_type": relation["type"],
            "polarity": relation["polarity"], "confidence": relation["confidence"],
            "evidence_count": len(evidence), "claimants": "; ".join(claimants), "start": start,
            "partial_start": relation["start"], "partial_end": relation["end"], "summary": relation["summary"],
            "quotes": " | ".join(e["quote"] for e in evidence), "urls": " ".join(e["url"] for e in evidence),
            "source_notes": " | ".join(dict.fromkeys(e["source_note"] for e in evidence if e["source_note"])),
        }
        if end:
            attributes["end"] = end
        look = looks.edges.get(relation["id"])
        if look is not None and viz:
            attributes["viz"] = {"color": {**_rgb(look.colour), "a": 1.0}, "thickness": look.thickness}
        elif look is not None:
            attributes.update(color=look.colour, thickness=look.thickness)
        graph.add_edge(relation["source"], relation["target"], key=relation["id"], **attributes)
    return graph


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.3 (networkx's writer, with the XML Schema namespace it misspells put right)."""
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(version="1.3")
    writer.xml.set("xmlns:xsi", XSI)
    writer.meta_element.find("creator").text = f"Axis Explorer (NetworkX {nx.__version__})"
    writer.add_graph(graph)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GraphML (networkx's writer) with the graph's own data moved before its nodes, where graphology reads it."""
    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter()
    writer.add_graph_element(graph)
    element = writer.xml.find("graph")
    graph_data = [child for child in element if child.tag == "data"]
    for child in graph_data:
        element.remove(child)
    for position, child in enumerate(graph_data):
        element.insert(position, child)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading apostrophe
    (OWASP's CSV-injection advice); plain numbers such as -1 are left as they are."""
    if isinstance(value, str) and value.startswith(SPREADSHEET_TRIGGERS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_bytes(index: Index, view: View, description: str = "", safe: bool = False) -> bytes:
    """One row per evidence; the `filter` column names the view on every row so no reader drops it."""
    rows = evidence_rows(index, view)
    rows.insert(0, "filter", description)
    if safe:
        rows = rows.map(spreadsheet_safe)
    return table_bytes(rows)


def xlsx_bytes(index: Index, view: View, description: str = "") -> bytes:
    """A workbook with one sheet per table and a `filter` sheet; every text cell is written as a string cell,
    never a formula (openpyxl would otherwise take text starting with "=" as one)."""
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = "filter"
    params = filter_to_params(view.filter)
    rows = [["description", description],
            *[[f"filter {key}", ", ".join(values)] for key, values in params.items()],
            ["actors", len(view.actors)], ["relations", len(view.relations)]]
    sheets = [(about, rows), *((workbook.create_sheet(name), [list(frame.columns),
                                                               *frame.itertuples(index=False, name=None)])
                               for name, frame in view_tables(index, view).items())]
    for sheet, values in sheets:
        for row_number, row in enumerate(values, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # after assignment: openpyxl has just made "=..." a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_view(index: Index, view: View, fmt: str, description: str = "", looks: Looks | None = None,
                safe: bool = False) -> bytes:
    """Bytes of the view in one of FORMATS. `description` is the filter in words (written into every format),
    `looks` the drawn layout and colours (GEXF, GraphML), `safe` the CSV's spreadsheet-safe prefixing.
    JSON, GEXF and GraphML always carry the data verbatim."""
    if fmt == "csv":
        return csv_bytes(index, view, description, safe)
    if fmt == "json":
        return json.dumps(view_document(index, view, description), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "xlsx":
        return xlsx_bytes(index, view, description)
    if fmt == "gexf":
        return gexf_bytes(attribute_graph(index, view, description, looks, viz=True))
    if fmt == "graphml":
        return graphml_bytes(attribute_graph(index, view, description, looks))
    raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
