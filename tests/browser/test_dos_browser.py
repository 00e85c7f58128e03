"""Hostile input in real Chromium: Unicode digits in the URL, a compression bomb and an over-cap file in the
uploader. The page stays up, says what was refused, shows no traceback and no server path."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ROOT, wait_for_graph
from tests.test_dos import shared_string_bomb

pytestmark = pytest.mark.browser


def no_traceback(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and str(ROOT) not in body


def test_unicode_digits_in_the_url_give_notices_not_a_traceback(server, page):
    page.goto(server.url + "?from=٢٠٢٥&as_of=٢٠٢٥&to=２０２５&k=7&min_sources=11")
    wait_for_graph(page)
    notice = page.locator("[data-testid='stAlert']", has_text="Some URL parameters were ignored")
    notice.wait_for(timeout=30_000)
    text = notice.inner_text()
    for key in ("from:", "to:", "as_of:", "k:", "min_sources:"):
        assert key in text, (key, text)
    no_traceback(page)


def test_the_uploader_tells_the_real_cap_and_refuses_a_bomb_before_parsing(server, page, tmp_path):
    page.goto(server.url + "?view=Data")
    uploader = page.locator("[data-testid='stFileUploader']").first
    uploader.wait_for(timeout=30_000)
    assert "20MB per file" in uploader.inner_text()  # Streamlit's default said 200MB
    bomb = tmp_path / "actors.xlsx"
    bomb.write_bytes(shared_string_bomb())
    uploader.locator("input[type='file']").set_input_files(str(bomb))
    page.locator("[data-testid='stAlert']", has_text="problems; rows with problems are left out").wait_for(
        timeout=60_000)
    # The report is a canvas grid: its cells are in the DOM for screen readers, not visible as text.
    page.get_by_text("compression bomb", exact=False).first.wait_for(state="attached", timeout=30_000)
    no_traceback(page)


def test_an_over_cap_file_never_reaches_the_server(server, page, tmp_path):
    page.goto(server.url + "?view=Data")
    uploader = page.locator("[data-testid='stFileUploader']").first
    uploader.wait_for(timeout=30_000)
    big = tmp_path / "relations.csv"
    with big.open("wb") as handle:
        handle.truncate(21 * 2**20)
    uploader.locator("input[type='file']").set_input_files(str(big))
    page.get_by_text("File must be 20", exact=False).first.wait_for(timeout=30_000)
    assert page.get_by_text("problems; rows with problems are left out").count() == 0
    no_traceback(page)
