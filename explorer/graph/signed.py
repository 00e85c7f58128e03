"""Signed view of a filtered graph: one weight per actor pair (blocs and balance live in `blocs.py`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.graph.filters import View, analysis_day, independent_origins
from explorer.graph.index import Index
from explorer.graph.timerule import activity
from explorer.model import day_from_number

CONFIDENCE_WEIGHT = {1: 0.5, 2: 1.0, 3: 1.5}  # rank -> weight: low, medium, high


@dataclass(frozen=True)
class Tie:
    """All relations between two actors collapsed to one signed weight (a < b)."""

    a: str
    b: str
    weight: float
    relations: tuple[str, ...]

    @property
    def sign(self) -> int:
        return (self.weight > 0) - (self.weight < 0)

    def as_dict(self) -> dict:
        """The tie as JSON values, as every analysis (blocs, axis, paths) reports it.

        >>> Tie("iran", "israel", -1.5, ("r1",)).as_dict()
        {'a': 'iran', 'b': 'israel', 'weight': -1.5, 'relations': ['r1']}
        """
        return {"a": self.a, "b": self.b, "weight": self.weight, "relations": list(self.relations)}


def aligner_codes(index: Index, organisations: bool = False) -> np.ndarray:
    """Actor code -> the code of the aligner it counts for, or -1: aligners count for themselves, a person (or
    other voice) for the actor it `represents` when that one takes sides, media and venues for no one."""
    takes_sides = index.actor_role == "aligner"
    if organisations:
        takes_sides = takes_sides | (index.actor_kind == "organisation")
    codes = np.arange(len(index.actor_ids))
    represented = index.actor_represents
    speaks_for = (represented >= 0) & takes_sides[np.maximum(represented, 0)]
    return np.where(takes_sides, codes, np.where(speaks_for, represented, -1))


def aligned_actors(index: Index, view: View) -> tuple[str, ...]:
    """The view's actors that can sit in a bloc: voices and venues never do."""
    counts_for = aligner_codes(index, view.filter.organisations)
    return tuple(a for a in view.actors if counts_for[index.actor_code[a]] == index.actor_code[a])


def relation_weights(index: Index, view: View) -> np.ndarray:
    """Signed weight of each view relation as of the view's analysis day: polarity x confidence x
    sqrt(independent origins) x the time rule's activity (0 for relations not in force that day) x the relation's
    own weight (an imported signed weight's size, 1 when the tables give none)."""
    positions = np.asarray(view.relations)
    evidence, owner = view.kept_evidence(index, positions)
    origins = independent_origins(index, evidence, owner, len(positions))
    confidence = np.vectorize(CONFIDENCE_WEIGHT.get, otypes=[float])(index.confidence[positions]) if len(
        positions) else np.empty(0)
    active = activity(index.is_event[positions], index.start_hi[positions], index.end_lo[positions],
                      analysis_day(index, view.filter), view.filter.time_rule)
    size = index.magnitude[positions] if index.magnitude is not None else 1.0
    return index.polarity[positions] * confidence * np.sqrt(np.maximum(origins, 1)) * active * size


def signed_ties(index: Index, view: View) -> list[Tie]:
    """One tie per pair of aligners in the view, in a stable order; pairs whose weights cancel have weight 0.

    Roles: ties between voices or venues are left out, a person's ties count for the actor it represents,
    memberships of the same venue are never summed as alignment. Time: only relations in force on the view's
    analysis day count, events with their decayed weight (see `explorer.graph.timerule`)."""
    positions = np.asarray(view.relations)
    if len(positions) == 0:
        return []
    counts_for = aligner_codes(index, view.filter.organisations)
    source_codes, target_codes = counts_for[index.source_code[positions]], counts_for[index.target_code[positions]]
    weights = relation_weights(index, view)
    active = activity(index.is_event[positions], index.start_hi[positions], index.end_lo[positions],
                      analysis_day(index, view.filter), view.filter.time_rule) > 0
    keep = (source_codes >= 0) & (target_codes >= 0) & (source_codes != target_codes) & active
    if not keep.any():
        return []
    sources = index.actor_ids[source_codes[keep]].astype(str)
    targets = index.actor_ids[target_codes[keep]].astype(str)
    first = sources < targets
    a, b = np.where(first, sources, targets), np.where(first, targets, sources)
    # Grouped by pair with numpy, not a pandas groupby: play and the look-back history call this once per month,
    # and the groupby's fixed cost was most of it. A stable sort keeps the view's order within a pair.
    order = np.lexsort((b, a))
    a, b, w = a[order], b[order], weights[keep][order]
    relations = index.relation_ids[positions[keep][order]].tolist()
    starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]).tolist()
    return [Tie(str(a[s]), str(b[s]), round(math.fsum(w[s:e]), 6) + 0.0, tuple(relations[s:e]))  # + 0.0: no -0
            for s, e in zip(starts, [*starts[1:], len(a)], strict=True)]


@dataclass(frozen=True)
class Empty:
    """Why an analysis has nothing to work on: a sentence, and the view's actors counted by role and kind."""

    reason: str
    counts: dict[str, dict[str, int]]  # role -> kind -> actors

    def as_dict(self) -> dict:
        return {"status": "empty", "reason": self.reason, "actors_by_role": self.counts}


def empty_reason(index: Index, view: View, ties: list[Tie] | None = None) -> Empty | None:
    """None when the view has a signed tie between actors that take sides; else why not, in one sentence with
    the counts by role, so an empty answer is reported as empty, never as a result ("optimal", "no axis")."""
    ties = signed_ties(index, view) if ties is None else ties
    if any(t.sign for t in ties):
        return None
    counts_for = aligner_codes(index, view.filter.organisations)
    counts: dict[str, dict[str, int]] = {}
    for actor in view.actors:
        code = index.actor_code[actor]
        role = "aligner" if counts_for[code] == code else str(index.actor_role[code])
        kinds = counts.setdefault(role, {})
        kinds[str(index.actor_kind[code])] = kinds.get(str(index.actor_kind[code]), 0) + 1
    def part(role: str, one: str, many: str) -> str:
        kinds = counts.get(role, {})
        total = sum(kinds.values())
        listed = (f"kind {next(iter(kinds)).replace('_', ' ')}" if len(kinds) == 1 else
                  ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(kinds.items())))
        return f"{total} {one if total == 1 else many} ({listed})" if total else ""
    said = [p for p in (part("venue", "is a venue", "are venues"), part("voice", "is a voice", "are voices"),
                        part("aligner", "takes sides", "take sides")) if p]
    day = analysis_day(index, view.filter)
    if not view.actors:
        reason = "no ties between actors that take sides: the view has no actors (widen the filter)"
    elif counts.get("aligner") and len(view.relations):
        reason = (f"no ties between actors that take sides in force as of {day_from_number(day).isoformat()}: of "
                  f"{len(view.actors)} actors, {'; '.join(said)}; choose another date or widen the filter")
    elif counts.get("aligner"):
        reason = (f"no ties between actors that take sides: of {len(view.actors)} actors, {'; '.join(said)}; "
                  "the view has no relations between them")
    else:
        hint = "set their kind (import --kind or a kind column)"
        if counts.get("venue", {}).get("organisation"):
            hint += " or use --organisations 1"
        reason = f"no ties between actors that take sides: {len(view.actors)} actors, {'; '.join(said)}; {hint}"
    return Empty(reason, counts)
