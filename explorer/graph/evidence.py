"""What a view says about its relations: the table of visible relations and each relation's evidence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.graph.filters import View
from explorer.graph.index import Index, distinct_per_owner


@dataclass(frozen=True)
class EvidenceItem:
    quote: str
    source: str
    outlet: str
    title: str
    url: str
    published: str
    document: str
    claimed_by: str  # actor id or ''
    claimed_by_name: str
    stance: str


@dataclass(frozen=True)
class RelationDetail:
    id: str
    source: str
    source_name: str
    target: str
    target_name: str
    type: str
    polarity: int
    start: str
    end: str
    confidence: str
    summary: str
    evidence: tuple[EvidenceItem, ...]
    independent_sources: int  # distinct outlets among supporting evidence
    perspectives: int  # distinct voices: claimant's country, claimant, or outlet

    @property
    def single_perspective(self) -> bool:
        return self.perspectives < 2


def relation_detail(index: Index, view: View, relation_id: str) -> RelationDetail | None:
    """A relation with the evidence the view keeps for it; None when the view does not show it."""
    position = index.relation_position.get(relation_id)
    if position is None or not np.isin(position, view.relations):
        return None
    dataset = index.dataset
    relation = dataset.relations.loc[relation_id]
    evidence, _ = view.kept_evidence(index, np.array([position]))
    rows = dataset.evidence.iloc[evidence]
    sources = dataset.sources.loc[rows["source"]]
    names = dataset.actors["name"]
    items = tuple(
        EvidenceItem(quote=e["quote"], source=e["source"], outlet=s["outlet"], title=s["title"], url=s["url"],
                     published=s["published"], document=s["document"], claimed_by=e["claimed_by"],
                     claimed_by_name=str(names.get(e["claimed_by"], "")) if e["claimed_by"] else "",
                     stance=e["stance"])
        for (_, e), (_, s) in zip(rows.iterrows(), sources.iterrows(), strict=True)
    )
    supporting = index.evidence_supports[evidence]
    return RelationDetail(
        id=relation_id, source=relation["source"], source_name=str(names[relation["source"]]),
        target=relation["target"], target_name=str(names[relation["target"]]), type=relation["type"],
        polarity=int(relation["polarity"]), start=relation["start"], end=relation["end"],
        confidence=relation["confidence"], summary=relation["summary"], evidence=items,
        independent_sources=len(set(index.evidence_outlet[evidence[supporting]])),
        perspectives=len(set(index.evidence_perspective[evidence])),
    )


def relations_table(index: Index, view: View) -> pd.DataFrame:
    """The visible relations, one row each, with evidence counts: the accessible twin of the graph."""
    positions = np.asarray(view.relations)
    relations = index.dataset.relations.iloc[positions]
    names = index.dataset.actors["name"]
    evidence, owner = view.kept_evidence(index, positions)
    counts = np.bincount(owner, minlength=len(positions))
    supporting = index.evidence_supports[evidence]
    # The same counts as the evidence panel and the min-sources filter: outlets that support it, voices of all.
    outlets = distinct_per_owner(owner[supporting], index.evidence_outlet[evidence[supporting]], len(positions))
    perspectives = distinct_per_owner(owner, index.evidence_perspective[evidence], len(positions))
    return pd.DataFrame({
        "id": relations.index.to_numpy(),
        "source": relations["source"].map(names).to_numpy(),
        "target": relations["target"].map(names).to_numpy(),
        "type": relations["type"].to_numpy(),
        "polarity": relations["polarity"].astype(int).to_numpy(),
        "start": relations["start"].to_numpy(),
        "end": relations["end"].to_numpy(),
        "confidence": relations["confidence"].to_numpy(),
        "evidence": counts,
        "sources": outlets,
        "single_perspective": perspectives < 2,
    })


def claimants_of(index: Index, view: View, relation_ids: tuple[str, ...]) -> tuple[str, ...]:
    """Whose claims support these relations: claimant ids, '' standing for a source's own reporting."""
    positions = np.array([index.relation_position[r] for r in relation_ids], dtype=np.int64)
    evidence, _ = view.kept_evidence(index, positions)
    return tuple(sorted(set(index.evidence_claimant[evidence])))
