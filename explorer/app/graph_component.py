"""The graph as a Streamlit components-v2 element: vis-network in the page (no iframe), kept alive between reruns.

Clicks select in the browser at once; the element then tells Python through a state value, which reruns this
fragment only (to keep the URL and session in step), never the whole page. Focus, add-to-filter and pausing
play change the filter, so they ask for one full rerun."""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path

import streamlit as st
from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

from explorer.app import state
from explorer.app.data import (
    Loaded,
    cached_event_network,
    cached_network,
    cached_play_blocs,
    cached_play_pressure,
    cached_view,
    date_months,
    event_layer_key,
)
from explorer.events.layer import EventLayer
from explorer.graph import View
from explorer.graph.event_ties import event_window
from explorer.graph.filters import analysis_day, describe_filter
from explorer.graph.timeline import MAX_PLAY_BLOC_ACTORS, PlayStep, play_steps, step_at
from explorer.graph.views import Months, months_of
from explorer.model import DateError, month_of, partial_date_bounds
from explorer.render import LEGEND_CSS, Emphasis, NetworkData, component_js, legend_html
from explorer.render.event_network import no_ties_words
from explorer.render.html import asset, md
from explorer.render.network import drawn_view, play_bloc_colours, relations_window
from explorer.render.panels import selected_panels
from explorer.render.style import BLOC_COLOURS, PRESSURED_COLOUR
from explorer.store import StoreError

GRAPH_KEY = "graph"
EVENT_GRAPH_KEY = "event_graph"
BUNDLE = "axis_explorer"  # the component is "axis_explorer.graph", its JS served from the bundle's folder
COMPONENT = f"{BUNDLE}.graph"


