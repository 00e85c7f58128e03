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
from explorer.tables.changes import TABLE_FILES, ChangeSet, RowChange, parse_csv, row_key
from explorer.tables.countries import State, recognise
from explorer.tables.load import COUNTRY, LoadResult, Problem, load_tables, seeds_folder
from explorer.tables.schema import TABLES, vocabulary
from explorer.tables.upload import read_workbook
from explorer.tables.write import consistent_read, table_bytes

FORMATS = ("gexf", "graphml", "edgelist", "pajek", "kumu", "onodo")
MODES = ("add", "replace")
EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".csv": "edgelist", ".tsv": "edgelist", ".txt": "edgelist",
              ".net": "pajek", ".paj": "pajek", ".xlsx": "xlsx"}
UNTYPED = "signed_tie"  # the relation type of a tie whose kind the file does not say
SIGN_WORDS = {"+": 1, "positive": 1, "pos": 1, "ally": 1, "friend": 1, "-": -1, "negative": -1, "neg": -1,
              "enemy": -1, "foe": -1, "0": 0, "neutral": 0, "mixed": 0}
UNSAID_KIND = "actor"  # the kind of an actor the file does not describe: it takes sides (role aligner)
KIND_SYNONYMS = {  # words files use for the kinds of the vocabulary (normalised); a kind's value and label count too
    "country": "state", "nation": "state", "nation state": "state", "government": "state", "sovereign state": "state",
    "de facto": "de_facto_government", "de facto authority": "de_facto_government",
    "organization": "organisation", "international organisation": "organisation",
    "international organization": "organisation", "io": "organisation", "igo": "organisation",
    "alliance organisation": "organisation", "bloc": "organisation",
    "armed movement": "armed_group", "armed group": "armed_group", "militia": "armed_group", "rebels": "armed_group",
    "rebel group": "armed_group", "insurgents": "armed_group", "insurgent group": "armed_group",
    "non state armed group": "armed_group", "nsag": "armed_group", "paramilitary": "armed_group",
    "individual": "person", "people": "person", "leader": "person", "politician": "person",
    "outlet": "media", "newspaper": "media", "news agency": "media", "broadcaster": "media",
    "project": "initiative", "corridor": "initiative", "pipeline": "initiative", "treaty": "initiative",
    "node": UNSAID_KIND, "actor": UNSAID_KIND, "vertex": UNSAID_KIND,
}
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
    aliases: str = ""


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
    magnitude: float = 1.0  # |signed weight| when the file gives a number other than -1, 0, +1


@dataclass(frozen=True, eq=False)
class Imported:
    """The four tables of one imported file, the documents to store in seeds/ and what could not be read."""

    format: str
    tables: dict[str, pd.DataFrame]  # by table file name, in stored column order
    documents: dict[str, bytes]  # seeds/ file name -> bytes; the first is the one quotes are checked against
    problems: list[Problem] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # what was inferred, one line each (kinds, states, weights)


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


