"""Browser benchmark of the graph: click to panel, filter change to drawn graph, first load, click accuracy, play.

Run: .venv/bin/python tools/browser_bench.py [--clicks 24] [--large DIR] | --first-page DIR [--runs 5]
     | --events DIR [--runs 5] [--clicks 24]  (the event layer of DIR, `?layer=events`: load, "as of", clicks,
       bytes per rerun)
A real `streamlit run` and Debian's Chromium (Playwright). Every figure is measured in the page, from the input
event to the first animation frame that shows the result, and printed beside the time vis-network alone needs
to draw the same view (a fresh vis.Network on the same nodes and edges, or a redraw of the selection).
`--large DIR` repeats load, filter change and play on another data folder, e.g. the synthetic 100k set:
  .venv/bin/python -c "from explorer.bench import synthetic_tables; ..."  (see README, Speed).
Play on the Blocs view (actors recoloured by their blocs at every step) is measured on the default view of the
bundled data and, with `--large`, on the view of the actor whose neighbourhood is nearest 300 actors (hops 1), with
the server's time to find the blocs of every step (timed here, outside the app's cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from explorer.graph import Filter, Index, apply_filter, build_index  # noqa: E402
from explorer.graph.timeline import play_bloc_slots, play_steps  # noqa: E402
from explorer.graph.views import months_of  # noqa: E402
from explorer.model import months_between  # noqa: E402
from explorer.render.network import DEFAULT_CAP, drawn_view, relations_window  # noqa: E402
from explorer.tables import data_folder, load_dataset  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, StreamlitServer, missed_clicks  # noqa: E402

IDLE = "document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'"
# presentedAt: the frame showing the new data is on screen (graph.js markPresented: the second animation frame after
# setData, so after the layout, the relations' bends and the resize observer's refit). drawnAt, vis-network's first
# draw of the data, comes inside fit() before that work and is printed beside it as the earlier, optimistic mark.
DRAWN = "window.explorerGraph && window.explorerGraph.presentedAt !== undefined"

VIS_ALONE = """() => { const g = window.explorerGraph; const div = document.createElement('div');
  div.style.cssText = `position:absolute;left:-9000px;top:0;width:${g.container.offsetWidth}px;` +
                      `height:${g.container.offsetHeight}px`;
  document.body.appendChild(div);
  const nodes = new vis.DataSet(g.nodes.get()), edges = new vis.DataSet(g.edges.get());
  const start = performance.now();
  const network = new vis.Network(div, {nodes: nodes, edges: edges}, g.visOptions || {});
  network.redraw();
  const took = performance.now() - start;
  network.destroy(); div.remove(); return took; }"""
VIS_REDRAW = ("() => { const start = performance.now(); window.explorerNetwork.redraw(); "
              "return performance.now() - start; }")
ARM_PANEL = """() => { window.__panel = new Promise(resolve => {
  let start = null;
  document.addEventListener('pointerdown', () => { start = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => { if (start === null) { return; } observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - start)); });
  observer.observe(document.querySelector('.explorer-panel'), {childList: true, subtree: true}); }); }"""
ARM_INPUT = """() => { window.__input = null;
  const mark = () => { window.__input = performance.now(); };
  document.addEventListener('pointerdown', mark, {capture: true, once: true});
  document.addEventListener('keydown', mark, {capture: true, once: true}); }"""
WAIT_DRAWN_AFTER_INPUT = "window.__input !== null && window.explorerGraph.presentedAt > window.__input"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def open_page(browser, url: str, width: int = 1400):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=120_000)
    page.wait_for_function(IDLE, timeout=120_000)
    return context, page


def first_load(browser, url: str, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Per fresh page: ms from navigation start to the presented frame, to vis-network's first draw, and
    vis-network alone."""
    loads, drawn, alone = [], [], []
    for _ in range(runs):
        context, page = open_page(browser, url)
        presented, first_draw = page.evaluate("[window.explorerGraph.presentedAt, window.explorerGraph.drawnAt]")
        loads.append(presented)
        drawn.append(first_draw)
        alone.append(page.evaluate(VIS_ALONE))
        context.close()
    return loads, drawn, alone


