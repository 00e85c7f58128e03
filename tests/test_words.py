"""The recurring wording has one home (explorer/tables/words.py): the other modules call it, never retype it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from explorer.tables.schema import vocabulary
from explorer.tables.words import claim_text, claimants_text, origins_words, stances

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"


def test_stance_order_is_the_vocabulary_order():
    assert stances() == tuple(vocabulary("stance")) and stances()[0] == "supports"


def test_claims_and_origins_in_words():
    assert claim_text("iraf", "") == "claimed by iraf"
    assert claimants_text(["iraf", ""], str.upper) == "IRAF, the source's own reporting"
    assert origins_words(0) == "0 independent origins"


def strings_of(path: Path) -> list[str]:
    """The string literals of a module that reach users: docstrings (and comments) left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings]
    formatted = ["".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
                 for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)]  # f"claimed by {name}"
    sequences = [" ".join(e.value for e in node.elts) for node in ast.walk(tree)
                 if isinstance(node, (ast.Tuple, ast.List)) and node.elts
                 and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)]
    return literals + formatted + sequences  # a tuple of words (the stance order) read as one phrase


@pytest.mark.parametrize("phrase", ["own reporting", "independent source", "independent outlet", "claimed by {",
                                    "reports it in its own voice", "relaying one wire", "supports qualifies disputes"])
def test_wording_is_written_once(phrase):
    """Claim text, the independent-origins sentence and the stance order were once typed in ten places and drifted."""
    places = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
              if path.name != "words.py" and any(phrase in text for text in strings_of(path))]
    assert places == [], f"{phrase!r} is worded outside explorer/tables/words.py: {places}"
