"""A dataset whose every text field tries to run code: script tags, event handlers, javascript: URLs,
markdown links and images, template syntax. Shared by the pure, AppTest and browser tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_tables

# Each payload sets window.__pwned when it runs; the tests check it never is, and that the text shows literally.
PAYLOAD = ("<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
           "[click](javascript:window.__pwned=3) ![img](https://evil.example/p.png) {{7*7}} {% raw %}x{% endraw %} "
           "${window.__pwned=4} <a href=\"javascript:window.__pwned=5\">href</a> :red[styled] $x^2$")
LITERAL = "<script>window.__pwned=1</script>"  # what must appear as text


def text(label: str) -> str:
    return f"{label} {PAYLOAD}"


def hostile_tables() -> dict[str, list[dict[str, str]]]:
    quote = text("quote")
    return {
        "actors.csv": [
            {"id": "evil", "name": text("Evil"), "kind": "state", "country": "", "aliases": text("alias"),
             "description": text("description")},
            {"id": "other", "name": text("Other"), "kind": "media", "country": "", "aliases": "",
             "description": text("description")},
            {"id": "third", "name": "Third", "kind": "state", "country": "", "aliases": "", "description": ""},
        ],
        "relations.csv": [
            {"id": "r1", "source": "evil", "target": "other", "type": "hostility", "polarity": "-1",
             "start": "2024-05", "end": "", "confidence": "low", "summary": text("summary")},
            {"id": "r2", "source": "other", "target": "third", "type": "alliance", "polarity": "1",
             "start": "2024", "end": "", "confidence": "high", "summary": text("summary two")},
            {"id": "r3", "source": "evil", "target": "third", "type": "rhetoric", "polarity": "-1",
             "start": "2024-06-01", "end": "2024-06-01", "confidence": "medium", "summary": text("summary three")},
        ],
        "sources.csv": [
            {"id": "s1", "title": text("title"), "outlet": text("outlet"), "url": "https://example.org/a?b=1",
             "published": "2024", "document": "doc.txt"},
            {"id": "s2", "title": text("title"), "outlet": "example.net", "url": "javascript:window.__pwned=6",
             "published": "", "document": ""},
            {"id": "s3", "title": "", "outlet": text("outlet three"), "url": "http://example.com/x",
             "published": "", "document": ""},
        ],
        "evidence.csv": [
            {"relation": "r1", "source": "s1", "quote": quote, "claimed_by": "other"},
            {"relation": "r1", "source": "s2", "quote": quote, "claimed_by": ""},
            {"relation": "r2", "source": "s3", "quote": quote, "claimed_by": "evil"},
            {"relation": "r3", "source": "s3", "quote": quote, "claimed_by": ""},
        ],
    }


def write_hostile(root: Path) -> Path:
    """Write the hostile tables and a document holding the quote; returns the data folder."""
    return write_tables(root, hostile_tables(), document=f"Preamble. {text('quote')} Epilogue.\n")
