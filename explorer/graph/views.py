"""Every URL parameter of a view besides the filter's own (`FilterField`): key, bounds, default, parser, words.

The filter says *what* is shown; these say *how* (which view, its target, the selection, the numbers of the
bloc and path views). One table drives reading a URL and writing one, so a new key is one row and both
directions, the notices and the defaults follow. Defaults come from the data set, never from actor literals.
Pure: no Streamlit; the app maps each key to its widget.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from explorer.events.layer import LAYERS
from explorer.graph.filters import FIELD_BY_KEY, LENS_ALL, LENS_EVIDENCE, PartialValue, lens_label
from explorer.graph.index import Index
from explorer.model import day_span, month_of_day, months_between, whole_number

VIEWS = ("Explore", "Axes", "Check axis", "Realignment", "Blocs", "Timeline", "Paths", "Sources", "Suggest", "Data",
         "Curate")
WATCH_VIEW = "Realignment"  # the realignment watch: unbalanced triangles of the whole view, heaviest first
CHECK_VIEW = "Check axis"
TARGET_VIEWS = ("Axes", CHECK_VIEW)  # views that read the target actor
LINES = ("ties", "relations")  # the graph draws one line per pair (net tie) or one per relation
MAX_TEXT = 200  # longer than this is not a value anyone typed
MAX_MEMBERS = 50


@dataclass(frozen=True)
class ViewParam:
    """One URL key of a view: how to read it, what it defaults to, and when a URL carries it."""

    key: str
    help: str  # what it means, in words (notices, docs)
    parse: Callable[[str, Index], Any]  # one text -> value; ValueError(words) for a bad one
    default: Callable[[Index], Any]  # from the data set
    views: tuple[str, ...] = ()  # views whose URL carries it; () = every view
    bounds: tuple[int, int] | None = None  # whole numbers: lo, hi
    many: bool = False  # repeatable (`members=a&members=b`): parse gets every value, PartialValue keeps good ones
    always: bool = False  # written even when it equals the default, so a link keeps meaning if defaults change
    blank: str = ""  # how a falsy value is written when `always` (the lens "" is `all`)

    @property
    def choices(self) -> list[int]:
        """Every whole number the bounds allow (a widget offers exactly what the URL may carry)."""
        assert self.bounds is not None
        return list(range(self.bounds[0], self.bounds[1] + 1))

    @property
    def lo(self) -> int:
        assert self.bounds is not None
        return self.bounds[0]

    @property
    def hi(self) -> int:
        assert self.bounds is not None
        return self.bounds[1]

    def text(self, value: Any) -> list[str]:
        """The URL values for a value: [] for none."""
        if self.many:
            return [str(v) for v in value or ()]
        if value is None or value == "":
            return [self.blank] if self.blank else []
        return [str(value)]


# ---- defaults from the data set ------------------------------------------------------------------------------


def most_opposed(index: Index) -> str | None:
    """The actor with the most adversarial relations: the natural target of an axis (Iran in the bundled data).

    Ties go to the actor listed first; with no adversarial relation, the first actor; with no actor, None."""
    if not len(index.actor_ids):
        return None
    return str(index.actor_ids[int(np.argmax(index.adversarial_degree))])


def most_connected(index: Index, count: int, leaving_out: Iterable[str] = ()) -> list[str]:
    """The `count` actors in the most relations, most first (ties in table order), leaving some out."""
    degree = index.degree
    skip = [index.actor_code[a] for a in leaving_out if a in index.actor_code]
    candidates = np.setdiff1d(np.flatnonzero(degree > 0), skip)
    ranked = candidates[np.lexsort((candidates, -degree[candidates]))]
    return [str(a) for a in index.actor_ids[ranked[:count]]]


def default_members(index: Index) -> list[str]:
    """The Check axis members: the two most connected actors other than the target (Taliban and Azerbaijan in the
    bundled data, the seed article's axis)."""
    return most_connected(index, 2, leaving_out=[most_opposed(index) or ""])


def claimant_lenses(index: Index) -> list[str]:
    """Actors whose claims the data records, by how many claims, most first: each is a lens "according to X"."""
    counts = index.claim_counts
    return sorted(counts, key=lambda c: (-counts[c], c))


def default_lenses(index: Index) -> tuple[str, str]:
    """The Check axis lenses: according to the most frequent claimant (IRAF in the bundled data), against evidence
    only; all voices against evidence when the data records no claim."""
    claimants = claimant_lenses(index)
    return (claimants[0] if claimants else LENS_ALL), LENS_EVIDENCE


# ---- what the widgets offer: the date sliders' months, the lenses ---------------------------------------------


@dataclass(frozen=True)
class Months:
    """The month steps the date sliders offer, from the first to the last month the data mentions.

    >>> Months(("2024-11", "2024-12", "2025-01")).clamp("2030-05")
    '2025-01'
    """

    options: tuple[str, ...] = field(default_factory=tuple)

    @property
    def first(self) -> str:
        return self.options[0]

    @property
    def last(self) -> str:
        return self.options[-1]

    def clamp(self, month: str) -> str:
        """The month itself when the sliders offer it, else the nearer end: a URL's month outside the data's span
        still lands on a slider step."""
        return min(max(month, self.first), self.last)

    def widened(self, first: str, last: str) -> Months:
        """These months and every month out to `first` and `last`: the sliders then also offer the months of an
        event layer shown beside the curated relations, so "as of" can name each month its graph plays.

        >>> Months(("2024-11", "2024-12")).widened("2024-12", "2025-02").options
        ('2024-11', '2024-12', '2025-01', '2025-02')
        """
        return Months(months_between(min(self.first, first), max(self.last, last)))


def months_of(index: Index) -> Months:
    """Every month from the first day the data mentions to the last (the last day alone when it has no relation)."""
    span = day_span(index.start_lo, index.start_hi, index.end_hi)
    if span is None:
        return Months((month_of_day(index.last_day),))
    return Months(months_between(month_of_day(span[0]), month_of_day(span[1])))


def lens_options(index: Index) -> list[str]:
    """All voices, evidence only, then "according to X" for every actor whose claims the data records."""
    return [LENS_ALL, LENS_EVIDENCE, *sorted(claimant_lenses(index))]


def lens_words(index: Index) -> Callable[[str], str]:
    """A lens -> its words with the data's actor names (a selectbox's `format_func`)."""
    names = index.actor_names
    return lambda lens: lens_label(lens, names)


# ---- parsers: one text -> value, ValueError naming what is wrong --------------------------------------------




def _one_of(allowed: Callable[[Index], Container[str]], words: str) -> Callable[[str, Index], str]:
    """A parser that keeps a text found in `allowed(index)`; `words` says what is wrong ({text!r}, or {short!r}
    for its first 80 characters)."""
    def parse(text: str, index: Index) -> str:
        if text not in allowed(index):
            raise ValueError(words.format(text=text, short=text[:80]))
        return text

    return parse


_view = _one_of(lambda index: VIEWS, "unknown view {text!r} ignored")
_relation = _one_of(lambda index: index.relation_position, "unknown relation {text!r} ignored")
_lines = _one_of(lambda index: LINES, "{short!r} is neither ties nor relations (ignored)")
_document = _one_of(lambda index: index.dataset.documents, "no stored document {short!r} in this data (ignored)")
_layer = _one_of(lambda index: LAYERS, f"{{short!r}} is not one of {', '.join(LAYERS)} (ignored)")


def _tie(text: str, index: Index) -> str:
    ends = [index.resolve_actor(end) for end in text.split("~")]
    if len(ends) != 2 or None in ends:
        raise ValueError(f"not two known actors joined by ~: {text!r} ignored")
    return "~".join(sorted(str(end) for end in ends))


def _actor(text: str, index: Index) -> str:
    if (actor := index.resolve_actor(text)) is None:
        raise ValueError(f"unknown actor {text!r} ignored")
    return actor



def _whole(lo: int, hi: int) -> Callable[[str, Index], int]:
    def parse(text: str, index: Index) -> int:
        try:
            value = whole_number(text)
        except ValueError:
            raise ValueError(f"not a whole number {text!r} (ignored)") from None
        if not lo <= value <= hi:
            raise ValueError(f"{value} is outside {lo}–{hi} (ignored)")
        return value

    return parse


def _members(values: list[str], index: Index) -> list[str]:
    found, unknown = [], []
    for value in values[:MAX_MEMBERS]:
        actor = index.resolve_actor(value[:MAX_TEXT])
        if actor is None:
            unknown.append(f"unknown actor {value[:80]!r} ignored")
        elif actor not in found:
            found.append(actor)
    if unknown:
        raise PartialValue(found, "; ".join(unknown))
    return found


def _lens(text: str, index: Index) -> str:
    try:
        lens = FIELD_BY_KEY["lens"].parse([text], index)
    except ValueError as error:
        raise ValueError(f"{error} (ignored: {text[:80]!r})") from None
    if lens not in (LENS_ALL, LENS_EVIDENCE, *claimant_lenses(index)):
        raise ValueError(f"no claims of {text[:80]!r} in this data (ignored)")
    return lens




def _constant(value: Any) -> Callable[[Index], Any]:
    return lambda index: value


def _whole_param(key: str, help: str, lo: int, hi: int, default: int, views: tuple[str, ...] = ()) -> ViewParam:
    return ViewParam(key, f"{help}, {lo} to {hi} (default {default})", _whole(lo, hi), _constant(default), views,
                     bounds=(lo, hi))


PARAMS: tuple[ViewParam, ...] = (
    ViewParam("view", f"the view shown: {', '.join(VIEWS)}", _view, _constant(VIEWS[0])),
    ViewParam("relation", "the selected relation (its id)", _relation, _constant("")),
    ViewParam("tie", "the selected tie: two actors joined by ~", _tie, _constant("")),
    ViewParam("selected_actor", "the selected actor", _actor, _constant("")),
    ViewParam("lines", "one line per pair (ties) or per relation (relations)", _lines, _constant(LINES[0])),
    ViewParam("target", "the actor an axis is against (default: the one in most adversarial relations)", _actor,
              most_opposed, TARGET_VIEWS, always=True),
    _whole_param("k", "number of blocs (0: the best number)", 0, 6, 0, ("Blocs",)),
    _whole_param("time", "seconds the exact bloc search may run", 1, 120, 20, ("Blocs",)),
    _whole_param("cap", "most actors drawn", 10, 2000, 300),
    _whole_param("length", "most hops of a path", 1, 5, 3, ("Paths",)),
    ViewParam("a", "a path's first actor", _actor, _constant(None), ("Paths",)),
    ViewParam("b", "a path's last actor", _actor, _constant(None), ("Paths",)),
    ViewParam("members", "the members of the axis to check (repeat; default: the two most connected actors "
              "other than the target)", _members, default_members, (CHECK_VIEW,), many=True, always=True),
    ViewParam("lens_a", "the first lens of the check (default: according to the most frequent claimant)", _lens,
              lambda index: default_lenses(index)[0], (CHECK_VIEW,), always=True, blank="all"),
    ViewParam("lens_b", "the second lens of the check (default: evidence only)", _lens,
              lambda index: default_lenses(index)[1], (CHECK_VIEW,), always=True, blank="all"),
    ViewParam("document", "the stored document the source reader shows", _document, _constant(""), ("Sources",)),
    ViewParam("layer", "what the graph draws: the curated relations, the machine-coded event ties, or both",
              _layer, _constant(LAYERS[0]), ("Explore",)),
)
PARAM_BY_KEY = {p.key: p for p in PARAMS}


def read_view(params: Mapping[str, list[str]], index: Index) -> tuple[dict[str, Any], list[str]]:
    """Every view parameter from URL values: bad or missing ones take their default, with a notice for each bad
    one, a repeated one and a key that is neither a view nor a filter parameter. Never raises."""
    values: dict[str, Any] = {}
    notices: list[str] = []
    for spec in PARAMS:
        given = [str(v) for v in params.get(spec.key) or []]
        values[spec.key] = spec.default(index)
        if spec.many:
            if given:
                try:
                    values[spec.key] = spec.parse(given, index)
                except PartialValue as partial:
                    values[spec.key] = partial.value
                    notices.append(f"{spec.key}: {partial}")
            continue
        if len(given) > 1:
            notices.append(f"{spec.key}: given {len(given)} times; only the last, {given[-1][:80]!r}, is used")
        text = given[-1][:MAX_TEXT] if given else ""
        if not text:
            continue
        try:
            values[spec.key] = spec.parse(text, index)
        except ValueError as error:
            notices.append(f"{spec.key}: {error}")
    notices += [f"{key[:40]}: not a parameter of this app (ignored)" for key in params
                if key not in PARAM_BY_KEY and key not in FIELD_BY_KEY]
    return values, notices


def selection_of(values: Mapping[str, Any]) -> str:
    """The graph's one selection from the URL: a relation first, else a tie, else an actor ("kind:id" or "")."""
    for kind, key in (("relation", "relation"), ("tie", "tie"), ("actor", "selected_actor")):
        if values.get(key):
            return f"{kind}:{values[key]}"
    return ""


def view_params(values: Mapping[str, Any], index: Index) -> dict[str, list[str]]:
    """URL values of a view: those its view carries, each only when it differs from its default (or `always`)."""
    view = values.get("view") or VIEWS[0]
    params: dict[str, list[str]] = {}
    for spec in PARAMS:
        if (spec.views and view not in spec.views) or spec.key not in values:
            continue
        value = values[spec.key]
        if not spec.always and value == spec.default(index):
            continue
        if text := spec.text(value):
            params[spec.key] = text
    return params
