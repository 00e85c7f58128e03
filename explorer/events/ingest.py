"""Event files into the store: streamed by DuckDB, typed on reading, bad rows reported by file and line, ids kept once.

`import_events` reads any number of files of one format (zipped or gzipped or plain), turns them into event
records (`formats.EVENT_COLUMNS`) and adds them to `events.parquet` in the data folder's event home. An event
whose (dataset, event id) is already stored, or seen earlier in the same import, is counted once. A row that
cannot be read (wrong number of columns, a value of the wrong type, no date or id, no quad class) is not
stored; it is reported with its file, line and column. Nothing is written when no row could be read.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from explorer.events.formats import EVENT_COLUMNS, GDELT1, QUAD_TYPE, Layout
from explorer.store import connect, events_home
from explorer.tables.load import Problem
from explorer.tables.write import write_together

EVENTS_DIR = "events"  # one Parquet file per import: `part-<time>-<random>.parquet`
MEMORY_LIMIT = "900MB"  # DuckDB spills to disk beyond this, so a 10M-event import stays under 1.5 GiB
# LZ4 writes the parts with ~8 % less CPU than ZSTD (measured on 1M generated GDELT events: 1.9 vs 2.1 CPU s, three
# runs each), for about twice the bytes: the parts are written once per import and read at every build.
PART_FORMAT = "(FORMAT PARQUET, COMPRESSION LZ4_RAW)"


class EventFileError(ValueError):
    """A file that cannot be read at all (missing, not a zip of one table, no header the format names)."""


@dataclass(frozen=True)
class ImportReport:
    files: tuple[str, ...]
    dataset: str
    read: int  # rows read as events (bad rows excluded)
    added: int  # new events stored
    repeated: int  # rows whose event id was already stored or seen earlier in this import
    bad: tuple[Problem, ...]  # row 0: read, but no usable event (the message names its id)
    stored: int  # events in the store afterwards

    def as_dict(self) -> dict:
        return {"files": list(self.files), "dataset": self.dataset, "read": self.read, "added": self.added,
                "repeated": self.repeated, "bad_rows": len(self.bad), "stored": self.stored,
                "bad": [{"file": b.file, "line": b.row, "column": b.column, "message": b.message}
                        for b in self.bad]}


def events_path(data_dir: str | os.PathLike) -> Path:
    """The folder of the stored events' Parquet parts."""
    return events_home(data_dir) / EVENTS_DIR


@contextmanager
def _unzipped(paths: Sequence[Path]) -> Iterator[list[tuple[Path, str]]]:
    """(readable path, name to report) per file: a zip's one table is streamed out to a temporary file."""
    with tempfile.TemporaryDirectory(prefix="explorer-events-") as scratch:
        found = []
        for path in paths:
            if not path.is_file():
                raise EventFileError(f"{path}: no such file")
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    members = [m for m in archive.infolist() if not m.is_dir()]
                    if len(members) != 1:
                        raise EventFileError(f"{path}: a zip of {len(members)} files; GDELT's hold one table")
                    target = Path(scratch) / f"{len(found)}-{Path(members[0].filename).name}"
                    with archive.open(members[0]) as source, open(target, "wb") as sink:
                        while chunk := source.read(1 << 20):
                            sink.write(chunk)
                found.append((target, f"{path.name}:{members[0].filename}"))
            else:
                found.append((path, path.name))
        yield found


def _first_line_columns(path: Path) -> int:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        return stream.readline().count(b"\t") + 1


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _enum(values: Sequence[str]) -> str:
    return "ENUM(" + ", ".join(_sql_text(v) for v in dict.fromkeys(values)) + ")"


def _scan(files: list[Path], layout: Layout, columns: tuple[str, ...], dataset: str, delimiter: str,
          shown: Sequence[str], every_name: str) -> str:
    """SQL reading `files` into event columns; rows that do not parse go to DuckDB's reject tables.

    `shown` names each file as reported; `every_name` is the ENUM of the names of the whole import. The dataset and
    the file name are the same for millions of rows: written as ENUMs (read back as text) from the file's index, the
    Parquet writer keeps their dictionaries without hashing each row's string (about 9 % of the import's CPU at 2M
    GDELT events, against a join of each row's path to its name)."""
    names = "[" + ", ".join(_sql_text(str(f)) for f in files) + "]"
    quoting = [f"quote={_sql_text(layout.quote)}", f"escape={_sql_text(layout.quote)}"]
    options = [f"delim={_sql_text(delimiter)}", *quoting, f"dateformat={_sql_text(layout.date_format)}",
               "store_rejects=true", "nullstr=['', 'NA']"]
    if layout.header:
        types = "{" + ", ".join(f"{_sql_text(c)}: {_sql_text(t)}" for c, t in layout.types.items()) + "}"
        options += ["header=true", "all_varchar=true", f"types={types}"]
    else:
        spec = "{" + ", ".join(f"{_sql_text(c)}: {_sql_text(layout.types.get(c, 'VARCHAR'))}" for c in columns) + "}"
        options += ["header=false", "auto_detect=false", f"columns={spec}"]
    select = {**layout.select}
    if "SOURCEURL" not in columns and not layout.header:
        select["url"] = "NULL"
    parts = [f"CAST({_sql_text(dataset)} AS {_enum([dataset])}) AS dataset"]
    for column, kind in EVENT_COLUMNS.items():
        if column in ("dataset", "file"):
            continue
        parts.append(f"CAST({select[column]} AS {kind}) AS {column}")
    listed = "[" + ", ".join(_sql_text(n) for n in shown) + "]"
    parts.append(f"CAST({listed}[file_index::BIGINT + 1] AS {every_name}) AS file")
    return f"SELECT {', '.join(parts)} FROM read_csv({names}, {', '.join(options)})"


