"""Roles, the time rule, claims and lenses, independence and perspective: on small hand-built data."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.graph import Filter, apply_filter, build_index, find_blocs, find_paths, relation_detail, signed_ties
from explorer.graph.evidence import CLAIMS_ONLY, ONE_SIDE, ONE_SOURCE, SEVERAL, confidence_by_rule
from explorer.graph.filters import analysis_day
from explorer.graph.paths import SignedPath
from explorer.graph.signed import Tie, aligned_actors, relation_weights
from explorer.graph.timerule import TimeRule, activity
from explorer.model import partial_date_bounds
from explorer.tables import load_dataset
from tests.conftest import write_tables

ACTORS = [
    ("a", "Alpha", "state", "AAA", ""), ("b", "Beta", "state", "BBB", ""), ("t", "Target", "state", "TTT", ""),
    ("m", "Mouthpiece", "media", "TTT", ""), ("p", "Envoy", "person", "AAA", "a"),
    ("v", "Corridor", "initiative", "", ""), ("o", "Org", "organisation", "", ""),
    ("x", "Xland", "state", "XXX", ""),
]
SOURCES = [  # id, outlet, via, state-media country
    ("wire1", "one.example (Source: Reuters)", "Reuters", ""), ("wire2", "two.example", "Reuters", ""),
    ("own", "three.example", "", ""), ("tstate", "tv.example", "", "TTT"), ("four", "four.example", "", ""),
]


def relation(rid: str, source: str, target: str, type_: str, polarity: int, start: str, end: str = "",
             confidence: str = "medium") -> dict[str, str]:
    return {"id": rid, "source": source, "target": target, "type": type_, "polarity": str(polarity),
            "start": start, "end": end, "confidence": confidence, "summary": rid}


def evidence(rid: str, source: str = "own", claimed_by: str = "", stance: str = "supports") -> dict[str, str]:
    return {"relation": rid, "source": source, "quote": f"quote for {rid}", "claimed_by": claimed_by,
            "stance": stance}


def build(tmp_path: Path, relations: list[dict[str, str]], evidence_rows: list[dict[str, str]]):
    tables = {
        "actors.csv": [{"id": i, "name": n, "kind": k, "country": c, "aliases": "", "description": "",
                        "represents": r} for i, n, k, c, r in ACTORS],
        "sources.csv": [{"id": i, "title": "", "outlet": o, "url": f"https://{o.split()[0]}/{i}", "published": "",
                         "document": "", "note": f"note on {i}" if i == "own" else "", "via": via, "country": c}
                        for i, o, via, c in SOURCES],
        "relations.csv": relations,
        "evidence.csv": evidence_rows,
    }
    result = load_dataset(write_tables(tmp_path, tables))
    assert [str(p) for p in result.problems] == []
    return build_index(result.dataset)


def tie_map(index, chosen: Filter) -> dict[tuple[str, str], Tie]:
    return {(t.a, t.b): t for t in signed_ties(index, apply_filter(index, chosen))}


# ---- roles -------------------------------------------------------------------------------------------------


def test_voices_and_venues_stay_out_of_ties_blocs_and_paths(tmp_path):
    index = build(tmp_path, [
        relation("m-a", "m", "a", "rhetoric", -1, "2024-01-01"),
        relation("a-v", "a", "v", "membership", 1, "2020"),
        relation("b-v", "b", "v", "membership", 1, "2020"),
        relation("a-o", "a", "o", "membership", 1, "2020"),
        relation("o-b", "o", "b", "membership", 1, "2020"),
        relation("a-t", "a", "t", "sanction", -1, "2023"),
    ], [evidence(r) for r in ("m-a", "a-v", "b-v", "a-o", "o-b", "a-t")])
    view = apply_filter(index, Filter(as_of="2024-06"))
    ties = signed_ties(index, view)
    assert {(t.a, t.b) for t in ties} == {("a", "t")}  # memberships of one venue are not an a-b alliance
    blocs = find_blocs(ties, aligned_actors(index, view))
    placed = {actor for bloc in blocs.blocs for actor in bloc} | set(blocs.unaligned)
    assert placed == {"a", "b", "t"} and "m" not in placed and "v" not in placed
    assert find_paths(ties, "a", "b") == []  # no path through the corridor or the organisation
    # Organisations take sides only when asked: then a and b are both tied to the organisation.
    with_orgs = tie_map(index, Filter(as_of="2024-06", organisations=True))
    assert {("a", "o"), ("b", "o")} <= set(with_orgs) and ("a", "v") not in with_orgs


def test_a_persons_ties_count_for_the_actor_it_represents(tmp_path):
    index = build(tmp_path, [relation("p-b", "p", "b", "meeting", 1, "2024-03-01", "2024-03-01"),
                             relation("p-a", "p", "a", "membership", 1, "2020")],
                  [evidence("p-b"), evidence("p-a")])
    ties = tie_map(index, Filter(as_of="2024-03-01"))
    assert set(ties) == {("a", "b")}  # Envoy's visit is Alpha's; Envoy's membership of Alpha is no self-tie
    assert ties[("a", "b")].relations == ("p-b",)


# ---- the time rule ----------------------------------------------------------------------------------------


def test_events_decay_over_the_lookback_and_states_hold(tmp_path):
    index = build(tmp_path, [relation("clash", "a", "t", "armed_clash", -1, "2024-01-15", "2024-01-15"),
                             relation("pact", "a", "b", "alliance", 1, "2020")],
                  [evidence("clash"), evidence("pact")])

    def weight(rid: str, as_of: str, **rule) -> float:
        view = apply_filter(index, Filter(as_of=as_of, **rule))
        weights = dict(zip(view.relation_ids(index), relation_weights(index, view), strict=True))
        return weights.get(rid, 0.0)

    assert weight("clash", "2024-01-15") == pytest.approx(-1.0)
    assert weight("clash", "2024-07-15") == pytest.approx(-(1 - 182 / 365), abs=1e-3)  # linear: half-way
    assert weight("clash", "2024-07-15", decay="none") == pytest.approx(-1.0)
    quarter = partial_date_bounds("2024-01-15")[0] + 91
    assert activity(index.is_event, index.start_hi, index.end_lo, quarter,
                    TimeRule(12, "exponential"))[index.relation_position["clash"]] == pytest.approx(0.5, abs=0.01)
    assert weight("clash", "2025-02-01") == 0.0  # past the 12-month window
    assert weight("clash", "2025-02-01", lookback=24) < 0  # a longer look-back still counts it
    assert weight("pact", "2030") == pytest.approx(1.0)  # a state holds while its end is empty
    assert ("a", "t") not in tie_map(index, Filter(as_of="2030"))


def test_partial_dates_at_the_boundaries_of_as_of(tmp_path):
    index = build(tmp_path, [relation("from-2023", "a", "b", "diplomatic", 1, "2023"),
                             relation("until-aug", "a", "t", "sanction", -1, "2022", "2024-08")],
                  [evidence("from-2023"), evidence("until-aug")])
    shown = lambda as_of: set(apply_filter(index, Filter(as_of=as_of)).relation_ids(index))  # noqa: E731
    assert "from-2023" not in shown("2023-01-01")  # a start counts from the last day of its period
    assert "from-2023" in shown("2023-12-31") and "from-2023" in shown("2023")  # "as of 2023" = its last day
    assert "until-aug" in shown("2024-07-31")
    assert "until-aug" not in shown("2024-08-15")  # an end counts from the first day of its period
    # Without an as-of date, analysis answers as of the window's end, else the data's last day.
    assert analysis_day(index, Filter()) == partial_date_bounds("2024-08")[1]
    assert analysis_day(index, Filter(end="2023-06")) == partial_date_bounds("2023-06")[1]


def test_nothing_open_ended_that_is_an_event_shows_in_2030():
    index = build_index(load_dataset(Path(__file__).resolve().parent.parent / "data").dataset)
    shown = apply_filter(index, Filter(as_of="2030")).relations
    assert len(shown) > 0 and not index.is_event[shown].any()


def test_validation_refuses_an_event_that_lasts(make_data):
    rows = [relation("long", "alpha", "beta", "armed_clash", -1, "2024-01", "2024-03")]
    result = load_dataset(make_data(relations_csv=rows, evidence_csv=[
        {"relation": "long", "source": "s2", "quote": "x", "claimed_by": ""}]))
    assert any(p.column == "end" and "armed_clash is an event" in p.message for p in result.problems)
    assert "long" not in result.dataset.relations.index


# ---- claims, lenses, independence, perspective --------------------------------------------------------------


def test_claims_lenses_and_claimed_by_labels(tmp_path):
    index = build(tmp_path, [relation("alleged", "a", "t", "alignment", -1, "2024-05", "2024-05", "low"),
                             relation("said", "t", "a", "rhetoric", -1, "2024-05", "2024-05")],
                  [evidence("alleged", "own", claimed_by="m"),  # the media's word about others: a claim
                   evidence("said", "four", claimed_by="t")])  # the speaker's own statement: reported
    everything = apply_filter(index, Filter())
    detail = relation_detail(index, everything, "alleged")
    assert detail.claimed_only_by == ("Mouthpiece",) and detail.claim_label == "claimed by Mouthpiece"
    assert detail.perspective == ONE_SIDE  # Mouthpiece is Target's country's voice, and Target is a party
    assert relation_detail(index, everything, "said").claimed_only_by == ()
    ids = lambda lens: set(apply_filter(index, Filter(lens=lens)).relation_ids(index))  # noqa: E731
    assert ids("") == {"alleged", "said"}
    assert ids("evidence") == {"said"}  # claims excluded
    assert ids("m") == {"alleged", "said"}  # according to Mouthpiece: its claims and neutral reporting
    assert ids("x") == {"said"}  # according to someone else: Mouthpiece's claim does not count


def test_independent_sources_are_origins_not_outlets(tmp_path):
    index = build(tmp_path, [relation("relayed", "a", "b", "diplomatic", 1, "2024"),
                             relation("two", "a", "x", "diplomatic", 1, "2024")],
                  [evidence("relayed", "wire1"), evidence("relayed", "wire2"),
                   evidence("two", "wire1"), evidence("two", "own")])
    view = apply_filter(index, Filter())
    relayed = relation_detail(index, view, "relayed")
    assert relayed.independent_origins == 1 and relayed.origins == ("reuters",)
    assert relayed.perspective == ONE_SOURCE  # one origin attributed to neither side: one source, not one side
    assert relation_detail(index, view, "two").perspective == SEVERAL
    assert set(apply_filter(index, Filter(min_sources=2)).relation_ids(index)) == {"two"}
    assert dict(confidence_by_rule(index)) == {"relayed": "medium", "two": "high"}


def test_single_perspective_is_one_party_side_not_one_outlet(tmp_path):
    index = build(tmp_path, [relation("state-tv", "t", "a", "hostility", -1, "2024-02", "2024-02"),
                             relation("claimed", "a", "b", "military", 1, "2024")],
                  [evidence("state-tv", "tstate"),  # Target's state media on Target's own act
                   evidence("claimed", "own", claimed_by="m")])  # Target's voice about Alpha and Beta
    view = apply_filter(index, Filter())
    assert relation_detail(index, view, "state-tv").perspective == ONE_SIDE
    assert relation_detail(index, view, "claimed").perspective == CLAIMS_ONLY  # Target is no party to it
    assert set(apply_filter(index, Filter(hide_single_perspective=True)).relation_ids(index)) == {"claimed"}
    assert dict(confidence_by_rule(index)) == {"state-tv": "medium", "claimed": "low"}
    assert "note on own" in {item.note for item in relation_detail(index, view, "claimed").evidence}


@pytest.mark.parametrize(("signs", "reading"), [
    ((1, 1), "friend of a friend: balance expects them aligned"),
    ((-1, -1), "enemy of an enemy: balance expects them aligned"),
    ((1, -1), "enemy of a friend: balance expects them opposed"),
    ((-1, 1), "friend of an enemy: balance expects them opposed"),
    ((-1,), "direct enemy: balance expects them opposed"),
    ((1, -1, 1), "mixed (1 adversarial of 3 ties): balance expects them opposed"),
])
def test_paths_say_what_kind_of_path_they_are(signs, reading):
    hops = tuple(Tie("a", "b", float(s), ()) for s in signs)
    assert SignedPath(tuple("pqrs"[:len(signs) + 1]), hops).reading == reading


# ---- check-axis: every verdict on hand-built data ------------------------------------------------------------


@pytest.fixture
def axis_data(tmp_path):
    return build(tmp_path, [
        relation("a-b", "a", "b", "diplomatic", 1, "2024-01"),
        relation("b-x-up", "b", "x", "economic", 1, "2024-01"),
        relation("b-x-down", "x", "b", "sanction", -1, "2024-02"),
        relation("a-t", "a", "t", "trade_corridor", 1, "2024-01"),
        relation("b-t", "b", "t", "diplomatic", 0, "2024-03"),
        relation("x-t", "x", "t", "alignment", -1, "2024-05", "2024-05", "low"),
        relation("old", "a", "x", "armed_clash", -1, "2020-01-01", "2020-01-01"),
    ], [evidence("a-b"), evidence("b-x-up"), evidence("b-x-down", "four"), evidence("a-t"), evidence("b-t"),
        evidence("x-t", claimed_by="m"), evidence("old")])


def test_check_axis_gives_every_verdict_pair_by_pair(axis_data):
    from explorer.graph.check import CLAIMED_ONLY, CONTRADICTED, MIXED, NO_EVIDENCE, SUPPORTED, check_axis

    result = check_axis(axis_data, ("a", "b", "x"), "t", Filter(as_of="2024-06"))
    verdicts = {(p.a, p.b): p.verdict for p in result.pairs}
    assert verdicts == {("a", "b"): SUPPORTED, ("a", "x"): NO_EVIDENCE,  # the 2020 clash is past its window
                        ("b", "x"): MIXED, ("a", "t"): CONTRADICTED, ("b", "t"): MIXED, ("x", "t"): CLAIMED_ONLY}
    claimed = next(p for p in result.pairs if p.verdict == CLAIMED_ONLY)
    assert claimed.claimed_by == ("m",) and claimed.relations[0].claimed_by == ("m",)
    assert [p.expected for p in result.pairs] == [1, 1, 1, -1, -1, -1]
    assert result.verdict == MIXED and result.as_of == "2024-06-30"
    assert "Xland–Target claimed only by Mouthpiece" in result.sentence
    assert result.strongest_for.id in {"a-b", "b-x-up"} and result.strongest_against.id in {"a-t", "b-x-down"}
    assert next(p for p in result.pairs if (p.a, p.b) == ("a", "x")).relations == ()
    longer = check_axis(axis_data, ("a", "x"), "t", Filter(as_of="2024-06", lookback=60))
    assert {(p.a, p.b): p.verdict for p in longer.pairs}[("a", "x")] == CONTRADICTED  # the clash counts again


def test_check_axis_lenses_move_claims_not_reports(axis_data):
    from explorer.graph.check import CLAIMED_ONLY, NO_EVIDENCE, check_axis

    def verdict(lens: str) -> str:
        result = check_axis(axis_data, ("x",), "t", Filter(as_of="2024-06", lens=lens))
        return result.pairs[0].verdict, result.verdict

    assert verdict("") == (CLAIMED_ONLY, CLAIMED_ONLY)
    assert verdict("m") == (CLAIMED_ONLY, CLAIMED_ONLY)  # according to Mouthpiece
    assert verdict("evidence") == (NO_EVIDENCE, NO_EVIDENCE)
    assert verdict("x") == (NO_EVIDENCE, NO_EVIDENCE)  # according to someone else


def test_check_axis_overall_supported_and_contradicted(axis_data):
    from explorer.graph.check import CONTRADICTED, SUPPORTED, check_axis

    assert check_axis(axis_data, ("a", "b"), "x", Filter(as_of="2024-01")).pairs[0].verdict == SUPPORTED
    result = check_axis(axis_data, ("a",), "t", Filter(as_of="2024-06"))
    assert result.verdict == CONTRADICTED and result.strongest_for is None
    assert "the evidence contradicts an axis of Alpha against Target" in result.sentence


def test_check_axis_counts_a_person_for_its_actor_and_refuses_voices(axis_data):
    from explorer.graph.check import NotAnAligner, check_axis

    assert check_axis(axis_data, ("p", "b"), "t", Filter(as_of="2024-06")).members == ("a", "b")
    with pytest.raises(NotAnAligner, match="Mouthpiece is a media"):
        check_axis(axis_data, ("m", "b"), "t")


def test_check_axis_on_the_seed_says_what_the_evidence_says():
    from explorer.graph.check import CONTRADICTED, SUPPORTED, check_axis, pair_verdict

    index = build_index(load_dataset(Path(__file__).resolve().parent.parent / "data").dataset)
    by_lens = {lens: check_axis(index, ("taliban", "azerbaijan"), "iran", Filter(lens=lens))
               for lens in ("", "evidence", "iraf")}
    for result in by_lens.values():  # each verdict is the rule applied to the relations listed beside it
        for pair in result.pairs:
            assert pair_verdict(pair.expected, pair.relations) == (pair.verdict, pair.claimed_by)
    pairs = {lens: {(p.a, p.b): p for p in result.pairs} for lens, result in by_lens.items()}
    evidence = pairs["evidence"]
    assert all(not r.claimed_by for p in evidence.values() for r in p.relations)  # the lens drops every claim
    assert evidence[("taliban", "azerbaijan")].verdict == SUPPORTED  # on independent reporting
    for lens in ("", "evidence"):  # the dam and assurances; Pezeshkian's request is neutral: it cannot flip it
        azerbaijan_iran = pairs[lens][("azerbaijan", "iran")]
        assert (azerbaijan_iran.verdict, azerbaijan_iran.verdict_share, azerbaijan_iran.neutral) == (CONTRADICTED, 1, 1)
    assert evidence[("taliban", "iran")].verdict == SUPPORTED  # Helmand pressure; the Taliban's reply is neutral
    iraf_claims = {r.id for r in pairs["iraf"][("taliban", "iran")].relations if r.claimed_by == ("iraf",)}
    assert iraf_claims == {"taliban-iran-hostility-2025-07", "iran-taliban-rhetoric-2025-07"}
    assert "iraf" in pairs[""][("taliban", "iran")].claimed_by
    assert pairs[""][("taliban", "azerbaijan")].venues  # ECO and the corridor: listed, not summed
    assert by_lens["evidence"].sentence.startswith("As of 2025-10-31")


def test_cli_check_axis(capsys):
    import json

    from explorer.cli import main

    assert main(["check-axis", "taliban", "azerbaijan", "--against", "iran", "--lens", "evidence", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["lens"] == "evidence" and len(document["pairs"]) == 3
    assert document["pairs"][0]["relations"][0]["evidence"][0]["quote"]
    assert main(["check-axis", "Taliban", "Baku", "--against", "Tehran", "--as-of", "2025-07"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("As of 2025-07-31 (the date chosen)") and "should be adversaries" in out
    assert main(["check-axis", "iraf", "--against", "iran"]) == 2
    assert "takes no sides" in capsys.readouterr().err
