"""Graph engine: indexes, filters, the NetworkX graph, signed blocs, axes, paths, timelines. No UI here."""

from explorer.graph.axis import Axis, find_axis
from explorer.graph.blocs import BlocResult, find_blocs
from explorer.graph.build import build_graph, view_graph
from explorer.graph.evidence import RelationDetail, relation_detail, relations_table
from explorer.graph.filters import Filter, View, apply_filter, filter_to_params, parse_filter
from explorer.graph.index import Index, build_index
from explorer.graph.paths import SignedPath, find_paths
from explorer.graph.signed import Tie, signed_ties

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
