"""Networks people already have (Gephi's GEXF and GraphML, signed edge lists, Pajek, Kumu and Onodo workbooks)
turned into the four tables, each relation with evidence quoting the line or element it came from."""

from __future__ import annotations

import csv
import html
import io
import re
import shlex
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import networkx as nx
import pandas as pd

from explorer.model import aliases_of, normalise_name, partial_date_bounds
from explorer.tables.load import COUNTRY, LoadResult, Problem, load_tables
from explorer.tables.schema import TABLES, vocabulary
from explorer.tables.upload import read_workbook
from explorer.tables.write import table_bytes

FORMATS = ("gexf", "graphml", "edgelist", "pajek", "kumu", "onodo")
MODES = ("add", "replace")
EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".csv": "edgelist", ".tsv": "edgelist", ".txt": "edgelist",
              ".net": "pajek", ".paj": "pajek", ".xlsx": "xlsx"}
UNTYPED = "signed_tie"  # the relation type of a tie whose kind the file does not say
SIGN_WORDS = {"+": 1, "positive": 1, "pos": 1, "ally": 1, "friend": 1, "-": -1, "negative": -1, "neg": -1,
              "enemy": -1, "foe": -1, "0": 0, "neutral": 0, "mixed": 0}
ISO_DATE_TIME = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[ T]00:00:00(?:\.0+)?)?$")
TAG_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class UnreadableFile(ValueError):
    """The file cannot be read as the format it claims: the message says where."""


@dataclass(frozen=True)
class ImportSource:
    """Where the file comes from: it becomes the source row of every relation it holds."""

    url: str
    outlet: str
    published: str = ""  # also the date of ties the file does not date
    title: str = ""


@dataclass(frozen=True)
class _Node:
    key: str
    name: str
    kind: str = ""
    country: str = ""
    description: str = ""


@dataclass(frozen=True)
class _Edge:
    source: str  # node keys
    target: str
    quote: str  # the verbatim line or element of the stored document
    where: str  # "line 4", "edge e7", "Connections row 3"
    sign: int | None = None
    type: str = ""
    start: str = ""
    end: str = ""
    confidence: str = ""
    note: str = ""


@dataclass(frozen=True, eq=False)
class Imported:
    """The four tables of one imported file, the documents to store in seeds/ and what could not be read."""

    format: str
    tables: dict[str, pd.DataFrame]  # by table file name, in stored column order
    documents: dict[str, bytes]  # seeds/ file name -> bytes; the first is the one quotes are checked against
    problems: list[Problem] = field(default_factory=list)


# ---- reading each format -------------------------------------------------------------------------------------


def _sign(value: object) -> int | None:
    """+1, -1 or 0 from a sign, a signed weight or a word; None when there is nothing to read."""
    text = str(value).strip().casefold() if value is not None else ""
    if not text or text == "nan":
        return None
    if text in SIGN_WORDS:
        return SIGN_WORDS[text]
    try:
        number = float(text)
    except ValueError:
        return None
    return (number > 0) - (number < 0)


def _date(value: object) -> str:
    """A partial ISO date from a cell ("2021", "2021-05-01 00:00:00", 2021.0), else ''."""
    text = str(value).strip() if value is not None else ""
    text = re.sub(r"^(\d{4})\.0$", r"\1", text)
    match = ISO_DATE_TIME.match(text)
    return match.group(1) if match else ""


def _edge_tags(text: str) -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    """Every `<edge …>` start tag of an XML file as written, by id and by (source, target) in file order."""
    by_id: dict[str, str] = {}
    by_pair: dict[tuple[str, str], list[str]] = {}
    for match in re.finditer(r"<edge\b[^>]*>", text):
        tag = match.group(0)
        attributes = {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
                      for m in TAG_ATTRIBUTE.finditer(tag)}
        if "id" in attributes:
            by_id[attributes["id"]] = tag
        by_pair.setdefault((attributes.get("source", ""), attributes.get("target", "")), []).append(tag)
    return by_id, by_pair


