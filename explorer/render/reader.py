"""A stored document with its evidence quotes highlighted; each highlight links to its relation."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Highlight:
    quote: str
    relation: str
    label: str  # what a reader sees on hover: the relation in words


@dataclass(frozen=True)
class Reading:
    html: str
    found: tuple[Highlight, ...]
    missing: tuple[Highlight, ...]


def highlighted_document(text: str, highlights: list[Highlight], link_params: dict[str, str] | None = None) -> Reading:
    """Escape the text, mark every quote found in it; overlapping quotes merge into one marked span."""
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
    pieces: list[Markup] = []
    cursor = 0
    for start, end, item in spans:
        if start < cursor:  # overlaps the previous mark: extend it rather than nest marks
            if end > cursor:
                pieces.append(escape(text[cursor:end]))
                cursor = end
            continue
        pieces.append(escape(text[cursor:start]))
        query = urlencode({**(link_params or {}), "relation": item.relation})
        pieces.append(Markup("<a class='quote-link' href='?{}' target='_self' title='{}'><mark>{}</mark></a>").format(
            query, item.label, text[start:end]))
        cursor = end
    pieces.append(escape(text[cursor:]))
    body = Markup("<div class='reader' style='white-space: pre-wrap; line-height: 1.6'>{}</div>").format(
        Markup("").join(pieces))
    return Reading(str(body), tuple(found), tuple(missing))
