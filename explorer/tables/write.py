"""Safe writes: one file atomically, or several files (tables, a stored document, the log) as one transaction.

A transaction is a redo journal. New versions are written beside the old ones (same folder, same mode and
owner) and flushed to disk; then a commit record naming them is written, flushed and renamed into place: that
rename is the commit point. Then each new version is renamed over its old one, the folders are flushed and the
record is removed. Whoever next takes the lock (`recover`, run before every read and write) rolls a committed
transaction forward and deletes the leftovers of an uncommitted one, so a crash at any point leaves either the
old or the new state. A lock file (`flock`) serialises writers, and readers wait while a commit is applied.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from explorer.tables.schema import TABLES

if TYPE_CHECKING:
    import pandas as pd


class Tables(Protocol):
    """The four tables of a data set, as `table_frames` reads them: `load.Dataset` is one. A protocol, so this
    module needs no import of load.py, which imports it (for `consistent_read`)."""

    actors: pd.DataFrame
    sources: pd.DataFrame
    relations: pd.DataFrame
    evidence: pd.DataFrame

LOCK_FILE = ".explorer.lock"
JOURNAL_FILE = ".explorer.journal"
PENDING_SUFFIX = ".pending"  # new versions waiting for the commit: `.NAME.TX.pending`

T = TypeVar("T")

# Test hook: called with the name of each step of `commit`, so a test can crash the writer there.
Step = Callable[[str], None]
# A file's new content: its bytes, or a function that writes it to the path it is given (a columnar engine
# writing a large Parquet file itself, without holding it in memory).
Content = bytes | Callable[[Path], None]


class WriteRefused(ValueError):
    """A write that would replace something it must not (a symbolic link, a non-file)."""


# What a failed write means for the person saving, without the server's paths.
WRITE_ERRORS = {errno.ENOSPC: "The disk that holds the data folder is full (no space left on device): free some "
                              "space, then save again",
                errno.EDQUOT: "The disk quota of the data folder is used up: free some space, then save again",
                errno.EROFS: "The data folder is on a read-only file system",
                errno.EACCES: "The server may not write in the data folder (permission denied)",
                errno.EPERM: "The server may not write in the data folder (operation not permitted)"}


def write_error_words(error: OSError) -> str:
    """A failed write in words a curator can act on; other errors by their kind only, never a path."""
    return WRITE_ERRORS.get(error.errno, f"The data folder could not be written ({error.strerror or error})")


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _check_target(target: Path) -> None:
    if target.is_symlink():
        raise WriteRefused(f"{target} is a symbolic link: refusing to replace it (write to its target instead)")
    if target.exists() and not target.is_file():
        raise WriteRefused(f"{target} exists and is not a regular file")


def _write_beside(target: Path, data: Content, name: str) -> Path:
    """Write `data` to `name` in `target`'s folder, with the mode and owner `target` has (or the umask's)."""
    temporary = target.parent / name
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for open()
    try:
        if callable(data):  # the writer fills the path it is given (it may replace the file): reopen to flush it
            os.close(handle)
            data(temporary)
            handle = os.open(temporary, os.O_RDONLY)
        with os.fdopen(handle, "rb" if callable(data) else "wb") as stream:
            if not callable(data):
                stream.write(data)
                stream.flush()
            if target.exists():
                old = target.stat()
                os.fchmod(stream.fileno(), old.st_mode & 0o7777)
                with contextlib.suppress(PermissionError):  # only root may give a file away; keep what we can
                    os.fchown(stream.fileno(), old.st_uid, old.st_gid)
            os.fsync(stream.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Replace `path` with `data` in one rename: readers see the old file or the new one, never half of it.

    The new file keeps the old one's mode and owner (a new file gets the umask's mode); the folder is flushed
    after the rename so the rename itself survives a power cut; a symbolic link is refused, not replaced.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _check_target(target)
    temporary = _write_beside(target, data, f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


@contextlib.contextmanager
def folder_lock(folder: Path, shared: bool = False) -> Iterator[bool]:
    """Hold the folder's lock (exclusive for writers, shared for readers); yields False when it cannot be had.

    A read-only folder cannot hold a lock file: readers then go without (nobody can write there either).
    """
    try:
        handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        if not shared:
            raise
        yield False
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield True
    finally:
        os.close(handle)  # closing releases the lock


def _journal_entries(folder: Path) -> list[tuple[Path, Path]]:
    record = json.loads((folder / JOURNAL_FILE).read_text(encoding="utf-8"))
    return [(Path(e["pending"]), Path(e["target"])) for e in record["files"]]


def _roll_forward(entries: list[tuple[Path, Path]], step: Step) -> None:
    for pending, target in entries:
        if pending.exists():  # absent: renamed before the crash
            os.replace(pending, target)
            step(f"renamed {target.name}")
    for folder in dict.fromkeys(target.parent for _, target in entries):
        _fsync_dir(folder)


def _remove_leftovers(folders: list[Path]) -> None:
    """New versions of a transaction that never committed: the old files are intact, drop these."""
    for folder in folders:
        if folder.is_dir():
            for stray in [*folder.glob(f".*{PENDING_SUFFIX}"), *folder.glob(f"{JOURNAL_FILE}.*.draft")]:
                stray.unlink(missing_ok=True)


def recover(folder: Path, others: list[Path] | tuple[Path, ...] = ()) -> bool:
    """Finish or undo an interrupted transaction (call with the lock held); True if one was found."""
    journal = folder / JOURNAL_FILE
    if journal.exists():
        try:
            entries = _journal_entries(folder)
        except (ValueError, KeyError):  # a torn record was never renamed into place: cannot happen, but be safe
            entries = None
        if entries is not None:
            _roll_forward(entries, lambda _: None)
        journal.unlink()
        _fsync_dir(folder)
        _remove_leftovers([folder, *others])
        return True
    _remove_leftovers([folder, *others])
    return False


def needs_recovery(folder: Path, others: tuple[Path, ...] = ()) -> bool:
    """A commit record or new versions of an unfinished save are lying about."""
    return (folder / JOURNAL_FILE).exists() or any(
        next(d.glob(f".*{PENDING_SUFFIX}"), None) for d in (folder, *others) if d.is_dir())


def commit(folder: Path, files: Mapping[Path, Content], step: Step = lambda _: None) -> list[Path]:
    """Write every file in `files` or none of them (call with `folder_lock(folder)` held).

    `folder` holds the journal; files may live elsewhere on the same file system (the seeds folder).
    """
    targets = [Path(t) for t in files]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        _check_target(target)
    transaction = secrets.token_hex(8)
    written: list[tuple[Path, Path]] = []
    try:
        for target in targets:
            pending = _write_beside(target, files[target], f".{target.name}.{transaction}{PENDING_SUFFIX}")
            written.append((pending, target))
            step(f"wrote {target.name}")
        record = json.dumps({"transaction": transaction, "files": [
            {"pending": str(p), "target": str(t)} for p, t in written]}, indent=1).encode("utf-8")
        draft = _write_beside(folder / JOURNAL_FILE, record, f"{JOURNAL_FILE}.{transaction}.draft")
        step("wrote the commit record")
        for parent in dict.fromkeys(t.parent for t in targets):
            _fsync_dir(parent)
    except BaseException:
        for pending, _ in written:
            pending.unlink(missing_ok=True)
        (folder / f"{JOURNAL_FILE}.{transaction}.draft").unlink(missing_ok=True)
        raise
    os.replace(draft, folder / JOURNAL_FILE)  # the commit point
    _fsync_dir(folder)
    step("committed")
    _roll_forward(written, step)
    (folder / JOURNAL_FILE).unlink()
    _fsync_dir(folder)
    step("removed the commit record")
    return targets


def write_together(folder: Path, files: Mapping[Path, Content]) -> list[Path]:
    """Write `files` (tables in `folder`, documents in its seeds folder) as one transaction under the lock."""
    folder.mkdir(parents=True, exist_ok=True)
    others = tuple(dict.fromkeys(Path(f).parent for f in files if Path(f).parent != folder))
    with folder_lock(folder):
        recover(folder, others)
        return commit(folder, files)


def consistent_read(folder: Path, names: list[str], others: tuple[Path, ...] = (),
                    read: Callable[[Path], T] = Path.read_bytes) -> dict[str, T | None]:
    """Read files of `folder` as of one committed state: finish an interrupted commit first, wait for a running one.

    `read` turns a file into what the caller wants (its bytes; the columnar cache only hashes them).
    """
    if needs_recovery(folder, others):
        with contextlib.suppress(OSError), folder_lock(folder):
            recover(folder, others)
    with folder_lock(folder, shared=True):
        return {name: read(folder / name) if (folder / name).is_file() else None for name in names}


def table_frames(dataset: Tables) -> dict[str, pd.DataFrame]:
    """The four tables as they are stored: the schema's columns, then any extra columns, as text."""
    frames = {"actors": dataset.actors, "sources": dataset.sources, "relations": dataset.relations,
              "evidence": dataset.evidence}
    result = {}
    for table in TABLES:
        frame = frames[table.name]
        extra = [c for c in frame.columns if c not in table.column_names and c not in table.derived_columns]
        columns = [c.name for c in table.columns if not (c.omitted_when_empty and (frame[c.name] == "").all())]
        result[table.file] = frame[[*columns, *extra]].astype(str).reset_index(drop=True)
    return result


def table_bytes(frame: pd.DataFrame) -> bytes:
    """A table as the CSV bytes every writer, upload check and export uses: no index, `\\n` line ends, UTF-8."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def save_dataset(dataset: Tables, folder: str | os.PathLike) -> list[Path]:
    """Write the four tables of a dataset into a (new) folder as one transaction."""
    root = Path(folder)
    return write_together(root, {root / name: table_bytes(frame) for name, frame in table_frames(dataset).items()})