def _first_line(path: Path) -> str:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as stream:
        return stream.readline().rstrip("\r\n")


def _delimiter(files: list[tuple[Path, str]], layout: Layout) -> str:
    """The layout's delimiter, or the one the first file's header uses most (`,` `;` tab `|`)."""
    if layout.delimiter is not None:
        return layout.delimiter
    header = _first_line(files[0][0]) if files else ""
    return max(",;\t|", key=header.count)


def _header(path: Path, layout: Layout, delimiter: str) -> list[str]:
    """The column names of a file's first line."""
    import csv

    line = _first_line(path)
    return next(csv.reader([line], delimiter=delimiter)) if layout.quote else line.split(delimiter)


def _header_check(files: list[tuple[Path, str]], layout: Layout, delimiter: str) -> None:
    import re

    wanted = {name for sql in layout.select.values() for name in re.findall(r'"((?:[^"]|"")+)"', sql)}
    for path, name in files:
        header = _header(path, layout, delimiter)
        missing = sorted(w.replace('""', '"') for w in wanted if w.replace('""', '"') not in header)
        if missing:
            kind = "tab-separated" if delimiter == "\t" else f"separated by {delimiter!r}"
            raise EventFileError(f"{name}: line 1: no column {', '.join(repr(m) for m in missing)} "
                                 f"({layout.dataset} files are {kind} with a header naming them)")


def _column(named: str | None, message: str, layout: Layout) -> str:
    """The column a rejected value is in. DuckDB 1.5 names the wrong column when a value fails the quad class's
    ENUM (the message then names that type): the layout says which column has it."""
    if QUAD_TYPE in message:
        return next((c for c, t in layout.types.items() if t == QUAD_TYPE), named or "")
    return named or ""


class _NothingNew(Exception):
    """Every event read is already stored: the transaction is dropped, nothing is written."""


def _values(name: str, pairs: dict[str, str], columns: tuple[str, str]) -> str:
    rows = ", ".join(f"({_sql_text(a)}, {_sql_text(b)})" for a, b in pairs.items()) or "(NULL::VARCHAR, NULL::VARCHAR)"
    return f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM (VALUES {rows}) AS t({columns[0]}, {columns[1]})"


