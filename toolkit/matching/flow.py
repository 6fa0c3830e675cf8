"""Exact b-matching by min-cost flow: solved on a few edges, proven optimal on all of them.

A round at country scale has tens of millions of feasible (person, place) edges, but an
optimal choice uses one per person, and almost always one of each person's best few or of
its place's best few candidates (when places are scarce, the people left out of their own
best few are mostly among the best of the place they get). So the solver (OR-tools'
min-cost flow) gets a small subset: each person's best edges and each target's. Then a
*certificate* is checked on every edge, in integers: the linear-programming dual of the
subset's optimum (a price ``z`` per target, a surplus ``y`` per person). If no edge of the
full set has ``y[person] + z[target] < weight``, the dual is feasible for the whole problem
and equals the subset's optimum, so by weak duality nothing on the full set is better: the
subset's answer is an optimum of the full problem, proven, not assumed. Edges that break the
certificate are added and the subset is solved again, until none does. Nothing is pruned
that could change the answer.

A later solve is often a *repair*: when few edges were added, only the region they can
change is solved again (:func:`_repair`), and everyone else keeps their place. That answer
is not trusted either: it must have a dual on the whole subset (:func:`_dual`), or the
subset is solved whole. Between solves only the edges whose person's surplus or target's
price went down (or that broke the certificate before) are checked for breaking it; the
final proof checks every edge.

The problem, as a linear programme (totally unimodular, so its optimum is integral)::

    maximise  Σ w[e] x[e]   over  Σ_{e at person p} x[e] <= 1,  Σ_{e at target j} x[e] <= cap[j]

with ``w = bonus + units``. The place stage uses ``bonus`` larger than any total of units
(``GRID × people + 1``), which makes "the most people placed, then the highest total fit" a
single weighted optimum; the sponsor stage uses ``bonus = 0`` (linking no one costs
nothing). Weights, prices and slacks are exact int64; nothing is rounded.

The dual is the least price vector that satisfies complementary slackness with the subset's
optimum: ``z[j] = 0`` at a target with room left, ``y[p] = 0`` for someone not chosen,
``y[p] + z[j] = w`` on a chosen edge. It is found as a longest-path fixed point over the
subset's edges (a difference-constraint system); it exists because the subset's answer is
optimal, and the code checks every condition instead of trusting that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Proof", "proven_matching", "solve_flow", "solve_groups"]

IntArray = NDArray[np.int64]

#: Up to this many edges the solver simply gets all of them: there, one solve of everything
#: is faster than solving subsets and checking the certificate. Measured on the synthetic
#: rounds' edges (CPU seconds of the place stage at load about 3, one solve of all edges
#: against subsets): 0.23 M edges (5k people) 0.27 against 0.36; 0.93 M (10k) 0.53 against
#: 0.38; 2.4 M (3,000 people, every pair) 1.66 against 0.57; 2.5 M (20k) 2.17 against 1.29.
#: Above it the solver's own memory (about 80 bytes an edge) also stays small.
DIRECT_EDGES = 500_000
#: The first subset: each person's best this many edges (more when they tie) ...
FIRST_PER_PERSON = 4
#: ... and each target's best about this many (estimated, see :func:`_first_subset`).
#: Measured (CPU seconds of the place stage at load about 3, same edges): at 50k, each
#: person's 8 best alone 9.1 s in 6 solves; 4 and 16 per target 4.6-5.9 s; 4 and 24 per
#: target 5.3-6.3 s in 2 solves; at 100k, 8 alone 26.7 s in 6 solves, 4 and 16 per target
#: 21.1 s in 3, 4 and 24 per target 16.0 s in 2 and a small repair.
FIRST_PER_TARGET = 24
#: After the first solve, edges within this many hundredths of the grid of breaking the
#: certificate join the subset too.
MARGIN = 2
#: Later subsets grow by at most this many edges per person per solve.
ADD_PER_PERSON = 4
#: A repair re-solves a region only when it holds at most this share of the subset's edges;
#: a larger one costs about as much as solving them all.
REPAIR_SHARE = 0.5
#: The target's estimate of its best edges samples about this many edges in all.
_SAMPLE = 4_000_000
#: Edges are checked against the certificate this many at a time (bounded working memory).
_CHUNK = 4_000_000


@dataclass(frozen=True)
class Proof:
    """An optimal choice of edges and what proves it."""

    chosen: IntArray
    """Indices of the chosen edges (into the input arrays), sorted."""
    tight: IntArray
    """Indices of every edge on which the dual has no slack, sorted: every edge that some
    optimal choice can use (complementary slackness), so ties can be decided among these."""
    rounds: int
    """How many times the solver ran (1: the first subset was already optimal), whole or on
    the region a repair needed."""
    solved_edges: int
    """How many edges the last solve was given (of all the input edges)."""


def solve_flow(
    n_people: int,
    caps: IntArray,
    rows: IntArray,
    cols: IntArray,
    cost: IntArray,
    coop_cost: int | None,
) -> IntArray:
    """The edges an optimal flow uses (sorted): at most one per person, ``caps[j]`` per target.

    Without ``coop_cost``: a maximum flow of minimum cost. With it, every person with an
    edge sends their unit, over an edge or straight to the sink at ``coop_cost``, at minimum
    cost. Edges go to the solver in a canonical order (person, then target), so the result
    does not depend on the order the caller listed them in.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    # Imported here: OR-tools takes a third of a second to load, and only the round needs it.
    from ortools.graph.python import min_cost_flow

    key = rows.astype(np.int64) * caps.size + cols
    # Edges usually arrive sorted (person, then target); sorting millions again is seconds.
    order = np.arange(rows.size) if np.all(key[1:] > key[:-1]) else np.argsort(key, kind="stable")
    del key
    source, sink = n_people + caps.size, n_people + caps.size + 1
    # Sorted distinct indices; bincount is much faster than np.unique on millions of edges.
    persons = np.flatnonzero(np.bincount(rows, minlength=n_people))
    used = np.flatnonzero(np.bincount(cols, minlength=caps.size))
    tails = [np.full(persons.size, source), rows[order], used + n_people]
    heads = [persons, cols[order] + n_people, np.full(used.size, sink)]
    capacity = [np.ones(persons.size), np.ones(order.size), caps[used]]
    costs = [np.zeros(persons.size), cost[order], np.zeros(used.size)]
    if coop_cost is not None:
        tails.append(persons)
        heads.append(np.full(persons.size, sink))
        capacity.append(np.ones(persons.size))
        costs.append(np.full(persons.size, coop_cost))
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(capacity).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    solver.set_node_supply(source, int(persons.size))
    solver.set_node_supply(sink, -int(persons.size))
    # Without the cooperative not everyone can always be placed: then the solver sends the
    # most it can (a maximum flow) at the least cost.
    status = solver.solve() if coop_cost is not None else solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:  # pragma: no cover - these graphs always have an optimum
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = persons.size
    flows = np.asarray(solver.flows(np.arange(first, first + order.size, dtype=np.int32)))
    return np.sort(order[flows > 0]).astype(np.int64)


