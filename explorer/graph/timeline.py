"""Time: relations on a time axis, relations per month, blocs as of a sequence of dates matched across dates."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from explorer.graph.blocs import DEFAULT_TIME_LIMIT, EXACT_ACTOR_LIMIT, BlocResult, find_blocs
from explorer.graph.filters import Filter, View, apply_filter
from explorer.graph.index import Index
from explorer.graph.signed import aligned_actors, signed_ties
from explorer.model import OPEN_END, day_from_number, month_number, month_of_day, month_text
from explorer.tables.schema import vocabulary

STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}
MAX_STEPS = 24  # blocs are solved once per step: the finest step that stays under this many
MAX_SPANS = 1500  # relations drawn on the timeline; the most recent are kept beyond this
MAX_RIVER_ACTORS = 150  # beyond this, one bloc search per step costs seconds each and the river is unreadable
MAX_PLAY_BLOC_ACTORS = 400  # beyond this, play keeps the view's bloc colours (one bloc search per step is too slow)
LONG_SPAN_MONTHS = 180  # beyond 15 years, play steps a year at a time
PLAY_EXACT_ACTORS = 100  # play: blocs at each step exact up to this many tied actors (≤ 0.3 s), else local search
PLAY_STEP_SECONDS = 2.0  # and the exact search stops after this long per step with its best partition


# ---- months -------------------------------------------------------------------------------------------------


def month_start(month: str) -> pd.Timestamp:
    """First day of a month ('YYYY-MM') as a timestamp."""
    return pd.Timestamp(f"{month}-01")


def month_after(month: str) -> str:
    return month_text(month_number(month) + 1)


def months_back(month: str, count: int) -> tuple[str, ...]:
    """`month` and the `count - 1` months before it, newest first.

    >>> months_back("2025-02", 3)
    ('2025-02', '2025-01', '2024-12')
    """
    return tuple(month_text(month_number(month) - n) for n in range(count))


@dataclass(frozen=True)
class TimeSteps:
    """The dates blocs are computed at: the last month of each step, calendar-aligned, the window's end last."""

    unit: str  # month, quarter or year
    months: tuple[str, ...]


def time_steps(start: str, end: str, max_steps: int = MAX_STEPS) -> TimeSteps:
    """The finest of month, quarter and year steps that cuts the window [start, end] (months) into at most
    `max_steps` steps; year steps whatever the count when coarser ones are still too many.

    >>> time_steps("2024-11", "2025-02").months
    ('2024-11', '2024-12', '2025-01', '2025-02')
    >>> time_steps("2017-11", "2025-10", max_steps=12).months[-2:]
    ('2024-12', '2025-10')
    """
    first, last = sorted((month_number(start), month_number(end)))
    for unit, size in STEP_MONTHS.items():
        # Steps end on calendar boundaries (March, June, ...; December), then the window's own last month.
        ends = [m for m in range(first, last + 1) if (m + 1) % size == 0]
        if not ends or ends[-1] != last:
            ends.append(last)
        if len(ends) <= max_steps or unit == "year":
            return TimeSteps(unit, tuple(month_text(m) for m in ends))
    raise AssertionError("unreachable: year steps always return")


@dataclass(frozen=True)
class PlayStep:
    """One frame of play: the month whose blocs and active relations it shows, its days, the date it displays."""

    as_of: str  # 'YYYY-MM', the "as of" pausing sets
    lo: int  # first and last day (days since 1970)
    hi: int
    shown: str  # what the graph shows large: the month, or the year for yearly steps


