"""Paths between two actors through signed ties, with the sign of the whole path."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx

from explorer.graph.signed import Tie

DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class SignedPath:
    actors: tuple[str, ...]
    hops: tuple[Tie, ...]

    @property
    def sign(self) -> int:
        """+1 when the ends should line up (the enemy of my enemy is my friend), -1 when opposed."""
        return math.prod(hop.sign for hop in self.hops)

    def as_dict(self) -> dict:
        return {"actors": list(self.actors), "sign": self.sign,
                "hops": [{"a": h.a, "b": h.b, "weight": h.weight, "relations": list(h.relations)} for h in self.hops]}


def find_paths(ties: list[Tie], a: str, b: str, max_length: int = 3, limit: int = DEFAULT_LIMIT) -> list[SignedPath]:
    """Shortest simple paths first, up to `max_length` hops, through ties that are not neutral."""
    graph = nx.Graph()
    for tie in ties:
        if tie.sign:
            graph.add_edge(tie.a, tie.b, tie=tie)
    if a == b or a not in graph or b not in graph:
        return []
    found = []
    try:
        for nodes in itertools.islice(nx.shortest_simple_paths(graph, a, b), limit):
            if len(nodes) - 1 > max_length:
                break
            hops = tuple(graph.edges[u, v]["tie"] for u, v in itertools.pairwise(nodes))
            found.append(SignedPath(tuple(nodes), hops))
    except nx.NetworkXNoPath:
        return []
    return found
