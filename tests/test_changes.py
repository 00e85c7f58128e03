"""Saving curators' changes: row-level, byte for byte, under a lock, all or nothing, logged and undoable."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from explorer.tables import load_dataset
from explorer.tables.changes import (
    HISTORY_FILE,
    ChangeSet,
    Conflict,
    FolderProblem,
    RowChange,
    apply_rows,
    parse_csv,
    read_history,
    save_change,
    undo_of,
)
from explorer.tables.write import JOURNAL_FILE, WriteRefused, atomic_write

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("actors.csv", "sources.csv", "relations.csv", "evidence.csv")
DOCUMENT = "doc-test0001.txt"
DOCUMENT_TEXT = "Tehran and Baku traded sharp words about a test pact.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled data and seeds."""
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Everything a save may touch: the tables, the stored documents and the history."""
    files = {name: (folder / name).read_bytes() for name in TABLES}
    files |= {f"seeds/{p.name}": p.read_bytes() for p in (folder.parent / "seeds").iterdir() if p.is_file()}
    history = folder / HISTORY_FILE
    files[HISTORY_FILE] = history.read_bytes() if history.exists() else b""
    return files


def relation_row(folder: Path, rid: str) -> dict[str, str]:
    parsed = parse_csv((folder / "relations.csv").read_bytes(), "relations.csv")
    return next(parsed.row(r) for r in parsed.records if r.fields and r.fields[0] == rid)


def four_table_change(folder: Path) -> ChangeSet:
    """Adds an actor, a source with its document, a relation and its evidence; edits one relation."""
    before = relation_row(folder, "israel-azerbaijan-military-2021")
    rows = (
        RowChange("actors.csv", None, {"id": "test_actor", "name": "Test actor", "kind": "other", "country": "",
                                       "aliases": "", "description": ""}),
        RowChange("sources.csv", None, {"id": "test-source", "title": "", "outlet": "example.org",
                                        "url": "https://example.org/test", "published": "2025-07",
                                        "document": DOCUMENT, "note": "test"}),
        RowChange("relations.csv", None, {"id": "test-rel", "source": "test_actor", "target": "iran",
                                          "type": "rhetoric", "polarity": "-1", "start": "2025-07",
                                          "end": "2025-07", "confidence": "low", "summary": "Test."}),
        RowChange("evidence.csv", None, {"relation": "test-rel", "source": "test-source",
                                         "quote": "traded sharp words", "claimed_by": "", "stance": "supports"}),
        RowChange("relations.csv", before, {**before, "summary": "Edited summary."}),
    )
    return ChangeSet(rows, "test change", documents={DOCUMENT: DOCUMENT_TEXT}, document=DOCUMENT)


def test_bundled_tables_split_into_records_and_join_back_byte_for_byte(folder):
    for name in TABLES:
        data = (folder / name).read_bytes()
        assert parse_csv(data, name).text().encode("utf-8") == data


def test_crlf_bom_multiline_and_a_missing_final_newline_survive_an_edit():
    data = ("\ufeffid,name,kind,country,aliases,description\r\n"
            'a,"Two\r\nlines",state,,,\r\nb,B,state,,,"x, y"').encode()
    parsed = parse_csv(data, "actors.csv")
    assert [r.fields[0] for r in parsed.records] == ["a", "b"]
    row_a = parsed.row(parsed.records[0])
    out = apply_rows({"actors.csv": data}, [RowChange("actors.csv", row_a, {**row_a, "kind": "other"})])
    assert out["actors.csv"] == data.replace(b"lines\",state", b"lines\",other")
    added = apply_rows({"actors.csv": data}, [RowChange("actors.csv", None, {"id": "c", "name": "C", "kind": "state"})])
    assert added["actors.csv"] == data + b"\r\nc,C,state,,,\r\n"


def test_save_adds_rows_and_leaves_every_other_byte_alone(folder):
    before = snapshot(folder)
    save_change(folder, four_table_change(folder), "ana")
    after = snapshot(folder)
    for name in TABLES:
        old, new = before[name], after[name]
        if name == "relations.csv":
            edited = [line for line in old.splitlines(keepends=True) if b"israel-azerbaijan-military-2021," in line]
            old = old.replace(edited[0], b"israel-azerbaijan-military-2021,israel,azerbaijan,military,1,2021,,high,"
                                         b"Edited summary.\n")
        assert new.startswith(old), name
        assert new.count(b"\n") == old.count(b"\n") + 1, name  # one row added to each table
    assert after[f"seeds/{DOCUMENT}"] == DOCUMENT_TEXT.encode()
    assert load_dataset(folder).problems == ()


def test_invalid_rows_and_unknown_columns_are_kept_byte_for_byte(folder):
    relations = folder / "relations.csv"
    text = relations.read_text(encoding="utf-8").splitlines(keepends=True)
    text[0] = text[0].rstrip("\n") + ",via\n"
    text[1:] = [line.rstrip("\n") + ",\n" for line in text[1:]]
    text.append('bad-row,iran,taliban,hostility,-1,2025-13-45,,low,"A typo\'d date, kept",somewhere\n')
    relations.write_text("".join(text), encoding="utf-8")
    before = relations.read_bytes()
    problems_before = load_dataset(folder).problems
    assert problems_before  # the bad date, and the relation without evidence
    save_change(folder, four_table_change(folder), "ana")
    after = relations.read_bytes()
    assert b'bad-row,iran,taliban,hostility,-1,2025-13-45,,low,"A typo\'d date, kept",somewhere\n' in after
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert [str(p).split(":", 2)[2] for p in load_dataset(folder).problems] == \
        [str(p).split(":", 2)[2] for p in problems_before]


def test_a_missing_seeds_folder_loses_no_row(folder):
    import shutil

    shutil.rmtree(folder.parent / "seeds")
    lines = {name: len((folder / name).read_bytes().splitlines()) for name in TABLES}
    change = four_table_change(folder)
    save_change(folder, ChangeSet(change.rows[-1:], "edit only"), "ana")
    assert {name: len((folder / name).read_bytes().splitlines()) for name in TABLES} == lines


def test_a_change_that_adds_problems_is_refused_and_writes_nothing(folder):
    before = snapshot(folder)
    bad = RowChange("relations.csv", None, {"id": "x", "source": "nobody", "target": "iran", "type": "rhetoric",
                                            "polarity": "-1", "start": "2025", "end": "", "confidence": "low",
                                            "summary": "x"})
    with pytest.raises(FolderProblem, match="unknown or invalid actor 'nobody'"):
        save_change(folder, ChangeSet((bad,), "bad"), "ana")
    assert snapshot(folder) == before


def test_an_unreadable_table_is_named_and_nothing_is_written(folder):
    (folder / "actors.csv").write_bytes(b"id,name\n\xff\xfe,x\n")
    before = snapshot(folder)
    with pytest.raises(FolderProblem, match=r"actors\.csv is not UTF-8"):
        save_change(folder, four_table_change(folder), "ana")
    assert snapshot(folder) == before


def test_an_edit_of_a_row_changed_underneath_is_a_conflict(folder):
    read_by_ana = relation_row(folder, "israel-azerbaijan-military-2021")
    save_change(folder, ChangeSet((RowChange("relations.csv", read_by_ana, {**read_by_ana, "confidence": "medium"}),),
                                  "bo edits"), "bo")
    before = snapshot(folder)
    with pytest.raises(Conflict, match="changed by someone else"):
        save_change(folder, ChangeSet((RowChange("relations.csv", read_by_ana, {**read_by_ana, "summary": "ana"}),),
                                      "ana edits"), "ana")
    assert snapshot(folder) == before
    with pytest.raises(Conflict, match="already exists with other values"):
        row = {**read_by_ana, "summary": "another"}
        save_change(folder, ChangeSet((RowChange("relations.csv", None, row),), "ana adds"), "ana")


def test_two_curators_adding_different_rows_at_once_both_land(folder):
    def suggestion(name: str) -> ChangeSet:
        return ChangeSet((RowChange("actors.csv", None, {"id": f"actor_{name}", "name": name, "kind": "other"}),),
                         f"{name} adds")

    barrier = threading.Barrier(8)
    errors = []

    def save(name: str) -> None:
        barrier.wait()
        try:
            save_change(folder, suggestion(name), name)
        except Exception as error:  # collected, asserted below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(f"c{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    actors = load_dataset(folder).dataset.actors
    assert {f"actor_c{n}" for n in range(8)} <= set(actors.index)
    assert len(read_history(folder)) == 8


def test_history_lists_every_save_and_undo_restores_the_rows(folder):
    original = snapshot(folder)
    first = save_change(folder, four_table_change(folder), "ana")
    history = read_history(folder)
    assert [e.id for e in history] == [first.id]
    assert history[0].by == "ana" and history[0].document == DOCUMENT
    assert history[0].counts() == {"added": 4, "edited": 1, "removed": 0}
    undo = save_change(folder, undo_of(history[0]), "bo")
    assert undo.undoes == first.id and undo.counts() == {"added": 0, "edited": 1, "removed": 4}
    restored = snapshot(folder)
    for name in TABLES:
        assert restored[name] == original[name], name
    assert [e.id for e in read_history(folder)] == [first.id, undo.id]
    redo = save_change(folder, undo_of(read_history(folder)[1]), "ana")  # undo the undo: the document stayed
    assert redo.counts()["added"] == 4 and load_dataset(folder).problems == ()


def test_undo_is_refused_when_its_rows_changed_since(folder):
    first = save_change(folder, four_table_change(folder), "ana")
    edited = relation_row(folder, "israel-azerbaijan-military-2021")
    save_change(folder, ChangeSet((RowChange("relations.csv", edited, {**edited, "summary": "Later."}),), "later"),
                "bo")
    with pytest.raises(Conflict):
        save_change(folder, undo_of(first), "ana")


def test_history_cli_prints_every_change(folder):
    from explorer.cli import main

    save_change(folder, four_table_change(folder), "ana")
    result = subprocess.run([sys.executable, "-m", "explorer", "history", "--data", str(folder)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert "ana" in result.stdout and "test change" in result.stdout and "4 added, 1 edited" in result.stdout
    assert main(["history", "--data", str(folder), "--json"]) == 0


# ---------------------------------------------------------------------------------------------- crash at each step

CRASHING_SAVE = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.test_changes import four_table_change
from explorer.tables.changes import save_change
folder, crash_at = Path(sys.argv[1]), int(sys.argv[2])
steps = []
def step(name):
    steps.append(name)
    print(name, flush=True)
    if len(steps) == crash_at:
        os.kill(os.getpid(), signal.SIGKILL)
save_change(folder, four_table_change(folder), "ana", step)
"""