@lru_cache(maxsize=1024)
def play_steps(window: tuple[int, int] | None) -> tuple[PlayStep, ...]:
    """The frames play steps through over a window of days: every month, or for spans over `LONG_SPAN_MONTHS`
    the last month of every year. One definition for the browser (the steps travel with the view) and the
    server (blocs are found as of each step).

    >>> [step.as_of for step in play_steps((19783, 19843))]  # 2024-03-01 .. 2024-04-30
    ['2024-03', '2024-04']
    """
    if window is None:
        return ()
    first = day_from_number(window[0])
    last = day_from_number(window[1])
    first_month, last_month = month_number(month_of_day(window[0])), month_number(month_of_day(window[1]))
    if last_month - first_month + 1 <= LONG_SPAN_MONTHS:
        months = [(month_text(m), month_text(m)) for m in range(first_month, last_month + 1)]
    else:
        months = [(f"{year:04d}-12", f"{year:04d}") for year in range(first.year, last.year + 1)]
    steps = []
    for month, shown in months:
        start, after = month_start(month), month_start(month_after(month))
        epoch = pd.Timestamp(0)
        steps.append(PlayStep(month, (start - epoch).days, (after - epoch).days - 1, shown))
    return tuple(steps)


def step_at(steps: Sequence[PlayStep], day: int) -> int | None:
    """Index of the step that shows `day`: the one containing it, else the last one before it, else the first."""
    if not steps:
        return None
    before = [number for number, step in enumerate(steps) if step.lo <= day]
    return before[-1] if before else 0


def window_from_brush(lo: object, hi: object) -> tuple[str, str]:
    """Months of a dragged date range: each end snaps to the nearest month boundary, so a brush that starts a
    few days before March starts in March (and a time-zone offset of hours changes nothing). A range too short
    to cover a boundary pair is the month it sits in."""
    def instant(value: object) -> pd.Timestamp:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return pd.Timestamp(int(value), unit="ms")
        stamp = pd.Timestamp(str(value))
        return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo is not None else stamp

    start, end = sorted((instant(lo), instant(hi)))

    def nearest_boundary(stamp: pd.Timestamp) -> int:
        month = month_number(stamp.strftime("%Y-%m"))
        begins, next_begins = month_start(month_text(month)), month_start(month_text(month + 1))
        return month if stamp - begins <= next_begins - stamp else month + 1

    first, after = nearest_boundary(start), nearest_boundary(end)
    if after <= first:
        middle = start + (end - start) / 2
        return (middle.strftime("%Y-%m"),) * 2
    return month_text(first), month_text(after - 1)


# ---- relations on a time axis -------------------------------------------------------------------------------


def relations_per_month(index: Index, view: View) -> pd.DataFrame:
    """Count of view relations by the month they start in and their polarity (label); `date` is the month's
    first day and `next` the next month's, for bars on a continuous time axis."""
    positions = np.asarray(view.relations)
    labels = {int(value): term.label for value, term in vocabulary("polarity").items()}
    months = [day_from_number(d).strftime("%Y-%m") for d in index.start_lo[positions]]
    frame = pd.DataFrame({"month": months, "polarity": [labels[int(p)] for p in index.polarity[positions]]})
    if frame.empty:
        return pd.DataFrame({"month": [], "polarity": [], "relations": [], "date": [], "next": []})
    counts = frame.groupby(["month", "polarity"]).size().rename("relations").reset_index()
    counts = counts.sort_values(["month", "polarity"]).reset_index(drop=True)
    counts["date"] = pd.to_datetime(counts["month"] + "-01")
    counts["next"] = counts["date"] + pd.offsets.MonthBegin(1)
    return counts


