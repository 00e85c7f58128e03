"""One frozen filter, parsed from CLI flags or URL parameters, applied through the indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from explorer.graph.index import (
    CONFIDENCE_RANK,
    Index,
    distinct_codes,
    distinct_per_owner,
    gather,
    outlet_key,
    relations_among,
    sorted_unique,
)
from explorer.graph.timerule import DECAYS, DEFAULT_LOOKBACK_MONTHS, MAX_LOOKBACK_MONTHS, TimeRule, activity, as_of_day
from explorer.model import DateError, day_from_number, listed, partial_date_bounds, whole_number
from explorer.tables.schema import vocabulary

MAX_HOPS = 3
MAX_SOURCES = 10  # the most independent outlets a filter can ask for (the bundled data's best has fewer)
MAX_LIST = 200  # more values than this in one parameter is not a filter anyone typed


@dataclass(frozen=True)
class Filter:
    """What the user asked to see; hashable, so views cache on it."""

    actors: tuple[str, ...] = ()
    hops: int = 1
    start: str = ""  # window: relations overlapping [start, end]
    end: str = ""
    as_of: str = ""  # relations active on that date (a partial date is the interval it names)
    types: tuple[str, ...] = ()
    polarities: tuple[int, ...] = ()
    min_confidence: str = ""
    outlets: tuple[str, ...] = ()
    exclude_claimants: tuple[str, ...] = ()
    min_sources: int = 1
    hide_single_perspective: bool = False
    lens: str = ""  # '' all voices, 'evidence' (claims excluded), or an actor id: according to that actor
    lookback: int = DEFAULT_LOOKBACK_MONTHS  # months an event counts after its date (the time rule)
    decay: str = "linear"
    organisations: bool = False  # organisations take sides (aligners) instead of being venues

    @property
    def time_rule(self) -> TimeRule:
        return TimeRule(self.lookback, self.decay)


LENS_ALL, LENS_EVIDENCE = "", "evidence"


def lens_label(lens: str, names: Mapping[str, str] | None = None) -> str:
    """The lens in words, for captions and exports."""
    if lens == LENS_ALL:
        return "all voices"
    if lens == LENS_EVIDENCE:
        return "evidence (claims excluded)"
    return f"according to {(names or {}).get(lens, lens)} (its claims and neutral reporting)"


def analysis_day(index: Index, chosen: Filter) -> int:
    """The day analysis views answer "as of": the chosen date, else the window's end, else the data's last day."""
    if chosen.as_of:
        return as_of_day(chosen.as_of)
    if chosen.end:
        return as_of_day(chosen.end)
    return index.last_day


def analysis_basis(index: Index, chosen: Filter) -> str:
    """One line every analysis view shows: the day it answers "as of", why that day, the time rule and the lens."""
    day = day_from_number(analysis_day(index, chosen)).isoformat()
    why = ("the date chosen" if chosen.as_of else "the end of the date window" if chosen.end
           else "the last day the data mentions, by default")
    names = index.actor_names
    return (f"As of {day} ({why}): {chosen.time_rule.describe()}; lens: {lens_label(chosen.lens, names)}; "
            f"only ties between actors that take sides count.")


@dataclass(frozen=True)
class View:
    """The result of a filter: relation positions and evidence positions kept, and the actors shown."""

    relations: np.ndarray
    evidence: np.ndarray
    actors: tuple[str, ...]
    filter: Filter = field(default_factory=Filter)

    def relation_ids(self, index: Index) -> list[str]:
        return [str(r) for r in index.relation_ids[self.relations]]

    def kept_evidence(self, index: Index, positions: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Evidence positions this view keeps for the given relation positions (default: all of its relations),
        with the index into `positions` each belongs to."""
        positions = np.asarray(self.relations if positions is None else positions)
        evidence, owner = gather(index.evidence_ptr, index.evidence_of, positions)
        kept = np.isin(evidence, self.evidence)
        return evidence[kept], owner[kept]


# ---- parsing: one declarative row per URL/CLI key --------------------------------------------------------


@dataclass(frozen=True)
class FilterField:
    key: str  # URL parameter and CLI flag (`--key`)
    attribute: str
    help: str
    parse: Callable[[list[str], Index], Any]  # raises ValueError with a message for the notice
    many: bool = False
    bounds: tuple[int, int] | None = None  # whole numbers: the range the parser accepts and the widget offers


def _one(values: list[str]) -> str:
    return values[-1].strip()


