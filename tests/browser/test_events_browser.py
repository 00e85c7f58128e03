"""The event layer in the browser: an event tie's panel says machine-coded and lists its top articles, whose links
open the article itself (http(s) only)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from explorer.events.formats import GDELT2_COLUMNS
from explorer.model import partial_date_bounds
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
    running.data = folder / "data"
    yield running
    running.stop()


EVENT_ROOT = ".explorer-root[data-handle='explorerEvent']"
CURATED_ROOT = ".explorer-root[data-handle='explorer']"


def wait_for_event_graph(page, timeout: float = 60_000) -> None:
    """The event graph is drawn, under its own handle (`window.explorerEventNetwork`)."""
    page.wait_for_selector(f"{EVENT_ROOT} .explorer-graph[data-stable='1']", timeout=timeout)
    page.wait_for_function("window.explorerEventNetwork && window.explorerEventNetwork.body", timeout=timeout)


def click_event_tie(page, tie: str) -> None:
    """Click an event tie's midpoint, the event graph scrolled into view first (it may be below the curated one)."""
    page.locator(EVENT_ROOT).scroll_into_view_if_needed()
    point = page.evaluate(f"window.explorerEventEdgePoint({tie!r})")
    assert point, f"{tie} is not drawn"
    page.mouse.click(point["x"], point["y"])


def sample_urls(a: str, b: str) -> set[str]:
    rows = pd.read_csv(SAMPLE, sep="\t", header=None, names=list(GDELT2_COLUMNS), dtype=str, keep_default_na=False,
                       quoting=3)
    pair = {a, b}
    return {row.SOURCEURL for row in rows.itertuples() if {row.Actor1CountryCode, row.Actor2CountryCode} == pair}


def test_an_event_tie_panel_lists_its_top_articles_with_working_links(events_server, page):
    page.goto(events_server.url + "?layer=events")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    assert page.get_by_text("Machine-coded event ties — not verified").is_visible()
    point = page.evaluate("window.explorerEventEdgePoint('china~united_states')")
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


def test_both_mode_keeps_each_graph_its_own_handle_and_its_own_clicks(events_server, page):
    page.goto(events_server.url + "?layer=both&actor=iran&hops=1&as_of=2025-12")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_graph(page)
    wait_for_event_graph(page)
    handles = page.evaluate("""() => ({same: window.explorerNetwork === window.explorerEventNetwork,
        curated: [...window.explorerGraph.relations.keys()], events: [...window.explorerEventGraph.relations.keys()],
        roots: [window.explorerGraph.root.dataset.handle, window.explorerEventGraph.root.dataset.handle]})""")
    assert not handles["same"] and handles["roots"] == ["explorer", "explorerEvent"]
    assert handles["curated"] and not [r for r in handles["curated"] if r.startswith("events:")]
    assert handles["events"] and all(r.startswith("events:") for r in handles["events"])
    # a curated line opens its own panel, in the curated graph
    page.locator(CURATED_ROOT).scroll_into_view_if_needed()
    point = page.evaluate("window.explorerTiePoint('iran', 'taliban')")
    page.mouse.click(point["x"], point["y"])
    page.locator(f"{CURATED_ROOT} .tie-panel[data-tie='iran~taliban']").wait_for(timeout=10_000)
    page.wait_for_function("new URLSearchParams(location.search).get('tie') === 'iran~taliban'")
    wait_for_app_idle(page)
    # an event tie opens its top events with their links, in the event graph; the curated panel stays
    click_event_tie(page, "iran~turkiye")  # the event ties of the same filter: Iran's
    panel = page.locator(f"{EVENT_ROOT} .evidence-panel[data-relation='events:iran~turkiye']")
    panel.wait_for(timeout=10_000)
    hrefs = panel.locator("a[href]").evaluate_all("all => all.map(a => a.href)")
    assert hrefs and set(hrefs) <= sample_urls("IRN", "TUR")
    assert page.locator(f"{CURATED_ROOT} .tie-panel[data-tie='iran~taliban']").is_visible()
    assert page.evaluate("window.explorerGraph.selection.id") == "iran~taliban"
    assert page.evaluate("window.explorerEventGraph.selection.id") == "iran~turkiye"
    page.locator(CURATED_ROOT).screenshot(path=str(ROOT / ".pytest_cache" / "events-both-curated.png"))
    page.locator(EVENT_ROOT).screenshot(path=str(ROOT / ".pytest_cache" / "events-both-events.png"))


