"""Per-actor measures of a view: degree, weighted degree, signed degree, betweenness."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from explorer.graph.signed import Tie

BETWEENNESS_SAMPLE = 300  # above this many actors, betweenness is estimated from a seeded sample


def actor_metrics(ties: list[Tie], names: dict[str, str] | pd.Series) -> pd.DataFrame:
    """One row per tied actor; betweenness is on the unsigned tie graph, sampled when large."""
    graph = nx.Graph()
    for tie in ties:
        graph.add_edge(tie.a, tie.b, weight=abs(tie.weight), signed=tie.weight, relations=len(tie.relations))
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=["actor", "name", "relations", "partners", "weighted_degree",
                                     "signed_degree", "betweenness"])
    sample = BETWEENNESS_SAMPLE if graph.number_of_nodes() > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(graph, k=sample, seed=0 if sample else None)
    rows = [{
        "actor": actor,
        "name": names.get(actor, actor),
        "relations": sum(d["relations"] for *_, d in graph.edges(actor, data=True)),
        "partners": graph.degree(actor),
        "weighted_degree": round(graph.degree(actor, weight="weight"), 3),
        "signed_degree": round(graph.degree(actor, weight="signed"), 3),
        "betweenness": round(betweenness[actor], 4),
    } for actor in graph.nodes]
    return pd.DataFrame(rows).sort_values(["weighted_degree", "actor"], ascending=[False, True]).reset_index(drop=True)
