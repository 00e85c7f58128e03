"""Curators' changes: rows added, edited or removed, applied to the tables as they are on disk, logged, undone.

A save never rewrites a table from a validated DataFrame. It splits each CSV file into its raw records, replaces,
drops or appends only the records the change names, and leaves every other record byte for byte as it was
(invalid rows and unknown columns included). A row the change edits or removes must still be the row the
curator read; otherwise the save is refused with a `Conflict` and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from explorer.tables.load import Problem, load_tables, seeds_folder
from explorer.tables.schema import TABLES, Table
from explorer.tables.write import Step, commit, consistent_read, folder_lock, recover

HISTORY_FILE = "history.jsonl"
TABLE_FILES = tuple(t.file for t in TABLES)
DOCUMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(txt|csv|tsv|gexf|graphml|net|paj|xlsx)$")  # + imported files
Row = Mapping[str, str]


class Conflict(Exception):
    """Rows the change edits or removes changed on disk since the curator read them (or ids already taken)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class FolderProblem(ValueError):
    """The data folder cannot take this change safely (unreadable table, or the change adds problems)."""


# ---------------------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Record:
    """One CSV record exactly as stored (its text, line end included) and its parsed fields."""

    text: str
    fields: tuple[str, ...]


@dataclass
class CsvFile:
    """A CSV file as a header and raw records; `text()` gives back the same bytes when nothing changed."""

    prefix: str  # a byte-order mark, kept
    header: Record
    records: list[Record]
    newline: str

    @property
    def columns(self) -> list[str]:
        return list(self.header.fields)

    def row(self, record: Record) -> dict[str, str]:
        fields = list(record.fields) + [""] * (len(self.header.fields) - len(record.fields))
        return dict(zip(self.header.fields, fields, strict=False))

    def record_of(self, row: Row) -> Record:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=self.newline).writerow([row.get(c, "") for c in self.header.fields])
        return Record(buffer.getvalue(), tuple(row.get(c, "") for c in self.header.fields))

    def text(self) -> str:
        return self.prefix + self.header.text + "".join(r.text for r in self.records)


def parse_csv(data: bytes, name: str) -> CsvFile:
    """Split a CSV file into raw records (a quoted field may span lines); refuse what cannot be read."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FolderProblem(f"{name} is not UTF-8 text (byte {error.start}): fix it before saving") from None
    prefix = "\ufeff" if text.startswith("\ufeff") else ""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text[len(prefix):], newline=""):
            consumed.append(line)
            yield line

    records: list[Record] = []
    try:
        for fields in csv.reader(lines(), strict=True):
            records.append(Record("".join(consumed), tuple(fields)))
            consumed.clear()
    except csv.Error as error:
        raise FolderProblem(f"{name} cannot be parsed as CSV ({error}): fix it before saving") from None
    if not records or not records[0].fields:
        raise FolderProblem(f"{name} has no header row: fix it before saving")
    newline = "\r\n" if records[0].text.endswith("\r\n") else "\n"
    return CsvFile(prefix, records[0], records[1:], newline)


def row_key(table: Table, row: Row) -> str:
    """A row's identity: its id, or for evidence (which has none) the relation, source and quote together."""
    if table.key:
        return row.get(table.key, "")
    return json.dumps([row.get("relation", ""), row.get("source", ""), row.get("quote", "")], ensure_ascii=False)


# ------------------------------------------------------------------------------------------------------ changes


@dataclass(frozen=True)
class RowChange:
    """One row added (`before` is None), removed (`after` is None) or edited, in one table file."""

    file: str
    before: dict[str, str] | None
    after: dict[str, str] | None

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "edited"

    @property
    def key(self) -> str:
        row = self.after if self.after is not None else self.before
        return row_key(TABLE_BY_FILE[self.file], row or {})

    def inverse(self) -> RowChange:
        return RowChange(self.file, self.after, self.before)


TABLE_BY_FILE = {t.file: t for t in TABLES}


