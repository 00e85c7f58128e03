"""The four curated tables described as data: files, columns, what each value must be."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

CheckKind = Literal["id", "text", "vocab", "date", "url", "country", "ref", "document", "weight"]


@dataclass(frozen=True)
class Column:
    name: str
    check: CheckKind = "text"
    required: bool = False  # the value may not be empty
    vocabulary: str = ""  # for check == "vocab"
    refers_to: str = ""  # table name, for check == "ref"
    optional_column: bool = False  # the column itself may be missing from the file
    omitted_when_empty: bool = False  # not written back when every row leaves it empty (files without it stay so)


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    columns: tuple[Column, ...]
    key: str = ""  # the unique id column, if any

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def derived_columns(self) -> list[str]:
        """Columns the loader adds (spreadsheet row, day numbers of dates, positions of references); never
        written back."""
        dates = [c.name for c in self.columns if c.check == "date"]
        return ["row", *(f"{d}_{edge}" for d in dates for edge in ("lo", "hi")), *self.position_columns]

    @property
    def position_columns(self) -> list[str]:
        """`<ref>_at`: the row position, in the loaded table it refers to, of each reference (-1: none)."""
        return [f"{c.name}_at" for c in self.columns if c.check == "ref"]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.optional_column]


ACTORS = Table("actors", "actors.csv", key="id", columns=(
    Column("id", "id", required=True),
    Column("name", required=True),
    Column("kind", "vocab", required=True, vocabulary="kind"),
    Column("country", "country"),
    Column("aliases"),
    Column("description"),
    Column("represents", "ref", refers_to="actors", optional_column=True),
))
SOURCES = Table("sources", "sources.csv", key="id", columns=(
    Column("id", "id", required=True),
    Column("title"),
    Column("outlet", required=True),
    Column("url", "url", required=True),
    Column("published", "date"),
    Column("document", "document"),
    Column("note", optional_column=True),
    Column("via", optional_column=True),
    Column("country", "country", optional_column=True),
))
RELATIONS = Table("relations", "relations.csv", key="id", columns=(
    Column("id", "id", required=True),
    Column("source", "ref", required=True, refers_to="actors"),
    Column("target", "ref", required=True, refers_to="actors"),
    Column("type", "vocab", required=True, vocabulary="type"),
    Column("polarity", "vocab", required=True, vocabulary="polarity"),
    Column("start", "date", required=True),
    Column("end", "date"),
    Column("confidence", "vocab", required=True, vocabulary="confidence"),
    Column("summary", required=True),
    # the size of an imported signed weight (|-3| = 3); empty: 1
    Column("weight", "weight", optional_column=True, omitted_when_empty=True),
))
EVIDENCE = Table("evidence", "evidence.csv", columns=(
    Column("relation", "ref", required=True, refers_to="relations"),
    Column("source", "ref", required=True, refers_to="sources"),
    Column("quote", required=True),
    Column("claimed_by", "ref", refers_to="actors"),
    Column("stance", "vocab", vocabulary="stance", optional_column=True),
))
# Load order matters: a table may only refer to tables before it.
TABLES: tuple[Table, ...] = (ACTORS, SOURCES, RELATIONS, EVIDENCE)


@dataclass(frozen=True)
class Term:
    vocabulary: str
    value: str
    label: str
    colour: str
    shape: str
    rank: str
    description: str
    role: str = ""  # kinds: aligner, voice or venue
    holds: str = ""  # relation types: state or event (the time rule)


def package_table(file: str) -> list[dict[str, str]]:
    """Rows of a CSV shipped inside the package (vocabularies, cue words): data, not code."""
    text = resources.files("explorer.tables").joinpath(file).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def vocabulary_terms() -> tuple[Term, ...]:
    """Every allowed value of every vocabulary, from the one CSV that defines them."""
    return tuple(Term(**row) for row in package_table("vocabularies.csv"))


def vocabulary(name: str) -> dict[str, Term]:
    """The terms of one vocabulary keyed by value, in file order."""
    return {t.value: t for t in vocabulary_terms() if t.vocabulary == name}


def event_types() -> frozenset[str]:
    """Relation types that happen on a date (attack, exercise, visit, statement) rather than hold over time."""
    return frozenset(value for value, term in vocabulary("type").items() if term.holds == "event")


def kind_roles() -> dict[str, str]:
    """Actor kind -> role: `aligner` takes sides, `voice` speaks about others, `venue` is where others meet."""
    return {value: term.role for value, term in vocabulary("kind").items()}
