"""Graph engine on tiny graphs with hand-computed answers, property tests, and the axis on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from explorer.cli import main
from explorer.graph import (
    Filter,
    apply_filter,
    build_graph,
    build_index,
    filter_to_params,
    find_axis,
    find_paths,
    parse_filter,
    signed_ties,
    view_graph,
)
from explorer.graph.export import evidence_rows, view_document
from explorer.graph.filters import describe_filter
from explorer.graph.timeline import blocs_over_time, relations_per_month
from explorer.tables import load_dataset
from tests.conftest import ties

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled():
    index = build_index(load_dataset(ROOT / "data").dataset)
    return index, build_graph(index)


# ---- paths ------------------------------------------------------------------------------------------------


def test_enemy_of_my_enemy_path_is_aligned():
    graph_ties = ties(("a", "b", -1), ("b", "c", -1), ("a", "d", 1), ("d", "c", -1))
    paths = find_paths(graph_ties, "a", "c", max_length=2)
    assert [p.actors for p in paths] == [("a", "b", "c"), ("a", "d", "c")] or \
           [p.actors for p in paths] == [("a", "d", "c"), ("a", "b", "c")]
    signs = {p.actors: p.sign for p in paths}
    assert signs[("a", "b", "c")] == 1 and signs[("a", "d", "c")] == -1
    assert all(hop.relations for p in paths for hop in p.hops)


def test_paths_respect_max_length_and_missing_actors():
    chain = ties(("a", "b", 1), ("b", "c", 1), ("c", "d", 1))
    assert find_paths(chain, "a", "d", max_length=2) == []
    assert len(find_paths(chain, "a", "d", max_length=3)) == 1
    assert find_paths(chain, "a", "zz") == []


# ---- bundled data: graph, filters, axis ------------------------------------------------------------------


def test_graph_has_one_edge_per_relation_and_is_frozen(bundled):
    index, graph = bundled
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == index.relation_count
    assert graph.edges["taliban", "iran", "taliban-iran-hostility-2025-07"]["polarity"] == -1
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("a", "b")


def test_actor_names_resolve_without_case_or_accents(bundled):
    index, _ = bundled
    assert index.resolve_actor("Türkiye") == index.resolve_actor("turkey") == index.resolve_actor("TURKIYE") \
        == "turkiye"
    assert index.resolve_actor("Mullah Baradar") == "baradar"
    assert index.resolve_actor("Atlantis") is None


def test_ego_filter_with_hops(bundled):
    index, graph = bundled
    zero = apply_filter(index, Filter(actors=("baradar", "taliban"), hops=0))
    assert zero.relation_ids(index) == ["baradar-taliban-membership-2025-07"]
    one = apply_filter(index, Filter(actors=("baradar",), hops=1))
    assert set(one.actors) == {"baradar", "taliban", "azerbaijan"}
    two = apply_filter(index, Filter(actors=("baradar",), hops=2))
    assert {"iran", "israel", "pakistan"} <= set(two.actors)
    sub = view_graph(graph, index, one)
    assert sub.number_of_edges() == len(one.relations) and set(sub.nodes) == set(one.actors)
    own = build_graph(index, two)  # a view's own graph: the same nodes and edges as the view of the whole one
    whole = view_graph(graph, index, two)
    assert set(own.nodes) == set(whole.nodes) == set(two.actors)
    assert sorted(own.edges(keys=True, data=True)) == sorted(whole.edges(keys=True, data=True))


def test_as_of_follows_the_time_rule(bundled):
    index, _ = bundled
    day = apply_filter(index, Filter(as_of="2023-05-27")).relation_ids(index)
    assert "taliban-iran-armed_clash-2023-05-27" in day
    later = apply_filter(index, Filter(as_of="2023-06")).relation_ids(index)
    assert "taliban-iran-armed_clash-2023-05-27" in later  # an event counts for the look-back window
    short = apply_filter(index, Filter(as_of="2023-07", lookback=1)).relation_ids(index)
    assert "taliban-iran-armed_clash-2023-05-27" not in short  # ... and not after it
    assert "israel-azerbaijan-military-2021" in later  # a state goes on while `end` is empty
    month = apply_filter(index, Filter(as_of="2025-07")).relation_ids(index)
    assert "taliban-iran-hostility-2025-07" in month


def test_window_type_polarity_confidence(bundled):
    index, _ = bundled
    view = apply_filter(index, Filter(start="2025", end="2025", types=("armed_clash",), polarities=(-1,)))
    relations = index.dataset.relations.loc[view.relation_ids(index)]
    assert len(relations) >= 5 and set(relations["type"]) == {"armed_clash"}
    assert all(r.startswith("2025") for r in relations["start"])
    high = apply_filter(index, Filter(min_confidence="high"))
    assert set(index.dataset.relations.loc[high.relation_ids(index), "confidence"]) == {"high"}


def test_excluding_a_claimant_hides_what_only_it_claims(bundled):
    index, _ = bundled
    claim = "taliban-iran-hostility-2025-07"
    assert claim in apply_filter(index, Filter()).relation_ids(index)
    hidden = apply_filter(index, Filter(exclude_claimants=("iraf",)))
    assert claim not in hidden.relation_ids(index)
    assert "azerbaijan-israel-intelligence-2023-03-06" in hidden.relation_ids(index)  # Press TV still says it


def test_min_sources_and_single_perspective(bundled):
    index, _ = bundled
    two = apply_filter(index, Filter(min_sources=2)).relation_ids(index)
    assert "iran-sco-membership-2021-09" in two  # ilkha and Sputnik both report it
    assert "china-taliban-diplomatic-2024-01-30" not in two  # dpa relays the Taliban's claim; only EIR reports it
    assert "taliban-iran-armed_clash-2023-05-27" not in two  # RT's report disputes Mehr's: one supporting outlet
    assert "baradar-taliban-membership-2025-07" not in two
    plural = apply_filter(index, Filter(hide_single_perspective=True)).relation_ids(index)
    assert "taliban-iran-armed_clash-2023-05-27" not in plural  # supported by Iranian state media alone
    assert "azerbaijan-israel-intelligence-2023-03-06" in plural  # Iranian claims, but Iran is no party to it
    assert "saudi_arabia-pakistan-military-2025-09-17" in plural  # one Xinhua report: one source, not one side


def test_filter_round_trips_through_parameters(bundled):
    index, _ = bundled
    chosen = Filter(actors=("iran", "taliban"), hops=2, as_of="2025-07", types=("hostility",), polarities=(-1,),
                    min_confidence="medium", exclude_claimants=("iraf",), min_sources=2,
                    hide_single_perspective=True, lens="iraf", lookback=6, decay="exponential", organisations=True)
    parsed, notices = parse_filter(filter_to_params(chosen), index)
    assert parsed == chosen and notices == []
    assert filter_to_params(Filter()) == {}


@pytest.mark.parametrize(("params", "notice"), [
    ({"actor": ["Atlantis"]}, "unknown actor"),
    ({"hops": ["99"]}, "hops must be 0 to 3"),
    ({"hops": ["two"]}, "hops"),
    ({"as_of": ["2025-02-30"]}, "as_of"),
    ({"from": ["2025"], "to": ["2024"]}, "before"),
    ({"type": ["friendship"]}, "unknown type"),
    ({"min_confidence": ["certain"]}, "minimum confidence"),
    ({"min_sources": ["-4"]}, "minimum sources"),
])
def test_bad_parameters_become_notices_not_errors(bundled, params, notice):
    index, _ = bundled
    parsed, notices = parse_filter(params, index)
    assert any(notice in n for n in notices), notices
    apply_filter(index, parsed)  # whatever survived still runs


def test_axis_for_iran_surfaces_the_seed_axis_with_its_claimants(bundled):
    index, _ = bundled
    view = apply_filter(index, Filter())
    axis = find_axis(index, view, signed_ties(index, view), "iran")
    adversaries = {m.actor: m for m in axis.adversaries}
    assert {"taliban", "israel"} <= set(adversaries)
    assert "iraf" in adversaries["taliban"].claimants  # the seed's warning is IRAF's claim
    assert "taliban-iran-hostility-2025-07" in adversaries["taliban"].relations
    # As of the data's last day, Azerbaijan's ties to Iran in force are the dam and Bayramov's assurance: not an
    # adversary. Over the whole record (drills, the embassy attack) it stands beside Iran's adversaries,
    # partnering the Taliban and Israel, still not among them.
    assert "azerbaijan" not in adversaries
    view = apply_filter(index, Filter(lookback=240, decay="none"))
    axis = find_axis(index, view, signed_ties(index, view), "iran")
    ring = {m.actor: m for m in axis.second_ring}
    assert "azerbaijan" not in {m.actor for m in axis.adversaries}
    assert {"taliban", "israel"} <= set(ring["azerbaijan"].via)
    assert "azerbaijan-israel-intelligence-2023-03-06" in ring["azerbaijan"].relations
    assert {"press_tv", "iraf"} <= set(ring["azerbaijan"].claimants)
    assert axis.relations <= set(view.relation_ids(index))


def test_axis_without_iraf_drops_its_claim(bundled):
    index, _ = bundled
    view = apply_filter(index, Filter(exclude_claimants=("iraf",)))
    axis = find_axis(index, view, signed_ties(index, view), "iran")
    taliban = next(m for m in axis.adversaries if m.actor == "taliban")
    assert "iraf" not in taliban.claimants
    assert "taliban-iran-hostility-2025-07" not in taliban.relations


def test_timeline(bundled):
    index, _ = bundled
    view = apply_filter(index, Filter())
    months = relations_per_month(index, view)
    assert months["relations"].sum() == len(view.relations)
    assert set(months["polarity"]) == {"Cooperative", "Adversarial", "Mixed"}
    history = blocs_over_time(index, Filter(), ["2022", "2025-07"])
    assert [date for date, _ in history] == ["2022", "2025-07"]
    assert len({a for b in history[1][1].blocs for a in b}) > len({a for b in history[0][1].blocs for a in b})


# ---- CLI ---------------------------------------------------------------------------------------------------


def test_cli_axis_json_and_text(capsys):
    assert main(["axis", "Iran", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "taliban" in [m["actor"] for m in data["adversaries"]]
    assert main(["axis", "iran"]) == 0
    assert "adversary Taliban" in capsys.readouterr().out


def test_cli_path(capsys):
    assert main(["path", "Iran", "Azerbaijan", "--json"]) == 0
    paths = json.loads(capsys.readouterr().out)["paths"]
    assert paths and all(p["actors"][0] == "iran" and p["actors"][-1] == "azerbaijan" for p in paths)


@pytest.mark.parametrize("fmt", ["csv", "json", "graphml", "gexf"])
def test_cli_export(tmp_path, capsys, fmt):
    target = tmp_path / f"view.{fmt}"
    assert main(["export", "--format", fmt, "--actor", "Iran", "--hops", "1", "-o", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out
    index = build_index(load_dataset(ROOT / "data").dataset)
    view = apply_filter(index, Filter(actors=("iran",), hops=1))
    actors, relations = set(view.actors), set(view.relation_ids(index))
    assert len(actors) > 5 and len(relations) > 10
    if fmt in ("graphml", "gexf"):
        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(target)
        assert set(graph.nodes) == actors
        assert {data["id"] for *_, data in graph.edges(data=True)} == relations
    elif fmt == "json":
        document = json.loads(target.read_text(encoding="utf-8"))
        assert {r["id"] for r in document["relations"]} == relations
        assert {a["id"] for a in document["actors"]} == actors
        quotes = {r["id"]: {e["quote"] for e in r["evidence"]} for r in document["relations"]}
        assert all(quotes.values())
        assert quotes == evidence_rows(index, view).groupby("relation")["quote"].agg(set).to_dict()
        expected = view_document(index, view, describe_filter(view.filter, index))
        assert document == json.loads(json.dumps(expected, ensure_ascii=False))
    else:
        rows = pd.read_csv(target, dtype=str, keep_default_na=False)
        assert set(rows["relation"]) == relations
        assert set(rows["source_actor"]) | set(rows["target_actor"]) <= actors


@pytest.mark.parametrize("argv", [
    ["axis", "Atlantis"], ["path", "iran"], ["blocs", "--k", "0"], ["blocs", "--as-of", "2025-13"],
    ["export", "--format", "pdf", "-o", "x"], ["bench", "--sizes", "ten"], ["nonsense"],
])
def test_cli_bad_arguments_one_line_exit_2(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_bench_prints_a_row_of_measures(capsys):
    assert main(["bench", "--sizes", "200", "--views", "3"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    measures = dict(zip(header.split(" | "), row.split(" | "), strict=True))
    assert measures["relations"] == "200" and int(measures["actors"]) > 0 and int(measures["evidence"]) >= 200
    timings = {k: float(v) for k, v in measures.items() if k.endswith((" s", " ms", "MiB"))}
    assert len(timings) >= 8 and all(value >= 0 for value in timings.values())
    assert float(measures["load (cache) s"]) > 0 and float(measures["peak RSS MiB"]) > 0
    assert float(measures["first load (validate + cache) s"]) > 0 and float(measures["filter median ms"]) > 0


def test_table_panel_and_filter_count_independent_sources_alike(bundled):
    from explorer.graph import relation_detail, relations_table

    index, _ = bundled
    view = apply_filter(index, Filter())
    table = relations_table(index, view).set_index("id")
    for rid in view.relation_ids(index):
        detail = relation_detail(index, view, rid)
        assert table.loc[rid, "origins"] == detail.independent_origins
        assert table.loc[rid, "single_perspective"] == detail.single_perspective
    assert table.loc["taliban-iran-armed_clash-2023-05-27", "origins"] == 1  # RT's report disputes Mehr's
