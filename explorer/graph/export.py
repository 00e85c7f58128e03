"""The current view as files: CSV (one row per evidence), JSON, GraphML and GEXF."""

from __future__ import annotations

import io
import json

import networkx as nx
import pandas as pd

from explorer.graph.filters import View, filter_to_params
from explorer.graph.index import Index

FORMATS = ("csv", "json", "graphml", "gexf")


def evidence_rows(index: Index, view: View) -> pd.DataFrame:
    """Visible relations joined with the evidence the view keeps: everything needed to check them."""
    dataset = index.dataset
    evidence, _ = view.kept_evidence(index)
    rows = dataset.evidence.iloc[evidence].reset_index(drop=True)
    relations = dataset.relations.loc[rows["relation"]].reset_index(drop=True)
    sources = dataset.sources.loc[rows["source"]].reset_index(drop=True)
    return pd.DataFrame({
        "relation": rows["relation"], "source_actor": relations["source"], "target_actor": relations["target"],
        "type": relations["type"], "polarity": relations["polarity"].astype(int), "start": relations["start"],
        "end": relations["end"], "confidence": relations["confidence"], "summary": relations["summary"],
        "quote": rows["quote"], "claimed_by": rows["claimed_by"],
        "is_claim": index.evidence_is_claim[evidence].astype(bool), "stance": rows["stance"],
        "source": rows["source"], "outlet": sources["outlet"], "via": sources["via"], "title": sources["title"],
        "url": sources["url"], "published": sources["published"], "source_note": sources["note"],
    })


def view_document(index: Index, view: View) -> dict:
    """The view as plain data: filter, actors, relations each with its evidence."""
    dataset = index.dataset
    rows = evidence_rows(index, view)
    by_relation = {rid: group for rid, group in rows.groupby("relation", sort=False)}
    actors = dataset.actors.loc[list(view.actors), ["id", "name", "kind", "country", "aliases", "description"]]
    relations = []
    for rid in view.relation_ids(index):
        relation = dataset.relations.loc[rid]
        group = by_relation.get(rid, rows.iloc[0:0])
        relations.append({
            **{c: relation[c] for c in ("id", "source", "target", "type", "start", "end", "confidence", "summary")},
            "polarity": int(relation["polarity"]),
            "evidence": group[["quote", "claimed_by", "is_claim", "stance", "source", "outlet", "via", "title", "url",
                               "published", "source_note"]].to_dict("records"),
        })
    return {"filter": filter_to_params(view.filter), "actors": actors.to_dict("records"), "relations": relations}


def _plain_graph(index: Index, view: View) -> nx.MultiDiGraph:
    """GraphML and GEXF hold only scalars: quotes are joined, counts spelled out."""
    document = view_document(index, view)
    graph = nx.MultiDiGraph()
    for actor in document["actors"]:
        graph.add_node(actor["id"], **{k: str(v) for k, v in actor.items() if k != "id"})
    for relation in document["relations"]:
        evidence = relation["evidence"]
        graph.add_edge(relation["source"], relation["target"], key=relation["id"], id=relation["id"],
                       type=relation["type"], polarity=relation["polarity"], start=relation["start"],
                       end=relation["end"], confidence=relation["confidence"], summary=relation["summary"],
                       evidence_count=len(evidence),
                       quotes=" | ".join(e["quote"] for e in evidence),
                       urls=" ".join(e["url"] for e in evidence),
                       source_notes=" | ".join(dict.fromkeys(e["source_note"] for e in evidence if e["source_note"])))
    return graph


def export_view(index: Index, view: View, fmt: str) -> bytes:
    """Bytes of the view in one of FORMATS."""
    if fmt == "csv":
        return evidence_rows(index, view).to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "json":
        return json.dumps(view_document(index, view), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt in ("graphml", "gexf"):
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(_plain_graph(index, view), buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)}, html)")