def _magnitude(value: object) -> float:
    """The size of a signed weight (|-3| = 3); 1 for a bare sign or a word."""
    try:
        number = abs(float(str(value).strip()))
    except ValueError:
        return 1.0
    return number if number not in (0.0, float("inf")) and number == number else 1.0


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
    nodes = [_Node(str(key), str(data.get("label") or key), _kind_attribute(data),
                   str(data.get("country", "")), str(data.get("about", data.get("description", ""))),
                   str(data.get("aliases", "")))
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
        size = next((_magnitude(data[k]) for k in ("sign", "weight") if k in data), 1.0)  # the file's own sizes
        edges.append(_Edge(str(u), str(v), tag, f"edge {identifier}", sign,
                           str(data.get("relation_type", data.get("label", ""))),
                           _date(data.get("partial_start", data.get("start", ""))),
                           _date(data.get("partial_end", data.get("end", ""))), str(data.get("confidence", "")),
                           magnitude=1.0 if "polarity" in data else size))
    return nodes, edges


def _kind_attribute(data: Mapping[str, object]) -> str:
    """What a node's attributes say its kind is: a column named kind, type or category (any case)."""
    by_key = {str(k).casefold(): v for k, v in data.items()}
    return next((str(by_key[k]).strip() for k in ("kind", "type", "category") if str(by_key.get(k) or "").strip()
                 and str(by_key[k]).strip() != "nan"), "")


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
            aliases = {"source": ("source actor", "source", "from"), "target": ("target actor", "target", "to"),
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
                                    "expected source, target and a sign (+1, -1, 0, + or -)", "not_a_tie"))
            continue
        date = cell("date")
        if date and not _date(date):
            problems.append(Problem(name, number, "date", f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {date!r}",
                                    "partial_date"))
            continue
        names.update({cell("source"): None, cell("target"): None})
        edges.append(_Edge(cell("source"), cell("target"), line.strip(), f"line {number}", sign, start=_date(date),
                           magnitude=_magnitude(cell("sign"))))
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
            problems.append(Problem(name, number, "", f"cannot read the line: {error}", "unparsable"))
            continue
        if section == "vertices":
            nodes[parts[0]] = _Node(parts[0], parts[1] if len(parts) > 1 else parts[0])
        elif section in ("arcs", "edges"):
            sign = _sign(parts[2]) if len(parts) > 2 else None
            if len(parts) < 3 or sign is None or parts[0] not in nodes or parts[1] not in nodes:
                problems.append(Problem(name, number, "", "expected `i j sign` between declared vertices",
                                        "not_a_tie"))
                continue
            note = "" if section == "arcs" else "an undirected edge in the file"
            edges.append(_Edge(parts[0], parts[1], stripped, f"line {number}", sign, note=note,
                               magnitude=_magnitude(parts[2])))
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
                nodes[cells[label]] = _Node(cells[label], cells[label], _kind_attribute(cells),
                                            cells.get("country", ""), cells.get("description", ""),
                                            cells.get("aliases", ""))
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
        size = next((_magnitude(cells[k]) for k in ("sign", "strength", "weight") if cells.get(k)), 1.0)
        edges.append(_Edge(cells[source], cells[target], line, f"{sheet} row {number}", sign, cells.get("type", ""),
                           start, end, cells.get("confidence", ""), cells.get("description", ""), size))
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


def kind_value(text: str) -> str:
    """The kind a word names: a kind's value or label, or a common synonym (country → state), else ''."""
    return _vocabulary_value("kind", text) or KIND_SYNONYMS.get(normalise_name(text), "")


