"""Signed blocs: hand-computed graphs, brute force on small graphs, properties, the CLI verb."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.cli import main
from explorer.graph import Filter, apply_filter, build_index, find_blocs, signed_ties
from explorer.graph.blocs import balance_index, frustration
from explorer.tables import load_dataset
from tests.conftest import ties

ROOT = Path(__file__).resolve().parent.parent

# ---- signed analysis on hand-computed graphs -------------------------------------------------------------


def test_balanced_triangle_two_friends_one_enemy():
    triangle = ties(("a", "b", 1), ("a", "c", -1), ("b", "c", -1))
    result = find_blocs(triangle, k=2)
    assert sorted(map(sorted, result.blocs)) == [["a", "b"], ["c"]]
    assert result.frustration == 0 and result.optimal
    assert balance_index(triangle) == 1.0


def test_unbalanced_triangle_three_enemies_with_two_blocs():
    triangle = ties(("a", "b", -1), ("a", "c", -1), ("b", "c", -1))
    assert balance_index(triangle) == 0.0
    two = find_blocs(triangle, k=2)
    assert two.frustration == 1 and len(two.frustrated) == 1 and two.optimal
    three = find_blocs(triangle, k=3)
    assert three.frustration == 0 and len(three.blocs) == 3


def test_unbalanced_triangle_all_friends_but_one_enemy():
    triangle = ties(("a", "b", 1), ("b", "c", 1), ("a", "c", -1))
    result = find_blocs(triangle, max_blocs=3)
    assert result.frustration == 1  # one tie must break, whatever the partition
    assert balance_index(triangle) == 0.0


def test_known_partition_two_camps():
    camp_x, camp_y = ["x1", "x2", "x3"], ["y1", "y2", "y3"]
    links = [(a, b, 1) for a, b in itertools.combinations(camp_x, 2)]
    links += [(a, b, 1) for a, b in itertools.combinations(camp_y, 2)]
    links += [(a, b, -1) for a in camp_x for b in camp_y]
    result = find_blocs(ties(*links))
    assert sorted(map(sorted, result.blocs)) == [camp_x, camp_y]
    assert result.k == 2 and result.frustration == 0 and result.optimal


def test_weighted_frustration_picks_the_cheap_tie_to_break():
    triangle = ties(("a", "b", 5), ("b", "c", 5), ("a", "c", -1))
    result = find_blocs(triangle, max_blocs=3)
    assert result.frustration == 1
    assert [(t.a, t.b) for t in result.frustrated] == [("a", "c")]


def test_heuristic_reports_not_optimal_beyond_the_exact_limit():
    result = find_blocs(ties(("a", "b", 1), ("b", "c", -1)), exact_limit=1)
    assert result.method == "heuristic" and not result.optimal and result.frustration == 0


def test_unaligned_actors_are_listed_apart():
    result = find_blocs(ties(("a", "b", 1)), actors=("a", "b", "lonely"))
    assert result.unaligned == ("lonely",)


signed_graphs = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([-2.0, -1.0, 1.0, 3.0])),
    min_size=1, max_size=20,
).map(lambda edges: list({(min(a, b), max(a, b)): (f"n{min(a, b)}", f"n{max(a, b)}", w)
                           for a, b, w in edges if a != b}.values()))


@settings(max_examples=40, deadline=None)
@given(signed_graphs, st.integers(1, 3), st.randoms())
def test_reported_frustration_is_a_recount_and_never_worse_than_random(edges, k, rng):
    if not edges:
        return
    graph_ties = ties(*edges)
    result = find_blocs(graph_ties, k=k)
    bloc_of = {actor: number for number, bloc in enumerate(result.blocs) for actor in bloc}
    recount, frustrated = frustration(graph_ties, bloc_of)
    assert recount == pytest.approx(result.frustration)
    assert set(frustrated) == set(result.frustrated)
    assert result.optimal
    actors = sorted(bloc_of)
    for _ in range(20):
        random_partition = {a: rng.randrange(k) for a in actors}
        assert result.frustration <= frustration(graph_ties, random_partition)[0] + 1e-9


def test_exact_blocs_match_brute_force_on_small_graphs():
    rng = random.Random(7)
    for _ in range(10):
        nodes = [f"n{i}" for i in range(7)]
        edges = [(a, b, rng.choice([-1, 1])) for a, b in itertools.combinations(nodes, 2) if rng.random() < 0.6]
        if not edges:
            continue
        graph_ties = ties(*edges)
        tied = sorted({t.a for t in graph_ties} | {t.b for t in graph_ties})
        best = min(frustration(graph_ties, dict(zip(tied, labels, strict=True)))[0]
                   for labels in itertools.product(range(3), repeat=len(tied)))
        assert find_blocs(graph_ties, k=3).frustration == best


def test_cli_blocs_json(capsys):
    assert main(["blocs", "--json", "--actor", "Iran", "--hops", "1", "--k", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    index = build_index(load_dataset(ROOT / "data").dataset)
    view = apply_filter(index, Filter(actors=("iran",), hops=1))
    expected = find_blocs(signed_ties(index, view), view.actors, k=2)
    assert result == json.loads(json.dumps(expected.as_dict()))  # the CLI reports what the engine found
    assert result["k"] == 2 and "iran" in {a for bloc in result["blocs"] for a in bloc}
    assert result["optimal"] is (expected.method == "exact")  # optimal is claimed only when proven
