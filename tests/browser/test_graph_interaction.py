"""The graph in a real browser: clicks answer in place (same vis-network, same zoom), the URL keeps the selection,
the actor panel's buttons are the only way a click changes the filter, the actor box picks one actor, the dark
theme is readable, positions hold while "as of" moves, and play runs in the browser without the server."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from explorer.graph import Filter, apply_filter, build_index
from explorer.graph.timeline import play_bloc_slots, play_steps
from explorer.render.network import BENDS, DEFAULT_CAP, Bend, curve_midpoint, drawn_view, relations_window
from explorer.render.style import bloc_colour, node_style
from explorer.tables import data_folder, load_dataset
from tests.browser.conftest import missed_clicks, wait_for_app_idle, wait_for_graph

pytestmark = pytest.mark.browser

GRAPH_JS = Path(__file__).resolve().parents[2] / "explorer" / "render" / "assets" / "graph.js"
QUOTE = "It argued that the Taliban’s overtures could create an emerging axis hostile to Iran"


def click_at(page, point) -> None:
    assert point, "not drawn"
    page.mouse.click(point["x"], point["y"])


def params(page) -> dict[str, list[str]]:
    return page.evaluate("Object.fromEntries([...new URLSearchParams(location.search).keys()]"
                         ".map(k => [k, new URLSearchParams(location.search).getAll(k)]))")


def test_a_line_click_shows_its_quote_in_place_and_the_url_restores_it(server, page):
    page.goto(server.url + "?actor=iran&hops=1")
    wait_for_graph(page)
    page.evaluate("window.explorerNetwork.__tag = 'first'")
    page.evaluate("window.explorerNetwork.moveTo({scale: 0.77, animation: false})")
    click_at(page, page.evaluate("window.explorerTiePoint('iran', 'taliban')"))
    tie = page.locator(".tie-panel[data-tie='iran~taliban']")
    tie.wait_for(timeout=5_000)
    assert QUOTE in tie.inner_text()
    assert "claimed by IRAF" in tie.inner_text()
    page.wait_for_function("new URLSearchParams(location.search).get('tie') === 'iran~taliban'")
    # the fragment's rerun has come back and left the very same network at the same zoom
    page.wait_for_function("document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'")
    assert page.evaluate("window.explorerNetwork.__tag") == "first"
    assert page.evaluate("window.explorerNetwork.getScale()") == pytest.approx(0.77)
    page.get_by_role("button", name="Relations", exact=True).click()
    click_at(page, page.evaluate("window.explorerEdgePoint('taliban-iran-hostility-2025-07')"))
    page.locator(".explorer-panel > .evidence-panel[data-relation='taliban-iran-hostility-2025-07']").wait_for()
    page.wait_for_function("new URLSearchParams(location.search).get('relation') === 'taliban-iran-hostility-2025-07'"
                           " && new URLSearchParams(location.search).get('lines') === 'relations'"
                           " && !new URLSearchParams(location.search).has('tie')", timeout=15_000)
    assert page.evaluate("window.explorerNetwork.__tag") == "first"
    shared = page.url
    page.goto(shared)
    wait_for_graph(page)
    panel = page.locator(".explorer-panel > .evidence-panel[data-relation='taliban-iran-hostility-2025-07']")
    panel.wait_for(timeout=30_000)
    assert QUOTE in panel.inner_text()
    assert page.evaluate("window.explorerNetwork.getSelectedEdges()") == ["taliban-iran-hostility-2025-07"]


@pytest.mark.parametrize("lines", ["ties", "relations"])
def test_every_click_at_a_line_midpoint_or_actor_centre_selects_it(server, page, lines):
    """The bundled view, in both views: parallel relations and curves of other pairs that cross near their
    middles must not put two click handles on the same spot."""
    page.goto(server.url)
    wait_for_graph(page)
    page.get_by_role("button", name=lines.capitalize(), exact=True).click()
    page.wait_for_function("lines => window.explorerGraph.lines === lines && "
                           "window.explorerNetwork.body.data.edges.getIds().length > 0", arg=lines)
    missed, clicks = missed_clicks(page)
    assert clicks >= (70 if lines == "ties" else 100)  # the whole bundled view was clicked
    assert missed == []


HANDLE_PX = float(re.search(r"const EXPLORER_HANDLE_PX = ([0-9.]+);", GRAPH_JS.read_text()).group(1))


def test_relation_handles_keep_apart_after_the_layout_moves_actors(server, page):
    """In the relations view each relation's click handle is at least EXPLORER_HANDLE_PX on screen from every actor
    centre and every handle placed before it, unless no bend offers that: a brute-force check of the bends that
    graph.js found with its grid of cells."""
    page.goto(server.url)
    wait_for_graph(page)
    page.get_by_role("button", name="Relations", exact=True).click()
    page.wait_for_function("window.explorerGraph.lines === 'relations' && window.explorerGraph.bendsFor !== null")
    scale, placed, relations, bends = page.evaluate("""() => { const g = window.explorerGraph;
      return [g.handleScale, Object.fromEntries([...g.placed].map(([id, p]) => [id, [p.x, p.y]])),
              [...g.relations].map(([id, r]) => [id, String(r.from), String(r.to), r.smooth || {}]),
              Object.fromEntries(g.bends)]; }""")
    spacing = HANDLE_PX / scale
    taken = list(placed.values())

    def clear(point) -> bool:
        return all(math.dist(point, other) >= spacing for other in taken)

    crowded = []
    for ident, start, end, smooth in relations:
        handle = curve_midpoint(placed[start], placed[end], Bend.of(bends.get(ident, smooth)))
        if not clear(handle) and any(clear(curve_midpoint(placed[start], placed[end], bend)) for bend in BENDS):
            crowded.append(ident)
        taken.append(handle)
    assert len(relations) >= 80 and crowded == []


def test_an_actor_click_opens_its_panel_and_only_focus_changes_the_filter(server, page):
    page.goto(server.url + "?actor=taliban&actor=azerbaijan&hops=0")
    wait_for_graph(page)
    ids = set(page.evaluate("window.explorerNetwork.body.data.nodes.getIds()"))
    click_at(page, page.evaluate("window.explorerNodePoint('azerbaijan')"))
    panel = page.locator(".actor-panel[data-actor='azerbaijan']")
    panel.wait_for(timeout=5_000)
    text = panel.inner_text()
    assert "Azerbaijan" in text and "Baku" in text and "AZE" in text
    assert re.search(r"Cooperative ties: \d+", text)
    page.wait_for_function("new URLSearchParams(location.search).get('selected_actor') === 'azerbaijan'")
    page.wait_for_function("document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'")
    assert params(page)["actor"] == ["taliban", "azerbaijan"]  # a plain click changes no filter
    assert set(page.evaluate("window.explorerNetwork.body.data.nodes.getIds()")) == ids
    panel.get_by_role("button", name="Focus on this actor").click()
    page.wait_for_function("new URLSearchParams(location.search).getAll('actor').join() === 'azerbaijan'",
                           timeout=30_000)
    page.wait_for_function("window.explorerNetwork.body.data.nodes.getIds().length === 1", timeout=30_000)


def test_enter_in_the_actor_box_picks_exactly_the_best_match(server, page):
    page.goto(server.url)
    wait_for_graph(page)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input").first
    for typed, wanted in (("Taliban", ["taliban"]), ("Baku", ["taliban", "azerbaijan"])):
        box.click()
        box.fill(typed)
        # Enter acts on the list as filtered for what was typed: wait until the list shows that filtering
        page.wait_for_function("""typed => { const first = document.querySelector('[role=option]');
            return first && first.innerText.toLowerCase().includes(typed.toLowerCase()); }""", arg=typed)
        box.press("Enter")
        page.wait_for_function("want => new URLSearchParams(location.search).getAll('actor').join() === want",
                               arg=",".join(wanted), timeout=30_000)
        page.keyboard.press("Escape")


def contrast(page, selector: str) -> float:
    """WCAG contrast of the element's text colour over the background it is drawn on."""
    return page.evaluate("""selector => {
        const element = document.querySelector(selector);
        const rgba = (text) => text.match(/[\\d.]+/g).map(Number);
        let node = element, background = null;
        while (node && node.nodeType === 1) {
            const colour = rgba(getComputedStyle(node).backgroundColor);
            if (colour.length < 4 || colour[3] > 0.5) { background = colour; break; }
            node = node.parentElement;
        }
        background = background || [255, 255, 255];
        const luminance = (c) => {
            const [r, g, b] = c.slice(0, 3).map(v => {
                v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const a = luminance(rgba(getComputedStyle(element).color)), b = luminance(background);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }""", selector)


