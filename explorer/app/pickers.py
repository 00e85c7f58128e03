"""The one actor picker every view uses (sidebar, Check axis, Axes, Paths): names in chips and boxes, aliases that
still match, and Enter that picks exactly the best match.

Streamlit's select boxes filter on the shown label only. A label with every alias fills a chip ("Iran (Islamic
Republic of Iran, T…"); a label with the name alone stops "Baku" finding Azerbaijan. So each alias is an option
of its own, listed after the names and shown as "Baku → Azerbaijan", and picking it picks its actor: the box's
value only ever holds actor ids. The multiselect's "select all matches" entry is off, so the first entry of the
filtered list, the one Enter takes, is the best-ranked actor or alias and never "Select N matches"."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import streamlit as st

from explorer.graph import Index
from explorer.model import aliases_of

ALIAS_MARK = "\x1f"  # joins an actor id and one of its aliases in an alias option's value; never in an id


# Every actor's options, once per index (an Index is immutable; a new data set is a new index): 10,000 actors'
# options took a tenth of a second of every page of a 1M folder to build again.
_ALL_OPTIONS: weakref.WeakKeyDictionary[Index, list[str]] = weakref.WeakKeyDictionary()


def picker_options(index: Index, actors: list[str] | None = None) -> list[str]:
    """Actor ids by name, then one option per alias (`id<ALIAS_MARK>alias`) of those actors."""
    if actors is None and index in _ALL_OPTIONS:
        return list(_ALL_OPTIONS[index])  # a copy: the cached list is never handed out to be changed
    names = index.actor_names
    ids = index.actors_by_name if actors is None else sorted(actors, key=lambda a: str(names.get(a, a)).casefold())
    table = index.dataset.actors
    aliases = dict(zip(table.index.astype(str).tolist(), table["aliases"].astype(str).tolist(), strict=True))
    options = [*ids, *(f"{actor}{ALIAS_MARK}{alias}" for actor in ids if actor in aliases
                       for alias in aliases_of(aliases[actor]) if alias.casefold() != names[actor].casefold())]
    if actors is None:
        _ALL_OPTIONS[index] = options
        return list(options)
    return options


def actor_of(option: str | None) -> str | None:
    """The actor an option stands for (an alias option stands for its actor)."""
    return option.partition(ALIAS_MARK)[0] if option else option


def option_label(index: Index) -> Callable[[str], str]:
    """The name for an actor, "alias → name" for an alias option."""
    names = index.actor_names

    def label(option: str) -> str:
        actor, _, alias = str(option).partition(ALIAS_MARK)
        name = names.get(actor, actor)
        return f"{alias} → {name}" if alias else name

    return label


def _to_actors(key: str) -> None:
    """After a pick: alias options become their actors, once each, in the order picked."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        st.session_state[key] = list(dict.fromkeys(actor_of(v) for v in value))
    else:
        st.session_state[key] = actor_of(value)


def actors_picker(where, label: str, index: Index, key: str, placeholder: str = "type a name or alias",
                  actors: list[str] | None = None, **kwargs) -> list[str]:
    """Several actors (`where` is st, st.sidebar or a column); its session value is a list of actor ids."""
    return where.multiselect(label, picker_options(index, actors), key=key, format_func=option_label(index),
                             placeholder=placeholder, select_all=False, on_change=_to_actors, args=(key,), **kwargs)


def actor_picker(where, label: str, index: Index, key: str, empty: bool = False, **kwargs) -> str | None:
    """One actor; its session value is an actor id, or None when `empty` lets the box start empty."""
    if empty:
        kwargs["index"] = None
    return where.selectbox(label, picker_options(index), key=key, format_func=option_label(index),
                           on_change=_to_actors, args=(key,), **kwargs)
