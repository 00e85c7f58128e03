"""Signed view of a filtered graph: one weight per actor pair (blocs and balance live in `blocs.py`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.graph.filters import View
from explorer.graph.index import Index, distinct_per_owner

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


def relation_weights(index: Index, view: View) -> np.ndarray:
    """Signed weight of each view relation: polarity x confidence x sqrt(independent supporting outlets)."""
    positions = np.asarray(view.relations)
    evidence, owner = view.kept_evidence(index, positions)
    supporting = index.evidence_supports[evidence]
    outlets = distinct_per_owner(owner[supporting], index.evidence_outlet[evidence[supporting]], len(positions))
    confidence = np.vectorize(CONFIDENCE_WEIGHT.get, otypes=[float])(index.confidence[positions]) if len(
        positions) else np.empty(0)
    return index.polarity[positions] * confidence * np.sqrt(np.maximum(outlets, 1))


def signed_ties(index: Index, view: View) -> list[Tie]:
    """One tie per actor pair in the view, in a stable order; pairs whose weights cancel have weight 0."""
    positions = np.asarray(view.relations)
    if len(positions) == 0:
        return []
    sources, targets = index.actor_ids[index.source_code[positions]], index.actor_ids[index.target_code[positions]]
    first = sources.astype(str) < targets.astype(str)
    ids_a, ids_b = np.where(first, sources, targets), np.where(first, targets, sources)
    frame = pd.DataFrame({"a": ids_a, "b": ids_b, "w": relation_weights(index, view),
                          "relation": index.relation_ids[positions]})
    grouped = frame.groupby(["a", "b"], sort=True).agg(w=("w", "sum"), relations=("relation", tuple))
    return [Tie(str(a), str(b), round(float(w), 6), tuple(r)) for (a, b), w, r in
            zip(grouped.index, grouped["w"], grouped["relations"], strict=True)]
