"""Integer indexes over a dataset, built once, so that a filter costs what its result costs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from explorer.model import normalise_name
from explorer.tables import Dataset
from explorer.tables.schema import vocabulary

CONFIDENCE_RANK = {value: int(term.rank) for value, term in vocabulary("confidence").items()}


def outlet_key(outlet: str) -> str:
    """The outlet's host without `www.` or attribution: two URLs of one outlet are one voice."""
    host = outlet.strip().split(" ")[0].casefold()
    return host.removeprefix("www.")


def _csr(owner: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by owner: (indptr, positions) so group g is positions[indptr[g]:indptr[g+1]]."""
    order = np.argsort(owner, kind="stable")
    counts = np.bincount(owner, minlength=size)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, order.astype(np.int64)


def gather(indptr: np.ndarray, positions: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All positions of several groups at once, with the index (into `groups`) each came from."""
    starts, ends = indptr[groups], indptr[groups + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(groups)), lengths)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return positions[np.repeat(starts, lengths) + offsets], owner


def distinct_per_owner(owner: np.ndarray, labels: np.ndarray, size: int) -> np.ndarray:
    """How many different labels each owner 0..size-1 has (e.g. outlets per relation)."""
    if len(owner) == 0:
        return np.zeros(size, dtype=np.int64)
    _, codes = np.unique(labels.astype(str), return_inverse=True)
    pairs = np.unique(owner.astype(np.int64) * (codes.max() + 1) + codes)
    return np.bincount(pairs // (codes.max() + 1), minlength=size)


@dataclass(frozen=True, eq=False)
class Index:
    """Positions, codes and adjacency of one dataset; read-only and shared between sessions."""

    dataset: Dataset
    actor_ids: np.ndarray  # code -> id
    relation_ids: np.ndarray  # position -> id
    source_code: np.ndarray  # relation position -> actor code
    target_code: np.ndarray
    polarity: np.ndarray
    confidence: np.ndarray  # rank
    type: np.ndarray  # relation type strings
    start_lo: np.ndarray
    start_hi: np.ndarray
    end_lo: np.ndarray
    end_hi: np.ndarray
    incident_ptr: np.ndarray  # actor code -> relation positions (CSR)
    incident: np.ndarray
    evidence_ptr: np.ndarray  # relation position -> evidence positions (CSR)
    evidence_of: np.ndarray
    evidence_outlet: np.ndarray  # outlet key
    evidence_claimant: np.ndarray  # actor id or ''
    evidence_perspective: np.ndarray  # claimant's country, else claimant, else outlet
    evidence_supports: np.ndarray  # bool: stance is not 'disputes'
    start_order: np.ndarray  # relation positions sorted by start_lo
    sorted_start: np.ndarray

    @cached_property
    def actor_code(self) -> dict[str, int]:
        return {actor: code for code, actor in enumerate(self.actor_ids)}

    @cached_property
    def relation_position(self) -> dict[str, int]:
        return {relation: position for position, relation in enumerate(self.relation_ids)}

    @cached_property
    def names(self) -> dict[str, str]:
        """Every normalised id, name and alias -> actor id (first actor wins on a clash)."""
        table: dict[str, str] = {}
        actors = self.dataset.actors
        for actor_id, name, aliases in zip(actors["id"], actors["name"], actors["aliases"], strict=True):
            for label in (actor_id, name, *aliases.split("|")):
                key = normalise_name(label)
                if key:
                    table.setdefault(key, actor_id)
        return table

    def resolve_actor(self, text: str) -> str | None:
        """Actor id for an id, name or alias typed any way, or None."""
        if text in self.actor_code:
            return text
        return self.names.get(normalise_name(text))

    @property
    def relation_count(self) -> int:
        return len(self.relation_ids)


def build_index(dataset: Dataset) -> Index:
    """One pass over the tables; everything later is array lookups."""
    actors, relations, evidence, sources = dataset.actors, dataset.relations, dataset.evidence, dataset.sources
    actor_ids = actors.index.to_numpy(dtype=object)
    code_of = pd.Series(np.arange(len(actor_ids)), index=actors.index)
    source_code = code_of.reindex(relations["source"]).to_numpy(dtype=np.int64)
    target_code = code_of.reindex(relations["target"]).to_numpy(dtype=np.int64)
    ends = np.concatenate([source_code, target_code])
    incident_ptr, incident = _csr(ends, len(actor_ids))
    incident = incident % max(len(relations), 1)

    relation_pos = pd.Series(np.arange(len(relations)), index=relations.index)
    owner = relation_pos.reindex(evidence["relation"]).to_numpy(dtype=np.int64)
    evidence_ptr, evidence_of = _csr(owner, len(relations))
    outlet = evidence["source"].map(sources["outlet"]).fillna("").map(outlet_key).to_numpy(dtype=object)
    claimant = evidence["claimed_by"].to_numpy(dtype=object)
    country = evidence["claimed_by"].map(actors["country"]).fillna("").to_numpy(dtype=object)
    perspective = np.where(country != "", "country:" + country,
                           np.where(claimant != "", "actor:" + claimant, "outlet:" + outlet))
    start_lo = relations["start_lo"].to_numpy(dtype=np.int64)
    start_order = np.argsort(start_lo, kind="stable")
    return Index(
        dataset=dataset,
        actor_ids=actor_ids,
        relation_ids=relations.index.to_numpy(dtype=object),
        source_code=source_code,
        target_code=target_code,
        polarity=relations["polarity"].to_numpy(dtype=np.int64),
        confidence=relations["confidence"].map(CONFIDENCE_RANK).to_numpy(dtype=np.int64),
        type=relations["type"].to_numpy(dtype=object),
        start_lo=start_lo,
        start_hi=relations["start_hi"].to_numpy(dtype=np.int64),
        end_lo=relations["end_lo"].to_numpy(dtype=np.int64),
        end_hi=relations["end_hi"].to_numpy(dtype=np.int64),
        incident_ptr=incident_ptr,
        incident=incident,
        evidence_ptr=evidence_ptr,
        evidence_of=evidence_of,
        evidence_outlet=outlet,
        evidence_claimant=claimant,
        evidence_perspective=perspective.astype(object),
        evidence_supports=(evidence["stance"] != "disputes").to_numpy(),
        start_order=start_order,
        sorted_start=start_lo[start_order],
    )