def read_kinds(name: str, data: bytes) -> dict[str, str]:
    """A user's `id,kind` file (header optional): node id or name -> kind; a bad row is an error naming it."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{name}: not UTF-8 text") from None
    kinds: dict[str, str] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and [normalise_name(c) for c in cells[:2]] == ["id", "kind"]:
            continue
        if len(cells) < 2 or not cells[0]:
            raise UnreadableFile(f"{name}:{number}: expected `id,kind`")
        kind = kind_value(cells[1])
        if not kind:
            raise UnreadableFile(f"{name}:{number}:kind: {cells[1]!r} is not a kind "
                                 f"({', '.join(vocabulary('kind'))})")
        kinds[normalise_name(cells[0])] = kind
    return kinds


@dataclass(frozen=True)
class _Kinds:
    """The kind of each node and why: the user's word, the file's word, a recognised state, or unsaid."""

    kind: dict[str, str]  # node key -> kind
    state: dict[str, State]  # node key -> the state it names
    decisions: list[str]


def _infer_kinds(nodes: list[_Node], kinds: Mapping[str, str], kind: str) -> _Kinds:
    """Kinds in order: --kinds, --kind, the file's kind/type/category word, a recognised state, else `actor`.

    A number names a state (by its COW code) only when every node of the file is a number naming one: files
    that number their nodes 1..n are not lists of states. A state named by a code or a spelling takes its proper
    name, id, country and aliases, unless the file gives its country (then the file's id and name stay)."""
    numbers_are_codes = bool(nodes) and all(
        n.name.strip().isdigit() and recognise(n.name) is not None for n in nodes)
    chosen: dict[str, str] = {}
    states: dict[str, State] = {}
    counts = {"by --kinds": 0, "by --kind": 0, "from the file's kind column": 0, "recognised as states": 0,
              f"of kind {UNSAID_KIND} (they take sides)": 0}
    unknown: dict[str, int] = {}
    for node in nodes:
        given = kinds.get(normalise_name(node.key)) or kinds.get(normalise_name(node.name))
        said = kind_value(node.kind) if node.kind else ""
        if node.kind and not said:
            unknown[node.kind] = unknown.get(node.kind, 0) + 1
        state = None
        for text in dict.fromkeys((node.name, node.key)):
            if text and (numbers_are_codes or not text.strip().isdigit()):
                state = recognise(text)
                if state is not None:
                    break
        if given:
            chosen[node.key], reason = given, "by --kinds"
        elif kind:
            chosen[node.key], reason = kind, "by --kind"
        elif said:
            chosen[node.key], reason = said, "from the file's kind column"
        elif state is not None:
            chosen[node.key], reason = "state", "recognised as states"
        else:
            chosen[node.key], reason = UNSAID_KIND, f"of kind {UNSAID_KIND} (they take sides)"
        counts[reason] += 1
        if state is not None and chosen[node.key] == "state" and not node.country:
            states[node.key] = state  # named by a code or a spelling: its proper name, country and aliases
            # (a file that gives the country describes its actors itself: their ids and names are kept)
    shown = ", ".join(f"{n} {reason}" for reason, n in counts.items()
                      if n or reason in ("recognised as states", f"of kind {UNSAID_KIND} (they take sides)"))
    decisions = [f"{len(nodes)} actors: {shown}; use --kind or a kind column to change"]
    if unknown:
        words = ", ".join(f"{word!r} ({n})" for word, n in sorted(unknown.items()))
        decisions.append(f"kind words that name no kind, read as below: {words}")
    if states:
        named = [f"{node.name} → {states[node.key].name} ({states[node.key].iso3})" for node in nodes
                 if node.key in states and node.name != states[node.key].name]
        if named:
            decisions.append(f"states by name or code: {', '.join(named[:12])}"
                             + (f" and {len(named) - 12} more" if len(named) > 12 else ""))
    return _Kinds(chosen, states, decisions)


def import_file(name: str, data: bytes, about: ImportSource, fmt: str | None = None,
                kinds: Mapping[str, str] | None = None, kind: str = "") -> Imported:
    """Read one file into the four tables. The file itself (for a workbook: a line per row, beside the original)
    is the source's stored document, and each relation's evidence quotes its line or element verbatim.

    `kinds` (node id or name -> kind, see `read_kinds`) and `kind` are the user's word on what the actors are;
    what the file leaves unsaid is inferred (see `_infer_kinds`) and each inference is one line of `decisions`."""
    if kind and not kind_value(kind):
        raise UnreadableFile(f"--kind {kind!r} is not a kind ({', '.join(vocabulary('kind'))})")
    kind = kind_value(kind) if kind else ""
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
    inferred = _infer_kinds(nodes, {normalise_name(k): v for k, v in (kinds or {}).items()}, kind)
    actor_of: dict[str, str] = {}
    actors = []
    for number, node in enumerate(nodes, start=1):
        state = inferred.state.get(node.key)
        actor = state.id if state is not None else _slug(
            node.key if re.match(r"^\d+$", node.key) is None else node.name, f"actor-{number}")
        while actor in actor_of.values():
            actor = f"{actor}_{number}"
        actor_of[node.key] = actor
        name = state.name if state is not None else node.name or node.key
        aliases = [*node.aliases.split("|"), *(state.aliases if state is not None else ()),
                   *((node.name,) if node.name != name else ())]
        actors.append({"id": actor, "name": name, "kind": inferred.kind[node.key],
                       "country": state.iso3 if state is not None else
                       node.country if COUNTRY.match(node.country) else "",
                       "aliases": "|".join(dict.fromkeys(a for a in aliases if a.strip() and a != name)),
                       "description": node.description})
    source_id = f"import-{stem}"
    relations, evidence = [], []
    for number, edge in enumerate(edges, start=1):
        start = edge.start or about.published
        if not start:
            problems.append(Problem(name, number, "date", f"{edge.where}: no date in the file; give the file's "
                                                          "date (published) to date its ties",
                                    "undated"))
            continue
        end = edge.end if edge.end and partial_date_bounds(edge.end)[1] >= partial_date_bounds(start)[0] else ""
        sign = 0 if edge.sign is None else edge.sign
        kind = _vocabulary_value("type", edge.type) or UNTYPED
        source, target = actor_of[edge.source], actor_of[edge.target]
        if source == target:
            problems.append(Problem(name, number, "target", f"{edge.where}: a tie from an actor to itself",
                                    "self_tie"))
            continue
        words = {1: "positive", -1: "negative", 0: "neutral"}[sign] + (" (no sign in the file)" if edge.sign is None
                                                                        else "")
        if edge.magnitude != 1.0:
            words += f" (weight {edge.magnitude:g})"
        relation = f"{stem}-{number}"
        names = {a["id"]: a["name"] for a in actors}
        relations.append({"id": relation, "source": source, "target": target, "type": kind, "polarity": str(sign),
                          "start": start, "end": end,
                          "confidence": _vocabulary_value("confidence", edge.confidence) or "low",
                          "summary": f"{names[source]} → {names[target]}: {words} tie in {name}, {edge.where}"
                                     + (f" ({edge.note})" if edge.note else ""),
                          "weight": f"{edge.magnitude:g}" if edge.magnitude != 1.0 else ""})
        evidence.append({"relation": relation, "source": source_id, "quote": edge.quote, "claimed_by": "",
                         "stance": "supports"})
    weighted = [e for e in edges if e.magnitude != 1.0]
    weights = [f"{len(weighted)} ties with a signed weight other than ±1: the sign is the polarity, the size "
               f"(up to {max(e.magnitude for e in weighted):g}) is the weight"] if weighted else []
    sources = [{"id": source_id, "title": about.title or name, "outlet": about.outlet, "url": about.url,
                "published": about.published, "document": document,
                "note": f"imported from {name} ({fmt})"}]
    frames = {"actors.csv": actors, "sources.csv": sources, "relations.csv": relations, "evidence.csv": evidence}
    tables = {table.file: pd.DataFrame(frames[table.file], columns=table.column_names, dtype=str)
              for table in TABLES}
    return Imported(fmt, tables, documents, problems, [*inferred.decisions, *weights])


def combined_tables(current: Mapping[str, pd.DataFrame], imported: Imported,
                    mode: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """`replace`: the imported tables alone. `add`: appended to the current ones; an imported actor whose name is
    an existing actor's name or alias is that actor, and any other clash of ids is a problem."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if mode == "replace":
        return dict(imported.tables), []
    added, problems = added_tables(current, imported)
    merged = {name: pd.concat([current[name].astype(str), added[name]], ignore_index=True).fillna("")
              for name in added}
    return merged, problems


def added_tables(current: Mapping[str, pd.DataFrame],
                 imported: Imported) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The rows an `add` import brings: an imported actor whose name is an existing actor's name or alias is that
    actor (its relations point to it), and any other clash of ids is a problem."""
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
                                                            "already another actor's id", "series_contains_duplicates"))
    relations = imported.tables["relations.csv"].copy()
    relations[["source", "target"]] = relations[["source", "target"]].replace(rename)
    for table, column in (("relations.csv", "id"), ("sources.csv", "id")):
        clashes = set(imported.tables[table][column]) & set(current[table][column])
        if clashes:
            problems.append(Problem(table, 0, column, f"ids already in the data (imported before?): "
                                                      f"{', '.join(sorted(clashes))[:200]}",
                                    "series_contains_duplicates"))
    added = {"actors.csv": actors[~actors["id"].isin(rename)], "relations.csv": relations,
             "sources.csv": imported.tables["sources.csv"], "evidence.csv": imported.tables["evidence.csv"]}
    return added, problems


