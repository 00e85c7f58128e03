"""Uploaded files (CSV or XLSX) turned into the four tables' bytes, with a problem for whatever is wrong."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

import pandas as pd

from explorer.tables.load import Problem
from explorer.tables.schema import TABLES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED = (".csv", ".xlsx")
TABLE_STEMS = {t.file.removesuffix(".csv"): t.file for t in TABLES}


def _sheet_bytes(frame: pd.DataFrame) -> bytes:
    return frame.fillna("").astype(str).to_csv(index=False, lineterminator="\n").encode("utf-8")


def tables_from_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[dict[str, bytes], list[Problem]]:
    """Map uploads to table files: `actors.csv`, `relations.xlsx`, or one workbook with a sheet per table."""
    raw: dict[str, bytes] = {}
    problems: list[Problem] = []
    for name, data in files:
        lower = name.lower()
        if not lower.endswith(ACCEPTED):
            problems.append(Problem(name, 0, "", f"not a CSV or XLSX file (accepted: {', '.join(ACCEPTED)})"))
            continue
        if len(data) > MAX_UPLOAD_BYTES:
            problems.append(Problem(name, 0, "", f"file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB"))
            continue
        stem = lower.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if lower.endswith(".csv"):
            if stem not in TABLE_STEMS:
                problems.append(Problem(name, 0, "", f"unknown table name {stem!r} (expected one of: "
                                                     f"{', '.join(TABLE_STEMS)})"))
                continue
            raw[TABLE_STEMS[stem]] = data
            continue
        try:
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False,
                                   engine="openpyxl")
        except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
            problems.append(Problem(name, 0, "", f"not a readable XLSX workbook: {' '.join(str(error).split())[:200]}"))
            continue
        matched = {sheet.lower(): frame for sheet, frame in sheets.items() if sheet.lower() in TABLE_STEMS}
        if stem in TABLE_STEMS and not matched and len(sheets) >= 1:
            matched = {stem: next(iter(sheets.values()))}
        if not matched:
            problems.append(Problem(name, 0, "", "no sheet named actors, relations, sources or evidence"))
        for sheet, frame in matched.items():
            raw[TABLE_STEMS[sheet]] = _sheet_bytes(frame)
    return raw, problems
