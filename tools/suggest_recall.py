"""Recall of `suggest` on the bundled seed: the share of curated seed relations whose quote lies in a
suggested sentence (and, stricter, whose actor pair the suggestion also names). Target: at least 80%.

Run: .venv/bin/python tools/suggest_recall.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explorer.tables import load_dataset  # noqa: E402
from explorer.tables.suggest import recall, suggest  # noqa: E402

SEED = "000_ff18c378545b59ec.txt"


def main() -> None:
    dataset = load_dataset(ROOT / "data").dataset
    source_id = dataset.sources.index[dataset.sources["document"] == SEED][0]
    text = (ROOT / "seeds" / SEED).read_text(encoding="utf-8")
    suggestions = suggest(text, dataset.actors)
    result = recall(suggestions, dataset.relations, dataset.evidence, source_id)
    total = len(result.found) + len(result.missed)
    print(f"{len(suggestions.candidates)} candidate relations from {len(suggestions.mentions)} mentions")
    print(f"recall: {len(result.found)}/{total} = {result.share:.0%} of curated seed relations have a quote inside "
          "a suggested sentence")
    print(f"stricter: {len(result.found_with_pair)}/{total} = {result.share_with_pair:.0%} also with the same "
          "actor pair")
    for relation_id in result.missed:
        print(f"  missed: {relation_id}")


if __name__ == "__main__":
    main()
