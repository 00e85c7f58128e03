"""Balance around an actor: signed triangles, who is cross-pressured, the frustration of a neighbourhood, through time.

A *signed triangle* is three actors tied pairwise by non-zero net ties (`signed.signed_ties`). It is balanced in
the strong sense of Cartwright & Harary (1956), after Heider (1946), when it holds an even number of adversarial
ties (my partner's partner is my partner, my adversary's adversary is my partner), and unbalanced otherwise.
Two kinds of unbalanced triangle:

- **two cooperative ties and one adversarial** (+ + -): the actor between the two cooperative ties is
  *cross-pressured*: it cooperates with two actors who are adversaries. Balance theory expects one tie to give.
  Around a target T: an actor that cooperates with T and with an adversary of T; seen from the other side, the
  same triangle is an adversary of T courting T's partner.
- **three adversarial ties** (- - -): unbalanced in the strong (two-camp) sense but weakly balanced in Davis's
  (1967) sense (three camps); listed in the realignment watch with that caveat, never as cross-pressure.

*Since when*: a triangle unbalanced on the analysis day is followed back month by month (the ties as of the end of
each month, the same filter and time rule with only "as of" moved) to the month its current unbalanced run began.

References
----------
Heider, F. (1946). Attitudes and cognitive organization. Journal of Psychology 21, 107-112.
Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of Heider's theory.
    Psychological Review 63(5), 277-293.
Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations 20(2), 181-187.
Estrada, E. and Benzi, M. (2014). Walk-based measure of balance in signed networks: detecting lack of
    balance in social networks. Physical Review E 90, 042802.
Aref, S. and Wilson, M. C. (2018). Measuring partial balance in signed networks. Journal of Complex Networks
    6(4), 566-595.
Estrada, E. (2019). Rethinking structural balance in signed social networks. Discrete Applied Mathematics
    268, 70-90.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
from scipy.linalg import eigvalsh

from explorer.graph.blocs import find_blocs, signed_triangles
from explorer.graph.filters import Filter, analysis_day, apply_filter
from explorer.graph.index import Index
from explorer.graph.signed import Tie, signed_ties
from explorer.graph.timeline import months_back
from explorer.model import day_from_number

SINCE_HORIZON_MONTHS = 120  # how far back "since when" looks before it says "since at least"
MAX_TREND_MONTHS = 36  # the trend shows the look-back window month by month, at most this many months
MAX_HISTORY_RELATIONS = 200_000  # beyond this, one filter per month costs seconds each: no history is computed
FRUSTRATION_SECONDS = 5.0  # the exact frustration search of one neighbourhood stops after this long

Pair = tuple[str, str]
TieMap = Mapping[Pair, Tie]

BALANCE_IN_WORDS = {
    "triangles": "Signed triangles: three actors tied pairwise; balanced when they hold an even number of "
                 "adversarial ties (Heider 1946; Cartwright & Harary 1956).",
    "unbalanced": "Unbalanced triangles: an odd number of adversarial ties (two partners of one actor at odds, or "
                  "three mutual adversaries); balance theory expects them to resolve.",
    "balanced_weight_share": "Balanced share by weight: the triangle index of Aref & Wilson (2018), the share of "
                             "triangles that are balanced, with each triangle weighing as much as its weakest tie.",
    "frustration_index": "Frustration index (line index of balance): the fewest ties whose removal splits the "
                         "neighbourhood into two camps with no conflict; 0 = balanced (Aref & Wilson 2018).",
    "walk_balance": "Walk balance: closed walks weighted by length that are balanced, tr e^A / tr e^|A|; 1 = fully "
                    "balanced, lower = less (Estrada & Benzi 2014; Estrada 2019).",
}


def pair(a: str, b: str) -> Pair:
    """The key of a tie between two actors (ties are stored with a < b)."""
    return (a, b) if a < b else (b, a)


def tie_map(ties: Iterable[Tie]) -> dict[Pair, Tie]:
    return {(t.a, t.b): t for t in ties if t.sign}


def _weights(ties: TieMap, actors: tuple[str, str, str]) -> tuple[float, float, float]:
    """Net weights of the triangle's three ties: (0, 1), (1, 2), (0, 2); 0 where there is no signed tie."""
    x, y, z = actors
    return tuple(ties[p].weight if (p := pair(u, v)) in ties else 0.0  # type: ignore[return-value]
                 for u, v in ((x, y), (y, z), (x, z)))


