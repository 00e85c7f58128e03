"""Event files into the store: streamed by DuckDB, typed on reading, bad rows reported by file and line, ids kept once.

`import_events` reads any number of files of one format (zipped or gzipped or plain), turns them into event
records (`formats.EVENT_COLUMNS`) and adds them to `events.parquet` in the data folder's event home. An event
whose (dataset, event id) is already stored, or seen earlier in the same import, is counted once. A row that
cannot be read (wrong number of columns, a value of the wrong type, no date or id, no quad class) is not
stored; it is reported with its file, line and column. Nothing is written when no row could be read.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from explorer.events.formats import EVENT_COLUMNS, GDELT1, QUAD_TYPE, Layout
from explorer.store import connect, events_home
from explorer.tables.load import Problem
from explorer.tables.write import write_together

EVENTS_FILE = "events.parquet"


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
    return events_home(data_dir) / EVENTS_FILE


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


def _scan(files: list[Path], layout: Layout, columns: tuple[str, ...], dataset: str, delimiter: str) -> str:
    """SQL reading `files` into event columns; rows that do not parse go to DuckDB's reject tables."""
    names = "[" + ", ".join(_sql_text(str(f)) for f in files) + "]"
    quoting = [f"quote={_sql_text(layout.quote)}", f"escape={_sql_text(layout.quote)}"]
    options = [f"delim={_sql_text(delimiter)}", *quoting, f"dateformat={_sql_text(layout.date_format)}",
               "store_rejects=true", "filename=true", "nullstr=['', 'NA']"]
    if layout.header:
        types = "{" + ", ".join(f"{_sql_text(c)}: {_sql_text(t)}" for c, t in layout.types.items()) + "}"
        options += ["header=true", "all_varchar=true", f"types={types}"]
    else:
        spec = "{" + ", ".join(f"{_sql_text(c)}: {_sql_text(layout.types.get(c, 'VARCHAR'))}" for c in columns) + "}"
        options += ["header=false", "auto_detect=false", f"columns={spec}"]
    select = {**layout.select}
    if "SOURCEURL" not in columns and not layout.header:
        select["url"] = "NULL"
    parts = [f"{_sql_text(dataset)}::VARCHAR AS dataset"]
    for column, kind in EVENT_COLUMNS.items():
        if column in ("dataset", "file"):
            continue
        parts.append(f"CAST({select[column]} AS {kind}) AS {column}")
    parts.append("filename AS file")
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


def _header_check(files: list[tuple[Path, str]], layout: Layout, delimiter: str) -> None:
    import csv
    import re

    wanted = {name for sql in layout.select.values() for name in re.findall(r'"((?:[^"]|"")+)"', sql)}
    for path, name in files:
        line = _first_line(path)
        header = next(csv.reader([line], delimiter=delimiter)) if layout.quote else line.split(delimiter)
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


def import_events(paths: Sequence[str | os.PathLike], layout: Layout, data_dir: str | os.PathLike,
                  dataset: str | None = None) -> ImportReport:
    """Add the events of `paths` (one format) to the data folder's event store; see the module docstring."""
    from explorer.tables.countries import recognise

    dataset = dataset or layout.dataset
    target = events_path(data_dir)
    con = connect(data_dir).con
    with _unzipped([Path(p) for p in paths]) as files:
        delimiter = _delimiter(files, layout)
        if layout.header:
            _header_check(files, layout, delimiter)
            groups = [(layout.columns, [p for p, _ in files])]
        elif layout is GDELT1:  # a 57-column file (before April 2013) has no SOURCEURL
            by_width: dict[int, list[Path]] = {}
            for path, _ in files:
                by_width.setdefault(_first_line_columns(path), []).append(path)
            groups = [(GDELT1.columns[:57] if width == 57 else GDELT1.columns, group)
                      for width, group in sorted(by_width.items())]
        else:
            groups = [(layout.columns, [p for p, _ in files])]
        shown = {str(p): name for p, name in files}
        scans = " UNION ALL ".join(_scan(group, layout, columns, dataset, delimiter) for columns, group in groups)
        con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS {scans}")
        bad = [Problem(shown.get(path, Path(path).name), int(line), _column(column, str(message), layout),
                       " ".join(str(message).split()))
               for path, line, column, message in con.execute(
                   "SELECT DISTINCT ON (s.file_path, e.line) s.file_path, e.line, e.column_name, e.error_message "
                   "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) "
                   "ORDER BY s.file_path, e.line").fetchall()]
        for column, message in (("event_id", "no event id"), ("day", "no date"),
                                ("quad", "no quad class (1-4) and no event code that gives one")):
            for path, event in con.execute(f"SELECT file, event_id FROM incoming WHERE {column} IS NULL").fetchall():
                bad.append(Problem(shown.get(path, Path(path).name), 0, column,
                                  f"{message} (event {event})" if event else message))
        con.execute("DELETE FROM incoming WHERE event_id IS NULL OR day IS NULL OR quad IS NULL")
        if layout.country_names:
            for side in ("source_country", "target_country"):
                names = [n for (n,) in con.execute(f"SELECT DISTINCT {side} FROM incoming "
                                                   f"WHERE {side} IS NOT NULL").fetchall()]
                codes = {n: state.iso3 for n in names if (state := recognise(n)) is not None}
                if codes:
                    con.execute("CREATE OR REPLACE TEMP TABLE names AS SELECT * FROM (VALUES "
                                + ", ".join(f"({_sql_text(n)}, {_sql_text(c)})" for n, c in codes.items())
                                + ") AS t(name, code)")
                    con.execute(f"UPDATE incoming SET {side} = names.code FROM names WHERE {side} = names.name")
        for path, name in shown.items():
            con.execute("UPDATE incoming SET file = ? WHERE file = ?", [name, path])
        read = con.execute("SELECT count(*) FROM incoming").fetchone()[0]
        existing = f"read_parquet({_sql_text(str(target))})" if target.is_file() else None
        columns = ", ".join(EVENT_COLUMNS)
        fresh = ("SELECT * FROM incoming" if existing is None else
                 f"SELECT * FROM incoming ANTI JOIN {existing} AS old USING (dataset, event_id)")
        con.execute(f"CREATE OR REPLACE TEMP TABLE fresh AS SELECT DISTINCT ON (dataset, event_id) {columns} "
                    f"FROM ({fresh}) ORDER BY dataset, event_id")
        added = con.execute("SELECT count(*) FROM fresh").fetchone()[0]
        before = con.execute(f"SELECT count(*) FROM {existing}").fetchone()[0] if existing else 0
        if added:
            union = f"SELECT {columns} FROM {existing} UNION ALL " if existing else ""
            query = f"{union}SELECT {columns} FROM fresh"

            def write(path: Path) -> None:
                con.execute(f"COPY ({query}) TO {_sql_text(str(path))} (FORMAT PARQUET, COMPRESSION ZSTD)")

            write_together(Path(data_dir), {target: write})
    return ImportReport(tuple(name for _, name in shown.items()), dataset, int(read), int(added),
                        int(read - added), tuple(bad), int(before + added))
