"""Faults survived: a save, an import and a server running a worker job killed (SIGKILL) at random moments, and a
full disk.

Each kill lands wherever the clock says, not at a step chosen by the code (tests/test_changes.py covers every
step of a commit); afterwards the data folder must validate, hold each change whole or not at all, and agree with
its history; a worker must not outlive the server that started it. Bounded: 20 kills of each kind, a few seconds
each on a quiet machine, 15 minutes at most per test.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.tables import load_dataset
from explorer.tables.changes import HISTORY_FILE, ChangeSet, RowChange, current_rows, read_history, save_change
from explorer.tables.write import JOURNAL_FILE, write_error_words

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20  # per kind of fault
TABLES = ("actors.csv", "sources.csv", "relations.csv", "evidence.csv")
EDITED = "israel-azerbaijan-military-2021"  # every change also edits this relation's summary


def bundled_copy(root: Path) -> Path:
    """A copy of the bundled data and its seeds; returns the data folder."""
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root / "data"


def started(command: list[str], log: Path) -> subprocess.Popen:
    """A child Python process, once it has printed "ready" (its imports done, about to work). Its output goes to
    `log`, not a pipe: a worker it leaves behind would hold a pipe open."""
    with log.open("w") as handle:
        child = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while not log.read_text().startswith("ready\n"):
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the child did not start: {log.read_text()[-2000:]}")
        time.sleep(0.02)
    return child


def killed(child: subprocess.Popen, log: Path) -> list[str]:
    """SIGKILL the child; the lines it printed before."""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, f"the child ended before the kill: {log.read_text()[-2000:]}"
    return log.read_text().splitlines()


def leftovers(folder: Path) -> list[str]:
    return [p.name for d in (folder, folder.parent / "seeds") for p in d.iterdir()
            if p.name.endswith((".pending", ".draft", ".tmp")) or p.name == JOURNAL_FILE]


# ------------------------------------------------------------------------------------------------------ saves

SAVING = """
import secrets, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from explorer.tables import load_dataset
from explorer.tables.changes import ChangeSet, RowChange, current_rows, save_change

folder = Path(sys.argv[1])
load_dataset(folder)  # what a server does first: read the folder (and finish any interrupted save)
print("ready", flush=True)
while True:
    tag = secrets.token_hex(4)
    text = f"Kill test {{tag}}: Tehran condemned Baku in a statement.\\n"
    before = current_rows(folder, "relations.csv", [{edited!r}])[{edited!r}]
    rows = (
        RowChange("sources.csv", None, {{"id": f"kill-{{tag}}", "title": "", "outlet": "example.org",
                                        "url": f"https://example.org/{{tag}}", "published": "2025-07",
                                        "document": f"doc-kill-{{tag}}.txt"}}),
        RowChange("relations.csv", None, {{"id": f"kill-{{tag}}", "source": "iran", "target": "azerbaijan",
                                          "type": "rhetoric", "polarity": "-1", "start": "2025-07",
                                          "end": "2025-07", "confidence": "low", "summary": f"Kill test {{tag}}."}}),
        RowChange("evidence.csv", None, {{"relation": f"kill-{{tag}}", "source": f"kill-{{tag}}",
                                         "quote": f"Kill test {{tag}}: Tehran condemned Baku", "claimed_by": ""}}),
        RowChange("relations.csv", before, {{**before, "summary": f"Edited by {{tag}}."}}),
    )
    change = ChangeSet(rows, f"kill test {{tag}}", documents={{f"doc-kill-{{tag}}.txt": text}},
                       document=f"doc-kill-{{tag}}.txt")
    save_change(folder, change, "fault-test")
    print(f"saved {{tag}}", flush=True)
