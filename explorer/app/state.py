"""Every session-state key and URL parameter of the app, and the translation between them and a Filter."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from explorer.graph import Filter, Index, filter_to_params, parse_filter
from explorer.graph.filters import FIELD_BY_KEY, LENS_ALL, LENS_EVIDENCE, lens_label
from explorer.model import OPEN_END, day_from_number, partial_date_bounds, whole_number
from explorer.tables.schema import vocabulary

ANY = "any"
VIEWS = ("Explore", "Axes", "Check axis", "Realignment", "Blocs", "Timeline", "Paths", "Sources", "Suggest", "Data",
         "Curate")
WATCH_VIEW = "Realignment"  # the realignment watch: unbalanced triangles of the whole view, heaviest first
CHECK_VIEW = "Check axis"
TARGET_VIEWS = ("Axes", CHECK_VIEW)  # views that read the target actor
POLARITY_LABELS = {term.label: int(value) for value, term in vocabulary("polarity").items()}
CONFIDENCES = (ANY, *vocabulary("confidence"))
MAX_CAP = 2000

# Widget keys (owned here, nowhere else).
ACTORS, HOPS, FROM, TO, AS_OF = "f_actors", "f_hops", "f_from", "f_to", "f_as_of"
TYPES, POLARITY, MIN_CONFIDENCE = "f_types", "f_polarity", "f_min_confidence"
OUTLETS, EXCLUDED, MIN_SOURCES, HIDE_SINGLE = "f_outlets", "f_exclude", "f_min_sources", "f_hide_single"
LENS, LOOKBACK, DECAY, ORGANISATIONS = "f_lens", "f_lookback", "f_decay", "f_organisations"
CAP, VIEW, TARGET, BLOCS_K, PATH_A, PATH_B, PATH_LENGTH = "cap", "view", "target", "blocs_k", "path_a", "path_b", \
    "path_length"
BLOCS_TIME = "blocs_time"  # seconds the exact bloc search may run
MEMBERS, LENS_A, LENS_B = "members", "lens_a", "lens_b"  # the Check axis view: its members and its two lenses
CHECK_CELL = "check_cell"  # the verdict-matrix cell whose evidence is open: (pair number, lens number)
SEED_MEMBERS, SEED_LENSES = ("taliban", "azerbaijan"), ("iraf", LENS_EVIDENCE)  # the seed's axis, the seed's voice
# Plain state keys.
RELATION, NOTICES, URL_READ, UPLOADED, DOCUMENT = "relation", "notices", "url_read", "uploaded", "document"
SELECTED, LINES, APP_RERUN = "selected", "lines", "app_rerun"  # the graph's selection ("kind:id"), lines mode
SELECTION_PARAMS = {"relation": "relation", "tie": "tie", "actor": "selected_actor"}  # selection kind -> URL key
SUGGESTED = "suggested"  # (text digest, data key, limits) and the suggestions found for them
CHECKED_UPLOAD = "checked_upload"  # (digest of the uploaded files, their CheckedUpload)


@dataclass(frozen=True)
class Number:
    """A whole-number URL parameter and the widget that shows it: one range for both, so every value the URL
    can carry is one the widget can show, and any other gets a notice."""

    param: str
    key: str
    lo: int
    hi: int
    default: int

    @property
    def choices(self) -> list[int]:
        return list(range(self.lo, self.hi + 1))


NUMBERS = {n.param: n for n in (Number("k", BLOCS_K, 0, 6, 0), Number("time", BLOCS_TIME, 1, 120, 20),
                                Number("cap", CAP, 10, MAX_CAP, 300), Number("length", PATH_LENGTH, 1, 5, 3))}


@dataclass(frozen=True)
class Months:
    """The month steps the date sliders offer, from the first to the last month the data mentions."""

    options: tuple[str, ...] = field(default_factory=tuple)

    @property
    def first(self) -> str:
        return self.options[0]

    @property
    def last(self) -> str:
        return self.options[-1]

    def clamp(self, month: str) -> str:
        return min(max(month, self.first), self.last)


def months_of(index: Index) -> Months:
    if index.relation_count == 0:
        return Months(("2025-01",))
    ends = index.end_hi[index.end_hi < OPEN_END]
    lo = int(index.start_lo.min())
    hi = int(max(index.start_hi.max(), ends.max() if len(ends) else lo))
    first, last = day_from_number(lo), day_from_number(hi)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    options = tuple(f"{first.year + (first.month - 1 + i) // 12}-{(first.month - 1 + i) % 12 + 1:02d}"
                    for i in range(count))
    return Months(options)


def _month(text: str, first: bool) -> str:
    """The month a partial date starts (first=True) or ends in."""
    lo, hi = partial_date_bounds(text)
    return day_from_number(lo if first else hi).strftime("%Y-%m")


def read_url(index: Index, months: Months) -> None:
    """First run of a session: URL parameters become widget values; bad ones become notices."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    chosen, notices = parse_filter({k: v for k, v in params.items() if k in FIELD_BY_KEY}, index)
    state = st.session_state
    state[ACTORS] = list(chosen.actors)
    state[HOPS] = chosen.hops
    start = months.clamp(_month(chosen.start, True)) if chosen.start else months.first
    end = months.clamp(_month(chosen.end, False)) if chosen.end else months.last
    state[FROM], state[TO] = (start, end) if start <= end else (months.first, months.last)
    state[AS_OF] = months.clamp(_month(chosen.as_of, True)) if chosen.as_of else ANY
    state[TYPES] = list(chosen.types)
    labels = {v: k for k, v in POLARITY_LABELS.items()}
    state[POLARITY] = [labels[p] for p in chosen.polarities]
    state[MIN_CONFIDENCE] = chosen.min_confidence or ANY
    state[OUTLETS] = list(chosen.outlets)
    state[EXCLUDED] = list(chosen.exclude_claimants)
    state[MIN_SOURCES] = chosen.min_sources
    state[HIDE_SINGLE] = chosen.hide_single_perspective
    state[LENS] = chosen.lens
    state[LOOKBACK] = chosen.lookback
    state[DECAY] = chosen.decay
    state[ORGANISATIONS] = chosen.organisations

    def one(key: str) -> str:
        known.add(key)
        values = params.get(key) or [""]
        if len(values) > 1 and key not in repeated:
            repeated.add(key)
            notices.append(f"{key}: given {len(values)} times; only the last, {values[-1][:80]!r}, is used")
        return values[-1][:200]

    repeated: set[str] = set()
    known: set[str] = {*FIELD_BY_KEY, "members"}  # and what `one` reads; st.query_params hides "embed" itself

    view = one("view")
    state[VIEW] = view if view in VIEWS else VIEWS[0]
    if view and view not in VIEWS:
        notices.append(f"view: unknown view {view!r} ignored")
    relation = one("relation")
    if relation and relation not in index.relation_position:
        notices.append(f"relation: unknown relation {relation!r} ignored")
        relation = ""
    state[RELATION] = relation
    state[SELECTED] = f"relation:{relation}" if relation else ""
    tie = one("tie")
    ends = [index.resolve_actor(end) for end in tie.split("~")] if tie else []
    if tie and (len(ends) != 2 or None in ends):
        notices.append(f"tie: not two known actors joined by ~: {tie!r} ignored")
    elif tie and not relation:
        state[SELECTED] = "tie:" + "~".join(sorted(str(end) for end in ends))
    selected_actor = one("selected_actor")
    if selected_actor and not index.resolve_actor(selected_actor):
        notices.append(f"selected_actor: unknown actor {selected_actor!r} ignored")
    elif selected_actor and not relation and not tie:
        state[SELECTED] = f"actor:{index.resolve_actor(selected_actor)}"
    lines = one("lines")
    state[LINES] = "relations" if lines == "relations" else "ties"
    if lines not in ("", "ties", "relations"):
        notices.append(f"lines: {lines[:80]!r} is neither ties nor relations (ignored)")
    target = one("target")
    state[TARGET] = index.resolve_actor(target) if target else _default_target(index)
    if target and not index.resolve_actor(target):
        notices.append(f"target: unknown actor {target!r} ignored")
        state[TARGET] = _default_target(index)
    for number in NUMBERS.values():
        state[number.key] = _int(one(number.param), number.lo, number.hi, number.default, number.param, notices)
    for key, param in ((PATH_A, "a"), (PATH_B, "b")):
        actor = index.resolve_actor(one(param)) if one(param) else None
        if one(param) and actor is None:
            notices.append(f"{param}: unknown actor {one(param)!r} ignored")
        state[key] = actor
    state[MEMBERS] = _members(index, params.get("members") or [], notices)
    for key, default in zip((LENS_A, LENS_B), _default_lenses(index), strict=True):
        state[key] = _check_lens(index, one(key), default, key, notices)
    document = one("document")
    if document and document not in index.dataset.documents:
        notices.append(f"document: no stored document {document[:80]!r} in this data (ignored)")
        document = ""
    state[DOCUMENT] = document
    notices += [f"{key[:40]}: not a parameter of this app (ignored)" for key in params if key not in known]
    state[NOTICES] = notices
    state[URL_READ] = True


