"""Screenshots of the main views for the README: a real `streamlit run`, Debian's Chromium, offline.

Run: make screenshots  (writes docs/screenshots/*.png)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, Offline, StreamlitServer, wait_for_graph  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = [
    ("explore", "?actor=Baradar&hops=2&relation=taliban-iran-hostility-2025-07", True),
    ("axes", "?view=Axes&target=iran", True),
    ("blocs", "?view=Blocs&actor=iran&hops=1", True),
    ("timeline", "?view=Timeline", False),
    ("sources", "?view=Sources", False),
]


def main() -> None:
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
                page.goto(server.url + query)
                if has_graph:
                    wait_for_graph(page)
                page.wait_for_timeout(2500)
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"wrote {OUT / f'{name}.png'}")
            browser.close()
            if offline.refused:
                raise SystemExit(f"the page tried to reach the network: {offline.refused[:3]}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