def import_change(folder: Path, imported: Imported, mode: str, file_name: str) -> tuple[ChangeSet, list[Problem]]:
    """The import as a curator's change set for `folder` (see `explorer.tables.changes.save_change`): `add` adds
    its rows, `replace` also removes every row on disk the file does not have and edits the ones it changes.
    Rows the import leaves alone stay byte for byte; the history then says who imported which file, and
    `undo` takes it back."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    raw = consistent_read(folder, list(TABLE_FILES), (seeds_folder(folder),))
    on_disk: dict[str, dict[str, dict[str, str]]] = {}
    for table in TABLES:
        data = raw.get(table.file)
        parsed = parse_csv(data, table.file) if data else None
        rows = [parsed.row(r) for r in parsed.records if r.fields] if parsed is not None else []
        on_disk[table.file] = {row_key(table, row): row for row in rows}
    problems: list[Problem] = []
    if mode == "add":
        current = {table.file: pd.DataFrame(list(on_disk[table.file].values()), columns=table.column_names,
                                            dtype=str).fillna("") for table in TABLES}
        added, problems = added_tables(current, imported)
    else:
        added = dict(imported.tables)
    changes: list[RowChange] = []
    for table in TABLES:
        new_rows = {row_key(table, row): row for row in added[table.file].fillna("").astype(str).to_dict("records")}
        if mode == "replace":
            changes += [RowChange(table.file, row, None) for key, row in on_disk[table.file].items()
                        if key not in new_rows]
        for key, row in new_rows.items():
            before = on_disk[table.file].get(key) if mode == "replace" else None
            if before is None or any(before.get(c, "") != v for c, v in row.items()):
                changes.append(RowChange(table.file, before, {**(before or {}), **row}))
    documents = {n: (b.decode("utf-8") if n.endswith(".txt") or not n.endswith(".xlsx") else b)
                 for n, b in imported.documents.items()}
    summary = f"Import of {file_name} ({imported.format}, {mode})"
    return ChangeSet(tuple(changes), summary, documents=documents, document=next(iter(imported.documents))), problems


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


