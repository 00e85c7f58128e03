"""The keyboard alone: Tab to the relations table and select a row with Enter or Space; Tab to the graph, move
between actors with the arrow keys, select with Enter, clear with Escape. No mouse, no fixed sleeps."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app_idle, wait_for_graph

pytestmark = pytest.mark.browser

VIEW = "?actor=taliban&actor=azerbaijan&hops=0"  # a small view: few links to Tab past
ROW = ("() => { const row = document.activeElement.closest('tr'); "
       "return row ? [...row.cells].map(cell => cell.innerText) : []; }")


def tab_until(page, condition: str, presses: int = 300) -> None:
    """Press Tab until `condition` (a JS expression over document.activeElement) holds."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const active = document.activeElement; return !!({condition}); }}"):
            return
    raise AssertionError(f"Tab never reached {condition}")


def move_down(page) -> list[str]:
    """ArrowDown in the table: wait until the focused cell is in the next row; return that row's cells."""
    before = page.evaluate("() => { const row = document.activeElement.closest('tr'); "
                           "return row ? Number(row.getAttribute('aria-rowindex')) : 1; }")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("before => { const row = document.activeElement.closest('tr'); "
                           "return !!row && Number(row.getAttribute('aria-rowindex')) > before; }", arg=before)
    return page.evaluate(ROW)


def wait_for_relation_panel(page, row: list[str], previous: str | None) -> str:
    """A new relation is selected (the URL says which), its evidence panel is open, and it is this table row's
    (source and target in the row's first two cells)."""
    page.wait_for_function("""([source, target, previous]) => {
        const relation = new URLSearchParams(location.search).get('relation');
        const panel = document.querySelector('.explorer-panel > .evidence-panel');
        return !!relation && relation !== previous && !!panel && panel.dataset.relation === relation
            && panel.querySelector('h3').innerText === source + ' → ' + target; }""",
                           arg=[*row[:2], previous], timeout=30_000)
    return page.evaluate("new URLSearchParams(location.search).get('relation')")


def test_enter_and_space_select_a_row_of_the_relations_table(server, page):
    page.goto(server.url + VIEW)
    wait_for_graph(page)
    wait_for_app_idle(page)
    tab_until(page, "active.closest('[data-testid=stDataFrame]') && active.tagName === 'CANVAS'")
    move_down(page)
    first = move_down(page)
    assert len(first) > 3
    page.keyboard.press("Enter")
    selected = wait_for_relation_panel(page, first, None)
    wait_for_app_idle(page)
    second = move_down(page)
    page.keyboard.press("Space")
    other = wait_for_relation_panel(page, second, selected)
    wait_for_app_idle(page)
    page.keyboard.press("Enter")  # the selected row stays selected: Enter selects, it does not toggle
    wait_for_app_idle(page)
    assert page.evaluate("document.activeElement.closest('tr').getAttribute('aria-selected')") == "true"
    assert page.evaluate("new URLSearchParams(location.search).get('relation')") == other


GRAPH = "active.classList.contains('explorer-graph')"
CURSOR = "document.querySelector('.explorer-graph').dataset.cursor || ''"


def cursor_point(page) -> tuple[str, dict]:
    actor = page.evaluate(CURSOR)
    return actor, page.evaluate("id => window.explorerNodePoint(id)", actor)


def nearest_to_the_right(page, actor: str) -> str:
    """The oracle: the nearest drawn actor within 45° of straight right, from the page's own points."""
    points = page.evaluate("() => Object.fromEntries(window.explorerNetwork.body.data.nodes.getIds()"
                           ".map(id => [id, window.explorerNodePoint(id)]))")
    origin = points[actor]
    ahead = {other: point for other, point in points.items()
             if point["x"] - origin["x"] > 0 and abs(point["y"] - origin["y"]) <= point["x"] - origin["x"]}
    return min(ahead, key=lambda other: (ahead[other]["x"] - origin["x"]) ** 2 + (ahead[other]["y"] - origin["y"]) ** 2)


def inside_graph(page, point: dict) -> bool:
    box = page.locator(".explorer-graph").bounding_box()
    return box["x"] <= point["x"] <= box["x"] + box["width"] and box["y"] <= point["y"] <= box["y"] + box["height"]


def test_arrow_keys_move_between_actors_enter_selects_escape_clears(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    wait_for_app_idle(page)
    tab_until(page, GRAPH)
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "Arrow keys" in label and "Enter" in label
    page.wait_for_function(f"!!({CURSOR})")
    start, _ = cursor_point(page)
    name = page.evaluate("id => window.explorerGraph.name(id)", start)
    page.wait_for_function("name => document.querySelector('.explorer-live').textContent.includes(name)", arg=name)
    expected = nearest_to_the_right(page, start)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"want => ({CURSOR}) === want", arg=expected)
    page.keyboard.press("Enter")
    page.locator(f".explorer-panel .actor-panel[data-actor='{expected}']").wait_for(timeout=5_000)
    page.wait_for_function("want => new URLSearchParams(location.search).get('selected_actor') === want", arg=expected)
    page.keyboard.press("Escape")
    page.locator(".explorer-panel .explorer-list").wait_for(timeout=5_000)  # the intro with its list of ties
    page.wait_for_function("!new URLSearchParams(location.search).has('selected_actor')")
    assert page.evaluate("document.activeElement.classList.contains('explorer-graph')")


def test_the_view_follows_the_keyboard_cursor_off_screen(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    wait_for_app_idle(page)
    tab_until(page, "active.getAttribute('aria-label') === 'Zoom in'")
    for _ in range(5):
        page.keyboard.press("Enter")
    tab_until(page, GRAPH)
    page.wait_for_function(f"!!({CURSOR})")
    seen = set()
    for key in ["ArrowLeft"] * 4 + ["ArrowUp"] * 3 + ["ArrowRight"] * 6 + ["ArrowDown"] * 5:
        page.keyboard.press(key)  # the page handles a key press before press() returns
        actor, point = cursor_point(page)
        seen.add(actor)
        assert inside_graph(page, point), f"{actor} is off the canvas after {key}"
    assert len(seen) >= 5  # the cursor really travelled
