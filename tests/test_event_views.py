"""The event layer in the app's views: the Check axis view's events column (the curated verdict rule over weighted
events, labelled machine-coded), the event graph's months for play, and its panel as HTML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explorer.app.pages import EVENTS_COLUMN
from explorer.events.formats import GDELT2
from explorer.events.ingest import import_events
from explorer.events.layer import build_layer
from explorer.graph import Filter, apply_filter, build_index
from explorer.graph.check import CONTRADICTED, MIXED, NO_EVIDENCE, SUPPORTED, event_verdict, share_verdict
from explorer.graph.event_ties import check_axis_events, pair_ties, with_activity
from explorer.model import partial_date_bounds
from explorer.render.event_network import event_view, pair_panel, tie_panel_html
from explorer.render.html import md
from explorer.tables import load_dataset
from tests.test_app import html_text, run_app
from tests.test_events import AZE, IRN, ISR, gdelt_line, write

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset():
    return load_dataset().dataset


@pytest.fixture(scope="module")
def layer(tmp_path_factory, dataset):
    """Iran–Azerbaijan: 3 cooperative events in January 2020, 1 conflictual in March; Iran–Israel: conflict in March
    and one cooperative event (so 2 of 3 conflictual: mixed); every article link an example.org one."""
    lines = [gdelt_line(str(i), "20200110", IRN, AZE, "042", "1", "1.9", mentions=str(10 + i),
                        url=f"https://example.org/ia{i}") for i in range(1, 4)]
    lines += [gdelt_line("4", "20200310", IRN, AZE, "190", "4", "-10.0", url="https://example.org/ia4"),
              gdelt_line("5", "20200311", IRN, ISR, "190", "4", "-10.0", url="https://example.org/ii5"),
              gdelt_line("6", "20200312", IRN, ISR, "173", "4", "-5.0", url="javascript:alert(1)"),
              gdelt_line("7", "20200313", IRN, ISR, "042", "1", "1.9", url="https://example.org/ii7")]
    folder = tmp_path_factory.mktemp("layer")
    import_events([write(folder / "e.CSV", lines)], GDELT2, folder)
    return build_layer(folder, dataset.actors)


def test_the_event_verdict_is_the_curated_rule_over_weighted_events():
    # the curated rule: 75 % of the signed weight one way decides, else mixed
    assert [share_verdict(3, 1), share_verdict(2.9, 1.1), share_verdict(1, 3), share_verdict(0, 0)] == [
        SUPPORTED, MIXED, CONTRADICTED, MIXED]
    # an event tie's weight w = (coop - conf) / (coop + conf): the share of cooperative events is (1 + w) / 2
    assert [event_verdict(1, 0.5), event_verdict(1, 0.49), event_verdict(1, -0.5), event_verdict(1, None)] == [
        SUPPORTED, MIXED, CONTRADICTED, NO_EVIDENCE]
    assert [event_verdict(-1, -0.5), event_verdict(-1, 0.2), event_verdict(-1, 0.5)] == [
        SUPPORTED, MIXED, CONTRADICTED]


def test_check_axis_events_counts_weighted_events_pair_by_pair(layer):
    chosen = Filter(as_of="2020-04-30")
    found = check_axis_events(layer, ("azerbaijan", "israel"), "iran", chosen)
    by_pair = {(p["a"], p["b"]): p for p in found["pairs"]}
    # by hand: each month's events weighed by the time rule's activity as of 2020-04-30 (a month counts from its end)
    dyads = with_activity(layer.dyads, "2020-04-30", chosen.time_rule).set_index("month", append=True)
    weight = {m: a for (_, m), a in dyads["activity"].items()}
    jan, mar = weight["2020-01"], weight["2020-03"]
    cooperative = (3 * jan) / (3 * jan + mar)
    azerbaijan = by_pair[("azerbaijan", "iran")]  # a member against the target: conflictual events count for it
    assert azerbaijan["expected"] == "adversarial"
    assert azerbaijan["share_expected_way"] == pytest.approx(1 - cooperative, abs=1e-4)
    # 3 of 4 events cooperative, but January's fade more by April's end: 71 % weighted, short of 75 %
    assert 0.70 < cooperative < 0.75 and azerbaijan["verdict"] == MIXED
    early = check_axis_events(layer, ("azerbaijan",), "iran", Filter(as_of="2020-02-29"))["pairs"][0]
    assert early["share_expected_way"] == 0 and early["verdict"] == CONTRADICTED  # before March: cooperation only
    israel = by_pair[("israel", "iran")]
    assert israel["share_expected_way"] == pytest.approx(2 / 3, abs=1e-4) and israel["verdict"] == MIXED
    assert by_pair[("azerbaijan", "israel")]["verdict"] == NO_EVIDENCE and found["reason"] == ""
    assert found["verdict"] == MIXED and found["machine_coded"] is True and "in force as of" in found["basis"]
    # nothing in force: why, in words
    before = check_axis_events(layer, ("azerbaijan",), "iran", Filter(as_of="2019-06-30"))
    assert before["verdict"] == NO_EVIDENCE
    assert before["reason"] == ("none of these pairs has machine-coded events in force as of 2019-06-30; the layer's "
                               "months run from 2020-01 to 2020-03")
    nobody = check_axis_events(layer, ("taliban",), "iran", chosen)
    assert nobody["reason"].startswith("no machine-coded event names taliban")


def test_the_event_graph_draws_the_window_with_each_ties_months_for_play(layer, dataset):
    index = build_index(dataset)
    data, panels, _ = event_view(index, layer, apply_filter(index, Filter(as_of="2020-03")), 300)
    edges = {e["id"]: e for e in data.edges}
    assert set(edges) == {"events:azerbaijan~iran", "events:iran~israel"}  # as of March: the window, not faded out
    spans = edges["events:azerbaijan~iran"]["spans"]
    assert [s[:2] for s in spans] == [list(partial_date_bounds("2020-01")), list(partial_date_bounds("2020-03"))]
    assert [s[2] for s in spans] == [0.75, -0.25]  # each month's net events over the tie's 4
    assert sum(s[2] for s in spans) == pytest.approx(edges["events:azerbaijan~iran"]["w"])
    (tie,) = [t for t in pair_ties(layer.dyads) if t.target == "iran" and t.source == "azerbaijan"]
    assert tie.weight == pytest.approx(0.5)
    steps = data.as_component_data()["steps"]
    assert [s["as_of"] for s in steps] == ["2020-01", "2020-02", "2020-03"]
    assert data.window == (partial_date_bounds("2020-01")[0], partial_date_bounds("2020-03")[1])
    assert set(panels) == set(edges)


def test_an_event_tie_panel_as_html_escapes_and_links_only_http(layer):
    (tie,) = [t for t in pair_ties(layer.dyads) if t.source == "iran" and t.target == "israel"]
    html = tie_panel_html(pair_panel(layer, tie, {"iran": "Iran <b>", "israel": "Israel"}))
    assert "Iran &lt;b&gt; — Israel (machine-coded)" in html and "not verified" in html
    assert "href='https://example.org/ii5'" in html and "javascript:" not in html.split("no-link")[0]
    assert html.count("<figure") == 3


@pytest.fixture
def app_folder(tmp_path, monkeypatch):
    """The bundled tables, seeds and real event sample in a scratch place; the app reads them."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("store"))
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.setenv("EXPLORER_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


CHECK = {"view": "Check axis", "members": ["russia", "china"], "target": "united_states", "as_of": "2019-10"}


def test_the_check_view_sets_the_event_verdicts_beside_the_curated_ones(app_folder):
    from explorer.events.layer import event_layer
    from explorer.graph.check import check_axis, check_filter

    app = run_app({**CHECK, "layer": "both"})
    cells = {b.key: b.label for b in app.button if (b.key or "").startswith("matrix_")}
    assert sorted(k for k in cells if k.endswith("_events")) == ["matrix_0_events", "matrix_1_events",
                                                                  "matrix_2_events"]
    assert f"**{md(EVENTS_COLUMN)}**" in [m.value for m in app.markdown]  # the column's header
    dataset = load_dataset(app_folder).dataset
    index = build_index(dataset)
    curated = check_axis(index, ("russia", "china"), "united_states", check_filter(Filter(as_of="2019-10")))
    wanted = check_axis_events(event_layer(app_folder, dataset.actors), curated.members, curated.target,
                               check_filter(Filter(as_of=curated.as_of)))
    for number, pair in enumerate(wanted["pairs"]):
        assert cells[f"matrix_{number}_events"].startswith(pair["verdict"])
    assert [p["verdict"] for p in wanted["pairs"]] == [SUPPORTED, SUPPORTED, CONTRADICTED]
    assert cells["matrix_2_events"] == "contradicted · 100%\n1 event, weight +1.00"  # the share behind it
    app.button(key="matrix_2_events").click().run()
    panel = html_text(app)
    assert "China — United States (machine-coded)" in panel and "not verified" in panel
    assert "href='https://" in panel and "example.org" not in panel  # the real sample's own article links


def test_the_check_view_says_why_there_is_no_events_column(app_folder, tmp_path, monkeypatch):
    app = run_app({**CHECK})
    assert not [b for b in app.button if (b.key or "").endswith("_events")]
    assert any("choose the layer *events* or *both*" in c.value for c in app.caption)
    bare = tmp_path / "bare"  # the same tables, no events
    shutil.copytree(app_folder, bare / "data", ignore=shutil.ignore_patterns("store", "events"))
    shutil.copytree(ROOT / "seeds", bare / "seeds")
    monkeypatch.setenv("EXPLORER_DATA", str(bare / "data"))
    app = run_app({**CHECK, "layer": "both"})
    assert not [b for b in app.button if (b.key or "").endswith("_events")]
    assert any("this data folder has no event layer" in c.value for c in app.caption)


def test_spans_sum_to_the_ties_weight_on_generated_events(tmp_path, dataset):
    from explorer.events.generate import write_gdelt
    from explorer.render.event_network import tie_spans

    import_events([write_gdelt(tmp_path / "g.export.CSV", 5_000, seed=3, days=120)], GDELT2, tmp_path)
    layer = build_layer(tmp_path, dataset.actors)
    spans = tie_spans(layer.dyads)
    ties = pair_ties(layer.dyads)
    assert len(ties) > 20
    for tie in ties:
        months = spans[(tie.source, tie.target)]
        assert len(months) == len(tie.months)
        assert sum(m[2] for m in months) == pytest.approx(tie.weight, abs=1e-3)
    assert not np.isnan(pd.Series([m[2] for ms in spans.values() for m in ms])).any()


def event_elements(app) -> tuple[str, dict]:
    """The event graph's element as sent (its JSON text) and the date sent apart from it."""
    found = {element.proto.component_name: element.proto for element in app.get("bidi_component")}
    graph = found["axis_explorer.graph"]
    assert graph.WhichOneof("data") == "bytes"  # serialised once per drawing, not on every rerun
    return graph.bytes.decode(), json.loads(found["axis_explorer.time"].json)


def test_as_of_travels_apart_so_the_event_graph_is_sent_byte_identical(app_folder):
    """Only the date changes between two "as of" months: the event graph's element (its ties and every panel) is
    the same bytes, which Streamlit then sends as a reference to the browser's copy; the date has its own element."""
    app = run_app({"layer": "events", "as_of": "2019-10"})
    graph, time = event_elements(app)
    assert time == {"timeOf": "explorerEvent", "asOfLabel": "2019-10", "asOf": list(partial_date_bounds("2019-10"))}
    payload = json.loads(graph)
    assert "asOf" not in payload and payload["panels"] and set(payload["panels"]) == {e["id"] for e in payload["edges"]}
    app.sidebar.select_slider(key="f_as_of").set_value("2018-06").run()
    again, time = event_elements(app)
    assert time["asOfLabel"] == "2018-06" and again == graph
    app.sidebar.multiselect(key="f_types").set_value(["armed_clash"]).run()  # curated only: the event ties stay
    app.sidebar.slider(key="f_hops").set_value(2).run()
    assert event_elements(app)[0] == graph
    app.sidebar.select_slider(key="f_from").set_value("2019-01").run()  # a new window: new ties, sent anew
    assert event_elements(app)[0] != graph


@pytest.fixture
def late_folder(tmp_path, monkeypatch):
    """The bundled tables (curated months 2017-11 to 2025-10) with generated events from June 2010 to March 2026."""
    from explorer.events.generate import write_gdelt

    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("store", "events"))
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    import_events([write_gdelt(tmp_path / "late.CSV", 5_000, start="2010-06-01", days=5780)], GDELT2,
                  tmp_path / "data")
    monkeypatch.setenv("EXPLORER_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def slider(app, key: str):
    return app.sidebar.select_slider(key=key)


def test_the_date_sliders_offer_the_event_months_while_the_layer_is_shown(late_folder):
    """Shown, the event layer's months join the sliders' (so "as of" can be a month only events have); hidden, the
    sliders offer the curated months again: a window end at the old first or last month moves to the new one, a
    month the curated months do not hold goes to the nearest."""
    app = run_app({"layer": "events", "as_of": "2026-02"})
    assert slider(app, "f_as_of").options[1] == "2010-06" and slider(app, "f_as_of").options[-1] == "2026-03"
    assert slider(app, "f_as_of").value == "2026-02" and app.query_params["as_of"] == "2026-02"
    assert (slider(app, "f_from").value, slider(app, "f_to").value) == ("2010-06", "2026-03")
    assert "from" not in app.query_params and "to" not in app.query_params
    app.sidebar.radio(key="f_layer").set_value("curated").run()
    assert slider(app, "f_as_of").options[1] == "2017-11" and slider(app, "f_as_of").options[-1] == "2025-10"
    assert slider(app, "f_as_of").value == "2025-10" and app.query_params["as_of"] == "2025-10"
    assert (slider(app, "f_from").value, slider(app, "f_to").value) == ("2017-11", "2025-10")
    assert "from" not in app.query_params and "to" not in app.query_params  # still the whole span
    slider(app, "f_from").set_value("2019-01").run()
    app.sidebar.radio(key="f_layer").set_value("both").run()
    assert (slider(app, "f_from").value, slider(app, "f_to").value) == ("2019-01", "2026-03")
    assert app.query_params["from"] == "2019-01" and "to" not in app.query_params
    assert not app.exception
