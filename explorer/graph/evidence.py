"""What a view says about its relations: the table of visible relations and each relation's evidence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.graph.filters import View, independent_origins, one_side
from explorer.graph.index import Index, gather
from explorer.tables.words import NOT_REPORTED, ORIGINS_MEANING, capital, claimed_by, origins_words

ONE_SIDE, ONE_SOURCE, SEVERAL = "one side", "one source", "several origins"
CLAIMS_ONLY = "claims only"


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
    is_claim: bool = False  # a party's word about others, not the outlet's own report of an act
    via: str = ""  # what the outlet relays (wire copy, "citing ..."): its origin
    note: str = ""  # the source's caveat (e.g. the seed's dating problem)


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
    independent_origins: int  # distinct origins among supporting evidence reported as fact
    origins: tuple[str, ...]  # those origins (an outlet, or what it relays)
    perspective: str  # ONE_SIDE, ONE_SOURCE, SEVERAL or CLAIMS_ONLY
    perspective_note: str  # the perspective in one line, for the panel
    claimed_only_by: tuple[str, ...]  # claimant names when only claims support it (drawn "claimed by X")

    @property
    def single_perspective(self) -> bool:
        return self.perspective == ONE_SIDE

    @property
    def claim_label(self) -> str:
        """'claimed by X' when the relation rests on claims alone, else ''."""
        return claimed_by(self.claimed_only_by) if self.claimed_only_by else ""


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
    notes = dataset.sources["note"]
    items = tuple(
        EvidenceItem(quote=e["quote"], source=e["source"], outlet=s["outlet"], title=s["title"], url=s["url"],
                     published=s["published"], document=s["document"], claimed_by=e["claimed_by"],
                     claimed_by_name=str(names.get(e["claimed_by"], "")) if e["claimed_by"] else "",
                     stance=e["stance"], is_claim=bool(claim), via=s["via"], note=str(notes.get(e["source"], "")))
        for (_, e), (_, s), claim in zip(rows.iterrows(), sources.iterrows(), index.evidence_is_claim[evidence],
                                         strict=True)
    )
    owner = np.zeros(len(evidence), dtype=np.int64)
    reported = index.evidence_supports[evidence] & ~index.evidence_is_claim[evidence]
    origins = tuple(sorted(set(index.evidence_origin[evidence[reported]])))
    claimants = claimed_only_by(index, evidence, owner, 1)[0]
    perspective = perspective_of(index, np.array([position]), evidence, owner)[0]
    sides = set(index.evidence_side[evidence[index.evidence_supports[evidence]]])
    party = next((str(names[actor]) for actor in (relation["source"], relation["target"])
                  if index.actor_side[index.actor_code[actor]] in sides), "")
    return RelationDetail(
        id=relation_id, source=relation["source"], source_name=str(names[relation["source"]]),
        target=relation["target"], target_name=str(names[relation["target"]]), type=relation["type"],
        polarity=int(relation["polarity"]), start=relation["start"], end=relation["end"],
        confidence=relation["confidence"], summary=relation["summary"], evidence=items,
        independent_origins=len(origins), origins=tuple(o.removeprefix("via:") for o in origins),
        perspective=perspective,
        perspective_note=perspective_note(perspective, len(origins), [str(names.get(c, c)) for c in claimants],
                                          party),
        claimed_only_by=tuple(str(names.get(c, c)) for c in claimants),
    )


def relation_brief(index: Index, view: View, relation_id: str) -> dict:
    """A relation in a few fields for JSON and text: its summary, whose claim it rests on, and its quotes with
    outlet and link (the same evidence the panel shows)."""
    detail = relation_detail(index, view, relation_id)
    if detail is None:
        return {"id": relation_id, "in_view": False}
    return {"id": detail.id, "summary": detail.summary, "start": detail.start, "end": detail.end,
            "claimed_only_by": list(detail.claimed_only_by),
            "evidence": [{"quote": e.quote, "outlet": e.outlet, "url": e.url, "claimed_by": e.claimed_by_name,
                          "is_claim": e.is_claim} for e in detail.evidence]}


def claimed_only_by(index: Index, evidence: np.ndarray, owner: np.ndarray, size: int) -> list[tuple[str, ...]]:
    """Per owner: the claimants when every piece of supporting evidence is a claim, else ()."""
    supporting = index.evidence_supports[evidence]
    reported = np.bincount(owner[supporting & ~index.evidence_is_claim[evidence]], minlength=size)
    found: list[set[str]] = [set() for _ in range(size)]
    for position, who in zip(owner[supporting], index.evidence_claimant[evidence[supporting]], strict=True):
        if who:
            found[position].add(str(who))
    return [tuple(sorted(found[i])) if reported[i] == 0 and found[i] else () for i in range(size)]


def perspective_of(index: Index, positions: np.ndarray, evidence: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Per relation: ONE_SIDE (every supporting voice is one party's), CLAIMS_ONLY (no outlet reports it as
    fact), ONE_SOURCE (one origin, no side), or SEVERAL independent origins."""
    size = len(positions)
    sided = one_side(index, positions, evidence, owner)
    origins = independent_origins(index, evidence, owner, size)
    return np.where(sided, ONE_SIDE, np.where(origins == 0, CLAIMS_ONLY,
                                              np.where(origins == 1, ONE_SOURCE, SEVERAL))).astype(object)


