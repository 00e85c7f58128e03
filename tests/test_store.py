"""The columnar store: where things live, Parquet that reads back as written, damage refused, one query layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer import store
from explorer.tables.write import write_together


def frame() -> pd.DataFrame:
    ids = [f"r{i}" for i in range(500)]
    return pd.DataFrame({"id": ids, "polarity": np.where(np.arange(500) % 3, 1, -1).astype(np.int8),
                         "summary": ["Ünïcode, \"quoted\"\nline"] * 500}).set_index("id", drop=False)


def test_homes_are_inside_the_data_folder(tmp_path):
    assert store.home(tmp_path) == tmp_path / "store"
    assert store.curated_home(tmp_path).parent == store.home(tmp_path)
    assert store.events_home(tmp_path).parent == store.home(tmp_path)
    assert store.curated_home(tmp_path) != store.events_home(tmp_path)


def test_parquet_written_through_the_locked_path_reads_back_as_the_same_frame(tmp_path):
    original = frame()
    path = store.curated_home(tmp_path) / "k" / "relations.parquet"
    data = store.parquet_bytes(original)
    write_together(tmp_path, {path: data})
    back = store.read_parquet(path, expected=store.digest(data)).to_pandas()
    pd.testing.assert_frame_equal(back, original)
    assert not list(path.parent.glob(".*"))  # no pending copies or journal left beside it


def test_an_arrow_file_maps_back_as_the_same_frame(tmp_path):
    original = frame()
    path = tmp_path / "relations.arrow"
    data = store.arrow_bytes(original)
    write_together(tmp_path, {path: data})
    pd.testing.assert_frame_equal(store.read_arrow(path, expected=store.digest(data)).to_pandas(), original)
    assert store.file_digest(path) == store.digest(data)


@pytest.mark.parametrize(("encode", "read", "suffix"), [(store.parquet_bytes, store.read_parquet, "parquet"),
                                                        (store.arrow_bytes, store.read_arrow, "arrow")])
def test_a_damaged_file_is_refused_never_trusted(tmp_path, encode, read, suffix):
    data = encode(frame())
    path = tmp_path / f"t.{suffix}"
    for position in range(0, len(data), max(1, len(data) // 97)):  # a flipped byte anywhere, footer included
        damaged = bytearray(data)
        damaged[position] ^= 0x5A
        path.write_bytes(bytes(damaged))
        with pytest.raises(store.StoreError):
            read(path, expected=store.digest(data))
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(store.StoreError, match=rf"t\.{suffix}"):
        read(path)  # truncated: no footer, refused even without a digest
    path.write_bytes(b"")
    with pytest.raises(store.StoreError):
        read(path)
    with pytest.raises(store.StoreError, match="not found"):
        read(tmp_path / f"absent.{suffix}")


def test_queries_run_on_store_files_through_ibis_on_duckdb(tmp_path):
    path = tmp_path / "relations.parquet"
    path.write_bytes(store.parquet_bytes(frame()))
    con = store.connect(tmp_path)
    table = con.read_parquet(path)
    counts = table.group_by("polarity").agg(n=table.count()).to_pandas().set_index("polarity")["n"].to_dict()
    assert counts == {-1: 167, 1: 333}
    with pytest.raises(ValueError, match="unknown query engine"):
        store.connect(tmp_path, engine="sqlite")
