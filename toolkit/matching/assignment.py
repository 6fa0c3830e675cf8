"""The proposal round's assignment: who is proposed where, as pure functions on plain data.

Nothing here knows about the case model. Candidate pairs come in as three parallel arrays
(``people[e]`` may go to ``targets[e]`` with weight ``fits[e]``), capacities as integers per
target, and the answer is one target index per person (``-1``: not placed). The caller
decides which pairs are feasible; these functions only choose among them.

Three rounds are offered:

* :func:`max_fit_assignment`: place as many people as possible and, among those
  placements, maximise the total fit (the coordinator's default round).
* :func:`budgeted_assignment`: link placed people to sponsors within their budgets,
  maximising the total value fit; leaving someone to the cooperative costs nothing.
* :func:`stable_assignment`: person-proposing deferred acceptance, the person-optimal
  stable matching, because the person's own choice comes first.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = [
    "Assignment",
    "blocking_pairs",
    "budgeted_assignment",
    "max_fit_assignment",
    "rank_lists",
    "stable_assignment",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Assignment:
    """One target per person (``-1``: unplaced) and the input edge that placed them."""

    target: IntArray
    """``target[i]`` is the target person ``i`` goes to, or ``-1``."""
    edge: IntArray
    """``edge[i]`` indexes the input edge arrays for person ``i``'s placement, or ``-1``."""

    @property
    def n_placed(self) -> int:
        """How many people were placed."""
        return int(np.count_nonzero(self.target >= 0))

    def total(self, weights: ArrayLike) -> float:
        """The sum of ``weights`` (one per input edge) over the chosen edges."""
        values = np.asarray(weights, dtype=np.float64)
        return float(values[self.edge[self.edge >= 0]].sum())


def max_fit_assignment(
    n_people: int,
    capacities: Sequence[int] | ArrayLike,
    people: ArrayLike,
    targets: ArrayLike,
    fits: ArrayLike,
) -> Assignment:
    """Place the most people possible within capacities; among those, maximise total fit.

    ``people``, ``targets`` and ``fits`` are parallel arrays of candidate edges, fits in
    [0, 1]; a (person, target) pair may occur at most once. Same input, same output; the
    order of the edges does not matter.
    """
    caps, rows, cols, weights = _validate(n_people, capacities, people, targets, fits)
    if np.any(weights > 1.0):
        raise ValueError("fits must lie in [0, 1]")
    # Real edges cost 2 - fit, in [1, 2]: strictly positive, because scipy cannot tell an
    # explicit zero from a missing edge, and one unit of fit apart at most. Compare a
    # matching A with k + 1 real edges to any matching B with k: A costs at most
    # 2(k + 1) + (n - k - 1)D and B at least k + (n - k)D, so A is cheaper whenever
    # D > k + 2. As k + 1 never exceeds the largest possible placement k_max, a dummy cost
    # of k_max + 3 makes every extra placement outweigh any loss of fit, and among equally
    # large placements the cost is a constant minus the total fit. Totals reach about
    # n * k_max (1e8 for 10,000 people), where float64 still resolves about 1e-8: finer
    # than any difference in fit worth acting on.
    edge_cost = 2.0 - weights
    k_max = _max_placeable(rows, cols, caps)
    return _slot_matching(n_people, caps, rows, cols, edge_cost, float(k_max + 3))


