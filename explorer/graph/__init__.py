"""Graph engine: indexes, filters, the NetworkX graph, signed blocs, axes, paths, timelines. No UI here.

Names load on first use (PEP 562): a CLI call that exports a view does not pay for NetworkX, SciPy and HiGHS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.model import lazy_names

if TYPE_CHECKING:
    from explorer.graph.axis import Axis, find_axis
    from explorer.graph.blocs import BlocResult, find_blocs
    from explorer.graph.build import build_graph, view_graph
    from explorer.graph.evidence import RelationDetail, relation_detail, relations_table
    from explorer.graph.filters import Filter, View, apply_filter, filter_to_params, parse_filter
    from explorer.graph.index import Index, build_index
    from explorer.graph.paths import SignedPath, find_paths
    from explorer.graph.signed import Tie, signed_ties

_HOMES = {
    "Axis": "axis",
    "BlocResult": "blocs",
    "Filter": "filters",
    "Index": "index",
    "RelationDetail": "evidence",
    "SignedPath": "paths",
    "Tie": "signed",
    "View": "filters",
    "apply_filter": "filters",
    "build_graph": "build",
    "build_index": "index",
    "filter_to_params": "filters",
    "find_axis": "axis",
    "find_blocs": "blocs",
    "find_paths": "paths",
    "parse_filter": "filters",
    "relation_detail": "evidence",
    "relations_table": "evidence",
    "signed_ties": "signed",
    "view_graph": "build",
}
__all__ = [
    "Axis",
    "BlocResult",
    "Filter",
    "Index",
    "RelationDetail",
    "SignedPath",
    "Tie",
    "View",
    "apply_filter",
    "build_graph",
    "build_index",
    "filter_to_params",
    "find_axis",
    "find_blocs",
    "find_paths",
    "parse_filter",
    "relation_detail",
    "relations_table",
    "signed_ties",
    "view_graph",
]

__getattr__ = lazy_names(__name__, _HOMES)