BRIGHT_EVENT_TIES = """() => window.explorerEventNetwork.body.data.edges.get()
    .filter(edge => edge.color.opacity === 1).map(edge => edge.id).sort()"""


def test_play_on_the_event_graph_steps_through_the_months_of_its_ties(events_server, page):
    from explorer.events.layer import event_layer
    from explorer.tables import load_dataset

    folder = events_server.data
    dyads = event_layer(folder, load_dataset(folder).dataset.actors).dyads
    page.goto(events_server.url + "?layer=events")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    steps = page.evaluate("window.explorerEventGraph.steps.map(step => step.as_of)")
    assert steps[0] == dyads["month"].min() and steps[-1] == dyads["month"].max() and len(steps) > 2
    page.evaluate(f"""() => {{ window.__seen = {{}}; const root = document.querySelector("{EVENT_ROOT}");
        new MutationObserver(() => {{ if (root.dataset.date) {{ window.__seen[root.dataset.date] =
            ({BRIGHT_EVENT_TIES})(); }} }}).observe(root, {{attributes: true, attributeFilter: ['data-date']}}); }}""")
    page.locator(f"{EVENT_ROOT} .explorer-play").click()
    page.wait_for_function(f"Object.keys(window.__seen).length === {len(steps)}", timeout=60_000)
    seen = page.evaluate("window.__seen")
    for month in steps:  # at each month, bright exactly the ties with events that month
        rows = dyads[dyads["month"] == month]
        assert seen[month] == sorted(f"{a}~{b}" for a, b in zip(rows["source"], rows["target"], strict=True)), month
    assert any(seen.values()) and not all(seen.values())  # months with events and months without
    # at the end play pauses on the last month: "as of" follows, in the URL
    page.wait_for_function(f"new URLSearchParams(location.search).get('as_of') === '{steps[-1]}'", timeout=30_000)


def test_the_check_view_sets_the_event_verdicts_beside_the_curated_ones(events_server, page):
    page.goto(events_server.url + "?view=Check+axis&members=russia&members=china&target=united_states&as_of=2019-10"
              "&layer=both")
    wait_for_app_idle(page, timeout=120_000)
    matrix = page.locator(".st-key-verdict_matrix")
    matrix.get_by_text("Machine-coded events (not verified)").wait_for(timeout=30_000)
    cell = page.locator(".st-key-matrix_2_events button").first
    assert cell.inner_text().startswith("contradicted")  # China–United States: cooperative events only
    page.screenshot(path=str(ROOT / ".pytest_cache" / "events-check.png"), full_page=True)
    cell.click()
    panel = page.locator(".st-key-cell_evidence .event-panel[data-relation='events:china~united_states']")
    panel.wait_for(timeout=30_000)
    text = panel.inner_text()
    assert "(machine-coded)" in text and "not verified" in text
    hrefs = panel.locator("a[href]").evaluate_all("all => all.map(a => [a.href, a.target, a.rel])")
    assert hrefs and {h[0] for h in hrefs} <= sample_urls("CHN", "USA")
    assert all(h[1] == "_blank" and "noopener" in h[2] for h in hrefs)
    page.screenshot(path=str(ROOT / ".pytest_cache" / "events-check-cell.png"), full_page=True)


def layer_dyads(folder):
    from explorer.events.layer import event_layer
    from explorer.tables import load_dataset

    return event_layer(folder, load_dataset(folder).dataset.actors).dyads