"""


def relation_rows(folder: Path) -> dict[str, dict[str, str]]:
    dataset = load_dataset(folder).dataset
    return {row["id"]: row for row in dataset.relations.astype(str).to_dict("records")}


def whole_changes(folder: Path, original_summary: str) -> list[str]:
    """The folder validates, and each change is there whole (its source, relation, evidence, document, edit and
    history entry) or not at all. Returns the tags of the changes held, oldest first."""
    result = load_dataset(folder)  # the next reader finishes or discards an interrupted save
    assert result.problems == (), result.problems[:3]
    assert leftovers(folder) == []
    dataset = result.dataset
    entries = read_history(folder)
    tags = [entry.summary.removeprefix("kill test ") for entry in entries]
    assert all(entry.by == "fault-test" and len(entry.rows) == 4 for entry in entries)
    relations = {rid.removeprefix("kill-") for rid in dataset.relations["id"] if rid.startswith("kill-")}
    sources = {sid.removeprefix("kill-") for sid in dataset.sources["id"] if sid.startswith("kill-")}
    evidence = {rid.removeprefix("kill-") for rid in dataset.evidence["relation"] if rid.startswith("kill-")}
    documents = {p.name.removeprefix("doc-kill-").removesuffix(".txt")
                 for p in (folder.parent / "seeds").glob("doc-kill-*.txt")}
    assert relations == sources == evidence == documents == set(tags), "a change was written in part"
    assert len(tags) == len(set(tags))
    summary = relation_rows(folder)[EDITED]["summary"]
    assert summary == (f"Edited by {tags[-1]}." if tags else original_summary), "the edit and the history disagree"
    return tags


@pytest.mark.timeout(900)  # 20 kills, each a fresh Python process: minutes on a busy machine
def test_a_writer_killed_at_random_moments_keeps_every_change_whole(tmp_path):
    folder = bundled_copy(tmp_path)
    original = relation_rows(folder)[EDITED]["summary"]
    script = SAVING.format(root=str(ROOT), edited=EDITED)
    rng = random.Random(22)
    held: list[str] = []
    log = tmp_path / "writer.log"
    for _ in range(KILLS):
        child = started([sys.executable, "-c", script, str(folder)], log)
        began = time.monotonic()
        while "saved " not in log.read_text():  # one whole save: how long a save takes on the machine now
            assert child.poll() is None, log.read_text()[-2000:]
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, time.monotonic() - began))  # a random moment of the next save
        printed = killed(child, log)
        saved = [line.removeprefix("saved ") for line in printed if line.startswith("saved ")]
        now = whole_changes(folder, original)
        assert now[:len(held)] == held, "a change held before was lost"
        new = now[len(held):]
        assert new[:len(saved)] == saved, "a save that returned was lost"
        assert len(new) - len(saved) in (0, 1), "more changes than saves started"  # one may commit, unprinted
        held = now


# ---------------------------------------------------------------------------------------------------- workers

# The job: 30 s of waiting, as a worker stuck on a slow hostile file would. Without its watch on the server, the
# worker outlived a killed server by the whole job (and its forkserver with it, waiting for the worker).
SERVING = """
import sys, time
sys.path.insert(0, {root!r})
from explorer.system import worker

