"""Hostile and broken input, without a browser: escaping, uploads, atomic writes, round trips."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from pyvis.network import Network

from explorer.graph import Filter, apply_filter, build_index, relation_detail
from explorer.graph.export import export_view
from explorer.render import component_js, evidence_panel_html, legend_html, standalone_html
from explorer.render.html import asset, md, vis_network_js
from explorer.render.reader import Highlight, highlighted_document
from explorer.tables import load_dataset, load_tables
from explorer.tables.upload import MAX_UPLOAD_BYTES, tables_from_uploads
from explorer.tables.write import atomic_write, save_dataset, table_frames
from tests.conftest import TINY, write_tables
from tests.hostile import LITERAL, PAYLOAD, write_hostile

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hostile(tmp_path):
    result = load_dataset(write_hostile(tmp_path))
    index = build_index(result.dataset)
    return result, index, apply_filter(index, Filter())


def test_hostile_urls_are_refused_and_reported(hostile):
    result, index, view = hostile
    problems = [str(p) for p in result.problems]
    assert any(p.startswith("sources.csv:3:url: URL must start with http") for p in problems)
    assert "s2" not in result.dataset.sources.index
    assert set(view.relation_ids(index)) == {"r1", "r2", "r3"}  # r1 keeps its evidence from s1


def test_evidence_panel_escapes_every_field(hostile):
    _, index, view = hostile
    html = evidence_panel_html(relation_detail(index, view, "r1"))
    assert "<script>" not in html and "<img" not in html and "onerror=\"" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "javascript:" not in html.replace("[click](javascript:", "").replace("href=&#34;javascript:", "")
    assert "href='https://example.org/a?b=1'" in html
    assert html.count("<a ") == 2  # the http(s) link and the link to the stored document, nothing else


def test_standalone_html_never_parses_data_as_html(hostile, tmp_path):
    _, index, view = hostile
    page = standalone_html(index, view)
    own_code = page.replace(vis_network_js(), "")
    assert "innerHTML" not in own_code and "tooltip_link" not in own_code
    assert "<script>window.__pwned" not in page
    assert "\\u003cscript\\u003ewindow.__pwned=1" in page
    benign_data = write_tables(tmp_path / "benign", {k: [dict(r) for r in v] for k, v in TINY.items()})
    benign_index = build_index(load_dataset(benign_data).dataset)
    benign = standalone_html(benign_index, apply_filter(benign_index, Filter()))
    assert page.count("<script") == benign.count("<script")  # hostile titles change no markup


def test_pyvis_href_switch_can_never_reach_our_pages():
    # pyvis turns its tooltips into innerHTML once any title contains "href"; our template has no such branch
    # and our drawing code sets every tooltip with textContent.
    net = Network(directed=True)
    net.add_node("a", title='<a href="javascript:alert(1)">x</a>')
    assert "popup.innerHTML" in net.generate_html()  # the trap exists in pyvis's own template...
    template = (ROOT / "explorer" / "render" / "templates" / "standalone.html").read_text(encoding="utf-8")
    for code in (template, asset("graph.js"), asset("component.js")):
        assert "innerHTML" not in code and "tooltip_link" not in code  # ...and nowhere in ours
    assert "textContent" in asset("graph.js")
    assert component_js().endswith(asset("component.js"))


def test_markdown_escape_neutralises_links_images_and_html():
    escaped = md(PAYLOAD)
    unescaped = re.findall(r"(?<!\\)[\[\]()<>!{}$:*_`]", escaped.replace("\\\\", ""))
    assert unescaped == []
    assert escaped.replace("\\", "") == PAYLOAD


def test_reader_escapes_and_links_only_to_relations():
    text = f"Before {PAYLOAD} after."
    reading = highlighted_document(text, [Highlight(PAYLOAD, "r1", PAYLOAD), Highlight("absent", "r2", "x")])
    assert "<script>" not in reading.html and "&lt;script&gt;" in reading.html
    assert "href='?relation=r1'" in reading.html
    assert [h.relation for h in reading.missing] == ["r2"]


def test_legend_is_static_markup():
    assert "<script" not in legend_html()


@pytest.mark.parametrize("fmt", ["csv", "json", "graphml", "gexf"])
def test_exports_keep_hostile_text_literal(hostile, fmt):
    _, index, view = hostile
    data = export_view(index, view, fmt)
    if fmt == "csv":
        quotes = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)["quote"]
        assert set(quotes) == {f"quote {PAYLOAD}"}
    elif fmt == "json":
        assert json.loads(data)["relations"][0]["evidence"][0]["quote"] == f"quote {PAYLOAD}"
    else:
        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
        assert graph.nodes["evil"]["label"] == f"Evil {PAYLOAD}"  # the text comes back exactly, nothing dropped
        assert {d["quotes"] for *_, d in graph.edges(data=True)} == {f"quote {PAYLOAD}"}
        assert LITERAL not in data.decode("utf-8")  # XML-escaped on disk


# ---- uploads ----------------------------------------------------------------------------------------------


def tiny_csv(name: str) -> bytes:
    return pd.DataFrame(TINY[name]).to_csv(index=False).encode("utf-8")


def test_upload_of_four_csv_files_validates(tmp_path):
    raw, problems = tables_from_uploads((name, tiny_csv(name)) for name in TINY)
    assert problems == []
    write_tables(tmp_path, {})  # a seeds folder for the stored document
    result = load_tables(raw, documents_in=tmp_path / "seeds")
    assert result.problems == () and len(result.dataset.relations) == 2


def test_upload_of_one_workbook_with_a_sheet_per_table():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name in TINY:
            pd.DataFrame(TINY[name]).to_excel(writer, sheet_name=name.removesuffix(".csv"), index=False)
    raw, problems = tables_from_uploads([("tables.xlsx", buffer.getvalue())])
    assert problems == [] and set(raw) == set(TINY)
    result = load_tables(raw)  # no seeds folder: the stored document cannot be checked, and it says so
    assert any("cannot be checked" in p.message for p in result.problems)


@pytest.mark.parametrize(("name", "data", "message", "code"), [
    ("actors.txt", b"id,name\n", "not a CSV or XLSX file", "file_type"),
    ("actors.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "larger than", "file_too_large"),
    ("people.csv", b"id,name\n", "unknown table name 'people'", "unknown_table"),
    ("actors.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook", "not_xlsx"),
    ("actors.xlsx", b"plain text", "not a readable XLSX workbook", "not_xlsx"),
])
def test_bad_uploads_get_a_clear_message_and_a_reason_code(name, data, message, code):
    """Words for people, a code for a program (as load problems have), never a blank one."""
    raw, problems = tables_from_uploads([(name, data)])
    assert raw == {} and len(problems) == 1
    assert problems[0].file == name and message in problems[0].message and problems[0].code == code


def test_uploaded_tables_that_are_not_utf8_or_lack_columns_are_reported():
    raw, _ = tables_from_uploads([("actors.csv", "id,name,kind\nx,T\xfcrkiye,state\n".encode("latin-1")),
                                  ("relations.csv", b"id,source\nr1,a\n")])
    problems = [str(p) for p in load_tables(raw).problems]
    assert any(p.startswith("actors.csv:2::") and "not UTF-8" in p for p in problems)
    assert "relations.csv:1:target: missing column" in problems
    assert "sources.csv:0:: file not found" in problems


def test_nothing_is_written_when_uploads_are_validated(tmp_path):
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "data").iterdir()}
    raw, _ = tables_from_uploads((name, tiny_csv(name)) for name in TINY)
    load_tables(raw, documents_in=tmp_path)
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "data").iterdir()} == before
    assert list(tmp_path.iterdir()) == []


# ---- writes -----------------------------------------------------------------------------------------------


def test_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "relations.csv"
    target.write_text("old content\n", encoding="utf-8")

    def crash(_descriptor):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk unplugged"):
        atomic_write(target, b"new content that never lands\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["relations.csv"]  # no temporary file left behind


def test_killed_writer_leaves_the_old_file_intact(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "big.csv"
    target.write_text("old\n", encoding="utf-8")
    script = (f"import os, sys; sys.path.insert(0, {str(ROOT)!r}); from explorer.tables import write; "
              "os.fsync = lambda fd: os.kill(os.getpid(), 9); "
              f"write.atomic_write({str(target)!r}, b'new' * 10_000_000)")
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert process.returncode == -9
    assert target.read_text(encoding="utf-8") == "old\n"


def test_round_trip_load_save_load_gives_equal_tables(tmp_path):
    first = load_dataset(ROOT / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    save_dataset(first.dataset, tmp_path / "data")
    second = load_dataset(tmp_path / "data")
    assert second.problems == ()
    for name, frame in table_frames(first.dataset).items():
        pd.testing.assert_frame_equal(frame, table_frames(second.dataset)[name])
    for name in ("actors.csv", "sources.csv", "relations.csv", "evidence.csv"):
        original = pd.read_csv(ROOT / "data" / name, dtype=str, keep_default_na=False)
        saved = pd.read_csv(tmp_path / "data" / name, dtype=str, keep_default_na=False)
        if name == "evidence.csv":
            original["stance"] = original["stance"].replace("", "supports")
        pd.testing.assert_frame_equal(original, saved)
