"""One home for the wording that recurs across the CLI, the app, the panels and exports, so it cannot drift.

Who speaks for a relation (a claimant, a party about its own act, or the source itself), how many independent
origins report it, and the order of evidence stances (read from `vocabularies.csv`). Add a sentence here when a
second place needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from explorer.tables.schema import vocabulary

OWN_REPORTING = "the source's own reporting"
NOT_REPORTED = "no outlet reports it in its own voice"
ORIGINS_MEANING = "distinct origins reporting it as fact; outlets relaying one wire or source count once"


def capital(text: str) -> str:
    """The first letter upper case, the rest untouched (names keep their own case), to open a sentence.

    >>> capital("claimed by IRAF")
    'Claimed by IRAF'
    """
    return text[:1].upper() + text[1:]


def stances() -> tuple[str, ...]:
    """Evidence stances in the vocabulary's order: the columns of every evidence panel.

    >>> stances()
    ('supports', 'qualifies', 'disputes')
    """
    return tuple(vocabulary("stance"))


def claimed_by(names: Iterable[str], only: bool = False) -> str:
    """Whose claim a relation rests on, names joined with "and"; `only` when nothing else supports it.

    >>> claimed_by(["Press TV", "IRAF"])
    'claimed by Press TV and IRAF'
    >>> claimed_by(["IRAF"], only=True)
    'claimed only by IRAF'
    """
    return f"claimed {'only ' if only else ''}by {' and '.join(names)}"


def claim_text(claimant: str, claimant_name: str = "", is_claim: bool = True) -> str:
    """Who speaks in one piece of evidence: a claimant about others, a party reporting its own act, or the source.

    >>> claim_text("", "")
    "the source's own reporting"
    >>> claim_text("iraf", "IRAF", is_claim=False)
    "IRAF's own statement about its act"
    """
    if not claimant:
        return OWN_REPORTING
    name = claimant_name or claimant
    return claimed_by([name]) if is_claim else f"{name}'s own statement about its act"


def claimants_text(claimants: Iterable[str], name: Callable[[str], str]) -> str:
    """Claimant ids in words, '' standing for the source's own reporting (an axis member's evidence).

    >>> claimants_text(["", "iraf"], str.upper)
    "the source's own reporting, IRAF"
    """
    return ", ".join(name(c) if c else OWN_REPORTING for c in claimants)


def origins_words(count: int, origins: Iterable[str] = ()) -> str:
    """How many independent origins report a relation as fact, with their names when known.

    >>> origins_words(1, ["reuters"])
    '1 independent origin (reuters)'
    >>> origins_words(2)
    '2 independent origins'
    """
    named = ", ".join(origins)
    return f"{count} independent origin{'' if count == 1 else 's'}" + (f" ({named})" if named else "")