def solve_groups(
    supply: IntArray, caps: IntArray, rows: IntArray, cols: IntArray, cost: IntArray
) -> IntArray:
    """Units sent over each edge by a min-cost flow in which group ``i`` sends up to
    ``supply[i]`` units, over its edges (``rows == i``) or straight to the sink at cost 0,
    and target ``j`` takes at most ``caps[j]``.

    Interchangeable people as one group: a unit per person, as in :func:`solve_flow` with
    ``coop_cost=0``, but with one node per group instead of one per person.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    from ortools.graph.python import min_cost_flow

    n, m = supply.size, caps.size
    source, sink = n + m, n + m + 1
    groups = np.arange(n)
    tails = [np.full(n, source), rows, n + np.arange(m), groups]
    heads = [groups, n + cols, np.full(m, sink), np.full(n, sink)]
    capacity = [supply, supply[rows], caps, supply]
    costs = [np.zeros(n), cost, np.zeros(m), np.zeros(n)]
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(capacity).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    total = int(supply.sum())
    solver.set_node_supply(source, total)
    solver.set_node_supply(sink, -total)
    status = solver.solve()
    if status != solver.OPTIMAL:  # pragma: no cover - these graphs always have an optimum
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return np.asarray(solver.flows(np.arange(n, n + rows.size, dtype=np.int32)), dtype=np.int64)


def proven_matching(
    n_people: int,
    caps: IntArray,
    rows: IntArray,
    cols: IntArray,
    units: IntArray,
    *,
    bonus: int,
    grid: int,
) -> Proof:
    """The optimal b-matching of the edges ``(rows, cols)`` with weights ``bonus + units``.

    ``bonus > 0`` (larger than any total of ``units``): the most people placed, then the
    highest total, as a maximum flow of minimum cost (cost ``grid - units`` per edge).
    ``bonus == 0``: the highest total, anyone may stay unmatched (the sponsor stage; units
    must be positive). Rows need not be sorted.
    """
    n_edges = rows.size
    if n_edges == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Proof(empty, empty, 0, 0)
    weight_of_units = units.astype(np.int64, copy=False)
    if n_edges <= DIRECT_EDGES:
        # The solver's optimum over every edge needs no certificate; ties are then decided
        # among all the edges.
        if bonus:
            chosen = solve_flow(n_people, caps, rows, cols, grid - weight_of_units, None)
        else:
            chosen = solve_flow(n_people, caps, rows, cols, -weight_of_units, coop_cost=0)
        return Proof(chosen, np.arange(n_edges, dtype=np.int64), 1, n_edges)
    subset = _first_subset(n_people, caps, rows, cols, weight_of_units)
    rounds = solves = 0
    # After the first solve: the last proven choice and its dual, to repair locally.
    previous: tuple[IntArray, IntArray, IntArray] | None = None
    # Edges found breaking a dual but not yet added: checked again after every solve.
    pending = np.zeros(n_edges, dtype=bool)
    while True:
        rounds += 1
        r, c, u = rows[subset], cols[subset], weight_of_units[subset]
        picked = dual = None
        if previous is not None:
            picked = _repair(n_people, caps, subset, r, c, u, bonus, grid, *previous)
            if picked is not None:
                solves += 1
                # Proven here as after a whole solve: no dual, no trust.
                dual = _dual(n_people, caps, r, c, u + bonus, picked)
        if dual is None:
            solves += 1
            picked = _solve(n_people, caps, r, c, u, bonus, grid)
            dual = _dual(n_people, caps, r, c, u + bonus, picked)
        if dual is None or picked is None:  # pragma: no cover - an optimum always has a dual
            # Never claim what is not proven: solve everything at once instead.
            subset = np.arange(n_edges, dtype=np.int64)
            previous = None
            continue
        chosen = subset[picked]
        y, z = dual
        if previous is None:
            # After the first solve every edge is checked, and the edges within a margin of
            # breaking the certificate join too (those a better answer is likely to use).
            # At least the edges without slack: if this check is the proof, they are where
            # ties are decided.
            margin = max(MARGIN * grid // 100, 1)
            broken, slack = _broken(rows, cols, weight_of_units, bonus, y, z, margin)
        else:
            # Later only where it can have changed: an edge that held before still holds
            # unless the surplus of its person or the price of its target went down.
            _, y_before, z_before = previous
            broken, slack = _broken(
                rows, cols, weight_of_units, bonus, y, z, 0, (y < y_before, z < z_before, pending)
            )
        if not np.any(slack < 0):
            # The proof itself is a check of every edge, whatever the rounds before found;
            # the edges without slack are where ties are decided.
            if previous is not None:
                broken, slack = _broken(rows, cols, weight_of_units, bonus, y, z, 1)
            if not np.any(slack < 0):
                return Proof(np.sort(chosen), broken[slack == 0], solves, int(subset.size))
        # Per person only the few edges closest to breaking it (the most broken first), so
        # the subset stays small; the rest are checked again after the next solve. The
        # most broken edge of everyone is always added, so this ends.
        keep = _best_per_person(n_people, rows[broken], -slack, ADD_PER_PERSON)
        pending[:] = False
        pending[broken[slack < 0]] = True
        member = np.zeros(n_edges, dtype=bool)
        member[subset] = True
        member[broken[keep]] = True
        pending[member] = False
        grown = np.flatnonzero(member)
        del member, broken, slack, keep
        if grown.size == subset.size:  # pragma: no cover - a broken edge is always new
            # An edge of the subset itself breaks its own dual: a bug, never a silent loop.
            raise RuntimeError("the optimality certificate does not hold on its own edges")
        subset = grown
        previous = (chosen, y, z)


def _first_subset(
    n_people: int, caps: IntArray, rows: IntArray, cols: IntArray, units: IntArray
) -> IntArray:
    """The first edges to solve: each person's best few, and each target's best few.

    When places are scarce, a place's best candidates matter as much as a person's best
    places: the people an optimum leaves out of their own best few are mostly among the
    best of the place they get. A target's best are taken above an estimated quantile of
    its edges' units (mean and spread; exact top-k of millions of edges per target would
    cost more than it saves). Any subset is correct: the certificate decides.
    """
    from scipy.special import ndtri

    member = np.zeros(rows.size, dtype=bool)
    member[_best_per_person(n_people, rows, units, FIRST_PER_PERSON)] = True
    if FIRST_PER_TARGET:
        m = caps.size
        count = np.bincount(cols, minlength=m).astype(np.float64)
        # Mean and spread from every k-th edge: an estimate is all a threshold needs, and
        # at country scale the full sums would cost as much as a solve.
        step = max(1, rows.size // _SAMPLE)
        at, values = cols[::step], units[::step].astype(np.float64)
        seen = np.maximum(np.bincount(at, minlength=m), 1.0)
        mean = np.bincount(at, weights=values, minlength=m) / seen
        square = np.bincount(at, weights=values * values, minlength=m) / seen
        del at, values
        spread = np.sqrt(np.maximum(square - mean * mean, 0.0))
        share = np.clip(FIRST_PER_TARGET / np.maximum(count, 1.0), 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.where(share >= 1.0, -np.inf, mean + ndtri(1.0 - share) * spread)
        # Never above the target's best edge: a short-tailed spread of fits would otherwise
        # put the estimate beyond it and leave the target out.
        best = np.full(m, np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(best, cols, units)
        above = np.minimum(np.ceil(np.clip(estimate, -1.0, float(best.max()) + 1.0)), best)
        above = above.astype(np.int64)
        member |= units >= above[cols]
    return np.flatnonzero(member)


def _solve(
    n_people: int, caps: IntArray, r: IntArray, c: IntArray, u: IntArray, bonus: int, grid: int
) -> IntArray:
    """The optimum of these edges (indices into them, sorted), by one solve of them all."""
    if bonus:
        return solve_flow(n_people, caps, r, c, grid - u, coop_cost=None)
    return solve_flow(n_people, caps, r, c, -u, coop_cost=0)


def _repair(
    n_people: int,
    caps: IntArray,
    subset: IntArray,
    r: IntArray,
    c: IntArray,
    u: IntArray,
    bonus: int,
    grid: int,
    chosen: IntArray,
    y: IntArray,
    z: IntArray,
) -> IntArray | None:
    """The previous optimum, re-solved only where the added edges can change it; or
    ``None`` when that region is most of the problem (a whole solve is then as fast).

    ``chosen`` (indices into all edges) was optimal on the edges of the previous subset
    with the dual ``(y, z)``; ``subset`` is that subset plus the edges that broke the dual.
    A better choice differs from the old one along alternating paths and cycles: someone
    takes a place over a new edge, which pushes out someone chosen there, who moves over
    another edge, and so on; or frees their old place for someone else. By the old dual
    such an exchange gains at most the total violation of the new edges it uses, minus the
    slack of the other edges it uses, so it only reaches as far as that slack allows: the
    region is what a shortest-path search reaches from the new edges within a budget,
    forward (over unchosen edges to a place, from a place to whoever holds it) and
    backward. The budget is the total violation, but at most twice the largest single one:
    an exchange through several new edges may then be cut off. Everyone outside keeps
    their place. So the answer is not trusted: the caller proves it with a dual, and
    solves everything when that fails.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    slack = y[r] + z[c] - u - bonus
    violated = np.flatnonzero(slack < 0)
    # In floating point: a sum of violations of bonus size would overflow int64; then the
    # region is everything anyway.
    total = -float(slack[violated].sum(dtype=np.float64))
    if total >= 2.0**52:
        return None
    m = caps.size
    kept = np.searchsorted(subset, chosen)
    held = np.zeros(r.size, dtype=bool)
    held[kept] = True
    # Person -> place over an unchosen edge (its slack), place -> person over a chosen one;
    # every arc costs one more, so that no weight is an explicit zero.
    free = ~held
    tails = np.concatenate([r[free], n_people + c[held]])
    heads = np.concatenate([n_people + c[free], r[held]])
    weights = np.concatenate([np.maximum(slack[free], 0) + 1, np.ones(int(held.sum()))])
    size = n_people + m
    graph = csr_matrix((weights.astype(np.float64), (tails, heads)), shape=(size, size))
    limit = min(total, 2.0 * float(-slack[violated].min())) + size
    target = np.full(n_people, -1, dtype=np.int64)
    target[r[kept]] = c[kept]
    movers = r[violated]
    forward = np.unique(n_people + c[violated])
    backward = np.unique(np.r_[movers, n_people + target[movers][target[movers] >= 0]])
    reach = np.isfinite(
        dijkstra(graph, directed=True, indices=forward, limit=limit, min_only=True)
    ) | np.isfinite(
        dijkstra(graph.T.tocsr(), directed=True, indices=backward, limit=limit, min_only=True)
    )
    inside = reach[r] & reach[n_people + c]
    if inside.sum() > REPAIR_SHARE * r.size:
        return None
    outside = kept[~reach[r[kept]]]
    room = caps - np.bincount(c[outside], minlength=m)
    local = np.flatnonzero(inside)
    found = local[_solve(n_people, room, r[local], c[local], u[local], bonus, grid)]
    return np.sort(np.concatenate([outside, found]))


