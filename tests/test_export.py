"""Exports that other tools read: GEXF 1.3 and GraphML (networkx and graphology under Node), XLSX, CSV,
pictures, and the filter in words that every one of them carries."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from explorer.cli import main
from explorer.graph import Filter, apply_filter, build_index, parse_filter
from explorer.graph.export import csv_bytes, iso_period, spreadsheet_safe
from explorer.graph.filters import describe_filter
from explorer.render.exports import export_bytes
from explorer.render.network import network_data
from explorer.tables import load_dataset, load_tables
from explorer.tables.upload import tables_from_uploads
from tests.conftest import TINY, write_tables
from tests.hostile import LITERAL, PAYLOAD, write_hostile

NODE_DIR = Path(__file__).resolve().parent / "node"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def bundled():
    index = build_index(load_dataset(None).dataset)
    chosen, notices = parse_filter({"actor": ["taliban"], "hops": ["1"]}, index)
    assert not notices
    return index, apply_filter(index, chosen)


@pytest.fixture
def hostile(tmp_path):
    index = build_index(load_dataset(write_hostile(tmp_path)).dataset)
    return index, apply_filter(index, Filter())


def drawn(index, view) -> tuple[dict, dict]:
    data = network_data(index, view)
    return {n["id"]: n for n in data.nodes}, {e["id"]: e for e in data.edges}


# ---- the filter in words -------------------------------------------------------------------------------------


def test_describe_filter_says_the_issue_example(bundled):
    index, _ = bundled
    chosen, _ = parse_filter({"type": ["hostility,sanction"], "as_of": ["2025-07"], "exclude_claimant": ["iraf"],
                              "actor": ["taliban"], "hops": ["1"]}, index)
    assert describe_filter(chosen, index) == ("hostility and sanction relations as of 2025-07, IRAF's claims hidden, "
                                              "within 1 hop of Taliban (Islamic Emirate of Afghanistan)")


def test_describe_filter_covers_every_condition(bundled):
    index, _ = bundled
    assert describe_filter(Filter(), index) == "all relations"
    chosen, _ = parse_filter({"polarity": ["-1"], "from": ["2020"], "to": ["2024"], "min_confidence": ["medium"],
                              "min_sources": ["2"], "hide_single": ["1"], "outlet": ["trtworld.com"],
                              "actor": ["Iran", "Israel"], "hops": ["2"]}, index)
    assert describe_filter(chosen, index) == (
        "adversarial relations from 2020 to 2024, confidence medium or higher, only evidence from trtworld.com, "
        "at least 2 independent origins each, single-perspective relations hidden, within 2 hops of Iran and Israel")
    assert describe_filter(Filter(actors=("iran",), hops=0), index) == "all relations, only Iran"


# ---- dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2021", "", ("2021-01-01", "")),
    ("2024-02", "2024-02", ("2024-02-01", "2024-02-29")),
    ("2025-07-04", "2025", ("2025-07-04", "2025-12-31")),
    ("2023-11", "2024-04-30", ("2023-11-01", "2024-04-30")),
])
def test_iso_period_takes_first_day_of_start_and_last_day_of_end(start, end, expected):
    assert iso_period(start, end) == expected


# ---- GEXF and GraphML in networkx ------------------------------------------------------------------------------


def test_gexf_is_version_1_3_with_names_positions_colours_and_iso_dates(bundled):
    index, view = bundled
    data = export_bytes(index, view, "gexf")
    root = ET.fromstring(data)
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph_element = root.find("{http://gexf.net/1.3}graph")
    assert graph_element.get("timeformat") == "date" and graph_element.get("mode") == "dynamic"
    _, edges = drawn(index, view)
    for edge in root.iter("{http://gexf.net/1.3}edge"):
        assert ISO_DAY.match(edge.get("start"))
        thickness = edge.find("{http://gexf.net/1.3/viz}thickness")  # networkx does not read edge viz back
        assert float(thickness.get("value")) == edges[edge.get("id")]["width"]
        assert edge.find("{http://gexf.net/1.3/viz}color") is not None
        assert edge.get("end") is None or ISO_DAY.match(edge.get("end"))  # never end="" or a partial date
    graph = nx.read_gexf(io.BytesIO(data))
    assert graph.graph["description"] == describe_filter(view.filter, index)
    nodes, _ = drawn(index, view)
    actors = index.dataset.actors
    assert set(graph.nodes) == set(view.actors)
    for actor, attributes in graph.nodes(data=True):
        assert attributes["label"] == actors.loc[actor, "name"]
        assert attributes["kind"] == actors.loc[actor, "kind"]
        viz = attributes["viz"]
        assert (viz["position"]["x"], viz["position"]["y"]) == (nodes[actor]["x"], -nodes[actor]["y"])
        colour = nodes[actor]["color"]["background"]
        assert "#{r:02x}{g:02x}{b:02x}".format(**viz["color"]) == colour.lower()
        assert viz["size"] == nodes[actor]["size"]
    relations = index.dataset.relations
    seen_open = seen_closed = False
    for _, _, attributes in graph.edges(data=True):
        relation = relations.loc[attributes["id"]]
        assert attributes["relation_type"] == relation["type"]
        assert attributes["polarity"] == int(relation["polarity"]) and isinstance(attributes["polarity"], int)
        assert isinstance(attributes["evidence_count"], int) and attributes["evidence_count"] >= 1
        assert attributes["start"] == iso_period(relation["start"], relation["end"])[0]
        if relation["end"]:
            seen_closed = True
            assert attributes["end"] == iso_period(relation["start"], relation["end"])[1]
        else:
            seen_open = True
            assert "end" not in attributes
    assert seen_open and seen_closed
    claimed = graph.edges["taliban", "iran", "taliban-iran-hostility-2025-07"]
    assert "IRAF" in claimed["claimants"]


def test_graphml_carries_the_same_attributes(bundled):
    index, view = bundled
    graph = nx.read_graphml(io.BytesIO(export_bytes(index, view, "graphml")))
    assert graph.graph["description"] == describe_filter(view.filter, index)
    nodes, _ = drawn(index, view)
    actors = index.dataset.actors
    for actor, attributes in graph.nodes(data=True):
        assert attributes["label"] == actors.loc[actor, "name"]
        assert (attributes["x"], attributes["y"]) == (nodes[actor]["x"], -nodes[actor]["y"])
        assert attributes["color"] == nodes[actor]["color"]["background"]
        assert attributes["country"] == actors.loc[actor, "country"]
    edge = next(d for _, _, d in graph.edges(data=True) if d["id"] == "taliban-iran-hostility-2025-07")
    assert edge["polarity"] == -1 and edge["relation_type"] == "alignment" and edge["start"] == "2025-07-01"
    assert edge["end"] == "2025-07-31" and "IRAF" in edge["claimants"]  # an event: it ends with its month


# ---- graphology (the parsers behind Gephi Lite) under Node ------------------------------------------------------


@pytest.fixture(scope="module")
def graphology():
    """Parse a file with graphology-gexf / graphology-graphml; skipped only when Node is missing outside CI."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm are needed in CI to check exports with graphology")
        pytest.skip("node/npm not installed: graphology checks need Node 18+ (make test runs npm ci)")
    if not (NODE_DIR / "node_modules" / "graphology-gexf").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, capture_output=True)

    def parse(fmt: str, data: bytes, tmp: Path) -> dict:
        path = tmp / f"view.{fmt}"
        path.write_bytes(data)
        done = subprocess.run([node, str(NODE_DIR / "parse.mjs"), fmt, str(path)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return parse


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graphology_reads_names_positions_colours_and_filter(bundled, graphology, tmp_path, fmt):
    index, view = bundled
    parsed = graphology(fmt, export_bytes(index, view, fmt), tmp_path)
    assert parsed["attributes"]["description"] == describe_filter(view.filter, index)
    nodes, edges = drawn(index, view)
    actors = index.dataset.actors
    assert {n["key"] for n in parsed["nodes"]} == set(view.actors)
    for node in parsed["nodes"]:
        attributes = node["attributes"]
        assert attributes["label"] == actors.loc[node["key"], "name"]
        assert (attributes["x"], attributes["y"]) == (nodes[node["key"]]["x"], -nodes[node["key"]]["y"])
        colour = nodes[node["key"]]["color"]["background"]
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert attributes["color"] in (colour, f"rgba({rgb[0]},{rgb[1]},{rgb[2]},1.0)")
        assert attributes["kind"] == actors.loc[node["key"], "kind"]
    assert len(parsed["edges"]) == len(view.relations)
    for edge in parsed["edges"]:
        attributes = edge["attributes"]
        assert attributes["thickness"] == edges[edge["key"]]["width"]
        assert isinstance(attributes["polarity"], int) and attributes["polarity"] in (-1, 0, 1)
        if fmt == "graphml":  # graphology-gexf does not read dynamics; GraphML keeps the dates as data
            assert ISO_DAY.match(attributes["start"])


def test_graphology_reads_hostile_text_literally(hostile, graphology, tmp_path):
    index, view = hostile
    for fmt in ("gexf", "graphml"):
        parsed = graphology(fmt, export_bytes(index, view, fmt), tmp_path)
        assert f"Evil {PAYLOAD}" in {n["attributes"]["label"] for n in parsed["nodes"]}


# ---- spreadsheets ----------------------------------------------------------------------------------------------


FORMULAS = {"=HYPERLINK(\"https://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx"}


def formula_tables() -> dict[str, list[dict[str, str]]]:
    tables = {name: [dict(row) for row in rows] for name, rows in TINY.items()}
    tables["relations.csv"][0]["summary"] = "=HYPERLINK(\"https://evil.example\",\"x\")"
    tables["actors.csv"][1]["description"] = "+cmd|' /C calc'!A0"
    tables["actors.csv"][2]["description"] = "@SUM(1)"
    tables["relations.csv"][1]["summary"] = "-2+3"
    return tables


@pytest.fixture
def formulas(tmp_path):
    index = build_index(load_dataset(write_tables(tmp_path, formula_tables())).dataset)
    return index, apply_filter(index, Filter())


def test_spreadsheet_safe_prefixes_what_a_spreadsheet_would_run():
    for text in FORMULAS:
        assert spreadsheet_safe(text) == "'" + text
    for text in ("-1", "+1", "2.5", "plain", "a=b", ""):
        assert spreadsheet_safe(text) == text
    assert spreadsheet_safe(-1) == -1


def test_csv_export_is_safe_only_when_asked_and_names_its_filter(formulas):
    index, view = formulas
    raw = pd.read_csv(io.BytesIO(csv_bytes(index, view, "all relations")), dtype=str, keep_default_na=False)
    safe = pd.read_csv(io.BytesIO(csv_bytes(index, view, "all relations", safe=True)), dtype=str,
                       keep_default_na=False)
    assert set(raw["filter"]) == {"all relations"}
    assert "=HYPERLINK(\"https://evil.example\",\"x\")" in set(raw["summary"])
    assert "'=HYPERLINK(\"https://evil.example\",\"x\")" in set(safe["summary"])
    assert "'-2+3" in set(safe["summary"])
    assert set(safe["polarity"]) == {"1", "-1"}  # numbers stay numbers
    assert not any(str(v).startswith(("=", "+", "@")) for v in safe.to_numpy().ravel())


def test_xlsx_cells_from_data_are_strings_never_formulas(formulas, tmp_path):
    index, view = formulas
    data = export_bytes(index, view, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["filter", "actors", "sources", "relations", "evidence"]
    assert workbook["filter"]["B1"].value == "all relations"
    cells = {cell.value: cell for sheet in workbook for row in sheet.iter_rows() for cell in row}
    hyperlink = cells["=HYPERLINK(\"https://evil.example\",\"x\")"]
    assert hyperlink.data_type == "s"
    assert cells["+cmd|' /C calc'!A0"].data_type == "s" and cells["@SUM(1)"].data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells.values())
    # The workbook is one sheet per table: it uploads back and validates as it is.
    raw, problems = tables_from_uploads([("view.xlsx", data)])
    result = load_tables(raw, documents_in=tmp_path / "seeds")
    assert not problems and not result.problems
    assert len(result.dataset.relations) == len(view.relations)


def test_json_stays_verbatim_and_names_its_filter(formulas):
    index, view = formulas
    document = json.loads(export_bytes(index, view, "json", safe=True))
    assert document["description"] == "all relations"
    assert "=HYPERLINK(\"https://evil.example\",\"x\")" in {r["summary"] for r in document["relations"]}


# ---- pictures and the HTML page ----------------------------------------------------------------------------------


def test_svg_and_png_show_the_view_with_its_filter(bundled):
    index, view = bundled
    svg = export_bytes(index, view, "svg", data_label="bundled data").decode("utf-8")
    root = ET.fromstring(svg)
    width, height = int(root.get("width")), int(root.get("height"))
    sentence = describe_filter(view.filter, index)
    assert sentence in " ".join(t.strip() for t in root.itertext() if t.strip())
    assert "bundled data" in svg
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) >= len(view.actors) // 2
    png = Image.open(io.BytesIO(export_bytes(index, view, "png", data_label="bundled data")))
    assert png.size == (2 * width, 2 * height)
    pixels = np.asarray(png.convert("RGB"))
    not_white = (pixels < 240).any(axis=2).mean()
    assert not_white > 0.02  # lines, nodes and text drawn, not a blank page
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50


def test_svg_escapes_every_data_string(hostile):
    index, view = hostile
    svg = export_bytes(index, view, "svg").decode("utf-8")
    root = ET.fromstring(svg)  # well-formed despite the payloads
    assert root.find(".//{http://www.w3.org/2000/svg}script") is None
    assert LITERAL not in svg and "<img" not in svg
    assert f"Evil {PAYLOAD}" in set(root.itertext())


def test_html_export_titles_itself_with_the_filter(bundled):
    index, view = bundled
    page = export_bytes(index, view, "html").decode("utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title == f"Axis Explorer: {describe_filter(view.filter, index)}"


@pytest.mark.parametrize("fmt", ["xlsx", "svg", "png", "gexf"])
def test_cli_exports_pictures_and_workbooks(tmp_path, capsys, fmt):
    target = tmp_path / f"view.{fmt}"
    assert main(["export", "--format", fmt, "--actor", "Iran", "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out and target.stat().st_size > 1000


def test_cli_csv_is_spreadsheet_safe_on_request(tmp_path):
    folder = write_tables(tmp_path, formula_tables())
    for flags, expected in (([], "=HYPERLINK"), (["--spreadsheet-safe"], "'=HYPERLINK")):
        target = tmp_path / "view.csv"
        assert main(["export", "--data", str(folder), "--format", "csv", *flags, "-o", str(target)]) == 0
        summaries = pd.read_csv(target, dtype=str, keep_default_na=False)["summary"]
        assert any(s.startswith(expected) for s in summaries)
