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
import hashlib
import json
import os
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

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
from explorer.store import connect, events_home, read_parquet
from explorer.tables.write import write_together

LAYER_FILE, DYADS_FILE, TOP_FILE, UNMAPPED_FILE = "layer.json", "dyads.parquet", "top.parquet", "unmapped.parquet"
MANIFEST = "manifest.csv"
DEFAULT_THRESHOLDS = Thresholds()
LAYERS = ("curated", "events", "both")


class LayerError(ValueError):
    """An event layer that cannot be built: a bad code table, a shipped file whose MD5 does not match."""


@dataclass(frozen=True)
class EventLayer:
    """Dyad-months of one data folder (small: pairs × months), with where their top events are kept."""

    dyads: pd.DataFrame  # DYAD_COLUMNS
    unmapped: pd.DataFrame  # code, events
    top: pd.DataFrame  # TOP_COLUMNS: a few events per dyad-month, small whatever the number of events
    datasets: tuple[str, ...]  # GDELT 2.0, ICEWS ...
    thresholds: Thresholds
    events: int  # events stored (all of them, mapped or not)

    def top_events_of(self, keys: pd.DataFrame) -> pd.DataFrame:
        """The kept top events of the dyad-months `keys` names (columns source, target, month), in rank order."""
        keys = keys[["source", "target", "month"]].drop_duplicates()
        found = self.top.merge(keys, on=["source", "target", "month"])
        return found.sort_values(["source", "target", "month", "rank"], kind="stable").reset_index(drop=True)

    def top_events(self, source: str, target: str, months: tuple[str, ...] = ()) -> pd.DataFrame:
        """The kept top events of a pair (either order) in `months` (or all), most mentioned first."""
        a, b = sorted((source, target))
        chosen = self.dyads[(self.dyads["source"] == a) & (self.dyads["target"] == b)]
        if months:
            chosen = chosen[chosen["month"].isin(months)]
        found = self.top_events_of(chosen)
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
        from explorer.store import parquet_bytes

        description = {"key": _key(folder, actors, thresholds), "thresholds": asdict(thresholds),
                       "datasets": list(datasets), "events": total, "engine": engine,
                       "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        home = events_home(folder)
        with suppress(OSError):  # a read-only folder: the layer is kept in memory for this process
            write_together(folder, {home / DYADS_FILE: _parquet(dyads), home / UNMAPPED_FILE: _parquet(unmapped),
                                    home / TOP_FILE: parquet_bytes(top),
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


def event_layer(data_dir: str | os.PathLike, actors: pd.DataFrame,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> EventLayer | None:
    """The folder's event layer, built if stale; None when the folder has no events (nor files to import)."""
    folder = Path(data_dir)
    if not stored_parts(folder) and not import_manifest(folder):
        return None
    home = events_home(folder)
    try:
        described = json.loads((home / LAYER_FILE).read_text(encoding="utf-8"))
        if described.get("key") == _key(folder, actors, thresholds):
            return EventLayer(read_parquet(home / DYADS_FILE).to_pandas(),
                              read_parquet(home / UNMAPPED_FILE).to_pandas(), read_parquet(home / TOP_FILE).to_pandas(),
                              tuple(described["datasets"]), thresholds, int(described["events"]))
    except (OSError, ValueError, KeyError):
        pass  # missing, damaged or stale: rebuilt from the events below
    return build_layer(folder, actors, thresholds)
