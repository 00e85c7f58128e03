"""The actor picker on a large data set: a bounded list (the chosen, then the best-connected), and typed text that
reaches any actor by id, name or alias, or is dropped with a notice in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.bench import write_synthetic
from explorer.graph import build_index
from explorer.render import pickers
from explorer.render.pickers import ALIAS_MARK, LISTED_ACTORS, actor_of, best_connected, bounded_options, picker_options
from explorer.tables import load_dataset

APP = str(Path(__file__).resolve().parent.parent / "explorer" / "app" / "main.py")
RELATIONS = 12_000  # the generator makes one actor per ten relations: 1,200 actors, above LISTED_ACTORS


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("large") / "data", RELATIONS)


@pytest.fixture(scope="module")
def index(large):
    return build_index(load_dataset(large, cached=False).dataset)


def test_a_large_picker_lists_the_chosen_then_the_best_connected(index):
    assert len(index.actor_ids) > LISTED_ACTORS
    degree = dict(zip(index.actor_ids, index.degree.tolist(), strict=True))
    top = best_connected(index)
    assert len(top) == LISTED_ACTORS and top == sorted(top, key=lambda a: index.actor_names[a].casefold())
    top.clear()  # a caller changing its list changes nothing kept: the next call lists the same actors
    top = best_connected(index)
    assert len(top) == LISTED_ACTORS
    weakest_listed = min(degree[a] for a in top)
    assert all(degree[a] <= weakest_listed for a in set(index.actor_ids) - set(top))
    left_out = min(set(index.actor_ids) - set(top), key=lambda a: degree[a])
    options = bounded_options(index, [left_out, "no-such-id", top[5]])
    actors = [o for o in options if ALIAS_MARK not in o]
    assert actors[:2] == [left_out, top[5]] and sorted(actors) == sorted({left_out, *top})
    assert {actor_of(o) for o in options} == set(actors)
    # below the limit nothing changes: every actor, as before
    some = list(index.actor_ids[:50])
    assert bounded_options(index, [], some) == picker_options(index, some)


def test_typed_text_resolves_to_any_actor_or_is_named_as_unknown(index):
    hidden = next(a for a in reversed(index.actors_by_name) if a not in set(best_connected(index)))
    name = index.actor_names[hidden]
    typed = [name.upper(), hidden, f"{hidden}{ALIAS_MARK}alias", "  " + name.lower() + " ", "Atlantis"]
    assert pickers.resolve_typed(index, typed) == ([hidden], ["Atlantis"])
    assert pickers.no_actor_words(["Atlantis"]) == "No actor named “Atlantis”: nothing added for it."


def test_typing_an_unlisted_actor_in_the_sidebar_selects_it(large, monkeypatch, index):
    monkeypatch.setenv("EXPLORER_DATA", str(large))
    hidden = next(a for a in index.actors_by_name if a not in set(best_connected(index)))
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    box = app.sidebar.multiselect(key="f_actors")
    assert hidden not in box.options and "best-connected" in box.help
    box.set_value([index.actor_names[hidden].lower()]).run()
    assert not app.exception, app.exception
    assert app.session_state["f_actors"] == [hidden]
    app.sidebar.multiselect(key="f_actors").set_value([hidden, "Atlantis"]).run()
    assert not app.exception, app.exception
    assert app.session_state["f_actors"] == [hidden]
    assert any("No actor named “Atlantis”" in w.value for w in app.sidebar.warning)