def _best_per_person(n_people: int, rows: IntArray, scores: IntArray, k: int) -> IntArray:
    """Indices of each person's ``k`` highest ``scores`` (and any that tie with the k-th),
    sorted."""
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    presorted = bool(np.all(rows[1:] >= rows[:-1]))
    order = None if presorted else np.argsort(rows, kind="stable")
    r = rows if order is None else rows[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    counts = np.diff(np.r_[starts, r.size])
    del r
    values = scores if order is None else scores[order]
    low, high = int(values.min()), int(values.max())
    # A working copy in 32 bits when the scores fit (fits do: at most the grid, 10**9),
    # with one value below them all marking what is taken.
    small = low > -(2**31) and high < 2**31 - 1
    gone = -(2**31) if small else np.iinfo(np.int64).min
    work = values.astype(np.int32 if small else np.int64)
    take = np.zeros(work.size, dtype=bool)
    for _ in range(k):
        best = np.maximum.reduceat(work, starts)
        # A person with fewer than k edges finds ``gone`` again: those are taken already.
        hit = work == np.repeat(best, counts)
        take |= hit
        work[hit] = gone
        del hit
    del work
    found = np.flatnonzero(take)
    return found if order is None else np.sort(order[found])


def _dual(
    n_people: int,
    caps: IntArray,
    rows: IntArray,
    cols: IntArray,
    weights: IntArray,
    picked: IntArray,
) -> tuple[IntArray, IntArray] | None:
    """The least dual (y per person, z per target) of the optimum ``picked`` on these edges.

    ``None`` when no dual satisfies complementary slackness with it, which would mean the
    choice is not optimal.
    """
    target = np.full(n_people, -1, dtype=np.int64)
    own = np.zeros(n_people, dtype=np.int64)
    target[rows[picked]] = cols[picked]
    own[rows[picked]] = weights[picked]
    load = np.bincount(cols[picked], minlength=caps.size)
    m = caps.size
    # Someone not chosen has y = 0, so every target they could go to costs at least w.
    waiting = target[rows] < 0
    floor = np.zeros(m, dtype=np.int64)
    np.maximum.at(floor, cols[waiting], weights[waiting])
    # A chosen person p at j0 has y = w(p, j0) - z[j0], and y + z[j] >= w(p, j) gives
    # z[j] >= z[j0] + w(p, j) - w(p, j0): the least z are the longest paths over these arcs
    # from the floors (there is no positive cycle when the choice is optimal).
    arcs = ~waiting & (cols != target[rows])
    src = target[rows[arcs]]
    dst = cols[arcs].astype(np.int64)
    gain = weights[arcs] - own[rows[arcs]]
    # Arcs by tail, so that each pass relaxes only the arcs out of the targets whose price
    # rose in the pass before (a vectorised label-correcting search).
    order = np.argsort(src, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    indptr = np.r_[0, np.cumsum(np.bincount(src, minlength=m))]
    z = floor
    active = np.arange(m)
    for _ in range(m + 2):
        starts, lengths = indptr[active], indptr[active + 1] - indptr[active]
        total = int(lengths.sum())
        if total == 0:
            break
        at = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        candidate = z[src[at]] + gain[at]
        heads = dst[at]
        rises = candidate > z[heads]
        if not rises.any():
            break
        np.maximum.at(z, heads[rises], candidate[rises])
        rose = np.zeros(m, dtype=bool)
        rose[heads[rises]] = True
        active = np.flatnonzero(rose)
    else:  # pragma: no cover - a positive cycle: the choice was not optimal
        return None
    full = load >= caps
    y = np.where(target >= 0, own - z[np.maximum(target, 0)], 0)
    if np.any(z[~full] != 0) or np.any(y < 0):  # pragma: no cover - not optimal
        return None
    return y, z


def _broken(
    rows: IntArray,
    cols: IntArray,
    units: IntArray,
    bonus: int,
    y: IntArray,
    z: IntArray,
    margin: int = 0,
    only: tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> tuple[IntArray, IntArray]:
    """Edges where the dual is not feasible, ``y + z < w``, or within ``margin`` of it; and
    their slacks ``y + z - w``. With ``only`` (per person, per target, per edge) just the
    edges of a marked person or target, or marked themselves."""
    found: list[IntArray] = []
    slacks: list[IntArray] = []
    # y - w per person and target price, in place: every pass is tens of millions of edges.
    surplus = y - bonus
    for start in range(0, rows.size, _CHUNK):
        stop = min(start + _CHUNK, rows.size)
        r, c, w = rows[start:stop], cols[start:stop], units[start:stop]
        at: IntArray | None = None
        if only is not None:
            people, targets, edges = only
            at = np.flatnonzero(people[r] | targets[c] | edges[start:stop])
            r, c, w = r[at], c[at], w[at]
        slack = surplus[r]
        slack += z[c]
        slack -= w
        hit = np.flatnonzero(slack < margin)
        found.append(start + (hit if at is None else at[hit]))
        slacks.append(slack[hit])
    return np.concatenate(found).astype(np.int64), np.concatenate(slacks)
