"""Load test with scripted Streamlit sessions: the app's own protocol, no browser, so a session costs the machine
almost nothing beyond the server's own work.

Each scripted session is what the server sees of a browser tab: a websocket on /_stcore/stream speaking the
protobuf messages of the installed `streamlit` (BackMsg `rerun_script` with widget states and the query string;
ForwardMsg deltas up to `script_finished`), and PUTs on /_stcore/upload_file/... for files, with the XSRF cookie
and header the frontend sends. Only 127.0.0.1 is contacted; counts and times are bounded.

  .venv/bin/python tools/loadtest.py curve [--sessions 1,10,25,50] [--seconds 60] [--every 2]
      sessions that each change a filter every `--every` seconds: rerun latency (from sending the change to the
      server's `script_finished`) p50/p95/max, errors, server RSS per session, server CPU
  .venv/bin/python tools/loadtest.py attack [--loads 5] [--control]
      one real Chromium page timed (first load; click -> panel), idle and while two scripted attackers upload the
      worst refused workbook and paste 1 MiB into Suggest, alternating idle and attacked rounds in one run;
      --control sends the attacks to a second server instead (what is left is the machine, not this server)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

HOST = "127.0.0.1"
MAX_SESSIONS = 200
MAX_SECONDS = 600.0
RUN_TIMEOUT = 60.0  # a rerun that has not finished by then counts as an error
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
# Where the curve's sessions start: the views people open (ego views, axes, blocs, a time window).
STARTS = ["", "?actor=iran&hops=1", "?actor=baradar&hops=2", "?view=Axes&target=iran", "?view=Blocs",
          "?actor=azerbaijan&hops=1&as_of=2025-07", "?actor=pakistan&hops=1", "?view=Axes&target=israel",
          "?actor=taliban&hops=1&from=2025-01", "?type=armed_clash&hops=1"]
TEXT_ELEMENTS = ("markdown", "alert", "text", "heading", "caption", "exception")


@dataclass
class Run:
    """One script run as the client saw it: seconds from the request to `script_finished`, and what it showed."""

    seconds: float
    errors: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tables: list[bytes] = field(default_factory=list)  # dataframes as Arrow IPC streams, decoded only when asked

    def shows(self, words: str) -> bool:
        """The words appear in a text element or in a cell of a dataframe (a validation report is one)."""
        if any(words in text for text in self.texts):
            return True
        import pyarrow as pa

        for data in self.tables:
            table = pa.ipc.open_stream(data).read_all()
            if any(words in str(value) for column in table.columns for value in column.to_pylist()):
                return True
        return False


class Session:
    """One browser tab as the server sees it: a websocket with Streamlit's protobuf messages."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.xsrf = ""
        self.socket = None
        self.session_id = ""
        self.query = ""
        self.widgets: dict[str, str] = {}  # user key -> widget id, from the elements the server sent
        self.states: dict[str, WidgetState] = {}  # widget id -> the value this tab holds for it

    async def open(self, query: str = "") -> Run:
        """Connect as a browser does (the health check hands out the XSRF cookie), then run the page."""
        self.xsrf = await asyncio.to_thread(self._xsrf_cookie)
        self.socket = await websockets.connect(f"ws://{HOST}:{self.port}/_stcore/stream", subprotocols=["streamlit"],
                                               additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}"},
                                               max_size=None, open_timeout=RUN_TIMEOUT, ping_interval=None)
        self.query = query.lstrip("?")
        return await self._run()

    def _xsrf_cookie(self) -> str:
        with urllib.request.urlopen(f"http://{HOST}:{self.port}/_stcore/health", timeout=RUN_TIMEOUT) as reply:
            for header in reply.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name.strip() == "_streamlit_xsrf":
                    return rest.split(";")[0]
        return ""

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    def widget_id(self, key: str) -> str:
        if key not in self.widgets:
            raise KeyError(f"no widget with key {key!r} on this page (have: {', '.join(sorted(self.widgets))})")
        return self.widgets[key]

    async def set(self, key: str, fill: Callable[[WidgetState], None]) -> Run:
        """Give the widget with user key `key` a new value (`fill` sets it on the WidgetState) and rerun, as the
        frontend does when a widget changes."""
        state = WidgetState(id=self.widget_id(key))
        fill(state)
        self.states[state.id] = state
        return await self._run()

    async def upload(self, key: str, name: str, data: bytes) -> Run:
        """Drop a file on the uploader `key` as the frontend does: ask for an upload URL over the websocket, PUT the
        file as a multipart form with the XSRF header, then rerun with the uploader holding it."""
        widget = self.widget_id(key)
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        await self.socket.send(request.SerializeToString())
        async with asyncio.timeout(RUN_TIMEOUT):
            while True:
                message = await self._receive()
                if message.WhichOneof("type") == "file_urls_response":
                    break
        response = message.file_urls_response
        if response.error_msg or not response.file_urls:
            return Run(0.0, [f"no upload URL: {response.error_msg}"])
        urls = response.file_urls[0]
        status = await asyncio.to_thread(self._put, urls.upload_url, name, data)
        if status >= 300:
            return Run(0.0, [f"upload refused with HTTP {status}"])
        files = FileUploaderState(uploaded_file_info=[UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id,
                                                                       file_urls=urls)])
        self.states[widget] = WidgetState(id=widget, file_uploader_state_value=files)
        return await self._run()

    async def clear_upload(self, key: str) -> Run:
        widget = self.widget_id(key)
        self.states[widget] = WidgetState(id=widget, file_uploader_state_value=FileUploaderState())
        return await self._run()

    def _put(self, path: str, name: str, data: bytes) -> int:
        boundary = secrets.token_hex(16)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"http://{HOST}:{self.port}{path}", data=body, method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self.xsrf,
            "Cookie": f"_streamlit_xsrf={self.xsrf}"})
        try:
            with urllib.request.urlopen(request, timeout=RUN_TIMEOUT) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    async def _receive(self) -> ForwardMsg:
        message = ForwardMsg()
        message.ParseFromString(await self.socket.recv())
        if message.WhichOneof("type") == "new_session" and message.new_session.initialize.session_id:
            self.session_id = message.new_session.initialize.session_id
        return message

    async def _run(self) -> Run:
        """Send one rerun request with every widget value this tab holds; read until the script has finished."""
        back = BackMsg()
        back.rerun_script.query_string = self.query
        back.rerun_script.widget_states.widgets.extend(self.states.values())
        started = time.perf_counter()
        run = Run(0.0)
        try:
            await self.socket.send(back.SerializeToString())
            async with asyncio.timeout(RUN_TIMEOUT):
                while True:
                    message = await self._receive()
                    kind = message.WhichOneof("type")
                    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                        self._element(message.delta.new_element, run)
                    elif kind == "page_info_changed":
                        self.query = message.page_info_changed.query_string
                    elif kind == "script_finished":
                        if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                            run.errors.append("the script did not compile")
                        if message.script_finished in DONE:
                            break
        except TimeoutError:
            run.errors.append(f"no script_finished within {RUN_TIMEOUT:.0f} s")
        except websockets.ConnectionClosed as closed:
            run.errors.append(f"connection closed: {closed}")
        run.seconds = time.perf_counter() - started
        return run

    def _element(self, element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        fields = body.DESCRIPTOR.fields_by_name
        if "id" in fields and body.id.startswith("$$ID-") and not body.id.endswith("-None"):
            self.widgets[body.id.split("-", 2)[2]] = body.id
        if kind == "exception":
            run.errors.append(f"exception shown: {body.type} {body.message}"[:300])
        if kind == "dataframe" and body.arrow_data.data:
            run.tables.append(body.arrow_data.data)
        if kind in TEXT_ELEMENTS and "body" in fields:
            run.texts.append(body.body)
        elif kind == "exception":
            run.texts.append(body.message)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (no interpolation: a reported p95 is a latency some request really had)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


# --- the server -------------------------------------------------------------------------------------------------

def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@contextlib.contextmanager
def server(data: Path | None = None):
    """A real `streamlit run` of the app on 127.0.0.1 (the browser tests' helper), stopped afterwards."""
    from tests.browser.conftest import StreamlitServer

    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    running = StreamlitServer(data)
    try:
        yield running
    finally:
        running.stop()


# Every 250 ms, 20 ms of pure CPU work timed by the wall clock: wall / CPU is how much longer than its own CPU time
# anything runnable on this machine takes now (1.0 on an idle machine). A process of its own, so it waits for the
# machine's cores as the server does, and never for the server's interpreter lock.
PROBE = """
import time
while True:
    wall, cpu = time.perf_counter(), time.process_time()
    while time.process_time() - cpu < 0.02:
        pass
    print((time.perf_counter() - wall) / (time.process_time() - cpu), flush=True)
    time.sleep(0.25)
"""


@contextlib.contextmanager
def machine_stretch():
    """Yields a list that holds, once the block is left, the median stretch of the machine during the block."""
    probe = subprocess.Popen([sys.executable, "-c", PROBE], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    samples: list[float] = []
    reader = threading.Thread(target=lambda: samples.extend(float(line) for line in probe.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while not samples and probe.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # running before the block starts
    result: list[float] = []
    try:
        yield result
    finally:
        probe.kill()
        probe.wait()
        reader.join(timeout=5)
        result.append(statistics.median(samples) if samples else float("nan"))


# --- the load curve ---------------------------------------------------------------------------------------------

CONFIDENCE_KEY, HOPS_KEY = "f_min_confidence", "f_hops"
CONFIDENCES = ["high", "medium", "any"]
HOPS = [2.0, 1.0]


def change(step: int) -> tuple[str, Callable[[WidgetState], None]]:
    """The filter a user changes at `step`: minimum confidence and hops in turn."""
    if step % 2 == 0:
        value = CONFIDENCES[(step // 2) % len(CONFIDENCES)]
        return CONFIDENCE_KEY, lambda state: setattr(state, "string_value", value)
    hops = HOPS[(step // 2) % len(HOPS)]
    return HOPS_KEY, lambda state: state.double_array_value.data.append(hops)


@dataclass
class SessionFigures:
    first: Run | None = None
    reruns: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def user(port: int, start: str, seconds: float, every: float, delay: float, figures: SessionFigures,
               opened: asyncio.Event, all_open: asyncio.Event) -> None:
    """Open the page at `start`, then change a filter every `every` seconds until `seconds` have passed (a change
    is sent when the previous run has finished, as a person waits to see the graph)."""
    await asyncio.sleep(delay)
    session = Session(port)
    try:
        figures.first = await session.open(start)
        figures.errors += figures.first.errors
        opened.set()
        await all_open.wait()
        ends = time.monotonic() + seconds
        step = 0
        next_at = time.monotonic() + delay % every
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if time.monotonic() >= ends:
                break
            key, fill = change(step)
            run = await session.set(key, fill)
            figures.reruns.append(run)
            figures.errors += run.errors
            step += 1
            next_at += every
    except Exception as error:  # a session that breaks is an error in the table, not a crash of the whole test
        figures.errors.append(f"{type(error).__name__}: {error}"[:300])
    finally:
        with contextlib.suppress(Exception):
            await session.close()


async def curve_level(port: int, pid: int, sessions: int, seconds: float, every: float) -> dict:
    """`sessions` users at once for `seconds`; their openings are spread over one period."""
    figures = [SessionFigures() for _ in range(sessions)]
    events = [asyncio.Event() for _ in range(sessions)]
    all_open = asyncio.Event()
    rss_before = rss_mib(pid)
    tasks = [asyncio.create_task(user(port, STARTS[i % len(STARTS)], seconds, every, every * i / sessions,
                                      figures[i], events[i], all_open)) for i in range(sessions)]
    while not all(event.is_set() or task.done() for event, task in zip(events, tasks, strict=True)):
        await asyncio.sleep(0.2)  # every session open (or failed)
    rss_open = rss_mib(pid)
    all_open.set()
    peak, cpu_started = rss_open, cpu_seconds(pid)
    with machine_stretch() as stretch:
        while not all(task.done() for task in tasks):
            peak = max(peak, rss_mib(pid))
            await asyncio.sleep(0.25)
    rss_after = rss_mib(pid)
    cpu_used = cpu_seconds(pid) - cpu_started
    times = [run.seconds for f in figures for run in f.reruns if not run.errors]
    firsts = [f.first.seconds for f in figures if f.first is not None and not f.first.errors]
    errors = [error for f in figures for error in f.errors]
    return {"sessions": sessions, "reruns": len(times), "errors": errors,
            "p50": percentile(times, 0.5) if times else None, "p95": percentile(times, 0.95) if times else None,
            "max": max(times) if times else None, "first_p50": statistics.median(firsts) if firsts else None,
            "rss_before": rss_before, "rss_open": rss_open, "rss_after": rss_after, "rss_peak": peak,
            "per_session": (rss_after - rss_before) / sessions, "cpu": cpu_used, "seconds": seconds,
            "cpu_per_rerun": cpu_used / len(times) if times else None, "stretch": stretch[0], "load": load_average()}


async def warm(port: int) -> None:
    """One session opens the page first: the data is loaded once per server, not per level."""
    session = Session(port)
    try:
        run = await session.open("")
        if run.errors:
            raise RuntimeError(f"the page did not run: {run.errors}")
    finally:
        await session.close()


def curve(levels: list[int], seconds: float, every: float, data: Path | None = None) -> list[dict]:
    """One fresh server per level, warmed by one page run, then the level's sessions."""
    rows = []
    for sessions in levels:
        with server(data) as running:
            asyncio.run(warm(running.port))
            time.sleep(1.0)  # the warm session's disconnect is handled before the baseline is read
            rows.append(asyncio.run(curve_level(running.port, running.process.pid, sessions, seconds, every)))
    return rows


def curve_table(rows: list[dict], every: float) -> str:
    lines = ["| sessions | reruns | errors | rerun p50 s | p95 s | max s | first run p50 s | server RSS MiB "
             "(before → all open → end, peak) | RSS per session MiB | server CPU s/s | server CPU per rerun ms | "
             "machine stretch | load average |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def seconds(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    for row in rows:
        per_rerun = "—" if row["cpu_per_rerun"] is None else f"{1000 * row['cpu_per_rerun']:.0f}"
        lines.append(f"| {row['sessions']} | {row['reruns']} | {len(row['errors'])} | {seconds(row['p50'])} | "
                     f"{seconds(row['p95'])} | {seconds(row['max'])} | {seconds(row['first_p50'])} | "
                     f"{row['rss_before']:.0f} → {row['rss_open']:.0f} → {row['rss_after']:.0f}, "
                     f"{row['rss_peak']:.0f} | {row['per_session']:.1f} | {row['cpu'] / row['seconds']:.2f} | "
                     f"{per_rerun} | "
                     f"{row['stretch']:.2f} | {row['load']} |")
    errors = [(row["sessions"], error) for row in rows for error in row["errors"]]
    for sessions, error in errors[:10]:
        lines.append(f"ERROR at {sessions} sessions: {error}")
    lines.append(f"(each session changes a filter every {every:g} s; a rerun is timed from sending the change to "
                 "the server's script_finished; server CPU is over the changes, after every session's first run; "
                 "machine stretch = wall / CPU time of a CPU-bound probe process, 1.0 on an idle machine)")
    return "\n".join(lines)


# --- the attack -------------------------------------------------------------------------------------------------

BOMB_REFUSED = "compression bomb"
SUGGESTED = "candidate relations"


async def bomb_attacker(port: int, bomb: bytes, attacking, stop, counts) -> None:
    """Upload the refused workbook again and again (each time to the refusal), while `attacking` is set."""
    session = Session(port)
    await session.open("?view=Data")
    try:
        while not stop.is_set():
            if not attacking.is_set():
                await asyncio.sleep(0.05)
                continue
            run = await session.upload("upload_files", "actors.xlsx", bomb)
            if run.errors or not run.shows(BOMB_REFUSED):
                raise RuntimeError(f"the bomb was not refused as expected: {run.errors or run.texts[-5:]}")
            counts["refused"] += 1
            await session.clear_upload("upload_files")
    finally:
        await session.close()


async def paste_attacker(port: int, text: str, attacking, stop, counts) -> None:
    """Paste 1 MiB into Suggest and wait for its candidates, again and again (new text each round: nothing is
    cached), while `attacking` is set."""
    session = Session(port)
    await session.open("?view=Suggest")
    round_number = 0
    try:
        while not stop.is_set():
            if not attacking.is_set():
                await asyncio.sleep(0.05)
                continue
            round_number += 1
            pasted = f"Round {round_number}.\n\n" + text
            run = await session.set("suggest_text", lambda state, pasted=pasted: setattr(state, "string_value",
                                                                                            pasted))
            if run.errors or not run.shows(SUGGESTED):
                raise RuntimeError(f"the paste gave no suggestions: {run.errors or run.texts[-5:]}")
            counts["suggested"] += 1
            await session.set("suggest_text", lambda state: setattr(state, "string_value", ""))
    finally:
        await session.close()


def attackers(port: int, attacking, stop, counts, failures) -> None:
    """The two attackers, in a process of their own (its CPU is counted apart from the measured page's)."""
    async def both() -> None:
        from explorer.bench import news_like_text
        from tests.test_dos import shared_string_bomb

        bomb, text = shared_string_bomb(), news_like_text(2**20 - 64)
        await asyncio.gather(bomb_attacker(port, bomb, attacking, stop, counts),
                             paste_attacker(port, text, attacking, stop, counts))

    try:
        asyncio.run(both())
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}"[:400])
        stop.set()


def timed_page(browser, url: str, clicks: int) -> tuple[float, list[float]]:
    """A fresh page: ms from navigation to a drawn graph, then ms from each click on a tie or actor to its panel."""
    from tools.browser_bench import clicks as click_times
    from tools.browser_bench import open_page

    context, page = open_page(browser, url)
    try:
        loaded = page.evaluate("window.explorerGraph.drawnAt")
        return loaded, click_times(page, clicks)[0]
    finally:
        context.close()


def attack(loads: int, clicks: int, control: bool) -> dict:
    """Rounds of: the page timed idle, then timed while both attackers run (each attack under way first); the
    attackers pause between rounds, so machine load that drifts during the run falls on both sides alike."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

    manager = multiprocessing.get_context("spawn").Manager()
    attacking, stop = manager.Event(), manager.Event()
    counts, failures = manager.dict(refused=0, suggested=0), manager.list()
    with server() as measured, (server() if control else contextlib.nullcontext(measured)) as target:
        url = f"http://{HOST}:{measured.port}/"
        process = multiprocessing.get_context("spawn").Process(
            target=attackers, args=(target.port, attacking, stop, counts, failures), daemon=True)
        process.start()
        idle_loads, idle_clicks, busy_loads, busy_clicks = [], [], [], []
        cpu_idle = cpu_busy = 0.0
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                timed_page(browser, url, 2)  # warm: the data loads once per server
                for _ in range(loads):
                    started = cpu_seconds(measured.process.pid)
                    loaded, times = timed_page(browser, url, clicks)
                    cpu_idle += cpu_seconds(measured.process.pid) - started
                    idle_loads.append(loaded)
                    idle_clicks += times
                    before = dict(counts)
                    attacking.set()
                    deadline = time.monotonic() + 300
                    while (counts["refused"] == before["refused"] or counts["suggested"] == before["suggested"]):
                        if stop.is_set() or time.monotonic() > deadline:  # an attacker failed or never got going
                            raise RuntimeError(f"the attacks did not get under way: {list(failures)}")
                        time.sleep(0.2)
                    started = cpu_seconds(measured.process.pid)
                    loaded, times = timed_page(browser, url, clicks)
                    cpu_busy += cpu_seconds(measured.process.pid) - started
                    busy_loads.append(loaded)
                    busy_clicks += times
                    attacking.clear()
                browser.close()
        finally:
            stop.set()
            attacking.set()
            process.join(timeout=120)
            if process.is_alive():
                process.kill()
    return {"idle_loads": idle_loads, "busy_loads": busy_loads, "idle_clicks": idle_clicks,
            "busy_clicks": busy_clicks, "refused": counts["refused"], "suggested": counts["suggested"],
            "failures": list(failures), "cpu_idle": cpu_idle, "cpu_busy": cpu_busy, "control": control}


def attack_table(result: dict) -> str:
    load_idle, load_busy = statistics.median(result["idle_loads"]), statistics.median(result["busy_loads"])
    click_idle, click_busy = statistics.median(result["idle_clicks"]), statistics.median(result["busy_clicks"])
    where = "a second server (control)" if result["control"] else "the same server"
    lines = ["| measure (ms) | idle median | attacked median | ratio | target |", "| --- | --- | --- | --- | --- |",
             f"| first load → drawn graph ({len(result['idle_loads'])} each) | {load_idle:.0f} | {load_busy:.0f} | "
             f"{load_busy / load_idle:.2f}× | ≤ 2× |",
             f"| click → panel ({len(result['idle_clicks'])} each) | {click_idle:.0f} | {click_busy:.0f} | "
             f"{click_busy / click_idle:.2f}× | ≤ 2× |",
             f"idle loads {', '.join(f'{t:.0f}' for t in result['idle_loads'])}; attacked "
             f"{', '.join(f'{t:.0f}' for t in result['busy_loads'])}",
             f"attacks against {where}: {result['refused']} bomb uploads refused, {result['suggested']} 1 MiB pastes "
             f"suggested; measured server's CPU while timing: idle {result['cpu_idle']:.1f} s, attacked "
             f"{result['cpu_busy']:.1f} s; load average {load_average()}"]
    lines += [f"ATTACKER FAILED: {failure}" for failure in result["failures"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("curve", help="sessions changing filters: rerun latency, errors, RSS per session")
    load.add_argument("--sessions", default="1,10,25,50", help="comma-separated session counts, one level each")
    load.add_argument("--seconds", type=float, default=60.0)
    load.add_argument("--every", type=float, default=2.0, help="seconds between one session's filter changes")
    load.add_argument("--data", type=Path, help="a data folder (default: the bundled data)")
    hostile = commands.add_parser("attack", help="a real page timed idle and while two scripted sessions attack")
    hostile.add_argument("--loads", type=int, default=5, help="rounds of (idle page, attacked page)")
    hostile.add_argument("--clicks", type=int, default=6, help="clicks timed on each page")
    hostile.add_argument("--control", action="store_true", help="attack a second server on the same machine")
    args = parser.parse_args()
    if args.command == "curve":
        levels = [int(level) for level in args.sessions.split(",")]
        if not all(0 < level <= MAX_SESSIONS for level in levels) or not 0 < args.seconds <= MAX_SECONDS:
            parser.error(f"sessions 1..{MAX_SESSIONS} and seconds up to {MAX_SECONDS:.0f}")
        print(f"load average at the start: {load_average()}")
        rows = curve(levels, args.seconds, args.every, args.data)
        print(curve_table(rows, args.every))
        sys.exit(1 if any(row["errors"] for row in rows) else 0)
    if not 0 < args.loads <= 20:
        parser.error("loads 1..20")
    print(f"load average at the start: {load_average()}")
    result = attack(args.loads, args.clicks, args.control)
    print(attack_table(result))
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
