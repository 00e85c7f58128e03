"""Where a new user starts: the data set in one sentence, the questions it was built to answer, and the pairs of
actors whose evidence pulls both ways."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.graph.signed import Tie, relation_weights, signed_ties
from explorer.model import day_from_number

QUESTIONS_FILE = "questions.csv"  # optional, beside the four tables: question,members,target (members "a|b|c")


@dataclass(frozen=True)
class Question:
    """A question the data set was built to answer, as a Check axis: should `members` line up against `target`?"""

    text: str
    members: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class ContestedTie:
    """A pair whose relations in force point both ways: `cooperative` and `adversarial` are the sums of their
    positive and (the size of) their negative signed weights; the smaller of the two is how contested it is."""

    tie: Tie
    cooperative: float
    adversarial: float

    @property
    def contest(self) -> float:
        return min(self.cooperative, self.adversarial)


def headline(index: Index) -> str:
    """The data set in one line: how many actors, relations and sources, over which months."""
    dataset = index.dataset
    span = ""
    if index.relation_count:
        first = day_from_number(int(index.start_lo.min())).strftime("%Y-%m")
        last = day_from_number(index.last_day).strftime("%Y-%m")
        span = f", {first} to {last}"
    return (f"{len(dataset.actors):,} actors, {index.relation_count:,} relations, "
            f"{len(dataset.sources):,} sources{span}")


def questions(index: Index) -> tuple[Question, ...]:
    """The data folder's own questions (`questions.csv`), those whose actors are all in the data; none when the
    folder has no such file (an uploaded or imported data set)."""
    folder = index.dataset.folder
    path = Path(folder) / QUESTIONS_FILE if folder is not None else None
    if path is None or not path.is_file():
        return ()
    found = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members = tuple(m.strip() for m in (row.get("members") or "").split("|") if m.strip())
            target = (row.get("target") or "").strip()
            text = (row.get("question") or "").strip()
            if text and members and all(a in index.actor_code for a in (*members, target)):
                found.append(Question(text, members, target))
    return tuple(found)


def contested_ties(index: Index, view: View, limit: int = 3) -> list[ContestedTie]:
    """The pairs of aligners whose relations in force on the view's day pull most both ways (cooperative and
    adversarial weight both large), most contested first: where the question "which side?" is open."""
    weights = dict(zip(index.relation_ids[np.asarray(view.relations)], relation_weights(index, view), strict=True))
    found = []
    for tie in signed_ties(index, view):
        signed = [float(weights[r]) for r in tie.relations]
        cooperative, adversarial = sum(w for w in signed if w > 0), -sum(w for w in signed if w < 0)
        if cooperative > 0 and adversarial > 0:
            found.append(ContestedTie(tie, round(cooperative, 6), round(adversarial, 6)))
    found.sort(key=lambda c: (-c.contest, c.tie.a, c.tie.b))
    return found[:limit]
