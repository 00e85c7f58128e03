"""Signed blocs: hand-computed graphs, brute force on small graphs, properties, the CLI verb."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.bench import planted_signed_ties, run_bloc_benchmark
from explorer.cli import main
from explorer.graph import Filter, apply_filter, build_index, find_blocs, signed_ties
from explorer.graph.blocs import frustration, proof_in_words, triangle_balance, weak_triangle_balance
from explorer.graph.signed import aligned_actors
from explorer.tables import load_dataset
from tests.conftest import ties

ROOT = Path(__file__).resolve().parent.parent

# ---- signed analysis on hand-computed graphs -------------------------------------------------------------


def test_balanced_triangle_two_friends_one_enemy():
    triangle = ties(("a", "b", 1), ("a", "c", -1), ("b", "c", -1))
    result = find_blocs(triangle, k=2)
    assert sorted(map(sorted, result.blocs)) == [["a", "b"], ["c"]]
    assert result.frustration == 0 and result.optimal and result.lower_bound == 0 and result.gap == 0
    assert triangle_balance(triangle) == 1.0 and weak_triangle_balance(triangle) == 1.0


def test_unbalanced_triangle_three_enemies_with_two_blocs():
    triangle = ties(("a", "b", -1), ("a", "c", -1), ("b", "c", -1))
    assert triangle_balance(triangle) == 0.0  # three mutual enemies: not two camps...
    assert weak_triangle_balance(triangle) == 1.0  # ...but three blocs (Davis 1967)
    two = find_blocs(triangle, k=2)
    assert two.frustration == 1 and len(two.frustrated) == 1 and two.optimal
    three = find_blocs(triangle, k=3)
    assert three.frustration == 0 and len(three.blocs) == 3


def test_unbalanced_triangle_all_friends_but_one_enemy():
    triangle = ties(("a", "b", 1), ("b", "c", 1), ("a", "c", -1))
    result = find_blocs(triangle, max_blocs=3)
    assert result.frustration == 1  # one tie must break, whatever the partition
    assert triangle_balance(triangle) == 0.0 and weak_triangle_balance(triangle) == 0.0


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
    assert result.lower_bound is None and result.gap is None


def test_k_counts_the_blocs_returned_and_requested_k_the_blocs_asked_for():
    camps = ties(("a", "b", 1), ("c", "d", 1), ("a", "c", -1), ("b", "d", -1))
    result = find_blocs(camps, k=4)
    assert result.k == 2 == len(result.blocs) and result.requested_k == 4 and result.optimal
    assert find_blocs(camps).requested_k is None
    data = result.as_dict()
    assert (data["k"], data["requested_k"], data["lower_bound"], data["gap"]) == (2, 4, 0.0, 0.0)
    assert data["balance_index"] == data["triangle_balance"]  # the old key stays for readers of v1


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
    expected = find_blocs(signed_ties(index, view), aligned_actors(index, view), k=2)
    assert result == json.loads(json.dumps(expected.as_dict()))  # the CLI reports what the engine found
    assert result["k"] == 2 and "iran" in {a for bloc in result["blocs"] for a in bloc}
    assert result["optimal"] is expected.optimal and result["requested_k"] == 2  # claimed only when proven


# ---- local search beyond the exact limit: never worse than its starts ------------------------------------


@st.composite
def sparse_signed_graphs(draw, low: int = 21, high: int = 60) -> list:
    """Connected-ish sparse signed graphs of 21-60 actors: a random spanning path plus random extra ties."""
    n = draw(st.integers(low, high))
    order = draw(st.permutations(range(n)))
    weights = st.sampled_from([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5])
    edges = {(min(a, b), max(a, b)): draw(weights) for a, b in itertools.pairwise(order)}
    for a, b, w in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), weights), max_size=2 * n)):
        if a != b:
            edges[(min(a, b), max(a, b))] = w
    return ties(*[(f"n{a:02d}", f"n{b:02d}", w) for (a, b), w in edges.items()])


@settings(max_examples=40, deadline=None)
@given(sparse_signed_graphs(), st.integers(2, 4), st.integers(0, 3))
def test_local_search_is_never_worse_than_one_bloc_or_its_best_with_one_bloc_fewer(graph_ties, k, seed):
    heuristic = {blocs: find_blocs(graph_ties, k=blocs, exact_limit=0, restarts=3, seed=seed) for blocs in (k - 1, k)}
    assert heuristic[k].method == "heuristic" and not heuristic[k].optimal
    one_bloc = frustration(graph_ties, dict.fromkeys({t.a for t in graph_ties} | {t.b for t in graph_ties}, 0))[0]
    assert heuristic[k].frustration <= one_bloc + 1e-9
    assert heuristic[k].frustration <= heuristic[k - 1].frustration + 1e-9
    assert len(heuristic[k].blocs) <= k


def test_the_reviewed_chain_no_longer_ends_worse_than_one_bloc():
    # the review's case: a 30-actor cooperative chain with one -0.5 tie; one bloc costs 0.5, the old search 2.5
    chain = ties(*[(f"n{i:02d}", f"n{i + 1:02d}", 1.0) for i in range(29)], ("n00", "n29", -0.5))
    for exact_limit in (0, 200):
        assert find_blocs(chain, k=2, exact_limit=exact_limit).frustration <= 0.5


# ---- exact solver: frustration never rises with k, planted optima proven, bounds when time runs out ---------


@settings(max_examples=25, deadline=None)
@given(sparse_signed_graphs(8, 30))
def test_frustration_never_rises_with_k(graph_ties):
    values = [find_blocs(graph_ties, k=k).frustration for k in (1, 2, 3, 4)]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(values))
    assert find_blocs(graph_ties, max_blocs=4).frustration == pytest.approx(values[-1])


def test_exact_solver_proves_a_planted_optimum_on_a_hundred_actors():
    planted, graph_ties = planted_signed_ties(100, 2, seed=3)
    result = find_blocs(graph_ties, k=2, time_limit=20)
    assert result.method == "exact" and result.optimal and result.gap == 0
    assert result.frustration <= frustration(graph_ties, planted)[0]  # at least as good as the planted blocs
    automatic = find_blocs(graph_ties, time_limit=20)
    assert automatic.optimal and automatic.frustration <= result.frustration


def test_a_time_limited_run_reports_its_best_partition_bound_and_gap():
    planted, graph_ties = planted_signed_ties(160, 3, seed=0, inside=None)  # the hard case: ties drawn uniformly
    result = find_blocs(graph_ties, k=3, time_limit=5.0)
    assert result.method == "exact" and not result.optimal
    assert result.lower_bound is not None and 0 < result.lower_bound < result.frustration
    assert result.gap == pytest.approx(result.frustration - result.lower_bound)
    bloc_of = {actor: number for number, bloc in enumerate(result.blocs) for actor in bloc}
    assert frustration(graph_ties, bloc_of)[0] == pytest.approx(result.frustration)  # a real partition
    assert result.lower_bound <= frustration(graph_ties, planted)[0]  # a valid bound: no partition beats it
    assert proof_in_words(result).startswith(f"within {result.gap:g} of optimal (bound {result.lower_bound:g})")
    text = json.loads(json.dumps(result.as_dict()))
    assert text["optimal"] is False and text["gap"] > 0


def test_every_real_view_of_the_bundled_data_is_proven_optimal():
    index = build_index(load_dataset(ROOT / "data").dataset)
    filters = [Filter()] + [Filter(as_of=f"{year}-12-31") for year in range(2017, 2026)]
    filters += [Filter(actors=(actor,), hops=hops) for actor in index.actor_ids for hops in (1, 2)]
    for chosen in filters:
        view = apply_filter(index, chosen)
        view_ties = signed_ties(index, view)
        for k in (None, 2, 3):
            result = find_blocs(view_ties, view.actors, k=k)
            proven = result.method == "exact" and result.optimal
            assert proven or (result.method == "empty" and not result.optimal), (chosen, k, result.gap)


def test_bloc_benchmark_prints_a_row_per_size_and_k_with_its_proof():
    lines: list[str] = []
    rows = run_bloc_benchmark([30], seeds=2, out=lines.append)
    assert [(r["actors"], r["k"], r["runs"]) for r in rows] == [(30, "2", 2), (30, "automatic", 2)]
    assert all(r["proven"] == r["runs"] and r["max_gap"] == 0 for r in rows)
    assert lines[1].startswith("30 | ") and lines[1].split(" | ")[8] == "2/2"
