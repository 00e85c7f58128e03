"""Every session-state key and URL parameter of the app, and the translation between them and a Filter."""

from __future__ import annotations

import streamlit as st

from explorer.events.layer import LAYERS
from explorer.graph import Filter, Index, filter_to_params, parse_filter
from explorer.graph.filters import FIELD_BY_KEY
from explorer.graph.views import CHECK_VIEW, PARAM_BY_KEY, Months, read_view, selection_of, view_params
from explorer.model import month_of
from explorer.tables.schema import vocabulary

ANY = "any"
POLARITY_LABELS = {term.label: int(value) for value, term in vocabulary("polarity").items()}
CONFIDENCES = (ANY, *vocabulary("confidence"))

# Widget keys (owned here, nowhere else).
ACTORS, HOPS, FROM, TO, AS_OF = "f_actors", "f_hops", "f_from", "f_to", "f_as_of"
TYPES, POLARITY, MIN_CONFIDENCE = "f_types", "f_polarity", "f_min_confidence"
OUTLETS, EXCLUDED, MIN_SOURCES, HIDE_SINGLE = "f_outlets", "f_exclude", "f_min_sources", "f_hide_single"
LENS, LOOKBACK, DECAY, ORGANISATIONS = "f_lens", "f_lookback", "f_decay", "f_organisations"
CAP, VIEW, TARGET, BLOCS_K, PATH_A, PATH_B, PATH_LENGTH = "cap", "view", "target", "blocs_k", "path_a", "path_b", \
    "path_length"
BLOCS_TIME = "blocs_time"  # seconds the exact bloc search may run
MEMBERS, LENS_A, LENS_B = "members", "lens_a", "lens_b"  # the Check axis view: its members and its two lenses
LAYER = "f_layer"  # curated, events or both: which layer the graph draws
CHECK_CELL = "check_cell"  # the verdict-matrix cell whose evidence is open: (pair number, lens number)
# Plain state keys.
RELATION, NOTICES, URL_READ, UPLOADED, DOCUMENT = "relation", "notices", "url_read", "uploaded", "document"
SELECTED, LINES, APP_RERUN = "selected", "lines", "app_rerun"  # the graph's selection ("kind:id"), lines mode
SELECTION_PARAMS = {"relation": "relation", "tie": "tie", "actor": "selected_actor"}  # selection kind -> URL key
SUGGESTED = "suggested"  # (text digest, data key, limits) and the suggestions found for them
CHECKED_UPLOAD = "checked_upload"  # (digest of the uploaded files, their CheckedUpload)


# URL key (explorer/graph/views.py says what each means) -> the session key of its widget; the selection keys
# ("relation", "tie", "selected_actor") meet in SELECTED.
SESSION_KEYS = {"view": VIEW, "relation": RELATION, "lines": LINES, "target": TARGET, "k": BLOCS_K,
                "time": BLOCS_TIME, "cap": CAP, "length": PATH_LENGTH, "a": PATH_A, "b": PATH_B, "members": MEMBERS,
                "lens_a": LENS_A, "lens_b": LENS_B, "document": DOCUMENT, "layer": LAYER}
NUMBERS = {key: PARAM_BY_KEY[key] for key in ("k", "time", "cap", "length")}  # bounds of the number widgets


def read_url(index: Index, months: Months) -> None:
    """First run of a session: URL parameters become widget values; bad ones become notices."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    chosen, notices = parse_filter({k: v for k, v in params.items() if k in FIELD_BY_KEY}, index)
    state = st.session_state
    state[ACTORS] = list(chosen.actors)
    state[HOPS] = chosen.hops
    start = months.clamp(month_of(chosen.start)) if chosen.start else months.first
    end = months.clamp(month_of(chosen.end, first=False)) if chosen.end else months.last
    state[FROM], state[TO] = (start, end) if start <= end else (months.first, months.last)
    state[AS_OF] = months.clamp(month_of(chosen.as_of)) if chosen.as_of else ANY
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
    values, view_notices = read_view(params, index)
    for key, session_key in SESSION_KEYS.items():
        state[session_key] = values[key]
    state[SELECTED] = selection_of(values)
    state[NOTICES] = notices + view_notices
    state[URL_READ] = True


def check_defaults(index: Index) -> None:
    """Streamlit drops a widget's value while its view is not shown: coming back starts from the defaults."""
    for key in ("members", "target", "lens_a", "lens_b"):
        st.session_state.setdefault(SESSION_KEYS[key], PARAM_BY_KEY[key].default(index))


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


def write_url(chosen: Filter, index: Index) -> None:
    """Mirror the whole view in the URL so that copying it restores it; only touch it when it changed."""
    state = st.session_state
    values = {key: state.get(session_key) for key, session_key in SESSION_KEYS.items()}
    params = filter_to_params(chosen) | {k: [v] for k, v in selection_params().items() if v}
    params |= view_params(values, index)
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


def set_window(start: str, end: str, months: Months) -> None:
    """A chosen date window (a chart callback: runs before the sliders exist), kept inside the data's months."""
    st.session_state[FROM], st.session_state[TO] = sorted((months.clamp(start), months.clamp(end)))


def set_as_of(month: str, months: Months) -> None:
    """A chosen "as of" month (a chart callback), kept inside the data's months."""
    st.session_state[AS_OF] = months.clamp(month)


def move_dates(before: Months, after: Months) -> None:
    """The date sliders now offer `after` instead of `before` (the event layer shown or hidden): a window end at
    the old first or last month moves to the new one, so the whole span stays the whole span; every other month
    stays where `after` holds it."""
    state = st.session_state
    state[FROM] = after.first if state[FROM] == before.first else after.clamp(state[FROM])
    state[TO] = after.last if state[TO] == before.last else after.clamp(state[TO])
    if state[AS_OF] != ANY:
        state[AS_OF] = after.clamp(state[AS_OF])


def url_layer(index: Index) -> str:
    """The layer the URL asks for (before `read_url` has run: the date sliders' months depend on it)."""
    return read_view({"layer": st.query_params.get_all("layer")}, index)[0]["layer"]


def layer() -> str:
    """The layer switch: curated, events or both."""
    return st.session_state.get(LAYER) or LAYERS[0]
