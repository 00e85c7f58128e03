"""The event layer's aggregation is one portable Ibis expression: DuckDB and PySpark (local mode) give the same
tables from the same stored events."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from explorer.events.formats import GDELT2
from explorer.events.generate import write_gdelt
from explorer.events.ingest import import_events
from explorer.events.layer import build_layer
from explorer.tables import load_dataset

pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="PySpark needs Java: `make test` installs it")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("axis-explorer-test")
               .config("spark.sql.shuffle.partitions", "2").config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def ordered(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.mark.timeout(900)
def test_duckdb_and_pyspark_give_identical_dyad_months_top_events_and_unmapped_codes(tmp_path, spark):
    actors = load_dataset().dataset.actors
    path = write_gdelt(tmp_path / "g.export.CSV", 5000, seed=3, start="2021-01-01", days=400)
    import_events([path], GDELT2, tmp_path)
    on_duckdb = build_layer(tmp_path, actors, write=False)
    on_spark = build_layer(tmp_path, actors, engine="pyspark", write=False)
    assert len(on_duckdb.dyads) > 300 and on_duckdb.events == on_spark.events == 5000
    pd.testing.assert_frame_equal(ordered(on_duckdb.dyads, ["source", "target", "month"]),
                                  ordered(on_spark.dyads, ["source", "target", "month"]))
    pd.testing.assert_frame_equal(ordered(on_duckdb.unmapped, ["code"]), ordered(on_spark.unmapped, ["code"]))
    keys = ["source", "target", "month", "rank"]
    duck_top, spark_top = ordered(on_duckdb.top, keys), ordered(on_spark.top, keys)
    duck_top["day"], spark_top["day"] = (pd.to_datetime(t["day"]).dt.date for t in (duck_top, spark_top))
    pd.testing.assert_frame_equal(duck_top, spark_top, check_dtype=False)
    assert on_duckdb.datasets == on_spark.datasets == ("GDELT 2.0",)