def relation_spans(index: Index, view: View, until: int, limit: int = MAX_SPANS) -> pd.DataFrame:
    """One row per view relation for a timeline: each relation on its own line, grouped by polarity (cooperative
    first), by start within a group.

    A relation of an event type (the time rule) is an `event` (drawn as a point at its start); any other is a state
    drawn as a bar from its first possible day to its last (`end` is exclusive); an `ongoing` state is drawn to
    `until` (a day number, the end of the data). `row` numbers the lines from the top, leaving one empty line
    before each polarity group for its heading. Beyond `limit` relations only the most recent by start are kept
    (the caller says so).
    """
    positions = np.asarray(view.relations)
    if len(positions) > limit:
        positions = positions[np.argsort(-index.start_lo[positions], kind="stable")[:limit]]
    relations = index.dataset.relations
    names = index.dataset.actors["name"]
    types = vocabulary("type")
    ids = index.relation_ids[positions]
    start_lo, start_hi, end_hi = index.start_lo[positions], index.start_hi[positions], index.end_hi[positions]
    event = index.is_event[positions]  # the time rule's event types, whether or not `end` repeats the start
    ongoing = (end_hi >= OPEN_END) & ~event
    last_day = np.where(ongoing, np.maximum(int(until), start_hi), np.where(event, start_hi, end_hi))
    frame = pd.DataFrame({
        "id": ids.astype(str),
        "source": [str(names.get(a, a)) for a in index.actor_ids[index.source_code[positions]]],
        "target": [str(names.get(a, a)) for a in index.actor_ids[index.target_code[positions]]],
        "type": [types[t].label if t in types else str(t) for t in index.type[positions]],
        "polarity_value": index.polarity[positions].astype(int),
        "start": pd.to_datetime(start_lo, unit="D"),
        "end": pd.to_datetime(last_day + 1, unit="D"),
        "event": event,
        "ongoing": ongoing,
        "dates": [_dates_text(relations.at[r, "start"], relations.at[r, "end"]) for r in ids],
        "summary": [str(relations.at[r, "summary"]) for r in ids],
        "start_month": [day_from_number(d).strftime("%Y-%m") for d in start_lo],
    })
    frame["polarity"] = [vocabulary("polarity")[str(p)].label for p in frame["polarity_value"]]
    frame["label"] = frame["source"] + " – " + frame["target"] + " · " + frame["type"]
    rank = {int(value): -float(term.rank) for value, term in vocabulary("polarity").items()}
    frame = frame.assign(group=frame["polarity_value"].map(rank)).sort_values(["group", "start", "id"])
    group_number = frame["group"].rank(method="dense").astype(int).to_numpy()  # 1, 2, 3: one heading line each
    frame["row"] = np.arange(len(frame)) + group_number
    return frame.drop(columns="group").reset_index(drop=True)


def _dates_text(start: str, end: str) -> str:
    if not end:
        return f"{start} – ongoing"
    return str(start) if end == start else f"{start} – {end}"


# ---- blocs through time -------------------------------------------------------------------------------------


def blocs_over_time(index: Index, base: Filter, dates: Sequence[str], k: int | None = None,
                    exact_limit: int = EXACT_ACTOR_LIMIT,
                    time_limit: float = DEFAULT_TIME_LIMIT) -> list[tuple[str, BlocResult]]:
    """Blocs as of each date, the other filters unchanged: watch blocs form. Dates with the same signed ties
    (nothing began, ended or decayed in between) share one search."""
    results = []
    solved: dict[tuple, BlocResult] = {}
    for date in dates:
        view = apply_filter(index, replace(base, as_of=date))
        ties, actors = signed_ties(index, view), aligned_actors(index, view)
        key = (tuple(ties), tuple(actors))
        if key not in solved:
            solved[key] = find_blocs(ties, actors, k=k, exact_limit=exact_limit, time_limit=time_limit)
        results.append((date, solved[key]))
    return results


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    """|a ∩ b| / |a ∪ b|: 1 for the same members, 0 for none in common."""
    union = len(set(a) | set(b))
    return len(set(a) & set(b)) / union if union else 0.0


