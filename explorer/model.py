"""Shared notions every layer speaks: partial ISO dates as day intervals, and case- and accent-free names."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import import_module

import numpy as np
import pandas as pd

# ASCII digits only: `\d` also matches Arabic-Indic or full-width digits, which `int` reads but the
# day arithmetic below (code point minus ord("0")) turns into absurd years.
PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}")
EPOCH = dt.date(1970, 1, 1)
# Day number standing for "no end yet": far beyond any real date, still an ordinary integer.
OPEN_END = 10**7


class DateError(ValueError):
    """A text that is not a partial ISO date, or names a day that does not exist."""


def whole_number(text: str) -> int:
    """An integer written in ASCII digits (at most nine): `int` alone also takes '٣' and '１０'."""
    stripped = text.strip()
    if not WHOLE_NUMBER.fullmatch(stripped):
        raise ValueError(f"not a whole number in ASCII digits: {stripped[:40]!r}")
    return int(stripped)


def day_from_number(number: int) -> dt.date:
    """The date of a day number (days since 1970-01-01: negative before 1970, so 0 never means "none")."""
    return EPOCH + dt.timedelta(days=int(number))


def day_span(start_lo: np.ndarray, start_hi: np.ndarray, end_hi: np.ndarray) -> tuple[int, int] | None:
    """First and last day a set of relations mentions (an open end is no day), or None when there are none:
    the one definition of "the data's span", since every day number, 0 and negatives included, is a real day."""
    if not len(start_lo):
        return None
    ends = end_hi[end_hi < OPEN_END]
    return int(start_lo.min()), int(max(start_hi.max(), ends.max() if len(ends) else start_hi.max()))


@lru_cache(maxsize=4096)
def partial_date_bounds(text: str) -> tuple[int, int]:
    """First and last day number of the interval a partial date names (`2025` is all of 2025). Cached: analyses
    ask for the same few "as of" dates thousands of times (once per step of play and of the look-back)."""
    lo, hi, bad = partial_date_columns(pd.Series([text], dtype=object))
    if bad[0]:
        raise DateError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits): {text!r}")
    return int(lo[0]), int(hi[0])


def partial_date_columns(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised bounds of partial dates: (first day, last day, malformed mask); empty texts are malformed."""
    series = pd.Series(texts, dtype="str", copy=False) if not isinstance(texts, pd.Series) else texts.astype("str")
    matched = series.str.fullmatch(PARTIAL_DATE.pattern).fillna(False).to_numpy(dtype=bool)
    length = series.str.len().fillna(0).to_numpy(dtype=np.int64)
    # Digits by arithmetic on UTF-32 code points: far faster than regex groups on 100k rows.
    fixed = np.where(matched, series.to_numpy(dtype=object, na_value=""), "1970-01-01").astype("U10")
    digits = fixed.view(np.uint32).reshape(-1, 10).astype(np.int64) - ord("0")
    has_month = matched & (length >= 7)
    has_day = matched & (length == 10)
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = np.where(has_month, digits[:, 5] * 10 + digits[:, 6], 1)
    day = np.where(has_day, digits[:, 8] * 10 + digits[:, 9], 1)
    bad = ~matched | (year < 1) | (month < 1) | (month > 12)
    year = np.where(bad, 1970, year)
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


def fold(text: str) -> str:
    """Case- and accent-free form of a text, same length in characters where possible: 'Türkiye' -> 'turkiye'."""
    if text.isascii():  # nothing to decompose: the common case, a hundred times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_name(text: str) -> str:
    """Key for names: case, accents and punctuation ignored, so 'Türkiye', 'TURKIYE' and 'turkiye' are one."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def listed(values: Iterable[str]) -> list[str]:
    """The items of comma-separated texts (a URL key given twice, a CLI option `a,b`), stripped, blanks dropped.

    >>> listed(["iran, israel", "", "usa"])
    ['iran', 'israel', 'usa']
    """
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def aliases_of(text: str) -> list[str]:
    """An actor's other names: the `aliases` column separates them with `|`; blanks dropped.

    >>> aliases_of("IRGC| Sepah |")
    ['IRGC', 'Sepah']
    """
    return [alias.strip() for alias in str(text).split("|") if alias.strip()]


# ---- months: 'YYYY-MM' texts (slider steps, URL values), counted as whole months since year 0 for arithmetic ----


def month_number(month: str) -> int:
    """'2021-03' -> months since year 0, so that month arithmetic is integer arithmetic ('2021' is its January).

    >>> month_number("2021-03") - month_number("2020-12")
    3
    """
    year, number = month[:4], month[5:7] or "01"
    return int(year) * 12 + int(number) - 1


def month_text(number: int) -> str:
    """Months since year 0 -> 'YYYY-MM'.

    >>> month_text(month_number("2024-12") + 1)
    '2025-01'
    """
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_of_day(day: int) -> str:
    """The month a day number falls in."""
    date = day_from_number(day)
    return month_text(date.year * 12 + date.month - 1)


def month_of(text: str, first: bool = True) -> str:
    """The month a partial date starts in (first) or ends in.

    >>> month_of("2024"), month_of("2024", first=False)
    ('2024-01', '2024-12')
    """
    lo, hi = partial_date_bounds(text)
    return month_of_day(lo if first else hi)


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every month from first to last, both included.

    >>> months_between("2024-11", "2025-02")
    ('2024-11', '2024-12', '2025-01', '2025-02')
    """
    return tuple(month_text(m) for m in range(month_number(first), month_number(last) + 1))


def lazy_names(package: str, homes: dict[str, str]) -> Callable[[str], object]:
    """A package's `__getattr__` (PEP 562) that imports each public name from its module on first use, so a
    command pays only for the modules it touches (`homes`: name -> module of the package)."""

    def load(name: str) -> object:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{homes[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return load
