"""Shared fixtures: tiny data folders written to a temporary directory."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.graph import Tie

DOCUMENT = "doc.txt"
DOCUMENT_TEXT = "Alpha and Beta signed a pact. Gamma condemned it loudly.\n"

TINY = {
    "actors.csv": [
        {"id": "alpha", "name": "Alpha", "kind": "state", "country": "AAA", "aliases": "Alphaland|Älpha",
         "description": ""},
        {"id": "beta", "name": "Beta", "kind": "state", "country": "", "aliases": "", "description": ""},
        {"id": "gamma", "name": "Gamma", "kind": "media", "country": "", "aliases": "", "description": ""},
    ],
    "relations.csv": [
        {"id": "r1", "source": "alpha", "target": "beta", "type": "alliance", "polarity": "1", "start": "2024-05",
         "end": "", "confidence": "high", "summary": "Pact."},
        {"id": "r2", "source": "gamma", "target": "alpha", "type": "rhetoric", "polarity": "-1",
         "start": "2024-06-01", "end": "2024-06-01", "confidence": "low", "summary": "Condemnation."},
    ],
    "sources.csv": [
        {"id": "s1", "title": "Doc", "outlet": "example.org", "url": "https://example.org/a", "published": "2024",
         "document": DOCUMENT},
        {"id": "s2", "title": "", "outlet": "example.net", "url": "http://example.net/b", "published": "",
         "document": ""},
    ],
    "evidence.csv": [
        {"relation": "r1", "source": "s1", "quote": "Alpha and Beta signed a pact.", "claimed_by": ""},
        {"relation": "r2", "source": "s1", "quote": "Gamma condemned it", "claimed_by": "gamma"},
        {"relation": "r2", "source": "s2", "quote": "anything", "claimed_by": ""},
    ],
}


def write_tables(root: Path, tables: dict[str, list[dict[str, str]]], document: str = DOCUMENT_TEXT) -> Path:
    """Write tables as CSV into root/data and a document into root/seeds; returns the data folder."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / DOCUMENT).write_text(document, encoding="utf-8")
    for name, rows in tables.items():
        with (data / name).open("w", encoding="utf-8", newline="") as handle:
            fields = list(rows[0]) if rows else list(TINY[name][0])
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return data


@pytest.fixture
def make_data(tmp_path: Path) -> Callable[..., Path]:
    """Build a data folder from TINY with edits: make_data(**{"actors.csv": rows})."""

    def build(**overrides: list[dict[str, str]]) -> Path:
        tables = {name: [dict(r) for r in rows] for name, rows in TINY.items()}
        tables.update({name.replace("_", "."): rows for name, rows in overrides.items()})
        return write_tables(tmp_path, tables)

    return build


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """The bundled data folder (tables, the real event sample and its manifest, no built store) and its seeds, in a
    scratch place."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "data", tmp_path / "data", ignore=shutil.ignore_patterns("store"))
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


def ties(*triples: tuple[str, str, float]) -> list[Tie]:
    """Signed ties from (actor, actor, weight) triples, each pair stored in the order `Tie` expects."""
    return [Tie(min(a, b), max(a, b), w, (f"{a}-{b}",)) for a, b, w in triples]
