"""A small drawing for the Check axis view: members, target and cross-pressured actors with their signed ties, as
SVG (every label escaped), and the verdict colours of its matrix."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from explorer.graph.check import CLAIMED_ONLY, CONTRADICTED, MIXED, NO_EVIDENCE, SUPPORTED
from explorer.graph.signed import Tie
from explorer.render.style import PRESSURED_COLOUR, TARGET_COLOUR, polarity_colour

VERDICT_COLOURS = {SUPPORTED: "#2e7d32", CONTRADICTED: "#c62828", MIXED: "#b7791f", CLAIMED_ONLY: "#6b7280",
                   NO_EVIDENCE: "#9ca3af"}  # background of a matrix cell; text on it is white
MEMBER_COLOUR = "#4e79a7"
WIDTH, HEIGHT, RADIUS = 460, 300, 110


def _positions(members: Sequence[str], target: str, others: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Target at the bottom, members along the top arc, cross-pressured outsiders on the sides."""
    found = {target: (WIDTH / 2, HEIGHT - 40)}
    for number, actor in enumerate(members):
        angle = math.pi * (number + 1) / (len(members) + 1)  # along the upper half, left to right
        found[actor] = (WIDTH / 2 - RADIUS * 1.6 * math.cos(angle), HEIGHT / 2 - RADIUS * math.sin(angle) + 30)
    for number, actor in enumerate(others):
        side = -1 if number % 2 == 0 else 1
        found[actor] = (WIDTH / 2 + side * (WIDTH / 2 - 60), HEIGHT - 60 - 45 * (number // 2))
    return found


def axis_sketch_svg(members: Sequence[str], target: str, pressured: Sequence[str], ties: Sequence[Tie],
                    labels: Mapping[str, str]) -> tuple[str, str]:
    """The SVG and its legend (HTML). Members (blue), the target (dark ring) and cross-pressured actors (amber,
    dashed ring; a member can be one), joined by their net signed ties: green cooperative, red adversarial, wider
    when heavier, weight written on it."""
    others = [a for a in pressured if a not in members and a != target]
    at = _positions(members, target, others)
    drawn = [t for t in ties if t.sign and t.a in at and t.b in at]
    parts = [Markup("<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='Axis sketch' "
                    "viewBox='0 0 {} {}' width='{}' height='{}'>").format(WIDTH, HEIGHT, WIDTH, HEIGHT)]
    for tie in drawn:
        (x1, y1), (x2, y2) = at[tie.a], at[tie.b]
        colour = polarity_colour(tie.sign)
        width = 1.5 + min(abs(tie.weight), 4) * 1.2
        parts.append(Markup("<line x1='{:.1f}' y1='{:.1f}' x2='{:.1f}' y2='{:.1f}' stroke='{}' stroke-width='{:.1f}' "
                            "stroke-opacity='0.8'/>").format(x1, y1, x2, y2, colour, width))
        parts.append(Markup("<text x='{:.1f}' y='{:.1f}' font-size='11' text-anchor='middle' fill='{}' "
                            "paint-order='stroke' stroke='#fff' stroke-width='3'>{:+.1f}</text>").format(
            (x1 + x2) / 2, (y1 + y2) / 2 - 3, colour, tie.weight))
    for actor, (x, y) in at.items():
        is_pressured = actor in pressured
        fill = PRESSURED_COLOUR if is_pressured else (MEMBER_COLOUR if actor != target else "#e15759")
        ring = TARGET_COLOUR if actor == target or is_pressured else fill
        dash = " stroke-dasharray='4 3'" if is_pressured else ""
        parts.append(Markup("<circle cx='{:.1f}' cy='{:.1f}' r='13' fill='{}' stroke='{}' stroke-width='{}'"
                            + dash + "><title>{}</title></circle>").format(
            x, y, fill, ring, 4 if actor == target else 2.5, labels.get(actor, actor)))
        parts.append(Markup("<text x='{:.1f}' y='{:.1f}' font-size='13' text-anchor='middle' fill='#222' "
                            "paint-order='stroke' stroke='#fff' stroke-width='3' font-weight='600'>{}</text>").format(
            x, y - 19, labels.get(actor, actor)))
    parts.append(Markup("</svg>"))
    legend = Markup(
        "<div class='legend'><span class='item'><span class='dot' style='background:{}'></span>member</span>"
        "<span class='item'><span class='dot' style='background:#e15759;border:2px solid #111'></span>target</span>"
        "<span class='item'><span class='dot' style='background:{};border:2px dashed #111'></span>cross-pressured"
        "</span><span class='item'><span class='line' style='background:{}'></span>cooperative net tie</span>"
        "<span class='item'><span class='line' style='background:{}'></span>adversarial net tie</span></div>").format(
        MEMBER_COLOUR, PRESSURED_COLOUR, polarity_colour(1), polarity_colour(-1))
    return str(Markup("").join(parts)), str(legend)


def verdict_css(prefix: str) -> str:
    """CSS colouring every matrix cell button whose container key starts with `prefix` + verdict slug."""
    rules = [f"[class*='st-key-{prefix}{slug(verdict)}-'] button {{ background: {colour}; color: #fff; "
             f"border-color: {colour};"
             f" width: 100%; white-space: pre-line; line-height: 1.3; }}"
             for verdict, colour in VERDICT_COLOURS.items()]
    rules.append(f"[class*='st-key-{prefix}'] button:hover {{ filter: brightness(1.12); color: #fff; }}")
    return "\n".join(rules)


def slug(verdict: str) -> str:
    """A verdict as it can sit in a widget key and a CSS class: 'claimed only' -> 'claimed_only'."""
    return str(escape(verdict)).replace(" ", "_")
