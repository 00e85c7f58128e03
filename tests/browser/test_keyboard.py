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
