"""The event layer of a data folder: imported events aggregated into dyad-months, kept beside them in the store.

`event_layer(data_dir)` returns the layer, building it when the events, the code table, the curated actors or the
thresholds changed (the key in `layer.json` says which build it is). The build runs the Ibis expressions of
`dyads.py` on the chosen engine and writes `dyads.parquet`, `top.parquet` and `unmapped.parquet` through the
tables' one locked write path. A folder that ships raw event files (`events/manifest.csv`: file, format and their
provenance) gets them imported on first use, each checked against its MD5 first.

Machine-coded ties never mix into the curated relations: they are their own layer, labelled as such.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import threading
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
from ibis import _

from explorer.events.actors import mapping_file, read_mapping
from explorer.events.dyads import (
    DYAD_COLUMNS,
    TOP_COLUMNS,
    Thresholds,
    dyad_months,
    event_pairs,
    mapped_events,
    top_events,
    unmapped_codes,
)
from explorer.events.ingest import MEMORY_LIMIT, events_path, import_events, stored_parts
from explorer.store import StoreError, connect, events_home, read_parquet, spans
from explorer.tables.write import write_together

LAYER_FILE, DYADS_FILE, TOP_FILE, UNMAPPED_FILE = "layer.json", "dyads.parquet", "top.parquet", "unmapped.parquet"
MANIFEST = "manifest.csv"
DEFAULT_THRESHOLDS = Thresholds()
LAYERS = ("curated", "events", "both")


class LayerError(ValueError):
    """An event layer that cannot be built: a bad code table, a shipped file whose MD5 does not match."""


MONTH_SLOTS = 1 << 17  # month numbers (year × 12 + month − 1) stay below this: the year 9999 is 119,999


@dataclass(frozen=True, eq=False)
class PairMonths:
    """The dyad-months by pair and month, and where each pair's months lie: the layer's index by pair and month,
    built once, so a window of any pairs is a binary search per pair and a view takes only the rows it asks for
    (a scan of every dyad-month per view took most of a date-window change on a layer of many pairs)."""

    rows: pd.DataFrame  # DYAD_COLUMNS, sorted by source, target, month
    key: np.ndarray  # per row: its pair's number × MONTH_SLOTS + its month number, ascending
    events_before: np.ndarray  # per row (and one past the end): the events of every row before it
    sources: np.ndarray  # per pair number (pairs in (source, target) order)
    targets: np.ndarray

    @classmethod
    def of(cls, rows: pd.DataFrame) -> PairMonths:
        """The index of dyad-months in any order (the store keeps them by pair and month: then no sort)."""
        source, target = rows["source"].to_numpy(dtype=object), rows["target"].to_numpy(dtype=object)
        month = rows["month"].to_numpy(dtype=object)
        after = (source[1:] > source[:-1]) | ((source[1:] == source[:-1]) & (
            (target[1:] > target[:-1]) | ((target[1:] == target[:-1]) & (month[1:] > month[:-1]))))
        if not after.all():
            rows = rows.sort_values(["source", "target", "month"], kind="stable")
            source, target = rows["source"].to_numpy(dtype=object), rows["target"].to_numpy(dtype=object)
        rows = rows.reset_index(drop=True)
        first = np.r_[True, (source[1:] != source[:-1]) | (target[1:] != target[:-1])] if len(rows) else \
            np.empty(0, dtype=bool)  # a row that starts its pair's run
        starts, pair = np.flatnonzero(first), np.cumsum(first) - 1
        key = pair.astype(np.int64) * MONTH_SLOTS + _month_numbers(rows["month"])
        return cls(rows, key, np.r_[0, np.cumsum(rows["events"].to_numpy(dtype=np.int64))], source[starts],
                   target[starts])

    def numbers(self, actors: tuple[str, ...] = (), pairs: pd.DataFrame | None = None) -> np.ndarray:
        """The numbers of the pairs with one of `actors` (all without), and of `pairs` (source, target) if given."""
        chosen = np.ones(len(self.sources), dtype=bool)
        if actors:
            chosen &= np.isin(self.sources, list(actors)) | np.isin(self.targets, list(actors))
        if pairs is not None:
            wanted = set(zip(pairs["source"], pairs["target"], strict=True))
            chosen &= np.fromiter(((s, t) in wanted for s, t in zip(self.sources, self.targets, strict=True)),
                                  dtype=bool, count=len(self.sources))
        return np.flatnonzero(chosen)

    def bounds(self, numbers: np.ndarray, first: str = "", last: str = "") -> tuple[np.ndarray, np.ndarray]:
        """Per pair number, the rows [lo, hi) of its months `first` to `last` (YYYY-MM, empty: open)."""
        low = _month_numbers(pd.Series([first]))[0] if first else 0
        high = _month_numbers(pd.Series([last]))[0] if last else MONTH_SLOTS - 1
        base = numbers.astype(np.int64) * MONTH_SLOTS
        lo = np.searchsorted(self.key, base + low, side="left")
        return lo, np.maximum(lo, np.searchsorted(self.key, base + high, side="right"))  # first > last: none


def _month_numbers(months: pd.Series) -> np.ndarray:
    """`YYYY-MM` texts as year × 12 + month − 1 (parsed by Arrow: a sixth of pandas' time)."""
    import pyarrow.compute as pc

    text = pa.array(months.astype("str"))
    year, month = (pc.cast(pc.utf8_slice_codeunits(text, a, b), pa.int64()).to_numpy() for a, b in ((0, 4), (5, 7)))
    return year * 12 + month - 1


class EventLayer:
    """Dyad-months of one data folder and their top events, asked per view: the dyad-months through an index by
    pair and month built once from the store (`PairMonths`: a view takes only the rows of its window and pairs,
    never a pass over every dyad-month), the top events in the store itself, DuckDB answering for the drawn pairs
    only (`most_mentioned`, `top_events`), so the top events are never read whole. A layer read from the store
    queries its Parquet files; one just built (or kept in memory for a read-only folder) queries its tables in
    memory, through the same expressions.

    `dyads` is the index's rows (every dyad-month, for the CLI's full listing); `top` reads that table whole, for
    tests only.
    """

    def __init__(self, dyads: pd.DataFrame | pa.Table | Path, unmapped: pd.DataFrame, top: pd.DataFrame | pa.Table
                 | Path, datasets: tuple[str, ...], thresholds: Thresholds, events: int) -> None:
        self.unmapped = unmapped  # code, events
        self.datasets = datasets  # GDELT 2.0, ICEWS ...
        self.thresholds = thresholds
        self.events = events  # events stored (all of them, mapped or not)
        self._sources = {"dyads": dyads, "top": top}
        self._lock = threading.Lock()  # one DuckDB connection per layer, shared by the app's sessions
        self._con = connect()
        self._tables = {name: self._register(name, source) for name, source in self._sources.items()}
        first, last, count = self._fetch(self._tables["dyads"].aggregate(
            first=_.month.min(), last=_.month.max(), count=_.count())).iloc[0]
        self.span: tuple[str, str] | None = (str(first), str(last)) if count else None  # first and last month
        self.dyad_count = int(count)

    def _register(self, name: str, source: pd.DataFrame | pa.Table | Path) -> ir.Table:
        """A table of the layer in the store's query engine, with each row's place in it (`row`), so a query can
        choose rows on a few narrow columns and then read only those rows whole."""
        import duckdb

        if not isinstance(source, Path):
            frame = source.to_pandas() if isinstance(source, pa.Table) else source
            return self._con.create_table(f"event_{name}", frame.assign(row=range(len(frame))), temp=True)
        if not source.is_file():
            raise StoreError(f"{source.name}: not found")
        try:
            table = self._con.read_parquet(str(source), table_name=f"event_{name}", file_row_number=True)
        except duckdb.Error as error:
            raise StoreError(f"{source.name}: cannot be read ({' '.join(str(error).split())[:200]})") from error
        return table.rename(row="file_row_number")

    def _fetch(self, expression: ir.Table, arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Run one query in the store (a damaged file is a `StoreError`, never a wrong answer taken as right); as an
        Arrow table with `arrow` (rows become dicts much faster from Arrow than from pandas)."""
        import duckdb

        with self._lock:
            try:
                found = self._con.to_pyarrow(expression)  # to pandas through Arrow: a third of Ibis's own time
                return found if arrow else found.to_pandas()
            except duckdb.Error as error:
                raise StoreError(f"the event layer's store cannot be read ({' '.join(str(error).split())[:200]}); "
                                 f"delete store/events/{LAYER_FILE} in the data folder and it is rebuilt from the "
                                 "stored events") from error

    @functools.cached_property
    def _by_pair(self) -> PairMonths:
        return PairMonths.of(self._fetch(self._tables["dyads"].select(*DYAD_COLUMNS)))

    @property
    def dyads(self) -> pd.DataFrame:
        """Every dyad-month (DYAD_COLUMNS), by pair and month: for full listings, not for views."""
        return self._by_pair.rows

    @functools.cached_property
    def top(self) -> pd.DataFrame:
        """Every kept top event (TOP_COLUMNS), read whole: for tests, not for views."""
        return self._fetch(self._tables["top"].select(*TOP_COLUMNS).order_by(["source", "target", "month", "rank"]))

    def dyad_months(self, first: str = "", last: str = "", actors: tuple[str, ...] = (),
                    pairs: pd.DataFrame | None = None) -> pd.DataFrame:
        """The dyad-months (DYAD_COLUMNS) of months `first` to `last` (YYYY-MM, both inclusive, empty: open), of
        pairs with one of `actors` and, given `pairs` (columns source, target, source < target), of those pairs;
        by pair and month."""
        index = self._by_pair
        numbers = index.numbers(actors, pairs)
        lo, hi = index.bounds(numbers, first, last)
        return index.rows.take(spans(lo, hi)[0]).reset_index(drop=True)

    def pair_events(self, first: str = "", last: str = "", actors: tuple[str, ...] = ()) -> pd.DataFrame:
        """Per pair in those months (`dyad_months`), its events and dyad-months, most events first (then by
        pair): what a view ranks its pairs by before it reads the dyad-months of those it draws."""
        index = self._by_pair
        numbers = index.numbers(actors)
        lo, hi = index.bounds(numbers, first, last)
        found = hi > lo
        numbers, lo, hi = numbers[found], lo[found], hi[found]
        events = index.events_before[hi] - index.events_before[lo]
        order = np.lexsort((numbers, -events))  # pair numbers follow (source, target) order
        return pd.DataFrame({"source": index.sources[numbers[order]], "target": index.targets[numbers[order]],
                             "events": events[order], "months": (hi - lo)[order]})

    def top_events_of(self, keys: pd.DataFrame) -> pd.DataFrame:
        """The kept top events of the dyad-months `keys` names (columns source, target, month), in rank order."""
        if keys.empty:
            return pd.DataFrame(columns=list(TOP_COLUMNS))
        wanted = ibis.memtable(keys[["source", "target", "month"]].drop_duplicates().reset_index(drop=True))
        found = self._tables["top"].semi_join(wanted, ["source", "target", "month"])
        return self._fetch(found.select(*TOP_COLUMNS).order_by(["source", "target", "month", "rank"]))

    def most_mentioned(self, pairs: pd.DataFrame, first: str = "", last: str = "", per_pair: int = 5) -> list[dict]:
        """Per pair of `pairs` (columns source, target), its `per_pair` kept top events of months `first` to `last`
        with most mentions (the latest first among equals): what a view's panels list, read for the drawn pairs
        only. Rows (TOP_COLUMNS, as dicts) by pair, then most mentioned first."""
        top = self._tables["top"]
        if first:
            top = top.filter(top.month >= first)
        if last:
            top = top.filter(top.month <= last)
        if pairs.empty:
            return []
        top = top.semi_join(ibis.memtable(pairs[["source", "target"]].drop_duplicates()), ["source", "target"])
        # chosen on the narrow columns first (a window function over every column took 3× as long), then only
        # those rows read whole
        order = [ibis.desc("mentions"), ibis.desc("day"), "month", "rank"]
        narrow = top.select("source", "target", "month", "rank", "mentions", "day", "row")
        chosen = narrow.mutate(place=ibis.row_number().over(group_by=["source", "target"], order_by=order))
        chosen = chosen.filter(chosen.place < per_pair).select("row", "place")
        found = self._tables["top"].inner_join(chosen, "row")
        found = found.select(*TOP_COLUMNS, "place").order_by(["source", "target", "place"]).drop("place")
        return self._fetch(found, arrow=True).to_pylist()

    def top_events(self, source: str, target: str, months: tuple[str, ...] = ()) -> pd.DataFrame:
        """The kept top events of a pair (either order) in `months` (or all), most mentioned first."""
        a, b = sorted((source, target))
        top = self._tables["top"]
        chosen = top.filter(top.source == a, top.target == b)
        if months:
            chosen = chosen.filter(chosen.month.isin(list(months)))
        found = self._fetch(chosen.select(*TOP_COLUMNS).order_by(["source", "target", "month", "rank"]))
        return found.sort_values(["mentions", "month", "rank"], ascending=[False, False, True],
                                 kind="stable").reset_index(drop=True)


def _key(data_dir: Path, actors: pd.DataFrame, thresholds: Thresholds) -> str:
    """Which build the stored tables are: the events, the code table, the actors and the thresholds (not the
    engine: every engine gives the same tables, `tests/test_events_spark.py`)."""
    digest = hashlib.sha256()
    for part in stored_parts(data_dir):
        stat = part.stat()
        digest.update(f"{part.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(mapping_file(data_dir).read_bytes())
    digest.update(actors[["kind", "country"]].to_csv().encode("utf-8"))
    digest.update(json.dumps([asdict(thresholds), DYAD_COLUMNS, TOP_COLUMNS]).encode("utf-8"))
    return digest.hexdigest()[:16]


def import_manifest(data_dir: Path) -> list[str]:
    """Import the raw files a folder ships (`events/manifest.csv`), each checked against its MD5; their names."""
    manifest = data_dir / "events" / MANIFEST
    if not manifest.is_file():
        return []
    from explorer.events.formats import LAYOUTS

    table = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    for number, row in enumerate(table.itertuples(index=False), start=2):
        path = manifest.parent / row.file
        if not path.is_file() or hashlib.md5(path.read_bytes()).hexdigest() != row.md5:
            raise LayerError(f"events/{MANIFEST}:{number}:md5: {row.file} is missing or not the file recorded "
                             f"(MD5 {row.md5})")
        if row.format not in LAYOUTS:
            raise LayerError(f"events/{MANIFEST}:{number}:format: {row.format!r} is not one of {', '.join(LAYOUTS)}")
        import_events([path], LAYOUTS[row.format], data_dir)
    return list(table["file"])


def build_layer(data_dir: str | os.PathLike, actors: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS,
                engine: str = "duckdb", write: bool = True) -> EventLayer:
    """Aggregate the folder's stored events into dyad-months (and top events, unmapped codes) on `engine`, and
    write them to the folder's store (every engine writes the same tables; a read-only folder keeps them in memory).

    The events are read three times, each time only the columns a step needs: the events between two of our actors
    (a few percent of them) into a table the engine keeps, then the dyad-months and the top events from that table,
    and the unmapped codes counted per code and day before they are mapped.
    """
    folder = Path(data_dir)
    rows, problems = read_mapping(actors, mapping_file(folder))
    if problems:
        raise LayerError("; ".join(str(p) for p in problems))
    con = engine_backend(engine, folder)
    events = con.read_parquet(str(events_path(folder) / "part-*.parquet"))
    pairs = event_pairs(mapped_events(events, rows, thresholds)).cache()
    try:
        dyads = dyad_months(pairs).order_by(["source", "target", "month"]).to_pandas()
        top = top_events(pairs).order_by(["source", "target", "month", "rank"]).to_pyarrow()
    finally:
        pairs.release()
    unmapped = unmapped_codes(events, rows, thresholds).to_pandas()
    datasets = tuple(sorted(events.select("dataset").distinct().to_pandas()["dataset"]))
    total = int(events.count().to_pandas())
    layer = EventLayer(dyads, unmapped, top.to_pandas(), datasets, thresholds, total)
    if write:
        from explorer.store import digest, parquet_bytes

        queried = {DYADS_FILE: _parquet(dyads), TOP_FILE: parquet_bytes(top)}
        description = {"key": _key(folder, actors, thresholds), "thresholds": asdict(thresholds),
                       "datasets": list(datasets), "events": total, "engine": engine,
                       "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                       "files": {name: digest(data) for name, data in queried.items()}}
        home = events_home(folder)
        with suppress(OSError):  # a read-only folder: the layer is kept in memory for this process
            write_together(folder, {**{home / name: data for name, data in queried.items()},
                                    home / UNMAPPED_FILE: _parquet(unmapped),
                                    home / LAYER_FILE: json.dumps(description, indent=1).encode("utf-8")})
    return layer


ENGINES = ("duckdb", "pyspark", "bigquery")
BIGQUERY_HELP = ("pip install 'ibis-framework[bigquery]', sign in with `gcloud auth application-default login` and "
                 "set GOOGLE_CLOUD_PROJECT (see the README, \"Engines\")")


def engine_backend(engine: str, data_dir: Path | None = None):
    """The Ibis backend the aggregation runs on: DuckDB in-process (capped to `MEMORY_LIMIT`, spilling beyond it),
    PySpark (the running session, or a local one), or BigQuery. A backend that is not installed or not configured
    is a `LayerError` that says what to do."""
    if engine == "duckdb":
        con = connect(data_dir)
        con.raw_sql(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.raw_sql("SET preserve_insertion_order = false")
        return con
    if engine == "pyspark":
        try:
            import ibis
            from pyspark.sql import SparkSession
        except ImportError:
            raise LayerError("engine pyspark: PySpark is not installed (pip install pyspark; it needs Java)") from None
        return ibis.pyspark.connect(SparkSession.builder.getOrCreate())
    if engine == "bigquery":
        try:
            import google.cloud.bigquery  # noqa: F401  (the extra `ibis-framework[bigquery]` brings it)
        except ImportError:
            raise LayerError(f"engine bigquery: the BigQuery backend is not installed: {BIGQUERY_HELP}") from None
        raise LayerError("engine bigquery runs the same expressions over GDELT's public tables, not over this "
                         f"folder's stored events: {BIGQUERY_HELP}")
    raise LayerError(f"engine {engine!r}: use one of {', '.join(ENGINES)}")


def _parquet(frame: pd.DataFrame) -> bytes:
    from explorer.store import parquet_bytes

    return parquet_bytes(frame.reset_index(drop=True))


def _intact(home: Path, described: dict) -> bool:
    """Whether the files the views query in place are the bytes the build wrote (their digests in `layer.json`):
    DuckDB reads them without checking Parquet's page checksums, so a damaged value that still decompresses would
    otherwise be answered from. A layer described without digests (an older build) counts as not intact."""
    from explorer.store import file_digest

    written = described.get("files") or {}
    return set(written) == {DYADS_FILE, TOP_FILE} and all(
        file_digest(home / name) == value for name, value in written.items())


def event_layer(data_dir: str | os.PathLike, actors: pd.DataFrame,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> EventLayer | None:
    """The folder's event layer, built if stale; None when the folder has no events (nor files to import)."""
    folder = Path(data_dir)
    if not stored_parts(folder) and not import_manifest(folder):
        return None
    home = events_home(folder)
    try:
        described = json.loads((home / LAYER_FILE).read_text(encoding="utf-8"))
        if described.get("key") == _key(folder, actors, thresholds) and _intact(home, described):
            return EventLayer(home / DYADS_FILE, read_parquet(home / UNMAPPED_FILE).to_pandas(), home / TOP_FILE,
                              tuple(described["datasets"]), thresholds, int(described["events"]))
    except (OSError, ValueError, KeyError):
        pass  # missing, damaged or stale: rebuilt from the events below
    return build_layer(folder, actors, thresholds)
