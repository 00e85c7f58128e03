"""The time rule, written once: states hold from start to end, events count for a look-back window after their date.

Every "as of" question in the app, the CLI and the browser's play control goes through `activity` (or the
`active_from` / `active_until` arrays it is built from), so they agree on what is in force on a day:

- A **state** (alliance, membership, cooperation agreement; `holds = state` in the vocabulary) holds from its
  start to its end; an empty end means it still holds.
- An **event** (attack, exercise, visit, statement; `holds = event`) happens on its date and counts in the
  analysis for a look-back window after it (default 12 months), its weight decaying linearly, exponentially
  or not at all. After the window it no longer counts; it is never "still holding".
- A **partial date** covers its whole period for display (`2023` is all of 2023), but the "as of" test is
  conservative: a start counts from the *last* day its period names (a relation starting `2023` is in force as
  of 2023-12-31, not 2023-01-01) and an end from the *first* day (ending `2024-08` means gone by 2024-08-01).
  An "as of" date that is itself partial means the last day of its period ("as of 2025-07" = 2025-07-31).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.model import partial_date_bounds
from explorer.tables.schema import vocabulary

DECAYS = tuple(vocabulary("decay"))  # linear, exponential, none
DEFAULT_LOOKBACK_MONTHS = 12
MAX_LOOKBACK_MONTHS = 240
DAYS_PER_MONTH = 365.25 / 12
HALVINGS_PER_WINDOW = 4  # exponential decay halves the weight every quarter of the window


@dataclass(frozen=True)
class TimeRule:
    """How long an event counts after its date, and how its weight fades meanwhile."""

    lookback_months: int = DEFAULT_LOOKBACK_MONTHS
    decay: str = "linear"

    @property
    def lookback_days(self) -> int:
        return max(1, round(self.lookback_months * DAYS_PER_MONTH))

    def describe(self) -> str:
        fade = {"linear": "fading linearly", "exponential": "halving every quarter of it",
                "none": "at full weight"}[self.decay]
        return f"events count for {self.lookback_months} months after their date, {fade}; states until they end"


def as_of_day(text: str) -> int:
    """Day number an "as of" date stands for: the last day of the period it names."""
    return partial_date_bounds(text)[1]


def active_until(is_event: np.ndarray, start_hi: np.ndarray, end_lo: np.ndarray, rule: TimeRule) -> np.ndarray:
    """Last day each relation counts: an event's window end, a state's end (first day of its end period)."""
    return np.where(is_event, start_hi + rule.lookback_days - 1, end_lo)


def activity(is_event: np.ndarray, start_hi: np.ndarray, end_lo: np.ndarray, day: int,
             rule: TimeRule) -> np.ndarray:
    """Weight in [0, 1] of each relation as of `day`: 0 when not yet begun, ended, or an event past its window."""
    in_force = (start_hi <= day) & (day <= active_until(is_event, start_hi, end_lo, rule))
    age = (day - start_hi).astype(float)
    if rule.decay == "linear":
        fade = 1.0 - age / rule.lookback_days
    elif rule.decay == "exponential":
        fade = 0.5 ** (HALVINGS_PER_WINDOW * age / rule.lookback_days)
    else:
        fade = np.ones(len(age))
    return np.where(in_force, np.where(is_event, fade, 1.0), 0.0)