def is_unbalanced(weights: tuple[float, float, float]) -> bool:
    """A triangle is unbalanced when all three ties are signed and an odd number of them are adversarial.

    >>> is_unbalanced((1.0, 2.0, -0.5)), is_unbalanced((1.0, -2.0, -0.5)), is_unbalanced((1.0, 2.0, 0.0))
    (True, False, False)
    """
    return all(weights) and weights[0] * weights[1] * weights[2] < 0


class TieHistory:
    """Signed ties as of the analysis day (step 0) and as of the end of each month before it (step n: n months
    back). Each step applies the same filter with only "as of" moved, so it follows the one time rule
    (`explorer.graph.timerule`) the views, play and the CLI use. Steps are computed once, on demand."""

    def __init__(self, index: Index, chosen: Filter, now: list[Tie] | None = None,
                 enabled: bool = True) -> None:
        self.index, self.chosen, self.enabled = index, chosen, enabled
        self.month = day_from_number(analysis_day(index, chosen)).strftime("%Y-%m")
        self._steps: dict[int, dict[Pair, Tie]] = {}
        if now is not None:
            self._steps[0] = tie_map(now)

    def month_of(self, step: int) -> str:
        return months_back(self.month, step + 1)[-1]

    def at(self, step: int) -> dict[Pair, Tie]:
        if step not in self._steps:
            chosen = self.chosen if step == 0 else replace(self.chosen, as_of=self.month_of(step))
            self._steps[step] = tie_map(signed_ties(self.index, apply_filter(self.index, chosen)))
        return self._steps[step]

    def trend_steps(self) -> int:
        """Points of a trend: the look-back window month by month (a full window ago to the analysis day)."""
        return min(self.chosen.lookback, MAX_TREND_MONTHS) + 1 if self.enabled else 1


@dataclass(frozen=True)
class SignedTriangle:
    """Three actors, their three net ties as of the analysis day, and since when the triangle is unbalanced.

    For a cross-pressure triangle the actors are (one end, the cross-pressured actor, the other end), so ties
    (0, 1) and (1, 2) are the cooperative ones and (0, 2) the adversarial one."""

    actors: tuple[str, str, str]
    weights: tuple[float, float, float]  # ties (0, 1), (1, 2), (0, 2)
    relations: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    since: str = ""  # 'YYYY-MM': the month its current unbalanced run began ('' if balanced or not followed)
    since_at_least: bool = False  # unbalanced as far back as the history looked: "since at least"
    trend: tuple[tuple[str, tuple[float, float, float]], ...] = ()  # (month, weights), oldest first

    @property
    def pairs(self) -> tuple[Pair, Pair, Pair]:
        x, y, z = self.actors
        return (x, y), (y, z), (x, z)

    @property
    def negatives(self) -> int:
        return sum(w < 0 for w in self.weights)

    @property
    def balanced(self) -> bool:
        return not is_unbalanced(self.weights)

    @property
    def weakest(self) -> float:
        """A triangle is as strong as its weakest tie: the rank of cross-pressure and of the watch."""
        return min(abs(w) for w in self.weights)

    @property
    def kind(self) -> str:
        return {0: "balanced: three cooperative ties", 1: "unbalanced: two cooperative ties, one adversarial",
                2: "balanced: two adversaries of one actor cooperate",
                3: "unbalanced in the strong sense: three adversarial ties (weakly balanced, Davis 1967)"}[
            self.negatives]

    def since_words(self) -> str:
        if not self.since:
            return ""
        return f"unbalanced since at least {self.since}" if self.since_at_least else f"unbalanced since {self.since}"

    def as_dict(self, evidence: Mapping[str, dict] | None = None) -> dict:
        """With `evidence` (relation id -> `evidence.relation_brief`), each tie carries its relations' quotes."""
        def relations(ids: tuple[str, ...]) -> list:
            return [evidence.get(r, r) for r in ids] if evidence is not None else list(ids)

        return {"actors": list(self.actors), "kind": self.kind, "balanced": self.balanced,
                "weakest_tie": round(self.weakest, 6), "unbalanced_since": self.since or None,
                "since_at_least": self.since_at_least,
                "ties": [{"a": a, "b": b, "weight": w, "relations": relations(r)}
                         for (a, b), w, r in zip(self.pairs, self.weights, self.relations, strict=True)],
                "trend": [{"month": m, "weights": list(w)} for m, w in self.trend]}


