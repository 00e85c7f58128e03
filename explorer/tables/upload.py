"""Uploaded files (CSV or XLSX) turned into the four tables' bytes, with a problem for whatever is wrong.

An upload is hostile until measured: sizes, row and column counts and, for a workbook, every zip member's
uncompressed size and the declared sheet dimensions are checked before any parsing, so a 2 KB file cannot
ask for minutes of work or gigabytes of memory.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from explorer.tables.load import LoadResult, Problem, load_tables
from explorer.tables.schema import TABLES
from explorer.tables.write import table_bytes

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # per file; .streamlit/config.toml's server.maxUploadSize says the same
MAX_ROWS = 100_000  # per table
MAX_COLUMNS = 64  # the widest table has 9 columns
MAX_ZIP_MEMBERS = 1_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # uncompressed, one member of a workbook
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024  # uncompressed, the whole workbook
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024  # openpyxl holds every shared string in memory at once
MAX_COMPRESSION_RATIO = 100  # real sheets compress 5-20x; a bomb compresses 1,000x and more
ACCEPTED = (".csv", ".xlsx")
TABLE_STEMS = {t.file.removesuffix(".csv"): t.file for t in TABLES}
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?([0-9]{1,7})"
                       rb"(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?\"")
SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class Refused(ValueError):
    """A file refused before parsing; the message says which limit it breaks, `code` names it for a program."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def check_workbook(data: bytes) -> None:
    """Refuse a workbook whose zip members or declared sheets exceed the limits, without parsing any sheet."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise Refused(f"not a readable XLSX workbook: {error}", "not_xlsx") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(f"the workbook holds {len(members):,} files; at most {MAX_ZIP_MEMBERS:,} are read",
                          "too_many_members")
        total = 0
        for member in members:
            # zipfile stops at the declared size and fails on a mismatch, so declared sizes can be trusted.
            size, packed = member.file_size, max(member.compress_size, 1)
            total += size
            if size > 2**20 and size / packed > MAX_COMPRESSION_RATIO:
                raise Refused(f"{member.filename} unpacks {size / packed:,.0f} times its packed size "
                              f"(at most {MAX_COMPRESSION_RATIO}x): a compression bomb, not a table",
                              "compression_bomb")
            if size > MAX_MEMBER_BYTES:
                raise Refused(f"{member.filename} unpacks to {size:,} bytes; at most {MAX_MEMBER_BYTES:,} are read",
                              "member_too_large")
            if member.filename == "xl/sharedStrings.xml" and size > MAX_SHARED_STRINGS_BYTES:
                raise Refused(f"the shared strings unpack to {size:,} bytes; at most "
                              f"{MAX_SHARED_STRINGS_BYTES:,} are read", "shared_strings_too_large")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise Refused(f"the workbook unpacks to {total:,} bytes; at most {MAX_UNCOMPRESSED_BYTES:,} are read",
                          "unpacks_too_large")
        for member in members:
            if SHEET_XML.match(member.filename):
                with archive.open(member) as sheet:
                    _check_dimension(member.filename, sheet.read(65536))


def _check_dimension(name: str, head: bytes) -> None:
    """The sheet's declared extent (`<dimension ref="A1:XFD100"/>`) must fit the limits."""
    found = DIMENSION.search(head)
    if not found:
        return  # no declaration: the row and column caps while reading still hold
    last_column = _column_number(found.group(3) or found.group(1))
    last_row = int(found.group(4) or found.group(2))
    if last_column > MAX_COLUMNS:
        raise Refused(f"{name} declares {last_column:,} columns (up to {(found.group(3) or found.group(1)).decode()}); "
                      f"at most {MAX_COLUMNS} are read", "too_many_columns")
    if last_row > MAX_ROWS + 1:
        raise Refused(f"{name} declares {last_row:,} rows; at most {MAX_ROWS:,} are read", "too_many_rows")


