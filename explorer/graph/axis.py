"""Axis finder: who stands against a target, how they hang together, who backs them, and who is torn between."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import networkx as nx

from explorer.graph.balance import CrossPressured, TieHistory, cross_pressured
from explorer.graph.evidence import claimants_of
from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.graph.signed import Tie


@dataclass(frozen=True)
class AxisMember:
    actor: str
    weight: float  # signed weight of the tie that puts it here
    relations: tuple[str, ...]
    claimants: tuple[str, ...]  # '' = the source's own reporting
    via: tuple[str, ...] = ()  # second ring: the adversaries it partners
    courts: tuple[str, ...] = ()  # adversary: the target's partners it cooperates with (cross-pressure, seen from it)


@dataclass(frozen=True)
class Axis:
    target: str
    adversaries: tuple[AxisMember, ...]
    ties: tuple[Tie, ...]  # cooperative ties among adversaries
    clusters: tuple[tuple[str, ...], ...]  # adversaries joined by those ties
    second_ring: tuple[AxisMember, ...]
    cross_pressured: tuple[CrossPressured, ...] = ()  # partners of the target that cooperate with its adversaries

    @property
    def actors(self) -> set[str]:
        return {self.target, *(m.actor for m in self.adversaries), *(m.actor for m in self.second_ring),
                *(c.actor for c in self.cross_pressured)}

    @property
    def triangle_relations(self) -> set[str]:
        return {r for c in self.cross_pressured for t in c.triangles for rs in t.relations for r in rs}

    @property
    def relations(self) -> set[str]:
        found = {r for m in (*self.adversaries, *self.second_ring) for r in m.relations}
        return found | {r for t in self.ties for r in t.relations} | self.triangle_relations

    def as_dict(self, evidence: Mapping[str, dict] | None = None) -> dict:
        """With `evidence` (relation id -> `evidence.relation_brief`), triangles carry their relations' quotes."""
        def member(m: AxisMember, role: str) -> dict:
            return {"actor": m.actor, "role": role, "weight": m.weight, "relations": list(m.relations),
                    "claimed_by": list(m.claimants), **({"via": list(m.via)} if m.via else {}),
                    **({"courts_partners_of_target": list(m.courts)} if m.courts else {})}

        return {
            "target": self.target,
            "adversaries": [member(m, "adversary") for m in self.adversaries],
            "cooperative_ties": [t.as_dict() for t in self.ties],
            "clusters": [list(c) for c in self.clusters],
            "second_ring": [member(m, "second ring") for m in self.second_ring],
            "cross_pressured": [c.as_dict(evidence) for c in self.cross_pressured],
        }


def find_axis(index: Index, view: View, ties: list[Tie], target: str, history: TieHistory | None = None) -> Axis:
    """Adversaries of `target` (negative tie), cooperative ties among them, their other partners, and the
    target's partners that also cooperate with its adversaries (cross-pressured, `explorer.graph.balance`); with a
    `history`, since when each of their triangles is unbalanced and its trend."""
    weight: dict[tuple[str, str], Tie] = {}
    for tie in ties:
        weight[(tie.a, tie.b)] = weight[(tie.b, tie.a)] = tie
    partners: dict[str, list[Tie]] = {}
    for tie in ties:
        if tie.sign > 0:
            partners.setdefault(tie.a, []).append(tie)
            partners.setdefault(tie.b, []).append(tie)

    def other(tie: Tie, actor: str) -> str:
        return tie.b if tie.a == actor else tie.a

    against = sorted((t for t in ties if target in (t.a, t.b) and t.sign < 0), key=lambda t: (t.weight, t.a, t.b))
    adversaries = tuple(AxisMember(other(t, target), t.weight, t.relations, claimants_of(index, view, t.relations))
                        for t in against)
    pressured = cross_pressured(ties, target, history)
    courting: dict[str, list[str]] = {}
    for found in pressured:
        for adversary in found.adversaries:
            courting.setdefault(adversary, []).append(found.actor)
    adversaries = tuple(replace(m, courts=tuple(sorted(courting.get(m.actor, ())))) for m in adversaries)
    hostile = {m.actor for m in adversaries}
    among = tuple(t for t in ties if t.sign > 0 and t.a in hostile and t.b in hostile)
    joined = nx.Graph()
    joined.add_nodes_from(sorted(hostile))
    joined.add_edges_from((t.a, t.b) for t in among)
    clusters = tuple(sorted((tuple(sorted(c)) for c in nx.connected_components(joined)), key=lambda c: (-len(c), c)))

    target_partners = {other(t, target) for t in partners.get(target, [])}
    ring: dict[str, list[Tie]] = {}
    for adversary in sorted(hostile):
        for tie in partners.get(adversary, []):
            actor = other(tie, adversary)
            if actor != target and actor not in hostile and actor not in target_partners:
                ring.setdefault(actor, []).append(tie)
    second = []
    for actor, links in ring.items():
        relations = tuple(r for t in links for r in t.relations)
        towards_target = weight.get((actor, target))
        second.append(AxisMember(actor, towards_target.weight if towards_target else 0.0, relations,
                                 claimants_of(index, view, relations),
                                 via=tuple(sorted(other(t, actor) for t in links))))
    second.sort(key=lambda m: (-len(m.via), m.actor))
    return Axis(target, adversaries, among, clusters, tuple(second), pressured)