def budgeted_assignment(
    n_people: int,
    budgets: Sequence[int] | ArrayLike,
    people: ArrayLike,
    sponsors: ArrayLike,
    values: ArrayLike,
) -> Assignment:
    """Link people to sponsors within integer budgets, maximising total value fit.

    Each person takes at most one unit of one sponsor's budget. Staying unlinked (funded by
    the cooperative) costs nothing, so this is a maximum-weight, not maximum-size,
    b-matching. Edges with value 0 are ignored: they would gain nothing.
    """
    caps, rows, cols, weights = _validate(n_people, budgets, people, sponsors, values)
    kept = np.flatnonzero(weights > 0.0)
    weights = weights[kept]
    top = float(weights.max()) if weights.size else 0.0
    # With the dummy at top + 1 and a real edge at top + 1 - value, every person pays
    # top + 1 minus the value they get, so minimising cost maximises total value, and a
    # real edge beats the dummy only by its own value: there is no pressure to link more
    # people for its own sake. The + 1 keeps every cost strictly positive.
    result = _slot_matching(n_people, caps, rows[kept], cols[kept], top + 1.0 - weights, top + 1.0)
    edge = np.full(n_people, -1, dtype=np.int64)
    placed = result.edge >= 0
    edge[placed] = kept[result.edge[placed]]
    return _frozen(result.target, edge)


def rank_lists(
    n_owners: int, owners: ArrayLike, others: ArrayLike, scores: ArrayLike
) -> list[list[int]]:
    """Per owner, the others it has an edge to, best score first, ties by lower index.

    Turns scored edges into the preference lists :func:`stable_assignment` takes, for
    either side: ``rank_lists(n_people, people, targets, fit)`` or
    ``rank_lists(n_targets, targets, people, talent_fit)``.
    """
    own = _as_index_array(owners, "owners")
    oth = _as_index_array(others, "others")
    sc = np.asarray(scores, dtype=np.float64).reshape(-1)
    if not (own.shape == oth.shape == sc.shape):
        raise ValueError("owners, others and scores must have the same length")
    if own.size and (own.min() < 0 or own.max() >= n_owners):
        raise ValueError("owner index out of range")
    if np.any(np.isnan(sc)):
        raise ValueError("scores must not be NaN")
    order = np.lexsort((oth, -sc, own))
    lists: list[list[int]] = [[] for _ in range(n_owners)]
    for owner, other in zip(own[order].tolist(), oth[order].tolist(), strict=True):
        lists[owner].append(other)
    return lists


def stable_assignment(
    person_prefs: Sequence[Sequence[int]],
    target_prefs: Sequence[Sequence[int]],
    capacities: Sequence[int] | ArrayLike,
) -> IntArray:
    """The person-optimal stable assignment by person-proposing deferred acceptance.

    ``person_prefs[i]`` lists the targets person ``i`` accepts, best first;
    ``target_prefs[j]`` lists the people target ``j`` accepts, best first (ties already
    broken, e.g. by :func:`rank_lists`). A pair is possible only if each lists the other.
    Returns one target per person, ``-1`` if unplaced.
    """
    caps, target_rank = _stable_inputs(person_prefs, target_prefs, capacities)
    n_people = len(person_prefs)
    assigned = np.full(n_people, -1, dtype=np.int64)
    next_choice = [0] * n_people
    # Each target keeps its tentatively accepted people in a heap whose top is the one it
    # likes least, so a better proposal displaces exactly that person.
    held: list[list[tuple[int, int]]] = [[] for _ in range(len(target_prefs))]
    free = deque(range(n_people))
    while free:
        person = free.popleft()
        prefs = person_prefs[person]
        while next_choice[person] < len(prefs):
            target = prefs[next_choice[person]]
            next_choice[person] += 1
            rank = target_rank[target].get(person)
            if rank is None or caps[target] == 0:
                continue
            heap = held[target]
            if len(heap) < caps[target]:
                heapq.heappush(heap, (-rank, person))
                assigned[person] = target
                break
            worst_rank, worst = -heap[0][0], heap[0][1]
            if rank < worst_rank:
                heapq.heapreplace(heap, (-rank, person))
                assigned[person] = target
                assigned[worst] = -1
                free.append(worst)
                break
    return assigned