def _triangle(ties: TieMap, actors: tuple[str, str, str], history: TieHistory | None) -> SignedTriangle:
    x, y, z = actors
    relations = tuple(ties[pair(u, v)].relations if pair(u, v) in ties else ()
                      for u, v in ((x, y), (y, z), (x, z)))
    found = SignedTriangle(actors, _weights(ties, actors), relations)  # type: ignore[arg-type]
    if history is None or not history.enabled:
        return found
    trend = tuple((history.month_of(s), _weights(history.at(s), actors))
                  for s in reversed(range(history.trend_steps())))
    if found.balanced:
        return replace(found, trend=trend)
    step = 0
    while step + 1 < SINCE_HORIZON_MONTHS and is_unbalanced(_weights(history.at(step + 1), actors)):
        step += 1
    return replace(found, since=history.month_of(step), since_at_least=step + 1 >= SINCE_HORIZON_MONTHS,
                   trend=trend)


def oriented(ties: TieMap, actors: tuple[str, str, str]) -> tuple[str, str, str]:
    """The triangle's actors in reading order: with one adversarial tie, the actor between the two cooperative
    ones in the middle (the cross-pressured one); otherwise as given."""
    x, y, z = actors
    weights = _weights(ties, actors)
    if sum(w < 0 for w in weights) != 1:
        return actors
    negative = (pair(x, y), pair(y, z), pair(x, z))[[w < 0 for w in weights].index(True)]
    middle = next(a for a in actors if a not in negative)
    return negative[0], middle, negative[1]


@dataclass(frozen=True)
class CrossPressured:
    """An actor that cooperates with the target and with at least one of the target's adversaries."""

    actor: str
    triangles: tuple[SignedTriangle, ...]  # (target, actor, adversary), strongest (by weakest tie) first

    @property
    def weakest(self) -> float:
        return max(t.weakest for t in self.triangles)

    @property
    def adversaries(self) -> tuple[str, ...]:
        return tuple(t.actors[2] for t in self.triangles)

    def trend_words(self, names: Mapping[str, str]) -> str:
        """Is the tie to the target weakening while the ties to its adversaries grow? From the first to the last
        month of the trend."""
        if not self.triangles or len(self.triangles[0].trend) < 2:
            return ""
        first, last = self.triangles[0].trend[0], self.triangles[0].trend[-1]
        target = self.triangles[0].actors[0]
        parts = [f"tie to {names.get(target, target)} {_change(first[1][0], last[1][0])}"]
        for triangle in self.triangles:
            start, end = triangle.trend[0][1][1], triangle.trend[-1][1][1]
            parts.append(f"to {names.get(triangle.actors[2], triangle.actors[2])} {_change(start, end)}")
        return f"From {first[0]} to {last[0]}: " + "; ".join(parts)

    def as_dict(self, evidence: Mapping[str, dict] | None = None) -> dict:
        return {"actor": self.actor, "role": "cross-pressured", "weakest_tie": round(self.weakest, 6),
                "adversaries_of_target": list(self.adversaries),
                "triangles": [t.as_dict(evidence) for t in self.triangles]}