def match_blocs(history: Sequence[Sequence[Collection[str]]], min_jaccard: float = 0.0) -> list[dict[str, int]]:
    """Stable bloc numbers ("slots") through a sequence of partitions, so a bloc keeps its colour over time.

    At each date the blocs are matched one-to-one to the slots seen so far (each slot remembers its latest
    members, also while it is absent) by maximum total Jaccard overlap, an assignment problem solved with the
    Hungarian method (`scipy.optimize.linear_sum_assignment`). A bloc whose best available overlap is not above
    `min_jaccard` opens a new slot, numbered after every slot used before; slots are never reused by another
    bloc. Returns, per date, each member's slot; actors in no bloc at a date are absent at that date.

    >>> match_blocs([[{"a", "b"}, {"c"}], [{"c", "d"}, {"a", "b", "e"}]])
    [{'a': 0, 'b': 0, 'c': 1}, {'c': 1, 'd': 1, 'a': 0, 'b': 0, 'e': 0}]
    """
    memory: dict[int, frozenset[str]] = {}
    result: list[dict[str, int]] = []
    for blocs in history:
        members = [frozenset(b) for b in blocs if b]
        at_date: dict[str, int] = {}
        for bloc, slot in zip(members, _slots_by_overlap(members, memory, min_jaccard), strict=True):
            memory[slot] = bloc
            for actor in sorted(bloc):
                at_date[actor] = slot
        result.append(at_date)
    return result


def _slots_by_overlap(blocs: Sequence[frozenset[str]], memory: Mapping[int, frozenset[str]],
                      min_jaccard: float = 0.0) -> list[int]:
    """Each bloc's slot: one-to-one by maximum total Jaccard overlap with the slots' members (Hungarian method);
    a bloc left unmatched, or matched at no more than `min_jaccard`, gets a new slot after every slot in memory."""
    slots = sorted(memory)
    assigned: dict[int, int] = {}
    if blocs and slots:
        overlap = np.array([[jaccard(bloc, memory[slot]) for slot in slots] for bloc in blocs])
        rows, cols = linear_sum_assignment(-overlap)
        assigned = {int(r): slots[c] for r, c in zip(rows, cols, strict=True) if overlap[r, c] > min_jaccard}
    fresh = max(memory, default=-1) + 1
    numbers = []
    for number in range(len(blocs)):
        if number not in assigned:
            assigned[number] = fresh
            fresh += 1
        numbers.append(assigned[number])
    return numbers


def slots_like(blocs: Sequence[Collection[str]], slots: Sequence[Mapping[str, int]], at: int) -> tuple[int, ...]:
    """Slot numbers for a partition found apart from a matched history (`slots`, as `match_blocs` returns), so
    it takes the numbers and colours of the blocs it overlaps most at step `at`; a bloc matching none takes a
    number no step uses.

    >>> slots_like([("c", "d"), ("a", "b")], [{"a": 0, "b": 0}, {"a": 2, "b": 2, "c": 1}], at=1)
    (1, 2)
    """
    memory: dict[int, set[str]] = {}
    for actor, slot in slots[at].items() if slots else ():
        memory.setdefault(slot, set()).add(actor)
    used = max((slot for at_date in slots for slot in at_date.values()), default=-1)
    numbers = _slots_by_overlap([frozenset(b) for b in blocs], {s: frozenset(m) for s, m in memory.items()})
    fresh = iter(range(used + 1, used + 1 + len(numbers)))
    return tuple(n if n in memory else next(fresh) for n in numbers)


def matched_blocs_over_time(index: Index, base: Filter, dates: Sequence[str], k: int | None = None,
                            exact_limit: int = EXACT_ACTOR_LIMIT,
                            time_limit: float = DEFAULT_TIME_LIMIT) -> list[tuple[str, dict[str, int]]]:
    """Blocs as of each date with stable slot numbers: [(date, {actor: slot})]. For colouring blocs while
    time plays: slot s keeps one colour (e.g. `render.style.bloc_colour(s)`) at every date. The date rule
    (what is active "as of") is the filter's; `base.as_of` is replaced by each date."""
    history = blocs_over_time(index, base, dates, k, exact_limit, time_limit)
    slots = match_blocs([result.blocs for _, result in history])
    return [(date, at_date) for (date, _), at_date in zip(history, slots, strict=True)]


