"""How things look, as data: colours, shapes, widths and dashes, taken from the vocabulary table."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.tables.schema import vocabulary

BLOC_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78")
FADED = "rgba(180,180,180,0.35)"
TARGET_COLOUR = "#111111"
PRESSURED_COLOUR = "#f5a623"  # cross-pressured actors: amber fill, dashed dark ring (and while playing, when so)
MAX_EDGE_WIDTH = 8


@dataclass(frozen=True)
class NodeStyle:
    colour: str
    shape: str
    label: str
    role: str = ""


def node_style(kind: str) -> NodeStyle:
    terms = vocabulary("kind")
    term = terms.get(kind) or terms["other"]
    return NodeStyle(term.colour, term.shape, term.label, term.role)


def polarity_colour(polarity: int) -> str:
    return vocabulary("polarity")[str(int(polarity))].colour


def polarity_label(polarity: int) -> str:
    return vocabulary("polarity")[str(int(polarity))].label


def edge_width(evidence_count: int) -> float:
    """Wider with more evidence, capped so one heavily sourced tie does not hide the rest."""
    return float(min(1 + evidence_count, MAX_EDGE_WIDTH))


def edge_dashed(confidence: str, single_perspective: bool) -> bool:
    """Dashed lines flag what to read with care: low confidence, or only one side's voice."""
    return confidence == "low" or single_perspective


def bloc_colour(number: int) -> str:
    return BLOC_COLOURS[number % len(BLOC_COLOURS)]
