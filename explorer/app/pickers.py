"""The one actor picker every view uses (sidebar, Check axis, Axes, Paths): names in chips and boxes, aliases that
still match, and Enter that picks exactly the best match.

Streamlit's select boxes filter on the shown label only. A label with every alias fills a chip ("Iran (Islamic
Republic of Iran, T…"); a label with the name alone stops "Baku" finding Azerbaijan. So each alias is an option
of its own, listed after the names and shown as "Baku → Azerbaijan", and picking it picks its actor: the box's
value only ever holds actor ids. The multiselect's "select all matches" entry is off, so the first entry of the
filtered list, the one Enter takes, is the best-ranked actor or alias and never "Select N matches".

On a large data set (more than LISTED_ACTORS actors) the box lists only the chosen actors and the best-connected
ones, and takes typed text (`accept_new_options`) that it resolves to any actor by id, name or alias."""

from __future__ import annotations

import weakref
from collections.abc import Callable

import streamlit as st

from explorer.graph import Index
from explorer.model import aliases_of

ALIAS_MARK = "\x1f"  # joins an actor id and one of its aliases in an alias option's value; never in an id

# Most actors a picker lists. The browser builds every option of a box even while it is closed: 10,000 actors and
# their aliases (119 KB) cost the first page of a 1M folder about 1.5 s of main-thread work, 100 options 0.2 s.
# Above this many actors the box lists the chosen and the best-connected ones; typing reaches any other.
LISTED_ACTORS = 1000


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


# The best-connected actors (at most LISTED_ACTORS, by name), once per index: only used above the limit.
_TOP: weakref.WeakKeyDictionary[Index, list[str]] = weakref.WeakKeyDictionary()


def is_large(index: Index, actors: list[str] | None = None) -> bool:
    """Whether a picker over `actors` (all when None) lists a bounded set and takes typed names."""
    return len(index.actor_ids if actors is None else actors) > LISTED_ACTORS


def best_connected(index: Index, actors: list[str] | None = None, limit: int = LISTED_ACTORS) -> list[str]:
    """The `limit` actors (of `actors`, all when None) in most relations, ties by name, listed by name."""
    if actors is None and limit == LISTED_ACTORS and index in _TOP:
        return _TOP[index]
    codes = index.actor_code
    order = {a: n for n, a in enumerate(index.actors_by_name)}
    pool = index.actors_by_name if actors is None else [a for a in actors if a in codes]
    degree = index.degree
    top = sorted(sorted(pool, key=lambda a: (-int(degree[codes[a]]), order[a]))[:limit], key=order.__getitem__)
    if actors is None and limit == LISTED_ACTORS:
        _TOP[index] = top
    return top


def bounded_options(index: Index, chosen: list[str], actors: list[str] | None = None) -> list[str]:
    """A picker's options: every option below the limit; above it the chosen actors (known ones, in their order),
    then the best-connected others by name, then the aliases of all those."""
    if not is_large(index, actors):
        return picker_options(index, actors)
    codes = index.actor_code
    first = list(dict.fromkeys(a for a in chosen if a in codes))
    taken = set(first)
    listed = [*first, *(a for a in best_connected(index, actors) if a not in taken)]
    options = picker_options(index, listed)
    return [*listed, *options[len(listed):]]  # the chosen first, not re-sorted among the rest by name


def resolve_typed(index: Index, values: list[str]) -> tuple[list[str], list[str]]:
    """(actor ids, texts that name no actor) for a picker's values: options stand for their actors, typed text is
    read as an id, name or alias of any actor (case-insensitive); each actor once, in the order given."""
    actors: list[str] = []
    unknown: list[str] = []
    for value in values:
        actor = actor_of(value)
        found = actor if actor in index.actor_code else index.resolve_actor(str(actor))
        if found is None:
            unknown.append(str(value))
        elif found not in actors:
            actors.append(found)
    return actors, unknown


def no_actor_words(unknown: list[str]) -> str:
    """The notice for typed text that names no actor."""
    return "No actor named " + ", ".join(f"“{text}”" for text in unknown) + ": nothing added for it."


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


def _large_help(index: Index, actors: list[str] | None) -> str:
    return (f"Lists the {min(LISTED_ACTORS, len(index.actor_ids if actors is None else actors)):,} best-connected "
            "actors; type any other actor's name, alias or id and press Enter to pick it.")


def actors_picker(where, label: str, index: Index, key: str, placeholder: str = "type a name or alias",
                  actors: list[str] | None = None, **kwargs) -> list[str]:
    """Several actors (`where` is st, st.sidebar or a column); its session value is a list of actor ids."""
    if not is_large(index, actors):
        return where.multiselect(label, picker_options(index, actors), key=key, format_func=option_label(index),
                                 placeholder=placeholder, select_all=False, on_change=_to_actors, args=(key,),
                                 **kwargs)
    chosen = st.session_state.get(key) or []
    kwargs.setdefault("help", _large_help(index, actors))
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
    kwargs.setdefault("help", _large_help(index, None))
    picked = where.selectbox(label, bounded_options(index, [current] if current else []), key=key,
                             format_func=option_label(index), accept_new_options=True, on_change=_to_actors,
                             args=(key, index), **kwargs)
    _notice(where, key)
    return picked