def stored_parts(data_dir: str | os.PathLike) -> list[Path]:
    """The Parquet files that hold the folder's events, one per import."""
    folder = events_path(data_dir)
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def import_events(paths: Sequence[str | os.PathLike], layout: Layout, data_dir: str | os.PathLike,
                  dataset: str | None = None) -> ImportReport:
    """Add the events of `paths` (one format) to the data folder's event store; see the module docstring.

    Streamed: DuckDB reads the files straight into one new Parquet file (a *part*) under the folder's lock and
    journal, so memory stays flat whatever their size; only when that part holds bad rows, repeated ids or ids
    already stored is it rewritten without them.
    """
    from explorer.tables.countries import recognise

    dataset = dataset or layout.dataset
    folder = events_path(data_dir)
    parts = stored_parts(data_dir)
    con = connect(data_dir).con
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    with _unzipped([Path(p) for p in paths]) as files:
        delimiter = _delimiter(files, layout)
        if layout.header:  # files whose header names a column by its alias are read as a group of their own
            by_names: dict[str, tuple[Layout, list[tuple[Path, str]]]] = {}
            for path, name in files:
                variant = layout.named(_header(path, layout, delimiter))
                by_names.setdefault(repr(variant.select), (variant, []))[1].append((path, name))
            for variant, group in by_names.values():
                _header_check(group, variant, delimiter)
            groups = [(variant, variant.columns, [p for p, _ in group]) for variant, group in by_names.values()]
        elif layout is GDELT1:  # a 57-column file (before April 2013) has no SOURCEURL
            by_width: dict[int, list[Path]] = {}
            for path, _ in files:
                by_width.setdefault(_first_line_columns(path), []).append(path)
            groups = [(layout, GDELT1.columns[:57] if width == 57 else GDELT1.columns, group)
                      for width, group in sorted(by_width.items())]
        else:
            groups = [(layout, layout.columns, [p for p, _ in files])]
        shown = {str(p): name for p, name in files}
        every_name = _enum(list(shown.values()))
        scans = " UNION ALL ".join(_scan(group, variant, columns, dataset, delimiter,
                                         [shown[str(p)] for p in group], every_name)
                                   for variant, columns, group in groups)
        codes: dict[str, str] = {}
        if layout.country_names:  # a small table (ICEWS, CSV): one pass to learn the names it uses
            names = {n for row in con.execute(f"SELECT DISTINCT source_country, target_country FROM ({scans})")
                     .fetchall() for n in row if n}
            codes = {n: state.iso3 for n in sorted(names) if (state := recognise(n)) is not None}
        con.execute(_values("country_codes", codes, ("name", "code")))
        columns = [f"s.{c}" for c in EVENT_COLUMNS if c not in ("source_country", "target_country", "file")]
        # Country names become codes through two joins, only when the format writes names (GDELT writes codes).
        source, target = ("coalesce(a.code, s.source_country)", "coalesce(b.code, s.target_country)") if codes \
            else ("s.source_country", "s.target_country")
        select = (f"SELECT {', '.join(columns[:4])}, {source} AS source_country, "
                  f"{', '.join(columns[4:7])}, {target} AS target_country, "
                  f"{', '.join(columns[7:])}, s.file FROM ({scans}) AS s" +
                  (" LEFT JOIN country_codes AS a ON s.source_country = a.name "
                   "LEFT JOIN country_codes AS b ON s.target_country = b.name" if codes else ""))
        good = "event_id IS NOT NULL AND day IS NOT NULL AND quad IS NOT NULL"
        existing = ("read_parquet([" + ", ".join(_sql_text(str(p)) for p in parts) + "])") if parts else None
        found: dict = {}

        def write(path: Path) -> None:
            part = _sql_text(str(path))
            con.execute(f"COPY ({select}) TO {part} {PART_FORMAT}")
            # One import holds one dataset: its ids are unique when there are as many distinct id hashes as good
            # rows (a hash aggregate of 8-byte keys, not of the ids themselves). Fewer hashes than rows means a
            # repeated id (or, once in a few billion, two ids with one hash): the exact clean-up below then decides.
            total, unusable, usable, distinct = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE NOT ({good})), count(*) FILTER (WHERE {good}), "
                f"count(DISTINCT hash(event_id)) FILTER (WHERE {good}) FROM read_parquet({part})").fetchone()
            found["total"] = total
            found["unusable"] = con.execute(
                f"SELECT file, event_id, day IS NULL, quad IS NULL FROM read_parquet({part}) WHERE NOT ({good})"
            ).fetchall() if unusable else []
            repeated = usable - distinct
            known = con.execute(f"SELECT count(*) FROM read_parquet({part}) SEMI JOIN {existing} AS old "
                                "USING (dataset, event_id)").fetchone()[0] if existing else 0
            if found["unusable"] or repeated or known:
                # Which row of each id stays is decided on a narrow projection (id, file, day, row number): one hash
                # aggregate, never a sort of whole rows; the kept rows are then copied once.
                rows = f"read_parquet({part}, file_row_number=true)"
                fresh = f"SELECT dataset, event_id, file, day, file_row_number FROM {rows} WHERE {good}"
                if existing:
                    fresh = (f"SELECT * FROM ({fresh}) ANTI JOIN (SELECT dataset, event_id FROM {existing}) AS old "
                             "USING (dataset, event_id)")
                keep = (f"SELECT arg_min(file_row_number, (file, day, file_row_number)) AS file_row_number "
                        f"FROM ({fresh}) GROUP BY event_id")
                cleaned = path.with_name(path.name + ".clean")
                con.execute(f"COPY (SELECT * EXCLUDE (file_row_number) FROM {rows} SEMI JOIN ({keep}) AS k "
                            f"USING (file_row_number)) TO {_sql_text(str(cleaned))} {PART_FORMAT}")
                os.replace(cleaned, path)
                found["added"] = con.execute(f"SELECT count(*) FROM read_parquet({part})").fetchone()[0]
            else:
                found["added"] = total
            if not found["added"]:
                raise _NothingNew

        name = f"part-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.parquet"
        with suppress(_NothingNew):
            write_together(Path(data_dir), {folder / name: write})
        bad = [Problem(shown.get(path, Path(path).name), int(line), _column(column, str(message), layout),
                       " ".join(str(message).split()), "unparsable")
               for path, line, column, message in con.execute(
                   "SELECT DISTINCT ON (s.file_path, e.line) s.file_path, e.line, e.column_name, e.error_message "
                   "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
                   "ORDER BY s.file_path, e.line").fetchall()]
        for file, event, no_day, _no_quad in found.get("unusable", []):
            column, message, code = (("event_id", "no event id", "series_contains_nulls") if event is None
                                     else ("day", "no date", "partial_date") if no_day
                                     else ("quad", "no quad class (1-4) and no event code that gives one", "isin"))
            bad.append(Problem(file, 0, column, f"{message} (event {event})" if event else message, code))
    before = con.execute(f"SELECT count(*) FROM {existing}").fetchone()[0] if existing else 0
    read = found["total"] - len(found.get("unusable", []))
    added = found["added"]
    return ImportReport(tuple(shown.values()), dataset, int(read), int(added), int(read - added), tuple(bad),
                        int(before + added))
