"""The scripted load client (tools/loadtest.py) against a real `streamlit run`: it speaks the app's protocol
(widgets change the view, files upload) and its figures are sane."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import loadtest  # noqa: E402

T = TypeVar("T")


@pytest.fixture(scope="module")
def running() -> Iterator:
    with loadtest.server() as started:
        yield started


def relations_drawn(run: loadtest.Run) -> int:
    caption = next(text for text in run.texts if " relations — click a line" in text)
    return int(caption.split(" relations — ")[0].split(" · ")[-1].split()[0])


def run_alone(coroutine: Coroutine[object, object, T]) -> T:
    """`asyncio.run` in a thread of its own: the browser tests' Playwright keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_widget_change_reruns_the_page_with_the_new_filter(running):
    async def scenario() -> tuple[loadtest.Run, loadtest.Run, str]:
        session = loadtest.Session(running.port)
        try:
            first = await session.open("?actor=iran&hops=1")
            changed = await session.set("f_min_confidence", lambda state: setattr(state, "string_value", "high"))
            return first, changed, session.query
        finally:
            await session.close()

    first, changed, query = run_alone(scenario())
    assert first.errors == [] and changed.errors == []
    assert "min_confidence=high" in query and "actor=iran" in query  # the page wrote the new filter to its URL
    assert 0 < relations_drawn(changed) < relations_drawn(first)


def test_an_upload_goes_through_the_upload_endpoint_and_is_checked(running):
    from tests.test_dos import shared_string_bomb

    actors = (ROOT / "data" / "actors.csv").read_bytes()

    async def scenario() -> tuple[loadtest.Run, loadtest.Run]:
        session = loadtest.Session(running.port)
        try:
            await session.open("?view=Data")
            valid = await session.upload("upload_files", "actors.csv", actors)
            await session.clear_upload("upload_files")
            bomb = await session.upload("upload_files", "actors.xlsx", shared_string_bomb())
            return valid, bomb
        finally:
            await session.close()

    valid, bomb = run_alone(scenario())
    assert valid.errors == [] and valid.shows("Valid: ")
    assert bomb.errors == [] and bomb.shows(loadtest.BOMB_REFUSED)


def test_two_sessions_for_five_seconds_give_sane_figures(running):
    row = run_alone(loadtest.curve_level(running.port, running.process.pid, sessions=2, seconds=5, every=2))
    assert row["errors"] == []
    assert row["sessions"] == 2 and 4 <= row["reruns"] <= 6  # each session changes a filter at 0-2 s, +2 s, +4 s
    assert 0 < row["p50"] <= row["p95"] <= row["max"] < loadtest.RUN_TIMEOUT
    assert row["first_p50"] is not None and row["first_p50"] > 0
    assert 50 < row["rss_before"] < 4096 and 50 < row["rss_after"] < 4096  # a Streamlit server's resident memory
    assert abs(row["per_session"]) < 200
    assert 0 < row["cpu"] < 2 * 5 and row["stretch"] >= 0.9
    table = loadtest.curve_table([row], 2)
    assert table.splitlines()[2].startswith("| 2 | ")
