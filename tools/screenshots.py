"""Screenshots of the main views for the README: a real `streamlit run`, Debian's Chromium, offline.

Run: make screenshots  (writes docs/screenshots/*.png); `python tools/screenshots.py bloc-river` takes only the
shots named.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, Offline, StreamlitServer, wait_for_graph  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHART = "[data-testid='stVegaLiteChart']"
# (name, query, True when a graph must be drawn, else a selector to wait for or None)
SHOTS = [
    ("explore", "?actor=Baradar&hops=2&relation=taliban-iran-hostility-2025-07", True),
    ("axes", "?view=Axes&target=iran", True),
    ("blocs", "?view=Blocs&actor=iran&hops=1", True),
    ("timeline", "?view=Timeline&actor=iran&hops=1&from=2024-01&as_of=2025-07&relation=taliban-iran-hostility-2025-07",
     f"{CHART} svg path[aria-label*='relation:']"),
    ("sources", "?view=Sources", None),
]
# Part of a page: (name, query, mark to wait for, first element, last element): the shot spans both elements.
SEED_QUESTION = ("?view=Check+axis&members=taliban&members=azerbaijan&members=israel&target=iran"
                 "&lens_a=all&lens_b=evidence")
REGIONS = [
    ("bloc-river", "?view=Timeline", f"{CHART} svg path[aria-label*='as of:']",
     "h3:has-text('Blocs through time')", f"{CHART} >> nth=2"),
    ("check-matrix", SEED_QUESTION, ".st-key-axis_sketch img", "h3:has-text('Verdict per pair')",
     ".st-key-axis_sketch"),
    ("balance", "?view=Axes&target=iran", f"{CHART} svg", "h3:has-text('Balance around')", f"{CHART} >> nth=0"),
    ("realignment", "?view=Realignment", "[data-testid='stDataFrame']", "h3:has-text('Realignment watch')",
     "[data-testid='stDataFrame']"),
]


def region_shot(page, ready: str, first: str, last: str, path: Path) -> None:
    """Screenshot of the page from the top of `first` to the bottom of `last`, in a viewport tall enough for both."""
    page.wait_for_selector(ready, timeout=60_000)
    page.locator(first).evaluate("element => element.scrollIntoView({block: 'start'})")
    top, bottom = page.locator(first).bounding_box(), page.locator(last).bounding_box()
    left = min(top["x"], bottom["x"])
    page.screenshot(path=str(path), clip={"x": left - 8, "y": top["y"] - 8, "width": bottom["width"] + 16,
                                          "height": bottom["y"] + bottom["height"] - top["y"] + 16})


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    server = StreamlitServer()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            offline = Offline()
            context.route("**/*", offline)
            page = context.new_page()
            for name, query, has_graph in SHOTS:
                if names and name not in names:
                    continue
                page.goto(server.url + query)
                if has_graph is True:
                    wait_for_graph(page)
                elif has_graph:
                    page.wait_for_selector(has_graph, timeout=60_000)
                page.wait_for_timeout(2500)
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"wrote {OUT / f'{name}.png'}")
            for name, query, ready, first, last in REGIONS:
                if names and name not in names:
                    continue
                page.goto(server.url + query)
                region_shot(page, ready, first, last, OUT / f"{name}.png")
                print(f"wrote {OUT / f'{name}.png'}")
            browser.close()
            if offline.refused:
                raise SystemExit(f"the page tried to reach the network: {offline.refused[:3]}")
    finally:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