def test_dark_theme_quotes_are_readable(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1300, "height": 1000}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(server.url + "?relation=taliban-iran-hostility-2025-07")
        wait_for_graph(page)
        quote = ".explorer-panel blockquote"
        page.locator(quote).first.wait_for(timeout=30_000)
        page.screenshot(path=str(tmp_path / "dark.png"))
        background = page.evaluate("getComputedStyle(document.querySelector('.explorer-panel')).backgroundColor")
        assert sum(map(int, re.findall(r"\d+", background)[:3])) < 200  # the theme really is dark
        assert contrast(page, quote) >= 4.5
    finally:
        context.close()


def test_narrow_screen_brings_the_panel_into_view(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(server.url + "?actor=iran&hops=1")
        wait_for_graph(page)
        page.evaluate("window.explorerGraph.select({kind: 'tie', id: 'iran~taliban'}, true)")
        panel = page.locator(".tie-panel[data-tie='iran~taliban']")
        panel.wait_for(timeout=5_000)
        page.wait_for_function("""() => { const box = document.querySelector('.explorer-panel').getBoundingClientRect();
            return box.top < innerHeight && box.bottom > 0; }""", timeout=5_000)
    finally:
        context.close()


def positions(page) -> dict[str, dict]:
    return page.evaluate("""() => { const net = window.explorerNetwork; const out = {};
        for (const id of net.body.data.nodes.getIds()) { out[id] = window.explorerNodePoint(id); } return out; }""")


def test_positions_hold_while_as_of_moves(server, page):
    seen = []
    for month in ("2021-06", "2023-03", "2025-07"):
        page.goto(server.url + f"?as_of={month}")
        wait_for_graph(page)
        page.wait_for_function("m => window.explorerGraph.time && window.explorerGraph.time[0] > 0 && "
                               "document.querySelector('.explorer-date').textContent === m", arg=month)
        seen.append(positions(page))
    common = set(seen[0]) & set(seen[1]) & set(seen[2])
    assert len(common) >= 15
    for actor in common:
        for other in seen[1:]:
            first, later = seen[0][actor], other[actor]
            assert abs(later["x"] - first["x"]) <= 1 and abs(later["y"] - first["y"]) <= 1
    faded = page.evaluate("window.explorerNetwork.body.data.nodes.get().filter(n => n.opacity < 1).length")
    assert faded > 0  # actors with nothing active in 2025-07 fade rather than vanish


def test_play_steps_through_dates_in_the_browser_and_pause_sets_as_of(server, page):
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append("frame")))
    page.goto(server.url)
    wait_for_graph(page)
    page.wait_for_function("document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'")
    page.evaluate("""() => { window.__dates = new Set(); const root = document.querySelector('.explorer-root');
        new MutationObserver(() => window.__dates.add(root.getAttribute('data-date')))
            .observe(root, {attributes: true, attributeFilter: ['data-date']}); }""")
    before = len(sent)
    page.locator(".explorer-play").click()
    page.wait_for_function("window.__dates.size >= 10", timeout=3_000)
    assert len(sent) == before  # no message to the server while frames run
    shown = page.locator(".explorer-date").inner_text()
    assert re.fullmatch(r"\d{4}-\d{2}", shown)
    page.locator(".explorer-play").click()  # pause
    page.wait_for_function("new URLSearchParams(location.search).get('as_of') !== null", timeout=30_000)
    month = params(page)["as_of"][0]
    page.wait_for_function("m => document.querySelector('[data-testid=stSidebar]').innerText.includes(m)", arg=month,
                           timeout=30_000)