def blocking_pairs(
    assignment: ArrayLike,
    person_prefs: Sequence[Sequence[int]],
    target_prefs: Sequence[Sequence[int]],
    capacities: Sequence[int] | ArrayLike,
) -> list[tuple[int, int]]:
    """The (person, target) pairs that would both rather be together than as assigned.

    A pair blocks when both list each other, the person prefers the target to their own
    (or has none) and the target has a free slot or prefers the person to someone it
    holds. Sorted by person, then the person's preference. Raises ``ValueError`` if the
    assignment itself is infeasible (a pair not listed by both, or over capacity).
    """
    caps, target_rank = _stable_inputs(person_prefs, target_prefs, capacities)
    assigned = _as_index_array(assignment, "assignment")
    if assigned.shape != (len(person_prefs),):
        raise ValueError("assignment must hold one entry per person")
    load = np.zeros(len(target_prefs), dtype=np.int64)
    worst_rank = np.full(len(target_prefs), -1, dtype=np.int64)
    for person, target in enumerate(assigned.tolist()):
        if target == -1:
            continue
        if not 0 <= target < len(target_prefs):
            raise ValueError(f"person {person} is assigned to unknown target {target}")
        rank = target_rank[target].get(person)
        if rank is None or target not in person_prefs[person]:
            raise ValueError(f"person {person} and target {target} do not accept each other")
        load[target] += 1
        worst_rank[target] = max(worst_rank[target], rank)
    if np.any(load > caps):
        raise ValueError("the assignment exceeds a capacity")

    pairs: list[tuple[int, int]] = []
    for person, prefs in enumerate(person_prefs):
        current = int(assigned[person])
        for target in prefs:
            if target == current:
                break
            rank = target_rank[target].get(person)
            if rank is None or caps[target] == 0:
                continue
            if load[target] < caps[target] or rank < worst_rank[target]:
                pairs.append((person, int(target)))
    return pairs


# --- shared machinery ----------------------------------------------------------------


def _slot_matching(
    n_people: int,
    caps: IntArray,
    rows: IntArray,
    cols: IntArray,
    edge_cost: FloatArray,
    dummy_cost: float,
) -> Assignment:
    """Solve a b-matching as a full assignment over slot columns plus private dummies.

    Target ``j`` becomes ``caps[j]`` identical slot columns; every person who has an edge
    also gets a dummy column of their own at ``dummy_cost``, so a full matching of the
    rows always exists and "not placed" is simply the dummy. Costs must be > 0.
    """
    target = np.full(n_people, -1, dtype=np.int64)
    edge = np.full(n_people, -1, dtype=np.int64)
    if rows.size == 0:
        return _frozen(target, edge)

    # Canonical edge order (person, then target) makes the result independent of the
    # order the caller listed the edges in; the solver itself is deterministic.
    order = np.lexsort((cols, rows))
    rows, cols, edge_cost = rows[order], cols[order], edge_cost[order]

    # A target never needs more slots than it has candidates: this caps the expansion
    # at degree**2 per target, whatever the stated capacity.
    degree = np.bincount(cols, minlength=caps.size)
    slots = np.minimum(caps, degree)
    usable = slots[cols] > 0
    if not np.any(usable):
        return _frozen(target, edge)
    order, rows, cols, edge_cost = order[usable], rows[usable], cols[usable], edge_cost[usable]

    active, local_row = np.unique(rows, return_inverse=True)
    n_rows = active.size
    slot_start = np.concatenate(([0], np.cumsum(slots)))
    n_slots = int(slot_start[-1])

    # Row r's entries: one per slot of each of its targets, then its own dummy column
    # (n_slots + r), already in ascending column order as CSR likes it.
    per_edge = slots[cols]
    entry_edge = np.repeat(np.arange(rows.size), per_edge)
    first_of_edge = np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    slot_offset = np.arange(entry_edge.size) - first_of_edge
    entry_cols = slot_start[cols[entry_edge]] + slot_offset
    row_lengths = np.bincount(local_row[entry_edge], minlength=n_rows) + 1

    indptr = np.concatenate(([0], np.cumsum(row_lengths)))
    indices = np.empty(indptr[-1], dtype=np.int64)
    data = np.empty(indptr[-1], dtype=np.float64)
    dummy_at = indptr[1:] - 1
    real_at = np.delete(np.arange(indptr[-1]), dummy_at)
    indices[real_at] = entry_cols
    data[real_at] = edge_cost[entry_edge]
    indices[dummy_at] = n_slots + np.arange(n_rows)
    data[dummy_at] = dummy_cost

    graph = csr_matrix((data, indices, indptr), shape=(n_rows, n_slots + n_rows))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)

    placed = matched_cols < n_slots
    slot_target = np.repeat(np.arange(caps.size), slots)
    chosen_rows = np.asarray(matched_rows[placed], dtype=np.int64)
    chosen_targets = slot_target[matched_cols[placed]]
    # Edges are sorted by (row, target) and unique, so a binary search on the combined key
    # recovers which input edge each placement used.
    key = local_row.astype(np.int64) * caps.size + cols
    at = np.searchsorted(key, chosen_rows * caps.size + chosen_targets)
    people = active[chosen_rows]
    target[people] = chosen_targets
    edge[people] = order[at]
    return _frozen(target, edge)


