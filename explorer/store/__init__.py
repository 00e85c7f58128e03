"""The one columnar home of a data folder: DuckDB over Parquet, shared by the curated cache and the event layer.

What lives where (`home(data_dir)` is `data_dir/store/`):
- `store/curated/<key>/` — the curated tables' validated columnar cache: one Parquet file per table and a
  `manifest.json` written last. `<key>` is a hash of the four CSVs' bytes (and of what validation depends
  on), so a changed file gets a new key and an old entry is never read for new data. Derived and
  gitignored: the CSVs stay the source of truth; delete the folder and it is rebuilt.
- `store/events/` — the event layer (GDELT/ICEWS/POLECAT/CSV ingests, `explorer/events/`).

This layer only reads and encodes; it never writes into a data folder itself. Every write goes through the
one locked, journaled path of the tables layer (above this one), e.g.
`explorer.tables.write.write_together(data_dir, {path: parquet_bytes(table), ...})`, which holds the folder's
lock and writes all the files or none. Parquet files carry page checksums, and `read_parquet` verifies them
and, given the file's `digest` (recorded in a manifest), the whole file, so a damaged file is refused
(`StoreError`), never trusted: page checksums alone miss damage to the footer's schema.

Queries run in one query layer: `connect(data_dir)` gives an in-process Ibis backend (DuckDB); no database
file is kept, the Parquet files are the store.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend

STORE_DIR = "store"
CURATED_DIR = "curated"
EVENTS_DIR = "events"
ENGINES = ("duckdb",)


class StoreError(ValueError):
    """A store file that is missing, truncated or damaged: rebuild it from its source, never trust it."""


def home(data_dir: str | os.PathLike) -> Path:
    """The one columnar home of a data folder."""
    return Path(data_dir) / STORE_DIR


def curated_home(data_dir: str | os.PathLike) -> Path:
    """Where the curated tables' cache entries live, one folder per content key."""
    return home(data_dir) / CURATED_DIR


def events_home(data_dir: str | os.PathLike) -> Path:
    """Where the event layer keeps its Parquet files."""
    return home(data_dir) / EVENTS_DIR


def connect(data_dir: str | os.PathLike | None = None, engine: str = "duckdb") -> Backend:
    """An in-process Ibis backend for querying the store's Parquet files (`con.read_parquet(path)`).

    In memory: nothing is written to the data folder, so any number of processes may query at once.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown query engine {engine!r} (one of: {', '.join(ENGINES)})")
    import ibis  # imported here: the app and the CLI pay for it only when a query runs

    return ibis.duckdb.connect()


def parquet_bytes(table: pa.Table | pd.DataFrame) -> bytes:
    """A table encoded as one Parquet file with page checksums (what `read_parquet` verifies).

    A DataFrame keeps its index and dtypes (pandas metadata), so it reads back as the same frame.
    """
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=True)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_page_checksum=True)
    return sink.getvalue()


def digest(data: bytes) -> str:
    """The content hash the store keys and checks files by (SHA-256, hex)."""
    return hashlib.sha256(data).hexdigest()


def read_parquet(path: str | os.PathLike, columns: list[str] | None = None, expected: str | None = None) -> pa.Table:
    """Read one store file, checking its page checksums and, if `expected` is given, its `digest`.

    A missing, truncated or damaged file raises `StoreError`.
    """
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as error:
        raise StoreError(f"{name}: not found") from error
    if expected is not None and digest(data) != expected:
        raise StoreError(f"{name}: its content hash does not match the manifest (damaged or replaced)")
    try:
        return pq.read_table(pa.BufferReader(data), columns=columns, page_checksum_verification=True)
    except (OSError, pa.ArrowException, ValueError) as error:
        raise StoreError(f"{name}: cannot be read ({' '.join(str(error).split())[:200]})") from error
