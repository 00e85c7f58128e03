"""Records and partial ISO dates: the vocabulary every other layer speaks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EPOCH = dt.date(1970, 1, 1)
# Day number standing for "no end yet": far beyond any real date, still an ordinary integer.
OPEN_END = 10**7


class DateError(ValueError):
    """A text that is not a partial ISO date, or names a day that does not exist."""


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: dates compare as plain integers in vectorised filters."""
    return (day - EPOCH).days


def day_from_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


def partial_date_bounds(text: str) -> tuple[int, int]:
    """First and last day number of the interval a partial date names (`2025` is all of 2025)."""
    lo, hi, bad = partial_date_columns(pd.Series([text], dtype=object))
    if bad[0]:
        raise DateError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    return int(lo[0]), int(hi[0])


def partial_date_columns(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised bounds of partial dates: (first day, last day, malformed mask); empty texts are malformed."""
    parts = texts.astype(str).str.extract(PARTIAL_DATE.pattern)
    matched = parts[0].notna().to_numpy()
    year = pd.to_numeric(parts[0], errors="coerce").fillna(1970).to_numpy(dtype=np.int64)
    has_month = parts[1].notna().to_numpy()
    has_day = parts[2].notna().to_numpy()
    month = pd.to_numeric(parts[1], errors="coerce").fillna(1).to_numpy(dtype=np.int64)
    day = pd.to_numeric(parts[2], errors="coerce").fillna(1).to_numpy(dtype=np.int64)
    bad = ~matched | (year < 1) | (month < 1) | (month > 12)
    month = np.where(bad, 1, month)
    months = (year - 1970) * 12 + (month - 1)
    first_of_month = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    first_of_next = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    bad |= has_day & ((day < 1) | (day > first_of_next - first_of_month))
    year_start = ((year - 1970) * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    year_end = ((year - 1969) * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - 1
    lo = np.where(has_day, first_of_month + day - 1, np.where(has_month, first_of_month, year_start))
    hi = np.where(has_day, lo, np.where(has_month, first_of_next - 1, year_end))
    return lo, hi, bad


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str
    aliases: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Relation:
    id: str
    source: str
    target: str
    type: str
    polarity: int
    start: str
    end: str
    confidence: str
    summary: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    outlet: str
    url: str
    published: str
    document: str


@dataclass(frozen=True)
class Evidence:
    relation: str
    source: str
    quote: str
    claimed_by: str
    stance: str
