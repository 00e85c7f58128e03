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


def test_the_verdict_matrix_of_the_seed_question_under_two_lenses_opens_a_cells_evidence(server, page):
    page.goto(server.url + "?view=Check+axis&members=taliban&members=azerbaijan&members=israel&target=iran"
                           "&lens_a=all&lens_b=evidence")
    wait_for_app_idle(page)
    matrix = page.locator(".st-key-verdict_matrix")
    matrix.wait_for(timeout=30_000)
    cells = matrix.locator("[class*='st-key-matrix_']")
    assert cells.count() == 12  # six pairs under two lenses
    # Azerbaijan–Iran is the fifth pair: contradicted under both lenses, with its share
    for lens_number in (0, 1):
        cell = matrix.locator(f".st-key-matrix_4_{lens_number} button").first
        coloured = f"[class*='st-key-cell_contradicted-4-{lens_number}'] .st-key-matrix_4_{lens_number}"
        assert matrix.locator(coloured).count()
        assert "contradicted · 100%" in cell.inner_text()
    assert matrix.locator("[class*='st-key-cell_supported-3-1'] .st-key-matrix_3_1").count() == 1  # Taliban–Iran
    colour = matrix.locator(".st-key-matrix_4_0 button").first.evaluate(
        "b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(198, 40, 40)"  # the contradicted red
    assert page.locator(".st-key-axis_sketch img").count() == 1
    matrix.locator(".st-key-matrix_4_1 button").first.click()
    evidence = page.locator(".st-key-cell_evidence")
    evidence.wait_for(timeout=30_000)
    wait_for_app_idle(page)
    text = evidence.inner_text()
    assert "Azerbaijan – Iran" in text and "contradicted: 100 % of signed weight, 1 neutral item" in text
    assert "Qiz Qalasi" in text and "friendly Iran" in text  # the quotes themselves
    page.screenshot(path="/tmp/h25_check.png", full_page=True)


def test_the_realignment_watch_is_one_click_from_explore(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    # The watch is one of the first page's starting points (the question, the watch, the most contested pair).
    link = page.locator("[class*='st-key-start_'] button").filter(has_text="Realignment watch")
    assert "unbalanced triangles, the strongest" in link.inner_text()
    link.click()
    page.get_by_role("heading", name="Realignment watch").wait_for(timeout=30_000)
    wait_for_app_idle(page)
    assert "view=Realignment" in page.url
    heading = page.locator("[data-testid='stExpander'] summary").filter(
        has_text="Iran – Azerbaijan – Taliban (Islamic Emirate of Afghanistan)")
    assert "unbalanced since 2025-07" in heading.first.inner_text()


def test_play_on_the_axes_view_turns_azerbaijan_amber_from_the_month_its_triangle_turns(server, page):
    from explorer.render.style import PRESSURED_COLOUR

    colour = "id => window.explorerNetwork.body.data.nodes.get(id).color.background"
    page.goto(server.url + "?view=Axes&target=iran&as_of=2025-03")
    wait_for_graph(page)
    wait_for_app_idle(page)
    page.evaluate("""() => { window.__frames = []; const root = document.querySelector('.explorer-root');
        new MutationObserver(() => window.__frames.push({date: root.getAttribute('data-date'),
            azerbaijan: window.explorerNetwork.body.data.nodes.get('azerbaijan').color.background,
            caption: document.querySelector('.explorer-bloc-date').textContent}))
            .observe(root, {attributes: true, attributeFilter: ['data-date']}); }""")
    page.locator(".explorer-speed").select_option("fast")
    page.locator(".explorer-play").click()
    page.wait_for_function("window.__frames.some(f => f.date === '2025-07')", timeout=20_000)
    page.locator(".explorer-play").click()  # pause
    frames = {f["date"]: f for f in page.evaluate("window.__frames")}
    assert frames["2025-05"]["azerbaijan"] != PRESSURED_COLOUR  # not yet: no adversary of Iran among its partners
    assert frames["2025-06"]["azerbaijan"] == PRESSURED_COLOUR  # the June war: Iran–Azerbaijan–Israel turns
    assert frames["2025-06"]["caption"] == "cross-pressure as of 2025-06"
    assert page.evaluate(colour, "azerbaijan")  # still drawn after pausing
