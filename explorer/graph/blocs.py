"""Signed blocs: partitions that minimise frustration, and triangle balance."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint, milp

from explorer.graph.signed import Tie

EXACT_LIMIT = 20  # actors; beyond this the heuristic runs
DEFAULT_MAX_BLOCS = 4


@dataclass(frozen=True)
class BlocResult:
    blocs: tuple[tuple[str, ...], ...]
    unaligned: tuple[str, ...]  # actors of the view with no signed tie
    frustration: float
    optimal: bool
    k: int
    method: str
    frustrated: tuple[Tie, ...]
    balance: float | None

    def as_dict(self) -> dict:
        return {
            "blocs": [list(b) for b in self.blocs],
            "frustration": self.frustration,
            "optimal": self.optimal,
            "k": self.k,
            "method": self.method,
            "unaligned": list(self.unaligned),
            "balance_index": self.balance,
            "frustrated_ties": [{"a": t.a, "b": t.b, "weight": t.weight, "relations": list(t.relations)}
                                for t in self.frustrated],
        }


def frustration(ties: list[Tie], bloc_of: dict[str, int], weighted: bool = True) -> tuple[float, list[Tie]]:
    """Cooperative ties across blocs plus adversarial ties inside blocs, and the ties that are frustrated."""
    bad = [t for t in ties if t.sign and ((bloc_of[t.a] == bloc_of[t.b]) == (t.sign < 0))]
    total = sum(abs(t.weight) if weighted else 1 for t in bad)
    return round(total, 6), bad


def balance_index(ties: list[Tie]) -> float | None:
    """Share of signed triangles whose sign product is positive (structural balance); None if none."""
    sign: dict[tuple[str, str], int] = {(t.a, t.b): t.sign for t in ties if t.sign}
    neighbours: dict[str, set[str]] = {}
    for a, b in sign:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    balanced = total = 0
    for a, b in sign:  # a < b; count each triangle once via its smallest pair (a, b) and c > b
        for c in neighbours[a] & neighbours[b]:
            if c > b:
                total += 1
                balanced += sign[(a, b)] * sign[(a, c)] * sign[(b, c)] > 0
    return balanced / total if total else None


def _exact(actors: list[str], ties: list[Tie], k: int, weighted: bool,
           time_limit: float) -> tuple[dict[str, int], bool]:
    """Minimum-frustration partition into at most k blocs as a mixed-integer programme (HiGHS)."""
    n, code = len(actors), {a: i for i, a in enumerate(actors)}
    signed = [t for t in ties if t.sign]
    x = lambda i, c: i * k + c  # noqa: E731
    n_x, n_t = n * k, len(signed)
    cost = np.zeros(n_x + n_t)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def constraint(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        row = len(lower)
        for col, val in entries:
            rows.append(row)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    for i in range(n):
        constraint([(x(i, c), 1.0) for c in range(k)], 1, 1)
    for e, tie in enumerate(signed):
        i, j, t = code[tie.a], code[tie.b], n_x + e
        cost[t] = abs(tie.weight) if weighted else 1.0
        for c in range(k):
            if tie.sign < 0:  # t >= x_ic + x_jc - 1: t is 1 when both sit in bloc c
                constraint([(t, 1.0), (x(i, c), -1.0), (x(j, c), -1.0)], -1, np.inf)
            else:  # t >= |x_ic - x_jc|: t is 1 when they sit apart
                constraint([(t, 1.0), (x(i, c), -1.0), (x(j, c), 1.0)], 0, np.inf)
                constraint([(t, 1.0), (x(i, c), 1.0), (x(j, c), -1.0)], 0, np.inf)
    upper_bounds = np.ones(n_x + n_t)
    for i in range(n):  # symmetry: actor i may only open bloc i or a lower one
        for c in range(i + 1, k):
            upper_bounds[x(i, c)] = 0
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n_x + n_t))
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_t)])
    result = milp(cost, constraints=LinearConstraint(matrix, lower, upper), integrality=integrality,
                  bounds=(np.zeros(n_x + n_t), upper_bounds),
                  options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True})
    if result.x is None:
        raise RuntimeError(f"solver failed: {result.message}")
    labels = result.x[:n_x].reshape(n, k).argmax(axis=1)
    return {a: int(labels[code[a]]) for a in actors}, result.status == 0


def _heuristic(actors: list[str], ties: list[Tie], k: int, weighted: bool, restarts: int,
               seed: int) -> dict[str, int]:
    """Greedy moves to the bloc each actor agrees with most, from several random starts; keeps the best."""
    n, code = len(actors), {a: i for i, a in enumerate(actors)}
    signed = [t for t in ties if t.sign]
    i = np.array([code[t.a] for t in signed], dtype=np.int64)
    j = np.array([code[t.b] for t in signed], dtype=np.int64)
    w = np.array([t.weight if weighted else float(t.sign) for t in signed])
    matrix = sparse.csr_array((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))),
                              shape=(n, n))
    rng = np.random.default_rng(seed)
    best_labels, best_cost = None, math.inf
    for _ in range(restarts):
        labels = rng.integers(0, k, size=n)
        for _sweep in range(100):
            changed = False
            for node in rng.permutation(n):
                start, end = matrix.indptr[node], matrix.indptr[node + 1]
                agreement = np.bincount(labels[matrix.indices[start:end]], weights=matrix.data[start:end],
                                        minlength=k)
                choice = int(np.argmax(agreement))
                if agreement[choice] > agreement[labels[node]] + 1e-12:
                    labels[node], changed = choice, True
            if not changed:
                break
        same = labels[i] == labels[j]
        cost = float(np.abs(w)[(w > 0) & ~same].sum() + np.abs(w)[(w < 0) & same].sum())
        if cost < best_cost:
            best_labels, best_cost = labels.copy(), cost
    return {a: int(best_labels[code[a]]) for a in actors}


def find_blocs(ties: list[Tie], actors: tuple[str, ...] | list[str] = (), k: int | None = None,
               max_blocs: int = DEFAULT_MAX_BLOCS, weighted: bool = True, exact_limit: int = EXACT_LIMIT,
               restarts: int = 20, seed: int = 0, time_limit: float = 10.0) -> BlocResult:
    """Partition the tied actors into k blocs (or the fewest up to max_blocs that reach the minimum)."""
    tied = sorted({t.a for t in ties if t.sign} | {t.b for t in ties if t.sign})
    unaligned = tuple(sorted(set(actors) - set(tied)))
    if not tied:
        return BlocResult((), unaligned, 0.0, True, 0, "empty", (), None)
    exact = len(tied) <= exact_limit
    candidates = [k] if k else list(range(1, max_blocs + 1))
    best: tuple[float, int, dict[str, int]] | None = None
    proven = exact  # the minimum over k is proven only if every solve was
    for blocs in candidates:
        if exact:
            assignment, optimal = _exact(tied, ties, blocs, weighted, time_limit)
            proven &= optimal
        else:
            assignment = _heuristic(tied, ties, blocs, weighted, restarts, seed)
        cost, _ = frustration(ties, assignment, weighted)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, blocs, assignment)
    cost, chosen_k, assignment = best
    optimal = proven
    _, frustrated = frustration(ties, assignment, weighted)
    groups: dict[int, list[str]] = {}
    for actor in tied:
        groups.setdefault(assignment[actor], []).append(actor)
    ordered = tuple(tuple(g) for g in sorted(groups.values(), key=lambda g: (-len(g), g)))
    return BlocResult(ordered, unaligned, cost, optimal, chosen_k, "exact" if exact else "heuristic",
                      tuple(frustrated), balance_index(ties))
