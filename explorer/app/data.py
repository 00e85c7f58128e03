"""Loading and caching for the app: one load per data folder version, one view per filter."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.events.layer import LAYERS, EventLayer
from explorer.graph import (
    Axis,
    BlocResult,
    Filter,
    Index,
    View,
    apply_filter,
    build_index,
    find_axis,
    find_blocs,
    signed_ties,
)
from explorer.graph.balance import (
    NeighbourhoodBalance,
    SignedTriangle,
    balance_through_time,
    history_for,
    pressured_over_time,
    unbalanced_triangles,
)
from explorer.graph.blocs import DEFAULT_TIME_LIMIT
from explorer.graph.evidence import relation_detail, relations_table
from explorer.graph.filters import common_relations
from explorer.graph.signed import aligned_actors
from explorer.graph.start import ContestedTie, contested_ties
from explorer.graph.timeline import PlayStep, blocs_over_time, play_bloc_slots
from explorer.graph.views import Months, months_of
from explorer.render import Emphasis, NetworkData, evidence_panel_html, network_data
from explorer.tables import LoadResult, data_folder, load_dataset
from explorer.tables.load import DEFAULT_DATA
from explorer.tables.schema import TABLES

WATCH_LIMIT = 100  # the realignment watch lists (and follows back through time) at most this many triangles


@dataclass(frozen=True, eq=False)
class Loaded:
    """A loaded dataset with its index; shared read-only by every session."""

    key: str  # identifies this version of the data in caches
    result: LoadResult
    index: Index
    label: str


def folder_version(folder: Path) -> str:
    """Changes whenever a table file changes, so edits on disk reload without a restart."""
    parts = [str(folder)]
    for table in TABLES:
        path = folder / table.file
        stat = path.stat() if path.exists() else None
        parts.append(f"{table.file}:{stat.st_mtime_ns}:{stat.st_size}" if stat else f"{table.file}:-")
    return "|".join(parts)


@st.cache_resource(show_spinner="Loading the tables…", max_entries=4)
def _load_folder(version: str, folder: str) -> Loaded:
    result = load_dataset(folder)
    index = build_index(result.dataset)
    return Loaded(version, result, index, dataset_label(Path(folder)))


def dataset_label(folder: Path) -> str:
    """What the sidebar calls a data folder: its name, never its place on the server."""
    return "bundled data" if folder == DEFAULT_DATA else f"data set “{folder.name}”"


def load_bundled() -> Loaded:
    folder = data_folder(os.environ.get("EXPLORER_DATA"))
    return _load_folder(folder_version(folder), str(folder))


def loaded_from_result(result: LoadResult, key: str, label: str) -> Loaded:
    """Wrap an uploaded dataset (kept in this session only)."""
    index = build_index(result.dataset)
    return Loaded(key, result, index, label)


@st.cache_resource(max_entries=256, show_spinner=False)
def cached_view(_index: Index, key: str, chosen: Filter) -> View:
    """A view per (dataset version, filter): widgets that do not change the filter cost nothing."""
    return apply_filter(_index, chosen)


@st.cache_resource(max_entries=128, show_spinner=False)
def _network(_index: Index, key: str, chosen: Filter, cap: int, emphasis: Emphasis) -> NetworkData:
    return network_data(_index, cached_view(_index, key, chosen), cap, emphasis)


def cached_network(loaded: Loaded, view: View, cap: int, emphasis: Emphasis) -> NetworkData:
    """Nodes and edges per (data, filter, cap, emphasis): reruns that change none of these redraw nothing."""
    return _network(loaded.index, loaded.key, view.filter, cap, emphasis)


@st.cache_resource(max_entries=64, show_spinner="Finding blocs…")
def _blocs(_index: Index, key: str, chosen: Filter, k: int | None, time_limit: float) -> BlocResult:
    view = cached_view(_index, key, chosen)
    return find_blocs(signed_ties(_index, view), aligned_actors(_index, view), k=k, time_limit=time_limit)


def cached_blocs(loaded: Loaded, view: View, k: int | None, time_limit: float = DEFAULT_TIME_LIMIT) -> BlocResult:
    """Blocs per (data, filter, k, time limit): the search can take seconds on large views, so it runs once."""
    return _blocs(loaded.index, loaded.key, view.filter, k, time_limit)


@st.cache_resource(max_entries=32, show_spinner="Finding blocs through time…")
def _bloc_history(_index: Index, key: str, chosen: Filter, dates: tuple[str, ...],
                  k: int | None) -> list[tuple[str, BlocResult]]:
    return blocs_over_time(_index, chosen, dates, k)


def cached_bloc_history(loaded: Loaded, chosen: Filter, dates: tuple[str, ...],
                        k: int | None) -> list[tuple[str, BlocResult]]:
    """Blocs as of each date per (data, filter, dates, k): one solve per date, so once per session is enough."""
    return _bloc_history(loaded.index, loaded.key, chosen, dates, k)


@st.cache_resource(max_entries=32, show_spinner="Finding the blocs of every play step…")
def _play_blocs(_index: Index, key: str, chosen: Filter, dates: tuple[str, ...], _steps: tuple[PlayStep, ...],
                k: int | None) -> list[dict[str, int]]:
    return play_bloc_slots(_index, chosen, _steps, k)


def cached_play_blocs(loaded: Loaded, chosen: Filter, steps: tuple[PlayStep, ...],
                      k: int | None) -> list[dict[str, int]]:
    """Matched blocs at every play step per (data, filter, steps, k): one search per step, so once per session.
    The steps are keyed by their dates (hashing a hundred dataclasses on every rerun cost more than the lookup)."""
    return _play_blocs(loaded.index, loaded.key, chosen, tuple(step.as_of for step in steps), steps, k)


def _event_version(folder: Path) -> str:
    """Changes whenever the stored events, the shipped raw files or the code table change."""
    from explorer.events.actors import mapping_file
    from explorer.events.ingest import stored_parts

    parts = []
    for path in (*stored_parts(folder), folder / "events" / "manifest.csv", mapping_file(folder)):
        stat = path.stat() if path.exists() else None
        parts.append(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}" if stat else f"{path.name}:-")
    return "|".join(parts)


@st.cache_resource(max_entries=4, show_spinner="Loading the event layer…")
def _event_layer(_loaded: Loaded, key: str, version: str, folder: str) -> tuple[EventLayer | None, str]:
    from explorer.events.layer import LayerError, event_layer
    from explorer.store import StoreError

    try:
        return event_layer(Path(folder), _loaded.index.dataset.actors), ""
    except (LayerError, StoreError, OSError) as error:
        return None, f"The event layer cannot be read: {error}"


def cached_event_layer(loaded: Loaded) -> tuple[EventLayer | None, str]:
    """The data folder's machine-coded event layer (None when it has none), and why not when it cannot be read."""
    folder = loaded.result.dataset.folder
    if folder is None:
        return None, ""
    return _event_layer(loaded, loaded.key, _event_version(Path(folder)), str(folder))


