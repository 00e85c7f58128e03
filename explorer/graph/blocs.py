"""Signed blocs: partitions that minimise frustration (proven by a MILP, or local search), and triangle balance.

A partition of the tied actors into blocs is judged by its *frustration* (Doreian & Mrvar 2009; the
*line index of balance* or *frustration index* of Aref & Wilson 2018, 2019): the number, or weight, of
ties that disagree with the blocs, i.e. cooperative ties across blocs plus adversarial ties inside one.
With two blocs, frustration 0 is Cartwright & Harary's (1956) structural (strong) balance; with any number
of blocs it is Davis's (1967) clusterability (weak balance).

References
----------
Cartwright, D. and Harary, F. (1956). Structural balance: a generalization of Heider's theory.
    Psychological Review 63(5), 277-293.
Davis, J. A. (1967). Clustering and structural balance in graphs. Human Relations 20(2), 181-187.
Doreian, P. and Mrvar, A. (2009). Partitioning signed social networks. Social Networks 31(1), 1-11.
Aref, S., Mason, A. J. and Wilson, M. C. (2018). Computing the line index of balance using integer
    programming optimisation. In Optimization Problems in Graph Theory, Springer, 65-84.
Aref, S. and Wilson, M. C. (2019). Balance and frustration in signed networks. Journal of Complex
    Networks 7(2), 163-189.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra

from explorer.graph.signed import Tie

EXACT_ACTOR_LIMIT = 200  # beyond this many tied actors, or EXACT_TIE_LIMIT ties, local search runs instead
EXACT_TIE_LIMIT = 2000
DEFAULT_MAX_BLOCS = 4
DEFAULT_TIME_LIMIT = 20.0  # seconds for the whole search (every k of an automatic choice together)
TOLERANCE = 1e-6  # frustration values are sums of float weights: equal within this
CUT_ROUNDS = 60  # cutting-plane rounds on the relaxation before the MILP starts


@dataclass(frozen=True)
class BlocResult:
    """A partition of the tied actors into blocs, how far from balance it is, and how sure we are of it.

    `k` is the number of blocs returned; `requested_k` the number asked for (None: automatic).
    `lower_bound` is a proven lower bound on the least frustration reachable (None when local search ran);
    `optimal` means the bound meets `frustration` (and, for automatic k, that no fewer blocs reach it).
    """

    blocs: tuple[tuple[str, ...], ...]
    unaligned: tuple[str, ...]  # actors of the view with no signed tie
    frustration: float
    optimal: bool
    k: int
    method: str  # "exact" (MILP, HiGHS), "heuristic" (local search) or "empty"
    frustrated: tuple[Tie, ...]
    triangle_balance: float | None
    weak_triangle_balance: float | None = None
    requested_k: int | None = None
    lower_bound: float | None = None

    @property
    def gap(self) -> float | None:
        """How much frustration a better partition could at most save (0 when optimal)."""
        return None if self.lower_bound is None else round(max(0.0, self.frustration - self.lower_bound), 6)

    def as_dict(self) -> dict:
        return {
            "status": "empty" if self.method == "empty" else "ok",
            "blocs": [list(b) for b in self.blocs],
            "frustration": self.frustration,
            "optimal": self.optimal,
            "k": self.k,
            "requested_k": self.requested_k,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            "method": self.method,
            "unaligned": list(self.unaligned),
            "balance_index": self.triangle_balance,  # the old name of triangle_balance, kept for readers of v1
            "triangle_balance": self.triangle_balance,
            "weak_triangle_balance": self.weak_triangle_balance,
            "frustrated_ties": [t.as_dict() for t in self.frustrated],
        }


FRUSTRATION_IN_WORDS = ("Frustration: the number (or weight) of ties that disagree with the blocs: cooperative "
                        "ties across blocs plus adversarial ties inside one.")


def partition_in_words(result: BlocResult) -> str:
    """What the partition says, in one sentence: the reading a user needs before the numbers.

    >>> partition_in_words(BlocResult((("a", "b"), ("c",)), (), 0.0, True, 2, "exact", (), None))
    '2 blocs: the split of these actors that best keeps partners together and adversaries apart; every tie fits it.'
    """
    if not result.blocs:
        return "No blocs: no actor in this view has a signed tie."
    misfits = len(result.frustrated)
    plural = misfits > 1
    fit = "every tie fits it" if not misfits else \
        f"the {misfits} frustrated tie{'s' if plural else ''} below {'do' if plural else 'does'} not fit it"
    if len(result.blocs) == 1:
        return f"One bloc: no split of these actors fits their ties better than keeping them together; {fit}."
    return f"{len(result.blocs)} blocs: the split of these actors that best keeps partners together and adversaries " \
        f"apart; {fit}."


def proof_in_words(result: BlocResult) -> str:
    """How sure the partition is, in words: proven optimal, or within N of optimal with the proven bound."""
    if result.method == "empty":
        return "no signed ties, so no partition to prove"
    if result.optimal:
        return "proven optimal"
    if result.lower_bound is None:
        return (f"best found by local search, no bound (the exact search runs up to {EXACT_ACTOR_LIMIT} actors "
                f"and {EXACT_TIE_LIMIT:,} ties)")
    if result.gap and result.gap > TOLERANCE:
        return f"within {result.gap:g} of optimal (bound {result.lower_bound:g}): the time limit stopped the search"
    return (f"least frustration proven (bound {result.lower_bound:g}), but the time limit stopped the search "
            "before it ruled out fewer blocs")


def frustration(ties: list[Tie], bloc_of: dict[str, int], weighted: bool = True) -> tuple[float, list[Tie]]:
    """Frustration of a partition and its frustrated ties: cooperative ties across blocs plus adversarial
    ties inside one (Doreian & Mrvar 2009; the frustration index of Aref & Wilson 2019).

    >>> frustration([Tie("a", "b", 1.0, ()), Tie("a", "c", -2.0, ())], {"a": 0, "b": 1, "c": 0})[0]
    3.0
    """
    bad = [t for t in ties if t.sign and ((bloc_of[t.a] == bloc_of[t.b]) == (t.sign < 0))]
    total = sum(abs(t.weight) if weighted else 1 for t in bad)
    return round(total, 6), bad


def signed_triangles(ties: list[Tie]) -> list[tuple[str, str, str]]:
    """Every triangle of actors tied pairwise by non-zero (signed) ties, once each, as sorted triples.

    >>> signed_triangles([Tie("a", "b", 1, ()), Tie("a", "c", -1, ()), Tie("b", "c", 2, ()), Tie("c", "d", 1, ())])
    [('a', 'b', 'c')]
    """
    pairs = sorted((t.a, t.b) for t in ties if t.sign)
    neighbours: dict[str, set[str]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    # a < b; each triangle once via its smallest pair (a, b) and c > b
    return [(a, b, c) for a, b in pairs for c in sorted(neighbours[a] & neighbours[b]) if c > b]


def _triangle_negatives(ties: list[Tie]) -> list[int]:
    """Number of adversarial ties in each signed triangle, each triangle once."""
    sign: dict[tuple[str, str], int] = {(t.a, t.b): t.sign for t in ties if t.sign}
    return [(sign[(a, b)] < 0) + (sign[(a, c)] < 0) + (sign[(b, c)] < 0) for a, b, c in signed_triangles(ties)]


def triangle_balance(ties: list[Tie]) -> float | None:
    """Share of signed triangles that are balanced in the strong sense of Cartwright & Harary (1956): an
    even number of adversarial ties (friends' friends are friends, enemies' enemies are friends). It is the
    two-bloc notion: 1.0 when the view splits into two camps without frustration. None if no triangle.

    >>> triangle_balance([Tie("a", "b", 1, ()), Tie("a", "c", -1, ()), Tie("b", "c", -1, ())])
    1.0
    """
    negatives = _triangle_negatives(ties)
    return sum(n % 2 == 0 for n in negatives) / len(negatives) if negatives else None


def weak_triangle_balance(ties: list[Tie]) -> float | None:
    """Share of signed triangles that are weakly balanced (Davis 1967): all but those with exactly one
    adversarial tie, so three mutual enemies count as balanced. It is the k-bloc notion: 1.0 when the view
    splits into some number of blocs without frustration. None if no triangle.

    >>> weak_triangle_balance([Tie("a", "b", -1, ()), Tie("a", "c", -1, ()), Tie("b", "c", -1, ())])
    1.0
    """
    negatives = _triangle_negatives(ties)
    return sum(n != 1 for n in negatives) / len(negatives) if negatives else None


@dataclass(frozen=True)
class _Graph:
    """The signed ties as arrays over actor positions: the form both solvers work on."""

    actors: list[str]
    i: np.ndarray
    j: np.ndarray
    cost: np.ndarray  # what frustrating the tie costs (> 0)
    positive: np.ndarray  # cooperative tie?

    @classmethod
    def of(cls, actors: list[str], ties: list[Tie], weighted: bool) -> _Graph:
        code = {a: n for n, a in enumerate(actors)}
        signed = [t for t in ties if t.sign]
        return cls(actors, np.array([code[t.a] for t in signed], dtype=np.int64),
                   np.array([code[t.b] for t in signed], dtype=np.int64),
                   np.array([abs(t.weight) if weighted else 1.0 for t in signed], dtype=float),
                   np.array([t.sign > 0 for t in signed], dtype=bool))

    @property
    def n(self) -> int:
        return len(self.actors)

    def frustration(self, labels: np.ndarray) -> float:
        apart = labels[self.i] != labels[self.j]
        return float(self.cost[apart == self.positive].sum())

    def agreement_matrix(self) -> sparse.csr_array:
        signed = np.where(self.positive, self.cost, -self.cost)
        return sparse.csr_array((np.concatenate([signed, signed]),
                                 (np.concatenate([self.i, self.j]), np.concatenate([self.j, self.i]))),
                                shape=(self.n, self.n))


def _local_search(graph: _Graph, k: int, starts: list[np.ndarray], restarts: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Best partition into at most k blocs found by moving one actor at a time to the bloc it agrees with
    most, from each given start and `restarts` random ones. Every move lowers frustration, so the result
    is never worse than any start (approximate: no optimality proof)."""
    matrix = graph.agreement_matrix()
    best_labels, best_cost = None, np.inf
    for labels in [s.copy() for s in starts] + [rng.integers(0, k, size=graph.n) for _ in range(restarts)]:
        for _sweep in range(100):
            changed = False
            for node in rng.permutation(graph.n):
                start, end = matrix.indptr[node], matrix.indptr[node + 1]
                agreement = np.bincount(labels[matrix.indices[start:end]], weights=matrix.data[start:end],
                                        minlength=k)
                choice = int(np.argmax(agreement))
                if agreement[choice] > agreement[labels[node]] + 1e-12:
                    labels[node], changed = choice, True
            if not changed:
                break
        cost = graph.frustration(labels)
        if cost < best_cost - 1e-12:
            best_labels, best_cost = labels, cost
    return best_labels


