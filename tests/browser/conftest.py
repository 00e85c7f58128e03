"""A real `streamlit run` and Debian's Chromium driven by Playwright; every request off localhost is refused."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamlitServer:
    """`streamlit run explorer/app/main.py` on a free port, stopped at teardown."""

    def __init__(self, data: Path | None = None, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}/"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        if data is not None:
            env["EXPLORER_DATA"] = str(data)
        logs = ROOT / ".pytest_cache"  # absent in a fresh clone until pytest has run once (tools use this class too)
        logs.mkdir(exist_ok=True)
        self.log = open(logs / f"streamlit-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "explorer" / "app" / "main.py"),
             "--server.headless", "true", "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server() -> Iterator[StreamlitServer]:
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    running = StreamlitServer()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it, or run `sudo apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Offline:
    """Refuses every request that leaves the machine and remembers it, to prove the page needs none."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:", "file:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()


@contextlib.contextmanager
def offline_page(browser):
    """A page in its own browser context (its own cookies: another user), offline, failing on page errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    offline = Offline()
    context.route("**/*", offline)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield opened
    context.close()
    assert offline.refused == [], f"the page tried to reach the network: {offline.refused[:5]}"
    assert errors == [], errors


@pytest.fixture
def page(browser):
    with offline_page(browser) as opened:
        yield opened


@pytest.fixture
def other_page(browser):
    """A second user's page, for tests of two sessions at once."""
    with offline_page(browser) as opened:
        yield opened


# Streamlit marks its root with the script's state (`initial`, `running`, `notRunning`) and connection, and
# shows a skeleton while the code of an element type loads (seconds on a busy machine, after the run ended).
APP_IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.dataset.testScriptState === "notRunning" && app.dataset.testConnectionState === "CONNECTED"
    && !document.querySelector("[data-testid^='stSkeleton']");
}"""


def wait_for_app_idle(page, timeout: float = 45_000) -> None:
    """The script has run to its end and every element it wrote is drawn (no skeleton left).

    Right after `goto` the state is `initial`, so this never passes before the first run has finished.
    """
    page.wait_for_function(APP_IDLE, timeout=timeout)


def open_every_expander(page, timeout: float = 15_000) -> None:
    """Click every closed expander open and wait until each one is open."""
    details = page.locator("[data-testid='stExpander'] details")
    closed = [i for i, is_open in enumerate(details.evaluate_all("all => all.map(d => d.open)")) if not is_open]
    for number in closed:
        details.nth(number).locator("> summary").click()
    page.wait_for_function("[...document.querySelectorAll(\"[data-testid='stExpander'] details\")]"
                           ".every(details => details.open)", timeout=timeout)


def wait_for_graph(page, timeout: float = 45_000) -> None:
    """The graph is drawn and its layout has settled (physics is switched off once stable)."""
    page.wait_for_selector(".explorer-graph[data-stable='1']", timeout=timeout)
    page.wait_for_function("window.explorerNetwork && window.explorerNetwork.body", timeout=timeout)


def graph_ids(page) -> tuple[set[str], set[str]]:
    nodes = page.evaluate("window.explorerNetwork.body.data.nodes.getIds()")
    edges = page.evaluate("window.explorerNetwork.body.data.edges.getIds()")
    return set(nodes), set(edges)


def missed_clicks(page) -> tuple[list[tuple[str, str]], int]:
    """Click the midpoint of every drawn line and the centre of every drawn actor, as a user aims, and list the
    ones whose click selected something else: (aimed at, selected) pairs, and how many clicks were made.

    The points come from the page's own helpers (`explorerEdgePoint`, `explorerNodePoint`): the drawn midpoint
    and centre, the same `handle` the click code measures from."""
    missed = []
    lines = page.evaluate("window.explorerNetwork.body.data.edges.getIds()")
    actors = page.evaluate("window.explorerNetwork.body.data.nodes.getIds()")
    for helper, ids in (("explorerEdgePoint", lines), ("explorerNodePoint", actors)):
        for aimed in ids:
            point = page.evaluate(f"id => window.{helper}(id)", aimed)
            assert point, f"{aimed} is in the network's data but not drawn"
            page.mouse.click(point["x"], point["y"])
            selected = page.evaluate("(window.explorerGraph.selection || {}).id || ''")
            if selected != aimed:
                missed.append((aimed, selected))
    return missed, len(lines) + len(actors)