worker._CONTEXT.set_forkserver_preload(["explorer.system.worker"])  # what a worker needs; the kill is mid-job
print("ready", flush=True)
print(worker.run_isolated(time.sleep, 30.0, seconds=60), flush=True)
"""
GONE_WITHIN = 5.0


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (children, their children, ...)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "?"


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.timeout(900)  # 20 kills, each a fresh Python process: minutes on a busy machine
def test_a_server_killed_during_a_worker_job_leaves_no_worker_running(tmp_path):
    folder = bundled_copy(tmp_path)
    before = {name: (folder / name).read_bytes() for name in TABLES}
    script = SERVING.format(root=str(ROOT))
    rng = random.Random(23)
    for _ in range(KILLS):
        child = started([sys.executable, "-c", script], tmp_path / "server.log")
        deadline = time.monotonic() + 60
        while len(below := descendants(child.pid)) < 3:  # the resource tracker, the forkserver and the worker
            assert time.monotonic() < deadline, f"no worker started: {tmp_path.joinpath('server.log').read_text()}"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.0))  # a random moment of the job
        killed(child, tmp_path / "server.log")
        deadline = time.monotonic() + GONE_WITHIN
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = {pid: command_line(pid) for pid in below if alive(pid)}
        for pid in left:  # never leave them behind the test
            os.kill(pid, signal.SIGKILL)
        assert left == {}, f"processes outlived their server by {GONE_WITHIN:g} s: {left}"
    assert {name: (folder / name).read_bytes() for name in TABLES} == before
    assert load_dataset(folder).problems == ()

def fill(disk: Path) -> Path:
    """Fill the disk to the last byte; returns the filler file (delete it to free the space)."""
    filler = disk / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (2**20, 2**12, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(handle)
    return filler


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A copy of the bundled data on a 4 MiB tmpfs of its own, filled up: returns the data folder."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a full disk needs a small tmpfs, and mounting one was refused here: {mounted.stderr.strip()} "
                    "(run the tests as root, or in a container allowed to mount)")
    try:
        folder = bundled_copy(disk)
        load_dataset(folder)  # the lock file exists before the disk is full, as on a folder in use
        fill(disk)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def state_of(folder: Path) -> dict[str, bytes]:
    files = {name: (folder / name).read_bytes() for name in TABLES}
    files |= {f"seeds/{p.name}": p.read_bytes() for p in (folder.parent / "seeds").iterdir() if p.is_file()}
    history = folder / HISTORY_FILE
    files[HISTORY_FILE] = history.read_bytes() if history.exists() else b""
    return files


def a_change(folder: Path, tag: str) -> ChangeSet:
    """The kill test's change: a source with its stored document, a relation, its evidence, an edit."""
    before = current_rows(folder, "relations.csv", [EDITED])[EDITED]
    text = f"Full disk {tag}: Tehran condemned Baku in a statement.\n" + "Padding. " * 2000
    rows = (RowChange("sources.csv", None, {"id": f"disk-{tag}", "title": "", "outlet": "example.org",
                                            "url": "https://example.org/disk", "published": "2025-07",
                                            "document": f"doc-disk-{tag}.txt"}),
            RowChange("relations.csv", None, {"id": f"disk-{tag}", "source": "iran", "target": "azerbaijan",
                                              "type": "rhetoric", "polarity": "-1", "start": "2025-07",
                                              "end": "2025-07", "confidence": "low", "summary": "Full disk."}),
            RowChange("evidence.csv", None, {"relation": f"disk-{tag}", "source": f"disk-{tag}",
                                             "quote": f"Full disk {tag}: Tehran condemned Baku", "claimed_by": ""}),
            RowChange("relations.csv", before, {**before, "summary": f"Edited on a full disk {tag}."}))
    return ChangeSet(rows, f"full disk {tag}", documents={f"doc-disk-{tag}.txt": text}, document=f"doc-disk-{tag}.txt")


def test_a_save_on_a_full_disk_says_so_and_loses_nothing(full_disk):
    folder = full_disk
    before = state_of(folder)
    with pytest.raises(OSError) as raised:
        save_change(folder, a_change(folder, "a"), "ana")
    assert raised.value.errno == errno.ENOSPC
    assert write_error_words(raised.value).startswith("The disk that holds the data folder is full")
    assert str(folder) not in write_error_words(raised.value)  # no server path in what the curator reads
    assert state_of(folder) == before and leftovers(folder) == []
    assert load_dataset(folder).problems == ()
    (folder.parent / "filler").unlink()  # space again: the same save goes through, whole
    save_change(folder, a_change(folder, "a"), "ana")
    assert [entry.summary for entry in read_history(folder)] == ["full disk a"]
    assert load_dataset(folder).problems == () and leftovers(folder) == []


def test_the_cli_on_a_full_disk_says_so_and_loses_nothing(full_disk, capsys):
    from explorer.cli import main

    folder = full_disk
    (folder.parent / "filler").unlink()
    save_change(folder, a_change(folder, "b"), "ana")  # a change to undo
    fill(folder.parent)
    before = state_of(folder)
    entry = read_history(folder)[0]
    assert main(["undo", entry.id, "--data", str(folder)]) != 0
    error = capsys.readouterr().err
    assert "error: The disk that holds the data folder is full" in error and str(folder) not in error
    assert state_of(folder) == before and leftovers(folder) == []


