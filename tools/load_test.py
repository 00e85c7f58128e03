"""Load test: N browser sessions at once against one `streamlit run`; prints response times and memory.

Run: .venv/bin/python tools/load_test.py [--sessions 20]
Every session opens a different view, waits until its graph is drawn and settled, and reports any error.
With --hostile: one session uploads the worst refused workbook (a shared-string bomb) again and again,
another pastes 1 MiB of text into Suggest, and a third session's page load is timed against its idle time.
The attackers run in a Chromium of their own; --control sends the attacks to a second server on the same
machine, to tell the machine's shared CPU from this server being starved.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from contextlib import asynccontextmanager
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


async def timed_load(browser, url: str, timeout_ms: int = 120_000) -> float:
    """Seconds from navigation to a drawn, settled graph in a fresh browser context."""
    outcome = await one_session(browser, url, "", timeout_ms)
    if outcome.error:
        raise RuntimeError(f"page load failed: {outcome.error}")
    return outcome.seconds


@asynccontextmanager
async def attacker_page(browser, url: str):
    """A page of its own (a fresh context: its own session) at `url`, closed when the attack ends."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        await page.goto(url, timeout=120_000)
        yield page
    finally:
        await context.close()


async def upload_bombs(browser, url: str, bomb: Path, stop: asyncio.Event, log: list[str]) -> None:
    """Upload the refused workbook over and over, each time waiting for the refusal, until told to stop."""
    async with attacker_page(browser, url + "?view=Data") as page:
        uploader = page.locator("[data-testid='stFileUploader']").first
        await uploader.wait_for(timeout=120_000)
        while not stop.is_set():
            await uploader.locator("input[type='file']").set_input_files(str(bomb))
            await page.get_by_text("compression bomb", exact=False).first.wait_for(state="attached", timeout=120_000)
            log.append("refused")
            await uploader.locator("input[type='file']").set_input_files([])
            await page.wait_for_timeout(200)


async def paste_text(browser, url: str, text: str, stop: asyncio.Event, log: list[str]) -> None:
    """Paste the text into Suggest and wait for its suggestions, again and again, until told to stop."""
    async with attacker_page(browser, url + "?view=Suggest") as page:
        area = page.locator("textarea").first
        await area.wait_for(timeout=120_000)
        round_number = 0
        while not stop.is_set():
            round_number += 1
            await area.fill(text + f"\n\nRound {round_number}.", timeout=120_000)  # new text: nothing is cached
            await area.press("Control+Enter")
            await page.get_by_text("candidate relations", exact=False).first.wait_for(timeout=120_000)
            log.append("suggested")
            await area.fill("", timeout=120_000)
            await area.press("Control+Enter")
            await page.wait_for_timeout(200)


async def hostile_run(url: str, loads: int, attacks: tuple[str, ...] = ("bomb", "paste"),
                      attack_url: str = "") -> dict:
    """Page loads at `url`, idle and while the attacks run against `attack_url` (by default the same server)."""
    attack_url = attack_url or url
    from explorer.bench import news_like_text
    from tests.test_dos import shared_string_bomb

    bomb = ROOT / ".pytest_cache" / "load-test-bomb.xlsx"
    bomb.write_bytes(shared_string_bomb())
    text = news_like_text(2**20 - 64)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        attacking = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            await timed_load(browser, url)  # warm: the data is loaded once per server
            if attack_url != url:
                await timed_load(browser, attack_url)
            idle = [await timed_load(browser, url) for _ in range(loads)]
            stop, log = asyncio.Event(), []
            attackers = [asyncio.create_task(attack) for attack in
                         ([upload_bombs(attacking, attack_url, bomb, stop, log)] if "bomb" in attacks else [])
                         + ([paste_text(attacking, attack_url, text, stop, log)] if "paste" in attacks else [])]
            while (("bomb" in attacks and log.count("refused") < 1)  # every attack under way
                   or ("paste" in attacks and log.count("suggested") < 1)):
                await asyncio.sleep(0.5)
                for task in attackers:
                    if task.done():
                        task.result()
            busy = [await timed_load(browser, url) for _ in range(loads)]
            stop.set()
            await asyncio.gather(*attackers)
        finally:
            await attacking.close()
            await browser.close()
    return {"idle": idle, "busy": busy, "refused": log.count("refused"), "suggested": log.count("suggested")}


def measure_hostile(loads: int = 5, attacks: tuple[str, ...] = ("bomb", "paste"), control: bool = False) -> dict:
    """With `control`, the attacks go to a second server on the same machine: what is left of the slowdown is
    the machine's shared CPU (the attackers' browsers, the other server), not this server being starved."""
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    server = StreamlitServer()
    other = StreamlitServer() if control else None
    url = f"http://127.0.0.1:{server.port}/"
    try:
        watch = MemoryWatch(server.process.pid)
        watch.start()
        cpu_before = cpu_seconds(server.process.pid)
        result = asyncio.run(hostile_run(url, loads, attacks, f"http://127.0.0.1:{other.port}/" if other else ""))
        result["server_cpu_s"] = cpu_seconds(server.process.pid) - cpu_before
        watch.running = False
        watch.join()
        result["peak_rss_mib"] = watch.peak
    finally:
        server.stop()
        if other is not None:
            other.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--hostile", action="store_true", help="time a page load while two sessions attack")
    parser.add_argument("--loads", type=int, default=5, help="timed page loads idle and under attack (--hostile)")
    parser.add_argument("--attacks", default="bomb,paste", help="which attacks run (--hostile): bomb, paste or both")
    parser.add_argument("--control", action="store_true",
                        help="attack a second server on the same machine instead (--hostile): the slowdown the "
                             "machine's shared CPU causes by itself")
    args = parser.parse_args()
    if args.hostile:
        result = measure_hostile(args.loads, tuple(args.attacks.split(",")), args.control)
        idle, busy = statistics.median(result["idle"]), statistics.median(result["busy"])
        print(f"page load, median of {args.loads}: idle {idle:.2f} s, while one session uploads the bomb and "
              f"another pastes 1 MiB into Suggest {busy:.2f} s ({busy / idle:.2f}x; target <= 2x)")
        print(f"  idle loads {', '.join(f'{t:.2f}' for t in result['idle'])}; under attack "
              f"{', '.join(f'{t:.2f}' for t in result['busy'])}")
        where = "a second server (control)" if args.control else "the same server"
        print(f"  attacks against {where}; during the run: {result['refused']} bomb uploads refused, "
              f"{result['suggested']} 1 MiB texts suggested; timed server's CPU {result['server_cpu_s']:.1f} s, "
              f"peak RSS {result['peak_rss_mib']:.0f} MiB")
        sys.exit(0 if busy <= 2 * idle else 1)
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
