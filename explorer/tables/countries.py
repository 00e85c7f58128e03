"""States recognised by name or code, through country_converter's table (the one shared place that knows them).

An imported network or an event file names states in many ways: `USA`, `US`, `usa`, `United States of America`,
`2` (the Correlates of War / Gleditsch–Ward number). `recognise` turns any of them into one `State` record with
its proper name, ISO 3166 codes and aliases, or None when the text names no state.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

import pandas as pd

from explorer.model import normalise_name


@dataclass(frozen=True)
class State:
    """A recognised state: `id` is the actor id an import gives it (its short name as a slug)."""

    id: str
    name: str
    iso3: str
    iso2: str
    cow: str  # Gleditsch–Ward number (the Correlates of War numbering for all but a few states), or ''
    aliases: tuple[str, ...]  # other names it goes by (official name first)


@functools.cache
def _table() -> tuple[pd.DataFrame, object]:
    """country_converter's own data, read as text: its loader turns Namibia's `NA` into a missing value under
    pandas 3, so the table is read here and handed to it."""
    import country_converter as coco
    from country_converter.country_converter import COUNTRY_DATA_FILE

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # "X not found" is our None, not a warning
    frame = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
    converter = coco.CountryConverter(country_data=frame, include_obsolete=True)
    return frame, converter


def _state(row: pd.Series, written: str) -> State:
    name = re.sub(r"\s*\(former\)$", "", row["name_short"])
    aliases = [a for a in (row["name_official"], written.strip()) if a and a != name and a != row["ISO3"]]
    slug = normalise_name(name).replace(" ", "_")
    iso2 = re.findall(r"[A-Z]{2}", row["ISO2"])[0]  # "^GB$|^UK$": the first is the ISO code
    return State(slug, name, row["ISO3"], iso2, row["GWcode"], tuple(dict.fromkeys(aliases)))


def current_states() -> list[State]:
    """Every state of the table that still exists (not the obsolete ones), in its order: e.g. the state actors of a
    generated many-states data folder, each with the ISO-3 code its events carry."""
    frame, _ = _table()
    return [_state(row, row["name_short"]) for _, row in frame[frame["obsolete"] == ""].iterrows()]


@functools.cache
def recognise(text: str) -> State | None:
    """The state `text` names (ISO 3166 alpha-2 or alpha-3 code, a name in one of its usual spellings, or a
    COW/Gleditsch–Ward number), else None; a text that could be two states is None too."""
    written = str(text).strip()
    if not written or len(written) > 80:
        return None
    frame, converter = _table()
    key = written.casefold()
    if written.isdigit():
        found = frame[frame["GWcode"] == str(int(written))]
    elif len(written) == 2 and written.isalpha():  # the ISO2 column holds a pattern where a state has two (GB, UK)
        found = frame[[re.fullmatch(code, written, re.IGNORECASE) is not None for code in frame["ISO2"]]]
    elif len(written) == 3 and written.isalpha() and (frame["ISO3"].str.casefold() == key).any():
        found = frame[frame["ISO3"].str.casefold() == key]
    else:
        iso3 = converter.convert(written, src="regex", to="ISO3", not_found=None)  # type: ignore[attr-defined]
        if not isinstance(iso3, str):
            return None  # no match, or several
        found = frame[frame["ISO3"] == iso3]
    return _state(found.iloc[0], written) if len(found) == 1 else None
