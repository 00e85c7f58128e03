"""Signed dyad-months: machine-coded events per unordered pair of our actors and month, as one Ibis expression.

The same expression runs on DuckDB (the default, in-process), on PySpark and on BigQuery: only the backend that
reads the events changes. Per pair and month it counts events by quad class, sums the Goldstein scores, the
mentions and the sources, and gives the pair a signed weight:

    weight = (cooperative − conflictual) / (cooperative + conflictual)

where cooperative events are quad classes 1–2 (verbal and material cooperation) and conflictual ones 3–4. It lies
in [−1, 1]: +1 when every event of the month was cooperative, −1 when every one was conflictual, 0 when they
balance. Quad classes: CAMEO (Gerner, Schrodt, Yilmaz and Abu-Jabr 2002, "Conflict and Mediation Event
Observations (CAMEO)") as GDELT assigns them (Leetaru and Schrodt 2013, "GDELT: Global Data on Events, Location
and Tone, 1979–2012"); the Goldstein sum beside it uses Goldstein (1992), "A Conflict-Cooperation Scale for WEIS
Events Data", Journal of Conflict Resolution 36(2).

Thresholds are options: root events only (GDELT's IsRootEvent, the event of an article's lead paragraph; on by
default), and a minimum of mentions and of sources per event (1 by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from explorer.events.actors import CodeMapping
from explorer.model import OPEN_END, day_from_number

TOP_EVENTS = 5  # kept per dyad-month as its evidence
QUAD_COLUMNS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
DYAD_COLUMNS = ("source", "target", "month", "events", *QUAD_COLUMNS, "goldstein", "mentions", "sources", "weight")
TOP_COLUMNS = ("source", "target", "month", "rank", "dataset", "event_id", "day", "event_code", "quad", "goldstein",
               "mentions", "sources", "url", "source_name", "target_name", "file")


@dataclass(frozen=True)
class Thresholds:
    """Which events count: root events only, and at least this many mentions and sources each."""

    root_only: bool = True
    min_mentions: int = 1
    min_sources: int = 1

    def describe(self) -> str:
        root = "root events only" if self.root_only else "all events"
        return f"{root}, at least {self.min_mentions} mention(s) and {self.min_sources} source(s) each"


def _actor_of(events: ir.Table, column: str, mapping: list[CodeMapping]) -> ir.StringValue:
    """The actor a code column stands for on the event's day (NULL when no row of the mapping covers it)."""
    branches = []
    for row in mapping:
        test = events[column] == row.code
        if row.first > -(10**5):
            test &= events.day >= ibis.date(day_from_number(row.first))
        if row.last < OPEN_END:
            test &= events.day <= ibis.date(day_from_number(row.last))
        branches.append((test, row.actor))
    if not branches:
        return ibis.null(str)
    return ibis.cases(*branches, else_=ibis.null(str))


def counted_events(events: ir.Table, thresholds: Thresholds = Thresholds()) -> ir.Table:
    """The events the thresholds let count (root events only, enough mentions and sources)."""
    chosen = events
    if thresholds.root_only:
        chosen = chosen.filter(chosen.root)
    return chosen.filter(chosen.mentions >= thresholds.min_mentions, chosen.sources >= thresholds.min_sources)


def mapped_events(events: ir.Table, mapping: list[CodeMapping], thresholds: Thresholds = Thresholds()) -> ir.Table:
    """The events that count, each side mapped to an actor (`source_actor`, `target_actor`; NULL if unmapped)."""
    chosen = counted_events(events, thresholds)
    return chosen.mutate(
        source_actor=_actor_of(chosen, "source_group", mapping).fill_null(_actor_of(chosen, "source_country", mapping)),
        target_actor=_actor_of(chosen, "target_group", mapping).fill_null(_actor_of(chosen, "target_country", mapping)))


# What the dyad-months and the top events read of an event between two of our actors: a narrow table (a few
# percent of the events), computed once and kept by the engine, so the mapping runs over the events once.
PAIR_COLUMNS = ("pair_a", "pair_b", "month", "dataset", "event_id", "day", "event_code", "quad", "goldstein",
                "mentions", "sources", "url", "source_name", "target_name", "file")


