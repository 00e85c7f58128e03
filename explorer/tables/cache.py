"""The curated tables' validated columnar cache: load and check the CSVs once, then read Parquet until a file changes.

An entry lives in `store/curated/<key>/` (see `explorer.store`): the valid rows of the four tables as Arrow
IPC files and a `manifest.json` written in the same transaction, naming every file's content hash, the problems found,
and the stored documents validation read. `<key>` hashes the four CSVs' bytes and the code and vocabularies
that judge them, so an edited CSV, a new rule or a new vocabulary term gives a new key; a changed document
is caught by its recorded hash. A damaged or missing piece makes the entry a miss, never a wrong answer: the
CSVs (the source of truth) are read and validated again and the entry is rewritten.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

import explorer.store as store
from explorer.tables.schema import TABLES
from explorer.tables.write import WriteRefused, folder_lock, write_together

FORMAT = 4  # bump when what an entry holds changes (4: every problem carries its reason code)
MANIFEST = "manifest.json"
ROOM_FACTOR = 4  # write an entry only when the disk has this many times its size free
KEEP_ENTRIES = 2  # the newest entries kept: the current data and the one before it (a save in flight)
# What validation depends on besides the CSVs: a change in any of these makes every old entry a miss.
_JUDGES = ("tables/load.py", "tables/schema.py", "tables/vocabularies.csv", "tables/cache.py", "model.py",
           "store/__init__.py")


@cache
def _code_key() -> str:
    package = Path(__file__).resolve().parent.parent
    parts = [f"format {FORMAT}", f"pandas {pd.__version__}"]
    parts += [f"{name} {store.file_digest(package / name)}" for name in _JUDGES]
    return store.digest("\n".join(parts).encode("utf-8"))


def entry_key(file_digests: Mapping[str, str | None]) -> str:
    """The cache key of tables whose files have these content hashes (None: the file is missing)."""
    parts = [_code_key(), *(f"{t.file} {file_digests.get(t.file) or '-'}" for t in TABLES)]
    return store.digest("\n".join(parts).encode("utf-8"))[:32]


def document_state(seeds: Path | None, name: str) -> str | None:
    """A stored document's content hash as validation would see it, None when it cannot be read from `seeds`."""
    if seeds is None:
        return None
    path = (seeds / name).resolve()
    if not path.is_relative_to(seeds.resolve()) or not path.is_file():
        return None
    try:
        return store.file_digest(path)
    except OSError:
        return None


def read_entry(folder: Path, key: str,
               seeds: Path | None) -> tuple[dict[str, pd.DataFrame], list[dict], list[str]] | None:
    """The frames (by table name), problems and readable documents of a valid entry; None: a miss, whatever why."""
    entry = store.curated_home(folder) / key
    try:
        manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("key") != key or manifest.get("format") != FORMAT:
            return None
        if any(document_state(seeds, name) != state for name, state in manifest["documents"].items()):
            return None
        frames = {table.name: store.read_arrow(entry / f"{table.name}.arrow",
                                               expected=manifest["files"][table.name]).to_pandas(split_blocks=True)
                  for table in TABLES}
        return frames, list(manifest["problems"]), list(manifest["texts"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # StoreError is a ValueError
        return None


def write_entry(folder: Path, key: str, frames: Mapping[str, pd.DataFrame], problems: list[dict],
                documents: Mapping[str, str | None], texts: list[str]) -> bool:
    """Store an entry through the folder's locked, journaled write path; False when the folder cannot take it.

    `documents` maps every stored document validation looked up to its `document_state` taken before it read
    them; `texts` names those it could read (the dataset's documents).
    """
    entry = store.curated_home(folder) / key
    encoded = {name: store.arrow_bytes(frame) for name, frame in frames.items()}
    manifest = {"format": FORMAT, "key": key, "files": {name: store.digest(data) for name, data in encoded.items()},
                "documents": dict(documents), "texts": list(texts), "problems": problems,
                "rows": {name: len(frame) for name, frame in frames.items()}}
    files = {entry / f"{name}.arrow": data for name, data in encoded.items()}
    files[entry / MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        if shutil.disk_usage(folder).free < ROOM_FACTOR * sum(len(data) for data in files.values()):
            return False  # the cache is only a shortcut: never take the room a curator's save needs

        write_together(folder, files)
        _prune(folder, keep=key)
    except (OSError, WriteRefused):  # a read-only or full folder: the data loads all the same, uncached
        return False
    return True


def _prune(folder: Path, keep: str) -> None:
    """Drop all but the newest entries (under the folder's lock, like every write to it)."""
    home = store.curated_home(folder)
    with folder_lock(folder):
        entries = sorted((e for e in home.iterdir() if e.is_dir() and e.name != keep),
                         key=lambda e: (e / MANIFEST).stat().st_mtime if (e / MANIFEST).exists() else 0, reverse=True)
        for stale in entries[KEEP_ENTRIES - 1:]:
            with contextlib.suppress(OSError):
                shutil.rmtree(stale)
