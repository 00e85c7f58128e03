"""Imports people have: each format, from a small fixture written here, into four tables that validate, with
evidence quoting the file verbatim; add vs replace; the CLI verb."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from explorer.cli import main
from explorer.graph import Filter, apply_filter, build_index
from explorer.render.exports import export_bytes
from explorer.tables import load_dataset
from explorer.tables.imports import (
    ImportSource,
    UnreadableFile,
    checked_tables,
    combined_tables,
    import_file,
)
from explorer.tables.write import table_frames

ABOUT = ImportSource("https://example.org/network", "example.org", "2024-06", "A signed network")

EDGE_LIST = "source,target,sign,date\nAlpha,Beta,+1,2024-05\nBeta,Gamma,-1,\nGamma,Alpha,-,2023\n"
PAJEK = """*Network signed
*Vertices 3
1 "Alpha Land" 0.1 0.2 0.5
2 "Beta"
3 "Gamma"
*Arcs
1 2 1
2 3 -1
*Edges
1 3 -1
"""
GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="directed">
    <node id="n0"><data key="label">Alpha</data></node>
    <node id="n1"><data key="label">Beta &amp; Co</data></node>
    <node id="n2"><data key="label">Gamma</data></node>
    <edge id="e0" source="n0" target="n1"><data key="weight">2.5</data></edge>
    <edge id="e1" source="n1" target="n2"><data key="weight">-1</data></edge>
  </graph>
</graphml>
"""
GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">
    <nodes>
      <node id="0" label="Alpha"/>
      <node id="1" label="Beta"/>
    </nodes>
    <edges>
      <edge id="0" source="0" target="1" weight="-1" start="2022-03-01" end="2022-09-30"/>
    </edges>
  </graph>
