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

from toolkit.matching.flow import DIRECT_EDGES, proven_matching, solve_groups

__all__ = [
    "GRID",
    "Assignment",
    "blocking_pairs",
    "budgeted_assignment",
    "max_fit_assignment",
    "rank_lists",
    "stable_assignment",
    "to_grid",
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


#: Weights are compared on a grid of this many units per 1.0 (nine decimals, the grid the
#: scores are rounded to before ranking): the solver works in exact integers, so weights
#: that are equal on the grid tie exactly and a total never depends on the order of a sum.
GRID = 10**9


def to_grid(weights: ArrayLike) -> IntArray:
    """Weights in [0, 1] as integer grid units (the nearest; ``GRID`` is 1.0)."""
    scaled = np.asarray(weights, dtype=np.float64) * GRID
    # In place: at country scale these are tens of millions of weights.
    return np.rint(scaled, out=scaled).astype(np.int64)


def max_fit_assignment(
    n_people: int,
    capacities: Sequence[int] | ArrayLike,
    people: ArrayLike,
    targets: ArrayLike,
    fits: ArrayLike,
) -> Assignment:
    """Place the most people possible within capacities; among those, maximise total fit.

    ``people``, ``targets`` and ``fits`` are parallel arrays of candidate edges, fits in
    [0, 1] (compared on :data:`GRID`); a (person, target) pair may occur at most once. This
    is a min-cost maximum flow (source → person → target → sink), solved exactly in integers
    by OR-tools, whatever the size. Full ties go to the lower index (:func:`_prefer_lower`).
    Same input, same output; the order of the edges does not matter.
    """
    caps, rows, cols, weights = _validate(n_people, capacities, people, targets, fits)
    if np.any(weights > 1.0):
        raise ValueError("fits must lie in [0, 1]")
    units = to_grid(weights)
    # Every path from source to sink crosses exactly one person → target arc, so with a
    # cost of GRID - fit per arc a flow of k units costs k * GRID minus its total fit: among
    # maximum flows the cheapest has the highest total fit.
    proof = proven_matching(
        n_people, caps, rows, cols, units, bonus=GRID * max(n_people, 1) + 1, grid=GRID
    )
    # Ties are decided among the tight edges: every edge an optimal choice can use is one.
    tight = proof.tight
    if tight.size == rows.size:
        # Every edge (one solve of all of them): no copies of millions of edges.
        chosen = _prefer_lower(n_people, caps, rows, cols, units, proof.chosen)
        return _from_edges(n_people, rows, cols, chosen)
    position = np.searchsorted(tight, proof.chosen)
    chosen = _prefer_lower(n_people, caps, rows[tight], cols[tight], units[tight], position)
    return _from_edges(n_people, rows, cols, tight[chosen])


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
    b-matching. Edges with value 0 (on :data:`GRID`) are ignored: they would gain nothing.

    The solver sees the problem reduced, exactly: one node per group of interchangeable
    people (:func:`_link_groups`; within a group the lower indices are linked first), or,
    when no two people are alike, each sponsor's best edges up to the total budget
    (:func:`_within_total_budget`).
    """
    caps, rows, cols, weights = _validate(n_people, budgets, people, sponsors, values)
    units = to_grid(weights)
    grouped = _link_groups(n_people, caps, rows, cols, units)
    if grouped is not None:
        return _from_edges(n_people, rows, cols, grouped)
    kept = _within_total_budget(cols, units, int(caps.sum()))
    # Every person sends one unit to the sink, through a sponsor (cost: minus the value) or
    # through the cooperative (cost 0), so the cheapest flow links for the most value and a
    # link gains only its own value: there is no pressure to link more people for its own
    # sake.
    proof = proven_matching(n_people, caps, rows[kept], cols[kept], units[kept], bonus=0, grid=GRID)
    return _from_edges(n_people, rows, cols, kept[proof.chosen])


#: People x sponsors up to which the sponsor stage looks for interchangeable people: a
#: dense table of their values, 8 bytes a cell, which np.unique copies a few times (48 MB
#: here: 100,000 placed people and 50 sponsors are 5 million cells).
GROUP_CELLS = 6_000_000


def _link_groups(
    n_people: int, caps: IntArray, rows: IntArray, cols: IntArray, units: IntArray
) -> IntArray | None:
    """The chosen edges (sorted), solving once per group of interchangeable people; ``None``
    when no two people are interchangeable (or the table would be too large).

    People with the same value at every sponsor (the same row of values, 0 where there is no
    edge) are interchangeable: any linking can swap them without changing its total. So one
    node per group, supplying as many units as it has people, gives the same optimum as one
    node per person, on far fewer nodes (a few hundred groups for tens of thousands of people
    in the synthetic rounds: their values come from a few tags). The flow of a group over a
    sponsor goes to its people in order: the lower index first, to the lower sponsor first.
    """
    positive = np.flatnonzero(units > 0)
    if positive.size == 0:
        return positive
    r, c = rows[positive], cols[positive]
    people = np.flatnonzero(np.bincount(r, minlength=n_people))
    if people.size * caps.size > GROUP_CELLS:
        return None
    table = np.zeros((people.size, caps.size), dtype=np.int64)
    table[np.searchsorted(people, r), c] = units[positive]
    groups, inverse = unique_rows(table)
    del table
    if groups.shape[0] == people.size:
        return None
    inverse = inverse.reshape(-1)
    supply = np.bincount(inverse, minlength=groups.shape[0]).astype(np.int64)
    group_rows, group_cols = np.nonzero(groups)
    if group_rows.size > DIRECT_EDGES:  # pragma: no cover - not with a table this small
        return None
    flows = solve_groups(
        supply,
        caps,
        group_rows.astype(np.int64),
        group_cols.astype(np.int64),
        -groups[group_rows, group_cols],
    )
    # The people of each group in index order, then the group's units in sponsor order.
    members = people[np.argsort(inverse, kind="stable")]
    start = np.r_[0, np.cumsum(supply)]
    taken = np.zeros(groups.shape[0], dtype=np.int64)
    linked_people: list[IntArray] = []
    linked_sponsors: list[IntArray] = []
    for e in np.flatnonzero(flows).tolist():
        group, units_sent = int(group_rows[e]), int(flows[e])
        first = int(start[group] + taken[group])
        linked_people.append(members[first : first + units_sent])
        linked_sponsors.append(np.full(units_sent, group_cols[e], dtype=np.int64))
        taken[group] += units_sent
    if not linked_people:
        return positive[:0]
    # Back to the caller's edges: the positive edge of each (person, sponsor) linked.
    key = r.astype(np.int64) * caps.size + c
    order = np.argsort(key, kind="stable")
    wanted = np.concatenate(linked_people) * caps.size + np.concatenate(linked_sponsors)
    found = order[np.searchsorted(key, wanted, sorter=order)]
    return np.sort(positive[found])


#: Fixed odd multipliers for :func:`unique_rows`'s row hash (any would do: a collision is
#: detected and falls back to sorting every row).
_ROW_HASH = np.random.default_rng(20261201).integers(1, 2**62, size=4096, dtype=np.int64) | 1


def unique_rows(table: IntArray) -> tuple[IntArray, IntArray]:
    """``np.unique(table, axis=0, return_inverse=True)``, the same arrays, faster.

    np.unique sorts every row as a record (most of the sponsor stage). Here each row gets a
    64-bit hash, the hashes are sorted, and only one row per hash is sorted as a record, so
    the groups come out in np.unique's order. Rows are compared with their group's row
    afterwards: on a hash collision the answer is np.unique's own.
    """
    n_rows, n_cols = table.shape
    if n_rows == 0 or n_cols == 0 or n_cols > _ROW_HASH.size:
        groups, inverse = np.unique(table, axis=0, return_inverse=True)
        return groups, inverse.reshape(-1)
    # Integer overflow wraps around, which a hash may do.
    hashes = table @ _ROW_HASH[:n_cols]
    _, first, by_hash = np.unique(hashes, return_index=True, return_inverse=True)
    by_hash = by_hash.reshape(-1)
    representatives = table[first]
    # Rows with different hashes differ; rows with the same hash must be checked.
    if first.size < n_rows and not np.array_equal(representatives[by_hash], table):
        groups, inverse = np.unique(table, axis=0, return_inverse=True)
        return groups, inverse.reshape(-1)
    groups, order = np.unique(representatives, axis=0, return_inverse=True)
    return groups, order.reshape(-1)[by_hash]


def _within_total_budget(cols: IntArray, units: IntArray, total: int) -> IntArray:
    """The edges worth giving the solver: per sponsor its ``total`` best (and any that tie
    with the last), of those with a value above 0; sorted.

    Exact: at most ``total`` people are linked in all. If an optimal linking used an edge
    (p, j) outside j's best ``total``, at most ``total - 1`` of those best people are linked
    (p is linked and is not one of them), so one of them is free and takes p's place at j,
    for a value at least as high. So some optimum uses only the kept edges, and the optimum
    over them is one over all edges. At country scale this halves the sponsor stage's edges.
    """
    positive = np.flatnonzero(units > 0)
    if total <= 0:
        return positive[:0]
    counts = np.bincount(cols[positive], minlength=1)
    crowded = np.flatnonzero(counts > total)
    if crowded.size == 0:
        return positive
    # Per crowded sponsor the value of its total-th best edge; nothing of less value is kept.
    by_sponsor = positive[np.argsort(cols[positive], kind="stable")]
    starts = np.r_[0, np.cumsum(counts)]
    floor = np.ones(counts.size, dtype=np.int64)
    for sponsor in crowded.tolist():
        mine = units[by_sponsor[starts[sponsor] : starts[sponsor + 1]]]
        floor[sponsor] = np.partition(mine, mine.size - total)[mine.size - total]
    return positive[units[positive] >= floor[cols[positive]]]


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


def _prefer_lower(
    n_people: int,
    caps: IntArray,
    rows: IntArray,
    cols: IntArray,
    units: IntArray,
    chosen: IntArray,
) -> IntArray:
    """Apply the documented tie rule to an optimal choice of edges, keeping it optimal.

    Two exchanges keep the count and the total fit exactly equal, so they only decide ties:

    * a person left out takes the place of a placed person with a higher index who has the
      same fit there (the lower index gets the place);
    * a placed person moves to a target with a lower index, a free slot and the same fit.

    Each exchange lowers the sum of the placed people's indices or of their targets, so
    this ends.
    """
    target = np.full(n_people, -1, dtype=np.int64)
    edge_of = np.full(n_people, -1, dtype=np.int64)
    target[rows[chosen]] = cols[chosen]
    edge_of[rows[chosen]] = chosen
    load = np.bincount(cols[chosen], minlength=caps.size)
    changed = True
    while changed:
        changed = False
        placed = target[rows] >= 0
        # Only edges of people left out into a (target, fit) that a placed person with a
        # higher index holds can change anything; find them at once, then exchange in order.
        held = edge_of[edge_of >= 0]
        # In 64 bits: the indices may come in 32.
        held_key = cols[held].astype(np.int64) * (GRID + 1) + units[held]
        by_key = np.lexsort((rows[held], held_key))
        held_key, held_person = held_key[by_key], rows[held][by_key]
        last = np.r_[held_key[1:] != held_key[:-1], True] if held_key.size else held_key > 0
        top_key, top_person = held_key[last], held_person[last]
        waiting = np.flatnonzero(~placed)
        key = cols[waiting].astype(np.int64) * (GRID + 1) + units[waiting]
        at = np.minimum(np.searchsorted(top_key, key), max(top_key.size - 1, 0))
        if top_key.size:
            hit = (top_key[at] == key) & (top_person[at] > rows[waiting])
            candidates = waiting[hit]
        else:
            candidates = waiting[:0]
        holders: dict[int, list[int]] = {}
        for e in candidates.tolist():
            person = int(rows[e])
            if target[person] >= 0:
                continue  # placed a moment ago, by an earlier edge of theirs
            k = int(cols[e]) * (GRID + 1) + int(units[e])
            if k not in holders:
                holders[k] = held_person[held_key == k].tolist()
            holding = holders[k]
            if holding and max(holding) > person:
                loser = max(holding)
                holding.remove(loser)
                holding.append(person)
                target[person], edge_of[person] = cols[e], e
                target[loser], edge_of[loser] = -1, -1
                changed = True
        placed = target[rows] >= 0
        current = np.where(placed, units[np.maximum(edge_of[rows], 0)], -1)
        for e in np.flatnonzero(placed & (units == current) & (cols < target[rows])).tolist():
            person, lower = int(rows[e]), int(cols[e])
            if lower < target[person] and load[lower] < caps[lower]:
                load[target[person]] -= 1
                load[lower] += 1
                target[person], edge_of[person] = lower, e
                changed = True
    return np.sort(edge_of[edge_of >= 0])


def _from_edges(n_people: int, rows: IntArray, cols: IntArray, chosen: IntArray) -> Assignment:
    """The assignment that uses the input edges ``chosen`` (at most one per person)."""
    target = np.full(n_people, -1, dtype=np.int64)
    edge = np.full(n_people, -1, dtype=np.int64)
    target[rows[chosen]] = cols[chosen]
    edge[rows[chosen]] = chosen
    return _frozen(target, edge)


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
    # Edges usually come sorted (person, then target): then no sort (nor a 64-bit key of
    # every edge) is needed to see that no pair repeats.
    if not _strictly_sorted(rows, cols):
        key = rows.astype(np.int64) * max(caps.size, 1) + cols
        key.sort()
        if np.any(key[1:] == key[:-1]):
            # The flow would take them as two arcs, and a person could use both.
            raise ValueError("a (person, target) pair occurs more than once")
    return caps, rows, cols, w


def _strictly_sorted(rows: IntArray, cols: IntArray) -> bool:
    """Whether the pairs are in strictly increasing (row, column) order."""
    later_row = rows[1:] > rows[:-1]
    same_row = rows[1:] == rows[:-1]
    same_row &= cols[1:] > cols[:-1]
    later_row |= same_row
    return bool(later_row.all())


def _as_index_array(values: Sequence[int] | ArrayLike, name: str) -> IntArray:
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers")
    # 32-bit indices stay 32-bit (no copy of tens of millions of edges); arithmetic on them
    # that could overflow casts first.
    if array.dtype in (np.int32, np.int64):
        return array
    return array.astype(np.int64)


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
