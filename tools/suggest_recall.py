"""How well `suggest` does, on two yardsticks.

1. The bundled seed (in-sample, so flattering): the share of curated seed relations whose quote lies in a
   suggested sentence (and, stricter, whose actor pair the suggestion also names). `explorer/tables/cues.csv`
   was written from this seed (and the research table), so this says little about new text.
2. Held-out sentences (`tests/suggest_heldout.csv`): real sentences quoted from stored public pages on the
   same topics that are in neither the seed nor the research table, so the cue words were not written from
   them. Each row is a relation a reader sees in the sentence, labelled by hand before `suggest` ran on it.
   Recall: labelled relations with a candidate on the same actor pair (and with the right type and
   polarity); precision: candidates whose pair (and type and polarity) is labelled.

Run: .venv/bin/python tools/suggest_recall.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explorer.tables import load_dataset  # noqa: E402
from explorer.tables.suggest import Labelled, recall, scores, suggest  # noqa: E402

SEED = "000_ff18c378545b59ec.txt"
HELD_OUT = ROOT / "tests" / "suggest_heldout.csv"


def held_out() -> list[Labelled]:
    """The held-out labelled sentences (see the module docstring for where they come from)."""
    with HELD_OUT.open(encoding="utf-8", newline="") as handle:
        return [Labelled(row["quote"], row["source"], row["target"], frozenset(row["types"].split("|")),
                         int(row["polarity"])) for row in csv.DictReader(handle)]


def main() -> None:
    dataset = load_dataset(ROOT / "data").dataset
    source_id = dataset.sources.index[dataset.sources["document"] == SEED][0]
    text = (ROOT / "seeds" / SEED).read_text(encoding="utf-8")
    suggestions = suggest(text, dataset.actors)
    result = recall(suggestions, dataset.relations, dataset.evidence, source_id)
    total = len(result.found) + len(result.missed)
    print(f"seed (in-sample): {len(suggestions.candidates)} candidate relations from "
          f"{len(suggestions.mentions)} mentions")
    print(f"  recall: {len(result.found)}/{total} = {result.share:.0%} of curated seed relations have a quote "
          "inside a suggested sentence")
    print(f"  stricter: {len(result.found_with_pair)}/{total} = {result.share_with_pair:.0%} also with the same "
          "actor pair")
    for relation_id in result.missed:
        print(f"  missed: {relation_id}")
    labelled = held_out()
    got = scores(labelled, dataset.actors)
    print(f"held out: {got.relations} labelled relations in {len({r.quote for r in labelled})} sentences")
    print(f"  recall: {got.found}/{got.relations} = {got.recall:.0%} same actor pair; "
          f"{got.found_typed}/{got.relations} = {got.recall_typed:.0%} also right type and polarity")
    print(f"  precision: {got.right}/{got.candidates} = {got.precision:.0%} of candidates name a labelled pair; "
          f"{got.right_typed}/{got.candidates} = {got.precision_typed:.0%} also right type and polarity")


if __name__ == "__main__":
    main()
