"""The app in a real browser: URL filters, date filters, clicking a line, reloading, the Iran axis."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.graph import Filter, apply_filter, build_index
from explorer.tables import load_dataset
from tests.browser.conftest import graph_ids, wait_for_graph

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def index():
    return build_index(load_dataset(ROOT / "data").dataset)


def expected(index, chosen: Filter) -> tuple[set[str], set[str]]:
    view = apply_filter(index, chosen)
    return set(view.actors), set(view.relation_ids(index))


def test_actor_filter_in_the_url_shows_its_actors_and_relations(server, page, index):
    page.goto(server.url + "?actor=Baradar&hops=1&lines=relations")
    wait_for_graph(page)
    assert graph_ids(page) == expected(index, Filter(actors=("baradar",), hops=1))
    assert page.get_by_text("3 actors · 7 relations").count() == 1


def test_date_filter_changes_actors_and_relations(server, page, index):
    page.goto(server.url + "?actor=iran&hops=1&lines=relations")
    wait_for_graph(page)
    everything = graph_ids(page)
    page.goto(server.url + "?actor=iran&hops=1&from=2025-06&to=2025-07&lines=relations")
    wait_for_graph(page)
    windowed = graph_ids(page)
    assert windowed == expected(index, Filter(actors=("iran",), hops=1, start="2025-06", end="2025-07"))
    assert windowed != everything and windowed[1] < everything[1]


def click_relation(page, relation_id: str) -> None:
    point = page.evaluate("id => window.explorerEdgePoint(id)", relation_id)
    assert point, f"{relation_id} is not drawn"
    page.mouse.click(point["x"], point["y"])


def selection(page) -> dict | None:
    return page.evaluate("window.explorerGraph.selection")


def test_axis_view_for_iran_shows_the_seed_axis(server, page):
    page.goto(server.url + "?view=Axes&target=iran")
    wait_for_graph(page)
    page.get_by_text("Against Iran").wait_for(timeout=30_000)
    body = page.inner_text("body")
    assert "Taliban (Islamic Emirate of Afghanistan) — weight" in body
    assert "IRAF" in body  # whose claim the Taliban threat is
    assert "Israel — weight" in body
    assert "Azerbaijan — via" in body and "Taliban (Islamic Emirate of Afghanistan)" in body
    nodes = page.evaluate("window.explorerNetwork.body.data.nodes.get({fields: ['id', 'borderWidth']})")
    assert {"id": "iran", "borderWidth": 5} in nodes


def test_the_page_draws_the_graph_with_no_request_off_the_machine(server, page):
    page.goto(server.url)
    wait_for_graph(page)  # the page fixture fails the test if anything off localhost was requested
    assert page.evaluate("typeof window.vis") == "object"


def test_selecting_a_table_row_opens_its_evidence(server, page, index):
    page.goto(server.url + "?actor=baradar&hops=0&actor=taliban")
    wait_for_graph(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the selection cell of the first row
    panel = page.locator(".explorer-panel .evidence-panel[data-relation='baradar-taliban-membership-2025-07']")
    panel.wait_for(timeout=30_000)
    assert "deputy prime minister for economic affairs" in panel.inner_text()
    page.wait_for_function("location.search.includes('relation=baradar-taliban-membership-2025-07')")


def test_clicking_a_highlighted_quote_in_the_reader_opens_its_relation(server, page):
    page.goto(server.url + "?view=Sources")
    link = page.locator("a.quote-link[href*='relation=taliban-iran-hostility-2025-07']").first
    link.wait_for(timeout=30_000)
    link.click()
    page.wait_for_function("location.search.includes('relation=taliban-iran-hostility-2025-07')", timeout=30_000)
    wait_for_graph(page)
    panel = page.locator(".evidence-panel")
    panel.wait_for(timeout=30_000)
    assert "It argued that the Taliban’s overtures could create an emerging axis" in panel.inner_text()
    assert selection(page) == {"kind": "relation", "id": "taliban-iran-hostility-2025-07"}
    assert page.evaluate("window.explorerNetwork.getSelectedEdges()") == ["iran~taliban"]  # its tie
