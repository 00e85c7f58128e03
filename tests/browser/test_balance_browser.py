"""The axis as the article sees it, in a real browser: Azerbaijan drawn and listed as cross-pressured around Iran,
and the verdict matrix of the seed question under two lenses with one cell's evidence opened."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app_idle, wait_for_graph

pytestmark = pytest.mark.browser

NODE = "id => window.explorerNetwork.body.data.nodes.get(id)"


def test_the_axes_view_for_iran_draws_and_lists_azerbaijan_as_cross_pressured(server, page):
    page.goto(server.url + "?view=Axes&target=iran")
    wait_for_graph(page)
    wait_for_app_idle(page)
    azerbaijan = page.evaluate(NODE, "azerbaijan")
    assert azerbaijan["role"] == "cross-pressured" and azerbaijan["shapeProperties"]["borderDashes"]
    assert page.evaluate(NODE, "taliban").get("role") is None  # an adversary is not drawn as cross-pressured
    assert page.get_by_label("Cross-pressure legend").count() == 1
    panel = page.locator(".st-key-cross_pressured")
    listed = panel.locator("[data-testid='stExpander'] summary").filter(has_text="Azerbaijan")
    assert listed.count() == 1
    heading = listed.inner_text()
    assert "Taliban (Islamic Emirate of Afghanistan) (unbalanced since 2025-07)" in heading
    assert "Israel (unbalanced since 2025-06)" in heading
    text = panel.inner_text()
    assert "Triangle Iran – Azerbaijan – Taliban (Islamic Emirate of Afghanistan)" in text
    assert "Triangle Iran – Azerbaijan – Israel" in text
    assert "Israel supplies arms to Azerbaijan" in text  # the triangles' evidence is in the panel
    page.screenshot(path="/tmp/h25_axes.png", full_page=True)