def event_layer_key(loaded: Loaded) -> str:
    """Which event layer `cached_event_layer` gives: the data and its stored events' version, the key it caches the
    layer by (never the layer object's id, which a later layer may be given once the first is freed)."""
    folder = loaded.result.dataset.folder
    return f"{loaded.key}|{_event_version(Path(folder)) if folder is not None else ''}"


def date_months(loaded: Loaded, layer_choice: str) -> Months:
    """The months the date sliders offer: the curated relations', widened to the event layer's when the layer
    switch shows it (events or both), so "as of" can name every month the event graph plays."""
    months = months_of(loaded.index)
    if layer_choice == LAYERS[0]:
        return months
    layer = cached_event_layer(loaded)[0]
    return months.widened(*layer.span) if layer is not None and layer.span else months


@st.cache_resource(max_entries=64, show_spinner=False)
def _event_network(_loaded: Loaded, _layer: EventLayer, key: str, chosen: Filter, cap: int) -> tuple[NetworkData,
                                                                                                     dict, str]:
    from explorer.render.event_network import event_view

    return event_view(_loaded.index, _layer, cached_view(_loaded.index, _loaded.key, chosen), cap)


def cached_event_network(loaded: Loaded, layer: EventLayer, chosen: Filter, cap: int) -> tuple[NetworkData, dict, str]:
    """The event ties of a view drawn, their panels and the choice in words, per (data, event layer, filter, cap)."""
    return _event_network(loaded, layer, event_layer_key(loaded), chosen, cap)


@st.cache_resource(max_entries=64, show_spinner=False)
def _event_check(_layer: EventLayer, key: str, members: tuple[str, ...], target: str, chosen: Filter) -> dict:
    from explorer.graph.event_ties import check_axis_events

    return check_axis_events(_layer, members, target, chosen)


def cached_event_check(loaded: Loaded, layer: EventLayer, members: tuple[str, ...], target: str,
                       chosen: Filter) -> dict:
    """The event layer's verdicts on an axis (`check_axis_events`) per (data, event layer, members, target, filter)."""
    return _event_check(layer, event_layer_key(loaded), members, target, chosen)