@dataclass(frozen=True)
class ChangeSet:
    """What a curator wants to write: row changes, documents to store in `seeds/`, and what it is about."""

    rows: tuple[RowChange, ...]
    summary: str
    documents: Mapping[str, str | bytes] = field(default_factory=dict)  # seeds file name -> text (bytes: a workbook)
    document: str = ""  # the stored document the change comes from, if any
    undoes: str = ""  # id of the change this one undoes

    def to_json(self) -> str:
        """The change as JSON, so a curator whose save was refused can keep it."""
        return json.dumps({"summary": self.summary, "document": self.document, "undoes": self.undoes,
                           "documents": dict(self.documents), "rows": [_row_json(r) for r in self.rows]},
                          ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class Entry:
    """One saved change in the history: who, when, which rows before and after, from which document."""

    id: str
    at: str  # ISO 8601, UTC
    by: str
    summary: str
    document: str
    undoes: str
    rows: tuple[RowChange, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(r.kind for r in self.rows)
        return {kind: found.get(kind, 0) for kind in ("added", "edited", "removed")}

    def describe(self) -> str:
        """One line: when, who, what, how many rows."""
        counts = ", ".join(f"{n} {kind}" for kind, n in self.counts().items() if n) or "no rows"
        source = f" (from {self.document})" if self.document else ""
        return f"{self.at} {self.by}: {self.summary}{source} [{counts}]"


def _row_json(change: RowChange) -> dict:
    return {"file": change.file, "key": change.key, "before": change.before, "after": change.after}


def _entry_json(entry: Entry) -> str:
    return json.dumps({"id": entry.id, "at": entry.at, "by": entry.by, "summary": entry.summary,
                       "document": entry.document, "undoes": entry.undoes,
                       "rows": [_row_json(r) for r in entry.rows]}, ensure_ascii=False)


def change_from_suggestions(added: Mapping[str, pd.DataFrame], text: str, stored: str, summary: str) -> ChangeSet:
    """Accepted suggestions (rows of `suggestion_tables`) as additions; the text is stored unless it already is.

    Rows already on disk unchanged are skipped when saving, so saving twice adds nothing.
    """
    documents = {}
    if not stored:
        stored = f"doc-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"
        documents[stored] = text
    rows = []
    for name in TABLE_FILES:
        frame = added.get(name)
        for record in ([] if frame is None else frame.astype(str).to_dict("records")):
            row = {str(k): str(v) for k, v in record.items()}
            if name == "sources.csv" and not row.get("document"):
                row["document"] = stored
            rows.append(RowChange(name, None, row))
    return ChangeSet(tuple(rows), summary, documents=documents, document=stored)


def undo_of(entry: Entry) -> ChangeSet:
    """The change that restores the rows `entry` changed (refused if they changed since); its documents stay."""
    return ChangeSet(tuple(r.inverse() for r in reversed(entry.rows)), f"Undo: {entry.summary}",
                     document=entry.document, undoes=entry.id)


# ------------------------------------------------------------------------------------------------------ applying


def current_rows(folder: Path, file: str, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Rows of one table as they are on disk now, by key: what an edit starts from (its `before`)."""
    data = consistent_read(Path(folder), [file], (seeds_folder(Path(folder)),))[file]
    if data is None:
        return {}
    parsed, table, wanted = parse_csv(data, file), TABLE_BY_FILE[file], set(keys)
    found: dict[str, dict[str, str]] = {}
    for record in parsed.records:
        if record.fields:
            row = parsed.row(record)
            key = row_key(table, row)
            if key in wanted:
                found.setdefault(key, row)
    return found


def rebased(folder: Path, change: ChangeSet) -> ChangeSet:
    """The same change made against the rows on disk now: the curator chose to keep their version."""
    rows = []
    for row in change.rows:
        now = current_rows(folder, row.file, [row.key]).get(row.key)
        if now is None and row.after is None:
            continue  # removed already
        rows.append(RowChange(row.file, now, row.after))
    return ChangeSet(tuple(rows), change.summary, change.documents, change.document, change.undoes)



def apply_rows(raw: Mapping[str, bytes | None], rows: Iterable[RowChange]) -> dict[str, bytes]:
    """New bytes of each table the rows touch; every other record stays byte for byte. Raises `Conflict`."""
    by_file: dict[str, list[RowChange]] = {}
    for change in rows:
        by_file.setdefault(change.file, []).append(change)
    reasons: list[str] = []
    result = {}
    for name, changes in by_file.items():
        if name not in TABLE_BY_FILE:
            raise FolderProblem(f"{name} is not one of the tables")
        if raw.get(name) is None:
            raise FolderProblem(f"{name} is missing from the data folder: restore it before saving")
        table = TABLE_BY_FILE[name]
        parsed = parse_csv(raw[name] or b"", name)
        for change in changes:
            reasons += _apply_one(parsed, table, change)
        result[name] = parsed.text().encode("utf-8")
    if reasons:
        raise Conflict(reasons)
    return result


def _apply_one(parsed: CsvFile, table: Table, change: RowChange) -> list[str]:
    def where(key: str) -> list[int]:
        return [i for i, r in enumerate(parsed.records) if r.fields and row_key(table, parsed.row(r)) == key]

    def as_stored(row: Row) -> dict[str, str]:
        return {c: str(row.get(c, "")) for c in parsed.columns}

    label = f"{table.file} row {change.key!r}"
    if change.after is not None:
        lost = [c for c, v in change.after.items() if v and c not in parsed.columns and c not in
                table.derived_columns]
        if lost:
            return [f"{label}: the file has no column {', '.join(lost)} to hold the new values"]
    found = where(change.key)
    if change.before is None:
        if not found:
            _append(parsed, parsed.record_of(change.after or {}))
            return []
        if any(parsed.row(parsed.records[i]) == as_stored(change.after or {}) for i in found):
            return []  # already there, exactly: saving twice adds nothing
        return [f"{label} already exists with other values"]
    if len(found) != 1:
        return [f"{label} was removed since you read it" if not found else f"{label} appears {len(found)} times"]
    position = found[0]
    if parsed.row(parsed.records[position]) != as_stored(change.before):
        return [f"{label} was changed by someone else since you read it"]
    if change.after is None:
        del parsed.records[position]
    else:
        record = parsed.record_of(change.after)
        old = parsed.records[position].text
        if not old.endswith(("\n", "\r")):  # the file's last record had no line end: neither does its new version
            record = Record(record.text.rstrip("\r\n"), record.fields)
        parsed.records[position] = record
    return []


def _append(parsed: CsvFile, record: Record) -> None:
    last = parsed.records[-1] if parsed.records else parsed.header
    if not last.text.endswith(("\n", "\r")):  # the last line had no line end: give it one before appending
        if parsed.records:
            parsed.records[-1] = Record(last.text + parsed.newline, last.fields)
        else:
            parsed.header = Record(last.text + parsed.newline, last.fields)
    parsed.records.append(record)


def _problem_counts(problems: Iterable[Problem]) -> Counter:
    return Counter((p.file, p.column, p.message) for p in problems)


def new_problems(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    """Problems the change brings (row numbers aside: removing a row renumbers those below it)."""
    extra = _problem_counts(after) - _problem_counts(before)
    found = []
    for problem in after:
        signature = (problem.file, problem.column, problem.message)
        if extra[signature] > 0:
            extra[signature] -= 1
            found.append(problem)
    return found


# --------------------------------------------------------------------------------------------------------- saving


def read_history(folder: Path) -> list[Entry]:
    """Every saved change, oldest first."""
    path = folder / HISTORY_FILE
    if not path.is_file():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            rows = tuple(RowChange(r["file"], r["before"], r["after"]) for r in item["rows"])
            entries.append(Entry(item["id"], item["at"], item["by"], item["summary"], item.get("document", ""),
                                 item.get("undoes", ""), rows))
        except (ValueError, KeyError, TypeError) as error:
            raise FolderProblem(f"{HISTORY_FILE}:{number}: not a change record ({error})") from None
    return entries


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _header_only(name: str) -> bytes:
    return (",".join(TABLE_BY_FILE[name].column_names) + "\n").encode("utf-8")


def save_change(folder: Path, change: ChangeSet, by: str, step: Step = lambda _: None, fresh: bool = False) -> Entry:
    """Apply `change` to the tables as they are on disk now, with its documents and its log entry, all or nothing.

    Holds the folder lock, so two curators saving at once both land, one after the other. Raises `Conflict`
    when a row it edits or removes changed since it was read, `FolderProblem` when the folder cannot take it
    (a table unreadable, or the change would add validation problems); then nothing is written.
    """
    folder = Path(folder)
    seeds = seeds_folder(folder)
    if fresh:
        folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
        recover(folder, (seeds,))
        raw = {name: (folder / name).read_bytes() if (folder / name).is_file() else None for name in TABLE_FILES}
        if fresh and not any(raw.values()):  # a new data folder (an import's): its tables start as headers
            raw = {name: _header_only(name) for name in TABLE_FILES}
        tables = apply_rows(raw, change.rows)
        if fresh:
            tables = {name: tables.get(name, raw[name] or b"") for name in TABLE_FILES}
        documents: dict[Path, bytes] = {}
        for name, text in change.documents.items():
            if not DOCUMENT_NAME.match(name):
                raise FolderProblem(f"document name {name!r} must be a plain .txt (or imported file's) name")
            data = text.encode("utf-8") if isinstance(text, str) else text
            path = seeds / name
            if not path.exists():
                documents[path] = data
            elif path.read_bytes() != data:
                raise Conflict([f"seeds/{name} already exists with another text"])
        after = {**raw, **tables}
        texts = {n: t for n, t in change.documents.items() if isinstance(t, str)}
        check = load_tables(after, documents_in=seeds, folder=folder, pending_documents=texts)
        added = new_problems(load_tables(raw, documents_in=seeds, folder=folder).problems, check.problems)
        if added:
            raise FolderProblem("not saved, the change would add problems: " + "; ".join(map(str, added[:5])))
        at = _now()
        entry = Entry(f"{at}-{secrets.token_hex(3)}", at, by, change.summary, change.document, change.undoes,
                      change.rows)
        history = folder / HISTORY_FILE
        old_log = history.read_bytes() if history.is_file() else b""
        if old_log and not old_log.endswith(b"\n"):
            old_log += b"\n"
        log = old_log + _entry_json(entry).encode("utf-8") + b"\n"
        commit(folder, {**{folder / n: b for n, b in tables.items()}, **documents, history: log}, step)
        return entry


def history_frame(entries: list[Entry]) -> pd.DataFrame:
    """The history as a table, newest first, for the app and the CLI."""
    return pd.DataFrame([{"id": e.id, "when": e.at, "who": e.by, "what": e.summary, "document": e.document,
                          **e.counts(), "undoes": e.undoes} for e in reversed(entries)],
                        columns=["id", "when", "who", "what", "document", "added", "edited", "removed", "undoes"])

