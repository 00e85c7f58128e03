"""The actor pickers of a large folder in a real browser: typing the name of an actor the box does not list, then
Enter, picks that actor (sidebar multiselect and a single-actor box); a name of no actor leaves a notice in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.bench import write_synthetic
from explorer.graph import build_index
from explorer.render.pickers import best_connected
from explorer.tables import load_dataset
from tests.browser.conftest import StreamlitServer, wait_for_app_idle
from tests.browser.test_first_minutes import picker, url_values, wait_for_url

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Iterator[tuple[StreamlitServer, list[str], dict[str, str]]]:
    """A server on 1,200 synthetic actors (above the pickers' listing limit) and two actors it does not list."""
    data = write_synthetic(tmp_path_factory.mktemp("large") / "data", 12_000)
    index = build_index(load_dataset(data).dataset)
    listed = set(best_connected(index))
    unlisted = [a for a in index.actors_by_name if a not in listed][-2:]
    server = StreamlitServer(data=data)
    yield server, unlisted, index.actor_names
    server.stop()


def type_and_enter(page, box, typed: str) -> None:
    """Type a name no option shows and press Enter once the list offers to add it."""
    field = box.locator("input")
    field.click()
    field.fill(typed)
    page.wait_for_function("""typed => [...document.querySelectorAll('[role=option]')]
        .some(o => o.innerText.toLowerCase().includes(typed.toLowerCase()))""", arg=typed)
    field.press("Enter")


@pytest.mark.parametrize(("query", "label", "key"), [("", "Actors", "actor"), ("?view=Paths", "From", "a")])
def test_typing_an_unlisted_actor_picks_it(large, page, query, label, key):
    server, unlisted, names = large
    page.goto(server.url + query)
    wait_for_app_idle(page, timeout=120_000)
    actor = unlisted[0]
    assert names[actor] not in picker(page, label).inner_text()
    type_and_enter(page, picker(page, label), names[actor].lower())
    wait_for_url(page, key, [actor])
    wait_for_app_idle(page, timeout=120_000)
    type_and_enter(page, picker(page, label), "Atlantis")
    page.get_by_text("No actor named “Atlantis”").first.wait_for(timeout=60_000)
    assert url_values(page, key) == [actor]
