"""In Chromium: accepting a suggestion arms the browser's "Leave site?" prompt; reloading then asks first."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_unsaved_suggestions_ask_before_the_page_is_left(server, page):
    page.goto(server.url + "?view=Suggest")
    area = page.get_by_label("Document text")
    area.wait_for(timeout=30_000)
    area.fill("Iran and Azerbaijan signed a trade deal.")
    page.get_by_label("Source URL (http or https)").fill("https://example.org/story")
    page.get_by_label("Outlet", exact=True).fill("example.org")
    published = page.get_by_label("Published (YYYY, YYYY-MM or YYYY-MM-DD)")
    published.fill("2025-07")
    published.press("Enter")
    assert page.evaluate("globalThis.explorerLeaveGuard === true") is False
    page.get_by_text("Iran → Azerbaijan").first.click()
    add = page.get_by_role("button", name="Add 1 accepted to this session")
    add.wait_for(timeout=30_000)
    add.click()
    page.wait_for_function("globalThis.explorerLeaveGuard === true", timeout=30_000)
    cancelled = page.evaluate("""() => { const e = new Event('beforeunload', {cancelable: true});
                                         window.dispatchEvent(e); return e.defaultPrevented; }""")
    assert cancelled  # our handler asks the browser to confirm leaving