@st.cache_resource(max_entries=32, show_spinner="Following triangles through time…")
def _axis(_index: Index, key: str, chosen: Filter, target: str) -> tuple[Axis, tuple[NeighbourhoodBalance, ...]]:
    view = cached_view(_index, key, chosen)
    ties = signed_ties(_index, view)
    history = history_for(_index, chosen, len(view.relations), ties)
    return find_axis(_index, view, ties, target, history), balance_through_time(history, target)


def cached_axis(loaded: Loaded, view: View, target: str) -> tuple[Axis, tuple[NeighbourhoodBalance, ...]]:
    """The axis against a target with its cross-pressured actors (since when, trend) and the balance of the
    target's neighbourhood through the look-back window: one filter per month, so once per session."""
    return _axis(loaded.index, loaded.key, view.filter, target)


@st.cache_resource(max_entries=32, show_spinner="Finding unbalanced triangles…")
def _watch(_index: Index, key: str, chosen: Filter) -> tuple[SignedTriangle, ...]:
    view = cached_view(_index, key, chosen)
    ties = signed_ties(_index, view)
    return unbalanced_triangles(ties, history_for(_index, chosen, len(view.relations), ties), limit=WATCH_LIMIT)


def cached_watch(loaded: Loaded, view: View) -> tuple[SignedTriangle, ...]:
    """The realignment watch of a view: its unbalanced triangles, heaviest first, with since when."""
    return _watch(loaded.index, loaded.key, view.filter)


@dataclass(frozen=True)
class Lead:
    """What the Explore view's lead offers to open: the view's unbalanced triangles (how many, the strongest) and
    its most contested pair."""

    unbalanced: int
    strongest: SignedTriangle | None
    contested: tuple[ContestedTie, ...]


@st.cache_resource(max_entries=128, show_spinner=False)
def _relations_table(_index: Index, key: str, chosen: Filter, drawn_filter: Filter, drawn_actors: tuple[str, ...],
                     _drawn: View) -> pd.DataFrame:
    active = common_relations(_index, _drawn, cached_view(_index, key, chosen))
    return relations_table(_index, replace(_drawn, relations=active))


def cached_relations_table(loaded: Loaded, view: View, data: NetworkData) -> pd.DataFrame:
    """The table under the graph: the drawn relations, those active "as of" when one is set; built once per view,
    not on every rerun of the graph's fragment. What is drawn is fixed by its filter and its (capped) actors."""
    drawn = data.drawn
    return _relations_table(loaded.index, loaded.key, view.filter, drawn.filter, tuple(drawn.actors), drawn)


@st.cache_resource(max_entries=64, show_spinner=False)
def _lead(_index: Index, key: str, chosen: Filter) -> Lead:
    view = cached_view(_index, key, chosen)
    ties = signed_ties(_index, view)
    unbalanced = unbalanced_triangles(ties)  # no history: cheap enough for a link
    return Lead(len(unbalanced), unbalanced[0] if unbalanced else None, tuple(contested_ties(_index, view, limit=1)))


def cached_lead(loaded: Loaded, view: View) -> Lead:
    """The lead's links per (data, filter): every session that opens the same view reads them, computed once."""
    return _lead(loaded.index, loaded.key, view.filter)


@st.cache_resource(max_entries=2048, show_spinner=False)
def _evidence_panel(_index: Index, key: str, chosen: Filter, relation_id: str) -> str | None:
    detail = relation_detail(_index, cached_view(_index, key, chosen), relation_id)
    return None if detail is None else str(evidence_panel_html(detail))


def cached_evidence_panel(loaded: Loaded, view: View, relation_id: str) -> str | None:
    """A relation's evidence panel as HTML (None when the view does not show it), per (data, filter, relation):
    the Axes and Blocs views open one per listed relation on every rerun. Views not made by `cached_view` (none
    today) are rendered afresh."""
    if view is not cached_view(loaded.index, loaded.key, view.filter):
        detail = relation_detail(loaded.index, view, relation_id)
        return None if detail is None else str(evidence_panel_html(detail))
    return _evidence_panel(loaded.index, loaded.key, view.filter, relation_id)


@st.cache_resource(max_entries=32, show_spinner="Finding cross-pressure at every play step…")
def _play_pressure(_index: Index, key: str, chosen: Filter, dates: tuple[str, ...],
                   target: str) -> list[dict[str, int]]:
    return pressured_over_time(_index, chosen, dates, target)


def cached_play_pressure(loaded: Loaded, chosen: Filter, steps: tuple[PlayStep, ...],
                         target: str) -> list[dict[str, int]]:
    """Who is cross-pressured around the target at every play step, once per session."""
    return _play_pressure(loaded.index, loaded.key, chosen, tuple(step.as_of for step in steps), target)