def _from_xml_graph(name: str, text: str, fmt: str) -> tuple[list[_Node], list[_Edge]]:
    try:
        reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
        graph = reader(io.BytesIO(text.encode("utf-8")))
    except Exception as error:  # networkx raises several kinds for malformed XML
        message = " ".join(str(error).split())[:200]
        raise UnreadableFile(f"{name}: not a readable {fmt.upper()} file: {message}") from None
    nodes = [_Node(str(key), str(data.get("label") or key), str(data.get("kind", "")),
                   str(data.get("country", "")), str(data.get("about", data.get("description", ""))))
             for key, data in graph.nodes(data=True)]
    by_id, by_pair = _edge_tags(text)
    edges = []
    keyed = graph.edges(keys=True, data=True) if graph.is_multigraph() else (
        (u, v, data.get("id", ""), data) for u, v, data in graph.edges(data=True))
    for u, v, key, data in keyed:
        identifier = str(data.get("id", key))
        tag = by_id.get(identifier)
        if tag is None:
            written = by_pair.get((str(u), str(v))) or by_pair.get((str(v), str(u))) or [""]
            tag = written.pop(0)
        if not tag:
            raise UnreadableFile(f"{name}: edge {identifier} ({u} → {v}) not found as written in the file")
        sign = next((s for s in (_sign(data.get(k)) for k in ("polarity", "sign", "weight")) if s is not None), None)
        edges.append(_Edge(str(u), str(v), tag, f"edge {identifier}", sign,
                           str(data.get("relation_type", data.get("label", ""))),
                           _date(data.get("partial_start", data.get("start", ""))),
                           _date(data.get("partial_end", data.get("end", ""))), str(data.get("confidence", ""))))
    return nodes, edges