def _change(start: float, end: float) -> str:
    if abs(end - start) < 0.05:
        return f"steady ({end:+.2f})"
    direction = "growing" if abs(end) > abs(start) and end * start >= 0 else "weakening"
    if start * end < 0:
        direction = "turned cooperative" if end > 0 else "turned adversarial"
    return f"{direction} ({start:+.2f} → {end:+.2f})"


def cross_pressured(ties: list[Tie], target: str, history: TieHistory | None = None) -> tuple[CrossPressured, ...]:
    """Actors that cooperate with `target` and with one or more of its adversaries, each with its unbalanced
    triangles (target, actor, adversary); ranked by their strongest triangle, a triangle by its weakest tie.

    >>> ties = [Tie("az", "ir", 1.6, ()), Tie("az", "ta", 3.7, ()), Tie("ir", "ta", -2.0, ()), Tie("ir", "x", 1, ())]
    >>> [(c.actor, c.adversaries) for c in cross_pressured(ties, "ir")]
    [('az', ('ta',))]
    """
    signed = tie_map(ties)
    partners = sorted(b if a == target else a for (a, b), t in signed.items() if target in (a, b) and t.sign > 0)
    adversaries = sorted(b if a == target else a for (a, b), t in signed.items() if target in (a, b) and t.sign < 0)
    found = []
    for actor in partners:
        triangles = [_triangle(signed, (target, actor, adversary), history) for adversary in adversaries
                     if (tie := signed.get(pair(actor, adversary))) is not None and tie.sign > 0]
        if triangles:
            triangles.sort(key=lambda t: (-t.weakest, t.actors))
            found.append(CrossPressured(actor, tuple(triangles)))
    return tuple(sorted(found, key=lambda c: (-c.weakest, c.actor)))


def unbalanced_triangles(ties: list[Tie], history: TieHistory | None = None,
                         limit: int | None = None) -> tuple[SignedTriangle, ...]:
    """The realignment watch: every unbalanced triangle among the ties, heaviest first (by its weakest tie), each
    with the month it became unbalanced. `limit` keeps the heaviest; since-when is followed only for those."""
    signed = tie_map(ties)
    found = [SignedTriangle(o, _weights(signed, o), ((), (), ()))
             for t in signed_triangles(list(signed.values())) if is_unbalanced(_weights(signed, t))
             for o in [oriented(signed, t)]]
    found.sort(key=lambda t: (-t.weakest, t.actors))
    return tuple(_triangle(signed, t.actors, history) for t in found[:limit])


@dataclass(frozen=True)
class NeighbourhoodBalance:
    """Balance of the target's neighbourhood (the target, every actor with a signed tie to it, and the ties among
    them) on one date, in the literature's measures (see `BALANCE_IN_WORDS`)."""

    month: str
    actors: int
    ties: int
    triangles: int
    unbalanced: int  # strong sense (odd number of adversarial ties)
    three_adversaries: int  # of those, the all-adversarial ones (weakly balanced, Davis 1967)
    balanced_weight_share: float | None  # None without triangles
    frustration_index: int  # the line index of balance: fewest ties to remove for two camps without conflict
    frustration_weight: float  # the least total weight of such ties
    optimal: bool  # both frustration figures proven by the exact solver
    walk_balance: float | None  # Estrada & Benzi (2014): tr e^A / tr e^|A|

    @property
    def balanced(self) -> int:
        return self.triangles - self.unbalanced

    def as_dict(self) -> dict:
        return {"month": self.month, "actors": self.actors, "ties": self.ties, "triangles": self.triangles,
                "balanced": self.balanced, "unbalanced": self.unbalanced,
                "three_adversaries": self.three_adversaries, "balanced_weight_share": self.balanced_weight_share,
                "frustration_index": self.frustration_index, "frustration_weight": self.frustration_weight,
                "optimal": self.optimal, "walk_balance": self.walk_balance}


