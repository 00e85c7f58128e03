"""Imports point one way (app → render → graph → events → tables → store → system → model), no module imports
round a circle, and only the app imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"
ORDER = ["model", "system", "store", "tables", "events", "graph", "render", "app"]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "explorer" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ORDER else None


def module_name(path: Path) -> str:
    """`explorer/graph/paths.py` -> `explorer.graph.paths`; a package's `__init__.py` is the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """Absolute names of every module the source imports, relative imports resolved (`from ..app import x`)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.add(node.module or "")
                continue
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:  # `from .. import app`: each name may be a module
                found |= {".".join([*base, alias.name]) for alias in node.names}
    return found


def imports_of(path: Path) -> set[str]:
    return imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def test_relative_imports_are_resolved():
    source = "from ..app import state\nfrom . import filters\nfrom .. import render\nimport streamlit as st\n"
    assert imports(source, "explorer.graph.paths") == {"explorer.app", "explorer.graph.filters",
                                                        "explorer.render", "streamlit"}
    assert imports("from .index import Index\n", "explorer.graph", is_package=True) == {"explorer.graph.index"}


@pytest.mark.parametrize("layer", ORDER[:-1])
def test_pure_layers_never_import_streamlit_or_a_higher_layer(layer):
    files = [PACKAGE / "model.py"] if layer == "model" else sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    allowed = set(ORDER[: ORDER.index(layer) + 1])
    for path in files:
        for module in imports_of(path):
            assert not module.startswith("streamlit"), f"{path.name} imports {module}"
            target = layer_of(module)
            assert target is None or target in allowed, f"{path.relative_to(PACKAGE)} imports {module}"


def module_graph() -> dict[str, set[str]]:
    """Module -> the explorer modules it imports (a package import counts as its `__init__`)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan): modules that import each other, directly
    or round a circle, even under TYPE_CHECKING or inside a function.

    >>> import_cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_module_imports_round_a_circle():
    """A circle (imports <-> upload, load <-> write) means neither module can be read, tested or moved alone."""
    assert import_cycles(module_graph()) == []
