"""The event layer in the browser: an event tie's panel says machine-coded and lists its top articles, whose links
open the article itself (http(s) only)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from explorer.events.formats import GDELT2_COLUMNS
from tests.browser.conftest import ROOT, StreamlitServer, wait_for_app_idle, wait_for_graph

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "data" / "events" / "gdelt-20191024143000-region.export.CSV"


@pytest.fixture(scope="module")
def events_server(tmp_path_factory):
    """The app on a scratch copy of the bundled data, so the event layer it builds stays out of the repository."""
    folder = tmp_path_factory.mktemp("events")
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns("store"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    running = StreamlitServer(data=folder / "data")
    yield running
    running.stop()


def sample_urls(a: str, b: str) -> set[str]:
    rows = pd.read_csv(SAMPLE, sep="\t", header=None, names=list(GDELT2_COLUMNS), dtype=str, keep_default_na=False,
                       quoting=3)
    pair = {a, b}
    return {row.SOURCEURL for row in rows.itertuples() if {row.Actor1CountryCode, row.Actor2CountryCode} == pair}


def test_an_event_tie_panel_lists_its_top_articles_with_working_links(events_server, page):
    page.goto(events_server.url + "?layer=events")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_graph(page, timeout=60_000)
    assert page.get_by_text("Machine-coded event ties — not verified").is_visible()
    point = page.evaluate("window.explorerEdgePoint('china~united_states')")
    page.mouse.click(point["x"], point["y"])
    panel = page.locator(".evidence-panel[data-relation='events:china~united_states']")
    panel.wait_for(timeout=10_000)
    text = panel.inner_text()
    assert "(machine-coded)" in text and "not verified" in text and "verified:" not in text.replace("not verified", "")
    assert "events (GDELT 2.0, ICEWS)" in text and "Consult, not specified below (CAMEO 040)" in text
    links = panel.locator("a[href]")
    hrefs = links.evaluate_all("all => all.map(a => [a.href, a.target, a.rel])")
    assert hrefs and {h[0] for h in hrefs} <= sample_urls("CHN", "USA")
    assert all(h[1] == "_blank" and "noopener" in h[2] and h[0].startswith(("http://", "https://")) for h in hrefs)
    url = hrefs[0][0]
    page.context.route(url, lambda route: route.fulfill(body="<title>the article</title>", content_type="text/html"))
    with page.expect_popup() as opened:
        links.first.click()
    article = opened.value
    article.wait_for_load_state()
    assert article.url == url and article.title() == "the article"
    assert page.get_by_text("The GDELT Project").first.is_visible()


def test_the_layer_switch_lives_in_the_url(events_server, page):
    page.goto(events_server.url + "?layer=both")
    wait_for_app_idle(page, timeout=120_000)
    assert page.get_by_text("Machine-coded event ties — not verified").is_visible()
    page.get_by_role("radiogroup", name="Layer").get_by_text("curated").click()
    wait_for_app_idle(page)
    page.wait_for_function("!location.search.includes('layer=')")
    # The rerun may still be drawing when the URL changes: wait for the event graph to go, rather than look once.
    page.get_by_text("Machine-coded event ties — not verified").wait_for(state="hidden", timeout=30_000)
    page.get_by_role("radiogroup", name="Layer").get_by_text("events", exact=True).click()
    page.wait_for_function("location.search.includes('layer=events')")