def test_the_app_on_a_full_disk_says_so_and_keeps_the_change(full_disk, monkeypatch):
    from tests.test_app import run_app, sign_in

    folder = full_disk
    monkeypatch.setenv("EXPLORER_DATA", str(folder))
    before = state_of(folder)
    app = run_app({"view": "Curate"})
    sign_in(app, monkeypatch, "ana")
    app.selectbox(key="edit_relation").set_value(EDITED).run()
    app.text_area(key=f"edit_summary_{EDITED}").set_value("Saved on a full disk.")
    app.button(key="edit_save").click().run()
    assert not app.exception, app.exception
    shown = " ".join(e.value for e in app.error)
    assert "Not saved, nothing was written. The disk that holds the data folder is full" in shown
    assert str(folder) not in shown
    assert any(b.label == "Download my change (JSON)" for b in app.get("download_button"))  # the change is kept
    assert state_of(folder) == before and leftovers(folder) == []


# ------------------------------------------------------------------------------------------------------ imports

IMPORTING = """
import sys
sys.path.insert(0, {root!r})
from explorer.cli import main

print("ready", flush=True)
print("exit", main(["import", sys.argv[1], "-o", sys.argv[2], "--mode", "add", "--url", "https://example.org/net",
                    "--outlet", "example.org", "--published", "2024"]), flush=True)
"""


def signed_edge_list(path: Path, edges: int = 300) -> Path:
    """A signed edge list among new actors (the literature's format: source,target,sign,date)."""
    rng = random.Random(24)
    lines = ["source,target,sign,date"]
    for _ in range(edges):
        a, b = rng.sample(range(120), 2)
        lines.append(f"net actor {a},net actor {b},{rng.choice([1, -1])},2024-0{rng.randint(1, 9)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported_state(folder: Path, before: dict[str, bytes], relations_before: int) -> str:
    """"none" when the folder is as before the import, "whole" when it holds every imported relation, its actors,
    source and document (and, when imports are logged, one history entry for it); anything else fails."""
    result = load_dataset(folder)
    assert result.problems == (), result.problems[:3]
    assert leftovers(folder) == []
    if state_of(folder) == before:
        return "none"
    dataset = result.dataset
    assert len(dataset.relations) - relations_before == 300, "part of the import landed"
    assert {f"net actor {n}" for n in range(120)} <= set(dataset.actors["name"]), "part of the actors landed"
    documents = [p for p in (folder.parent / "seeds").iterdir() if f"seeds/{p.name}" not in before]
    assert len(documents) == 1, f"the import's document did not land with it: {documents}"
    return "whole"


@pytest.mark.timeout(900)  # 20 kills, each a fresh Python process: minutes on a busy machine
def test_an_import_killed_at_random_moments_lands_whole_or_not_at_all(tmp_path):
    source = signed_edge_list(tmp_path / "net.csv")
    script = IMPORTING.format(root=str(ROOT))

    relations_before = len(load_dataset(ROOT / "data").dataset.relations)

    def run(name: str, kill_after: float | None) -> tuple[Path, dict[str, bytes], list[str], float]:
        folder = bundled_copy(tmp_path / name)
        before = state_of(folder)
        child = started([sys.executable, "-c", script, str(source), str(folder)], tmp_path / f"{name}.log")
        began = time.monotonic()
        if kill_after is None:
            child.wait(timeout=300)
            return folder, before, (tmp_path / f"{name}.log").read_text().splitlines(), time.monotonic() - began
        time.sleep(kill_after)
        if child.poll() is not None:  # the machine was quicker this time: no kill, try another moment
            return folder, before, [], -1.0
        return folder, before, killed(child, tmp_path / f"{name}.log"), kill_after

    folder, before, printed, took = run("reference", None)
    assert printed[-1] == "exit 0", printed
    assert imported_state(folder, before, relations_before) == "whole"
    logged = len(read_history(folder))  # 1 once imports are change sets with a history entry; 0 before
    rng = random.Random(25)
    outcomes: list[str] = []
    for attempt in range(2 * KILLS):
        if len(outcomes) == KILLS:
            break
        folder, before, printed, at = run(f"kill{attempt}", rng.uniform(0.0, took * 0.9))
        if at < 0:
            continue
        outcome = imported_state(folder, before, relations_before)
        assert len(read_history(folder)) == (logged if outcome == "whole" else 0), "the history disagrees"
        outcomes.append(outcome)
    assert len(outcomes) == KILLS, f"only {len(outcomes)} kills landed before the import ended"
    assert "none" in outcomes, outcomes  # some kills landed before the write, as they should now and then
