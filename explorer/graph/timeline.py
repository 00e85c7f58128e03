"""Time: relations per month by polarity, blocs as of a sequence of dates."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from explorer.graph.blocs import BlocResult, find_blocs
from explorer.graph.filters import Filter, View, apply_filter
from explorer.graph.index import Index
from explorer.graph.signed import signed_ties
from explorer.model import day_from_number
from explorer.tables.schema import vocabulary


def relations_per_month(index: Index, view: View) -> pd.DataFrame:
    """Count of view relations by the month they start in and their polarity (label)."""
    positions = np.asarray(view.relations)
    labels = {int(value): term.label for value, term in vocabulary("polarity").items()}
    months = [day_from_number(d).strftime("%Y-%m") for d in index.start_lo[positions]]
    frame = pd.DataFrame({"month": months, "polarity": [labels[int(p)] for p in index.polarity[positions]]})
    if frame.empty:
        return pd.DataFrame({"month": [], "polarity": [], "relations": []})
    counts = frame.groupby(["month", "polarity"]).size().rename("relations").reset_index()
    return counts.sort_values(["month", "polarity"]).reset_index(drop=True)


def blocs_over_time(index: Index, base: Filter, dates: list[str], k: int | None = None) -> list[tuple[str, BlocResult]]:
    """Blocs as of each date, the other filters unchanged: watch blocs form."""
    results = []
    for date in dates:
        view = apply_filter(index, replace(base, as_of=date))
        results.append((date, find_blocs(signed_ties(index, view), view.actors, k=k)))
    return results