def _max_placeable(rows: IntArray, cols: IntArray, caps: IntArray) -> int:
    """An upper bound on how many people can be placed at once."""
    if rows.size == 0:
        return 0
    reachable = np.unique(cols)
    return int(min(np.unique(rows).size, caps[reachable].sum()))


def _validate(
    n_people: int,
    capacities: Sequence[int] | ArrayLike,
    people: ArrayLike,
    targets: ArrayLike,
    weights: ArrayLike,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    if n_people < 0:
        raise ValueError("n_people must be >= 0")
    caps = _as_index_array(capacities, "capacities")
    if np.any(caps < 0):
        raise ValueError("capacities must be >= 0")
    rows = _as_index_array(people, "people")
    cols = _as_index_array(targets, "targets")
    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if not (rows.shape == cols.shape == w.shape):
        raise ValueError("people, targets and weights must have the same length")
    if rows.size:
        if rows.min() < 0 or rows.max() >= n_people:
            raise ValueError("person index out of range")
        if cols.min() < 0 or cols.max() >= caps.size:
            raise ValueError("target index out of range")
    if not np.all(np.isfinite(w)) or np.any(w < 0.0):
        raise ValueError("weights must be finite and >= 0")
    key = rows * max(caps.size, 1) + cols
    if np.unique(key).size != key.size:
        # A sparse matrix would silently add duplicate entries up.
        raise ValueError("a (person, target) pair occurs more than once")
    return caps, rows, cols, w


def _as_index_array(values: Sequence[int] | ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers")
    return array.astype(np.int64, copy=False)


def _stable_inputs(
    person_prefs: Sequence[Sequence[int]],
    target_prefs: Sequence[Sequence[int]],
    capacities: Sequence[int] | ArrayLike,
) -> tuple[IntArray, list[dict[int, int]]]:
    caps = _as_index_array(capacities, "capacities")
    if caps.size != len(target_prefs):
        raise ValueError("one capacity per target is needed")
    if np.any(caps < 0):
        raise ValueError("capacities must be >= 0")
    for person, prefs in enumerate(person_prefs):
        if len(set(prefs)) != len(prefs):
            raise ValueError(f"person {person} lists a target twice")
        if any(not 0 <= t < len(target_prefs) for t in prefs):
            raise ValueError(f"person {person} lists an unknown target")
    target_rank: list[dict[int, int]] = []
    for target, prefs in enumerate(target_prefs):
        ranks = {int(p): r for r, p in enumerate(prefs)}
        if len(ranks) != len(prefs):
            raise ValueError(f"target {target} lists a person twice")
        if any(not 0 <= p < len(person_prefs) for p in ranks):
            raise ValueError(f"target {target} lists an unknown person")
        target_rank.append(ranks)
    return caps, target_rank


def _frozen(target: IntArray, edge: IntArray) -> Assignment:
    target.flags.writeable = False
    edge.flags.writeable = False
    return Assignment(target=target, edge=edge)
