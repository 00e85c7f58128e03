"""Read a folder of curated tables, find every problem, and keep the rows that are valid."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

import explorer.store as store
import explorer.tables.cache as cache
from explorer.model import OPEN_END, partial_date_columns
from explorer.tables.schema import TABLES, Column, Table, event_types, vocabulary
from explorer.tables.write import consistent_read

if TYPE_CHECKING:
    from pandera.pandas import Check, DataFrameSchema

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATA = PACKAGE_ROOT / "data"
COUNTRY = re.compile(r"^[A-Z]{3}$")
HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
DOCUMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)*")  # no "..", no "/x"
MAX_DOCUMENT_NAME = 200
FIRST_DATA_ROW = 2  # a spreadsheet shows the header as row 1
PROBLEMS_PER_CHECK = 100  # problems listed one by one per rule and column; the rest are counted


def arrow_strings(values: pd.Series | pd.Index | np.ndarray | list) -> pa.Array:
    """Text values as one Arrow string array, without a Python object per row when they are Arrow already.

    Through `.array`: handing pyarrow a Series makes pandas look the probe attribute up in the Series' index,
    which builds a hash table of a million relation ids for nothing.
    """
    array = pd.Series(values, dtype="str", copy=False).array if not isinstance(values, list) else values
    column = pa.array(array, type=pa.string())
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def is_in(values: pd.Series | pd.Index | np.ndarray, allowed: object) -> np.ndarray:
    """Vectorised membership with Arrow's hash kernel: pandas' isin on Arrow strings walks Python objects."""
    items = list(allowed) if isinstance(allowed, (set, frozenset, dict)) else allowed
    value_set = arrow_strings(items if isinstance(items, (pd.Series, pd.Index)) else np.asarray(items, dtype=object))
    return pc.is_in(arrow_strings(values), value_set=value_set).to_numpy(zero_copy_only=False)


def positions_in(values: pd.Series | pd.Index | np.ndarray, universe: pd.Series | pd.Index) -> np.ndarray:
    """Where each value sits in `universe` (-1 when absent), with Arrow's hash kernel: ids become integer codes
    without a Python object per row."""
    found = pc.index_in(arrow_strings(values), value_set=arrow_strings(universe))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def shared_strings(values: pd.Series | pd.Index) -> np.ndarray:
    """The values as an object array in which equal strings are one Python object (dictionary-encoded first):
    a column of few distinct values costs a pointer per row, not a string per row."""
    encoded = pc.dictionary_encode(arrow_strings(values))
    words = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return words[encoded.indices.to_numpy(zero_copy_only=False)] if len(words) else np.empty(len(values), object)


def per_distinct(function: Callable[[str], object], values: pd.Series | pd.Index) -> np.ndarray:
    """`function` of each value, called once per distinct value (outlet keys of a million rows from 300 calls)."""
    encoded = pc.dictionary_encode(arrow_strings(values))
    results = np.array([function(word) for word in encoded.dictionary.to_pylist()] + [None], dtype=object)
    return results[encoded.indices.fill_null(len(results) - 1).to_numpy(zero_copy_only=False)]


def weight_numbers(values: pd.Series) -> np.ndarray:
    """A weight column as floats: empty is 1, text that is not a number NaN. Arrow's parser reads a million values
    in milliseconds (pandas' `to_numeric` made a Python string of each: a third of a second); whatever Arrow
    refuses (spaces around a number, say) goes to `to_numeric`, so the answer is pandas' either way."""
    text = arrow_strings(values)
    if len(text) == 0:
        return np.empty(0, dtype=float)
    filled = pc.if_else(pc.equal(text, ""), "1", text)
    try:
        return pc.cast(filled, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(pd.Series(filled.to_pandas(), dtype="str"), errors="coerce").to_numpy(dtype=float)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the tables, located as a spreadsheet would show it, with a reason code a program can
    act on (pandera's own names where one fits: `column_not_in_dataframe`, `series_contains_nulls`,
    `series_contains_duplicates`, `str_matches`, `isin`); the message is for people."""

    file: str
    row: int  # 0: the file as a whole, 1: the header
    column: str
    message: str
    code: str = field(compare=False)  # every problem names its rule: tables, uploads, imports, event files

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


def problems_frame(problems: list[Problem] | tuple[Problem, ...]) -> pd.DataFrame:
    """Problems as a table (file, row, column, message, reason code) for the app's reports."""
    return pd.DataFrame([asdict(p) for p in problems], columns=["file", "row", "column", "message", "code"])


@dataclass(frozen=True, eq=False)
class Dataset:
    """The valid rows of the four tables, typed and indexed by id; never mutated once built."""

    actors: pd.DataFrame  # index: id
    relations: pd.DataFrame  # index: id; plus start_lo/start_hi/end_lo/end_hi day numbers
    sources: pd.DataFrame  # index: id
    evidence: pd.DataFrame  # one row per piece of evidence, `row` is its spreadsheet row
    documents: Mapping[str, str] = field(default_factory=dict)  # document path -> text
    folder: Path | None = None


@dataclass(frozen=True, eq=False)
class LoadResult:
    dataset: Dataset
    problems: tuple[Problem, ...]


def data_folder(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: an explicit one, else $EXPLORER_DATA, else the bundled `data/`."""
    chosen = explicit or os.environ.get("EXPLORER_DATA") or DEFAULT_DATA
    return Path(chosen).expanduser().resolve()


def seeds_folder(folder: Path) -> Path:
    """Stored source documents live in `seeds/` beside the data folder."""
    return folder.parent / "seeds"


def load_dataset(folder: str | os.PathLike | None = None, cached: bool = True) -> LoadResult:
    """Load a data folder: every problem is reported, every valid row is kept.

    With `cached`, tables validated before are read from the folder's columnar cache (`tables/cache.py`) when
    their files' content hashes match; otherwise they are validated and the cache entry is (re)written.
    """
    root = data_folder(folder)
    seeds = seeds_folder(root)
    files = [t.file for t in TABLES]
    if cached:
        # As of one committed save: an interrupted save is finished first, a running one is waited for.
        key = cache.entry_key(consistent_read(root, files, others=(seeds,), read=store.file_digest))
        hit = _from_cache(root, key, seeds)
        if hit is not None:
            return hit
    raw = consistent_read(root, files, others=(seeds,))
    if not cached:
        return load_tables(raw, documents_in=seeds, folder=root)
    key = cache.entry_key({name: store.digest(data) if data is not None else None for name, data in raw.items()})
    before = {name: cache.document_state(seeds, name) for name in _document_names(raw.get(TABLES[1].file))}
    result = load_tables(raw, documents_in=seeds, folder=root)
    after = {name: cache.document_state(seeds, name) for name in before}
    if after == before:  # a document edited while we validated would make the entry a lie: leave it unwritten
        frames = {"actors": result.dataset.actors, "sources": result.dataset.sources,
                  "relations": result.dataset.relations, "evidence": result.dataset.evidence}
        problems = [asdict(p) for p in result.problems]  # the reason code too: a hit answers as a miss would
        cache.write_entry(root, key, frames, problems, before, texts=list(result.dataset.documents))
    return result


def _is_document_name(name: str) -> bool:
    """A `document` value validation may look up in the seeds folder (anything else is refused unread)."""
    return len(name) <= MAX_DOCUMENT_NAME and bool(DOCUMENT_NAME.fullmatch(name))


def _document_names(sources: bytes | None) -> list[str]:
    """The stored documents a sources table cites by a well-formed name (what validation will read)."""
    if sources is None:
        return []
    try:
        names = _read_csv(sources, TABLES[1].file).get("document", pd.Series(dtype="str"))
    except Exception:  # an unreadable table cites nothing; validation says why
        return []
    return sorted(name for name in set(names.astype(str)) if name and _is_document_name(name))


def _from_cache(root: Path, key: str, seeds: Path) -> LoadResult | None:
    entry = cache.read_entry(root, key, seeds)
    if entry is None:
        return None
    frames, problems, texts = entry
    try:
        documents = {name: (seeds / name).read_text(encoding="utf-8") for name in texts}
    except (OSError, UnicodeDecodeError):  # changed since its hash was checked: validate afresh
        return None
    dataset = Dataset(actors=frames["actors"], relations=frames["relations"], sources=frames["sources"],
                      evidence=frames["evidence"], documents=documents, folder=root)
    return LoadResult(dataset, tuple(Problem(**p) for p in problems))


def load_tables(raw: Mapping[str, bytes | None], documents_in: Path | Mapping[str, str] | None = None,
                folder: Path | None = None,
                read: Callable[[bytes, str], pd.DataFrame] | None = None,
                pending_documents: Mapping[str, str] | None = None) -> LoadResult:
    """Validate four tables given as bytes (from disk or an upload) and build the dataset of valid rows.

    `documents_in` is the seeds folder, or for an upload the stored texts it may cite (nothing is read then).
    `pending_documents` are texts a save is about to store in the seeds folder, checked as if already there.
    """
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        frames[table.name] = _read(raw.get(table.file), table, problems, read or _read_csv)

    actors = _check_table(frames["actors"], TABLES[0], {"actors": pd.Index(frames["actors"]["id"])}, problems)
    actors = _check_actor_logic(actors, problems)
    documents = _check_documents(frames["sources"], documents_in, problems, pending_documents or {})
    sources = _check_table(frames["sources"], TABLES[1], {}, problems)
    sources = sources[~is_in(sources.index, documents.failed)]
    relations = _check_table(frames["relations"], TABLES[2], {"actors": actors.index}, problems)
    relations = _check_relation_logic(relations, problems)
    evidence = _check_table(frames["evidence"], TABLES[3],
                            {"actors": actors.index, "relations": relations.index, "sources": sources.index},
                            problems)
    evidence = _check_quotes(evidence, sources, documents.texts, problems)
    relations = _drop_relations_without_evidence(relations, frames["evidence"], evidence, problems)
    evidence = evidence[is_in(evidence["relation"], relations.index)]
    problems.sort(key=lambda p: (p.file, p.row, p.column))
    frames = _with_positions({"actors": actors, "relations": relations, "sources": sources,
                              "evidence": evidence.reset_index(drop=True)})
    dataset = Dataset(actors=frames["actors"], relations=frames["relations"], sources=frames["sources"],
                      evidence=frames["evidence"], documents=documents.texts, folder=folder)
    return LoadResult(dataset, tuple(problems))


def _with_positions(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add each reference's row position in the table it names (`Table.position_columns`), once, at load:
    the indexes then start from integer codes (kept in the columnar cache) instead of hashing a million ids."""
    result = {}
    for table in TABLES:
        frame = frames[table.name].copy()
        for column in table.columns:
            if column.check == "ref":
                frame[f"{column.name}_at"] = positions_in(frame[column.name], frames[column.refers_to].index)
        result[table.name] = frame
    return result


def _read_csv(data: bytes, file: str) -> pd.DataFrame:
    data.decode("utf-8")  # strict: a mis-encoded file is reported, never guessed at
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:  # Arrow's reader is several times faster; anything it refuses goes to the C reader for a clear message
        return pd.read_csv(io.BytesIO(data), dtype="str", keep_default_na=False, engine="pyarrow")
    except Exception:
        return pd.read_csv(io.BytesIO(data), dtype="str", keep_default_na=False, na_filter=False, engine="c")


def _empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*table.column_names, "row"]})


