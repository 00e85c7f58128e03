"""Which evidence panels travel with a drawn view, and a document's highlights: pure render functions."""

from __future__ import annotations

from explorer.graph import Filter, apply_filter, build_index
from explorer.render.panels import selected_panels
from explorer.render.reader import highlights_for
from explorer.tables import load_dataset


def test_a_large_view_ships_only_the_selections_panels():
    index = build_index(load_dataset(None).dataset)
    view = apply_filter(index, Filter())
    ids = view.relation_ids(index)
    edges = [{"id": rid, "from": index.dataset.relations.loc[rid, "source"],
              "to": index.dataset.relations.loc[rid, "target"]} for rid in ids]
    assert set(selected_panels(index, view, edges, "")) == set(ids)  # small enough: every panel
    assert selected_panels(index, view, edges, "", eager=1) == {}
    assert list(selected_panels(index, view, edges, f"relation:{ids[0]}", eager=1)) == [ids[0]]
    pair = sorted({edges[0]["from"], edges[0]["to"]})
    tie = selected_panels(index, view, edges, f"tie:{pair[0]}~{pair[1]}", eager=1)
    assert ids[0] in tie and all({e["from"], e["to"]} == set(pair) for e in edges if e["id"] in tie)


def test_highlights_are_the_documents_quotes_with_their_relations():
    dataset = load_dataset(None).dataset
    document = next(iter(dataset.documents))
    found = highlights_for(dataset, document)
    sources = set(dataset.sources.index[dataset.sources["document"] == document])
    assert len(found) == int(dataset.evidence["source"].isin(sources).sum()) > 0
    first = found[0]
    relation = dataset.relations.loc[first.relation]
    assert first.label.endswith(f": {relation['type']}")
    assert first.label.startswith(f"{dataset.actors.loc[relation['source'], 'name']} → ")
    assert highlights_for(dataset, "no-such-document.txt") == []
