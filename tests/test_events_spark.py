"""The event layer's aggregation is one portable Ibis expression: DuckDB and PySpark (local mode) give the same
tables from the same stored events, and both write them; BigQuery, not installed here, is refused in words."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from explorer.cli import main
from explorer.events.formats import GDELT2
from explorer.events.generate import write_gdelt
from explorer.events.ingest import import_events
from explorer.events.layer import DYADS_FILE, LAYER_FILE, TOP_FILE, UNMAPPED_FILE, build_layer, event_layer
from explorer.store import events_home
from explorer.tables import load_dataset

needs_spark = pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                                 reason="PySpark needs pyspark and Java: `make test` installs them")


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


@needs_spark
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


def data_folder_copy(folder: Path) -> Path:
    """The bundled tables (actors, relations) without their events, in a folder of its own."""
    for table in Path("data").glob("*.csv"):
        (folder / table.name).parent.mkdir(parents=True, exist_ok=True)
        (folder / table.name).write_bytes(table.read_bytes())
    return folder


def stored_tables(folder: Path) -> dict[str, pd.DataFrame]:
    keys = {DYADS_FILE: ["source", "target", "month"], TOP_FILE: ["source", "target", "month", "rank"],
            UNMAPPED_FILE: ["code"]}
    return {name: ordered(pd.read_parquet(events_home(folder) / name), key) for name, key in keys.items()}


@needs_spark
@pytest.mark.timeout(900)
def test_import_and_ties_on_pyspark_write_the_tables_duckdb_writes(tmp_path, spark, capsys):
    path = write_gdelt(tmp_path / "g.export.CSV", 3000, seed=5, start="2021-01-01", days=200)
    duck, sparky = data_folder_copy(tmp_path / "duck"), data_folder_copy(tmp_path / "spark")
    assert main(["events", "import", str(path), "--format", "gdelt2", "-o", str(duck), "--build"]) == 0
    assert main(["events", "import", str(path), "--format", "gdelt2", "-o", str(sparky), "--engine", "pyspark"]) == 0
    capsys.readouterr()
    on_duckdb, on_spark = stored_tables(duck), stored_tables(sparky)
    assert len(on_duckdb[DYADS_FILE]) > 100 and len(on_duckdb[TOP_FILE]) > 200
    for name, table in on_duckdb.items():
        pd.testing.assert_frame_equal(table, on_spark[name], check_dtype=False)
    described = json.loads((events_home(sparky) / LAYER_FILE).read_text())
    assert described["engine"] == "pyspark" and described["events"] == 3000
    # The app and the CLI's default engine read what PySpark wrote: the same build, not rebuilt.
    assert event_layer(sparky, load_dataset(sparky).dataset.actors) is not None
    assert json.loads((events_home(sparky) / LAYER_FILE).read_text())["built"] == described["built"]
    answers = []
    for folder, engine in ((duck, "duckdb"), (sparky, "pyspark")):
        assert main(["events", "ties", "--data", str(folder), "--as-of", "2021-06", "--engine", engine, "--json"]) == 0
        answers.append(json.loads(capsys.readouterr().out))
    assert answers[0] == answers[1] and answers[0]["ties"]


def test_bigquery_without_its_backend_is_refused_in_words_not_a_traceback(tmp_path, capsys):
    path = write_gdelt(tmp_path / "g.export.CSV", 50, seed=2)
    folder = data_folder_copy(tmp_path / "data")
    assert main(["events", "import", str(path), "--format", "gdelt2", "-o", str(folder)]) == 0
    capsys.readouterr()
    assert main(["events", "ties", "--data", str(folder), "--engine", "bigquery"]) == 2
    error = capsys.readouterr().err
    assert "engine bigquery" in error and "ibis-framework[bigquery]" in error and "Traceback" not in error
    assert main(["events", "import", str(path), "--format", "gdelt2", "-o", str(folder), "--engine", "bigquery"]) == 2
    assert "the events are stored, the layer is not built" in capsys.readouterr().err