def _actors(values: list[str], index: Index) -> tuple[str, ...]:
    names = listed(values)[:MAX_LIST]
    found, unknown = [], []
    for name in names:
        actor = index.resolve_actor(name)
        (found.append(actor) if actor else unknown.append(name))
    if unknown:
        raise PartialValue(tuple(dict.fromkeys(found)), f"unknown actor(s) ignored: {', '.join(unknown)[:200]}")
    return tuple(dict.fromkeys(found))


def _bounded(name: str, lo: int, hi: int) -> Callable[[list[str], Index], int]:
    """A whole number in ASCII digits within [lo, hi]: exactly what the widget for it can show."""

    def parse(values: list[str], index: Index) -> int:
        number = whole_number(_one(values))
        if not lo <= number <= hi:
            raise ValueError(f"{name} must be {lo} to {hi}")
        return number

    return parse


def _date(values: list[str], index: Index) -> str:
    text = _one(values)
    partial_date_bounds(text)  # raises DateError
    return text


def _choices(vocab: str, convert: Callable[[str], Any] = str) -> Callable[[list[str], Index], tuple]:
    allowed = list(vocabulary(vocab))
    aliases = {term.label.casefold(): value for value, term in vocabulary(vocab).items()}

    def parse(values: list[str], index: Index) -> tuple:
        items = listed(values)[:MAX_LIST]
        chosen = [aliases.get(item.casefold(), item) for item in items]
        chosen = ["1" if item == "+1" else item for item in chosen]
        bad = [item for item in chosen if item not in allowed]
        good = tuple(dict.fromkeys(convert(item) for item in chosen if item in allowed))
        if bad:
            raise PartialValue(good, f"unknown {vocab} ignored: {', '.join(bad)[:200]}")
        return good

    return parse


def _one_of(allowed: Iterable[str], name: str) -> Callable[[list[str], Index], str]:
    """A parser for one value from a fixed list, any case, naming the list when the value is not in it."""
    choices = tuple(allowed)

    def parse(values: list[str], index: Index) -> str:
        value = _one(values).casefold()
        if value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(choices)}")
        return value

    return parse


def _outlets(values: list[str], index: Index) -> tuple[str, ...]:
    """Outlets the evidence names (host names, `www.` and case ignored), as the outlet selector lists them."""
    items = tuple(dict.fromkeys(listed(values)))[:MAX_LIST]
    known = set(index.evidence_outlet.tolist())
    found = tuple(dict.fromkeys(outlet_key(item) for item in items if outlet_key(item) in known))
    unknown = [item for item in items if outlet_key(item) not in known]
    if unknown:
        raise PartialValue(found, f"unknown outlet(s) ignored: {', '.join(unknown)[:200]}")
    return found


def _claimants(values: list[str], index: Index) -> tuple[str, ...]:
    """Actors whose claims can be hidden: those that claim something in the evidence."""
    try:
        found = _actors(values, index)
        dropped = ""
    except PartialValue as partial:
        found, dropped = partial.value, str(partial)
    claimants = set(index.evidence_claimant.tolist())
    silent = [actor for actor in found if actor not in claimants]
    if silent:
        dropped = "; ".join(filter(None, [dropped, f"no claims to hide from: {', '.join(silent)[:200]}"]))
    kept = tuple(actor for actor in found if actor in claimants)
    if dropped:
        raise PartialValue(kept, dropped)
    return kept


def _flag(values: list[str], index: Index) -> bool:
    value = _one(values).casefold()
    if value not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ValueError("expected 1 or 0")
    return value in {"1", "true", "yes", "on"}


def _lens(values: list[str], index: Index) -> str:
    value = _one(values)
    if value.casefold() in {"", "all", "all voices"}:
        return LENS_ALL
    if value.casefold() == LENS_EVIDENCE:
        return LENS_EVIDENCE
    actor = index.resolve_actor(value.removeprefix("according:"))
    if actor is None:
        raise ValueError("lens must be all, evidence, or an actor (according to that actor)")
    return actor


def _lookback(values: list[str], index: Index) -> int:
    months = whole_number(_one(values))
    if not 1 <= months <= MAX_LOOKBACK_MONTHS:
        raise ValueError(f"lookback must be 1 to {MAX_LOOKBACK_MONTHS} months")
    return months


class PartialValue(ValueError):
    """Some values were usable, some not: keep the usable ones and say what was dropped."""

    def __init__(self, value: Any, message: str) -> None:
        super().__init__(message)
        self.value = value


