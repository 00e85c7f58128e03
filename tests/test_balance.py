"""Balance around a target: planted triangles (balanced, unbalanced, turning unbalanced at a known month), the
neighbourhood's measures, the realignment watch, and verdicts by weight with a neutral item beside them."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.graph import Filter, apply_filter, build_index, find_axis, signed_ties
from explorer.graph.balance import (
    balance_through_time,
    cross_pressured,
    history_for,
    neighbourhood_balance,
    tie_map,
    unbalanced_triangles,
)
from explorer.graph.signed import Tie
from explorer.tables import load_dataset
from tests.test_analysis import build, evidence, relation

PLANTED = [
    relation("t-a", "t", "a", "diplomatic", 1, "2023-01"),  # the target's partner ...
    relation("t-b", "t", "b", "diplomatic", 1, "2023-01"),
    relation("a-b", "a", "b", "economic", 1, "2023-01"),  # ... (t, a, b): three cooperative ties, balanced
    relation("t-x", "x", "t", "sanction", -1, "2023-06"),  # the target's adversary
    relation("a-x", "a", "x", "military", 1, "2024-03"),  # a turns to x in March 2024: (t, a, x) unbalanced
]


def planted(tmp_path: Path):
    index = build(tmp_path, PLANTED, [evidence(r["id"]) for r in PLANTED])
    view = apply_filter(index, Filter(as_of="2024-08"))
    ties = signed_ties(index, view)
    return index, view, ties, history_for(index, view.filter, len(view.relations), ties)


def test_the_partner_of_an_adversary_is_cross_pressured_since_the_month_it_turned(tmp_path):
    index, view, ties, history = planted(tmp_path)
    axis = find_axis(index, view, ties, "t", history)
    assert [c.actor for c in axis.cross_pressured] == ["a"]  # b cooperates with t and a only: balanced, not listed
    triangle, = axis.cross_pressured[0].triangles
    assert triangle.actors == ("t", "a", "x") and triangle.weights == (1.0, 1.0, -1.0)
    assert triangle.relations == (("t-a",), ("a-x",), ("t-x",))
    assert triangle.since == "2024-03" and not triangle.since_at_least  # a-x holds from the end of March 2024
    assert triangle.trend[0][0] == "2023-08" and triangle.trend[-1] == ("2024-08", (1.0, 1.0, -1.0))
    assert dict(triangle.trend)["2024-02"] == (1.0, 0.0, -1.0)  # a month before: no a-x tie yet
    assert axis.adversaries[0].courts == ("a",)  # the same triangle, seen from the adversary
    document = axis.as_dict()
    assert document["cross_pressured"][0]["role"] == "cross-pressured"
    assert document["cross_pressured"][0]["triangles"][0]["unbalanced_since"] == "2024-03"
    earlier = apply_filter(index, Filter(as_of="2024-02"))
    assert find_axis(index, earlier, signed_ties(index, earlier), "t").cross_pressured == ()


def test_balanced_triangles_make_no_cross_pressure():
    ties = [Tie("a", "t", 1, ()), Tie("b", "t", 1, ()), Tie("a", "b", 2, ()),  # all cooperative
            Tie("c", "t", 1, ()), Tie("c", "x", -1, ()), Tie("t", "x", -1, ())]  # partner hostile to an adversary
    assert cross_pressured(ties, "t") == ()
    assert unbalanced_triangles(ties) == ()


def test_neighbourhood_balance_in_the_literatures_measures(tmp_path):
    _, _, ties, history = planted(tmp_path)
    now = neighbourhood_balance(tie_map(ties), "t", "2024-08")
    assert (now.actors, now.ties, now.triangles, now.balanced, now.unbalanced) == (4, 5, 2, 1, 1)
    assert now.balanced_weight_share == 0.5 and now.frustration_index == 1 and now.optimal
    assert 0 < now.walk_balance < 1
    enemies = {("t", "x"): Tie("t", "x", -1, ()), ("t", "y"): Tie("t", "y", -1, ()), ("x", "y"): Tie("x", "y", -2, ())}
    three = neighbourhood_balance(enemies, "t", "2024-08")  # three mutual adversaries: no two camps fit them
    assert (three.unbalanced, three.three_adversaries, three.frustration_index) == (1, 1, 1)
    assert three.frustration_weight == 1
    through = balance_through_time(history, "t")
    by_month = {b.month: b for b in through}
    assert (by_month["2024-02"].unbalanced, by_month["2024-02"].frustration_index) == (0, 0)
    assert by_month["2024-02"].walk_balance == 1.0
    assert (by_month["2024-03"].unbalanced, by_month["2024-03"].frustration_index) == (1, 1)


def test_the_realignment_watch_ranks_unbalanced_triangles_by_weight(tmp_path):
    _, _, ties, history = planted(tmp_path)
    watch = unbalanced_triangles(ties, history)
    assert [(t.actors, t.since) for t in watch] == [(("t", "a", "x"), "2024-03")]
    heavy = unbalanced_triangles([Tie("a", "b", 1, ()), Tie("b", "c", 1, ()), Tie("a", "c", -1, ()),
                                  Tie("c", "d", 3, ()), Tie("d", "e", 2, ()), Tie("c", "e", -4, ())])
    assert [t.actors for t in heavy] == [("c", "d", "e"), ("a", "b", "c")]  # weakest tie 2 before weakest tie 1
    assert heavy[0].actors[1] == "d"  # the cross-pressured actor sits in the middle


def test_a_neutral_item_beside_a_clear_verdict_never_flips_it(tmp_path):
    from explorer.graph.check import CONTRADICTED, MIXED, SUPPORTED, VERDICT_SHARE, check_axis

    index = build(tmp_path, [
        relation("a-t-dam", "a", "t", "economic", 1, "2024-01"),  # a cooperates with t: contradicts "adversaries"
        relation("a-t-ask", "t", "a", "rhetoric", 0, "2024-05"),  # a neutral request beside it
        relation("b-t-hit", "b", "t", "sanction", -1, "2024-01", confidence="high"),  # 1.5 against t ...
        relation("b-t-aid", "b", "t", "economic", 1, "2024-01", confidence="low"),  # ... 0.5 for: 75 % exactly
        relation("b-t-ask", "t", "b", "rhetoric", 0, "2024-05"),  # and a neutral item that must not tip it
        relation("x-t-hit", "x", "t", "sanction", -1, "2024-01"),  # 1.0 against t ...
        relation("x-t-aid", "x", "t", "economic", 1, "2024-01", confidence="low"),  # ... 0.5 for: 67 %, mixed
    ], [evidence(r) for r in ("a-t-dam", "a-t-ask", "b-t-hit", "b-t-aid", "b-t-ask", "x-t-hit", "x-t-aid")])
    result = check_axis(index, ("a", "b", "x"), "t", Filter(as_of="2024-06"))
    pairs = {(p.a, p.b): p for p in result.pairs}
    a_t, b_t, x_t = pairs[("a", "t")], pairs[("b", "t")], pairs[("x", "t")]
    assert (a_t.verdict, a_t.verdict_share, a_t.neutral) == (CONTRADICTED, 1.0, 1)
    assert a_t.reading({}) == "contradicted: 100 % of signed weight, 1 neutral item"
    assert VERDICT_SHARE == 0.75 and (b_t.verdict, b_t.share, b_t.neutral) == (SUPPORTED, 0.75, 1)
    assert (x_t.verdict, round(x_t.share, 2)) == (MIXED, 0.67)
    assert "Alpha–Target contradicted: 100 % of signed weight, 1 neutral item" in result.sentence
    assert result.as_dict()["pairs"][3]["neutral_items"] == 1


def test_the_seed_names_azerbaijan_cross_pressured_between_iran_and_its_adversaries(capsys):
    from explorer.cli import main

    index = build_index(load_dataset(Path(__file__).resolve().parent.parent / "data").dataset)
    view = apply_filter(index, Filter())
    ties = signed_ties(index, view)
    axis = find_axis(index, view, ties, "iran", history_for(index, view.filter, len(view.relations), ties))
    azerbaijan = next(c for c in axis.cross_pressured if c.actor == "azerbaijan")
    since = {t.actors[2]: t.since for t in azerbaijan.triangles}
    assert since["taliban"] == "2025-07" and since["israel"] == "2025-06"  # the seed's outreach; the June war
    assert main(["axis", "iran", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    listed = next(c for c in document["cross_pressured"] if c["actor"] == "azerbaijan")
    triangles = {t["actors"][2]: t for t in listed["triangles"]}
    assert {"taliban", "israel"} <= set(triangles) and triangles["taliban"]["unbalanced_since"] == "2025-07"
    assert triangles["israel"]["ties"][1]["relations"][0]["evidence"][0]["quote"]
    assert document["balance"]["as_of"]["unbalanced"] >= 2
    assert main(["axis", "iran"]) == 0
    out = capsys.readouterr().out
    assert "cross-pressured Azerbaijan" in out
    assert "triangle Iran – Azerbaijan – Israel: unbalanced since 2025-06" in out


def test_play_marks_an_actor_cross_pressured_from_the_month_its_triangle_turns(tmp_path):
    from explorer.graph.balance import pressured_over_time

    index, _, _, _ = planted(tmp_path)
    steps = pressured_over_time(index, Filter(), ["2024-01", "2024-02", "2024-03", "2024-08"], "t")
    assert steps == [{}, {}, {"a": 0}, {"a": 0}]
