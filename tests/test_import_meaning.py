"""An imported signed network keeps its meaning: actors take sides unless the file says otherwise, states are
recognised by code, the import is one change in the history, dates before 1970 are real days, and an empty
analysis says why instead of calling itself optimal."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from explorer.cli import main
from explorer.graph import Filter, Tie, apply_filter, build_index, find_blocs, signed_ties
from explorer.graph.signed import aligned_actors, empty_reason
from explorer.graph.timeline import play_steps
from explorer.render.exports import export_bytes
from explorer.render.network import relations_window
from explorer.tables import load_dataset
from explorer.tables.changes import read_history, save_change, undo_of
from explorer.tables.countries import _table
from explorer.tables.imports import ImportSource, import_file
from tests.test_imports import workbook

ROOT = Path(__file__).resolve().parent.parent
ABOUT = ["--url", "https://example.org/network", "--outlet", "example.org"]


def planted(n: int, k: int, seed: int) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Actors 0..n-1 in k planted blocs, every pair tied: + inside, - across, each flipped with probability 0.05."""
    rng = np.random.default_rng(seed)
    bloc = [i * k // n for i in range(n)]
    ties = []
    for a, b in itertools.combinations(range(n), 2):
        sign = 1 if bloc[a] == bloc[b] else -1
        ties.append((a, b, -sign if rng.random() < 0.05 else sign))
    return bloc, ties


def edge_list(names: list[str], ties: list[tuple[int, int, int]]) -> str:
    return "source,target,sign\n" + "".join(f"{names[a]},{names[b]},{s:+d}\n" for a, b, s in ties)


def run(*argv: str) -> tuple[int, str]:
    buffer, saved = io.StringIO(), sys.stdout
    sys.stdout = buffer
    try:
        code = main(list(argv))
    finally:
        sys.stdout = saved
    return code, buffer.getvalue()


# ---- a 16-actor network with a planted 3-bloc structure ------------------------------------------------------


def test_planted_sixteen_actors_import_to_their_three_blocs(tmp_path):
    bloc, ties = planted(16, 3, seed=7)
    names = [f"a{i + 1}" for i in range(16)]
    flipped = sum(1 for a, b, s in ties if s != (1 if bloc[a] == bloc[b] else -1))
    assert flipped > 0  # the planted partition has frustration to find
    source = tmp_path / "planted.csv"
    source.write_text(edge_list(names, ties), encoding="utf-8")
    data = tmp_path / "out" / "data"
    code, out = run("import", str(source), "-o", str(data), "--published", "2024", *ABOUT)
    assert code == 0
    assert ("16 actors: 0 recognised as states, 16 of kind actor (they take sides); use --kind or a kind column "
            "to change") in out
    code, out = run("blocs", "--k", "3", "--unweighted", "--json", "--data", str(data))
    result = json.loads(out)
    assert result["status"] == "ok" and result["optimal"] is True and result["k"] == 3
    expected = sorted(sorted(names[i] for i in range(16) if bloc[i] == b) for b in range(3))
    assert sorted(sorted(b) for b in result["blocs"]) == expected
    assert result["frustration"] == flipped


# ---- 60, 100 and 160 states named by ISO-3 codes, in each import format ------------------------------------------

FORMATS = ("edgelist", "gexf", "graphml", "pajek", "kumu", "onodo")


def iso3_codes(n: int) -> list[str]:
    frame, _ = _table()
    return sorted(frame.loc[frame["obsolete"] == "", "ISO3"])[:n]


def as_file(fmt: str, names: list[str], ties: list[tuple[int, int, int]]) -> tuple[str, bytes]:
    """The same signed network written the way each tool writes it."""
    if fmt == "edgelist":
        return "states.csv", edge_list(names, ties).encode()
    if fmt == "pajek":
        lines = [f"*Vertices {len(names)}", *(f'{i + 1} "{n}"' for i, n in enumerate(names)), "*Edges",
                 *(f"{a + 1} {b + 1} {s}" for a, b, s in ties)]
        return "states.net", ("\n".join(lines) + "\n").encode()
    if fmt in ("gexf", "graphml"):
        graph = nx.Graph()
        graph.add_nodes_from((f"n{i}", {"label": n}) for i, n in enumerate(names))
        graph.add_edges_from((f"n{a}", f"n{b}", {"weight": float(s), "id": f"e{j}"})
                             for j, (a, b, s) in enumerate(ties))
        buffer = io.BytesIO()
        (nx.write_gexf if fmt == "gexf" else nx.write_graphml)(graph, buffer)
        return f"states.{fmt}", buffer.getvalue()
    if fmt == "kumu":
        return "states.xlsx", workbook({"Elements": [["Label"], *([n] for n in names)],
                                        "Connections": [["From", "To", "Sign"],
                                                        *([names[a], names[b], s] for a, b, s in ties)]})
    return "states.xlsx", workbook({"Nodes": [["Name"], *([n] for n in names)],
                                    "Relations": [["Source", "Target", "Sign"],
                                                  *([names[a], names[b], s] for a, b, s in ties)]})


@pytest.mark.parametrize(("fmt", "n"), [*((fmt, 60) for fmt in FORMATS), ("edgelist", 100), ("edgelist", 160)])
def test_state_snapshots_by_iso3_are_states_and_reach_the_exact_optimum(fmt, n):
    """Snapshots sized like the state system (the bench's planted graphs), signs only, two blocs asked."""
    from explorer.bench import planted_signed_ties

    names = iso3_codes(n)
    labels, planted_ties = planted_signed_ties(n, 3, seed=n, noise=0.05)
    code = {actor: i for i, actor in enumerate(labels)}
    ties = [(code[t.a], code[t.b], t.sign) for t in planted_ties]
    name, data = as_file(fmt, names, ties)
    imported = import_file(name, data, ImportSource("https://example.org/s", "example.org", "1990"), fmt)
    assert not imported.problems
    actors = imported.tables["actors.csv"]
    tied = {names[i] for a, b, _ in ties for i in (a, b)}  # an edge list cannot name an actor with no tie
    assert set(actors["kind"]) == {"state"} and tied <= set(actors["country"]) <= set(names)
    assert imported.decisions[0].startswith(f"{len(actors)} actors: {len(actors)} recognised as states, 0 of kind "
                                            "actor")
    from explorer.tables.imports import checked_tables

    result = checked_tables(imported.tables, imported.documents)
    assert not result.problems
    index = build_index(result.dataset)
    view = apply_filter(index, Filter())
    found = find_blocs(signed_ties(index, view), aligned_actors(index, view), k=2, weighted=False)
    direct = find_blocs([Tie(*sorted((names[a], names[b])), float(s), ()) for a, b, s in ties], names, k=2,
                        weighted=False)
    assert direct.optimal and found.optimal
    assert found.frustration == direct.frustration


# ---- dates before 1970 --------------------------------------------------------------------------------------------


def test_an_import_dated_1954_answers_as_of_its_last_day_and_plays_1954(tmp_path):
    source = tmp_path / "cold-war.csv"
    source.write_text("source,target,sign\nUSA,SUN,-1\nUSA,GBR,1\nSUN,POL,1\nGBR,POL,-1\n", encoding="utf-8")
    data = tmp_path / "out" / "data"
    code, out = run("import", str(source), "-o", str(data), "--published", "1954", *ABOUT)
    assert code == 0 and "4 actors: 4 recognised as states, 0 of kind actor" in out
    code, out = run("blocs", "--data", str(data))
    assert "As of 1954-12-31 (the last day the data mentions, by default)" in out
    assert "bloc 1: Poland, Soviet Union" in out or "bloc 1: United Kingdom, United States" in out
    index = build_index(load_dataset(data).dataset)
    steps = play_steps(relations_window(index, apply_filter(index, Filter())))
    assert [s.as_of for s in steps] == [f"1954-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("year", ["1816", "1914"])
def test_data_from_1816_and_1914_validates_draws_exports_and_comes_back(tmp_path, year):
    from explorer.render.network import network_data

    source = tmp_path / "alliances.csv"
    source.write_text(f"source,target,sign,date\nGBR,FRA,-1,{year}-06\nFRA,RUS,1,{year}\nGBR,RUS,-1,{year}-03-01\n",
                      encoding="utf-8")
    data = tmp_path / "out" / "data"
    assert run("import", str(source), "-o", str(data), *ABOUT)[0] == 0
    assert run("validate", "--data", str(data))[0] == 0
    index = build_index(load_dataset(data).dataset)
    view = apply_filter(index, Filter())
    drawn = network_data(index, view)
    assert drawn.window is not None and drawn.window[0] == (np.datetime64(f"{year}-01-01") - np.datetime64(
        "1970-01-01")).astype(int)
    for fmt in ("gexf", "graphml"):
        exported = export_bytes(index, view, fmt)
        assert f"{year}-" in exported.decode()
        again = import_file(f"back.{fmt}", exported, ImportSource("https://example.org/b", "example.org"), fmt)
        assert not again.problems
        assert sorted(again.tables["relations.csv"]["start"]) == sorted(index.dataset.relations["start"])
        assert set(again.tables["actors.csv"]["kind"]) == {"state"}


# ---- empty analyses --------------------------------------------------------------------------------------------


def test_an_import_of_venues_says_why_blocs_axis_and_path_are_empty(tmp_path):
    source = tmp_path / "venues.csv"
    source.write_text("source,target,sign\nv1,v2,-1\nv2,v3,1\n", encoding="utf-8")
    data = tmp_path / "out" / "data"
    code, out = run("import", str(source), "-o", str(data), "--published", "2020", "--kind", "other", *ABOUT)
    assert code == 0 and "3 by --kind" in out
    sentence = ("no ties between actors that take sides: 3 actors, 3 are venues (kind other); set their kind "
                "(import --kind or a kind column)")
    for verb in (["blocs", "--k", "3"], ["axis", "v1"], ["path", "v1", "v3"]):
        code, out = run(*verb, "--data", str(data))
        assert code == 0 and sentence in out
        code, out = run(*verb, "--data", str(data), "--json")
        answer = json.loads(out)
        assert answer["status"] == "empty" and answer["reason"] == sentence
        assert answer["actors_by_role"] == {"venue": {"other": 3}}
        assert answer.get("optimal") is not True


def test_the_app_shows_the_empty_sentence_in_place_of_blocs(tmp_path, monkeypatch):
    source = tmp_path / "venues.csv"
    source.write_text("source,target,sign\nv1,v2,-1\nv2,v3,1\n", encoding="utf-8")
    data = tmp_path / "out" / "data"
    assert run("import", str(source), "-o", str(data), "--published", "2020", "--kind", "organisation", *ABOUT)[0] == 0
    index = build_index(load_dataset(data).dataset)
    assert empty_reason(index, apply_filter(index, Filter(organisations=True))) is None
    monkeypatch.setenv("EXPLORER_DATA", str(data))
    from tests.test_app import run_app

    for view in ("Blocs", "Axes", "Paths"):
        app = run_app(view=view)
        assert not app.exception
        if view == "Paths":
            continue  # asks for two actors first
        warnings = [w.value.replace("\\", "") for w in app.warning]  # markdown escapes removed
        assert any("No ties between actors that take sides: 3 actors, 3 are venues (kind organisation)" in w
                   and "--organisations 1" in w for w in warnings), warnings
        assert not any("Frustration" in m.value for m in app.markdown)


# ---- one write path --------------------------------------------------------------------------------------------


def test_an_import_is_a_change_in_the_history_that_undo_takes_back(tmp_path):
    data = tmp_path / "out" / "data"
    base = tmp_path / "base.csv"
    base.write_text("source,target,sign\nb1,b2,1\n", encoding="utf-8")
    assert run("import", str(base), "-o", str(data), "--published", "2020", *ABOUT)[0] == 0
    before = {name: (data / name).read_bytes() for name in ("actors.csv", "relations.csv", "evidence.csv")}
    more = tmp_path / "more.csv"
    more.write_text("source,target,sign\nm1,b1,-1\n", encoding="utf-8")
    assert run("import", str(more), "-o", str(data), "--published", "2021", *ABOUT)[0] == 0
    for name, old in before.items():
        assert (data / name).read_bytes().startswith(old)  # untouched rows byte for byte, new ones appended
    entry = read_history(data)[-1]
    assert entry.summary == "Import of more.csv (edgelist, add)" and entry.document == "import-more.csv"
    assert run("undo", entry.id, "--data", str(data))[0] == 0
    assert {name: (data / name).read_bytes() for name in before} == before


CONCURRENT_TRIALS = 10
# Each side imports its file into trial 0..9 in turn; before each trial it waits at a barrier (files), so both
# imports of a trial start at the same moment, in two processes, without paying for a process start per trial.
SIDE = """
import sys, time
from pathlib import Path
from explorer.cli import main
root, side, trials = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for trial in range(trials):
    (root / f"ready-{trial}-{side}").touch()
    while not (root / f"go-{trial}").exists():
        time.sleep(0.001)
    code = main(["import", str(root / f"{side}.csv"), "-o", str(root / f"trial{trial}" / "data"),
                 "--published", "2021", "--url", "https://example.org/n", "--outlet", "example.org"])
    (root / f"done-{trial}-{side}").write_text(str(code))
"""


def test_two_imports_at_once_both_land_and_undo_leaves_exactly_the_other(tmp_path):
    import time

    base = tmp_path / "base.csv"
    base.write_text("source,target,sign\nb1,b2,1\n", encoding="utf-8")
    for side in ("left", "right"):
        (tmp_path / f"{side}.csv").write_text(f"source,target,sign\n{side}1,{side}2,-1\n{side}2,b1,1\n",
                                              encoding="utf-8")
    for trial in range(CONCURRENT_TRIALS):
        data = tmp_path / f"trial{trial}" / "data"
        assert run("import", str(base), "-o", str(data), "--published", "2020", *ABOUT)[0] == 0
    processes = [subprocess.Popen([sys.executable, "-c", SIDE, str(tmp_path), side, str(CONCURRENT_TRIALS)],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for side in ("left", "right")]
    try:
        for trial in range(CONCURRENT_TRIALS):
            deadline = time.monotonic() + 120
            while not all((tmp_path / f"ready-{trial}-{s}").exists() for s in ("left", "right")):
                assert time.monotonic() < deadline and all(p.poll() is None for p in processes), "a side died"
                time.sleep(0.001)
            (tmp_path / f"go-{trial}").touch()
        outcomes = [p.communicate(timeout=300) for p in processes]
    finally:
        for process in processes:
            process.kill()
    assert [p.returncode for p in processes] == [0, 0], outcomes
    for trial in range(CONCURRENT_TRIALS):
        data = tmp_path / f"trial{trial}" / "data"
        assert [(tmp_path / f"done-{trial}-{s}").read_text() for s in ("left", "right")] == ["0", "0"], trial
        loaded = load_dataset(data)
        assert not loaded.problems
        assert sorted(loaded.dataset.relations["id"]) == ["base-1", "left-1", "left-2", "right-1", "right-2"]
        entries = {e.summary: e for e in read_history(data)}
        assert {"Import of left.csv (edgelist, add)", "Import of right.csv (edgelist, add)"} <= set(entries)
        save_change(data, undo_of(entries["Import of left.csv (edgelist, add)"]), "test")
        after = load_dataset(data)
        assert not after.problems
        assert sorted(after.dataset.relations["id"]) == ["base-1", "right-1", "right-2"]
        assert sorted(after.dataset.actors["id"]) == ["b1", "b2", "right1", "right2"]


def test_the_app_upload_says_what_the_import_inferred():
    from tests.test_app import captions, run_app

    app = run_app(view="Data")
    app.radio(key="upload_mode").set_value("replace").run()
    ties = b"source,target,sign,date\nIRN,Taliban,-1,2025-08\nUSA,IRN,-1,2024\n"
    app.get("file_uploader")[1].set_value(("ties.csv", ties, "text/csv")).run()
    app.text_input(key="import_url").set_value("https://example.org/ties").run()
    app.text_input(key="import_outlet").set_value("example.org").run()
    assert not app.exception and not app.error
    assert ("3 actors: 2 recognised as states, 1 of kind actor (they take sides); give the file a kind column to "
            "change") in captions(app).replace("\\", "")


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_export_then_import_keeps_kinds_relations_polarities_blocs_and_frustration(tmp_path, fmt):
    index = build_index(load_dataset(None).dataset)
    chosen = Filter(as_of="2025-06-30")
    view = apply_filter(index, chosen)
    file = tmp_path / f"view.{fmt}"
    file.write_bytes(export_bytes(index, view, fmt))
    data = tmp_path / "out" / "data"
    assert run("import", str(file), "-o", str(data), *ABOUT)[0] == 0
    again = build_index(load_dataset(data).dataset)
    actors, back = index.dataset.actors.loc[list(view.actors)], again.dataset.actors
    assert dict(zip(back["id"], back["kind"], strict=True)) == dict(zip(actors.index, actors["kind"], strict=True))
    relations = index.dataset.relations.loc[list(index.relation_ids[view.relations])]
    assert sorted(zip(again.dataset.relations["source"], again.dataset.relations["target"],
                      again.dataset.relations["polarity"], strict=True)) == sorted(
        zip(relations["source"], relations["target"], relations["polarity"], strict=True))
    first = find_blocs(signed_ties(index, view), aligned_actors(index, view), k=3, weighted=False)
    other = apply_filter(again, chosen)
    second = find_blocs(signed_ties(again, other), aligned_actors(again, other), k=3, weighted=False)
    assert first.optimal and second.optimal and first.frustration == second.frustration
    assert sorted(map(sorted, first.blocs)) == sorted(map(sorted, second.blocs))


def test_the_app_shows_1816_data_in_every_view(tmp_path, monkeypatch):
    source = tmp_path / "concert.csv"
    source.write_text("source,target,sign,date\nGBR,FRA,-1,1816-06\nFRA,RUS,1,1816\nGBR,RUS,-1,1817-03-01\n"
                      "AUT,RUS,1,1816-02\n", encoding="utf-8")
    data = tmp_path / "out" / "data"
    assert run("import", str(source), "-o", str(data), *ABOUT)[0] == 0
    monkeypatch.setenv("EXPLORER_DATA", str(data))
    from tests.test_app import captions, run_app

    for view in ("Explore", "Blocs", "Timeline", "Axes"):
        app = run_app(view=view)
        assert not app.exception and not app.error, view
        if view in ("Blocs", "Axes"):
            assert "As of 1817-03-01 (the last day the data mentions, by default)" in captions(app).replace("\\", "")
    assert app.sidebar.select_slider[0].options[0] == "1816-01"


def test_a_signed_weight_keeps_its_size_as_the_weight_and_its_sign_as_the_polarity(tmp_path):
    source = tmp_path / "goldstein.csv"
    source.write_text("source,target,sign\nw1,w2,-3\nw2,w3,+2\nw1,w3,1\n", encoding="utf-8")
    data = tmp_path / "out" / "data"
    code, out = run("import", str(source), "-o", str(data), "--published", "2020", *ABOUT)
    assert code == 0
    assert ("2 ties with a signed weight other than ±1: the sign is the polarity, the size (up to 3) is the "
            "weight") in out
    index = build_index(load_dataset(data).dataset)
    relations = index.dataset.relations
    assert list(relations["polarity"]) == [-1, 1, 1] and list(relations["weight"]) == ["3", "2", ""]
    ties = {(t.a, t.b): t.weight for t in signed_ties(index, apply_filter(index, Filter()))}
    assert ties == {("w1", "w2"): -1.5, ("w2", "w3"): 1.0, ("w1", "w3"): 0.5}  # sign x size x 0.5 (confidence low)
