"""A stored document with its evidence quotes highlighted; each highlight links to its relation."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from explorer.tables import Dataset


@dataclass(frozen=True)
class Highlight:
    quote: str
    relation: str
    label: str  # what a reader sees on hover: the relation in words


def highlights_for(dataset: Dataset, document: str) -> list[Highlight]:
    """Every evidence quote of the sources stored as this document, labelled with its relation in words."""
    sources = set(dataset.sources.index[dataset.sources["document"] == document])
    rows = dataset.evidence[dataset.evidence["source"].isin(list(sources))]
    names = dataset.actors["name"]
    relations = dataset.relations
    return [Highlight(quote=row.quote, relation=row.relation,
                      label=f"{names[relations.loc[row.relation, 'source']]} → "
                            f"{names[relations.loc[row.relation, 'target']]}: {relations.loc[row.relation, 'type']}")
            for row in rows.itertuples(index=False)]


@dataclass(frozen=True)
class Reading:
    html: str
    found: tuple[Highlight, ...]
    missing: tuple[Highlight, ...]


def highlighted_document(text: str, highlights: list[Highlight]) -> Reading:
    """Escape the text and mark every quote found in it, each linking to its relation.

    Overlapping quotes merge into one marked passage (marks cannot nest); the passage links to its first
    relation and carries a numbered link to each of its relations, so no relation loses its link.
    """
    spans: list[tuple[int, int, Highlight]] = []
    found, missing = [], []
    for item in highlights:
        start = text.find(item.quote) if item.quote else -1
        if start < 0:
            missing.append(item)
            continue
        found.append(item)
        spans.append((start, start + len(item.quote), item))
    spans.sort(key=lambda s: (s[0], -s[1]))
    passages: list[tuple[int, int, list[Highlight]]] = []
    for start, end, item in spans:
        if passages and start < passages[-1][1]:
            first, last, items = passages[-1]
            passages[-1] = (first, max(last, end), [*items, item])
        else:
            passages.append((start, end, [item]))
    pieces: list[Markup] = []
    cursor = 0
    for start, end, items in passages:
        pieces.append(escape(text[cursor:start]))
        pieces.append(_link(items[0], Markup("<mark>{}</mark>").format(text[start:end])))
        relations = list({item.relation: item for item in items}.values())
        if len(relations) > 1:
            pieces.append(Markup("<sup class='quote-links'>{}</sup>").format(
                Markup(" ").join(_link(item, str(number)) for number, item in enumerate(relations, 1))))
        cursor = end
    pieces.append(escape(text[cursor:]))
    body = Markup("<div class='reader' style='white-space: pre-wrap; line-height: 1.6'>{}</div>").format(
        Markup("").join(pieces))
    return Reading(str(body), tuple(found), tuple(missing))


def _link(item: Highlight, content: str | Markup) -> Markup:
    return Markup("<a class='quote-link' href='?{}' target='_self' title='{}' aria-label='{}'>{}</a>").format(
        urlencode({"relation": item.relation}), item.label, item.label, content)