def run_crashing_save(folder: Path, crash_at: int) -> subprocess.CompletedProcess:
    script = CRASHING_SAVE.format(root=str(ROOT))
    return subprocess.run([sys.executable, "-c", script, str(folder), str(crash_at)], capture_output=True,
                          text=True, cwd=ROOT)


def test_a_writer_killed_at_any_step_leaves_the_old_or_the_new_state(tmp_path):
    import shutil

    def fresh(name: str) -> Path:
        shutil.copytree(ROOT / "data", tmp_path / name / "data")
        shutil.copytree(ROOT / "seeds", tmp_path / name / "seeds")
        return tmp_path / name / "data"

    reference = fresh("reference")
    old = snapshot(reference)
    complete = run_crashing_save(reference, 0)
    assert complete.returncode == 0, complete.stderr
    steps = complete.stdout.split("\n")[:-1]
    assert steps[-1] == "removed the commit record" and "committed" in steps and len(steps) >= 12
    new = snapshot(reference)
    outcomes = []
    for crash_at in range(1, len(steps) + 1):
        folder = fresh(f"crash{crash_at}")
        crashed = run_crashing_save(folder, crash_at)
        assert crashed.returncode == -signal.SIGKILL, (crash_at, crashed.stderr)
        result = load_dataset(folder)  # the next reader finishes or discards the interrupted save
        assert result.problems == (), (crash_at, result.problems[:3])
        state = snapshot(folder)
        history = state.pop(HISTORY_FILE)
        expected_new, expected_old = dict(new), dict(old)
        expected_new.pop(HISTORY_FILE), expected_old.pop(HISTORY_FILE)
        assert state in (expected_old, expected_new), f"mixed state after a crash at {steps[crash_at - 1]!r}"
        if state == expected_new:
            assert [json.loads(line)["summary"] for line in history.splitlines()] == ["test change"]
        else:
            assert history == b""
        leftovers = [p.name for d in (folder, folder.parent / "seeds") for p in d.iterdir()
                     if p.name.endswith((".pending", ".draft")) or p.name == JOURNAL_FILE]
        assert leftovers == [], (crash_at, leftovers)
        outcomes.append("new" if state == expected_new else "old")
    committed = steps.index("committed")
    assert outcomes == ["old"] * committed + ["new"] * (len(steps) - committed)