@dataclass
class _Cuts:
    """Cycle inequalities on y (y_e = 1 when tie e crosses blocs), each `coefficients . y <= rhs`, with the
    bound the cut relaxation proves. Two families: for any number of blocs, a cycle cannot cross blocs
    on exactly one of its ties (y_e <= sum of the others' y: the multicut polytope, weak balance); for two
    blocs a cycle crosses an even number of times (odd-cycle inequalities, Barahona & Mahjoub 1986)."""

    rows: list[tuple[np.ndarray, np.ndarray, float]]
    bound: float
    y: np.ndarray  # the relaxation's optimum, rounded into a start for local search
    reduced: np.ndarray  # its reduced costs: what moving each y off its bound costs at least


def _shortest_paths(lengths: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    return dijkstra(lengths, directed=False, return_predecessors=True)


def _path(predecessors: np.ndarray, source: int, target: int) -> list[int]:
    nodes = [target]
    while nodes[-1] != source:
        nodes.append(int(predecessors[source, nodes[-1]]))
    return nodes[::-1]


def _separate(graph: _Graph, y: np.ndarray, two_blocs: bool, edge_of: dict[tuple[int, int], int],
              seen: set) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Cycle inequalities the relaxed y violates, found by shortest paths (Barahona & Mahjoub 1986)."""
    n, eps = graph.n, 1e-7
    found = []
    if not two_blocs:  # y_e <= y(path from i to j): violated when the shortest path is shorter than y_e
        lengths = sparse.csr_array((np.concatenate([y, y]) + 1e-9, (np.concatenate([graph.i, graph.j]),
                                    np.concatenate([graph.j, graph.i]))), shape=(n, n))
        distance, predecessors = _shortest_paths(lengths)
        for e in np.argsort(-y):
            a, b = int(graph.i[e]), int(graph.j[e])
            if y[e] <= eps:
                break
            if distance[a, b] < y[e] - 1e-5:
                nodes = _path(predecessors, a, b)
                path = [edge_of[(min(u, v), max(u, v))] for u, v in itertools.pairwise(nodes)]
                key = (int(e), frozenset(path))
                if key not in seen and e not in path:
                    seen.add(key)
                    found.append((np.array([e, *path]), np.array([1.0] + [-1.0] * len(path)), 0.0))
        return found
    # two blocs: a walk from (v, even) to (v, odd) in the doubled graph; an edge taken across the layers
    # counts 1 - y_e (it is in F), along a layer y_e; a walk shorter than 1 is a violated odd-cycle cut
    i, j = graph.i, graph.j
    rows = np.concatenate([i, i + n, i, i + n])
    cols = np.concatenate([j, j + n, j + n, j])
    lengths = np.concatenate([y, y, 1 - y, 1 - y]) + 1e-9
    doubled = sparse.csr_array((np.concatenate([lengths, lengths]),
                                (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(2 * n, 2 * n))
    distance, predecessors = dijkstra(doubled, directed=False, indices=np.arange(n), return_predecessors=True)
    for v in np.argsort(distance[np.arange(n), np.arange(n) + n]):
        if distance[v, v + n] >= 1 - 1e-5:
            break
        nodes = [v + n]
        while nodes[-1] != v:
            nodes.append(int(predecessors[v, nodes[-1]]))
        coefficients: dict[int, float] = {}
        crossings = 0
        for u, w in itertools.pairwise(nodes):
            e = edge_of[(min(u % n, w % n), max(u % n, w % n))]
            across = (u >= n) != (w >= n)
            crossings += across
            coefficients[e] = coefficients.get(e, 0.0) + (1.0 if across else -1.0)
        key = frozenset(coefficients.items())
        if key not in seen:
            seen.add(key)
            edges = np.array(list(coefficients))
            found.append((edges, np.array([coefficients[e] for e in edges]), float(crossings - 1)))
    return found


def _options(model: highspy.Highs, seconds: float) -> None:
    model.setOptionValue("output_flag", False)
    model.setOptionValue("time_limit", max(0.05, seconds))
    model.setOptionValue("random_seed", 0)


def _add_cut_rows(model: highspy.Highs, rows: list[tuple[np.ndarray, np.ndarray, float]], offset: int) -> None:
    if not rows:
        return
    starts = np.cumsum([0] + [len(r[0]) for r in rows[:-1]]).astype(np.int32)
    indices = np.concatenate([r[0] for r in rows]).astype(np.int32) + offset
    values = np.concatenate([r[1] for r in rows])
    model.addRows(len(rows), np.full(len(rows), -highspy.kHighsInf), np.array([r[2] for r in rows]),
                  len(indices), starts, indices, values)


def _cut_relaxation(graph: _Graph, two_blocs: bool, deadline: float, enough: float = np.inf) -> _Cuts:
    """Cutting planes on the relaxation over y alone: its optimum is a lower bound on frustration (for any
    number of blocs, or for two), and the cuts it needed tighten the MILP's relaxation the same way.
    Stops early once the bound exceeds `enough` (all a caller needs to rule this number of blocs out)."""
    m = len(graph.cost)
    edge_of = {(int(a), int(b)): e for e, (a, b) in enumerate(zip(graph.i, graph.j, strict=True))}
    model = highspy.Highs()
    _options(model, deadline - time.perf_counter())
    model.addVars(m, np.zeros(m), np.ones(m))
    model.changeColsCost(m, np.arange(m, dtype=np.int32), np.where(graph.positive, graph.cost, -graph.cost))
    model.changeObjectiveOffset(float(graph.cost[~graph.positive].sum()))
    rows: list[tuple[np.ndarray, np.ndarray, float]] = []
    seen: set = set()
    bound, y, reduced = 0.0, np.zeros(m), np.zeros(m)
    for _round in range(CUT_ROUNDS):
        model.setOptionValue("time_limit", max(0.05, deadline - time.perf_counter()))
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        bound = model.getInfo().objective_function_value
        y = np.clip(np.asarray(model.getSolution().col_value), 0, 1)
        reduced = np.asarray(model.getSolution().col_dual)
        new = _separate(graph, y, two_blocs, edge_of, seen)
        if not new or time.perf_counter() > deadline or bound > enough + TOLERANCE:
            break
        _add_cut_rows(model, new, 0)
        rows.extend(new)
    return _Cuts(rows, max(0.0, bound), y, reduced)


@dataclass(frozen=True)
class _Contracted:
    """The graph with actors that must sit together merged: `graph` over groups, `group` of each actor, and
    the frustration every partition pays anyway (`constant`)."""

    graph: _Graph
    group: np.ndarray
    constant: float


def _contract(graph: _Graph, cuts: _Cuts, cutoff: float) -> _Contracted | None:
    """Reduced-cost fixing: a partition with frustration <= cutoff cannot move a tie's y off its bound in the
    relaxation when that alone would cost more than cutoff - bound. Ties fixed together merge their actors;
    ties fixed apart become a prohibitive adversarial tie. None when the fixings contradict each other: then
    no partition reaches the cutoff at all."""
    allowance = cutoff - cuts.bound + TOLERANCE
    together = (cuts.y < 0.5) & (cuts.reduced > allowance)
    apart = (cuts.y > 0.5) & (-cuts.reduced > allowance)
    joined = sparse.csr_array((np.ones(together.sum()), (graph.i[together], graph.j[together])),
                              shape=(graph.n, graph.n))
    count, group = connected_components(joined, directed=False)
    a, b = group[graph.i], group[graph.j]
    if np.any(apart & (a == b)):
        return None
    prohibitive = float(graph.cost.sum()) + 1.0
    inside = a == b
    constant = float(graph.cost[inside & ~graph.positive].sum())
    lo, hi = np.minimum(a, b)[~inside], np.maximum(a, b)[~inside]
    cost, positive, fixed = graph.cost[~inside], graph.positive[~inside], apart[~inside]
    pair = lo * count + hi
    keys, slot = np.unique(pair, return_inverse=True)
    if_together = np.bincount(slot, weights=np.where(positive, 0.0, cost) + np.where(fixed, prohibitive, 0.0),
                              minlength=len(keys))
    if_apart = np.bincount(slot, weights=np.where(positive, cost, 0.0), minlength=len(keys))
    constant += float(np.minimum(if_together, if_apart).sum())
    differs = np.abs(if_together - if_apart) > 1e-12
    names = [str(c) for c in range(count)]
    merged = _Graph(names, (keys // count)[differs], (keys % count)[differs],
                    np.abs(if_together - if_apart)[differs], (if_together < if_apart)[differs])
    return _Contracted(merged, group, constant)


def _exact_below(graph: _Graph, k: int, start: np.ndarray, cuts: _Cuts, deadline: float,
                 cutoff: float | None = None) -> _Solved:
    """`_exact` on the graph contracted by reduced-cost fixing: the best partition with frustration at most
    `cutoff` (default: just below the start's, i.e. a proof that the start is optimal or a better one).
    Far smaller than the whole graph when the relaxation's bound is close to the cutoff."""
    start_value = graph.frustration(start)
    limit = start_value - 2 * TOLERANCE if cutoff is None else cutoff
    contracted = _contract(graph, cuts, limit)
    if contracted is None:
        return _Solved(start, start_value, min(start_value, limit + 2 * TOLERANCE))
    small, group = contracted.graph, contracted.group
    if len(small.cost) == 0:  # no tie left between groups: every partition pays the constant
        labels, sub_bound = np.zeros(graph.n, dtype=np.int64), contracted.constant
    else:
        votes = np.zeros((small.n, max(k, int(start.max()) + 1)))
        np.add.at(votes, (group, start), 1)
        small_start = votes.argmax(axis=1) % k
        small_cuts = _cut_relaxation(small, k == 2, deadline)
        solved = _exact(small, k, small_start, small_cuts, deadline, limit - contracted.constant)
        labels, sub_bound = solved.labels[group], solved.bound + contracted.constant
        if solved.bound <= limit - contracted.constant + TOLERANCE and graph.frustration(labels) > limit + TOLERANCE:
            # undecided within the time: the bound holds for partitions at or below the limit, the rest are worse
            bound = min(solved.bound + contracted.constant, limit)
            best = labels if graph.frustration(labels) < start_value else start
            return _Solved(best, graph.frustration(best), min(bound, graph.frustration(best)))
    value = graph.frustration(labels)
    if value <= limit + TOLERANCE:  # found: the best at or below the limit, proven when HiGHS finished
        return _Solved(labels, value, min(value, sub_bound))
    return _Solved(start, start_value, min(start_value, limit + 2 * TOLERANCE))  # nothing at or below the limit


def _rounded(graph: _Graph, y: np.ndarray, k: int) -> np.ndarray:
    """A start for local search from the relaxation: actors joined by ties it keeps together (y < 1/2)
    form groups, then the two groups whose merging costs least (or saves most) merge until k are left."""
    together = y < 0.5
    joined = sparse.csr_array((np.ones(together.sum()), (graph.i[together], graph.j[together])),
                              shape=(graph.n, graph.n))
    _, labels = connected_components(joined, directed=False)
    signed = np.where(graph.positive, graph.cost, -graph.cost)
    while True:
        count = labels.max() + 1
        between = sparse.coo_array((signed, (labels[graph.i], labels[graph.j])), shape=(count, count)).toarray()
        between = between + between.T
        np.fill_diagonal(between, -np.inf)
        a, b = np.unravel_index(np.argmax(between), between.shape)
        if count <= k and between[a, b] <= 0:
            return labels
        labels = np.where(labels == max(a, b), min(a, b), labels)
        labels = np.unique(labels, return_inverse=True)[1]


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Blocs renumbered by first appearance: the first (most tied) actor is in bloc 0, as the two-bloc MILP fixes."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


@dataclass(frozen=True)
class _Solved:
    labels: np.ndarray
    frustration: float
    bound: float

    @property
    def proven(self) -> bool:
        return self.bound >= self.frustration - TOLERANCE


def _exact(graph: _Graph, k: int, start: np.ndarray, cuts: _Cuts, deadline: float,
           cutoff: float | None = None) -> _Solved:
    """Least-frustration partition into at most k blocs as a MILP solved by HiGHS, warm-started from `start`.

    Actors are binaries x (k = 2: one per actor, its side; k > 2: one per actor and bloc, each actor in one
    bloc), ties are y in [0, 1] (1 = across blocs) linked to x only in the direction the objective pushes,
    so y is exact at the optimum (Aref et al. 2018's binary linear model, extended to k blocs). The cycle
    cuts of the relaxation make the LP bound strong. Actors are numbered by degree and, for two blocs, the
    most tied sits on side 0; for more blocs HiGHS's own symmetry detection (orbitopes) did better than a
    fixed order in our measurements. Stops at the deadline with the best partition and HiGHS's proven dual
    bound. With a `cutoff` it only looks for partitions with frustration at most the cutoff (much faster
    than a full proof); when it finds none, the bound returned is just above the cutoff.
    """
    n, m = graph.n, len(graph.cost)
    order = np.argsort(-np.bincount(np.concatenate([graph.i, graph.j]), minlength=n), kind="stable")
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    i, j = position[graph.i], position[graph.j]  # actors renumbered by degree, most tied first
    start_labels = _canonical(start[order])
    two = k == 2
    n_x = n if two else n * k
    model = highspy.Highs()
    _options(model, deadline - time.perf_counter())
    model.setOptionValue("mip_rel_gap", 0.0)
    model.setOptionValue("mip_abs_gap", TOLERANCE)
    if cutoff is not None:
        model.setOptionValue("objective_bound", cutoff + TOLERANCE)
    upper = np.ones(n_x)
    if two:
        upper[0] = 0  # the most tied actor sits on side 0; for k > 2 HiGHS's own orbitopes break symmetry
    model.addVars(n_x, np.zeros(n_x), upper)
    model.changeColsIntegrality(n_x, np.arange(n_x, dtype=np.int32), np.ones(n_x, dtype=np.uint8))
    model.addVars(m, np.zeros(m), np.ones(m))
    model.changeColsCost(m, np.arange(n_x, n_x + m, dtype=np.int32), np.where(graph.positive, graph.cost, -graph.cost))
    model.changeObjectiveOffset(float(graph.cost[~graph.positive].sum()))
    lower_bounds, upper_bounds, indices, values = [], [], [], []

    def link(lo: float, hi: float, entries: list[tuple[int, float]]) -> None:
        lower_bounds.append(lo)
        upper_bounds.append(hi)
        indices.append([c for c, _ in entries])
        values.append([v for _, v in entries])

    if not two:
        for p in range(n):
            link(1, 1, [(p * k + c, 1.0) for c in range(k)])
    for e in range(m):
        y, a, b = n_x + e, int(i[e]), int(j[e])
        for c in range(1 if two else k):
            xa, xb = (a, b) if two else (a * k + c, b * k + c)
            if graph.positive[e]:  # y >= |x_a - x_b|: apart when they differ
                link(0, np.inf, [(y, 1.0), (xa, -1.0), (xb, 1.0)])
                link(0, np.inf, [(y, 1.0), (xa, 1.0), (xb, -1.0)])
            elif two:  # y <= x_a + x_b and y <= 2 - x_a - x_b: together when on the same side
                link(-np.inf, 0, [(y, 1.0), (xa, -1.0), (xb, -1.0)])
                link(-np.inf, 2, [(y, 1.0), (xa, 1.0), (xb, 1.0)])
            else:  # y <= 2 - x_ac - x_bc: together when both sit in bloc c
                link(-np.inf, 2, [(y, 1.0), (xa, 1.0), (xb, 1.0)])
    starts = np.cumsum([0] + [len(r) for r in indices[:-1]]).astype(np.int32)
    flat = np.concatenate([np.asarray(r, dtype=np.int32) for r in indices])
    model.addRows(len(lower_bounds), np.array(lower_bounds, dtype=float), np.array(upper_bounds, dtype=float),
                  len(flat), starts, flat, np.concatenate([np.asarray(v, dtype=float) for v in values]))
    _add_cut_rows(model, cuts.rows, n_x)
    x = start_labels.astype(float) if two else np.eye(k)[start_labels].ravel()
    y = (start_labels[i] != start_labels[j]).astype(float)
    model.setSolution(n_x + m, np.arange(n_x + m, dtype=np.int32), np.concatenate([x, y]))
    model.run()
    best = start_labels
    solution = model.getSolution()
    if solution.value_valid:
        values_x = np.asarray(solution.col_value[:n_x])
        found = (values_x > 0.5).astype(np.int64) if two else values_x.reshape(n, k).argmax(axis=1)
        ordered = _Graph(graph.actors, i, j, graph.cost, graph.positive)
        if ordered.frustration(found) < ordered.frustration(best) - 1e-12:
            best = found
    labels = np.empty(n, dtype=np.int64)
    labels[order] = best  # back to the caller's actor order
    value = graph.frustration(labels)
    info, status = model.getInfo(), model.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal and cutoff is None:
        bound = value
    elif cutoff is not None and value > cutoff + TOLERANCE and status in (
            highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound,
            highspy.HighsModelStatus.kOptimal):
        bound = cutoff + 2 * TOLERANCE  # searched to the end: nothing at or below the cutoff
    else:
        dual = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else 0.0
        bound = max(dual, cuts.bound)  # the cut relaxation's bound holds for this k too
    return _Solved(labels, value, min(bound, value))


def _groups(actors: list[str], labels: np.ndarray) -> tuple[tuple[str, ...], ...]:
    groups: dict[int, list[str]] = {}
    for actor, label in zip(actors, labels, strict=True):
        groups.setdefault(int(label), []).append(actor)
    return tuple(tuple(g) for g in sorted(groups.values(), key=lambda g: (-len(g), g)))


def find_blocs(ties: list[Tie], actors: tuple[str, ...] | list[str] = (), k: int | None = None,
               max_blocs: int = DEFAULT_MAX_BLOCS, weighted: bool = True, exact_limit: int = EXACT_ACTOR_LIMIT,
               exact_tie_limit: int = EXACT_TIE_LIMIT, restarts: int = 20, seed: int = 0,
               time_limit: float = DEFAULT_TIME_LIMIT) -> BlocResult:
    """Partition the tied actors into at most k blocs with the least frustration; with k None, the fewest
    blocs that reach the least frustration of any k up to max_blocs (a k-bloc answer is also a (k+1)-bloc
    answer, so frustration never rises with k).

    Exact up to `exact_limit` actors and `exact_tie_limit` ties: a MILP (HiGHS) warm-started from local
    search, proven optimal or, when `time_limit` seconds (for all k together) run out, the best partition
    with a proven lower bound. Beyond the limits, local search from the one-bloc partition, the best
    (k-1)-bloc one and `restarts` random ones: never worse than any of them, but unproven.

    >>> find_blocs([Tie("a", "b", 1, ()), Tie("a", "c", -1, ()), Tie("b", "c", -1, ())]).blocs
    (('a', 'b'), ('c',))
    """
    deadline = time.perf_counter() + time_limit
    tied = sorted({t.a for t in ties if t.sign} | {t.b for t in ties if t.sign})
    unaligned = tuple(sorted(set(actors) - set(tied)))
    balance = (triangle_balance(ties), weak_triangle_balance(ties))
    if not tied:
        return BlocResult((), unaligned, 0.0, False, 0, "empty", (), *balance, k, None)  # nothing ran: no proof
    graph = _Graph.of(tied, ties, weighted)
    exact = graph.n <= exact_limit and len(graph.cost) <= exact_tie_limit
    rng = np.random.default_rng(seed)
    cuts: dict[bool, _Cuts] = {}  # key: two blocs?

    def relaxation(two: bool, enough: float = np.inf) -> _Cuts:
        if two not in cuts:
            cuts[two] = _cut_relaxation(graph, two, deadline, enough)
        return cuts[two]

    largest = k or max_blocs
    found: dict[int, np.ndarray] = {}  # local search for 1..largest blocs, each from the one before
    labels = np.zeros(graph.n, dtype=np.int64)
    for blocs in range(1, largest + 1):
        starts = [np.zeros(graph.n, dtype=np.int64), labels]  # one bloc, and the best with one bloc fewer
        if exact and blocs > 1 and (blocs == largest or (blocs == 2 and not k)):
            starts.append(_rounded(graph, relaxation(blocs == 2).y, blocs))
        labels = found[blocs] = _local_search(graph, blocs, starts, restarts if blocs > 1 else 0, rng)
    if not exact:
        chosen = k or min(b for b in found if graph.frustration(found[b]) <= graph.frustration(labels) + TOLERANCE)
        return _result(ties, tied, unaligned, found[chosen], None, False, "heuristic", balance, k, weighted)

    def solve(blocs: int, cutoff: float | None = None) -> _Solved:
        start = found[blocs]
        value = graph.frustration(start)
        if blocs == 1:
            return _Solved(start, value, value)
        if blocs == 2 and cutoff is not None and relaxation(True, cutoff).bound > cutoff + TOLERANCE:
            return _Solved(start, value, relaxation(True).bound)  # the two-bloc bound already rules it out
        any_k = relaxation(False) if blocs > 2 else None
        if any_k and value <= any_k.bound + TOLERANCE:  # no number of blocs does better: proven already
            return _Solved(start, value, value)
        return _exact_below(graph, blocs, start, relaxation(blocs == 2), deadline, cutoff)

    if k:
        best = solve(k)
        return _result(ties, tied, unaligned, best.labels, best.bound, best.proven, "exact", balance, k, weighted)
    # automatic: the least frustration of any k is that of the largest; then the fewest blocs reaching it
    least = solve(largest)
    target, undecided = least.frustration, False
    for blocs in range(1, largest):
        if graph.frustration(found[blocs]) <= target + TOLERANCE:
            return _result(ties, tied, unaligned, found[blocs], least.bound, least.proven and not undecided,
                           "exact", balance, k, weighted)
        decided = solve(blocs, cutoff=target)
        if decided.frustration <= target + TOLERANCE:
            return _result(ties, tied, unaligned, decided.labels, least.bound, least.proven and not undecided,
                           "exact", balance, k, weighted)
        undecided |= decided.bound <= target + TOLERANCE  # time ran out: fewer blocs might reach it too
    return _result(ties, tied, unaligned, least.labels, least.bound, least.proven and not undecided, "exact",
                   balance, k, weighted)


def _result(ties: list[Tie], tied: list[str], unaligned: tuple[str, ...], labels: np.ndarray, bound: float | None,
            optimal: bool, method: str, balance: tuple[float | None, float | None], requested: int | None,
            weighted: bool) -> BlocResult:
    value, frustrated = frustration(ties, dict(zip(tied, labels.tolist(), strict=True)), weighted)
    groups = _groups(tied, labels)
    lower = None if bound is None else round(float(max(0.0, min(bound, value))), 6)
    return BlocResult(groups, unaligned, value, bool(optimal), len(groups), method, tuple(frustrated), *balance,
                      requested, lower)
