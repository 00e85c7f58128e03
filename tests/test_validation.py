"""One small broken fixture per validation rule: each problem names its file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from explorer.tables import load_dataset
from tests.conftest import TINY, write_tables


def edited(table: str, index: int, **changes: str) -> list[dict[str, str]]:
    rows = [dict(r) for r in TINY[table]]
    rows[index].update(changes)
    return rows


def problems_of(data: Path) -> list[str]:
    return [str(p) for p in load_dataset(data).problems]


def test_tiny_fixture_is_clean(make_data):
    result = load_dataset(make_data())
    assert result.problems == ()
    assert list(result.dataset.relations.index) == ["r1", "r2"]
    assert len(result.dataset.evidence) == 3


@pytest.mark.parametrize(
    ("table", "index", "changes", "expected"),
    [
        ("actors.csv", 1, {"name": ""}, "actors.csv:3:name: empty value"),
        ("actors.csv", 1, {"id": "alpha"}, "actors.csv:3:id: duplicate id 'alpha' (first at row 2)"),
        ("actors.csv", 0, {"kind": "empire"}, "actors.csv:2:kind: unknown kind 'empire'"),
        ("actors.csv", 0, {"country": "Alphaland"}, "actors.csv:2:country: country must be an ISO"),
        ("actors.csv", 0, {"id": "has space"}, "actors.csv:2:id: id 'has space' must be a slug"),
        ("relations.csv", 0, {"type": "friendship"}, "relations.csv:2:type: unknown type 'friendship'"),
        ("relations.csv", 0, {"polarity": "2"}, "relations.csv:2:polarity: unknown polarity '2'"),
        ("relations.csv", 0, {"confidence": "sure"}, "relations.csv:2:confidence: unknown confidence"),
        ("relations.csv", 0, {"start": "2024-13"}, "relations.csv:2:start: malformed or impossible date '2024-13'"),
        ("relations.csv", 0, {"start": "2023-02-29"}, "relations.csv:2:start: malformed or impossible date"),
        ("relations.csv", 0, {"start": "May 2024"}, "relations.csv:2:start: malformed or impossible date"),
        ("relations.csv", 0, {"end": "2023"}, "relations.csv:2:end: end 2023 is before start 2024-05"),
        ("relations.csv", 0, {"target": "alpha"}, "relations.csv:2:target: self-loop"),
        ("relations.csv", 0, {"target": "nobody"}, "relations.csv:2:target: unknown or invalid actor 'nobody'"),
        ("relations.csv", 1, {"summary": ""}, "relations.csv:3:summary: empty value"),
        ("sources.csv", 1, {"url": "javascript:alert(1)"}, "sources.csv:3:url: URL must start with http"),
        ("sources.csv", 1, {"url": "ftp://example.net/x"}, "sources.csv:3:url: URL must start with http"),
        ("sources.csv", 0, {"document": "missing.txt"}, "sources.csv:2:document: document 'missing.txt' not found"),
        ("sources.csv", 0, {"document": "../data/actors.csv"}, "sources.csv:2:document: document '../data/actors.csv'"
                                                                " must be a path inside seeds/"),
        ("sources.csv", 0, {"published": "2024-02-30"}, "sources.csv:2:published: malformed or impossible date"),
        ("evidence.csv", 0, {"relation": "r9"}, "evidence.csv:2:relation: unknown or invalid relation 'r9'"),
        ("evidence.csv", 0, {"source": "s9"}, "evidence.csv:2:source: unknown or invalid source 's9'"),
        ("evidence.csv", 1, {"claimed_by": "delta"}, "evidence.csv:3:claimed_by: unknown or invalid actor 'delta'"),
        ("evidence.csv", 0, {"quote": "Alpha and Beta signed a treaty."},
         "evidence.csv:2:quote: quote not found verbatim in doc.txt"),
        ("evidence.csv", 2, {"quote": ""}, "evidence.csv:4:quote: empty value"),
    ],
)
def test_each_rule_names_file_row_and_column(make_data, table, index, changes, expected):
    data = make_data(**{table.replace(".", "_"): edited(table, index, **changes)})
    found = problems_of(data)
    assert any(p.startswith(expected) for p in found), found


def test_relation_without_evidence(make_data):
    data = make_data(evidence_csv=[r for r in TINY["evidence.csv"] if r["relation"] != "r1"])
    assert "relations.csv:2:id: relation has no evidence (add a row to evidence.csv)" in problems_of(data)
    assert "r1" not in load_dataset(data).dataset.relations.index


def test_missing_file_and_missing_column(make_data):
    data = make_data()
    (data / "sources.csv").unlink()
    rows = [{k: v for k, v in r.items() if k != "kind"} for r in TINY["actors.csv"]]
    write_tables(data.parent, {"actors.csv": rows})
    found = problems_of(data)
    assert "sources.csv:0:: file not found" in found
    assert "actors.csv:1:kind: missing column" in found


def test_not_utf8_names_the_line(make_data):
    data = make_data()
    (data / "actors.csv").write_bytes("id,name,kind,country,aliases,description\nx,T\xfcrkiye,state,,,\n"
                                      .encode("latin-1"))
    assert any(p.startswith("actors.csv:2::") and "not UTF-8" in p for p in problems_of(data))


def test_unparseable_csv_is_reported_not_raised(make_data):
    data = make_data()
    (data / "relations.csv").write_text('id,source\n"unterminated,alpha\n', encoding="utf-8")
    found = problems_of(data)
    assert any(p.startswith("relations.csv:") and "cannot be parsed" in p for p in found), found


def test_document_not_utf8(make_data):
    data = make_data()
    (data.parent / "seeds" / "doc.txt").write_bytes(b"\xff\xfe broken")
    assert any("sources.csv:2:document: document 'doc.txt' is not UTF-8" in p for p in problems_of(data))


def test_invalid_rows_are_dropped_valid_rows_kept(make_data):
    data = make_data(relations_csv=edited("relations.csv", 1, type="bogus"))
    dataset = load_dataset(data).dataset
    assert list(dataset.relations.index) == ["r1"]
    assert set(dataset.evidence["relation"]) == {"r1"}


def test_partial_date_bounds_keep_precision(make_data):
    relations = load_dataset(make_data()).dataset.relations
    assert relations.loc["r1", "start"] == "2024-05"
    assert relations.loc["r1", "end_hi"] > relations.loc["r1", "start_hi"]  # open end
    assert relations.loc["r1", "start_hi"] - relations.loc["r1", "start_lo"] == 30  # all of May


def test_cli_validate_prints_problems_and_exits_1(make_data, capsys):
    data = make_data(actors_csv=edited("actors.csv", 0, kind="empire"))
    assert main(["validate", "--data", str(data)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("actors.csv:2:kind: unknown kind 'empire'")
    # the bad actor takes both relations naming alpha with it, and they take every evidence row
    assert out[1:-1] == ["evidence.csv:2:relation: unknown or invalid relation 'r1'",
                         "evidence.csv:3:relation: unknown or invalid relation 'r2'",
                         "evidence.csv:4:relation: unknown or invalid relation 'r2'",
                         "relations.csv:2:source: unknown or invalid actor 'alpha'",
                         "relations.csv:3:target: unknown or invalid actor 'alpha'"]
    assert out[-1] == "6 problems; 2 actors, 0 relations, 2 sources, 0 evidence rows valid"


def test_cli_validate_clean_exits_0(make_data, capsys):
    assert main(["validate", "--data", str(make_data())]) == 0
    assert capsys.readouterr().out.startswith("0 problems;")


def test_cli_bad_arguments_exit_2_without_traceback(capsys):
    assert main(["validate", "--nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(("table", "index", "changes", "code"), [
    ("actors.csv", 1, {"name": ""}, "series_contains_nulls"),
    ("actors.csv", 1, {"id": "alpha"}, "series_contains_duplicates"),
    ("actors.csv", 0, {"kind": "empire"}, "isin"),
    ("actors.csv", 0, {"id": "has space"}, "str_matches"),
    ("sources.csv", 1, {"url": "javascript:alert(1)"}, "str_matches"),
    ("relations.csv", 0, {"start": "2024-13"}, "partial_date"),
    ("relations.csv", 0, {"end": "2023"}, "end_before_start"),
    ("relations.csv", 0, {"target": "alpha"}, "self_loop"),
    ("evidence.csv", 0, {"relation": "r9"}, "isin"),
    ("evidence.csv", 0, {"quote": "Alpha and Beta signed a treaty."}, "quote_not_verbatim"),
])
def test_each_problem_carries_a_reason_code(make_data, table, index, changes, code):
    """A program tells problems apart by code (pandera's names where one fits), not by parsing the message."""
    data = make_data(**{table.replace(".", "_"): edited(table, index, **changes)})
    problems = load_dataset(data).problems
    assert any(p.file == table and p.code == code for p in problems), [(str(p), p.code) for p in problems]
    assert all(p.code for p in problems)


def test_whole_file_problems_carry_codes(make_data):
    data = make_data()
    (data / "sources.csv").unlink()
    rows = [{k: v for k, v in r.items() if k != "kind"} for r in TINY["actors.csv"]]
    write_tables(data.parent, {"actors.csv": rows})
    codes = {(p.file, p.code) for p in load_dataset(data).problems}
    assert {("sources.csv", "file_not_found"), ("actors.csv", "column_not_in_dataframe")} <= codes


def test_each_tables_column_checks_are_a_pandera_schema_named_by_reason_code():
    """The checks are data a program can read: each column's pandera checks carry the reason codes problems use."""
    import numpy as np
    import pandas as pd
    from pandera.pandas import DataFrameSchema

    from explorer.tables.load import table_schema
    from explorer.tables.schema import RELATIONS

    known = {"actors": pd.Index(["a", "b"])}
    schema = table_schema(RELATIONS, known, {"start": np.zeros(2, bool), "end": np.zeros(2, bool)})
    assert isinstance(schema, DataFrameSchema) and list(schema.columns) == RELATIONS.column_names
    names = {column: [check.name for check in schema.columns[column].checks] for column in schema.columns}
    assert names["id"] == ["series_contains_nulls", "str_matches", "series_contains_duplicates"]
    assert names["source"] == ["series_contains_nulls", "isin"] and names["start"][-1] == "partial_date"
    assert names["weight"] == ["in_range"] and names["summary"] == ["series_contains_nulls"]


def test_weights_parse_as_pandas_would_with_empty_as_one():
    """Arrow parses what it can, pandas the rest (spaces around a number): the same numbers as `to_numeric`."""
    import numpy as np
    import pandas as pd

    from explorer.tables.load import weight_numbers

    for values in (["", "2", " 3", "x", "1e2", "0.5", "1000", "-1", "1,5"], ["", "1.5", "7", "+2", ".25"], [""], []):
        series = pd.Series(values, dtype="str")
        expected = pd.to_numeric(series.where(series != "", "1"), errors="coerce").to_numpy(dtype=float)
        np.testing.assert_array_equal(weight_numbers(series), expected)