# ------------------------------------------------------------------------------------------------- files as they were


def test_saves_keep_file_modes(folder):
    os.chmod(folder / "relations.csv", 0o644)
    os.chmod(folder / "actors.csv", 0o640)
    save_change(folder, four_table_change(folder), "ana")
    assert stat.S_IMODE((folder / "relations.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((folder / "actors.csv").stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((folder.parent / "seeds" / DOCUMENT).stat().st_mode) == 0o666 & ~umask


def test_atomic_write_keeps_the_mode_and_refuses_a_symbolic_link(tmp_path):
    target = tmp_path / "export.csv"
    target.write_bytes(b"old")
    os.chmod(target, 0o604)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o604
    real = tmp_path / "real.csv"
    real.write_bytes(b"real")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(WriteRefused, match="symbolic link"):
        atomic_write(link, b"replaced?")
    assert link.is_symlink() and real.read_bytes() == b"real"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_export_to_a_symbolic_link_is_refused_and_the_link_kept(tmp_path, capsys):
    from explorer.cli import main

    real = tmp_path / "real.csv"
    real.write_bytes(b"keep me")
    link = tmp_path / "view.csv"
    link.symlink_to(real)
    assert main(["export", "--format", "csv", "-o", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and real.read_bytes() == b"keep me"