def perspective_note(perspective: str, origins: int, claimants: list[str], party: str = "") -> str:
    """The perspective in one line: what it means and why it matters."""
    if perspective == ONE_SIDE:
        return (f"Single perspective: every supporting source speaks for {party or 'one of the two parties'}, "
                "a party to this relation.")
    if perspective == CLAIMS_ONLY:
        return f"{capital(NOT_REPORTED)}: {claimed_by(claimants or ['its sources'])}."
    if perspective == ONE_SOURCE:
        return "One source: a single origin, attributed to neither side; look for a second before relying on it."
    return f"{origins_words(origins)}: {ORIGINS_MEANING}."


def relations_table(index: Index, view: View) -> pd.DataFrame:
    """The visible relations, one row each, with evidence counts: the accessible twin of the graph."""
    positions = np.asarray(view.relations)
    relations = index.dataset.relations.iloc[positions]
    names = index.dataset.actors["name"]
    evidence, owner = view.kept_evidence(index, positions)
    counts = np.bincount(owner, minlength=len(positions))
    # The same definitions as the evidence panel and the filters: origins reported as fact, one side, claims.
    origins = independent_origins(index, evidence, owner, len(positions))
    perspective = perspective_of(index, positions, evidence, owner)
    claimed = [" and ".join(index.actor_names.get(c, c) for c in who)
               for who in claimed_only_by(index, evidence, owner, len(positions))]
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
        "origins": origins,
        "single_perspective": perspective == ONE_SIDE,
        "perspective": perspective,
        "claimed_by": claimed,
    })


def claimants_of(index: Index, view: View, relation_ids: tuple[str, ...]) -> tuple[str, ...]:
    """Whose claims support these relations: claimant ids, '' standing for a source's own reporting."""
    positions = np.array([index.relation_position[r] for r in relation_ids], dtype=np.int64)
    evidence, _ = view.kept_evidence(index, positions)
    return tuple(sorted(set(index.evidence_claimant[evidence])))


def confidence_by_rule(index: Index) -> pd.Series:
    """The confidence rule, the same for every relation: `low` when no outlet reports it as fact (claims only),
    `medium` with one independent origin, `high` with two or more. Outlets relaying one wire count once."""
    positions = np.arange(index.relation_count)
    evidence, owner = gather(index.evidence_ptr, index.evidence_of, positions)
    origins = independent_origins(index, evidence, owner, len(positions))
    labels = np.where(origins == 0, "low", np.where(origins == 1, "medium", "high"))
    return pd.Series(labels, index=index.relation_ids, name="confidence")
