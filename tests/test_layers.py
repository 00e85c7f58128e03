"""Imports point one way (app → render → graph → tables → model); only the app imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"
ORDER = ["model", "tables", "graph", "render", "app"]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "explorer" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", ORDER[:-1])
def test_pure_layers_never_import_streamlit_or_a_higher_layer(layer):
    files = [PACKAGE / "model.py"] if layer == "model" else sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    allowed = set(ORDER[: ORDER.index(layer) + 1])
    for path in files:
        for module in imports(path):
            assert not module.startswith("streamlit"), f"{path.name} imports {module}"
            target = layer_of(module)
            assert target is None or target in allowed, f"{path.relative_to(PACKAGE)} imports {module}"