def read_workbook(data: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet as text, read-only and streamed, within the row and column caps (after `check_workbook`)."""
    from openpyxl import load_workbook

    check_workbook(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                if len(rows) > MAX_ROWS:
                    raise Refused(f"sheet {sheet.title!r} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} "
                                  "are read", "too_many_rows")
                rows.append(["" if value is None else str(value) for value in row])
            while rows and not any(rows[-1]):
                rows.pop()
            header = rows[0] if rows else []
            width = max((i + 1 for i, name in enumerate(header) if name), default=0)
            sheets[sheet.title] = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in rows[1:]],
                                               columns=header[:width], dtype=str)
        return sheets
    finally:
        workbook.close()


def tables_from_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[dict[str, bytes], list[Problem]]:
    """Map uploads to table files: `actors.csv`, `relations.xlsx`, or one workbook with a sheet per table."""
    raw: dict[str, bytes] = {}
    problems: list[Problem] = []
    for name, data in files:
        lower = name.lower()
        if not lower.endswith(ACCEPTED):
            problems.append(Problem(name, 0, "", f"not a CSV or XLSX file (accepted: {', '.join(ACCEPTED)})",
                                    "file_type"))
            continue
        if len(data) > MAX_UPLOAD_BYTES:
            problems.append(Problem(name, 0, "", f"file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB",
                                    "file_too_large"))
            continue
        stem = lower.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if lower.endswith(".csv"):
            if stem not in TABLE_STEMS:
                problems.append(Problem(name, 0, "", f"unknown table name {stem!r} (expected one of: "
                                                     f"{', '.join(TABLE_STEMS)})", "unknown_table"))
                continue
            lines = data.count(b"\n") + (not data.endswith(b"\n"))
            if lines > MAX_ROWS + 1:  # counted, not parsed: quoted line breaks only make the count larger
                problems.append(Problem(name, 0, "", f"has {lines - 1:,} lines after the header; at most "
                                                     f"{MAX_ROWS:,} rows are read (split the table)",
                                        "too_many_rows"))
                continue
            raw[TABLE_STEMS[stem]] = data
            continue
        try:
            sheets = read_workbook(data)
        except Refused as error:
            problems.append(Problem(name, 0, "", f"refused before parsing: {error}", error.code))
            continue
        except (ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
            problems.append(Problem(name, 0, "", f"not a readable XLSX workbook: {' '.join(str(error).split())[:200]}",
                                    "not_xlsx"))
            continue
        matched = {sheet.lower(): frame for sheet, frame in sheets.items() if sheet.lower() in TABLE_STEMS}
        if stem in TABLE_STEMS and not matched and len(sheets) >= 1:
            matched = {stem: next(iter(sheets.values()))}
        if not matched:
            problems.append(Problem(name, 0, "", "no sheet named actors, relations, sources or evidence",
                                    "no_table_sheet"))
        for sheet, frame in matched.items():
            raw[TABLE_STEMS[sheet]] = table_bytes(frame.fillna("").astype(str))
    return raw, problems


@dataclass(frozen=True, eq=False)
class CheckedUpload:
    """Uploaded tables validated: the load result, every problem (the files' own first), a digest of the data."""

    result: LoadResult
    problems: tuple[Problem, ...]
    digest: str


def check_uploads(files: list[tuple[str, bytes]], documents: Mapping[str, str],
                  added_to: Mapping[str, pd.DataFrame] | None = None) -> CheckedUpload:
    """Uploads to a validated dataset (appended to the tables `added_to`, if given): the whole heavy part,
    meant to run in a worker process.

    Their sources may cite only `documents` (the stored texts the server's own data cites): no file is read.
    """
    raw, problems = tables_from_uploads(files)
    if added_to is not None:
        raw = tables_added_to(added_to, raw)
    result = load_tables(raw, documents_in=documents)
    digest = hashlib.sha256(b"".join(raw.get(k, b"") for k in sorted(raw))).hexdigest()[:16]
    return CheckedUpload(result, (*problems, *result.problems), digest)


def tables_added_to(current: Mapping[str, pd.DataFrame], raw: Mapping[str, bytes]) -> dict[str, bytes]:
    """Uploaded table files appended to the current tables (a table not uploaded stays as it is), as bytes for
    validation, which reports any id that is now used twice with its file and row."""
    combined = {}
    for table in TABLES:
        frame = current[table.file].astype(str)
        if raw.get(table.file):
            try:
                added = pd.read_csv(io.BytesIO(raw[table.file]), dtype=str, keep_default_na=False)
            except (ValueError, UnicodeDecodeError):
                combined[table.file] = raw[table.file]  # validation names what is wrong with it
                continue
            frame = pd.concat([frame, added], ignore_index=True).fillna("")
        combined[table.file] = table_bytes(frame)
    return combined
