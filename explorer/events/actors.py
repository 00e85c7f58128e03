"""Which of our actors an event's actor code stands for: country codes through the curated actors' `country`
column, known groups and codes that changed hands through an editable table with date ranges.

The table is `events/actors.csv` in the data folder when it has one, else the copy shipped beside this module:
`code,actor,from,until,note`. A code is a CAMEO known-group code (`TAL`), a country code (`AFG`) or, for ICEWS and
POLECAT, an actor's name (`Taliban`). `from` and `until` are partial ISO dates, both inclusive and optional, so a
code can change hands: `AFG` is the Islamic Republic's until 2021-08-14 and the Taliban's from 2021-08-15.

A country code the table does not name maps to the one state (or de facto government) of the curated actors
whose `country` it is; a country with two such actors must be named in the table, or its events stay unmapped.
An event side maps by its known group first, then by its country.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.model import OPEN_END, DateError, day_from_number, partial_date_bounds
from explorer.tables.load import Problem

MAPPING_FILE = "actors.csv"
MAPPING_COLUMNS = ("code", "actor", "from", "until", "note")
SHIPPED = Path(__file__).resolve().parent / MAPPING_FILE
STATE_KINDS = ("state", "de_facto_government")
FIRST_DAY = -(10**6)  # day number before any event


@dataclass(frozen=True)
class CodeMapping:
    """`code` stands for `actor` from day `first` to day `last` (day numbers, both inclusive)."""

    code: str
    actor: str
    first: int
    last: int
    origin: str  # where the row comes from: `events/actors.csv:3` or `actors.csv (country)`


def mapping_file(data_dir: str | os.PathLike | None) -> Path:
    """The data folder's own `events/actors.csv` when it has one, else the shipped table."""
    own = Path(data_dir) / "events" / MAPPING_FILE if data_dir is not None else None
    return own if own is not None and own.is_file() else SHIPPED


def read_mapping(actors: pd.DataFrame, path: Path) -> tuple[list[CodeMapping], list[Problem]]:
    """The code table's rows and the curated countries' defaults; problems name file, row and column."""
    label = f"events/{MAPPING_FILE}" if path != SHIPPED else f"explorer/events/{MAPPING_FILE}"
    problems: list[Problem] = []
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        return [], [Problem(label, 0, "", f"cannot be read: {error}", "unparsable")]
    missing = [c for c in MAPPING_COLUMNS[:4] if c not in table.columns]
    if missing:
        return [], [Problem(label, 1, c, "missing column", "column_not_in_dataframe") for c in missing]
    known = set(actors.index)
    rows: list[CodeMapping] = []
    for number, row in enumerate(table[list(MAPPING_COLUMNS[:4])].itertuples(index=False, name=None), start=2):
        code, actor, start, end = (str(value).strip() for value in row)
        if not code:
            problems.append(Problem(label, number, "code", "empty", "series_contains_nulls"))
            continue
        if actor not in known:
            problems.append(Problem(label, number, "actor", f"no actor {actor!r} in actors.csv", "isin"))
            continue
        try:
            first = partial_date_bounds(start)[0] if start else FIRST_DAY
        except DateError as error:
            problems.append(Problem(label, number, "from", str(error), "partial_date"))
            continue
        try:
            last = partial_date_bounds(end)[1] if end else OPEN_END
        except DateError as error:
            problems.append(Problem(label, number, "until", str(error), "partial_date"))
            continue
        if last < first:
            problems.append(Problem(label, number, "until", f"{end} is before {start}", "ends_before_start"))
            continue
        clash = next((r for r in rows if r.code == code and r.first <= last and first <= r.last), None)
        if clash is not None:
            problems.append(Problem(label, number, "from", f"{code} already stands for {clash.actor} on some of "
                                                           f"these days ({clash.origin})",
                                    "overlapping_mapping"))
            continue
        rows.append(CodeMapping(code, actor, first, last, f"{label}:{number}"))
    named = {r.code for r in rows}
    states = actors[actors["kind"].isin(STATE_KINDS) & (actors["country"].astype(str) != "")]
    for country, group in states.groupby("country"):
        if country not in named and len(group) == 1:
            rows.append(CodeMapping(str(country), str(group.index[0]), FIRST_DAY, OPEN_END, "actors.csv (country)"))
    return rows, problems


def mapping_frame(rows: list[CodeMapping]) -> pd.DataFrame:
    """The mapping as a table for the query engine: code, actor, first and last day as dates."""
    lowest, highest = day_from_number(-719162), day_from_number(2932896)  # 0001-01-01, 9999-12-31
    clip = lambda day: lowest if day <= FIRST_DAY else highest if day >= OPEN_END else day_from_number(day)  # noqa: E731
    return pd.DataFrame({"code": [r.code for r in rows], "actor": [r.actor for r in rows],
                         "first_day": pd.to_datetime([clip(r.first) for r in rows]).astype("datetime64[s]"),
                         "last_day": pd.to_datetime([clip(r.last) for r in rows]).astype("datetime64[s]")},
                        columns=["code", "actor", "first_day", "last_day"])