DRAWN_COLOURS = "Object.fromEntries(window.explorerNetwork.body.data.nodes.get().map(n => [n.id, n.color.background]))"
RECORD_FRAMES = """() => { window.__frames = []; const root = document.querySelector('.explorer-root');
    new MutationObserver(() => window.__frames.push({date: root.getAttribute('data-date'), colours: DRAWN,
        caption: document.querySelector('.explorer-bloc-date').textContent}))
        .observe(root, {attributes: true, attributeFilter: ['data-date']}); }""".replace("DRAWN", DRAWN_COLOURS)


def test_play_on_blocs_recolours_actors_by_the_blocs_of_each_date_in_the_browser(server, page):
    """Each frame's drawn colours are the blocs as of that frame's month, matched across months (computed here by
    the pure functions), and the view's own colours before play are those of its "as of" step."""
    index = build_index(load_dataset(data_folder(None)).dataset)
    steps = play_steps(relations_window(index, drawn_view(index, apply_filter(index, Filter()), DEFAULT_CAP)))
    slots = dict(zip([step.as_of for step in steps], play_bloc_slots(index, Filter(), steps), strict=True))
    kinds = index.dataset.actors["kind"]

    def expected(month: str, actor: str) -> str:
        slot = slots[month].get(actor)
        return bloc_colour(slot) if slot is not None else node_style(kinds[actor]).colour

    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append("frame")))
    page.goto(server.url + "?view=Blocs&as_of=2023-06")
    wait_for_graph(page)
    wait_for_app_idle(page)
    assert page.evaluate("window.explorerGraph.steps.map(s => s.as_of)") == list(slots)
    still = page.evaluate(DRAWN_COLOURS)
    assert still == {actor: expected("2023-06", actor) for actor in still}  # the view's colours: its own date
    page.evaluate(RECORD_FRAMES)
    page.locator(".explorer-speed").select_option("fast")
    before = len(sent)
    page.locator(".explorer-play").click()
    page.wait_for_function("window.__frames.length >= 12", timeout=10_000)  # 2023-06 .. 2024-05 at least
    assert len(sent) == before  # no message to the server while frames run
    page.locator(".explorer-play").click()  # pause
    frames = page.evaluate("window.__frames")
    for frame in frames:
        assert frame["colours"] == {actor: expected(frame["date"], actor) for actor in frame["colours"]}, frame["date"]
        assert frame["caption"] == f"bloc colours as of {frame['date']}"
    colourings = {tuple(sorted(frame["colours"].items())) for frame in frames}
    assert len(colourings) >= 3  # blocs changed twice or more in these months, and the drawing followed
    # pausing sets "as of"; the view the server sends back for that date has the colours play showed
    page.wait_for_function("new URLSearchParams(location.search).get('as_of') !== '2023-06'", timeout=30_000)
    month = params(page)["as_of"][0]
    page.wait_for_function("m => document.querySelector('[data-testid=stSidebar]').innerText.includes(m)", arg=month,
                           timeout=30_000)
    wait_for_app_idle(page)
    page.wait_for_function("() => window.explorerGraph.blocStep === null")
    paused = page.evaluate(DRAWN_COLOURS)
    assert paused == {actor: expected(month, actor) for actor in paused}