def neighbourhood(ties: TieMap, target: str) -> list[Tie]:
    """The signed ties of the target's neighbourhood: its own and those among the actors it is tied to."""
    around = {target} | {b if a == target else a for a, b in ties if target in (a, b)}
    return [t for (a, b), t in ties.items() if a in around and b in around]


def walk_balance(ties: list[Tie]) -> float | None:
    """Estrada & Benzi's (2014) walk-based balance: the share of closed walks, weighted 1/k! by length k, that are
    balanced, tr e^A / tr e^|A| with A the sign matrix. 1 for a balanced network. None without ties.

    >>> walk_balance([Tie("a", "b", 1, ()), Tie("b", "c", 1, ()), Tie("a", "c", 1, ())])
    1.0
    """
    signed = [t for t in ties if t.sign]
    if not signed:
        return None
    actors = sorted({t.a for t in signed} | {t.b for t in signed})
    code = {a: n for n, a in enumerate(actors)}
    matrix = np.zeros((len(actors), len(actors)))
    for t in signed:
        matrix[code[t.a], code[t.b]] = matrix[code[t.b], code[t.a]] = t.sign
    # A is symmetric, so tr e^A is the sum of e^λ over its eigenvalues: a tenth of `expm`'s cost, and the
    # Axes view asks for it once per month of the look-back window.
    return round(float(np.exp(eigvalsh(matrix)).sum() / np.exp(eigvalsh(np.abs(matrix))).sum()), 6)


def neighbourhood_balance(ties: TieMap, target: str, month: str) -> NeighbourhoodBalance:
    """Triangle counts, weighted share, frustration index (exact, HiGHS via `find_blocs` with two blocs) and walk
    balance of the target's neighbourhood."""
    around = neighbourhood(ties, target)
    actors = {t.a for t in around} | {t.b for t in around}
    triangles = [_weights(ties, t) for t in signed_triangles(around)]
    unbalanced = [w for w in triangles if is_unbalanced(w)]
    total = sum(min(abs(x) for x in w) for w in triangles)
    balanced_weight = total - sum(min(abs(x) for x in w) for w in unbalanced)
    count = find_blocs(around, k=2, weighted=False, time_limit=FRUSTRATION_SECONDS) if around else None
    weight = find_blocs(around, k=2, weighted=True, time_limit=FRUSTRATION_SECONDS) if around else None
    return NeighbourhoodBalance(
        month, len(actors), len(around), len(triangles), len(unbalanced), sum(all(x < 0 for x in w) for w in triangles),
        round(balanced_weight / total, 6) if total else None,
        round(count.frustration) if count else 0, weight.frustration if weight else 0.0,
        bool((count.optimal if count else True) and (weight.optimal if weight else True)), walk_balance(around))


def balance_through_time(history: TieHistory, target: str) -> tuple[NeighbourhoodBalance, ...]:
    """The neighbourhood's balance as of the end of each month of the trend, the analysis day last."""
    return tuple(neighbourhood_balance(history.at(s), target, history.month_of(s))
                 for s in reversed(range(history.trend_steps())))


def history_for(index: Index, chosen: Filter, relations: int, now: list[Tie]) -> TieHistory:
    """A history of the view's ties, switched off (and saying so) beyond `MAX_HISTORY_RELATIONS` relations."""
    return TieHistory(index, chosen, now, enabled=relations <= MAX_HISTORY_RELATIONS)


def pressured_over_time(index: Index, base: Filter, dates: Iterable[str], target: str) -> list[dict[str, int]]:
    """At each date (the filter with only "as of" moved): {actor: 0} for each actor cross-pressured around the
    target then. Play recolours them with it, so triangles are seen turning unbalanced."""
    found = []
    for date in dates:
        ties = signed_ties(index, apply_filter(index, replace(base, as_of=date)))
        found.append({c.actor: 0 for c in cross_pressured(ties, target)})
    return found
