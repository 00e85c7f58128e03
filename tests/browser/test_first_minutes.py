"""A new user's first minutes in a real browser: every actor picker takes exactly the actor typed, chips show
names only, ... No fixed sleeps: each step waits for the URL or the page to say it happened."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app_idle

pytestmark = pytest.mark.browser


def url_values(page, key: str) -> list[str]:
    return page.evaluate("key => new URLSearchParams(location.search).getAll(key)", key)


def pick(page, box, typed: str) -> None:
    """Type into a picker and press Enter once the list is filtered for what was typed."""
    field = box.locator("input")
    field.click()
    field.fill(typed)
    page.wait_for_function("""typed => { const first = document.querySelector('[role=option]');
        return first && first.innerText.toLowerCase().includes(typed.toLowerCase()); }""", arg=typed)
    field.press("Enter")


def shown(box) -> list[str]:
    """What a picker shows: its chips, or the text of its box."""
    chips = box.locator(".react-aria-ComboBox [data-tag]").all_inner_texts()
    return [chip.strip() for chip in chips] or [box.locator(".react-aria-ComboBox input").input_value()]


def wait_for_url(page, key: str, wanted: list[str]) -> None:
    page.wait_for_function("([key, want]) => new URLSearchParams(location.search).getAll(key).join() === want",
                           arg=[key, ",".join(wanted)], timeout=30_000)


def picker(page, label: str):
    """The select box or multiselect whose label is `label`."""
    return page.locator("[data-testid=stMultiSelect], [data-testid=stSelectbox]").filter(
        has=page.get_by_text(label, exact=True)).first


TALIBAN = "Taliban (Islamic Emirate of Afghanistan)"
# (view URL, picker label, typed, URL key, value before, value after, name shown last): Enter adds the one best
# match, never more ("Israel" once also added the Islamic Republic of Afghanistan), and the box shows its name.
PICKS = [
    ("", "Actors", "Israel", "actor", [], ["israel"], "Israel"),
    ("?view=Check+axis", "Members (should cooperate)", "Israel", "members", ["taliban", "azerbaijan"],
     ["taliban", "azerbaijan", "israel"], "Israel"),
    ("?view=Check+axis", "Against (should be their adversary)", "Tel Aviv", "target", ["iran"], ["israel"], "Israel"),
    ("?view=Axes", "Target actor", "Ankara", "target", ["iran"], ["turkiye"], "Türkiye"),
    ("?view=Paths", "From", "Baku", "a", [], ["azerbaijan"], "Azerbaijan"),
    ("?view=Paths&a=iran", "To", "Kabul", "b", [], ["taliban"], TALIBAN),
]


@pytest.mark.parametrize(("query", "label", "typed", "key", "before", "after", "name"), PICKS,
                         ids=[f"{p[1]}:{p[2]}" for p in PICKS])
def test_enter_in_every_actor_picker_picks_exactly_one_actor(server, page, query, label, typed, key, before, after,
                                                             name):
    page.goto(server.url + query)
    wait_for_app_idle(page)
    assert url_values(page, key) == before
    box = picker(page, label)
    pick(page, box, typed)
    wait_for_url(page, key, after)
    wait_for_app_idle(page)
    assert shown(box)[-1] == name


def test_chips_show_names_not_aliases(server, page):
    page.goto(server.url + "?view=Check+axis&members=taliban&members=azerbaijan&members=israel&target=iran")
    wait_for_app_idle(page)
    assert shown(picker(page, "Members (should cooperate)")) == [TALIBAN, "Azerbaijan", "Israel"]
    assert shown(picker(page, "Against (should be their adversary)")) == ["Iran"]


def test_blocs_are_numbered_one_to_k_with_a_reading(server, page):
    page.goto(server.url + "?view=Blocs")
    wait_for_app_idle(page)
    page.locator(".blocs .bloc").first.wait_for(timeout=30_000)
    numbers = [int(n) for n in page.locator(".blocs .bloc").evaluate_all("all => all.map(b => b.dataset.bloc)")]
    labels = page.locator(".blocs .bloc b").all_inner_texts()
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    assert labels == [f"Bloc {n}:" for n in numbers]
    assert page.get_by_text(f"{len(numbers)} blocs: the split of these actors that best keeps partners together",
                            exact=False).count() == 1