FIELDS: tuple[FilterField, ...] = (
    FilterField("actor", "actors", "actor id, name or alias (repeat or comma-separate)", _actors, many=True),
    FilterField("hops", "hops", f"how far from the chosen actors, 0 to {MAX_HOPS}", _bounded("hops", 0, MAX_HOPS),
                bounds=(0, MAX_HOPS)),
    FilterField("from", "start", "window start, partial ISO date", _date),
    FilterField("to", "end", "window end, partial ISO date", _date),
    FilterField("as_of", "as_of", "only relations active on this date", _date),
    FilterField("type", "types", "relation types (repeat or comma-separate)", _choices("type"), many=True),
    FilterField("polarity", "polarities", "1, 0, -1 or cooperative, mixed, adversarial",
                _choices("polarity", int), many=True),
    FilterField("min_confidence", "min_confidence", "low, medium or high",
                _one_of(CONFIDENCE_RANK, "minimum confidence")),
    FilterField("outlet", "outlets", "only evidence from these outlets (host names)", _outlets, many=True),
    FilterField("exclude_claimant", "exclude_claimants", "hide evidence claimed by these actors",
                _claimants, many=True),
    FilterField("min_sources", "min_sources", f"minimum independent origins per relation, 1 to {MAX_SOURCES}",
                _bounded("minimum sources", 1, MAX_SOURCES), bounds=(1, MAX_SOURCES)),
    FilterField("hide_single", "hide_single_perspective", "hide single-perspective relations (1/0)", _flag),
    FilterField("lens", "lens", "all (default), evidence (claims excluded), or an actor: according to it", _lens),
    FilterField("lookback", "lookback", f"months an event counts after its date (default {DEFAULT_LOOKBACK_MONTHS})",
                _lookback),
    FilterField("decay", "decay", "how an event fades over the look-back: linear, exponential or none",
                _one_of(DECAYS, "decay")),
    FilterField("organisations", "organisations", "organisations take sides like states (1/0; default: venues)",
                _flag),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


def parse_filter(params: Mapping[str, Iterable[str] | str], index: Index) -> tuple[Filter, list[str]]:
    """Filter from URL/CLI parameters; bad values are dropped with a notice each, never an exception."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for key, raw in params.items():
        spec = FIELD_BY_KEY.get(key)
        if spec is None:
            continue
        items = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        items = [item[:500] for item in items if item is not None][:MAX_LIST]
        if not items:
            continue
        if len(items) > 1 and not spec.many:
            notices.append(f"{key}: given {len(items)} times; only the last, {items[-1][:80]!r}, is used")
        try:
            values[spec.attribute] = spec.parse(items, index)
        except PartialValue as partial:
            values[spec.attribute] = partial.value
            notices.append(f"{key}: {partial}")
        except (ValueError, DateError) as error:
            notices.append(f"{key}: {error} (ignored: {items[-1][:80]!r})")
    result = replace(Filter(), **values)
    if result.start and result.end and partial_date_bounds(result.end)[1] < partial_date_bounds(result.start)[0]:
        notices.append(f"to: {result.end} is before from: {result.start} (window ignored)")
        result = replace(result, start="", end="")
    return result, notices


def filter_to_params(chosen: Filter) -> dict[str, list[str]]:
    """URL parameters for a filter, only those that differ from the default."""
    default = Filter()
    attribute_key = {f.attribute: f.key for f in FIELDS}
    params: dict[str, list[str]] = {}
    for item in fields(Filter):
        value = getattr(chosen, item.name)
        if value == getattr(default, item.name):
            continue
        key = attribute_key[item.name]
        if isinstance(value, tuple):
            params[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            params[key] = ["1" if value else "0"]
        else:
            params[key] = [str(value)]
    return params


# ---- applying ---------------------------------------------------------------------------------------------


def _date_candidates(index: Index, chosen: Filter) -> np.ndarray | None:
    """Relations that start early enough, from the start-sorted index; None when no date bounds them."""
    bounds = []
    if chosen.end:
        bounds.append(partial_date_bounds(chosen.end)[1])
    if chosen.as_of:
        bounds.append(as_of_day(chosen.as_of))
    if not bounds:
        return None
    cut = np.searchsorted(index.sorted_start, min(bounds), side="right")
    return np.sort(index.start_order[:cut])


def _relation_mask(index: Index, chosen: Filter, positions: np.ndarray) -> np.ndarray:
    """Which of `positions` pass the per-relation conditions (dates, type, polarity, confidence)."""
    keep = np.ones(len(positions), dtype=bool)
    if chosen.start or chosen.end:
        lo = partial_date_bounds(chosen.start)[0] if chosen.start else -(10**9)
        hi = partial_date_bounds(chosen.end)[1] if chosen.end else 10**9
        keep &= (index.start_lo[positions] <= hi) & (index.end_hi[positions] >= lo)
    if chosen.as_of:  # the time rule: in force on that day (events within their look-back window)
        keep &= activity(index.is_event[positions], index.start_hi[positions], index.end_lo[positions],
                         as_of_day(chosen.as_of), chosen.time_rule) > 0
    if chosen.types:
        keep &= np.isin(index.type[positions], list(chosen.types))
    if chosen.polarities:
        keep &= np.isin(index.polarity[positions], list(chosen.polarities))
    if chosen.min_confidence:
        keep &= index.confidence[positions] >= CONFIDENCE_RANK[chosen.min_confidence]
    return keep


def _evidence_filter(index: Index, chosen: Filter, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Apply the evidence conditions: (relations that keep enough evidence, evidence positions kept)."""
    evidence, owner = gather(index.evidence_ptr, index.evidence_of, positions)
    keep = np.ones(len(evidence), dtype=bool)
    if chosen.exclude_claimants:
        keep &= ~np.isin(index.evidence_claimant[evidence], list(chosen.exclude_claimants))
    if chosen.outlets:
        keep &= np.isin(index.evidence_outlet[evidence], [o.casefold().removeprefix("www.") for o in chosen.outlets])
    keep &= lens_mask(index, chosen.lens, evidence)
    supporting = keep & index.evidence_supports[evidence]
    ok = np.bincount(owner[supporting], minlength=len(positions)) > 0
    if chosen.min_sources > 1:
        ok &= independent_origins(index, evidence[keep], owner[keep], len(positions)) >= chosen.min_sources
    if chosen.hide_single_perspective:
        ok &= ~one_side(index, positions, evidence[keep], owner[keep])
    kept_evidence = evidence[keep & ok[owner]] if len(evidence) else evidence
    return positions[ok], np.sort(kept_evidence)


def lens_mask(index: Index, lens: str, evidence: np.ndarray) -> np.ndarray:
    """Evidence a lens keeps: all voices; reported fact only (claims excluded); or fact plus one actor's claims."""
    if lens == LENS_ALL:
        return np.ones(len(evidence), dtype=bool)
    claims = index.evidence_is_claim[evidence]
    if lens == LENS_EVIDENCE:
        return ~claims
    return ~claims | (index.evidence_claimant[evidence] == lens)


def independent_origins(index: Index, evidence: np.ndarray, owner: np.ndarray, size: int) -> np.ndarray:
    """Per owner: distinct origins among supporting evidence that reports as fact (claims and relays not counted
    twice). One definition for the table, the panel, the min-sources filter, tie weights and confidence."""
    reported = index.evidence_supports[evidence] & ~index.evidence_is_claim[evidence]
    return distinct_per_owner(owner[reported], index.evidence_origin[evidence[reported]], size)


def one_side(index: Index, positions: np.ndarray, evidence: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Per relation: single perspective, i.e. every supporting piece of evidence speaks for one and the same party
    (a claimant of that party's country or the party itself, or that state's media). An outlet with no side is
    "one source", not "one side"."""
    supporting = index.evidence_supports[evidence]
    sides = index.evidence_side[evidence[supporting]]
    owners = owner[supporting]
    size = len(positions)
    count = np.bincount(owners, minlength=size)
    sided = np.bincount(owners[sides != ""], minlength=size)
    distinct = distinct_per_owner(owners[sides != ""], sides[sides != ""], size)
    the_side = np.full(size, "", dtype=object)
    the_side[owners[sides != ""]] = sides[sides != ""]
    party = ((the_side == index.actor_side[index.source_code[positions]])
             | (the_side == index.actor_side[index.target_code[positions]]))
    return (count > 0) & (sided == count) & (distinct == 1) & party


def _passing(index: Index, chosen: Filter, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    positions = positions[_relation_mask(index, chosen, positions)]
    return _evidence_filter(index, chosen, positions)


def apply_filter(index: Index, chosen: Filter) -> View:
    """The relations and actors a filter selects; with actors, it walks out `hops` steps from them."""
    if not chosen.actors:
        candidates = _date_candidates(index, chosen)
        positions = np.arange(index.relation_count) if candidates is None else candidates
        relations, evidence = _passing(index, chosen, positions)
        codes = distinct_codes(np.concatenate([index.source_code[relations], index.target_code[relations]]),
                               len(index.actor_ids))
        return View(relations, evidence, tuple(str(a) for a in index.actor_ids[codes]), chosen)

    selected = np.array([index.actor_code[a] for a in chosen.actors if a in index.actor_code], dtype=np.int64)
    visited = distinct_codes(selected, len(index.actor_ids))
    frontier = visited
    for _ in range(chosen.hops):
        incident, _owner = gather(index.incident_ptr, index.incident, frontier)
        passing, _ = _passing(index, chosen, sorted_unique(incident))
        neighbours = distinct_codes(np.concatenate([index.source_code[passing], index.target_code[passing]]),
                                    len(index.actor_ids))
        frontier = np.setdiff1d(neighbours, visited, assume_unique=True)
        if len(frontier) == 0:
            break
        visited = np.union1d(visited, frontier)
    relations, evidence = _passing(index, chosen, relations_among(index, visited))
    codes = distinct_codes(np.concatenate([selected, index.source_code[relations], index.target_code[relations]]),
                           len(index.actor_ids))
    return View(relations, evidence, tuple(str(a) for a in index.actor_ids[codes]), chosen)


def common_relations(index: Index, first: View, second: View) -> np.ndarray:
    """Relation positions in both views, sorted: a mask over the index, not a sort of a million positions."""
    inside = np.zeros(index.relation_count, dtype=bool)
    inside[np.asarray(second.relations, dtype=np.int64)] = True
    mine = np.asarray(first.relations, dtype=np.int64)
    return np.unique(mine[inside[mine]])


# ---- in words ----------------------------------------------------------------------------------------------


def _joined(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def describe_filter(chosen: Filter, index: Index) -> str:
    """The filter as one sentence, for captions and every export, so a file says which view produced it:
    "hostility and sanction relations as of 2025-07, IRAF's claims hidden, within 1 hop of Taliban"."""
    names = index.dataset.actors["name"]
    name = lambda actor: str(names.get(actor, actor))  # noqa: E731
    types = vocabulary("type")
    polarities = vocabulary("polarity")
    subject = "relations"
    if chosen.types:
        subject = f"{_joined([types[t].label.lower() if t in types else t for t in chosen.types])} relations"
    if chosen.polarities:
        labels = [polarities[str(p)].label.lower() for p in chosen.polarities if str(p) in polarities]
        subject = f"{_joined(labels)} {subject}"
    if not (chosen.types or chosen.polarities):
        subject = "all relations"
    parts = [subject]
    if chosen.start and chosen.end:
        parts[0] += f" from {chosen.start} to {chosen.end}"
    elif chosen.start:
        parts[0] += f" from {chosen.start} on"
    elif chosen.end:
        parts[0] += f" up to {chosen.end}"
    if chosen.as_of:
        parts[0] += f" as of {chosen.as_of}"
    if chosen.min_confidence:
        parts.append(f"confidence {chosen.min_confidence} or higher")
    if chosen.exclude_claimants:
        parts.append(f"{_joined([_possessive(name(a)) for a in chosen.exclude_claimants])} claims hidden")
    if chosen.outlets:
        parts.append(f"only evidence from {_joined(list(chosen.outlets))}")
    if chosen.min_sources > 1:
        parts.append(f"at least {chosen.min_sources} independent origins each")
    if chosen.hide_single_perspective:
        parts.append("single-perspective relations hidden")
    described = {"actors", "hops", "start", "end", "as_of", "types", "polarities", "min_confidence", "outlets",
                 "exclude_claimants", "min_sources", "hide_single_perspective"}
    default = Filter()
    for spec in FIELDS:  # fields added later are still said, in their own help text's words
        value = getattr(chosen, spec.attribute)
        if spec.attribute not in described and value != getattr(default, spec.attribute):
            shown = ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
            parts.append(f"{spec.help.split('(')[0].strip()}: {shown}")
    if chosen.actors:
        hops = "1 hop" if chosen.hops == 1 else f"{chosen.hops} hops"
        around = _joined([name(a) for a in chosen.actors])
        parts.append(f"only {around}" if chosen.hops == 0 else f"within {hops} of {around}")
    return ", ".join(parts)
