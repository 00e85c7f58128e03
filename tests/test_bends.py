"""How relation lines bend: vis-network's curve geometry, and click handles (midpoints) kept apart."""

from __future__ import annotations

import itertools
import math

import pytest

from explorer.graph import Filter, apply_filter, build_index
from explorer.render.network import (
    HANDLE_SPACING,
    ROUNDNESS_STEP,
    Bend,
    curve_midpoint,
    curve_via,
    network_data,
    spread_bends,
)
from explorer.tables import load_dataset


def test_curve_via_is_vis_networks_control_point():
    # curvedCW, roundness 0.2, from (0, 0) to (100, 0): share 0.6 of the length at an angle of 0.6π
    # (vis-network 9.1.2, _getViaCoordinates): (60 sin 108°, 60 cos 108°)
    assert curve_via((0, 0), (100, 0), Bend(0.2)) == pytest.approx((57.063, -18.541), abs=1e-3)
    assert curve_via((0, 0), (100, 0), Bend(0.2, clockwise=False)) == pytest.approx((57.063, 18.541), abs=1e-3)
    assert curve_via((0, 0), (100, 0), Bend(0.0)) == pytest.approx((50, 0))  # roundness 0 is straight
    assert curve_midpoint((0, 0), (100, 0), Bend(0.2)) == pytest.approx((53.532, -9.271), abs=1e-3)


def test_bend_round_trips_through_the_smooth_option():
    for bend in (Bend(0.35), Bend(0.8, clockwise=False)):
        assert Bend.of(bend.smooth) == bend


def test_crossing_curves_of_two_pairs_get_their_midpoints_apart():
    first = ((-100.0, 0.0), (100.0, 0.0))
    start, end = (0.0, -120.0), (30.0, 100.0)
    # move the second pair so that, bent as the first, its midpoint falls on the first one's
    wanted = curve_midpoint(*first, Bend(ROUNDNESS_STEP))
    shift = [w - m for w, m in zip(wanted, curve_midpoint(start, end, Bend(ROUNDNESS_STEP)), strict=True)]
    second = ((start[0] + shift[0], start[1] + shift[1]), (end[0] + shift[0], end[1] + shift[1]))
    assert math.dist(curve_midpoint(*first, Bend(ROUNDNESS_STEP)), curve_midpoint(*second, Bend(ROUNDNESS_STEP))) < 1e-9
    bends = spread_bends([first, second], [], spacing=20)
    assert bends[0] == Bend(ROUNDNESS_STEP)  # the first keeps the usual bend
    assert math.dist(curve_midpoint(*first, bends[0]), curve_midpoint(*second, bends[1])) >= 20


def test_parallel_relations_and_actor_centres_keep_their_distance():
    a, b = (0.0, 0.0), (200.0, 50.0)
    ends = [(a, b), (a, b), (b, a), (a, b)]
    bends = spread_bends(ends, [a, b], spacing=15)
    handles = [curve_midpoint(start, end, bend) for (start, end), bend in zip(ends, bends, strict=True)]
    for one, other in itertools.combinations([*handles, a, b], 2):
        assert math.dist(one, other) >= 15


def test_bundled_view_has_no_two_handles_within_the_spacing():
    index = build_index(load_dataset(None).dataset)
    data = network_data(index, apply_filter(index, Filter()))
    place = {node["id"]: (node["x"], node["y"]) for node in data.nodes}
    radius = max(math.hypot(*point) for point in place.values())
    handles = [curve_midpoint(place[edge["from"]], place[edge["to"]], Bend.of(edge["smooth"])) for edge in data.edges]
    assert len(handles) > 50
    closest = min(math.dist(one, other) for one, other in itertools.combinations([*handles, *place.values()], 2)
                  if not (one in place.values() and other in place.values()))
    assert closest >= HANDLE_SPACING * radius