def received_frames(page) -> list[bytes]:
    """Every websocket frame the page receives from now on (clear the list to start counting again)."""
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload if isinstance(payload, bytes) else payload.encode())))
    return frames


def bright_in(dyads, month: str) -> list[str]:
    rows = dyads[dyads["month"] == month]
    return sorted(f"{a}~{b}" for a, b in zip(rows["source"], rows["target"], strict=True))


def move_as_of(page, key: str, month: str) -> None:
    """One step of the sidebar's "As of" slider, then wait until the event graph shows that month."""
    page.locator("[data-testid='stSidebar'] input[type=range][aria-label='As of']").focus()
    page.keyboard.press(key)
    page.wait_for_function(f"new URLSearchParams(location.search).get('as_of') === '{month}'", timeout=30_000)
    wait_for_app_idle(page)
    page.wait_for_function(f"(window.explorerEventGraph.time || [])[0] === {partial_date_bounds(month)[0]}",
                           timeout=30_000)


def test_as_of_moves_the_event_graph_without_sending_its_ties_again(events_server, page):
    """The event graph's drawing and panels stay in the browser while "as of" moves: only the date travels (the
    websocket frames of the rerun carry no panel text), the fading follows the month, and a click still opens the
    tie's panel at once, with no round trip (it is on the page when the click returns)."""
    dyads = layer_dyads(events_server.data)
    frames = received_frames(page)
    page.goto(events_server.url + "?layer=events&as_of=2019-09")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    assert any(b"machine-coded: " in frame for frame in frames)  # the first visit brings every tie's panel
    assert page.evaluate(BRIGHT_EVENT_TIES) == []  # no events in September 2019
    for key, month in (("ArrowRight", "2019-10"), ("ArrowRight", "2019-11"), ("ArrowLeft", "2019-10")):
        frames.clear()
        move_as_of(page, key, month)
        assert frames and not any(b"machine-coded: " in frame for frame in frames), month
        assert page.evaluate(BRIGHT_EVENT_TIES) == bright_in(dyads, month), month
    assert bright_in(dyads, "2019-10")
    click_event_tie(page, "iran~turkiye")
    assert page.locator(f"{EVENT_ROOT} .evidence-panel[data-relation='events:iran~turkiye'] a[href]").count()
    text = page.locator(f"{EVENT_ROOT} .evidence-panel[data-relation='events:iran~turkiye']").inner_text()
    assert "machine-coded: " in text and "not verified" in text
    page.locator(EVENT_ROOT).screenshot(path=str(ROOT / ".pytest_cache" / "events-as-of.png"))


def test_the_event_graph_comes_back_whole_after_the_layer_switch(events_server, page):
    """Events, curated, events again in one session: the event graph is built anew from the copy Streamlit replays
    from the browser's cache (no panel text travels), shows the sidebar's date, and a click opens a panel."""
    dyads = layer_dyads(events_server.data)
    frames = received_frames(page)
    page.goto(events_server.url + "?layer=events&as_of=2019-10")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    layer = page.get_by_role("radiogroup", name="Layer")
    layer.get_by_text("curated").click()
    page.locator(EVENT_ROOT).wait_for(state="detached", timeout=30_000)
    wait_for_app_idle(page)
    frames.clear()
    layer.get_by_text("events", exact=True).click()
    page.locator(EVENT_ROOT).wait_for(timeout=30_000)
    wait_for_event_graph(page)
    wait_for_app_idle(page)
    assert frames and not any(b"machine-coded: " in frame for frame in frames)  # replayed, not sent again
    page.wait_for_function(f"(window.explorerEventGraph.time || [])[0] === {partial_date_bounds('2019-10')[0]}",
                           timeout=30_000)
    assert page.evaluate(BRIGHT_EVENT_TIES) == bright_in(dyads, "2019-10")
    click_event_tie(page, "china~russia")
    assert page.locator(f"{EVENT_ROOT} .evidence-panel[data-relation='events:china~russia'] a[href]").count()


