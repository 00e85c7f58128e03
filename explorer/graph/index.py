"""Integer indexes over a dataset, built once, so that a filter costs what its result costs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from explorer.model import OPEN_END, aliases_of, normalise_name
from explorer.tables import Dataset
from explorer.tables.schema import event_types, kind_roles, vocabulary

CONFIDENCE_RANK = {value: int(term.rank) for value, term in vocabulary("confidence").items()}


def outlet_key(outlet: str) -> str:
    """The outlet's host without `www.` or attribution: two URLs of one outlet are one voice."""
    host = outlet.strip().split(" ")[0].casefold()
    return host.removeprefix("www.")


def origin_key(outlet: str, via: str) -> str:
    """Where a report comes from: the outlet it relays (`via`: wire copy, "citing ...") or else the outlet itself.

    Two outlets carrying one Reuters story are one origin, not two independent origins."""
    return f"via:{via.strip().casefold()}" if via.strip() else outlet_key(outlet)


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
    is_event: np.ndarray  # bool: the type happens on a date (the time rule in timerule.py)
    start_lo: np.ndarray
    start_hi: np.ndarray
    end_lo: np.ndarray
    end_hi: np.ndarray
    actor_role: np.ndarray  # actor code -> aligner, voice or venue (from its kind)
    actor_kind: np.ndarray
    actor_represents: np.ndarray  # actor code -> code of the actor it speaks for, -1 if none
    actor_side: np.ndarray  # actor code -> "country:XXX", else "actor:id": whose side it is on
    incident_ptr: np.ndarray  # actor code -> relation positions (CSR)
    incident: np.ndarray
    evidence_ptr: np.ndarray  # relation position -> evidence positions (CSR)
    evidence_of: np.ndarray
    evidence_outlet: np.ndarray  # outlet key
    evidence_claimant: np.ndarray  # actor id or ''
    evidence_origin: np.ndarray  # what the outlet relays (`via`), else the outlet: independence is by origin
    evidence_side: np.ndarray  # claimant's side, else the state whose media the outlet is, else '' (no side)
    evidence_is_claim: np.ndarray  # bool: a party's word about others (claimant set, not the relation's source)
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
            for label in (actor_id, name, *aliases_of(aliases)):
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

    @cached_property
    def last_day(self) -> int:
        """The last day the data speaks of: the default "as of" when no window end is chosen."""
        if self.relation_count == 0:
            return 0
        finite = self.end_hi[self.end_hi < OPEN_END]
        return int(max(self.start_hi.max(), finite.max() if len(finite) else 0))


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
    via = evidence["source"].map(sources["via"]).fillna("").to_numpy(dtype=object)
    origin = np.array([origin_key(o, v) for o, v in zip(outlet, via, strict=True)], dtype=object)
    claimant = evidence["claimed_by"].to_numpy(dtype=object)
    actor_side = np.where(actors["country"] != "", "country:" + actors["country"], "actor:" + actors["id"]).astype(
        object)
    side_of = pd.Series(actor_side, index=actors.index)
    state_media = evidence["source"].map(sources["country"]).fillna("").to_numpy(dtype=object)
    side = np.where(claimant != "", evidence["claimed_by"].map(side_of).fillna("").to_numpy(dtype=object),
                    np.where(state_media != "", "country:" + state_media, "")).astype(object)
    speaker = evidence["relation"].map(relations["source"]).fillna("").to_numpy(dtype=object)
    represents = actors["represents"].replace("", np.nan).map(code_of).fillna(-1).to_numpy(dtype=np.int64)
    roles = kind_roles()
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
        is_event=relations["type"].isin(event_types()).to_numpy(dtype=bool),
        start_lo=start_lo,
        start_hi=relations["start_hi"].to_numpy(dtype=np.int64),
        end_lo=relations["end_lo"].to_numpy(dtype=np.int64),
        end_hi=relations["end_hi"].to_numpy(dtype=np.int64),
        actor_role=actors["kind"].map(roles).fillna("venue").to_numpy(dtype=object),
        actor_kind=actors["kind"].to_numpy(dtype=object),
        actor_represents=represents,
        actor_side=actor_side,
        incident_ptr=incident_ptr,
        incident=incident,
        evidence_ptr=evidence_ptr,
        evidence_of=evidence_of,
        evidence_outlet=outlet,
        evidence_claimant=claimant,
        evidence_origin=origin,
        evidence_side=side,
        evidence_is_claim=(claimant != "") & (claimant != speaker),
        evidence_supports=(evidence["stance"] != "disputes").to_numpy(),
        start_order=start_order,
        sorted_start=start_lo[start_order],
    )
