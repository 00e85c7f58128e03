"""The event layer drawn: one line per pair of actors with machine-coded events, and the panel of each line.

An event tie is drawn by the same browser graph as the curated relations but never among them: its own graph,
its own line ids (`events:A~B`), dotted lines, and a panel that says "machine-coded", never "verified". The panel
lists the tie's top events (date, CAMEO code in words, Goldstein score, mentions) with their articles' links,
http(s) only; every text is set by graph.js as text, never as HTML.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from markupsafe import Markup

from explorer.events.formats import QUADS, event_words
from explorer.events.layer import EventLayer
from explorer.graph.event_ties import PairTie, credit, view_ties, window_dyads, window_months, window_pairs
from explorer.graph.filters import View
from explorer.graph.index import Index
from explorer.model import partial_date_columns
from explorer.render.html import safe_link
from explorer.render.network import NetworkData, network_data
from explorer.render.style import polarity_colour, polarity_label
from explorer.tables.load import HTTP_URL

TOP_SHOWN = 5  # top events listed in a tie's panel
# At most this many event ties drawn (the curated graph's cap is 2,000 relations): each event tie carries its panel
# (five events with their links, ~3 KB) and one span per month with events (hundreds for a busy pair over
# decades), all sent again with every new date window: on a skewed decades layer 500 ties made 5.6 MB, 300 made
# 4 MB and a window change of 961 ms (load 3.4, target 800), 200 made 684 ms.
MAX_EVENT_TIES = 200
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


def tie_spans(dyads: pd.DataFrame) -> dict[tuple[str, str], list[list]]:
    """Per pair, one [first day, last day, weight] per dyad-month (days since 1970), the months play steps through:
    graph.js shows a tie as active in the months it has events, with the part of its weight those months carry.
    A month's weight is its (cooperative − conflictual) events over all the pair's events here, so the spans of a
    tie sum to its weight (`pair_ties` without the time rule's fading)."""
    if dyads.empty:
        return {}
    cooperative = dyads["verbal_cooperation"] + dyads["material_cooperation"]
    conflictual = dyads["verbal_conflict"] + dyads["material_conflict"]
    lo, hi, _ = partial_date_columns(dyads["month"])
    parts = pd.DataFrame({"source": dyads["source"].to_numpy(), "target": dyads["target"].to_numpy(), "lo": lo,
                          "hi": hi, "net": (cooperative - conflictual).to_numpy(),
                          "total": (cooperative + conflictual).to_numpy()})
    parts = parts.sort_values(["source", "target", "lo"], kind="stable")
    grouped = parts.groupby(["source", "target"], sort=True)
    all_ = grouped["total"].transform("sum")
    weights = np.where(all_ > 0, parts["net"] / all_.where(all_ > 0, 1), 0.0).round(4)
    spans = list(map(list, zip(parts["lo"].tolist(), parts["hi"].tolist(), weights.tolist(), strict=True)))
    ends = np.cumsum(grouped.size().to_numpy()).tolist()  # each pair's spans are one run of the sorted rows
    return {(str(source), str(target)): spans[start:end]
            for (source, target), start, end in zip(grouped.size().index, [0, *ends[:-1]], ends, strict=True)}


def event_network_data(index: Index, ties: list[PairTie], chosen: View, cap: int, description: str,
                       spans: dict[tuple[str, str], list[list]] | None = None) -> NetworkData:
    """The event ties as a network of the curated actors they join: nodes drawn as the curated graph draws them;
    with `spans` (`tie_spans`), each line carries its months, so play steps through them."""
    spans = spans or {}
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
        months = spans.get((tie.source, tie.target), [])
        data.network.add_edge(tie.source, tie.target, id=event_edge_id(tie.source, tie.target), title=title,
                              color=polarity_colour(sign), width=1 + min(8, np.log2(1 + tie.events)),
                              dashes=[2, 6], polarity=sign, w=tie.weight,
                              lo=min((m[0] for m in months), default=-(10**6)),
                              hi=max((m[1] for m in months), default=10**7), spans=months)
    drawn_spans = [m for t in ties for m in spans.get((t.source, t.target), [])]
    window = (min(m[0] for m in drawn_spans), max(m[1] for m in drawn_spans)) if drawn_spans else None
    return NetworkData(network=data.network, drawn=nodes_only, options=data.options, total_actors=len(actors),
                       total_relations=len(ties), window=window, description=description)


def drawn_pairs(index: Index, ranked: pd.DataFrame, chosen: tuple[str, ...], cap: int,
                max_ties: int = MAX_EVENT_TIES) -> tuple[pd.DataFrame, str]:
    """The pairs a view draws, capped as the curated graph is: between actors of the data, at most `cap` actors
    (the chosen ones, then those with most events), and among them at most `max_ties` pairs, most events first;
    with what was left out, in words ("" when nothing was). `ranked`: `window_pairs`, most events first."""
    known = set(index.actor_code)
    ranked = ranked[ranked["source"].isin(known) & ranked["target"].isin(known)]
    ends = pd.concat([ranked[["source", "events"]].rename(columns={"source": "actor"}),
                      ranked[["target", "events"]].rename(columns={"target": "actor"})])
    busiest = ends.groupby("actor")["events"].sum().sort_values(ascending=False, kind="stable")
    actors = list(dict.fromkeys([*(a for a in chosen if a in busiest.index), *busiest.index]))
    kept = set(actors[:cap])
    pairs = ranked[ranked["source"].isin(kept) & ranked["target"].isin(kept)]
    drawn = pairs.head(max_ties)
    left = []
    if len(actors) > cap:
        left.append(f"{len(actors) - cap:,} of {len(actors):,} actors left out (the cap of {cap:,}: those with "
                    "fewest events)")
    if len(drawn) < len(ranked):
        left.append(f"{len(drawn):,} of {len(ranked):,} event ties drawn (those with most events"
                    + (f", at most {max_ties:,} lines" if len(pairs) > max_ties else "") + ")")
    return drawn.reset_index(drop=True), "; ".join(left)


def event_view(index: Index, layer: EventLayer, view: View, cap: int,
               max_ties: int = MAX_EVENT_TIES) -> tuple[NetworkData, dict, str]:
    """What the app draws for the event layer under a view's filter: the network, every line's panel (they travel
    with the drawing, so a click opens one at once) and the choice of dyad-months in words.

    Like the curated graph, it draws the whole date window, "as of" left aside: the browser fades the ties with no
    events in the month shown ("as of", or each step of play), so moving the date redraws nothing here.

    Each step is a query in the store: the window's pairs ranked by events, capped (`drawn_pairs`), then the
    dyad-months of the drawn pairs only, and the top events of those."""
    window = replace(view.filter, as_of="")
    pairs, left_out = drawn_pairs(index, window_pairs(layer, window), window.actors, cap, max_ties)
    dyads = window_dyads(layer, window, pairs)
    ties, basis = view_ties(layer, window, dyads)
    basis = f"{basis}; {left_out}" if left_out else basis
    data = event_network_data(index, ties, view, cap, basis, tie_spans(dyads))
    drawn = {edge["id"] for edge in data.edges}
    ties = [t for t in ties if event_edge_id(t.source, t.target) in drawn]
    first, last = window_months(window)
    shown = pd.DataFrame([(t.source, t.target) for t in ties], columns=["source", "target"])
    names = index.dataset.actors["name"].to_dict()
    best: dict[tuple[str, str], list[dict]] = {}
    for row in layer.most_mentioned(shown, first, last, TOP_SHOWN):
        best.setdefault((row["source"], row["target"]), []).append(row)
    panels = {event_edge_id(t.source, t.target): tie_panel(t, best.get((t.source, t.target), []), names,
                                                           layer.datasets) for t in ties}
    return data, panels, basis


def no_ties_words(layer: EventLayer, basis: str) -> str:
    """Why a view draws no event tie, in words: what it read (`basis`) and what the layer holds instead."""
    if layer.span is None:
        return "No machine-coded event ties: the event layer holds no dyad-months between two of this data's actors."
    return (f"No machine-coded event ties in this view ({basis}). The event layer holds {layer.dyad_count:,} "
            f"dyad-months from {layer.span[0]} to {layer.span[1]}: widen the date window or choose other actors.")


def tie_panel_html(panel: dict) -> str:
    """An event tie's panel (`tie_panel`) as HTML for the app's own pages, every value escaped, links http(s) only:
    the summary, the "not verified" note, and the top events with their articles."""
    items = [item for group in panel["evidence"] for item in group["items"]]
    cards = Markup("").join(Markup("<figure class='evidence'><blockquote>{}</blockquote><figcaption>{} · {} · {}"
                                   "</figcaption></figure>").format(item["quote"], item["outlet"], item["claim"],
                                                                    safe_link(item["url"], "article") if item["url"]
                                                                    else "no article link")
                                   for item in items)
    return str(Markup(
        "<div class='evidence-panel event-panel' data-relation='{id}'><h3>{heading}</h3>"
        "<p><span class='chip' style='background:{colour}'>{polarity}</span> <b>{type}</b> · {period} · "
        "<b>{confidence}</b></p><p class='summary'>{summary}</p><p class='support'>{support}</p>"
        "<p class='perspective warn'>{note}</p><h4>{label}</h4>{cards}</div>"
    ).format(id=panel["id"], heading=panel["heading"], colour=panel["colour"], polarity=panel["polarity_label"],
             type=panel["type"], period=panel["period"], confidence=panel["confidence"], summary=panel["summary"],
             support=panel["support"], note=panel["perspective_note"],
             label=panel["evidence"][0]["label"] if panel["evidence"] else "No top events kept", cards=cards))


def pair_panel(layer: EventLayer, tie: PairTie, names: dict[str, str]) -> dict:
    """The panel of one event tie (`tie_panel`), its top events read from the layer: the Check axis view opens it."""
    rows = layer.top_events(tie.source, tie.target, tie.months).head(TOP_SHOWN).to_dict("records")
    return tie_panel(tie, rows, names, layer.datasets)