def _read(data: bytes | None, table: Table, problems: list[Problem],
          read: Callable[[bytes, str], pd.DataFrame]) -> pd.DataFrame:
    """Parse one table; a file that cannot be read at all yields an empty frame and a problem."""
    if data is None:
        problems.append(Problem(table.file, 0, "", "file not found", "file_not_found"))
        return _empty_frame(table)
    try:
        frame = read(data, table.file)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(table.file, line, "", f"not UTF-8 text (byte {error.start} cannot be decoded)",
                                "not_utf8"))
        return _empty_frame(table)
    except pd.errors.EmptyDataError:
        problems.append(Problem(table.file, 0, "", "file is empty: a header row is required", "empty_file"))
        return _empty_frame(table)
    except (pd.errors.ParserError, ValueError, OSError) as error:
        message = " ".join(str(error).split())
        found = re.search(r"line (\d+)", message)
        problems.append(Problem(table.file, int(found.group(1)) if found else 0, "",
                                f"cannot be parsed as a table: {message}", "unparsable"))
        return _empty_frame(table)
    frame.columns = [str(c) for c in frame.columns]
    duplicated = frame.columns[frame.columns.duplicated()]
    for name in dict.fromkeys(duplicated):
        problems.append(Problem(table.file, 1, name, "column appears more than once", "duplicate_column"))
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for name in table.required_columns:
        if name not in frame.columns:
            problems.append(Problem(table.file, 1, name, "missing column", "column_not_in_dataframe"))
            frame[name] = ""
    for column in table.columns:
        if column.name not in frame.columns:
            frame[column.name] = ""
    frame = frame.astype(str)
    frame["row"] = np.arange(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    return frame


def _report(frame: pd.DataFrame, mask: np.ndarray | pd.Series, table: Table, column: str,
            message: Callable[[pd.Series], str], problems: list[Problem], code: str) -> None:
    mask = np.asarray(mask, dtype=bool)
    count = int(mask.sum())
    if not count:
        return
    # The first rows say what is wrong; a hundred thousand copies of it would only cost time and memory.
    for _, record in frame[mask].head(PROBLEMS_PER_CHECK).iterrows():
        problems.append(Problem(table.file, int(record["row"]), column, message(record), code))
    if count > PROBLEMS_PER_CHECK:
        first_unlisted = int(frame["row"].to_numpy()[np.flatnonzero(mask)[PROBLEMS_PER_CHECK]])
        problems.append(Problem(table.file, first_unlisted, column,
                                f"… and {count - PROBLEMS_PER_CHECK:,} more rows with this problem "
                                f"({count:,} in all; the first {PROBLEMS_PER_CHECK} are listed)", code))


# Columns checked by a pattern: check -> (pattern, message). Reason code: pandera's `str_matches`.
PATTERN_CHECKS: dict[str, tuple[re.Pattern[str], str]] = {
    "id": (SLUG, "id {value!r} must be a slug (letters, digits, _ . : -)"),
    "url": (HTTP_URL, "URL must start with http:// or https://: {value!r}"),
    "country": (COUNTRY, "country must be an ISO 3166-1 alpha-3 code: {value!r}"),
}


def _present(passes: Callable[[pd.Series], np.ndarray]) -> Callable[[pd.Series], pd.Series]:
    """A vectorised check that an empty value passes (emptiness is the `required` check's business alone)."""
    return lambda values: pd.Series((values == "").to_numpy() | passes(values), index=values.index)


def _rule(name: str, words: str, passes: Callable[[pd.Series], np.ndarray]) -> Check:
    """A pandera check named by its reason code; `words` is the problem's message (`{value!r}`: the cell)."""
    from pandera.pandas import Check

    return Check(_present(passes), name=name, error=words)


def column_checks(column: Column, known: Mapping[str, pd.Index], dates: Mapping[str, np.ndarray]) -> list[Check]:
    """The checks of one column, as data: the rule's reason code (pandera's name where one fits), its words and
    a vectorised test. `known` holds the ids a reference may name, `dates` each date column's malformed mask."""
    from pandera.pandas import Check  # imported when a table is validated, not when a cached one is read (0.3 s)

    checks = []
    if column.required:
        checks.append(Check(lambda values: values != "", name="series_contains_nulls",
                               error="empty value (required)"))
    if column.check in PATTERN_CHECKS:
        pattern, words = PATTERN_CHECKS[column.check]
        checks.append(_rule("str_matches", words, lambda values: values.str.match(pattern).to_numpy(dtype=bool)))
    elif column.check == "vocab":
        allowed = list(vocabulary(column.vocabulary))
        checks.append(_rule("isin", f"unknown {column.vocabulary} {{value!r}} (one of: {', '.join(allowed)})",
                            lambda values: is_in(values, allowed)))
    elif column.check == "date":
        malformed = dates[column.name]
        checks.append(_rule("partial_date", "malformed or impossible date {value!r} (YYYY, YYYY-MM or YYYY-MM-DD "
                                            "in ASCII digits)", lambda values: ~malformed))
    elif column.check == "weight":
        def in_range(values: pd.Series) -> np.ndarray:
            numbers = weight_numbers(values)
            return (numbers > 0) & (numbers <= 1000)

        checks.append(_rule("in_range", "weight must be a number above 0 and at most 1000 (a signed weight's "
                                        "size): {value!r}", in_range))
    elif column.check == "ref":
        ids = known[column.refers_to]
        checks.append(_rule("isin", f"unknown or invalid {column.refers_to[:-1]} {{value!r}}",
                            lambda values: is_in(values, ids)))
    return checks


def table_schema(table: Table, known: Mapping[str, pd.Index], dates: Mapping[str, np.ndarray]) -> DataFrameSchema:
    """A table's column checks as one pandera schema; the key column's ids must be unique (the first one stands)."""
    from pandera.pandas import Column as SchemaColumn
    from pandera.pandas import DataFrameSchema

    columns = {column.name: SchemaColumn(checks=column_checks(column, known, dates), nullable=True)
               for column in table.columns}
    if table.key:
        key = columns[table.key]
        key.checks.append(_rule("series_contains_duplicates", "duplicate id {value!r} (first at row {first})",
                                lambda keys: ~keys.duplicated(keep="first").to_numpy(dtype=bool)))
    return DataFrameSchema(columns)


def _check_table(frame: pd.DataFrame, table: Table, known: Mapping[str, pd.Index],
                 problems: list[Problem]) -> pd.DataFrame:
    """Column checks (pandera, every failure collected) and unique ids; returns the valid rows (indexed by id when
    the table has one). Date columns gain their day numbers (`<date>_lo`, `<date>_hi`), which the filters index."""
    dates = {}
    for column in table.columns:
        if column.check == "date":
            frame[f"{column.name}_lo"], frame[f"{column.name}_hi"], dates[column.name] = partial_date_columns(
                frame[column.name])
    from pandera.errors import SchemaErrors

    bad = np.zeros(len(frame), dtype=bool)
    try:
        table_schema(table, known, dates).validate(frame, lazy=True, inplace=True)
    except SchemaErrors as failed:
        rows = frame["row"].to_numpy()
        for error in failed.schema_errors:
            name, words = error.schema.name, error.check.error
            wrong = np.zeros(len(frame), dtype=bool)
            wrong[frame.index.get_indexer(error.failure_cases["index"])] = True
            first = {}
            if error.check.name == "series_contains_duplicates":
                keys = frame[name]
                first = dict(zip(keys[::-1], rows[::-1], strict=True))
            _report(frame, wrong, table, name,
                    lambda r, name=name, words=words, first=first: words.format(value=r[name],
                                                                                first=first.get(r[name])),
                    problems, error.check.name)
            bad |= wrong
    valid = frame[~bad] if bad.any() else frame
    return valid.set_index(table.key, drop=False) if table.key else valid


def _check_actor_logic(actors: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """An actor cannot represent itself, nor an actor that failed its own checks."""
    represents = actors["represents"]
    wrong = ((represents == actors["id"]) | ((represents != "") & ~is_in(represents, actors.index))).to_numpy()
    _report(actors, wrong, TABLES[0], "represents",
            lambda r: f"represents {r['represents']!r}: must be another valid actor", problems, "represents")
    if wrong.any():
        actors = actors.copy()
        actors.loc[wrong, "represents"] = ""
    return actors


def _check_relation_logic(relations: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Self-loops, ends before starts, events that last; adds the day-number columns the filters use."""
    start_lo, end_lo = relations["start_lo"].to_numpy(), relations["end_lo"].to_numpy()
    end_hi = relations["end_hi"].to_numpy()
    open_end = (relations["end"] == "").to_numpy()
    end_lo = np.where(open_end, OPEN_END, end_lo)
    end_hi = np.where(open_end, OPEN_END, end_hi)
    backwards = ~open_end & (end_hi < start_lo)
    loops = (relations["source"] == relations["target"]).to_numpy()
    # The time rule: an event happens on its date; a later end would make it a state that never was.
    lasting = (is_in(relations["type"], event_types()) & ~open_end
               & (relations["end"] != relations["start"]).to_numpy())
    _report(relations, lasting, TABLES[2], "end",
            lambda r: f"{r['type']} is an event: leave end empty or equal to start ({r['start']}), not {r['end']}",
            problems, "event_lasts")
    _report(relations, backwards, TABLES[2], "end", lambda r: f"end {r['end']} is before start {r['start']}", problems,
            "end_before_start")
    _report(relations, loops, TABLES[2], "target", lambda r: f"self-loop: {r['source']!r} relates to itself",
            problems, "self_loop")
    keep = ~(backwards | loops | lasting)
    typed = relations[keep].copy() if not keep.all() else relations.copy()
    typed["polarity"] = typed["polarity"].astype(np.int8)
    typed["end_lo"], typed["end_hi"] = end_lo[keep], end_hi[keep]
    return typed


@dataclass(frozen=True)
class _Documents:
    texts: dict[str, str]
    failed: set[str]  # source ids whose document is missing or unreadable


def _check_documents(sources: pd.DataFrame, documents_in: Path | Mapping[str, str] | None,
                     problems: list[Problem], pending: Mapping[str, str]) -> _Documents:
    """Each `document` must be a UTF-8 file inside the seeds folder (no absolute paths, no `..`).

    The name is checked before any file-system call (a NUL byte or 300 characters made the system's error,
    with the server's path in it, reach the page). Given a mapping instead of a folder (uploads), only the
    documents in it can be named: an upload cannot make the reader open a file the server's data never cites.
    """
    file = TABLES[1].file
    texts: dict[str, str] = {}
    failed: set[str] = set()
    for _, record in sources[sources["document"] != ""].iterrows():
        name = record["document"]
        path = None
        if not _is_document_name(name):
            message = (f"document {name[:80]!r} must be a path inside seeds/ (letters, digits, _ . - and /, "
                       f"at most {MAX_DOCUMENT_NAME} characters)")
        elif name in pending:
            texts[name] = pending[name]
            continue
        elif isinstance(documents_in, Mapping):
            if name in documents_in:
                texts[name] = documents_in[name]
                continue
            message = f"document {name!r} is not one of the stored documents this data may cite"
        elif documents_in is None:
            message = f"document {name!r} cannot be checked: no seeds folder for this data"
        elif not (path := (documents_in / name).resolve()).is_relative_to(documents_in.resolve()):
            message = f"document {name!r} must be a path inside seeds/"
        elif not path.is_file():
            message = f"document {name!r} not found in seeds/"
        else:
            try:
                texts[name] = texts.get(name) or path.read_text(encoding="utf-8")
                continue
            except UnicodeDecodeError:
                message = f"document {name!r} is not UTF-8 text"
            except OSError as error:  # the system's words may name server paths: keep only its reason
                message = f"document {name!r} cannot be read ({error.strerror or 'error'})"
        problems.append(Problem(file, int(record["row"]), "document", message, "document"))
        failed.add(record["id"])
    return _Documents(texts, failed)


def _check_quotes(evidence: pd.DataFrame, sources: pd.DataFrame, texts: Mapping[str, str],
                  problems: list[Problem]) -> pd.DataFrame:
    """A quote whose source has a stored document must appear in it verbatim."""
    file = TABLES[3].file
    document_of = sources["document"]
    keep = np.ones(len(evidence), dtype=bool)
    stored = evidence["source"].map(document_of).fillna("") != ""
    for position in np.flatnonzero(stored.to_numpy()):
        record = evidence.iloc[position]
        document = document_of[record["source"]]
        if record["quote"] not in texts.get(document, ""):
            problems.append(Problem(file, int(record["row"]), "quote",
                                    f"quote not found verbatim in {document}: {record['quote'][:60]!r}",
                                    "quote_not_verbatim"))
            keep[position] = False
    checked = evidence[keep].copy()
    checked.loc[checked["stance"] == "", "stance"] = "supports"
    return checked


def _drop_relations_without_evidence(relations: pd.DataFrame, all_evidence: pd.DataFrame,
                                     valid_evidence: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    lacking = ~is_in(relations.index, valid_evidence["relation"])
    cited = is_in(relations.index, all_evidence["relation"])
    for mask, why in ((lacking & cited, "relation has no valid evidence"),
                      (lacking & ~cited, "relation has no evidence")):
        _report(relations, mask, TABLES[2], "id", lambda r, why=why: f"{why} (add a row to evidence.csv)", problems,
                "no_evidence")
    return relations[~lacking]
