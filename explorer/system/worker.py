"""Heavy parsing in a child process: it cannot hold the server's interpreter that every session shares,
it runs at a lower scheduling priority than the server (the pages of other visitors come first), it gets a
memory ceiling of its own, and it is killed at its time limit, when its session ends or starts newer work, and
when the server itself dies."""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

Result = TypeVar("Result")
# Forked from a small server process that has these imported, never from the threaded web server itself.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["explorer.tables.upload", "explorer.tables.suggest", "openpyxl",
                                 "pandera.pandas"])  # validation imports it lazily: once here, not per job
# Two children at most: the machine has two cores, and a third upload waits its turn instead of crowding them.
_SLOTS = threading.BoundedSemaphore(2)
MEMORY_BYTES = 1024 * 1024 * 1024  # on top of what the child starts with
CANCELLED = "cancelled: the session ended or started newer work"
NICENESS = 10  # added to the server's: on a busy machine the web server's own work is scheduled first


class NewestWork:
    """Which job is each session's newest: an older job of the same session is stale and should stop, so a
    session that uploads again and again holds one worker, not a queue of them."""

    def __init__(self) -> None:
        self._newest: dict[str, object] = {}
        self._lock = threading.Lock()

    def start(self, session: str, active: Callable[[str], bool] = lambda _: True) -> Callable[[], bool]:
        """Record a new job of `session`; returns its test "stale?" (a newer job started, or the session is no
        longer `active`). Sessions no longer active are forgotten here."""
        token = object()
        with self._lock:
            for gone in [known for known in self._newest if not active(known)]:
                del self._newest[gone]
            self._newest[session] = token
        return lambda: self._newest.get(session) is not token or not active(session)


class WorkerError(Exception):
    """The work did not finish: too slow, too big, cancelled, or failed; the message is for the user."""


def _virtual_memory() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _die_with(server: int) -> None:
    """Kill this worker as soon as the server that started it is gone. Its parent is the forkserver, which waits
    for its workers before it exits, so a server killed outright would otherwise leave them running unwatched."""
    try:
        handle = os.pidfd_open(server)
    except ProcessLookupError:  # the server died before this worker began
        os.kill(os.getpid(), signal.SIGKILL)
        return

    def watch() -> None:
        select.select([handle], [], [])  # readable once the server has exited
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-server", daemon=True).start()


def _child(connection: Connection, memory_bytes: int, function: Callable[..., Any], args: tuple, server: int,
           seconds: float) -> None:
    _die_with(server)
    limit = _virtual_memory() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = math.ceil(seconds) + 1  # never more CPU than its time limit, even if nobody is left to enforce that
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    os.nice(NICENESS)
    try:
        connection.send(("ok", function(*args)))
    except MemoryError:
        connection.send(("error", f"it needed more than {memory_bytes // 2**20:,} MiB of memory"))
    except Exception as error:  # raised again in the parent, as if the function had run there
        try:
            connection.send(("raise", error))
        except Exception:  # an exception that does not pickle: its words, at least
            connection.send(("error", f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"))
    finally:
        connection.close()


def run_isolated(function: Callable[..., Result], *args: Any, seconds: float = 30.0,
                 memory_bytes: int = MEMORY_BYTES, cancelled: Callable[[], bool] = lambda: False) -> Result:
    """`function(*args)` in a child process. What it raises is raised here; WorkerError when it takes longer than
    `seconds`, runs out of its memory, dies, or `cancelled()` turns true (its session ended or moved on) while
    it runs or waits for a free slot. The child is killed in every such case."""
    waited_until = time.monotonic() + seconds
    while not _SLOTS.acquire(timeout=0.05):
        if cancelled():
            raise WorkerError(CANCELLED)
        if time.monotonic() > waited_until:
            raise WorkerError(f"the server is busy reading other uploads and texts; nothing started within "
                              f"{seconds:g} s")
    try:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        child = _CONTEXT.Process(target=_child, args=(sender, memory_bytes, function, args, os.getpid(), seconds),
                                 daemon=True)
        child.start()
        sender.close()
        deadline = time.monotonic() + seconds
        try:
            while not receiver.poll(0.05):
                if not child.is_alive() and not receiver.poll(0):
                    raise WorkerError(f"the worker stopped without an answer (exit code {child.exitcode})")
                if time.monotonic() > deadline:
                    raise WorkerError(f"stopped after {seconds:g} s")
                if cancelled():
                    raise WorkerError(CANCELLED)
            try:
                status, value = receiver.recv()
            except EOFError:
                raise WorkerError("the worker stopped without an answer") from None
        finally:
            if child.is_alive():
                child.kill()
            child.join(5)
            receiver.close()
    finally:
        _SLOTS.release()
    if status == "raise":
        raise value
    if status != "ok":
        raise WorkerError(value)
    return value