@cache
def _bundle() -> Path:
    """The component's JS (vis-network and ours, ~0.5 MB) as one file named by its content, written once per server
    process into a folder of its own (private, unpredictable; removed at exit)."""
    code = component_js()
    folder = Path(tempfile.mkdtemp(prefix="axis-explorer-graph-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / f"graph-{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
    path.write_text(code, encoding="utf-8")
    return path


def _served_js() -> str:
    """The JS entry as a file Streamlit serves under /_stcore/bidi-components/ (the browser loads it once per page
    and keeps the module), instead of an inline string that every rerun shipped again inside the element (0.5 MB
    hashed, serialised and sent per rerun). Streamlit serves files only from a component's declared asset folder,
    which installed packages declare in their pyproject.toml; the app declares its own to the running server's
    component manager here (each AppTest brings a new one, so this runs before every mount)."""
    manager = get_bidi_component_manager()
    if manager.get_component_asset_root(COMPONENT) is None:
        manager.register_from_manifest(ComponentManifest(BUNDLE, "1", [ComponentConfig("graph", ".")]),
                                       _bundle().parent)
    return _bundle().name


@cache
def _component() -> Callable:
    return st.components.v2.component(COMPONENT, js=_served_js(), css=asset("graph.css"), isolate_styles=False)


@cache
def _time_component() -> Callable:
    """A graph's "as of" on its own (time.js, inline: a few hundred bytes, no CSS), see EVENT_TIME_KEY."""
    return st.components.v2.component(f"{BUNDLE}.time", js=asset("time.js"))


def _graph(**mount) -> None:
    _served_js()
    _component()(**mount)


def window_view(loaded: Loaded, view: View) -> View:
    """The view over the whole window, ignoring "as of": the graph draws it (positions and actors hold while the
    date moves) and fades what is not active at that date."""
    if not view.filter.as_of:
        return view
    return cached_view(loaded.index, loaded.key, replace(view.filter, as_of=""))


def _value(name: str, key: str = GRAPH_KEY):
    value = st.session_state.get(key)
    if value is None:
        return None
    found = getattr(value, name, None)
    if found is None and isinstance(value, dict):
        found = value.get(name)
    return found


def _on_view() -> None:
    """The browser changed the selection or the lines mode: mirror it in the session and the URL."""
    value = _value("view")
    if not isinstance(value, dict):
        return
    state.set_selection(str(value.get("selection") or "")[:400])
    state.set_lines(str(value.get("lines") or ""))
    state.mirror_selection_in_url()


def _on_focus() -> None:
    actor = str(_value("focus") or "")[:200]
    if actor:
        state.focus_actor(actor)


def _on_add_actor() -> None:
    actor = str(_value("add_actor") or "")[:200]
    if actor:
        state.add_actor(actor)


def _on_pause(months: Months) -> None:
    month = str(_value("pause") or "")[:20]
    if month in months.options:
        state.pause_at(month, months)


@dataclass(frozen=True, eq=False)
class BlocPlay:
    """The blocs of every play step, matched across steps (`slots[i]` is {actor: slot} at `steps[i]`), and the
    step that shows the view's own date."""

    steps: tuple[PlayStep, ...]
    slots: Sequence[Mapping[str, int]]
    at: int
    palette: tuple[str, ...] = BLOC_COLOURS  # slot s is drawn palette[s]
    keep_drawn: bool = False  # actors in no slot keep their drawn colour (else their kind's)
    label: str = "bloc colours as of"  # what the date label under the graph says while playing


def _playable(loaded: Loaded, view: View) -> tuple[View, tuple[PlayStep, ...]] | None:
    """The whole window's view and the steps the graph plays (those of its drawn window); None when the view has
    too many actors to analyse at every step, or nothing to play."""
    whole = window_view(loaded, view)
    if len(whole.actors) > MAX_PLAY_BLOC_ACTORS:
        return None
    drawn = drawn_view(loaded.index, whole, int(st.session_state[state.CAP]))
    steps = play_steps(relations_window(loaded.index, drawn))
    return (whole, steps) if steps else None


def bloc_play(loaded: Loaded, view: View, k: int | None) -> BlocPlay | None:
    """The blocs play recolours the graph with, over the steps the graph plays; None when there is none."""
    if (playable := _playable(loaded, view)) is None:
        return None
    whole, steps = playable
    slots = cached_play_blocs(loaded, whole.filter, steps, k)
    return BlocPlay(steps, slots, step_at(steps, analysis_day(loaded.index, view.filter)) or 0)


def pressure_play(loaded: Loaded, view: View, target: str) -> BlocPlay | None:
    """Play on the Axes view: an actor turns amber at the steps it is cross-pressured around the target, so
    triangles are seen turning unbalanced; None when the view is too large to follow step by step."""
    if (playable := _playable(loaded, view)) is None:
        return None
    whole, steps = playable
    slots = cached_play_pressure(loaded, whole.filter, steps, target)
    return BlocPlay(steps, slots, step_at(steps, analysis_day(loaded.index, view.filter)) or 0,
                    palette=(PRESSURED_COLOUR,), keep_drawn=True, label="cross-pressure as of")


@st.fragment
def _graph_fragment(loaded: Loaded, data: NetworkData, structure: str, as_of: str, months: Months,
                    description: str, below: Callable[[NetworkData], None] | None,
                    play: BlocPlay | None = None) -> None:
    if state.take_app_rerun():
        st.rerun(scope="app")
    selection = state.selection()
    payload = {**data.as_component_data(), "structure": structure, "selected": selection,
               "lines": state.lines(), "panels": selected_panels(loaded.index, data.drawn, data.edges, selection),
               "height": "620px",
               "asOf": list(partial_date_bounds(as_of)) if as_of else None, "asOfLabel": as_of}
    if play is not None:
        payload["blocSteps"] = play_bloc_colours(loaded.index, data, play.slots, play.palette, play.keep_drawn,
                                                 play.label)
    _graph(key=GRAPH_KEY, data=payload, on_view_change=_on_view, on_focus_change=_on_focus,
           on_add_actor_change=_on_add_actor, on_pause_change=partial(_on_pause, months))
    _caption(data, description)
    if below is not None:
        below(data)


def _caption(data: NetworkData, description: str) -> None:
    st.caption(md(description[:1].upper() + description[1:]))
    capped = []
    if data.shown_actors < data.total_actors:
        capped.append(f"showing {data.shown_actors} of {data.total_actors} actors")
    if data.shown_relations < data.total_relations:
        capped.append(f"{data.shown_relations} of {data.total_relations} relations drawn (the best-evidenced)")
    steps = play_steps(data.window)
    pace = "year by year" if steps and steps[0].shown != steps[0].as_of else "month by month"
    st.caption(" · ".join([*capped, f"{data.shown_actors} actors · {data.shown_relations} relations"])
               + f" — click a line or an actor to read about it; ▶ plays the window {pace}")
    st.html(f"<style>{LEGEND_CSS}</style>{legend_html()}")


def graph_data(loaded: Loaded, view: View, emphasis: Emphasis | None = None) -> NetworkData:
    """The drawn network of the view over its whole window (see `window_view`), cached."""
    return cached_network(loaded, window_view(loaded, view), int(st.session_state[state.CAP]), emphasis or Emphasis())


def show_graph(loaded: Loaded, view: View, emphasis: Emphasis | None = None,
               below: Callable[[NetworkData], None] | None = None, play: BlocPlay | None = None) -> NetworkData:
    """Draw the network, its panel, caption and legend; `below(data)` draws what shares the graph's fragment (the
    relations table); with `play`, actors take the colour of their bloc as of each play step. The page's
    vis-network is `window.explorerNetwork`."""
    emphasis = emphasis or Emphasis()
    data = graph_data(loaded, view, emphasis)
    structure = f"{loaded.key}|{window_view(loaded, view).filter}|{st.session_state[state.CAP]}|{emphasis}"
    months = months_of(loaded.index)
    description = describe_filter(view.filter, loaded.index)  # the view's own filter, "as of" included
    _graph_fragment(loaded, data, str(hash(structure)), view.filter.as_of, months, description, below, play)
    return data


def _ignore() -> None:
    """The event graph's clicks stay in the browser: its selection is not part of the curated view's state."""


PAUSE_NOTE = "event_pause_note"  # session key: why "as of" is not the month play paused on, in words


def _on_event_pause(months: Months) -> None:
    """Play paused on the event graph: "as of" follows (the event graph is outside the curated graph's fragment,
    so its callback already runs the whole page). The sliders offer the event layer's months too (`date_months`);
    a year's step past its last month (play goes year by year over long spans) lands on that last month, and the
    graph says so."""
    try:
        month = month_of(str(_value("pause", EVENT_GRAPH_KEY) or "")[:20])
    except DateError:
        return
    state.set_as_of(month, months)
    if month not in months.options:
        st.session_state[PAUSE_NOTE] = (f"Play paused at {month}, outside the months the date sliders offer "
                                        f"({months.first} to {months.last}): “as of” is set to "
                                        f"{months.clamp(month)}, the nearest.")


EVENT_HANDLE = "explorerEvent"  # the event graph's handles: window.explorerEventNetwork, explorerEventGraph …
# The event graph's "as of" travels in an element of its own (hidden, graph.css): the graph's element (its drawing and
# every tie's panel, ~0.5 MB at 136 ties) then stays byte-identical while only the date moves, and Streamlit sends
# it as a reference to the copy the browser holds (its forward-message cache) instead of sending it again.
EVENT_TIME_KEY = "event_graph_time"


@st.cache_resource(max_entries=64, show_spinner=False)
def _event_payload(_data: NetworkData, _panels: dict, structure: str) -> bytes:
    """The event graph's element data as JSON bytes, made once per drawing (`structure`: the data, its event layer,
    the filter part its ties read and the cap; the key of `cached_event_network`). Streamlit sends bytes as they
    are, where a dict it serialises twice on every rerun, for the element and for its identity (9 ms of the
    server's CPU at 136 ties, every panel included); component.js parses them."""
    return json.dumps({**_data.as_component_data(), "structure": str(hash(structure)), "selected": "",
                       "lines": "ties", "panels": _panels, "height": "520px", "handle": EVENT_HANDLE}).encode()


def show_event_graph(loaded: Loaded, view: View, layer: EventLayer) -> None:
    """The machine-coded event ties of the view: their own graph (its own page handle, `EVENT_HANDLE`, so the
    curated graph keeps `window.explorerNetwork` beside it), never mixed into the curated relations; a click on a
    line opens its top events with their articles' links. It draws the whole date window and fades the ties with
    no events in the month "as of" names; play steps through the months, pausing sets "as of"."""
    cap = int(st.session_state[state.CAP])
    window = event_window(view.filter)
    st.subheader("Machine-coded event ties — not verified")
    try:
        data, panels, basis = cached_event_network(loaded, layer, window, cap)
    except StoreError as error:  # a damaged store file: said, never drawn from
        st.warning(md(f"The event layer cannot be read: {error}"))
        return
    if note := st.session_state.pop(PAUSE_NOTE, ""):
        st.info(note)
    credit = ("Event data: [The GDELT Project](https://www.gdeltproject.org/)"
              if any(d.startswith("GDELT") for d in layer.datasets) else "")
    if not data.edges:
        st.info(md(no_ties_words(layer, basis)))
        return
    as_of = view.filter.as_of
    payload = _event_payload(data, panels, f"events|{event_layer_key(loaded)}|{window}|{cap}")
    _graph(key=EVENT_GRAPH_KEY, data=payload, on_view_change=_ignore, on_focus_change=_ignore,
           on_add_actor_change=_ignore,
           on_pause_change=partial(_on_event_pause, date_months(loaded, state.layer())))
    _time_component()(key=EVENT_TIME_KEY, data={"timeOf": EVENT_HANDLE, "asOfLabel": as_of,
                                     "asOf": list(partial_date_bounds(as_of)) if as_of else None})
    faded = f" · faded: ties with no events in {as_of}" if as_of else ""
    st.caption(md(basis[:1].upper() + basis[1:]) + faded + f" · {len(data.edges)} event ties among "
               f"{data.shown_actors} actors — click a dotted line to read its top events; ▶ plays the window month "
               "by month (a tie shows in the months it has events)" + (f" · {credit}" if credit else ""))