def _default_target(index: Index) -> str | None:
    return "iran" if "iran" in index.actor_code else (str(index.actor_ids[0]) if len(index.actor_ids) else None)


def _members(index: Index, values: list[str], notices: list[str]) -> list[str]:
    """The Check axis members from the URL (repeatable), else the seed's axis where the data has it."""
    if not values:
        return [m for m in SEED_MEMBERS if m in index.actor_code]
    found = []
    for value in values[:50]:
        actor = index.resolve_actor(value[:200])
        if actor is None:
            notices.append(f"members: unknown actor {value[:80]!r} ignored")
        elif actor not in found:
            found.append(actor)
    return found


def check_defaults(index: Index) -> None:
    """Streamlit drops a widget's value while its view is not shown: coming back starts from the defaults."""
    state = st.session_state
    state.setdefault(MEMBERS, _members(index, [], []))
    state.setdefault(TARGET, _default_target(index))
    for key, default in zip((LENS_A, LENS_B), _default_lenses(index), strict=True):
        state.setdefault(key, default)


def _default_lenses(index: Index) -> tuple[str, str]:
    """"According to IRAF" against evidence when IRAF's claims are in the data, else all voices against evidence."""
    first, second = SEED_LENSES
    return (first if first in lens_options(index) else LENS_ALL), second


