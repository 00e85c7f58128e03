"""Event ties as of a day: the curated time rule applied to machine-coded dyad-months, one signed tie per pair.

A dyad-month is treated as an event dated on its month's last day (the conservative reading of a partial date
that `timerule.py` gives every start): it counts from then for the rule's look-back window, fading as the rule
says. A pair's tie sums its dyad-months in force, each weighed by that activity:

    weight = Σ activity × (cooperative − conflictual) / Σ activity × (cooperative + conflictual)

so one month of the same events gives the weight `explorer/events/dyads.py` defines.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from explorer.events.layer import EventLayer
from explorer.graph.filters import Filter
from explorer.graph.timerule import DEFAULT_LOOKBACK_MONTHS, TimeRule, activity, as_of_day
from explorer.model import DateError, month_of, month_of_day, partial_date_bounds, partial_date_columns


@dataclass(frozen=True)
class PairTie:
    """The event tie of one pair: counts over its dyad-months in force, and the signed weight above."""

    source: str
    target: str
    events: int
    cooperative: int
    conflictual: int
    goldstein: float
    weight: float
    months: tuple[str, ...]

    @property
    def cooperative_share(self) -> float:
        return self.cooperative / self.events if self.events else 0.0

    def as_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "events": self.events,
                "cooperative": self.cooperative, "conflictual": self.conflictual, "goldstein": self.goldstein,
                "weight": self.weight, "months": list(self.months)}


def with_activity(dyads: pd.DataFrame, as_of: str, rule: TimeRule) -> pd.DataFrame:
    """The dyad-months in force as of a (partial) date under `rule`, with their `activity` in (0, 1]."""
    day = as_of_day(as_of)
    if dyads.empty:
        return dyads.assign(activity=pd.Series(dtype=float))
    _, ends, _ = partial_date_columns(dyads["month"])
    weights = activity(np.ones(len(dyads), dtype=bool), ends, ends, day, rule)
    return dyads.assign(activity=weights.round(4))[weights > 0].reset_index(drop=True)


def in_force_months(as_of: str, rule: TimeRule) -> tuple[str, str]:
    """The first and last month whose dyad-months can be in force as of a date under `rule` (a dyad-month counts
    from its last day for the rule's look-back): the months a store query reads before `with_activity` weighs them."""
    day = as_of_day(as_of)
    return month_of_day(day - rule.lookback_days), month_of_day(day)


def window_months(chosen: Filter) -> tuple[str, str]:
    """The first and last month of a filter's date window ("" where it is open)."""
    return (month_of(chosen.start) if chosen.start else "", month_of(chosen.end, first=False) if chosen.end else "")


def _narrowed(outer: tuple[str, str], inner: tuple[str, str]) -> tuple[str, str]:
    """Two month ranges ("" open) intersected."""
    return max(outer[0], inner[0]), min(m for m in (outer[1], inner[1]) if m) if outer[1] or inner[1] else ""


def pair_ties(dyads: pd.DataFrame) -> list[PairTie]:
    """Dyad-months (with `activity`, else all at full weight) summed into one signed tie per pair."""
    if dyads.empty:
        return []
    dyads = dyads.sort_values(["source", "target", "month"], kind="stable")
    weight = dyads.get("activity", 1.0)
    cooperative = dyads["verbal_cooperation"] + dyads["material_cooperation"]
    conflictual = dyads["verbal_conflict"] + dyads["material_conflict"]
    parts = dyads.assign(cooperative=cooperative, conflictual=conflictual, total=weight * (cooperative + conflictual),
                         net=weight * (cooperative - conflictual))
    grouped = parts.groupby(["source", "target"], sort=True)
    sums = grouped[["events", "cooperative", "conflictual", "goldstein", "total", "net"]].sum()
    # the months of each pair, in order: the rows are sorted by pair and month, so each pair's months are one run
    months = np.split(parts["month"].to_numpy(dtype=object), np.cumsum(grouped.size().to_numpy())[:-1])
    return [PairTie(str(source), str(target), int(row.events), int(row.cooperative), int(row.conflictual),
                    round(float(row.goldstein), 1), round(row.net / row.total, 4) if row.total else 0.0,
                    tuple(str(m) for m in pair_months))
            for (source, target), row, pair_months in zip(sums.index, sums.itertuples(index=False), months,
                                                          strict=True)]


def chosen_dyads(layer: EventLayer, month: str | None = None, as_of: str | None = None, actor: str | None = None,
                 rule: TimeRule | None = None) -> tuple[pd.DataFrame, str]:
    """The dyad-months a question reads (one month, those in force as of a date, or all) and that choice in words."""
    rule = rule or TimeRule()
    actors = (actor,) if actor else ()
    if month:
        try:
            partial_date_bounds(month)
            valid = len(month) == 7
        except DateError:
            valid = False
        if not valid:
            raise ValueError(f"--month takes YYYY-MM, not {month!r}")
        return layer.dyad_months(month, month, actors), f"machine-coded dyad-months of {month}"
    if as_of:
        try:
            first, last = in_force_months(as_of, rule)
        except DateError as error:
            raise ValueError(str(error)) from None
        return (with_activity(layer.dyad_months(first, last, actors), as_of, rule),
                f"machine-coded dyad-months in force as of {as_of}: {rule.describe()}")
    return layer.dyad_months(actors=actors), "every machine-coded dyad-month"


def event_ties(layer: EventLayer, month: str | None = None, as_of: str | None = None, actor: str | None = None,
               lookback: int | None = None, decay: str = "linear", urls: int = 5) -> dict:
    """The dyad-months asked for, each with its top events' http(s) URLs, as a JSON-ready dict."""
    rule = TimeRule(lookback or DEFAULT_LOOKBACK_MONTHS, decay)
    dyads, basis = chosen_dyads(layer, month, as_of, actor, rule)
    top = layer.top_events_of(dyads[["source", "target", "month"]]) if len(dyads) else None
    links: dict[tuple[str, str, str], list[str]] = {}
    if top is not None:
        for source, target, month_, url in top[["source", "target", "month", "url"]].itertuples(index=False):
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                found = links.setdefault((source, target, month_), [])
                if len(found) < urls and url not in found:
                    found.append(url)
    ties = []
    for row in dyads.to_dict("records"):
        tie = {key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()}
        tie["cooperative"] = int(row["verbal_cooperation"] + row["material_cooperation"])
        tie["conflictual"] = int(row["verbal_conflict"] + row["material_conflict"])
        tie["urls"] = links.get((row["source"], row["target"], row["month"]), [])
        ties.append(tie)
    return {"basis": f"{basis}; {layer.thresholds.describe()}; datasets: {', '.join(layer.datasets)}",
            "machine_coded": True, "credit": credit(layer.datasets), "ties": ties}


def credit(datasets: tuple[str, ...]) -> str:
    """Whom to cite for the event rows shown: GDELT asks for "The GDELT Project" and a link."""
    return "Event data: The GDELT Project, https://www.gdeltproject.org/" if any(
        d.startswith("GDELT") for d in datasets) else ""


def window_dyads(layer: EventLayer, chosen: Filter, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The dyad-months of a filter's date window (and chosen actors; given `pairs`, of those pairs only), "as of"
    aside: a query in the store."""
    first, last = window_months(chosen)
    return layer.dyad_months(first, last, chosen.actors, pairs)


def window_pairs(layer: EventLayer, chosen: Filter) -> pd.DataFrame:
    """The pairs of a filter's date window (and chosen actors) with their events, most first: a query in the store
    (`EventLayer.pair_events`), what a view ranks pairs by before it reads the dyad-months of those it draws."""
    first, last = window_months(chosen)
    return layer.pair_events(first, last, chosen.actors)


def event_window(chosen: Filter) -> Filter:
    """The part of a filter the event graph reads (`window_dyads`: the date window and the chosen actors), so a
    change the event ties do not see (types, lens, hops, "as of"…) leaves the event graph, and what the browser holds
    of it, as it is."""
    return Filter(actors=chosen.actors, start=chosen.start, end=chosen.end)


def view_ties(layer: EventLayer, chosen: Filter, dyads: pd.DataFrame | None = None) -> tuple[list[PairTie], str]:
    """The event ties a view of the curated filter asks for, and that choice in words.

    The same filter reads both layers: its date window keeps the dyad-months inside it, "as of" keeps those in
    force under its time rule, and chosen actors keep the pairs that include one of them (`dyads`: those of
    `window_dyads`, when already taken).
    """
    if chosen.as_of:
        if dyads is None:  # only the months that can be in force are read
            first, last = _narrowed(window_months(chosen), in_force_months(chosen.as_of, chosen.time_rule))
            dyads = layer.dyad_months(first, last, chosen.actors)  # first > last: none
        dyads = with_activity(dyads, chosen.as_of, chosen.time_rule)
        basis = f"machine-coded events in force as of {chosen.as_of} ({chosen.time_rule.describe()})"
    else:
        dyads = window_dyads(layer, chosen) if dyads is None else dyads
        basis = "all machine-coded events in the date window"
    return pair_ties(dyads), f"{basis}; {layer.thresholds.describe()}; {', '.join(layer.datasets)}"


def check_axis_events(layer: EventLayer, members: tuple[str, ...], target: str, chosen: Filter) -> dict:
    """`check-axis` under the lens `events`: a verdict per pair from the machine-coded event ties of the filter's
    window (or in force as of its date), beside the curated verdicts, never merged into them."""
    from explorer.graph.check import event_share, event_verdict, overall_verdict

    ties, basis = view_ties(layer, replace(chosen, actors=()))
    by_pair = {(t.source, t.target): t for t in ties}
    pairs = []
    for (a, b), expected in [*((p, 1) for p in itertools.combinations(members, 2)),
                             *(((m, target), -1) for m in members)]:
        tie = by_pair.get(tuple(sorted((a, b))))
        pairs.append({"a": a, "b": b, "expected": "cooperative" if expected > 0 else "adversarial",
                      "verdict": event_verdict(expected, tie.weight if tie else None),
                      "share_expected_way": round(event_share(expected, tie.weight), 4) if tie else None,
                      "tie": tie.as_dict() if tie else None})
    return {"lens": "events", "machine_coded": True, "basis": basis,
            "verdict": overall_verdict({p["verdict"] for p in pairs}), "pairs": pairs,
            "reason": _no_tie_reason(layer, (*members, target), chosen, pairs)}


def _no_tie_reason(layer: EventLayer, actors: tuple[str, ...], chosen: Filter, pairs: list[dict]) -> str:
    """Why the event layer has no tie for any of these pairs, in words (empty when one pair has one)."""
    if any(p["tie"] for p in pairs):
        return ""
    if layer.span is None:
        return "the event layer holds no machine-coded events between two of our actors"
    found = layer.pair_events(actors=actors)
    named = set(found["source"]) | set(found["target"])
    absent = [a for a in actors if a not in named]
    if absent:
        return (f"no machine-coded event names {', '.join(absent)} (no event code maps to "
                f"{'it' if len(absent) == 1 else 'them'}: see `events unmapped`)")
    when = f"in force as of {chosen.as_of}" if chosen.as_of else "in the date window"
    return (f"none of these pairs has machine-coded events {when}; the layer's months run from "
            f"{layer.span[0]} to {layer.span[1]}")
