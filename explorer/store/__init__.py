"""The one columnar home of a data folder: DuckDB over Parquet, shared by the curated cache and the event layer.

What lives where (`home(data_dir)` is `data_dir/store/`):
- `store/curated/<key>/` — the curated tables' validated columnar cache (`explorer/tables/cache.py`): one
  Arrow IPC file per table and a `manifest.json`, written in one transaction. `<key>` is a hash of the four
  CSVs' bytes (and of what validation depends on), so a changed file gets a new key and an old entry is
  never read for new data. Derived and gitignored: the CSVs stay the source of truth; delete the folder
  and it is rebuilt. Arrow IPC rather than Parquet because it is read by mapping the file, with no decoding:
  a million relations open in milliseconds and only the columns a view touches are paged in (Parquet took
  a second or more to decompress and decode every string of them).
- `store/events/` — the event layer (GDELT/ICEWS/POLECAT/CSV ingests, `explorer/events/`) as Parquet,
  compressed, what DuckDB scans.

This layer only reads and encodes; it never writes into a data folder itself. Every write goes through the
one locked, journaled path of the tables layer (above this one), e.g.
`explorer.tables.write.write_together(data_dir, {path: parquet_bytes(table), ...})`, which holds the folder's
lock and writes all the files or none. Given a file's `digest` (recorded in a manifest), `read_parquet` and
`read_arrow` check the whole file first, so a damaged file is refused (`StoreError`), never trusted (Parquet's
own page checksums, also verified, miss damage to its footer). Digests are XXH3-128: they detect change
and damage at memory speed (a cryptographic hash took longer than the read it guards), not forgery — who
can write the cache can write the CSVs.

Queries run in one query layer: `connect(data_dir)` gives an in-process Ibis backend (DuckDB); no database
file is kept, the files are the store (Arrow tables register without a copy: `con.create_table(name, table)`).
"""

from __future__ import annotations

import io
import mmap
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

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


CHUNK = 1 << 22


def digest(data: bytes | memoryview) -> str:
    """The content hash the store keys and checks files by (XXH3-128, hex)."""
    return xxhash.xxh3_128_hexdigest(data)


def _stream_digest(handle: io.BufferedReader) -> str:
    state = xxhash.xxh3_128()
    while chunk := handle.read(CHUNK):
        state.update(chunk)
    return state.hexdigest()


def file_digest(path: str | os.PathLike) -> str:
    """`digest` of a file's bytes, read in chunks: hashing a 200 MB table never holds it in memory."""
    with open(path, "rb") as handle:
        return _stream_digest(handle)


def arrow_bytes(table: pa.Table | pd.DataFrame) -> bytes:
    """A table encoded as one uncompressed Arrow IPC file (what `read_arrow` maps without decoding).

    A DataFrame keeps its index and dtypes (pandas metadata), so it reads back as the same frame.
    """
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=None)  # a RangeIndex as metadata, not a column
    # One record batch: reading a file of many batches touched every page of it (a 400 MB map resident at
    # once); one batch is mapped without touching its columns until they are used.
    table = table.combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def read_arrow(path: str | os.PathLike, expected: str | None = None) -> pa.Table:
    """Map one Arrow IPC store file (its columns are paged in when touched), checking its `digest` if given.

    The file is hashed and mapped through one open handle, so what was checked is what is read even if the
    file is replaced meanwhile. A missing, truncated or damaged file raises `StoreError`.
    """
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            if expected is not None and _stream_digest(handle) != expected:
                raise StoreError(f"{name}: its content hash does not match the manifest (damaged or replaced)")
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError as error:
        raise StoreError(f"{name}: not found") from error
    except (OSError, ValueError) as error:  # ValueError: an empty file cannot be mapped
        if isinstance(error, StoreError):
            raise
        raise StoreError(f"{name}: cannot be read ({error})") from error
    try:
        table = pa.ipc.open_file(pa.py_buffer(mapped)).read_all()
        table.validate()
        return table
    except (OSError, pa.ArrowException, ValueError) as error:
        raise StoreError(f"{name}: cannot be read ({' '.join(str(error).split())[:200]})") from error


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
