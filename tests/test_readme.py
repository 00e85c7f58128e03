"""The README cannot drift from the code on what a user reads first: the views it names, the URL parameters it
documents and what it says about the theme (datasette keeps its docs honest the same way)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from explorer.graph.filters import FIELD_BY_KEY
from explorer.graph.views import PARAMS, VIEWS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROSE = " ".join(README.split())  # sentences wrap across lines


def url_keys() -> set[str]:
    """Every URL parameter the app reads: the filter's fields and the view's parameters (one table each)."""
    return {*FIELD_BY_KEY, *(param.key for param in PARAMS)}


def test_every_view_is_named_in_the_readme():
    missing = [view for view in VIEWS if f"**{view}" not in README]
    assert missing == [], f"views the README does not describe: {missing}"


def test_every_url_parameter_is_documented():
    def documented(key: str) -> bool:
        return f"`{key}=" in README or f"--{key.replace('_', '-')}" in README

    missing = sorted(key for key in url_keys() if not documented(key))
    assert missing == [], f"URL parameters the README does not name (as `key=` or as the CLI flag): {missing}"


def test_every_url_parameter_the_readme_names_is_read_by_the_app():
    using = README.split("## Using the app", 1)[1].split("\n## ", 1)[0]  # where the app's URL is described
    named = set(re.findall(r"`(\w+)=", using))
    unknown = sorted(named - url_keys())
    assert unknown == [], f"the README names URL parameters the app does not read: {unknown}"


def test_what_the_readme_says_about_the_theme_holds():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert {"light", "dark"} <= set(config["theme"]), "the README promises a light and a dark theme"
    assert "the app follows Streamlit's light and dark themes" in PROSE
    assert "in the dark theme the graph is drawn on dark" in PROSE
    css = (ROOT / "explorer" / "render" / "assets" / "graph.css").read_text(encoding="utf-8")
    graph_rule = re.search(r"\.explorer-graph \{[^}]*\}", css).group(0)
    assert "background: var(--st-background-color" in graph_rule  # the theme's background, not a fixed white
    assert not re.search(r"white (in|under) both themes|on white", PROSE), "the graph is not white in the dark theme"
