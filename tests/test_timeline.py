"""Time: steps, brush windows, bloc matching across dates, the river and year table, the timeline's rows;
and the Timeline view through AppTest. Answers are worked out by hand on tiny data."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.graph import Filter, apply_filter, build_index
from explorer.graph.timeline import (
    bloc_changes,
    bloc_river,
    jaccard,
    match_blocs,
    matched_blocs_over_time,
    play_bloc_slots,
    play_steps,
    relation_spans,
    relations_per_month,
    slots_like,
    step_at,
    time_steps,
    window_from_brush,
)
from explorer.model import partial_date_bounds
from explorer.render.network import Emphasis, network_data, play_bloc_colours, run_lengths
from explorer.render.style import bloc_colour, node_style
from explorer.tables import load_dataset
from tests.conftest import TINY
from tests.test_app import APP

# ---- steps and brushes ------------------------------------------------------------------------------------


def test_short_window_steps_by_month():
    steps = time_steps("2024-11", "2025-02")
    assert steps.unit == "month" and steps.months == ("2024-11", "2024-12", "2025-01", "2025-02")


def test_middle_window_steps_by_quarter_ending_on_the_windows_last_month():
    steps = time_steps("2023-02", "2025-05", max_steps=24)  # 28 months: too many; quarters fit
    assert steps.unit == "quarter"
    assert steps.months == ("2023-03", "2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09",
                            "2024-12", "2025-03", "2025-05")


def test_long_window_steps_by_year_and_reversed_bounds_are_read_in_order():
    steps = time_steps("2025-10", "2017-11")
    assert steps.unit == "year"
    assert steps.months == ("2017-12", "2018-12", "2019-12", "2020-12", "2021-12", "2022-12", "2023-12",
                            "2024-12", "2025-10")


def test_brush_ends_snap_to_the_nearest_month_boundary():
    # 2021-02-27 is nearer 1 March than 1 February; 2021-07-10 nearer 1 July than 1 August.
    assert window_from_brush("2021-02-27T00:00:00.000Z", "2021-07-10T12:00:00.000Z") == ("2021-03", "2021-06")
    # Milliseconds since 1970, dragged right to left: 2024-01-03 and 2024-12-30.
    lo, hi = pd.Timestamp("2024-01-03").value // 10**6, pd.Timestamp("2024-12-30").value // 10**6
    assert window_from_brush(hi, lo) == ("2024-01", "2024-12")


def test_a_brush_within_one_month_is_that_month():
    assert window_from_brush("2022-05-10", "2022-05-12") == ("2022-05", "2022-05")


# ---- matching blocs across dates --------------------------------------------------------------------------


def test_jaccard_by_hand():
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert jaccard({"a"}, {"a"}) == 1 and jaccard({"a"}, {"b"}) == 0 and jaccard(set(), set()) == 0


def test_a_bloc_keeps_its_slot_when_a_member_joins_and_listing_order_changes():
    slots = match_blocs([
        [{"a", "b", "c"}, {"x", "y"}],
        [{"x", "y", "z"}, {"a", "b", "c", "d"}],  # solver lists the other bloc first now
    ])
    assert slots[0] == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1}
    assert slots[1] == {"a": 0, "b": 0, "c": 0, "d": 0, "x": 1, "y": 1, "z": 1}


def test_a_bloc_with_no_shared_member_opens_a_new_slot_and_a_returning_bloc_gets_its_old_one():
    slots = match_blocs([
        [{"a", "b"}],
        [{"c", "d"}],  # nothing in common with {a, b}: slot 1, not slot 0
        [{"a", "b"}, {"c", "d"}],  # {a, b} comes back to slot 0, remembered while absent
    ])
    assert slots == [{"a": 0, "b": 0}, {"c": 1, "d": 1}, {"a": 0, "b": 0, "c": 1, "d": 1}]


def test_matching_maximises_total_overlap_not_the_first_best_pair():
    # Slots: 0 = {1,2,3,4}, 1 = {5,6}. Then X = {1,2,3,5,6}: J(X,0) = 3/6 = .5, J(X,1) = 2/5 = .4;
    # Y = {4}: J(Y,0) = 1/4 = .25, J(Y,1) = 0. Greedy would give X slot 0 and Y a new slot (total .5);
    # the assignment X->1, Y->0 totals .65.
    slots = match_blocs([[{"1", "2", "3", "4"}, {"5", "6"}], [{"1", "2", "3", "5", "6"}, {"4"}]])
    assert slots[1] == {"1": 1, "2": 1, "3": 1, "5": 1, "6": 1, "4": 0}


def test_min_jaccard_decides_when_a_bloc_is_new():
    history = [[{"a", "b", "c", "d"}], [{"d", "e", "f", "g"}]]  # J = 1/7
    assert match_blocs(history)[1]["e"] == 0
    assert match_blocs(history, min_jaccard=0.2)[1]["e"] == 1


@pytest.fixture
def tiny_index(make_data):
    actors = [dict(row, kind="state") for row in TINY["actors.csv"]]  # all three may sit in blocs
    return build_index(load_dataset(make_data(actors_csv=actors)).dataset)


def test_matched_blocs_over_time_on_tiny_data(tiny_index):
    # r1: Alpha + Beta alliance from 2024-05, ongoing; r2: Gamma - Alpha rhetoric on 2024-06-01.
    # May: one bloc {alpha, beta}. June: Gamma against Alpha stands apart, in a second bloc.
    history = matched_blocs_over_time(tiny_index, Filter(), ["2024-05", "2024-06"])
    assert history == [("2024-05", {"alpha": 0, "beta": 0}), ("2024-06", {"alpha": 0, "beta": 0, "gamma": 1})]


# ---- play: its steps and the blocs it recolours with --------------------------------------------------------


def test_play_steps_a_short_window_month_by_month_with_each_months_days():
    window = (partial_date_bounds("2024-11-20")[0], partial_date_bounds("2025-02-03")[0])
    steps = play_steps(window)
    assert [(s.as_of, s.shown) for s in steps] == [("2024-11", "2024-11"), ("2024-12", "2024-12"),
                                                   ("2025-01", "2025-01"), ("2025-02", "2025-02")]
    assert [(s.lo, s.hi) for s in steps[:2]] == [partial_date_bounds("2024-11"), partial_date_bounds("2024-12")]


def test_play_steps_a_window_over_fifteen_years_by_the_end_of_each_year():
    steps = play_steps((partial_date_bounds("2000-03")[0], partial_date_bounds("2015-02")[1]))  # 180 months
    assert len(steps) == 180 and steps[-1].as_of == "2015-02"
    steps = play_steps((partial_date_bounds("2000-03")[0], partial_date_bounds("2015-03")[1]))  # 181 months
    assert [s.as_of for s in steps][:2] == ["2000-12", "2001-12"] and steps[-1].as_of == "2015-12"
    assert steps[0].shown == "2000" and (steps[0].lo, steps[0].hi) == partial_date_bounds("2000-12")
    assert play_steps(None) == ()  # no relations: no window (day 0 is 1970-01-01, a real day)
    assert [s.as_of for s in play_steps((0, 0))] == ["1970-01"]


def test_step_at_finds_the_step_showing_a_day():
    steps = play_steps((partial_date_bounds("2024-01")[0], partial_date_bounds("2024-03")[1]))
    assert step_at(steps, partial_date_bounds("2024-02-10")[0]) == 1
    assert step_at(steps, partial_date_bounds("2025-06")[0]) == 2  # after the window: its last step
    assert step_at(steps, partial_date_bounds("2020")[0]) == 0
    assert step_at((), 0) is None


def test_slots_like_numbers_a_partition_as_the_matched_history_at_that_step():
    slots = [{"a": 0, "b": 0}, {"a": 2, "b": 2, "c": 1}, {"c": 1}]
    assert slots_like([("c", "d"), ("a", "b")], slots, at=1) == (1, 2)
    # a bloc overlapping no slot of that step takes a number no step uses (not 2: a bloc of step 1 had it)
    assert slots_like([("x",), ("c",)], slots, at=2) == (3, 1)


def test_play_bloc_slots_match_blocs_at_each_step(tiny_index):
    steps = play_steps((partial_date_bounds("2024-05")[0], partial_date_bounds("2024-06")[1]))
    assert play_bloc_slots(tiny_index, Filter(), steps) == [{"alpha": 0, "beta": 0},
                                                            {"alpha": 0, "beta": 0, "gamma": 1}]


def test_run_lengths_and_the_colours_play_recolours_with(tiny_index):
    assert run_lengths([]) == [] and run_lengths([1]) == [1, 1]
    assert run_lengths([0, 0, -1, -1, -1, 3]) == [0, 2, -1, 3, 3, 1]
    data = network_data(tiny_index, apply_filter(tiny_index, Filter()))
    slots = [{"alpha": 0, "beta": 0}, {"alpha": 0, "beta": 0, "gamma": 1}, {"gamma": 1}]
    colours = play_bloc_colours(tiny_index, data, slots)
    order = [node["id"] for node in data.nodes]
    runs = dict(zip(order, colours["runs"], strict=True))
    assert runs == {"alpha": [0, 2, -1, 1], "beta": [0, 2, -1, 1], "gamma": [-1, 1, 1, 2]}
    assert colours["fallback"] == [node_style("state").colour] * 3
    assert colours["palette"][1] == bloc_colour(1)


def test_emphasis_colours_blocs_by_their_numbers():
    blocs = (("a", "b"), ("c",))
    assert Emphasis(blocs=blocs).bloc_of == {"a": 0, "b": 0, "c": 1}
    assert Emphasis(blocs=blocs, bloc_numbers=(4, 2)).bloc_of == {"a": 4, "b": 4, "c": 2}


def test_the_payload_carries_the_play_steps(tiny_index):
    data = network_data(tiny_index, apply_filter(tiny_index, Filter()))
    payload = data.as_component_data()
    assert [step["as_of"] for step in payload["steps"]] == [s.as_of for s in play_steps(data.window)]
    assert set(payload["steps"][0]) == {"as_of", "lo", "hi", "shown"}


# ---- river and year table ---------------------------------------------------------------------------------


def test_bloc_river_cells_moves_and_order():
    steps = ["2024-03", "2024-06", "2024-09"]
    slots = [{"a": 0, "b": 0}, {"a": 0, "b": 1, "c": 1}, {"a": 0, "c": 1}]
    river = bloc_river(steps, slots, {"a": "Alpha", "b": "Beta", "c": "Gamma"}, "2024-01")
    cells = [tuple(row) for row in river[["actor", "as_of", "bloc", "moved", "came_from"]].itertuples(index=False)]
    assert cells == [
        ("a", "2024-03", "Bloc 1", False, ""), ("a", "2024-06", "Bloc 1", False, ""),
        ("a", "2024-09", "Bloc 1", False, ""),
        ("b", "2024-03", "Bloc 1", False, ""), ("b", "2024-06", "Bloc 2", True, "Bloc 1"),
        ("c", "2024-06", "Bloc 2", False, ""), ("c", "2024-09", "Bloc 2", False, ""),
    ]
    # Step 1 covers January to March, step 2 April to June.
    first = river.iloc[0]
    assert (first["start"], first["end"]) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01"))
    assert river.iloc[1]["start"] == pd.Timestamp("2024-04-01")
    # Alpha ends in bloc 1 (order 0); Beta and Gamma end in bloc 2, Beta seen first.
    assert river.drop_duplicates("actor")["name"].tolist() == ["Alpha", "Beta", "Gamma"]


def test_bloc_changes_lists_every_member_and_who_joined_or_left():
    steps = ["2023-12", "2024-12"]
    slots = [{"a": 0, "b": 0, "x": 1}, {"a": 0, "c": 0, "x": 2}]
    table = bloc_changes(steps, slots, {"a": "Alpha", "b": "Beta", "c": "Gamma", "x": "Xi"})
    assert table.to_dict("records") == [
        {"as of": "2023-12", "bloc": "Bloc 1", "members": "Alpha, Beta", "joined": "", "left": ""},
        {"as of": "2023-12", "bloc": "Bloc 2", "members": "Xi", "joined": "", "left": ""},
        {"as of": "2024-12", "bloc": "Bloc 1", "members": "Alpha, Gamma", "joined": "Gamma", "left": "Beta"},
        {"as of": "2024-12", "bloc": "Bloc 2", "members": "", "joined": "", "left": "Xi"},
        {"as of": "2024-12", "bloc": "Bloc 3", "members": "Xi", "joined": "Xi", "left": ""},
    ]


# ---- the timeline's rows ----------------------------------------------------------------------------------


def test_relation_spans_bars_points_and_polarity_groups(tiny_index):
    until = partial_date_bounds("2024-12")[1]
    spans = relation_spans(tiny_index, apply_filter(tiny_index, Filter()), until=until)
    r1, r2 = (spans.set_index("id").loc[r] for r in ("r1", "r2"))
    # r1: an ongoing alliance from May 2024, drawn to the end of December; cooperative, first line after
    # the heading line 0.
    assert (r1["event"], r1["ongoing"], r1["row"]) == (False, True, 1)
    assert (r1["start"], r1["end"]) == (pd.Timestamp("2024-05-01"), pd.Timestamp("2025-01-01"))
    assert r1["label"] == "Alpha – Beta · Alliance" and r1["dates"] == "2024-05 – ongoing"
    # r2: an event on 2024-06-01, adversarial, after its own heading line 2.
    assert (r2["event"], r2["ongoing"], r2["row"], r2["start_month"]) == (True, False, 3, "2024-06")
    assert r2["start"] == pd.Timestamp("2024-06-01") and r2["dates"] == "2024-06-01"


def test_relation_spans_keep_the_most_recent_beyond_the_limit(tiny_index):
    spans = relation_spans(tiny_index, apply_filter(tiny_index, Filter()), until=0, limit=1)
    assert spans["id"].tolist() == ["r2"]


def test_relations_per_month_has_month_bounds_for_a_continuous_axis(tiny_index):
    counts = relations_per_month(tiny_index, apply_filter(tiny_index, Filter()))
    assert counts[["month", "relations"]].values.tolist() == [["2024-05", 1], ["2024-06", 1]]
    assert counts["next"].tolist() == [pd.Timestamp("2024-06-01"), pd.Timestamp("2024-07-01")]


# ---- the Timeline view (AppTest) --------------------------------------------------------------------------


def timeline_app(**params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"view": "Timeline", **params}.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def test_timeline_view_shows_three_charts_and_the_year_table_with_changes():
    app = timeline_app()
    charts = app.get("vega_lite_chart")
    # Overview strip (drag: window), relations (click: relation and as-of), bloc river (click: as-of).
    assert [list(chart.proto.selection_mode) for chart in charts] == [["window"], ["relation"], ["moment"]]
    relations = json.loads(charts[1].proto.spec)
    assert relations["layer"][-1]["encoding"]["x"]["type"] == "temporal"  # a continuous time axis
    assert [s.value for s in app.subheader][:3] == ["Relations through time", "Blocs through time",
                                                   "Blocs at the end of each year"]
    table = app.table[0].value
    assert list(table.columns) == ["as of", "bloc", "members", "joined", "left"]
    # 2017's only relations are memberships of the Lapis Lazuli corridor, a venue: no blocs before 2021.
    assert table["as of"].iloc[0] == "2021" and table["as of"].iloc[-1] == "2025\\-10"
    assert table["joined"].str.len().sum() > 0  # the bundled story has actors joining blocs
    captions = "\n".join(c.value for c in app.caption)
    assert "each year in the window" in captions and "88 relations" in captions


def test_a_short_window_steps_the_river_by_month_and_shows_the_selected_relation():
    app = timeline_app(**{"from": "2025-01", "to": "2025-06", "relation": "taliban-iran-hostility-2025-07",
                          "as_of": "2025-07"})
    captions = "\n".join(c.value for c in app.caption)
    assert "each month in the window" in captions
    assert "Evidence of the selected relation" in [e.label for e in app.expander]
    assert "emerging axis hostile" in "\n".join(e.proto.body for e in app.get("html"))
    assert app.table[0].value["as of"].tolist()[-1] == "2025\\-06"


def test_too_many_actors_for_blocs_through_time_says_so(monkeypatch):
    monkeypatch.setattr("explorer.app.pages.MAX_RIVER_ACTORS", 3)
    app = timeline_app()
    assert any("to follow their blocs through time" in i.value for i in app.info)
