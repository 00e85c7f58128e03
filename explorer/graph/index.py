"""Integer indexes over a dataset, built once, so that a filter costs what its result costs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

from explorer.model import EPOCH, aliases_of, day_span, normalise_name
from explorer.store import spans
from explorer.tables import Dataset
from explorer.tables.load import is_in, per_distinct, positions_in, shared_strings, weight_numbers
from explorer.tables.schema import event_types, kind_roles, vocabulary

CONFIDENCE_RANK = {value: int(term.rank) for value, term in vocabulary("confidence").items()}


def outlet_key(outlet: str) -> str:
    """The outlet's host without `www.` or attribution: two URLs of one outlet are one voice."""
    host = outlet.strip().split(" ")[0].casefold()
    return host.removeprefix("www.")


def origin_key(outlet: str, via: str) -> str:
    """Where a report comes from: the outlet it relays (`via`: wire copy, "citing ...") or else the outlet itself.

    Two outlets carrying one Reuters story are one origin, not two independent origins."""
    return relay_key(via) or outlet_key(outlet)


def relay_key(via: str) -> str:
    """The origin named by `via` (what an outlet relays), '' when it relays nothing."""
    return f"via:{via.strip().casefold()}" if via.strip() else ""


def stable_order(values: np.ndarray) -> np.ndarray:
    """`np.argsort(values, kind="stable")` in linear time for integers spanning less than 2**32: two passes of
    NumPy's radix sort over 16-bit digits (its comparison sort took a third of a second per million rows)."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64)
    low = int(values.min())
    if int(values.max()) - low >= 2**32:
        return np.argsort(values, kind="stable")
    shifted = (values - low).astype(np.uint32)
    order = np.argsort((shifted & 0xFFFF).astype(np.uint16), kind="stable")
    if int(shifted.max()) >= 2**16:
        order = order[np.argsort((shifted[order] >> 16).astype(np.uint16), kind="stable")]
    return order.astype(np.int64)


def _csr(owner: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by owner: (indptr, positions) so group g is positions[indptr[g]:indptr[g+1]]."""
    order = stable_order(owner)
    counts = np.bincount(owner, minlength=size)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, order.astype(np.int64)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique` of integers by one sort: its hash path took two to six times as long on the tens of thousands of
    positions an ego filter handles, a third of the filter's time at a million relations."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def distinct_codes(codes: np.ndarray, size: int) -> np.ndarray:
    """Sorted distinct codes in range(size) (actor codes), by marking them: linear, no sort."""
    seen = np.zeros(size, dtype=bool)
    seen[codes] = True
    return np.flatnonzero(seen)


def gather(indptr: np.ndarray, positions: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All positions of several groups at once, with the index (into `groups`) each came from."""
    at, owner = spans(indptr[groups], indptr[groups + 1])
    return positions[at], owner


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
    relation_ids: pd.Index  # position -> id (Arrow strings, no Python object per relation)
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
    evidence_claimant: np.ndarray  # actor id or ''
    evidence_is_claim: np.ndarray  # bool: a party's word about others (claimant set, not the relation's source)
    evidence_supports: np.ndarray  # bool: stance is not 'disputes'
    start_order: np.ndarray  # relation positions sorted by start_lo
    sorted_start: np.ndarray
    pair_order: np.ndarray  # relation positions sorted by their unordered pair of actors (`pair_keys`)
    sorted_pairs: np.ndarray
    magnitude: np.ndarray | None = None  # relation position -> its weight column (1 when empty)

    @cached_property
    def actor_code(self) -> dict[str, int]:
        return {actor: code for code, actor in enumerate(self.actor_ids)}

    @cached_property
    def relation_position(self) -> dict[str, int]:
        """Relation id -> position. Built from the ids as one Arrow-to-Python conversion: iterating a million
        Arrow strings one by one took 1.3 s of CPU on the first visit to a 1M folder (0.5 s this way)."""
        ids = self.relation_ids
        names = pa.array(ids.array).to_pylist() if isinstance(ids.array, pd.arrays.ArrowStringArray) else list(ids)
        return dict(zip(names, range(len(names)), strict=True))

    @cached_property
    def _voices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(outlet key, origin, side) of every piece of evidence, built on first use: an ego view and its export
        never read them (a fifth of a second of CPU and three object arrays of 1.5M pointers at a million)."""
        return _evidence_voices(self.dataset, self.evidence_claimant, self.actor_side)

    @property
    def evidence_outlet(self) -> np.ndarray:
        """Evidence position -> outlet key."""
        return self._voices[0]

    @property
    def evidence_origin(self) -> np.ndarray:
        """Evidence position -> what the outlet relays (`via`), else the outlet: independence is by origin."""
        return self._voices[1]

    @property
    def evidence_side(self) -> np.ndarray:
        """Evidence position -> the claimant's side, else the state whose media the outlet is, else '' (no side)."""
        return self._voices[2]

    @cached_property
    def actor_names(self) -> dict[str, str]:
        """Actor id -> name, once per index: pickers and labels look up thousands of actors on every rerun, and
        turning 10,000 Arrow strings into a dict each time cost the first page of a 1M folder a tenth of a second."""
        actors = self.dataset.actors
        return dict(zip(actors.index.astype(str).tolist(), actors["name"].astype(str).tolist(), strict=True))

    @cached_property
    def degree(self) -> np.ndarray:
        """Actor code -> how many relations it is in."""
        size = len(self.actor_ids)
        return np.bincount(self.source_code, minlength=size) + np.bincount(self.target_code, minlength=size)

    @cached_property
    def adversarial_degree(self) -> np.ndarray:
        """Actor code -> how many adversarial (negative) relations it is in."""
        hostile = self.polarity < 0
        size = len(self.actor_ids)
        return (np.bincount(self.source_code[hostile], minlength=size)
                + np.bincount(self.target_code[hostile], minlength=size))

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

    @cached_property
    def actors_by_name(self) -> list[str]:
        """Actor ids in the order of their names (case-folded): the pickers' order, sorted once per index."""
        names = self.dataset.actors["name"].astype(str).str.casefold().to_numpy(dtype=object)
        return [str(a) for a in self.actor_ids[np.argsort(names, kind="stable")]]

    @cached_property
    def actor_labels(self) -> dict[str, str]:
        """Actor id -> its name, with its aliases in brackets when it has any (what a picker shows and searches)."""
        actors = self.dataset.actors
        return {str(actor_id): f"{name} ({', '.join(aliases)})" if (aliases := aliases_of(text)) else str(name)
                for actor_id, name, text in zip(actors["id"], actors["name"], actors["aliases"], strict=True)}

    @cached_property
    def outlets(self) -> list[str]:
        """Every outlet key the evidence cites, sorted."""
        return sorted(str(o) for o in pd.unique(self.evidence_outlet))

    @cached_property
    def claim_counts(self) -> dict[str, int]:
        """Claimant -> how many pieces of evidence are its claims (a party's word about others)."""
        counts = pd.Series(self.evidence_claimant[self.evidence_is_claim], dtype=object).value_counts(sort=False)
        return {str(claimant): int(count) for claimant, count in counts.items()}

    @cached_property
    def claimants(self) -> list[str]:
        """Every actor named as claimant of some evidence, sorted."""
        return sorted(str(c) for c in pd.unique(self.evidence_claimant) if c)

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
        """The last day the data speaks of: the default "as of" when no window end is chosen (today when the data
        has no relations)."""
        span = day_span(self.start_lo, self.start_hi, self.end_hi)
        return span[1] if span is not None else (dt.date.today() - EPOCH).days


def pair_keys(a: np.ndarray, b: np.ndarray, actors: int) -> np.ndarray:
    """One integer per unordered pair of actor codes: the relations between two actors sit together when sorted."""
    return np.minimum(a, b).astype(np.int64) * max(actors, 1) + np.maximum(a, b)


def relations_among(index: Index, codes: np.ndarray) -> np.ndarray:
    """Positions (sorted) of every relation whose two actors are both among `codes` (unique actor codes).

    Looks up each pair of the set in the pair index when there are fewer pairs than incident relations to
    scan: an ego view of 40 actors, hubs among them, costs 800 binary searches, not a walk over the hubs'
    hundreds of thousands of relations.
    """
    codes = distinct_codes(codes, len(index.actor_ids))
    pairs = len(codes) * (len(codes) - 1) // 2
    incident_count = int((index.incident_ptr[codes + 1] - index.incident_ptr[codes]).sum())
    if pairs <= incident_count:
        first, second = np.triu_indices(len(codes), k=1)
        keys = pair_keys(codes[first], codes[second], len(index.actor_ids))
        lo = np.searchsorted(index.sorted_pairs, keys, side="left")
        hi = np.searchsorted(index.sorted_pairs, keys, side="right")
        at, _owner = spans(lo, hi)
        return np.sort(index.pair_order[at])
    incident, _owner = gather(index.incident_ptr, index.incident, codes)
    candidates = sorted_unique(incident)
    inside = np.isin(index.source_code[candidates], codes) & np.isin(index.target_code[candidates], codes)
    return candidates[inside]


def _positions(frame: pd.DataFrame, column: str, universe: pd.Index) -> np.ndarray:
    """Row positions of a reference column: the loader's `<column>_at` (see `Table.position_columns`)."""
    derived = f"{column}_at"
    if derived in frame.columns:
        return frame[derived].to_numpy(dtype=np.int64)
    return positions_in(frame[column], universe)


def _evidence_voices(dataset: Dataset, claimant: np.ndarray,
                     actor_side: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outlet key, origin and side of every piece of evidence (see `Index.evidence_outlet` and the two after it)."""
    actors, evidence, sources = dataset.actors, dataset.evidence, dataset.sources
    # Per source first (few), then taken per piece of evidence; a last "" slot stands for an unknown source.
    source_of = _positions(evidence, "source", sources.index)
    source_outlet = np.append(per_distinct(outlet_key, sources["outlet"]), "")
    relayed = per_distinct(relay_key, sources["via"])
    source_origin = np.append(np.where(relayed != "", relayed, source_outlet[:-1]), "").astype(object)
    source_media = np.append(np.where(sources["country"] != "", "country:" + sources["country"], ""), "").astype(object)
    outlet, origin, state_media = source_outlet[source_of], source_origin[source_of], source_media[source_of]
    claimant_code = _positions(evidence, "claimed_by", actors.index)
    side = np.where(claimant != "", np.append(actor_side, "")[claimant_code], state_media).astype(object)
    return outlet, origin, side


def build_index(dataset: Dataset) -> Index:
    """One pass over the tables; everything later is array lookups.

    Ids become integer codes by Arrow's hash kernels, and text columns of few distinct values become object
    arrays sharing one Python string per value (`shared_strings`): at a million relations this is a fraction
    of a second and a pointer per row, where mapping Series by id took a minute and a string per row.
    """
    actors, relations, evidence = dataset.actors, dataset.relations, dataset.evidence
    actor_ids = actors.index.to_numpy(dtype=object)
    source_code = _positions(relations, "source", actors.index)
    target_code = _positions(relations, "target", actors.index)
    ends = np.concatenate([source_code, target_code])
    incident_ptr, incident = _csr(ends, len(actor_ids))
    incident = incident % max(len(relations), 1)

    owner = _positions(evidence, "relation", relations.index)
    evidence_ptr, evidence_of = _csr(owner, len(relations))
    claimant = shared_strings(evidence["claimed_by"])
    claimant_code = _positions(evidence, "claimed_by", actors.index)
    claimed = (evidence["claimed_by"] != "").to_numpy(dtype=bool)  # Arrow's kernel, not 1.5M Python compares
    actor_side = np.where(actors["country"] != "", "country:" + actors["country"], "actor:" + actors["id"]).astype(
        object)
    speaker = np.append(source_code, -2)[owner]  # -2: no relation, never equal to an actor code or -1
    represents = _positions(actors, "represents", actors.index)
    roles = kind_roles()
    start_lo = relations["start_lo"].to_numpy(dtype=np.int64)
    start_order = stable_order(start_lo)
    types = shared_strings(relations["type"])
    pairs = pair_keys(source_code, target_code, len(actor_ids))
    pair_order = stable_order(pairs)
    return Index(
        dataset=dataset,
        actor_ids=actor_ids,
        relation_ids=relations.index,
        source_code=source_code,
        target_code=target_code,
        polarity=relations["polarity"].to_numpy(dtype=np.int64),
        confidence=np.array([CONFIDENCE_RANK.get(c, -1) for c in vocabulary("confidence")] + [-1], dtype=np.int64)[
            positions_in(relations["confidence"], pd.Index(list(vocabulary("confidence"))))],
        type=types,
        is_event=is_in(relations["type"], list(event_types())),
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
        evidence_claimant=claimant,
        evidence_is_claim=claimed & (claimant_code != speaker),
        evidence_supports=(evidence["stance"] != "disputes").to_numpy(dtype=bool),
        start_order=start_order,
        sorted_start=start_lo[start_order],
        pair_order=pair_order,
        sorted_pairs=pairs[pair_order],
        magnitude=np.nan_to_num(weight_numbers(relations["weight"]), nan=1.0, posinf=np.inf, neginf=-np.inf)
        if "weight" in relations else np.ones(len(relations)),
    )
