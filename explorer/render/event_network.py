"""The event layer drawn: one line per pair of actors with machine-coded events, and the panel of each line.

An event tie is drawn by the same browser graph as the curated relations but never among them: its own graph,
its own line ids (`events:A~B`), dotted lines, and a panel that says "machine-coded", never "verified". The panel
lists the tie's top events (date, CAMEO code in words, Goldstein score, mentions) with their articles' links,
http(s) only; every text is set by graph.js as text, never as HTML.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from explorer.events.formats import QUADS, event_words
from explorer.events.layer import EventLayer
from explorer.graph.event_ties import PairTie, credit, view_ties
from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.render.network import NetworkData, network_data
from explorer.render.style import polarity_colour, polarity_label
from explorer.tables.load import HTTP_URL

TOP_SHOWN = 5  # top events listed in a tie's panel
EVENT_EDGE = "events:"  # line ids of event ties: `events:A~B`, A < B
NOT_VERIFIED = "machine-coded from news reports, not verified: a coder's reading of headlines, not a checked fact"


def event_edge_id(source: str, target: str) -> str:
    a, b = sorted((source, target))
    return f"{EVENT_EDGE}{a}~{b}"


def _sign(weight: float) -> int:
    return 1 if weight > 0 else -1 if weight < 0 else 0


def tie_summary(tie: PairTie, datasets: tuple[str, ...], strongest: str = "") -> str:
    """"machine-coded: 1,234 events (GDELT 2.0), 71 % cooperative, strongest: …" — the tie in one line."""
    text = (f"machine-coded: {tie.events:,} events ({', '.join(datasets)}), {tie.cooperative_share:.0%} cooperative, "
            f"net weight {tie.weight:+.2f}")
    return text + (f"; strongest: {strongest}" if strongest else "")


def event_line(row: dict) -> str:
    """One top event in words: date, CAMEO code in words, Goldstein score, mentions and sources."""
    day = row["day"].date().isoformat() if hasattr(row["day"], "date") else str(row["day"])[:10]
    quad = QUADS.get(int(row["quad"]), "") if pd.notna(row["quad"]) else ""
    return (f"{day} · {row['source_name'] or '?'} → {row['target_name'] or '?'}: {event_words(row['event_code'])} · "
            f"{quad} · Goldstein {float(row['goldstein']):+g} · {int(row['mentions'])} mentions, "
            f"{int(row['sources'])} sources")


def tie_panel(tie: PairTie, rows: list[dict], names: dict[str, str], datasets: tuple[str, ...]) -> dict:
    """The panel graph.js shows for an event tie (the shape of a relation's panel), every value plain text;
    `rows` are its top events (TOP_COLUMNS), most mentioned first."""
    strongest = event_line(max(rows, key=lambda r: (abs(float(r["goldstein"])), int(r["mentions"])))) if rows else ""
    items = []
    for row in rows:
        url = row["url"] if isinstance(row["url"], str) and HTTP_URL.match(row["url"]) else ""
        outlet = urlsplit(url).hostname or "" if url else ""
        items.append({"quote": event_line(row), "outlet": outlet or row["dataset"], "title": "",
                      "url": url, "published": str(row["day"])[:10], "claim": f"coded by {row['dataset']}",
                      "claimant": "", "is_claim": False, "via": "", "note": "", "document": ""})
    months = f"{tie.months[0]} – {tie.months[-1]}" if len(tie.months) > 1 else tie.months[0]
    cite = credit(datasets)
    return {
        "id": event_edge_id(tie.source, tie.target), "source": tie.source, "target": tie.target,
        "heading": f"{names.get(tie.source, tie.source)} — {names.get(tie.target, tie.target)} (machine-coded)",
        "type": "machine-coded events", "polarity": _sign(tie.weight), "polarity_label": polarity_label(
            _sign(tie.weight)), "colour": polarity_colour(_sign(tie.weight)), "period": months,
        "start": tie.months[0], "end": tie.months[-1], "confidence": "not verified (machine-coded)",
        "summary": tie_summary(tie, datasets, strongest), "claim_status": "",
        "support": f"{tie.cooperative:,} cooperative and {tie.conflictual:,} conflictual events; Goldstein sum "
                   f"{tie.goldstein:+g}", "perspective_note": NOT_VERIFIED + (f". {cite}" if cite else ""),
        "single_perspective": False, "claimants": ["nobody: events coded by machine from news reports"],
        "evidence": [{"stance": "supports", "label": f"Top {len(items)} events, most mentioned first",
                      "items": items}] if items else [],
    }


def event_network_data(index: Index, ties: list[PairTie], chosen: View, cap: int, description: str) -> NetworkData:
    """The event ties as a network of the curated actors they join: nodes drawn as the curated graph draws them."""
    known = set(index.actor_code)
    ties = [t for t in ties if t.source in known and t.target in known]
    actors = sorted({a for t in ties for a in (t.source, t.target)})[:cap]
    shown = set(actors)
    ties = [t for t in ties if t.source in shown and t.target in shown]
    nodes_only = View(relations=np.array([], dtype=np.int64), evidence=np.array([], dtype=np.int64),
                      actors=tuple(actors), filter=chosen.filter)
    data = network_data(index, nodes_only, cap)  # a fresh network, ours to add the event lines to
    for tie in ties:
        sign = _sign(tie.weight)
        title = "\n".join([f"{tie.source} — {tie.target} (machine-coded, not verified)",
                           f"{tie.events:,} events, {tie.cooperative_share:.0%} cooperative, weight {tie.weight:+.2f}",
                           f"months {tie.months[0]} – {tie.months[-1]}", "Click to read its top events."])
        data.network.add_edge(tie.source, tie.target, id=event_edge_id(tie.source, tie.target), title=title,
                              color=polarity_colour(sign), width=1 + min(8, np.log2(1 + tie.events)),
                              dashes=[2, 6], polarity=sign, w=tie.weight, lo=-(10**6), hi=10**7)
    return NetworkData(network=data.network, drawn=nodes_only, options=data.options, total_actors=len(actors),
                       total_relations=len(ties), window=(0, 0), description=description)


def event_view(index: Index, layer: EventLayer, view: View, cap: int) -> tuple[NetworkData, dict, str]:
    """What the app draws for the event layer under a view's filter: the network, every line's panel (they travel
    with the drawing, so a click opens one at once) and the choice of dyad-months in words."""
    ties, basis = view_ties(layer, view.filter)
    data = event_network_data(index, ties, view, cap, basis)
    drawn = {edge["id"] for edge in data.edges}
    ties = [t for t in ties if event_edge_id(t.source, t.target) in drawn]
    keys = pd.DataFrame([(t.source, t.target, m) for t in ties for m in t.months],
                        columns=["source", "target", "month"])
    top = layer.top_events_of(keys) if len(keys) else keys.assign(mentions=[], day=[])
    names = index.dataset.actors["name"].to_dict()
    best: dict[tuple[str, str], list[dict]] = {}
    for row in top.sort_values(["mentions", "day"], ascending=False, kind="stable").to_dict("records"):
        found = best.setdefault((row["source"], row["target"]), [])
        if len(found) < TOP_SHOWN:
            found.append(row)
    panels = {event_edge_id(t.source, t.target): tie_panel(t, best.get((t.source, t.target), []), names,
                                                           layer.datasets) for t in ties}
    return data, panels, basis
