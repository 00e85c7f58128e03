"""Atomic writes: a file is either its old self or its complete new self, never half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from explorer.tables.load import Dataset
from explorer.tables.schema import TABLES


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def table_frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The four tables as they are stored: the schema's columns, then any extra columns, as text."""
    frames = {"actors": dataset.actors, "sources": dataset.sources, "relations": dataset.relations,
              "evidence": dataset.evidence}
    result = {}
    for table in TABLES:
        frame = frames[table.name]
        extra = [c for c in frame.columns if c not in table.column_names and c not in table.derived_columns]
        result[table.file] = frame[[*table.column_names, *extra]].astype(str).reset_index(drop=True)
    return result


def table_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def save_dataset(dataset: Dataset, folder: str | os.PathLike) -> list[Path]:
    """Write the four tables into `folder`, each atomically."""
    return [atomic_write(Path(folder) / name, table_bytes(frame)) for name, frame in table_frames(dataset).items()]
