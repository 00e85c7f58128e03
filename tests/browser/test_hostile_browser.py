"""The hostile dataset in real Chromium: tooltips hovered, evidence opened, every view and the HTML export
visited. No payload runs (no dialog, no global set, no request off the machine) and the text shows literally."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import StreamlitServer, open_every_expander, wait_for_app_idle, wait_for_graph
from tests.hostile import LITERAL, write_hostile

pytestmark = pytest.mark.browser
NOT_PWNED = "typeof window.__pwned === 'undefined'"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    running = StreamlitServer(data=write_hostile(tmp_path_factory.mktemp("hostile")))
    yield running
    running.stop()


def hover(page, point) -> None:
    page.mouse.move(point["x"], point["y"])
    page.mouse.move(point["x"] + 1, point["y"] + 1)


def test_tooltips_and_evidence_panel_show_payloads_as_text(hostile_server, page):
    page.goto(hostile_server.url + "?relation=r1")
    wait_for_graph(page)
    panel = page.locator(".evidence-panel")
    panel.wait_for(timeout=30_000)
    assert LITERAL in panel.inner_text()
    assert panel.locator("script, img, a[href^='javascript']").count() == 0
    hover(page, page.evaluate("window.explorerNodePoint('evil')"))
    tooltip = page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=15_000)
    assert LITERAL in tooltip.inner_text()
    assert tooltip.locator("script, img, a").count() == 0
    hover(page, page.evaluate("window.explorerEdgePoint('r1')"))
    page.wait_for_function("(text => text.includes('→') && text.includes('hostility'))"
                           "(document.querySelector('.vis-tooltip').innerText)", timeout=15_000)  # the line's own
    assert LITERAL in tooltip.inner_text()
    assert tooltip.locator("script, img, a").count() == 0
    assert page.evaluate(NOT_PWNED)


# Timeline and Data show no actor name in their own text (a chart, a canvas table, a filter sentence), so they
# are opened with the hostile actor chosen: its name then shows in the sidebar, and in Data's filter sentence.
@pytest.mark.parametrize(("query", "draws_graph"), [
    ("?view=Axes&target=evil", False), ("?view=Check%20axis&members=evil&target=third", False),
    ("?view=Blocs", True), ("?view=Paths&a=evil&b=third", False),
    ("?view=Sources", False), ("?view=Timeline&actor=evil", False), ("?view=Data&actor=evil", False),
    ("?actor=evil&hops=2&relation=r3", True),
])
def test_every_view_keeps_payloads_inert(hostile_server, page, query, draws_graph):
    page.goto(hostile_server.url + query)
    wait_for_app_idle(page)
    if draws_graph:
        wait_for_graph(page)
    open_every_expander(page)
    assert page.evaluate(NOT_PWNED)
    assert page.locator("[data-testid='stMain'] a[href^='javascript'], [data-testid='stMain'] script").count() == 0
    expect(page.locator("body")).to_contain_text(LITERAL)


def test_downloaded_html_export_keeps_payloads_inert(hostile_server, page, tmp_path):
    page.goto(hostile_server.url + "?view=Data")
    button = page.get_by_text("standalone HTML graph (works offline)")
    button.wait_for(timeout=30_000)
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / "export.html"
    download.value.save_as(saved)
    page.goto(saved.as_uri())
    wait_for_graph(page)
    point = page.evaluate("window.explorerEdgePoint('r1')")
    page.mouse.click(point["x"], point["y"])
    page.locator("#details blockquote").first.wait_for(timeout=10_000)
    details = page.locator("#details")
    assert LITERAL in details.inner_text()
    assert details.locator("script, img, a[href^='javascript']").count() == 0
    assert details.locator("a[href^='https://example.org']").count() == 1
    hover(page, page.evaluate("window.explorerNodePoint('other')"))
    page.locator(".vis-tooltip").wait_for(state="visible", timeout=10_000)
    assert LITERAL in page.locator(".vis-tooltip").inner_text()
    assert page.evaluate(NOT_PWNED)