def event_pairs(mapped: ir.Table) -> ir.Table:
    """The mapped events between two different actors: the unordered pair (`pair_a` < `pair_b`), the month, and
    the columns the dyad-months and the top events need (`PAIR_COLUMNS`)."""
    both = mapped.filter(mapped.source_actor.notnull(), mapped.target_actor.notnull(),
                         mapped.source_actor != mapped.target_actor)
    return both.mutate(pair_a=ibis.least(both.source_actor, both.target_actor),
                       pair_b=ibis.greatest(both.source_actor, both.target_actor),
                       month=both.day.strftime("%Y-%m")).select(*PAIR_COLUMNS)


def dyad_months(pairs: ir.Table) -> ir.Table:
    """One row per unordered pair of actors and month (`DYAD_COLUMNS`) of `event_pairs`; `source` < `target`."""
    count = lambda quad: ibis.ifelse(pairs.quad == quad, 1, 0).sum()  # noqa: E731
    grouped = pairs.group_by(source=pairs.pair_a, target=pairs.pair_b, month=pairs.month).aggregate(
        events=pairs.count(), verbal_cooperation=count(1), material_cooperation=count(2), verbal_conflict=count(3),
        material_conflict=count(4),
        # Goldstein scores have one decimal: summed as whole tenths, so every engine gives the same total.
        goldstein_tenths=(pairs.goldstein * 10).round().cast("int64").sum(),
        mentions=pairs.mentions.cast("int64").sum(), sources=pairs.sources.cast("int64").sum())
    cooperative = grouped.verbal_cooperation + grouped.material_cooperation
    conflictual = grouped.verbal_conflict + grouped.material_conflict
    weight = ((cooperative - conflictual).cast("float64") / (cooperative + conflictual).cast("float64")).round(4)
    return grouped.mutate(goldstein=(grouped.goldstein_tenths.cast("float64") / 10).round(1),
                          weight=weight).select(*DYAD_COLUMNS)


def top_events(pairs: ir.Table, keep: int = TOP_EVENTS) -> ir.Table:
    """Each dyad-month's `keep` most-mentioned events of `event_pairs` (then the strongest Goldstein score, then
    the id)."""
    rank = ibis.row_number().over(group_by=[pairs.pair_a, pairs.pair_b, pairs.month],
                                  order_by=[pairs.mentions.desc(), pairs.goldstein.abs().desc(), pairs.event_id])
    ranked = pairs.mutate(rank=rank + 1, source=pairs.pair_a, target=pairs.pair_b)
    return ranked.filter(ranked["rank"] <= keep).select(*TOP_COLUMNS)


def unmapped_codes(events: ir.Table, mapping: list[CodeMapping], thresholds: Thresholds = Thresholds()) -> ir.Table:
    """Codes of event sides that map to no actor, with their event counts, most frequent first.

    Each side's codes are counted per day first and mapped afterwards: the mapping (which may depend on the day)
    then runs over thousands of code-days instead of millions of events."""
    chosen = counted_events(events, thresholds)
    sides = []
    for side in ("source", "target"):
        per_day = chosen.group_by(group=chosen[f"{side}_group"], country=chosen[f"{side}_country"],
                                  whole=chosen[f"{side}_code"], day=chosen.day).aggregate(events=chosen.count())
        actor = _actor_of(per_day, "group", mapping).fill_null(_actor_of(per_day, "country", mapping))
        code = ibis.coalesce(per_day.group.nullif(""), per_day.country.nullif(""), per_day.whole.nullif(""))
        sides.append(per_day.filter(actor.isnull()).select(code=code, events=per_day.events))
    codes = sides[0].union(sides[1], distinct=False)
    codes = codes.filter(codes.code.notnull())
    return codes.group_by("code").aggregate(events=codes.events.sum()).order_by([ibis.desc("events"), "code"])


def month_last_day(month: str) -> dt.date:
    """The last day of a `YYYY-MM` month: the day a dyad-month counts from under the time rule."""
    year, number = int(month[:4]), int(month[5:7])
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return following - dt.timedelta(days=1)
