"""Load test: N browser sessions at once against one `streamlit run`; prints response times and memory.

Run: .venv/bin/python tools/load_test.py [--sessions 20]
Every session opens a different view, waits until its graph is drawn and settled, and reports any error.
Only localhost is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, LOCAL_HOSTS, StreamlitServer  # noqa: E402

QUERIES = ["", "?actor=iran&hops=1", "?actor=baradar&hops=2", "?view=Axes&target=iran", "?view=Blocs",
           "?actor=azerbaijan&hops=1&as_of=2025-07",
           "?actor=pakistan&hops=1&relation=pakistan-iran-armed_clash-2024-01-18",
           "?view=Axes&target=israel", "?actor=taliban&hops=1&from=2025-01", "?type=armed_clash&hops=1"]


@dataclass
class Outcome:
    query: str
    seconds: float
    nodes: int
    error: str = ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class MemoryWatch(threading.Thread):
    """Samples the server's resident memory every 100 ms; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.1)


async def one_session(browser, url: str, query: str, timeout_ms: int) -> Outcome:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    async def local_only(route):
        host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort()

    await context.route("**/*", local_only)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    started = time.perf_counter()
    try:
        await page.goto(url + query, timeout=timeout_ms)
        await page.wait_for_selector(".explorer-graph[data-stable='1']", timeout=timeout_ms)
        nodes = await page.evaluate("window.explorerNetwork.body.data.nodes.length")
        seconds = time.perf_counter() - started
        exceptions = await page.locator("[data-testid='stException']").count()
        problem = "; ".join(errors + refused + (["streamlit exception shown"] if exceptions else []))
        return Outcome(query, seconds, nodes, problem)
    except Exception as error:
        return Outcome(query, time.perf_counter() - started, 0, f"{type(error).__name__}: {error}"[:200])
    finally:
        await context.close()


async def run_sessions(url: str, sessions: int, timeout_ms: int) -> list[Outcome]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            return await asyncio.gather(*(one_session(browser, url, QUERIES[i % len(QUERIES)], timeout_ms)
                                          for i in range(sessions)))
        finally:
            await browser.close()


def measure(sessions: int = 20, timeout_ms: int = 120_000) -> dict:
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    server = StreamlitServer()
    try:
        idle = rss_mib(server.process.pid)
        cpu_before = cpu_seconds(server.process.pid)
        watch = MemoryWatch(server.process.pid)
        watch.start()
        started = time.perf_counter()
        outcomes = asyncio.run(run_sessions(server.url, sessions, timeout_ms))
        wall = time.perf_counter() - started
        server_cpu = cpu_seconds(server.process.pid) - cpu_before
        watch.running = False
        watch.join()
    finally:
        server.stop()
    times = sorted(o.seconds for o in outcomes if not o.error)
    return {"sessions": sessions, "ok": len(times), "failed": [o for o in outcomes if o.error], "wall_s": wall,
            "median_s": statistics.median(times) if times else None, "max_s": max(times) if times else None,
            "p90_s": times[int(0.9 * (len(times) - 1))] if times else None, "idle_rss_mib": idle,
            "peak_rss_mib": watch.peak, "server_cpu_s": server_cpu, "outcomes": outcomes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    result = measure(args.sessions)
    print(f"{result['ok']}/{result['sessions']} sessions rendered a graph without error in {result['wall_s']:.1f} s")
    if result["median_s"] is not None:
        print(f"time to a settled graph: median {result['median_s']:.1f} s, p90 {result['p90_s']:.1f} s, "
              f"max {result['max_s']:.1f} s")
    print(f"server memory: {result['idle_rss_mib']:.0f} MiB idle, {result['peak_rss_mib']:.0f} MiB peak; "
          f"server CPU {result['server_cpu_s']:.1f} s in all ({result['server_cpu_s'] / result['sessions']:.2f} s "
          f"a session); the rest of the wall time is {result['sessions']} Chromium pages sharing the same 2 cores")
    for outcome in result["failed"]:
        print(f"FAILED {outcome.query or '/'}: {outcome.error}")
    sys.exit(1 if result["failed"] else 0)


if __name__ == "__main__":
    main()