def play_bloc_slots(index: Index, base: Filter, steps: Sequence[PlayStep],
                    k: int | None = None) -> list[dict[str, int]]:
    """Each play step's blocs with stable slots, {actor: slot} per step, for recolouring actors while play runs.
    Exact up to `PLAY_EXACT_ACTORS` tied actors and `PLAY_STEP_SECONDS` a step, local search beyond, so a window
    of a hundred months stays a matter of seconds (measured in the README)."""
    matched = matched_blocs_over_time(index, base, [step.as_of for step in steps], k,
                                      exact_limit=PLAY_EXACT_ACTORS, time_limit=PLAY_STEP_SECONDS)
    return [at_date for _, at_date in matched]


def bloc_river(steps: Sequence[str], slots: Sequence[Mapping[str, int]], names: Mapping[str, str],
               window_start: str) -> pd.DataFrame:
    """Cells of a bloc river: one row per (actor, step) where the actor sits in a bloc. Step i covers the months
    after step i-1 up to its own month (the first starts at `window_start`), shows the blocs as of its month,
    and `moved` says the actor sat in another bloc at its previous step in a bloc (`came_from`). `order` lines
    actors up by the bloc they end in, then by when they first appear, so each bloc reads as a band."""
    rows = []
    previous_slot: dict[str, int] = {}
    for number, (month, at_date) in enumerate(zip(steps, slots, strict=True)):
        begins = window_start if number == 0 else month_after(steps[number - 1])
        for actor, slot in sorted(at_date.items()):
            before = previous_slot.get(actor)
            rows.append({"actor": actor, "name": str(names.get(actor, actor)), "as_of": month, "slot": slot,
                         "bloc": f"Bloc {slot + 1}", "start": month_start(begins),
                         "end": month_start(month_after(month)),
                         "moved": before is not None and before != slot,
                         "came_from": "" if before is None or before == slot else f"Bloc {before + 1}"})
            previous_slot[actor] = slot
    frame = pd.DataFrame(rows, columns=["actor", "name", "as_of", "slot", "bloc", "start", "end", "moved",
                                        "came_from"])
    if frame.empty:
        return frame.assign(order=pd.Series(dtype=int))
    final = frame.groupby("actor")["slot"].last()
    first_seen = frame.groupby("actor")["start"].min()
    ordered = sorted(final.index, key=lambda a: (final[a], first_seen[a], str(names.get(a, a)).casefold()))
    frame["order"] = frame["actor"].map({actor: i for i, actor in enumerate(ordered)})
    return frame.sort_values(["order", "start"]).reset_index(drop=True)


def bloc_changes(steps: Sequence[str], slots: Sequence[Mapping[str, int]],
                 names: Mapping[str, str]) -> pd.DataFrame:
    """One row per (date, bloc): every member, and who joined or left that bloc since the previous date.
    At the first date nobody has joined or left; later, a new bloc has everyone as joined, and a bloc that
    disappears is listed empty with its former members as left."""
    rows = []
    before: dict[int, set[str]] | None = None

    def listing(actors: Collection[str]) -> str:
        return ", ".join(sorted((str(names.get(a, a)) for a in actors), key=str.casefold))

    for month, at_date in zip(steps, slots, strict=True):
        now: dict[int, set[str]] = {}
        for actor, slot in at_date.items():
            now.setdefault(slot, set()).add(actor)
        for slot in sorted(set(now) | set(before or {})):
            members = now.get(slot, set())
            previous = members if before is None else before.get(slot, set())
            rows.append({"as of": month, "bloc": f"Bloc {slot + 1}", "members": listing(members),
                         "joined": listing(members - previous), "left": listing(previous - members)})
        before = now
    return pd.DataFrame(rows, columns=["as of", "bloc", "members", "joined", "left"])
