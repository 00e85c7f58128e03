"""The one actor picker every view uses (sidebar, Check axis, Axes, Paths): names in chips and boxes, aliases that
still match, and Enter that picks exactly the best match. What the boxes list and how typed text becomes an actor
is pure, in `explorer/render/pickers.py`; this module only wires it to Streamlit's boxes.

The multiselect's "select all matches" entry is off, so the first entry of the filtered list, the one Enter takes,
is the best-ranked actor or alias and never "Select N matches"."""

from __future__ import annotations

import streamlit as st

from explorer.graph import Index
from explorer.render.pickers import (
    actor_of,
    bounded_options,
    is_large,
    large_help,
    no_actor_words,
    option_label,
    picker_options,
    resolve_typed,
)


def _unknown_key(key: str) -> str:
    return f"_picker_unknown_{key}"


def _last_key(key: str) -> str:
    return f"_picker_last_{key}"


def _to_actors(key: str, index: Index | None = None) -> None:
    """After a pick: alias options become their actors, once each, in the order picked. With `index` (a large data
    set) typed text becomes the actor it names; text naming none is dropped and kept for a notice in words."""
    value = st.session_state.get(key)
    if index is None:
        if isinstance(value, list):
            st.session_state[key] = list(dict.fromkeys(actor_of(v) for v in value))
        else:
            st.session_state[key] = actor_of(value)
        return
    actors, unknown = resolve_typed(index, value if isinstance(value, list) else [] if value is None else [value])
    if unknown:
        st.session_state[_unknown_key(key)] = unknown
    if isinstance(value, list):
        st.session_state[key] = actors
    else:
        st.session_state[key] = actors[0] if actors else st.session_state.get(_last_key(key))


def _notice(where, key: str) -> None:
    """Say, once, which typed text named no actor."""
    unknown = st.session_state.pop(_unknown_key(key), None)
    if unknown:
        where.warning(no_actor_words(unknown))


def actors_picker(where, label: str, index: Index, key: str, placeholder: str = "type a name or alias",
                  actors: list[str] | None = None, **kwargs) -> list[str]:
    """Several actors (`where` is st, st.sidebar or a column); its session value is a list of actor ids."""
    if not is_large(index, actors):
        return where.multiselect(label, picker_options(index, actors), key=key, format_func=option_label(index),
                                 placeholder=placeholder, select_all=False, on_change=_to_actors, args=(key,),
                                 **kwargs)
    chosen = st.session_state.get(key) or []
    kwargs.setdefault("help", large_help(index, actors))
    picked = where.multiselect(label, bounded_options(index, list(chosen), actors), key=key,
                               format_func=option_label(index), placeholder=placeholder, select_all=False,
                               accept_new_options=True, on_change=_to_actors, args=(key, index), **kwargs)
    _notice(where, key)
    return picked


def actor_picker(where, label: str, index: Index, key: str, empty: bool = False, **kwargs) -> str | None:
    """One actor; its session value is an actor id, or None when `empty` lets the box start empty."""
    if empty:
        kwargs["index"] = None
    if not is_large(index):
        return where.selectbox(label, picker_options(index), key=key, format_func=option_label(index),
                               on_change=_to_actors, args=(key,), **kwargs)
    current = st.session_state.get(key)
    st.session_state[_last_key(key)] = current
    kwargs.setdefault("help", large_help(index, None))
    picked = where.selectbox(label, bounded_options(index, [current] if current else []), key=key,
                             format_func=option_label(index), accept_new_options=True, on_change=_to_actors,
                             args=(key, index), **kwargs)
    _notice(where, key)
    return picked
