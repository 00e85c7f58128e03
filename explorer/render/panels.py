"""Panel data for the browser: a relation's evidence as plain JSON values that graph.js sets as text."""

from __future__ import annotations

import weakref
from urllib.parse import urlencode

from explorer.graph.evidence import RelationDetail, relation_detail
from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.render.style import polarity_colour, polarity_label
from explorer.tables.load import HTTP_URL
from explorer.tables.schema import vocabulary
from explorer.tables.words import ORIGINS_MEANING, OWN_REPORTING, claim_text, origins_words, stances

_CACHE: weakref.WeakKeyDictionary[Index, dict[tuple, dict]] = weakref.WeakKeyDictionary()
EAGER_PANELS = 600  # up to this many drawn relations, every evidence panel travels with the view
CACHE_LIMIT = 20_000  # panels kept per dataset; a panel depends on the relation and the evidence filters only


def period(start: str, end: str) -> str:
    if not end:
        return f"since {start}"
    return start if end == start else f"{start} – {end}"


def relation_panel(detail: RelationDetail) -> dict:
    """Everything the evidence panel shows, as plain values; the browser sets each one with textContent.

    The one place a RelationDetail becomes browser panel data: new fields of RelationDetail belong here."""
    groups = []
    for stance in stances():
        items = [item for item in detail.evidence if item.stance == stance]
        if not items:
            continue
        groups.append({"stance": stance, "label": vocabulary("stance")[stance].label, "items": [{
            "quote": item.quote, "outlet": item.outlet, "title": item.title,
            "url": item.url if HTTP_URL.match(item.url or "") else "",
            "published": item.published or "date unknown",
            "claim": claim_text(item.claimed_by, item.claimed_by_name, item.is_claim),
            "claimant": item.claimed_by, "is_claim": item.is_claim,
            "via": item.via, "note": item.note,
            "document": "?" + urlencode({"view": "Sources", "document": item.document}) if item.document else "",
        } for item in items]})
    return {
        "id": detail.id, "source": detail.source, "target": detail.target,
        "heading": f"{detail.source_name} → {detail.target_name}",
        "type": detail.type.replace("_", " "), "polarity": detail.polarity,
        "polarity_label": polarity_label(detail.polarity), "colour": polarity_colour(detail.polarity),
        "period": period(detail.start, detail.end), "start": detail.start, "end": detail.end,
        "confidence": detail.confidence, "summary": detail.summary,
        "support": f"{origins_words(detail.independent_origins, detail.origins)}: {ORIGINS_MEANING}",
        "single_perspective": detail.single_perspective,
        "perspective": detail.perspective, "perspective_note": detail.perspective_note,
        "claim_status": detail.claim_label,
        "disputed": any(item.stance == "disputes" for item in detail.evidence),
        "claimants": sorted({i.claimed_by_name or i.claimed_by or OWN_REPORTING
                             for i in detail.evidence}),
        "evidence": groups,
    }


def relation_panels(index: Index, view: View, relation_ids: list[str]) -> dict[str, dict]:
    """Panels of several relations of a view, cached across views: which evidence a relation keeps depends only on
    the claimant, outlet and lens filters, so a date or type change reuses every panel already built."""
    cache = _CACHE.setdefault(index, {})
    if len(cache) > CACHE_LIMIT:
        cache.clear()
    evidence_key = (view.filter.exclude_claimants, view.filter.outlets, view.filter.lens)
    found = {}
    for relation_id in relation_ids:
        key = (relation_id, evidence_key)
        if key not in cache:
            detail = relation_detail(index, view, relation_id)
            if detail is None:
                continue
            cache[key] = relation_panel(detail)
        found[relation_id] = cache[key]
    return found


def selected_panels(index: Index, drawn: View, edges: list[dict], selection: str,
                    eager: int = EAGER_PANELS) -> dict[str, dict]:
    """Every drawn relation's panel when there are at most `eager`; otherwise those of the selection only ("kind:id":
    a relation, or a tie `a~b` whose drawn edges are its relations), so a large view does not ship every panel."""
    relation_ids = drawn.relation_ids(index)
    if len(relation_ids) > eager:
        kind, _, identifier = selection.partition(":")
        if kind == "relation":
            relation_ids = [identifier]
        elif kind == "tie":
            ends = set(identifier.split("~"))
            relation_ids = [edge["id"] for edge in edges if {edge["from"], edge["to"]} == ends]
        else:
            relation_ids = []
    return relation_panels(index, drawn, relation_ids)