@pytest.fixture(scope="module")
def late_server(tmp_path_factory):
    """The bundled tables (curated months 2017-11 to 2025-10) with generated events from June 2010 to March 2026 only:
    an event layer whose months run past the curated ones (and long enough for play to go year by year)."""
    from explorer.events.formats import GDELT2
    from explorer.events.generate import write_gdelt
    from explorer.events.ingest import import_events

    folder = tmp_path_factory.mktemp("late")
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns("store", "events"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    events = write_gdelt(folder / "late.export.CSV", 20_000, start="2010-06-01", days=5780)
    import_events([events], GDELT2, folder / "data")
    running = StreamlitServer(data=folder / "data")
    yield running
    running.stop()


def sidebar_as_of(page) -> str:
    slider = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(
        has=page.get_by_text("As of", exact=True))
    return slider.locator("[data-testid='stSliderThumbValue']").first.inner_text()


def wait_for_sidebar_as_of(page, month: str) -> None:
    page.wait_for_function(
        "month => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSlider]')].some(s => "
        "s.innerText.includes('As of') && s.querySelector('[data-testid=stSliderThumbValue]').innerText === month)",
        arg=month, timeout=30_000)
    assert sidebar_as_of(page) == month


def test_pausing_play_on_an_event_month_past_the_curated_ones_sets_as_of(late_server, page):
    """The window June 2025 to March 2026: play goes month by month, past the curated relations' last month
    (2025-10). Paused on December 2025, "as of" is December 2025: in the sidebar, the URL and the graph."""
    page.goto(late_server.url + "?layer=events&from=2025-06")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    steps = page.evaluate("window.explorerEventGraph.steps.map(step => step.as_of)")
    assert steps[0] == "2025-06" and steps[-1] == "2026-03" and "2025-12" in steps
    # pause in the frame December 2025 is shown, as a user's click on ❚❚ would (no race with the play timer)
    page.evaluate(f"""() => {{ const root = document.querySelector("{EVENT_ROOT}");
        const observer = new MutationObserver(() => {{ if (root.dataset.date === '2025-12') {{ observer.disconnect();
            root.querySelector('.explorer-play').click(); }} }});
        observer.observe(root, {{attributes: true, attributeFilter: ['data-date']}}); }}""")
    page.locator(f"{EVENT_ROOT} .explorer-play").click()
    page.wait_for_function("new URLSearchParams(location.search).get('as_of') === '2025-12'", timeout=30_000)
    wait_for_app_idle(page)
    wait_for_sidebar_as_of(page, "2025-12")
    assert "from=2025-06" in page.url and "layer=events" in page.url
    assert page.evaluate("window.explorerEventGraph.time") == list(partial_date_bounds("2025-12"))
    assert page.evaluate("window.explorerEventGraph.playing") is None


def test_pausing_play_on_a_year_past_the_last_month_says_where_as_of_went(late_server, page):
    """The whole window, 2010-06 to 2026-03, plays year by year; the last step is the end of 2026, past the last
    month the sliders offer: "as of" goes to March 2026, and the page says so in words."""
    page.goto(late_server.url + "?layer=events")
    wait_for_app_idle(page, timeout=120_000)
    wait_for_event_graph(page)
    steps = page.evaluate("window.explorerEventGraph.steps.map(step => step.as_of)")
    assert steps[0] == "2010-12" and steps[-1] == "2026-12"
    page.locator(f"{EVENT_ROOT} .explorer-speed").select_option("fast")
    page.locator(f"{EVENT_ROOT} .explorer-play").click()  # plays to the end, then pauses there
    page.get_by_text("Play paused at 2026-12, outside the months the date sliders offer (2010-06 to 2026-03)"
                     ).wait_for(timeout=60_000)
    wait_for_app_idle(page)
    wait_for_sidebar_as_of(page, "2026-03")
    page.wait_for_function("new URLSearchParams(location.search).get('as_of') === '2026-03'", timeout=30_000)