def _check_lens(index: Index, text: str, default: str, name: str, notices: list[str]) -> str:
    if not text:
        return default
    try:
        lens = FIELD_BY_KEY["lens"].parse([text], index)
    except ValueError as error:
        notices.append(f"{name}: {error} (ignored: {text[:80]!r})")
        return default
    if lens not in lens_options(index):
        notices.append(f"{name}: no claims of {text[:80]!r} in this data (ignored)")
        return default
    return lens


def _int(text: str, lo: int, hi: int, default: int, name: str, notices: list[str]) -> int:
    if not text:
        return default
    try:
        value = whole_number(text)
    except ValueError:
        notices.append(f"{name}: not a whole number {text!r} (ignored)")
        return default
    if not lo <= value <= hi:
        notices.append(f"{name}: {value} is outside {lo}–{hi} (ignored)")
        return default
    return value


def current_filter(months: Months) -> Filter:
    """The Filter the sidebar widgets describe."""
    state = st.session_state
    # A window that runs backwards is read as its mirror image rather than as an empty view.
    start, end = sorted((state[FROM], state[TO]))
    return Filter(
        actors=tuple(state[ACTORS]),
        hops=int(state[HOPS]),
        start="" if start == months.first else start,
        end="" if end == months.last else end,
        as_of="" if state[AS_OF] == ANY else state[AS_OF],
        types=tuple(state[TYPES]),
        polarities=tuple(POLARITY_LABELS[label] for label in state[POLARITY]),
        min_confidence="" if state[MIN_CONFIDENCE] == ANY else state[MIN_CONFIDENCE],
        outlets=tuple(state[OUTLETS]),
        exclude_claimants=tuple(state[EXCLUDED]),
        min_sources=int(state[MIN_SOURCES]),
        hide_single_perspective=bool(state[HIDE_SINGLE]),
        lens=state[LENS],
        lookback=int(state[LOOKBACK]),
        decay=state[DECAY],
        organisations=bool(state[ORGANISATIONS]),
    )


def write_url(chosen: Filter) -> None:
    """Mirror the whole view in the URL so that copying it restores it; only touch it when it changed."""
    state = st.session_state
    params = filter_to_params(chosen)
    extra = {"view": state[VIEW] if state[VIEW] != VIEWS[0] else "", **selection_params(),
             "target": (state.get(TARGET) or "") if state[VIEW] in TARGET_VIEWS else "",
             "k": str(state[BLOCS_K]) if state[VIEW] == "Blocs" and state[BLOCS_K] else "",
             "time": str(state[BLOCS_TIME]) if state[VIEW] == "Blocs" and state[BLOCS_TIME] != 20 else "",
             "a": (state.get(PATH_A) or "") if state[VIEW] == "Paths" else "",
             "b": (state.get(PATH_B) or "") if state[VIEW] == "Paths" else "",
             "length": str(state[PATH_LENGTH]) if state[VIEW] == "Paths" and state[PATH_LENGTH] != 3 else "",
             "cap": str(state[CAP]) if state[CAP] != 300 else "",
             "document": (state.get(DOCUMENT) or "") if state[VIEW] == "Sources" else ""}
    params.update({k: [v] for k, v in extra.items() if v})
    if state[VIEW] == CHECK_VIEW:
        params["members"] = list(state.get(MEMBERS) or [])
        params.update({key: [state.get(key) or "all"] for key in (LENS_A, LENS_B)})
        params = {k: v for k, v in params.items() if v}
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != params:
        st.query_params.from_dict(params)


