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
        """+1 when structural balance says the ends should line up, -1 when it says they are opposed."""
        return math.prod(hop.sign for hop in self.hops)

    @property
    def reading(self) -> str:
        """The path in plain words, read from the far end back: "friend of a friend", "enemy of an enemy",
        "enemy of a friend"...; longer paths with both kinds of tie are "mixed"."""
        words = ["friend" if hop.sign > 0 else "enemy" for hop in reversed(self.hops)]
        if len(words) == 1:
            reading = f"direct {words[0]}"
        elif len(set(words)) > 1 and len(words) > 2:
            reading = f"mixed ({words.count('enemy')} adversarial of {len(words)} ties)"
        else:
            reading = " of ".join(f"{'an' if w == 'enemy' else 'a'} {w}" for w in words)
            reading = reading.removeprefix("an " if words[0] == "enemy" else "a ")
        outcome = "balance expects them aligned" if self.sign > 0 else "balance expects them opposed"
        return f"{reading}: {outcome}"

    def as_dict(self) -> dict:
        return {"actors": list(self.actors), "sign": self.sign, "reading": self.reading,
                "hops": [h.as_dict() for h in self.hops]}


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
