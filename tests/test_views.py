"""The view parameters as data (explorer/graph/views.py): every key reads, defaults, bounds and refuses alone,
without Streamlit."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.graph import build_index, views
from explorer.graph.filters import FIELD_BY_KEY
from explorer.tables import load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundled():
    return build_index(load_dataset(ROOT / "data").dataset)


@pytest.fixture
def tiny(make_data):
    return build_index(load_dataset(make_data()).dataset)


def test_no_view_key_shadows_a_filter_key():
    assert not set(views.PARAM_BY_KEY) & set(FIELD_BY_KEY) and len(views.PARAM_BY_KEY) == len(views.PARAMS)


def test_defaults_come_from_the_data(bundled, tiny):
    """The bundled data's defaults are the seed article's axis; another data set gets its own actors."""
    assert views.most_opposed(bundled) == "iran"
    assert views.default_members(bundled) == ["taliban", "azerbaijan"]
    assert views.default_lenses(bundled) == ("iraf", "evidence")
    assert views.most_opposed(tiny) == "alpha"  # the one adversarial relation is gamma -> alpha: alpha is listed first
    assert views.default_members(tiny) == ["beta", "gamma"]
    assert views.default_lenses(tiny) == ("", "evidence")  # gamma speaks of its own act: no claim, so all voices
    values, notices = views.read_view({}, tiny)
    assert notices == [] and values["target"] == "alpha" and values["view"] == views.VIEWS[0]


@pytest.mark.parametrize("spec", [p for p in views.PARAMS if p.bounds], ids=lambda p: p.key)
def test_every_number_keeps_its_bounds(bundled, spec):
    lo, hi = spec.bounds
    for good in (lo, hi):
        values, notices = views.read_view({spec.key: [str(good)]}, bundled)
        assert values[spec.key] == good and notices == []
    for bad, said in ((str(lo - 1), f"outside {lo}–{hi}"), (str(hi + 1), f"outside {lo}–{hi}"),
                      ("３", "not a whole number"), ("1.5", "not a whole number"), ("x" * 300, "not a whole number")):
        values, notices = views.read_view({spec.key: [bad]}, bundled)
        assert values[spec.key] == spec.default(bundled), bad
        assert len(notices) == 1 and notices[0].startswith(f"{spec.key}: ") and said in notices[0], notices
    assert spec.choices == list(range(lo, hi + 1))


BAD = {"view": "Nowhere", "relation": "no-such-relation", "tie": "iran~nobody", "selected_actor": "nobody",
       "lines": "curves", "target": "nobody", "a": "nobody", "b": "nobody", "members": "nobody",
       "lens_a": "nobody", "lens_b": "according:nobody", "document": "../etc/passwd", "layer": "flat"}


@pytest.mark.parametrize("spec", [p for p in views.PARAMS if not p.bounds], ids=lambda p: p.key)
def test_every_other_key_refuses_a_bad_value_with_a_notice(bundled, spec):
    values, notices = views.read_view({spec.key: [BAD[spec.key]]}, bundled)
    assert values[spec.key] == ([] if spec.many else spec.default(bundled))  # members asked for: none known
    assert len(notices) == 1 and notices[0].startswith(f"{spec.key}: ") and "ignored" in notices[0], notices


GOOD = {"view": ("Blocs", "Blocs"), "relation": ("taliban-iran-hostility-2025-07",) * 2,
        "tie": ("Iran~taliban", "iran~taliban"), "selected_actor": ("Israel", "israel"), "lines": ("relations",) * 2,
        "target": ("azerbaijan", "azerbaijan"), "a": ("Iran", "iran"), "b": ("israel", "israel"),
        "members": ("israel", ["israel"]), "lens_a": ("all", ""), "lens_b": ("according:iran", "iran"),
        "document": ("000_ff18c378545b59ec.txt",) * 2, "layer": ("events", "events")}


@pytest.mark.parametrize("spec", [p for p in views.PARAMS if not p.bounds], ids=lambda p: p.key)
def test_every_other_key_reads_a_good_value(bundled, spec):
    text, expected = GOOD[spec.key]
    values, notices = views.read_view({spec.key: [text]}, bundled)
    assert values[spec.key] == expected and notices == []


def test_repeats_long_values_and_unknown_keys_get_notices(bundled):
    values, notices = views.read_view({"target": ["israel", "iran"], "members": ["iran", "Iran", "nobody"],
                                 "actor": ["iran"], "zzz": ["1"]}, bundled)
    assert values["target"] == "iran" and values["members"] == ["iran"]
    assert notices == ["target: given 2 times; only the last, 'iran', is used",
                       "members: unknown actor 'nobody' ignored", "zzz: not a parameter of this app (ignored)"]
    values, notices = views.read_view({"lens_a": ["usa"]}, bundled)  # a known actor whose claims the data lacks
    assert values["lens_a"] == "iraf" and notices == ["lens_a: no claims of 'usa' in this data (ignored)"]
    values, notices = views.read_view({"document": ["a" * 10_000]}, bundled)
    assert values["document"] == "" and len(notices[0]) < 200


def test_selection_prefers_a_relation_then_a_tie_then_an_actor():
    assert views.selection_of({"relation": "r1", "tie": "a~b", "selected_actor": "c"}) == "relation:r1"
    assert views.selection_of({"relation": "", "tie": "a~b", "selected_actor": "c"}) == "tie:a~b"
    assert views.selection_of({"selected_actor": "c"}) == "actor:c" and views.selection_of({}) == ""


def test_written_params_read_back_to_the_same_view(bundled):
    values = {"view": "Paths", "a": "iran", "b": "israel", "length": 2, "cap": 300, "k": 3, "target": "iran",
              "lines": "relations", "document": "x"}
    params = views.view_params(values, bundled)
    # cap is the default, k and target and document belong to other views
    assert params == {"view": ["Paths"], "lines": ["relations"], "length": ["2"], "a": ["iran"], "b": ["israel"]}
    again, notices = views.read_view(params, bundled)
    assert notices == [] and all(again[k] == v for k, v in values.items() if k in params)
    check = views.view_params({"view": "Check axis", "target": "iran", "members": ["taliban"], "lens_a": "",
                         "lens_b": "evidence"}, bundled)
    assert check == {"view": ["Check axis"], "target": ["iran"], "members": ["taliban"], "lens_a": ["all"],
                     "lens_b": ["evidence"]}  # always written on their view, defaults or not
    assert views.view_params({"view": "Explore"}, bundled) == {}


def test_the_sliders_offer_every_month_the_data_mentions(tiny, make_data):
    """From the first start (2024-05, an open-ended alliance) to the last day mentioned (2024-06-01); a URL month
    outside that span lands on the nearer end."""
    months = views.months_of(tiny)
    assert months.options == ("2024-05", "2024-06") and (months.first, months.last) == ("2024-05", "2024-06")
    assert [months.clamp(m) for m in ("2020-01", "2024-06", "2031-12")] == ["2024-05", "2024-06", "2024-06"]
    longer = make_data(relations_csv=[
        {"id": "r1", "source": "alpha", "target": "beta", "type": "alliance", "polarity": "1", "start": "2023-11",
         "end": "2024-02-10", "confidence": "high", "summary": "Pact."}])
    assert views.months_of(build_index(load_dataset(longer).dataset)).options == (
        "2023-11", "2023-12", "2024-01", "2024-02")


def test_without_relations_the_sliders_offer_the_last_day_month(make_data):
    empty = build_index(load_dataset(make_data(relations_csv=[], evidence_csv=[])).dataset)
    months = views.months_of(empty)
    assert len(months.options) == 1 and months.first == months.last


def test_lens_choices_are_all_voices_evidence_then_each_claimant_in_words(bundled, tiny):
    assert views.lens_options(tiny) == ["", "evidence"]
    options = views.lens_options(bundled)
    assert options[:2] == ["", "evidence"] and "iraf" in options and options[2:] == sorted(options[2:])
    words = views.lens_words(bundled)
    assert words("") == "all voices" and words("evidence") == "evidence (claims excluded)"
    name = bundled.dataset.actors.loc["iraf", "name"]
    assert words("iraf") == f"according to {name} (its claims and neutral reporting)"