</gexf>
"""


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


KUMU = workbook({
    "Elements": [["Label", "Type", "Description"], ["Alpha", "State", "A state"], ["Beta", "Organisation", ""],
                 ["Gamma", "Person", ""]],
    "Connections": [["From", "To", "Type", "Sign", "Start"], ["Alpha", "Beta", "membership", 1, "2021"],
                    ["Beta", "Gamma", "", -1, None]],
})
ONODO = workbook({
    "Nodes": [["Name", "Type", "Description", "Visible"], ["Alpha", "state", "", None], ["Beta", "", "", None]],
    "Relations": [["Source", "Type", "Target", "Directed", "At", "From", "To", "Sign"],
                  ["Alpha", "sanction", "Beta", 1, None, "2020-01", "2021-06", -1]],
})

FIXTURES = {
    "ties.csv": (EDGE_LIST.encode(), "edgelist", 3),
    "signed.net": (PAJEK.encode(), "pajek", 3),
    "network.graphml": (GRAPHML.encode(), "graphml", 2),
    "network.gexf": (GEXF.encode(), "gexf", 1),
    "kumu.xlsx": (KUMU, "kumu", 2),
    "onodo.xlsx": (ONODO, "onodo", 1),
}


@pytest.mark.parametrize("name", list(FIXTURES))
def test_each_format_becomes_tables_that_validate(name):
    data, fmt, count = FIXTURES[name]
    imported = import_file(name, data, ABOUT)
    assert imported.format == fmt and not imported.problems
    result = checked_tables(imported.tables, imported.documents)
    assert not result.problems, result.problems
    dataset = result.dataset
    assert len(dataset.relations) == count
    assert len(dataset.evidence) == count  # one evidence row per relation
    document = next(iter(imported.documents))
    text = imported.documents[document].decode("utf-8")
    source = dataset.sources.iloc[0]
    assert source["document"] == document and source["url"] == ABOUT.url
    for record in dataset.evidence.itertuples():
        assert record.quote in text  # the literal line or element: checkable against the stored file
    for relation in dataset.relations.itertuples():
        assert any(word in relation.summary for word in ("line", "edge", "row"))  # says where it came from


def test_signs_dates_and_types_are_read_from_each_format():
    def relations(name):
        data, _, _ = FIXTURES[name]
        imported = import_file(name, data, ABOUT)
        return imported.tables["relations.csv"].set_index("id")

    ties = relations("ties.csv")
    assert list(ties["polarity"]) == ["1", "-1", "-1"]
    assert list(ties["start"]) == ["2024-05", "2024-06", "2023"]  # undated: the file's own date
    assert set(ties["type"]) == {"signed_tie"}
    pajek = relations("signed.net")
    assert list(pajek["polarity"]) == ["1", "-1", "-1"] and "undirected" in pajek["summary"].iloc[2]
    assert "Alpha Land" in set(import_file("signed.net", PAJEK.encode(), ABOUT).tables["actors.csv"]["name"])
    graphml = relations("network.graphml")
    assert list(graphml["polarity"]) == ["1", "-1"]
    gexf = relations("network.gexf")
    assert (gexf["start"].iloc[0], gexf["end"].iloc[0], gexf["polarity"].iloc[0]) == ("2022-03-01", "2022-09-30",
                                                                                       "-1")
    kumu = relations("kumu.xlsx")
    assert list(kumu["type"]) == ["membership", "signed_tie"] and list(kumu["start"]) == ["2021", "2024-06"]
    kumu_actors = import_file("kumu.xlsx", KUMU, ABOUT).tables["actors.csv"].set_index("name")
    assert kumu_actors.loc["Beta", "kind"] == "organisation" and kumu_actors.loc["Alpha", "description"] == "A state"
    onodo = relations("onodo.xlsx")
    assert (onodo["type"].iloc[0], onodo["start"].iloc[0], onodo["end"].iloc[0]) == ("sanction", "2020-01", "2021-06")


def test_our_own_gexf_and_graphml_come_back_with_types_signs_and_partial_dates(make_data):
    index = build_index(load_dataset(make_data()).dataset)
    view = apply_filter(index, Filter())
    for fmt in ("gexf", "graphml"):
        imported = import_file(f"view.{fmt}", export_bytes(index, view, fmt), ABOUT)
        result = checked_tables(imported.tables, imported.documents)
        assert not result.problems
        relations = result.dataset.relations
        assert sorted(zip(relations["type"], relations["polarity"].astype(int), relations["start"],
                          relations["end"], strict=True)) == [("alliance", 1, "2024-05", ""),
                                                              ("rhetoric", -1, "2024-06-01", "2024-06-01")]
        assert set(result.dataset.actors["name"]) == {"Alpha", "Beta", "Gamma"}


def test_undated_ties_without_a_file_date_are_problems_not_guesses():
    imported = import_file("ties.csv", EDGE_LIST.encode(), ImportSource("https://example.org/n", "example.org"))
    assert [(p.row, p.code) for p in imported.problems] == [(2, "undated")]  # the second tie has no date
    assert "no date" in imported.problems[0].message
    assert len(imported.tables["relations.csv"]) == 2


def test_broken_files_say_what_is_wrong():
    with pytest.raises(UnreadableFile, match="GEXF"):
        import_file("broken.gexf", b"<gexf><graph>", ABOUT)
    with pytest.raises(UnreadableFile, match="Elements and Connections"):
        import_file("other.xlsx", workbook({"Sheet": [["a"]]}), ABOUT)
    with pytest.raises(UnreadableFile, match="unknown file type"):
        import_file("network.dot", b"digraph {}", ABOUT)
    bad = import_file("ties.csv", b"source,target,sign\nA,B,maybe\nA,C,1\n", ABOUT)
    assert [(p.row, p.column, p.code) for p in bad.problems] == [(2, "sign", "not_a_tie")]


def test_add_joins_known_actors_and_refuses_clashing_ids(make_data):
    dataset = load_dataset(make_data()).dataset
    current = table_frames(dataset)
    imported = import_file("ties.csv", EDGE_LIST.encode(), ABOUT)
    merged, problems = combined_tables(current, imported, "add")
    assert not problems
    result = checked_tables(merged, {**dataset.documents, **imported.documents})
    assert not result.problems, result.problems
    assert len(result.dataset.actors) == 3  # Alpha, Beta, Gamma are the actors already there, matched by name
    assert len(result.dataset.relations) == 2 + 3
    _, problems = combined_tables(table_frames(result.dataset), imported, "add")
    assert any("already in the data" in p.message and p.code == "series_contains_duplicates" for p in problems)
    replaced, problems = combined_tables(current, imported, "replace")
    assert not problems and len(replaced["relations.csv"]) == 3


def test_add_reports_an_actor_id_taken_by_another_actor(make_data):
    current = table_frames(load_dataset(make_data()).dataset)
    imported = import_file("ties.csv", b"source,target,sign,date\nalpha,Delta,1,2024\n", ABOUT)
    actors = imported.tables["actors.csv"]
    actors.loc[actors["id"] == "alpha", "name"] = "Not the same Alpha"
    _, problems = combined_tables(current, imported, "add")
    assert any("already another actor's id" in p.message for p in problems)


def test_cli_import_adds_then_replaces(tmp_path, capsys):
    source = tmp_path / "signed.net"
    source.write_text(PAJEK, encoding="utf-8")
    about = ["--url", ABOUT.url, "--outlet", ABOUT.outlet, "--published", "2024"]
    output = tmp_path / "out" / "data"
    assert main(["import", str(source), "-o", str(output), "--mode", "replace", *about]) == 0
    assert "imported 3 relations" in capsys.readouterr().out
    assert (tmp_path / "out" / "seeds" / "import-signed.net").read_text(encoding="utf-8") == PAJEK
    assert main(["validate", "--data", str(output)]) == 0
    edges = tmp_path / "ties.csv"
    edges.write_text(EDGE_LIST, encoding="utf-8")
    assert main(["import", str(edges), "-o", str(output), "--mode", "add", *about]) == 0
    capsys.readouterr()
    assert main(["validate", "--data", str(output)]) == 0
    assert "6 relations" in capsys.readouterr().out  # 3 from Pajek + 3 from the edge list
    assert main(["import", str(edges), "-o", str(output), "--mode", "add", *about]) == 1  # ids clash: nothing written
    assert "already in the data" in capsys.readouterr().err


def test_cli_import_needs_to_know_where_the_file_comes_from(tmp_path, capsys):
    source = tmp_path / "ties.csv"
    source.write_text(EDGE_LIST, encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "data")]) == 2
    assert "--url" in capsys.readouterr().err


# ---- in the app (AppTest) ----------------------------------------------------------------------------------------


def test_app_imports_an_edge_list_added_to_the_bundled_data():
    from tests.test_app import captions, run_app

    app = run_app(view="Data")
    app.radio(key="upload_mode").set_value("add").run()
    ties = b"source,target,sign,date\nIran,Taliban,-1,2025-08\nAlpha State,Iran,+1,2024\n"
    app.get("file_uploader")[1].set_value(("ties.csv", ties, "text/csv")).run()
    assert any("Say where the file comes from" in i.value for i in app.info)
    app.text_input(key="import_url").set_value("https://example.org/ties").run()
    app.text_input(key="import_outlet").set_value("example.org").run()
    assert not app.exception and not app.error
    bundled = load_dataset(None).dataset
    expected = f"valid after adding: {len(bundled.actors) + 1} actors, {len(bundled.relations) + 2} relations"
    assert any(expected in m.value for m in app.markdown)
    app.button(key="use_import").click().run()
    assert not app.exception
    assert "ties\\.csv" in captions(app) and f"{len(bundled.relations) + 2} relations" in captions(app)


def test_app_adds_uploaded_tables_to_the_current_data_and_reports_clashes():
    import pandas as pd

    from tests.test_app import run_app

    app = run_app(view="Data")
    app.radio(key="upload_mode").set_value("add").run()
    bundled = load_dataset(None).dataset
    clash = pd.DataFrame([{"id": "iran", "name": "Another Iran", "kind": "state", "country": "IRN", "aliases": "",
                           "description": ""},
                          {"id": "newcomer", "name": "Newcomer", "kind": "state", "country": "", "aliases": "",
                           "description": ""}]).to_csv(index=False).encode("utf-8")
    app.get("file_uploader")[0].set_value([("actors.csv", clash, "text/csv")]).run()
    assert not app.exception
    assert any("problems" in e.value for e in app.error)
    assert "iran" in " ".join(app.dataframe[-1].value["message"])  # the duplicate id, with its row
    assert any(f"Valid: {len(bundled.actors)} actors" in m.value or f"Valid: {len(bundled.actors) + 1} actors"
               in m.value for m in app.markdown)