def _from_edge_list(name: str, text: str) -> tuple[list[_Node], list[_Edge], list[Problem]]:
    """`source,target,sign[,date]`, with or without that header (tab- or semicolon-separated too)."""
    lines = text.splitlines()
    sample = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if "\t" in sample else ";" if sample.count(";") > sample.count(",") else ","
    columns = {"source": 0, "target": 1, "sign": 2, "date": 3}
    problems: list[Problem] = []
    edges: list[_Edge] = []
    names: dict[str, None] = {}
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
        if not header_seen and len(cells) >= 3 and _sign(cells[2]) is None:
            header = [normalise_name(c) for c in cells]
            aliases = {"source": ("source", "from"), "target": ("target", "to"),
                       "sign": ("sign", "polarity", "weight", "value"), "date": ("date", "start", "at")}
            columns = {key: next((header.index(a) for a in options if a in header), -1)
                       for key, options in aliases.items()}
            header_seen = True
            if columns["source"] < 0 or columns["target"] < 0 or columns["sign"] < 0:
                raise UnreadableFile(f"{name}:{number}: header needs source, target and sign columns")
            continue
        header_seen = True
        cell = lambda key: cells[columns[key]] if 0 <= columns[key] < len(cells) else ""  # noqa: E731, B023
        sign = _sign(cell("sign"))
        if not cell("source") or not cell("target") or sign is None:
            problems.append(Problem(name, number, "sign" if cell("source") and cell("target") else "source",
                                    "expected source, target and a sign (+1, -1, 0, + or -)"))
            continue
        date = cell("date")
        if date and not _date(date):
            problems.append(Problem(name, number, "date", f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {date!r}"))
            continue
        names.update({cell("source"): None, cell("target"): None})
        edges.append(_Edge(cell("source"), cell("target"), line.strip(), f"line {number}", sign, start=_date(date)))
    return [_Node(n, n) for n in names], edges, problems


def _from_pajek(name: str, text: str) -> tuple[list[_Node], list[_Edge], list[Problem]]:
    """Pajek `.net`: `*Vertices n`, then `*Arcs` (directed) and `*Edges` (undirected) lines `i j sign`."""
    nodes: dict[str, _Node] = {}
    edges: list[_Edge] = []
    problems: list[Problem] = []
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        if stripped.startswith("*"):
            section = stripped[1:].split()[0].casefold()
            if section in ("arcslist", "edgeslist", "matrix"):
                raise UnreadableFile(f"{name}:{number}: *{section} is not supported; save the network with *Arcs "
                                   "or *Edges lines")
            continue
        try:
            parts = shlex.split(stripped)
        except ValueError as error:
            problems.append(Problem(name, number, "", f"cannot read the line: {error}"))
            continue
        if section == "vertices":
            nodes[parts[0]] = _Node(parts[0], parts[1] if len(parts) > 1 else parts[0])
        elif section in ("arcs", "edges"):
            sign = _sign(parts[2]) if len(parts) > 2 else None
            if len(parts) < 3 or sign is None or parts[0] not in nodes or parts[1] not in nodes:
                problems.append(Problem(name, number, "", "expected `i j sign` between declared vertices"))
                continue
            note = "" if section == "arcs" else "an undirected edge in the file"
            edges.append(_Edge(parts[0], parts[1], stripped, f"line {number}", sign, note=note))
    return list(nodes.values()), edges, problems


def _cell_text(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return "" if text == "nan" else re.sub(r"^(-?\d+)\.0$", r"\1", text)


def _sheet_lines(sheet: str, frame: pd.DataFrame) -> list[tuple[int, dict[str, str], str]]:
    """Rows of a sheet as (spreadsheet row, cells by lower-case column, one line of text quoting them)."""
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        cells = {str(k).strip(): _cell_text(v) for k, v in record.items()}
        shown = " | ".join(f"{k}={v}" for k, v in cells.items() if v)
        if shown:
            rows.append((number, {k.casefold(): v for k, v in cells.items()}, f"{sheet} row {number}: {shown}"))
    return rows


def _from_workbook(name: str, data: bytes, fmt: str | None) -> tuple[str, list[_Node], list[_Edge], str]:
    """Kumu (Elements + Connections, by Label / From, To) or Onodo (Nodes + Relations, by Name / Source,
    Target); the stored document is a line per row, which the quotes cite."""
    try:
        sheets = read_workbook(data)  # limits checked before parsing: see explorer.tables.upload
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise UnreadableFile(f"{name}: not a readable XLSX workbook: {' '.join(str(error).split())[:200]}") from None
    by_name = {sheet.casefold(): (sheet, frame) for sheet, frame in sheets.items()}
    layouts = {"kumu": ("elements", "connections", "label", "from", "to"),
               "onodo": ("nodes", "relations", "name", "source", "target")}
    chosen = fmt or next((f for f, layout in layouts.items() if layout[1] in by_name), None)
    if chosen not in layouts or layouts[chosen][1] not in by_name:
        raise UnreadableFile(f"{name}: expected Kumu's Elements and Connections sheets or Onodo's Nodes and "
                           "Relations sheets")
    node_sheet, edge_sheet, label, source, target = layouts[chosen]
    lines: list[str] = []
    nodes: dict[str, _Node] = {}
    if node_sheet in by_name:
        sheet, frame = by_name[node_sheet]
        for _, cells, line in _sheet_lines(sheet, frame):
            lines.append(line)
            if cells.get(label):
                nodes[cells[label]] = _Node(cells[label], cells[label], cells.get("type", ""), "",
                                            cells.get("description", ""))
    sheet, frame = by_name[edge_sheet]
    edges = []
    for number, cells, line in _sheet_lines(sheet, frame):
        lines.append(line)
        if not cells.get(source) or not cells.get(target):
            raise UnreadableFile(f"{name}: sheet {sheet} row {number}: needs {source} and {target}")
        for end in (cells[source], cells[target]):
            nodes.setdefault(end, _Node(end, end))
        sign = next((s for s in (_sign(cells.get(k)) for k in ("sign", "polarity", "strength", "weight", "type"))
                     if s is not None), None)
        start = _date(cells.get("start") or cells.get("start date") or cells.get("from date") or cells.get("at")
                      or (cells.get("from") if chosen == "onodo" else "") or cells.get("date"))
        end = _date(cells.get("end") or cells.get("end date") or (cells.get("to") if chosen == "onodo" else ""))
        edges.append(_Edge(cells[source], cells[target], line, f"{sheet} row {number}", sign, cells.get("type", ""),
                           start, end, cells.get("confidence", ""), cells.get("description", "")))
    return chosen, list(nodes.values()), edges, "\n".join(lines) + "\n"


# ---- into the four tables -------------------------------------------------------------------------------------


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", normalise_name(text)).strip("_")
    return slug or fallback


def _vocabulary_value(name: str, text: str) -> str:
    """The vocabulary value a cell names (by value or label, any case), else ''."""
    terms = vocabulary(name)
    key = normalise_name(text)
    return next((value for value, term in terms.items()
                 if key and key in (normalise_name(value), normalise_name(term.label))), "")


def detect_format(name: str, data: bytes) -> str:
    """The format a file name says (`.xlsx` decided by its sheets when read)."""
    suffix = PurePath(name.lower()).suffix
    if suffix not in EXTENSIONS:
        raise UnreadableFile(f"{name}: unknown file type (use --format: {', '.join(FORMATS)})")
    return EXTENSIONS[suffix]


def import_file(name: str, data: bytes, about: ImportSource, fmt: str | None = None) -> Imported:
    """Read one file into the four tables. The file itself (for a workbook: a line per row, beside the original)
    is the source's stored document, and each relation's evidence quotes its line or element verbatim."""
    fmt = fmt or detect_format(name, data)
    if fmt not in (*FORMATS, "xlsx"):
        raise UnreadableFile(f"unknown import format {fmt!r} (one of: {', '.join(FORMATS)})")
    stem = _slug(PurePath(name).stem, "import").replace("_", "-")
    problems: list[Problem] = []
    documents: dict[str, bytes] = {}
    if fmt in ("xlsx", "kumu", "onodo"):
        fmt, nodes, edges, transcript = _from_workbook(name, data, None if fmt == "xlsx" else fmt)
        document = f"import-{stem}.{fmt}.txt"
        documents[document] = transcript.encode("utf-8")
        documents[f"import-{stem}.xlsx"] = data
    else:
        try:
            text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            raise UnreadableFile(f"{name}: not UTF-8 text") from None
        document = f"import-{stem}{PurePath(name).suffix.lower() or '.txt'}"
        documents[document] = text.encode("utf-8")
        if fmt in ("gexf", "graphml"):
            nodes, edges = _from_xml_graph(name, text, fmt)
        elif fmt == "pajek":
            nodes, edges, problems = _from_pajek(name, text)
        else:
            nodes, edges, problems = _from_edge_list(name, text)
    if about.published:
        partial_date_bounds(about.published)  # raises DateError for a bad date
    actor_of: dict[str, str] = {}
    actors = []
    for number, node in enumerate(nodes, start=1):
        actor = _slug(node.key if re.match(r"^\d+$", node.key) is None else node.name, f"actor-{number}")
        while actor in actor_of.values():
            actor = f"{actor}_{number}"
        actor_of[node.key] = actor
        actors.append({"id": actor, "name": node.name or node.key,
                       "kind": _vocabulary_value("kind", node.kind) or "other",
                       "country": node.country if COUNTRY.match(node.country) else "",
                       "aliases": "", "description": node.description})
    source_id = f"import-{stem}"
    relations, evidence = [], []
    for number, edge in enumerate(edges, start=1):
        start = edge.start or about.published
        if not start:
            problems.append(Problem(name, number, "date", f"{edge.where}: no date in the file; give the file's "
                                                          "date (published) to date its ties"))
            continue
        end = edge.end if edge.end and partial_date_bounds(edge.end)[1] >= partial_date_bounds(start)[0] else ""
        sign = 0 if edge.sign is None else edge.sign
        kind = _vocabulary_value("type", edge.type) or UNTYPED
        source, target = actor_of[edge.source], actor_of[edge.target]
        if source == target:
            problems.append(Problem(name, number, "target", f"{edge.where}: a tie from an actor to itself"))
            continue
        words = {1: "positive", -1: "negative", 0: "neutral"}[sign] + (" (no sign in the file)" if edge.sign is None
                                                                        else "")
        relation = f"{stem}-{number}"
        names = {a["id"]: a["name"] for a in actors}
        relations.append({"id": relation, "source": source, "target": target, "type": kind, "polarity": str(sign),
                          "start": start, "end": end,
                          "confidence": _vocabulary_value("confidence", edge.confidence) or "low",
                          "summary": f"{names[source]} → {names[target]}: {words} tie in {name}, {edge.where}"
                                     + (f" ({edge.note})" if edge.note else "")})
        evidence.append({"relation": relation, "source": source_id, "quote": edge.quote, "claimed_by": "",
                         "stance": "supports"})
    sources = [{"id": source_id, "title": about.title or name, "outlet": about.outlet, "url": about.url,
                "published": about.published, "document": document,
                "note": f"imported from {name} ({fmt})"}]
    frames = {"actors.csv": actors, "sources.csv": sources, "relations.csv": relations, "evidence.csv": evidence}
    tables = {table.file: pd.DataFrame(frames[table.file], columns=table.column_names, dtype=str)
              for table in TABLES}
    return Imported(fmt, tables, documents, problems)


def combined_tables(current: Mapping[str, pd.DataFrame], imported: Imported,
                    mode: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """`replace`: the imported tables alone. `add`: appended to the current ones; an imported actor whose name is
    an existing actor's name or alias is that actor, and any other clash of ids is a problem."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if mode == "replace":
        return dict(imported.tables), []
    problems: list[Problem] = []
    actors = imported.tables["actors.csv"]
    existing = current["actors.csv"]
    by_name: dict[str, str] = {}
    for actor, name, aliases in zip(existing["id"], existing["name"], existing["aliases"], strict=True):
        for label in (name, *aliases_of(aliases)):
            by_name.setdefault(normalise_name(label), actor)
    existing_ids = set(existing["id"])
    rename = {}
    for record in actors.itertuples(index=False):
        match = by_name.get(normalise_name(record.name))
        if match:
            rename[record.id] = match
        elif record.id in existing_ids:
            problems.append(Problem("actors.csv", 0, "id", f"imported actor id {record.id!r} ({record.name}) is "
                                                            "already another actor's id"))
    relations = imported.tables["relations.csv"].copy()
    relations[["source", "target"]] = relations[["source", "target"]].replace(rename)
    for table, column in (("relations.csv", "id"), ("sources.csv", "id")):
        clashes = set(imported.tables[table][column]) & set(current[table][column])
        if clashes:
            problems.append(Problem(table, 0, column, f"ids already in the data (imported before?): "
                                                      f"{', '.join(sorted(clashes))[:200]}"))
    added = {"actors.csv": actors[~actors["id"].isin(rename)], "relations.csv": relations,
             "sources.csv": imported.tables["sources.csv"], "evidence.csv": imported.tables["evidence.csv"]}
    merged = {name: pd.concat([current[name].astype(str), added[name]], ignore_index=True).fillna("")
              for name in added}
    return merged, problems


def checked_tables(tables: Mapping[str, pd.DataFrame], documents: Mapping[str, bytes | str],
                   folder: Path | None = None) -> LoadResult:
    """Validate tables against their documents (quotes checked verbatim) before anything is written: the
    documents go to a temporary seeds/ folder for the check."""
    raw = {name: table_bytes(frame) for name, frame in tables.items()}
    with tempfile.TemporaryDirectory(prefix="explorer-import-") as temporary:
        seeds = Path(temporary) / "seeds"
        seeds.mkdir()
        for document, body in documents.items():
            (seeds / document).parent.mkdir(parents=True, exist_ok=True)
            (seeds / document).write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
        return load_tables(raw, documents_in=seeds, folder=folder)


