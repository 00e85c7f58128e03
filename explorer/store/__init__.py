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
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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


# Mapped store files by base address: (the map, its length, a descriptor of the same file). A scattered take from
# a mapped column makes the kernel map the pages around each touched one (fault-around), so 20,000 quotes taken
# from a million rows made the whole 126 MB column resident; `take_strings` reads such rows with pread instead.
_MAPPED: dict[int, tuple[weakref.ref, int, int]] = {}
GAP = 1 << 18  # scattered rows further apart than this are read separately, nearer ones in one read


def _remember(mapped: mmap.mmap, descriptor: int) -> None:
    """Register a map for `take_strings`; forgotten (and the descriptor closed) when the map goes."""
    base = pa.py_buffer(mapped).address
    _MAPPED[base] = (weakref.ref(mapped), len(mapped), descriptor)
    weakref.finalize(mapped, _forget, base, descriptor)


def _forget(base: int, descriptor: int) -> None:
    _MAPPED.pop(base, None)
    os.close(descriptor)


def _file_of(buffers: list[pa.Buffer]) -> tuple[int, int] | None:
    """(descriptor, base address) of the live mapped store file holding every one of these buffers, else None."""
    for base, (ref, length, descriptor) in list(_MAPPED.items()):
        if ref() is not None and all(base <= b.address and b.address + b.size <= base + length for b in buffers):
            return descriptor, base
    return None


def _pread(descriptor: int, start: int, stop: int) -> np.ndarray:
    data = bytearray(stop - start)
    view, done = memoryview(data), 0
    while done < len(data):
        got = os.preadv(descriptor, [view[done:]], start + done)
        if got == 0:
            raise StoreError("a store file ended before its own layout says (changed while mapped)")
        done += got
    return np.frombuffer(data, dtype=np.uint8)


def spans(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every integer of each span [start, end) at once, with the index of the span each came from."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(starts)), lengths)  # one repeat, then a take of the small per-span shift
    return np.arange(total) + (starts - (np.cumsum(lengths) - lengths))[owner], owner


def _runs(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Sorted byte spans grouped into reads of about CHUNK bytes at most: a new read where the gap to the next span
    exceeds GAP or the next span starts in another CHUNK of the file."""
    breaks = np.flatnonzero((starts[1:] - ends[:-1] > GAP) | (starts[1:] // CHUNK != starts[:-1] // CHUNK)) + 1
    firsts, lasts = np.r_[0, breaks], np.r_[breaks, len(starts)] - 1
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


def _gather(descriptor: int, start: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The bytes of sorted spans [starts, ends) of a file region beginning at `start`, concatenated."""
    pieces = []
    for first, last in _runs(starts, ends):
        lo, hi = int(starts[first]), int(ends[last])
        block = _pread(descriptor, start + lo, start + hi)
        at, _ = spans(starts[first:last + 1] - lo, ends[first:last + 1] - lo)
        pieces.append(block[at])
    return np.concatenate(pieces) if pieces else np.empty(0, dtype=np.uint8)


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct values, where each value sits among them), by one sort (`np.unique`'s hash path took
    eight times as long for 20,000 row numbers)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]] if len(values) else np.empty(0, dtype=bool)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def take_strings(column: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """`pc.take(column, rows)` for a text column; from a mapped store file, the rows' bytes are read with pread
    instead of touched through the map, so taking a few scattered rows keeps the process's memory to what it took.
    Same answer either way (the read is checked as valid UTF-8 Arrow)."""
    rows = np.asarray(rows, dtype=np.int64)
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if (not (pa.types.is_large_string(array.type) or pa.types.is_string(array.type)) or array.null_count
            or len(rows) == 0):
        return pc.take(array, pa.array(rows, type=pa.int64()))
    _, offsets_buffer, data_buffer = array.buffers()
    found = _file_of([offsets_buffer] + ([data_buffer] if data_buffer is not None and data_buffer.size else []))
    if found is None:
        return pc.take(array, pa.array(rows, type=pa.int64()))
    descriptor, base = found
    if rows.min() < 0 or rows.max() >= len(array):
        raise IndexError(f"row {rows.min() if rows.min() < 0 else rows.max()} out of range ({len(array)} rows)")
    width = 8 if pa.types.is_large_string(array.type) else 4
    wanted, inverse = _distinct(rows)
    at = wanted + array.offset  # a sliced array's rows start `offset` entries into its offsets
    edges = _distinct(np.concatenate([at, at + 1]))[0]
    raw = _gather(descriptor, offsets_buffer.address - base, edges * width, (edges + 1) * width)
    values = np.frombuffer(raw.tobytes(), dtype=np.int64 if width == 8 else np.int32).astype(np.int64)
    starts, ends = values[np.searchsorted(edges, at)], values[np.searchsorted(edges, at + 1)]
    data = (_gather(descriptor, data_buffer.address - base, starts, ends) if data_buffer is not None
            else np.empty(0, dtype=np.uint8))
    new_offsets = np.zeros(len(wanted) + 1, dtype=np.int64)
    np.cumsum(ends - starts, out=new_offsets[1:])
    taken = pa.Array.from_buffers(pa.large_string(), len(wanted),
                                  [None, pa.py_buffer(new_offsets), pa.py_buffer(data.tobytes())])
    taken.validate(full=True)
    taken = taken.cast(array.type) if array.type != taken.type else taken
    return pc.take(taken, pa.array(inverse, type=pa.int64()))


def take_rows(frame: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """Some columns of a frame at row positions, text through `take_strings` (a fresh RangeIndex)."""
    rows = np.asarray(rows, dtype=np.int64)
    taken = {}
    for name in columns:
        series = frame[name]
        if isinstance(series.array, pd.arrays.ArrowStringArray):
            taken[name] = pd.Series(series.dtype.__from_arrow__(take_strings(pa.array(series.array), rows)),
                                    name=name)
        else:
            taken[name] = pd.Series(series.to_numpy()[rows], name=name, dtype=series.dtype)
    return pd.DataFrame(taken, columns=columns, index=pd.RangeIndex(len(rows)))


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
            _remember(mapped, os.dup(handle.fileno()))
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
