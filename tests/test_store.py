"""The columnar store: where things live, Parquet that reads back as written, damage refused, one query layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
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


def mapped_text(tmp_path, count: int = 20_000) -> pd.DataFrame:
    """A frame of text mapped from an Arrow store file: varied lengths, empty strings, non-ASCII."""
    rng = np.random.default_rng(3)
    words = ["", "a", "Ünïcode", "quote with \"marks\"", "x" * 300, "日本語のテキスト"]
    original = pd.DataFrame({"text": [f"{i}:{words[i % len(words)] * int(rng.integers(0, 4))}" if i % 7 else ""
                                      for i in range(count)], "n": np.arange(count)})
    path = tmp_path / "evidence.arrow"
    data = store.arrow_bytes(original)
    write_together(tmp_path, {path: data})
    return store.read_arrow(path, expected=store.digest(data)).to_pandas(split_blocks=True)


def test_scattered_rows_of_a_mapped_text_column_are_read_not_paged_in_and_equal_a_take(tmp_path, monkeypatch):
    mapped = mapped_text(tmp_path)
    reads = []
    real = store._pread
    monkeypatch.setattr(store, "_pread", lambda *args: reads.append(args) or real(*args))
    monkeypatch.setattr(store, "CHUNK", 1 << 12)  # small reads, so runs split at chunk edges and gaps are met
    monkeypatch.setattr(store, "GAP", 1 << 10)
    rng = np.random.default_rng(4)
    for rows in (rng.integers(0, len(mapped), 3000), np.array([5, 5, 0, len(mapped) - 1, 0]), np.arange(40, 41),
                 np.arange(len(mapped))[::-1]):
        taken = store.take_rows(mapped, rows, ["text", "n"])
        assert taken["text"].tolist() == mapped["text"].to_numpy()[rows].tolist()
        assert taken["n"].tolist() == rows.tolist()
        assert taken["text"].dtype == mapped["text"].dtype
    assert reads  # the pread path answered, not a take through the map
    column = pa.array(mapped["text"].array)
    sliced = column.slice(100, 50)  # an array that starts inside its offsets
    assert store.take_strings(sliced, np.array([0, 49, 3])).to_pylist() == [sliced[0].as_py(), sliced[49].as_py(),
                                                                             sliced[3].as_py()]
    with pytest.raises(IndexError):
        store.take_strings(column, np.array([len(mapped)]))


def test_text_not_from_a_store_file_is_taken_as_usual(tmp_path):
    frame = pd.DataFrame({"text": pd.Series(["a", "", "ü"], dtype="str")})
    assert store.take_rows(frame, np.array([2, 0, 2]), ["text"])["text"].tolist() == ["ü", "a", "ü"]
    assert store.take_strings(pa.array(["p", None, "q"]), np.array([2, 1])).to_pylist() == ["q", None]