def reset() -> None:
    """Back to the unfiltered default view (a button callback: runs before the widgets exist)."""
    for key in list(st.session_state):
        if key != UPLOADED:
            del st.session_state[key]
    st.query_params.clear()


def select_relation(relation_id: str) -> None:
    set_selection(f"relation:{relation_id}" if relation_id else "")


def selection() -> str:
    """What the graph has selected: "relation:ID", "tie:A~B", "actor:ID" or ""."""
    return st.session_state.get(SELECTED) or ""


def set_selection(value: str) -> None:
    kind, _, identifier = value.partition(":")
    if kind not in SELECTION_PARAMS or not identifier:
        value, kind, identifier = "", "", ""
    st.session_state[SELECTED] = value
    st.session_state[RELATION] = identifier if kind == "relation" else ""


def selection_params() -> dict[str, str]:
    """URL parameters of the graph's selection and lines mode ("" for those not set)."""
    kind, _, identifier = selection().partition(":")
    params = {key: identifier if kind == chosen else "" for chosen, key in SELECTION_PARAMS.items()}
    params["lines"] = "relations" if lines() == "relations" else ""
    return params


def mirror_selection_in_url() -> None:
    """Only the selection's parameters change: a fragment rerun does not rewrite the whole URL."""
    for key, value in selection_params().items():
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def ask(members: tuple[str, ...], target: str) -> None:
    """A question on the first page: its Check axis, members against target (a button callback)."""
    st.session_state[VIEW] = CHECK_VIEW
    st.session_state[MEMBERS] = list(members)
    st.session_state[TARGET] = target


def lines() -> str:
    return st.session_state.get(LINES) or "ties"


def set_lines(mode: str) -> None:
    if mode in ("ties", "relations"):
        st.session_state[LINES] = mode


def focus_actor(actor_id: str) -> None:
    """The actor panel's "focus" button: the actor becomes the one chosen actor of the ego view."""
    st.session_state[ACTORS] = [actor_id]
    set_selection(f"actor:{actor_id}")
    st.session_state[APP_RERUN] = True


def add_actor(actor_id: str) -> None:
    """The actor panel's "add to the actor filter" button."""
    st.session_state[ACTORS] = list(dict.fromkeys([*st.session_state.get(ACTORS, []), actor_id]))
    st.session_state[APP_RERUN] = True


def pause_at(month: str, months: Months) -> None:
    """Play paused at this month: "as of" follows and the whole page runs again (the graph asked from its
    fragment)."""
    set_as_of(month, months)
    st.session_state[APP_RERUN] = True


def take_app_rerun() -> bool:
    """Whether a graph callback changed the filter, so the whole page (not only the graph) must run again."""
    return bool(st.session_state.pop(APP_RERUN, False))


def claimant_options(index: Index) -> list[str]:
    return sorted({c for c in index.evidence_claimant if c})


def lens_options(index: Index) -> list[str]:
    """All voices, evidence only, then "according to X" for every actor whose claims the data records."""
    claimants = sorted({str(c) for c, claim in zip(index.evidence_claimant, index.evidence_is_claim, strict=True)
                        if claim})
    return [LENS_ALL, LENS_EVIDENCE, *claimants]


def lens_format(index: Index):
    names = index.dataset.actors["name"].to_dict()
    return lambda lens: lens_label(lens, names)


def outlet_options(index: Index) -> list[str]:
    return sorted(set(np.asarray(index.evidence_outlet, dtype=str)))


def set_window(start: str, end: str, months: Months) -> None:
    """A chosen date window (a chart callback: runs before the sliders exist), kept inside the data's months."""
    st.session_state[FROM], st.session_state[TO] = sorted((months.clamp(start), months.clamp(end)))


def set_as_of(month: str, months: Months) -> None:
    """A chosen "as of" month (a chart callback), kept inside the data's months."""
    st.session_state[AS_OF] = months.clamp(month)
