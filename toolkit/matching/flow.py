"""Exact b-matching by min-cost flow: solved on a few edges, proven optimal on all of them.

A round at country scale has tens of millions of feasible (person, place) edges, but an
optimal choice uses one per person, and almost always one of each person's best few. So the
solver (OR-tools' min-cost flow) gets a small subset: each person's best edges. Then a
*certificate* is checked on every edge, in integers: the linear-programming dual of the
subset's optimum (a price ``z`` per target, a surplus ``y`` per person). If no edge of the
full set has ``y[person] + z[target] < weight``, the dual is feasible for the whole problem
and equals the subset's optimum, so by weak duality nothing on the full set is better: the
subset's answer is an optimum of the full problem, proven, not assumed. Edges that break the
certificate are added and the subset is solved again, until none does. Nothing is pruned
that could change the answer.

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

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Proof", "proven_matching", "solve_flow", "solve_groups"]

IntArray = NDArray[np.int64]

#: Up to this many edges the solver simply gets all of them: there, one solve of everything
#: is faster than solving subsets and checking the certificate. Measured on the synthetic
#: rounds (benchmarks/bench_round.py, CPU seconds of the place stage, one solve of all edges
#: against subsets): 0.9 M edges (10k people) 0.60 against 0.75; 2.5 M (20k) 2.16 against
#: 2.09; 12 M (50k) 10.7 against 7.6. Above it the solver's own memory (about 80 bytes an
#: edge) also stays small.
DIRECT_EDGES = 2_000_000
#: The first subset: each person's best this many edges (more when they tie). Measured (CPU
#: seconds of the place stage): at 50k, 4 edges 7.3 s and 8 edges 7.6 s; at 100k, 4 edges
#: 28.5 s and 3.5 GB peak (more solves), 8 edges 24.4 s and 3.1 GB.
FIRST_PER_PERSON = 8
#: After the first solve, edges within this many hundredths of the grid of breaking the
#: certificate join the subset too.
MARGIN = 2
#: Later subsets grow by at most this many edges per person per solve.
ADD_PER_PERSON = 4
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
    """How many times the solver ran (1: the first subset was already optimal)."""
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
    subset = _best_per_person(n_people, rows, weight_of_units, FIRST_PER_PERSON)
    rounds = 0
    while True:
        rounds += 1
        r, c, u = rows[subset], cols[subset], weight_of_units[subset]
        if bonus:
            picked = solve_flow(n_people, caps, r, c, grid - u, coop_cost=None)
        else:
            picked = solve_flow(n_people, caps, r, c, -u, coop_cost=0)
        chosen = subset[picked]
        dual = _dual(n_people, caps, r, c, u + bonus, picked)
        if dual is None:  # pragma: no cover - the solver's optimum always has a dual
            # Never claim what is not proven: solve everything at once instead.
            subset = np.arange(n_edges, dtype=np.int64)
            continue
        y, z = dual
        # Round 1: also the edges within a margin of breaking the certificate (those a
        # better answer is likely to use), so that fewer solves follow.
        margin = MARGIN * grid // 100 if rounds == 1 else 0
        broken, slack = _broken(rows, cols, weight_of_units, bonus, y, z, margin)
        if not np.any(slack < 0):
            tight = _tight(rows, cols, weight_of_units, bonus, y, z)
            return Proof(np.sort(chosen), tight, rounds, int(subset.size))
        # Per person only the few edges closest to breaking it (the most broken first), so
        # the subset stays small; the rest are checked again after the next solve. The
        # most broken edge of everyone is always added, so this ends.
        keep = _best_per_person(n_people, rows[broken], -slack, ADD_PER_PERSON)
        member = np.zeros(n_edges, dtype=bool)
        member[subset] = True
        member[broken[keep]] = True
        grown = np.flatnonzero(member)
        del member, broken, slack, keep
        if grown.size == subset.size:  # pragma: no cover - a broken edge is always new
            # An edge of the subset itself breaks its own dual: a bug, never a silent loop.
            raise RuntimeError("the optimality certificate does not hold on its own edges")
        subset = grown


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
        active = np.unique(heads[rises])
    else:  # pragma: no cover - a positive cycle: the choice was not optimal
        return None
    full = load >= caps
    y = np.where(target >= 0, own - z[np.maximum(target, 0)], 0)
    if np.any(z[~full] != 0) or np.any(y < 0):  # pragma: no cover - not optimal
        return None
    return y, z


def _slack_chunks(
    rows: IntArray, cols: IntArray, units: IntArray, bonus: int, y: IntArray, z: IntArray
) -> Iterator[tuple[int, IntArray]]:
    """``y + z - w`` of every edge, a chunk at a time: (offset, slacks)."""
    for start in range(0, rows.size, _CHUNK):
        stop = min(start + _CHUNK, rows.size)
        yield start, y[rows[start:stop]] + z[cols[start:stop]] - units[start:stop] - bonus


def _broken(
    rows: IntArray,
    cols: IntArray,
    units: IntArray,
    bonus: int,
    y: IntArray,
    z: IntArray,
    margin: int = 0,
) -> tuple[IntArray, IntArray]:
    """Edges where the dual is not feasible, ``y + z < w``, or within ``margin`` of it; and
    their slacks ``y + z - w``."""
    found: list[IntArray] = []
    slacks: list[IntArray] = []
    for start, slack in _slack_chunks(rows, cols, units, bonus, y, z):
        at = np.flatnonzero(slack < margin)
        found.append(start + at)
        slacks.append(slack[at])
    return np.concatenate(found).astype(np.int64), np.concatenate(slacks)


def _tight(
    rows: IntArray, cols: IntArray, units: IntArray, bonus: int, y: IntArray, z: IntArray
) -> IntArray:
    """Edges where the dual has no slack: ``y + z == w``."""
    found = [
        start + np.flatnonzero(slack == 0)
        for start, slack in _slack_chunks(rows, cols, units, bonus, y, z)
    ]
    return np.concatenate(found).astype(np.int64)
