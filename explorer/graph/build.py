"""The NetworkX multigraph of a dataset, and read-only subgraph views of it."""

from __future__ import annotations

import networkx as nx
import numpy as np

from explorer.graph.filters import View
from explorer.graph.index import Index

RELATION_ATTRIBUTES = ("type", "polarity", "start", "end", "confidence", "summary")


def build_graph(index: Index, view: View | None = None) -> nx.MultiDiGraph:
    """One node per actor, one edge per relation (key = relation id) with its attributes and evidence rows.

    With a view, only its actors and relations: views that need a NetworkX graph (path search) build it on
    the filtered view, never for the whole data (a million relations took 13 s and gigabytes as a graph).
    The graph is shared through caches: callers must treat it as frozen (`nx.freeze` enforces it).
    """
    dataset = index.dataset
    graph = nx.MultiDiGraph()
    actors = dataset.actors if view is None else dataset.actors.loc[list(view.actors)]
    graph.add_nodes_from(
        (actor_id, {"name": name, "kind": kind, "country": country, "aliases": aliases})
        for actor_id, name, kind, country, aliases in zip(
            actors["id"], actors["name"], actors["kind"], actors["country"], actors["aliases"], strict=True)
    )
    positions = np.arange(index.relation_count) if view is None else np.asarray(view.relations, dtype=np.int64)
    relations = dataset.relations.iloc[positions]
    columns = [relations[c].to_numpy() for c in RELATION_ATTRIBUTES]
    evidence_ptr, evidence_of = index.evidence_ptr, index.evidence_of
    graph.add_edges_from(
        (source, target, key, {
            **dict(zip(RELATION_ATTRIBUTES, (col[i] for col in columns), strict=True)),
            "polarity": int(columns[1][i]),
            "evidence": tuple(int(e) for e in evidence_of[evidence_ptr[p]:evidence_ptr[p + 1]]),
        })
        for i, (p, source, target, key) in enumerate(zip(positions, relations["source"], relations["target"],
                                                         relations.index, strict=True))
    )
    return nx.freeze(graph)


def view_graph(graph: nx.MultiDiGraph, index: Index, view: View) -> nx.MultiDiGraph:
    """A read-only subgraph of the cached graph holding the view's actors and relations."""
    edges = [(index.actor_ids[index.source_code[p]], index.actor_ids[index.target_code[p]], index.relation_ids[p])
             for p in np.asarray(view.relations)]
    nodes, allowed = set(view.actors), set(edges)
    return nx.subgraph_view(graph, filter_node=nodes.__contains__, filter_edge=lambda u, v, k: (u, v, k) in allowed)
