"""The actor pickers' options and words, pure (no Streamlit): which options a box lists, how an option is shown,
and how typed text becomes an actor. `explorer/app/pickers.py` wires them to Streamlit's boxes.

Streamlit's select boxes filter on the shown label only. A label with every alias fills a chip ("Iran (Islamic
Republic of Iran, T…"); a label with the name alone stops "Baku" finding Azerbaijan. So each alias is an option
of its own, listed after the names and shown as "Baku → Azerbaijan", and picking it picks its actor: the box's
value only ever holds actor ids.

On a large data set (more than LISTED_ACTORS actors) the box lists only the chosen actors and the best-connected
ones, and takes typed text that `resolve_typed` reads as any actor's id, name or alias."""

from __future__ import annotations

import weakref
from collections.abc import Callable

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
        return list(_TOP[index])  # a copy, as picker_options hands out: the cached list is never changed
    codes = index.actor_code
    order = {a: n for n, a in enumerate(index.actors_by_name)}
    pool = index.actors_by_name if actors is None else [a for a in actors if a in codes]
    degree = index.degree
    top = sorted(sorted(pool, key=lambda a: (-int(degree[codes[a]]), order[a]))[:limit], key=order.__getitem__)
    if actors is None and limit == LISTED_ACTORS:
        _TOP[index] = top
        return list(top)
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


def large_help(index: Index, actors: list[str] | None) -> str:
    """The one line a large data set's picker shows: what it lists and how to reach the rest."""
    return (f"Lists the {min(LISTED_ACTORS, len(index.actor_ids if actors is None else actors)):,} best-connected "
            "actors; type any other actor's name, alias or id and press Enter to pick it.")
