"""The Timeline in Chromium: clicking a bar or a point sets "as of" and the relation, dragging across the strip
sets the date window, clicking the bloc river sets "as of". Marks are found by the description Vega-Lite gives
each one (its tooltip fields), so the click lands on the mark itself."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
CHART = "[data-testid='stVegaLiteChart']"


def mark(page, text: str):
    """The SVG mark whose description contains `text` (e.g. 'relation: <id>')."""
    return page.locator(f"{CHART} svg path[aria-label*='{text}']").first


def wait_for_query(page, *parts: str) -> None:
    condition = " && ".join(f"location.search.includes({part!r})" for part in parts)
    page.wait_for_function(condition, timeout=30_000)


def sidebar_value(page, label: str) -> str:
    slider = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(
        has=page.get_by_text(label, exact=True))
    return slider.locator("[data-testid='stSliderThumbValue']").first.inner_text()


def test_clicking_a_state_bar_selects_it_and_sets_as_of_to_its_start(server, page):
    page.goto(server.url + "?view=Timeline")
    bar = mark(page, "relation: israel-azerbaijan-military-2021")
    bar.wait_for(timeout=45_000)
    assert page.url.find("as_of=") == -1
    bar.click()
    wait_for_query(page, "relation=israel-azerbaijan-military-2021", "as_of=2021-01")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSliderThumbValue]')]"
        ".some(e => e.innerText === '2021-01')", timeout=30_000)
    assert sidebar_value(page, "As of") == "2021-01"
    panel = page.locator(".evidence-panel")
    panel.wait_for(timeout=30_000)
    assert "Israel" in panel.inner_text() and "Azerbaijan" in panel.inner_text()


def test_clicking_an_event_point_sets_as_of_to_its_month(server, page):
    page.goto(server.url + "?view=Timeline")
    point = mark(page, "relation: taliban-iran-armed_clash-2023-05-27")
    point.wait_for(timeout=45_000)
    assert point.evaluate("e => e.closest('g.mark-symbol') !== null")  # drawn as a point, not a bar
    point.click()
    wait_for_query(page, "relation=taliban-iran-armed_clash-2023-05-27", "as_of=2023-05")


def test_dragging_across_the_strip_sets_the_date_window(server, page):
    page.goto(server.url + "?view=Timeline")
    # The month bars of January 2021 and January 2024 tell where those months begin on the strip.
    january_2021, january_2024 = mark(page, "month: 2021-01"), mark(page, "month: 2024-01")
    january_2021.wait_for(timeout=45_000)
    start, end = january_2021.bounding_box(), january_2024.bounding_box()
    tallest = mark(page, "month: 2025-07").bounding_box()  # reaches the top of the strip's plot
    y = tallest["y"] + 8  # inside the plot, above the short bars
    page.mouse.move(start["x"] + 1, y)
    page.mouse.down()
    page.mouse.move((start["x"] + end["x"]) / 2, y, steps=5)
    page.mouse.move(end["x"] + 1, y, steps=5)
    page.mouse.up()
    # Both ends snap to the nearest month boundary: 1 January 2021 and 1 January 2024.
    wait_for_query(page, "from=2021-01", "to=2023-12")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSliderThumbValue]')]"
        ".some(e => e.innerText === '2023-12')", timeout=30_000)
    assert sidebar_value(page, "From") == "2021-01"


def test_clicking_the_bloc_river_sets_as_of(server, page):
    page.goto(server.url + "?view=Timeline")
    cell = mark(page, "as of: 2023-12")
    cell.wait_for(timeout=45_000)
    cell.scroll_into_view_if_needed()
    cell.click()
    wait_for_query(page, "as_of=2023-12")