def clicks(page, count: int) -> tuple[list[float], list[float]]:
    """Alternate tie midpoints and actor centres; each time from pointerdown to the frame showing the panel."""
    ties = page.evaluate("[...window.explorerGraph.ties.keys()]")
    actors = page.evaluate("window.explorerNetwork.body.data.nodes.getIds()")
    targets = [("tie", t) for t in ties[: count // 2]] + [("actor", a) for a in actors[: count - count // 2]]
    times, alone = [], []
    for kind, ident in targets:
        point = page.evaluate(f"window.{'explorerTiePoint' if kind == 'tie' else 'explorerNodePoint'}({ident!r})")
        page.evaluate(ARM_PANEL)
        page.mouse.click(point["x"], point["y"])
        times.append(page.evaluate("window.__panel"))
        alone.append(page.evaluate(VIS_REDRAW))
        page.wait_for_function(IDLE, timeout=60_000)
    return times, alone


def filter_changes(page, count: int) -> tuple[list[float], list[float], list[float]]:
    """Set "Minimum confidence" to high, then back to any: from the pick to the first frame of the new graph.

    A selectbox rather than a checkbox because every data set has confidence levels to filter on, while a
    flag such as "hide single-perspective" may leave a synthetic view unchanged (and then nothing redraws)."""
    times, drawn, alone = [], [], []
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Minimum confidence")
    for step in range(count):
        box.click()  # Streamlit 1.67's select box is a combo box: typing filters its options, Enter picks the first
        page.keyboard.type("high" if step % 2 == 0 else "any")
        page.evaluate(ARM_INPUT)
        page.keyboard.press("Enter")
        page.wait_for_function(WAIT_DRAWN_AFTER_INPUT, timeout=60_000)
        presented, first_draw = page.evaluate("[window.explorerGraph.presentedAt - window.__input, "
                                              "window.explorerGraph.drawnAt - window.__input]")
        times.append(presented)
        drawn.append(first_draw)
        alone.append(page.evaluate(VIS_ALONE))
        page.wait_for_function(IDLE, timeout=60_000)
    return times, drawn, alone


def accuracy(page, lines: str) -> tuple[int, int, int, int]:
    """Click every drawn line's midpoint and every actor's centre; count the ones that select what was aimed at,
    and print the misses (aimed at → selected)."""
    page.evaluate(f"window.explorerGraph.setLines({lines!r}, false)")
    edges = set(page.evaluate("window.explorerNetwork.body.data.edges.getIds()"))
    nodes = len(page.evaluate("window.explorerNetwork.body.data.nodes.getIds()"))
    missed, _ = missed_clicks(page)
    for aimed, selected in missed:
        print(f"  {lines}: a click at {aimed} selected {selected or 'nothing'}", file=sys.stderr)
    missed_lines = sum(aimed in edges for aimed, _ in missed)
    page.wait_for_function(IDLE, timeout=60_000)
    return len(edges) - missed_lines, len(edges), nodes - (len(missed) - missed_lines), nodes


def play_fps(page, seconds: float = 3.0) -> tuple[float, float]:
    """Frames (dates shown) per second while playing, and canvas redraws per second."""
    page.evaluate("""() => { window.__dates = []; const root = document.querySelector('.explorer-root');
        window.__observer = new MutationObserver(() => window.__dates.push(performance.now()));
        window.__observer.observe(root, {attributes: true, attributeFilter: ['data-date']});
        window.__frames = window.explorerGraph.frames; }""")
    page.locator(".explorer-play").click()
    page.wait_for_timeout(seconds * 1000)  # a measurement window, not a wait for a state
    dates, frames = page.evaluate("[window.__dates, window.explorerGraph.frames - window.__frames]")
    page.locator(".explorer-play").click()
    page.wait_for_function(IDLE, timeout=60_000)
    fps = (len(dates) - 1) / ((dates[-1] - dates[0]) / 1000) if len(dates) > 1 else 0.0
    return fps, frames / seconds


def actor_near(index: Index, size: int) -> str:
    """The actor whose neighbours (hops 1) number nearest `size`: a view of about that many actors."""
    neighbours: dict[int, set[int]] = {}
    for source, target in zip(index.source_code.tolist(), index.target_code.tolist(), strict=True):
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    best = min(neighbours, key=lambda code: (abs(len(neighbours[code]) + 1 - size), code))
    return str(index.actor_ids[best])


def bloc_steps_seconds(index: Index, chosen: Filter) -> tuple[float, int]:
    """Server time to find and match the blocs of every play step of a view (no cache), and the step count."""
    steps = play_steps(relations_window(index, drawn_view(index, apply_filter(index, chosen), DEFAULT_CAP)))
    start = time.perf_counter()
    play_bloc_slots(index, chosen, steps)
    return time.perf_counter() - start, len(steps)


def blocs_play(browser, url: str) -> list[str]:
    """The Blocs view opened once on a fresh server (its blocs and every play step's found then), then played."""
    context, page = open_page(browser, url)
    load = page.evaluate("window.explorerGraph.presentedAt")
    recoloured = page.evaluate("!!window.explorerGraph.blocSlots")
    fps, redraws = play_fps(page)
    context.close()
    return [f"| Blocs view, first visit → drawn graph (fresh server finds every step's blocs) | {load:.0f} | | 1 | | |",
            f"| play on Blocs{'' if recoloured else ' (colours not followed: too many actors)'}: dates per second "
            f"(canvas redraws/s) | {fps:.1f} ({redraws:.1f}) | | | | ≥ 5 |"]


def row(name: str, values: list[float], alone: list[float] | None, target: str) -> str:
    vis = f"{median(alone):.0f}" if alone else "—"
    return f"| {name} | {median(values):.0f} | {max(values):.0f} | {len(values)} | {vis} | {target} |"


def run(data: Path | None, clicks_wanted: int, label: str, full: bool) -> list[str]:
    index = build_index(load_dataset(data if data is not None else data_folder(None)).dataset)
    blocs_filter, blocs_query = Filter(), "?view=Blocs"
    if data is not None:  # a view of about 300 actors: the whole 100k set has 10,000
        actor = actor_near(index, 300)
        blocs_filter, blocs_query = Filter(actors=(actor,), hops=1), f"?view=Blocs&actor={actor}&hops=1"
    seconds, steps = bloc_steps_seconds(index, blocs_filter)
    actors = len(apply_filter(index, blocs_filter).actors)
    server = StreamlitServer(data=data)
    out = [f"**{label}**", "", "| measure (ms unless said) | median | max | n | vis-network alone | target |",
           "| --- | --- | --- | --- | --- | --- |",
           f"| server: blocs of every play step, {actors} actors, {steps} steps (s) | {seconds:.1f} | | 1 | | |"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            out += blocs_play(browser, server.url + blocs_query)
            open_page(browser, server.url)[0].close()  # warm the server's caches once
            loads, drawn, alone = first_load(browser, server.url, 5)
            out.append(row("first page load → graph presented", loads, alone, "≤ 3000"))
            out.append(row("first page load → vis-network's first draw (earlier mark)", drawn, None, ""))
            context, page = open_page(browser, server.url)
            if full:
                times, alone = clicks(page, clicks_wanted)
                out.append(row("click on a tie or actor → panel visible", times, alone, "≤ 150"))
            times, drawn, alone = filter_changes(page, 20 if full else 6)
            out.append(row("filter change (minimum confidence) → new graph presented", times, alone,
                           "≤ 800" if full else "≤ 2000"))
            out.append(row("filter change → vis-network's first draw (earlier mark)", drawn, None, ""))
            fps, redraws = play_fps(page)
            out.append(f"| play: dates per second (canvas redraws/s) | {fps:.1f} ({redraws:.1f}) | | | | ≥ 5 |")
            context.close()
            if full:  # on a fresh page: pausing play above sets "as of" and reruns the page while we would click
                context, page = open_page(browser, server.url)
                for lines in ("ties", "relations"):
                    hit, total, actors_hit, actors = accuracy(page, lines)
                    out.append(f"| clicks at {lines} midpoints / actor centres that select them | "
                               f"{hit}/{total} · {actors_hit}/{actors} | | | | 100 % |")
                context.close()
            browser.close()
    finally:
        server.stop()
    return out


def first_page(data: Path, runs: int) -> list[str]:
    """Only the first page of a large folder once the server is warm: one visit loads the tables (from the
    columnar cache) and builds the index; then `runs` fresh pages, each timed to its drawn graph."""
    server = StreamlitServer(data=data)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            started = time.perf_counter()
            open_page(browser, server.url)[0].close()
            warm = time.perf_counter() - started
            loads, drawn, alone = first_load(browser, server.url, runs)
            browser.close()
    finally:
        server.stop()
    return [f"{data}: first visit to a fresh server (tables from the cache, index) {warm:.1f} s",
            "| measure (ms unless said) | median | max | n | vis-network alone | target |",
            "| --- | --- | --- | --- | --- | --- |",
            row("first page load → graph presented, warm server", loads, alone, "≤ 3000"),
            row("first page load → vis-network's first draw (earlier mark), warm server", drawn, None, "")]


EVENT_DRAWN = "window.explorerEventGraph && window.explorerEventGraph.presentedAt !== undefined"
EVENT_DRAWN_AFTER_INPUT = "window.__input !== null && window.explorerEventGraph.presentedAt > window.__input"
EVENT_ARM_PANEL = ARM_PANEL.replace("document.querySelector('.explorer-panel')", "window.explorerEventGraph.panel")


def open_event_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(EVENT_DRAWN, timeout=300_000)
    page.wait_for_function(IDLE, timeout=300_000)
    return context, page


def sidebar_slider(page, label: str):
    return page.locator(f"[data-testid='stSidebar'] input[type=range][aria-label='{label}']")


def event_slider_changes(page, label: str, count: int) -> list[float]:
    """Move a sidebar slider one step right, `count` times (each a filter not seen before, so no cache answers): from
    the key press to the first frame of the event graph that shows the result (a rerun of the page, the event ties
    of the new filter, the drawing)."""
    times = []
    for _ in range(count):
        sidebar_slider(page, label).focus()
        page.evaluate(ARM_INPUT)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(EVENT_DRAWN_AFTER_INPUT, timeout=120_000)
        times.append(page.evaluate("window.explorerEventGraph.presentedAt - window.__input"))
        page.wait_for_function(IDLE, timeout=120_000)
    return times


def received_bytes(page, label: str, count: int) -> list[int]:
    """Move a sidebar slider one step right, `count` times: the bytes the page receives over its websocket for each
    rerun (from the key press until the script has run and the event graph shows the result)."""
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(len(payload))))
    page.reload()
    page.wait_for_function(EVENT_DRAWN, timeout=300_000)
    page.wait_for_function(IDLE, timeout=300_000)
    sizes = []
    for _ in range(count):
        frames.clear()
        sidebar_slider(page, label).focus()
        page.evaluate(ARM_INPUT)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(EVENT_DRAWN_AFTER_INPUT, timeout=120_000)
        page.wait_for_function(IDLE, timeout=120_000)
        sizes.append(sum(frames))
    return sizes


def event_clicks(page, count: int) -> tuple[list[float], list[str]]:
    """Click event ties' midpoints: from pointerdown to the frame showing the panel, and the ties whose midpoint
    click selected another tie (on a dense drawing two straight ties can cross at a midpoint)."""
    ties = page.evaluate("[...window.explorerEventGraph.ties.keys()]")[:count]
    times, missed = [], []
    for tie in ties:
        point = page.evaluate(f"window.explorerEventTiePoint({tie!r})")
        page.evaluate(EVENT_ARM_PANEL)
        page.mouse.click(point["x"], point["y"])
        times.append(page.evaluate("window.__panel"))
        if page.evaluate("(window.explorerEventGraph.selection || {}).id") != tie:
            missed.append(tie)
    return times, missed


def events_figures(data: Path, runs: int, clicks_wanted: int) -> list[str]:
    """The app over a folder's event layer (`?layer=events`), in the browser: the first visit to a fresh server
    (reads the built layer), then `runs` fresh pages, "as of" and date-window changes, and clicks on event ties.
    Build the layer first (`python -m explorer events ties --data DIR`), or the first visit builds it."""
    from explorer.events.layer import event_layer

    dataset = load_dataset(data).dataset
    layer = event_layer(data, dataset.actors)
    if layer is None:
        raise SystemExit(f"{data} has no event layer: `python -m explorer events import FILE... -o {data}` first")
    months, sliders = months_between(*layer.span), months_of(build_index(dataset)).options
    as_of = months[len(months) // 2]  # inside the events' months, so "as of" moves the fading
    as_of = as_of if as_of in sliders else sliders[len(sliders) // 2]  # and one the sidebar's slider offers
    url = f"?layer=events&as_of={as_of}"
    load = os.getloadavg()
    out = [f"{data}: {layer.events:,} events, {layer.dyad_count:,} dyad-months, {len(layer.pair_events()):,} pairs, "
           f"months {layer.span[0]} to {layer.span[1]}; "
           f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}; {os.cpu_count()} cores"]
    server = StreamlitServer(data=data)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context, page = open_event_page(browser, server.url + url)
            cold = page.evaluate("window.explorerEventGraph.presentedAt")
            ties = page.evaluate("window.explorerEventGraph.ties.size")
            context.close()
            loads = []
            for _ in range(runs):
                context, page = open_event_page(browser, server.url + url)
                loads.append(page.evaluate("window.explorerEventGraph.presentedAt"))
                context.close()
            context, page = open_event_page(browser, server.url + url)
            as_of_times = event_slider_changes(page, "As of", 10)
            window_times = event_slider_changes(page, "From", 10)
            click_times, missed = event_clicks(page, clicks_wanted)
            as_of_bytes = received_bytes(page, "As of", 5)
            window_bytes = received_bytes(page, "From", 5)
            context.close()
            browser.close()
    finally:
        server.stop()
    load = os.getloadavg()
    return [*out, f"{ties} event ties drawn",
            "| measure (ms) | median | max | n | target |", "| --- | --- | --- | --- | --- |",
            f"| first visit to a fresh server → event graph presented | {cold:.0f} | | 1 | |",
            f"| first page load → event graph presented, warm server | {median(loads):.0f} | {max(loads):.0f} | "
            f"{len(loads)} | ≤ 3000 |",
            f"| \"as of\" change → event graph presented | {median(as_of_times):.0f} | {max(as_of_times):.0f} | "
            f"{len(as_of_times)} | ≤ 800 |",
            f"| date window change (From) → event graph presented | {median(window_times):.0f} | "
            f"{max(window_times):.0f} | {len(window_times)} | ≤ 800 |",
            f"| click on an event tie → its panel | {median(click_times):.0f} | {max(click_times):.0f} | "
            f"{len(click_times)} | ≤ 150 |",
            *([f"clicks at a tie's midpoint that selected another tie (crossing there): {len(missed)} of "
               f"{len(click_times)} ({', '.join(missed[:3])}{' …' if len(missed) > 3 else ''})"] if missed else []),
            f"| KB received per \"as of\" change (websocket, whole rerun) | {median(as_of_bytes) / 1000:.1f} "
            f"| {max(as_of_bytes) / 1000:.1f} | {len(as_of_bytes)} | |",
            f"| KB received per date window change (From: new ties and panels) | {median(window_bytes) / 1000:.1f} | "
            f"{max(window_bytes) / 1000:.1f} | {len(window_bytes)} | |",
            f"load average after: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=24)
    parser.add_argument("--large", type=Path, help="a large data folder (e.g. the synthetic 100k set)")
    parser.add_argument("--first-page", type=Path, help="only time the first page of this folder, warm server")
    parser.add_argument("--runs", type=int, default=5, help="pages timed with --first-page or --events (default 5)")
    parser.add_argument("--events", type=Path, help="only time the app over this folder's event layer (?layer=events)")
    args = parser.parse_args()
    if args.events:
        print("\n".join(events_figures(args.events, args.runs, args.clicks)), flush=True)
        return
    if args.first_page:
        print("\n".join(first_page(args.first_page, args.runs)), flush=True)
        return
    print("\n".join(run(None, args.clicks, "Bundled data", full=True)), flush=True)
    if args.large:
        print("\n".join(["", *run(args.large, args.clicks, f"{args.large}: the default view (capped at 300 actors)",
                                   full=False)]), flush=True)


if __name__ == "__main__":
    main()
