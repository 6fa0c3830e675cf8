"""The certified solve: a subset of the edges, proven optimal on all of them.

Large rounds give the solver only each person's best edges and prove the answer with a dual
certificate on every edge (``toolkit.matching.flow``). Here that path is forced on small
instances (``DIRECT_EDGES = 0``, one edge per person to start with, so the certificate must
find and add almost everything) and compared with networkx's min-cost flow on all the edges:
the same count placed, the same total, and the documented tie rule.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.matching.test_round_oracles import networkx_optimum
from tests.matching.test_sponsor_groups import _optimum as sponsor_optimum
from toolkit.matching import assignment, flow
from toolkit.matching.assignment import GRID, budgeted_assignment, max_fit_assignment

SETTINGS = settings(max_examples=150, deadline=None)

Case = tuple[int, list[int], list[tuple[int, int]], list[int]]


@pytest.fixture(autouse=True)
def subsets_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every solve goes through subsets and the certificate, however small the instance."""
    monkeypatch.setattr(flow, "DIRECT_EDGES", 0)
    monkeypatch.setattr(flow, "FIRST_PER_PERSON", 1)
    # Not each target's best too (tests below switch it on): on these small instances that
    # would be every edge at once.
    monkeypatch.setattr(flow, "FIRST_PER_TARGET", 0)
    # The sponsor stage too: not one solve per group of interchangeable people.
    monkeypatch.setattr(assignment, "GROUP_CELLS", 0)
    yield


def cases(max_people: int = 12, levels: int = 4) -> st.SearchStrategy[Case]:
    """(people, capacities, unique (person, target) pairs, fit levels): few levels, many ties."""
    return st.integers(1, max_people).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.integers(0, 3), min_size=1, max_size=6),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 5)), unique=True),
            st.lists(st.integers(0, levels), min_size=40, max_size=40),
        )
    )


def _edges(case: Case) -> tuple[int, list[int], list[int], list[int], list[int]]:
    n, capacities, pairs, levels = case
    pairs = [(p, t % len(capacities)) for p, t in pairs]
    pairs = list(dict.fromkeys(pairs))
    people = [p for p, _ in pairs]
    targets = [t for _, t in pairs]
    units = [levels[i % len(levels)] * (GRID // 4) for i in range(len(pairs))]
    return n, capacities, people, targets, units


@SETTINGS
@given(cases())
@example((3, [1], [(0, 0), (1, 0), (2, 0)], [2] * 40))  # a full tie for one slot
@example((2, [1, 1], [(0, 0), (0, 1), (1, 0)], [4, 3, 4] + [0] * 37))  # p0 must move
def test_the_certified_subset_solve_equals_networkx_on_all_edges(case: Case) -> None:
    n, capacities, people, targets, units = _edges(case)
    result = max_fit_assignment(n, capacities, people, targets, np.asarray(units) / GRID)
    placed, total = networkx_optimum(capacities, people, targets, units)
    assert result.n_placed == placed
    assert int(np.asarray(units, dtype=np.int64)[result.edge[result.edge >= 0]].sum()) == total


@SETTINGS
@given(cases(max_people=10, levels=2))
@example((3, [1], [(2, 0), (1, 0), (0, 0)], [1] * 40))
def test_the_tie_rule_holds_after_a_certified_solve(case: Case) -> None:
    """Ties are decided among the tight edges, which must include every edge that matters."""
    n, capacities, people, targets, units = _edges(case)
    result = max_fit_assignment(n, capacities, people, targets, np.asarray(units) / GRID)
    fit = {(p, t): u for p, t, u in zip(people, targets, units, strict=True)}
    load = np.bincount(result.target[result.target >= 0], minlength=len(capacities))
    for (p, t), u in fit.items():
        mine = int(result.target[p])
        if mine < 0:
            holders = [q for q in range(n) if result.target[q] == t and fit[(q, t)] == u]
            assert all(q < p for q in holders), (p, t, holders)
        elif t < mine and fit[(p, mine)] == u:
            assert load[t] >= capacities[t], (p, t, mine)


@SETTINGS
@given(cases(), st.integers(1, 3), st.sampled_from([0.5, 1.0]))
@example((2, [1, 1], [(0, 0), (0, 1), (1, 0)], [4, 3, 4] + [0] * 37), 1, 1.0)
def test_targets_best_edges_and_local_repairs_keep_the_solve_exact(
    case: Case, per_target: int, share: float
) -> None:
    """Each target's best edges in the first subset, and later solves only of the region
    the added edges can change (every repair taken with share 1.0): still networkx's
    optimum on all edges."""
    n, capacities, people, targets, units = _edges(case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "FIRST_PER_TARGET", per_target)
        patch.setattr(flow, "REPAIR_SHARE", share)
        result = max_fit_assignment(n, capacities, people, targets, np.asarray(units) / GRID)
    placed, total = networkx_optimum(capacities, people, targets, units)
    assert result.n_placed == placed
    assert int(np.asarray(units, dtype=np.int64)[result.edge[result.edge >= 0]].sum()) == total


def test_a_repair_is_local_when_one_edge_breaks_the_certificate() -> None:
    # Place 1 has no slot, so p1 (whose best edge goes there) is left out by the first
    # subset (each person's best edge). The certificate finds p1's edge to place 2, where
    # p1 fits better than p2; the repair re-solves only places 2's corner (p1, p2 and
    # place 2: two edges), not p0's.
    rows = np.array([0, 1, 1, 2])
    cols = np.array([0, 1, 2, 2])
    units = np.array([GRID, GRID // 2, GRID // 4, GRID // 8])
    seen: list[int] = []
    original = flow._solve

    def spy(n: int, caps: np.ndarray, r: np.ndarray, *args: object) -> np.ndarray:
        seen.append(int(r.size))
        return original(n, caps, r, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_solve", spy)
        patch.setattr(flow, "REPAIR_SHARE", 1.0)
        patch.setattr(flow, "MARGIN", 0)
        proof = flow.proven_matching(
            3, np.array([1, 0, 1]), rows, cols, units, bonus=3 * GRID + 1, grid=GRID
        )
    assert proof.chosen.tolist() == [0, 2]
    assert seen == [3, 2]


def test_a_wrong_repair_is_not_trusted() -> None:
    """A repair whose answer is not optimal on its subset has no dual: the subset is solved
    whole instead, and the result is still the optimum."""
    rng = np.random.default_rng(7)
    n_people, n_targets = 60, 20
    people = np.repeat(np.arange(n_people), 5)
    targets = rng.integers(0, n_targets, people.size)
    pairs = np.unique(people * n_targets + targets)
    people, targets = pairs // n_targets, pairs % n_targets
    units = rng.integers(0, 10, people.size) * (GRID // 10)
    capacities = rng.integers(0, 3, n_targets)
    calls: list[int] = []

    def wrong(*args: object) -> np.ndarray:
        calls.append(1)
        return np.zeros(0, dtype=np.int64)  # nobody placed: not optimal

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_repair", wrong)
        result = max_fit_assignment(n_people, capacities, people, targets, units / GRID)
    placed, total = networkx_optimum(
        capacities.tolist(), people.tolist(), targets.tolist(), units.tolist()
    )
    assert calls, "the instance must need a second round"
    assert result.n_placed == placed
    assert int(units[result.edge[result.edge >= 0]].sum()) == total


def test_the_certified_solve_is_exact_on_3200_people_with_scarce_places() -> None:
    """Above the old 3,000 limit, starting from one edge per person."""
    rng = np.random.default_rng(14)
    n_people, n_targets, per_person = 3_200, 600, 6
    keys = rng.random((n_people, n_targets))
    targets = np.argpartition(keys, per_person, axis=1)[:, :per_person].ravel()
    people = np.repeat(np.arange(n_people), per_person)
    units = rng.integers(0, 40, people.size) * (GRID // 40)
    capacities = rng.integers(0, 4, n_targets)
    result = max_fit_assignment(n_people, capacities, people, targets, units / GRID)
    placed, total = networkx_optimum(
        capacities.tolist(), people.tolist(), targets.tolist(), units.tolist()
    )
    assert result.n_placed == placed
    assert int(units[result.edge[result.edge >= 0]].sum()) == total


def test_the_proof_needs_more_than_one_round_when_the_first_subset_is_not_enough() -> None:
    # p0's best place is also p1's only one: the first subset (best edge each) places one
    # person; the certificate finds p0's second edge and the answer places both.
    rows = np.array([0, 0, 1])
    cols = np.array([0, 1, 0])
    units = np.array([GRID, GRID // 2, GRID // 2])
    proof = flow.proven_matching(
        2, np.array([1, 1]), rows, cols, units, bonus=2 * GRID + 1, grid=GRID
    )
    assert proof.chosen.tolist() == [1, 2]
    assert proof.rounds == 2


@SETTINGS
@given(cases())
@example((2, [1], [(0, 0), (1, 0)], [1, 3] + [1] * 38))
def test_the_certified_sponsor_stage_equals_networkx(case: Case) -> None:
    n, capacities, people, targets, units = _edges(case)
    units = [u + 1 for u in units]  # the sponsor stage ignores links worth nothing
    result = budgeted_assignment(n, capacities, people, targets, np.asarray(units) / GRID)
    chosen = result.edge[result.edge >= 0]
    assert int(np.asarray(units, dtype=np.int64)[chosen].sum()) == sponsor_optimum(
        n, capacities, people, targets, units
    )


def test_the_first_subset_is_each_persons_best_edge() -> None:
    # Everyone's best place is free for them: the first subset (one best edge each) is
    # already optimal, and the certificate proves it without a second solve.
    rows = np.array([0, 0, 1, 1, 2, 2])
    cols = np.array([0, 1, 0, 1, 2, 0])
    units = np.array([GRID, GRID // 3, GRID // 4, GRID // 2, GRID // 2, GRID // 5])
    proof = flow.proven_matching(
        3, np.array([1, 1, 1]), rows, cols, units, bonus=3 * GRID + 1, grid=GRID
    )
    assert proof.chosen.tolist() == [0, 3, 4]
    assert (proof.rounds, proof.solved_edges) == (1, 3)


def test_a_certificate_broken_by_one_unit_is_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by a hand mutation run: accepting a slack of -1 would keep p0 (fit 0) at place 0
    # where p2 fits it one grid unit better. Whole units, no rounding: -1 is broken.
    monkeypatch.setattr(flow, "MARGIN", 0)
    rows = np.array([0, 0, 1, 2, 2])
    cols = np.array([0, 1, 0, 0, 1])
    units = np.array([0, 0, 0, 1, 2])
    proof = flow.proven_matching(3, np.array([1, 0]), rows, cols, units, bonus=31, grid=10)
    assert proof.chosen.tolist() == [3]


def test_placing_one_more_person_beats_any_loss_of_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Placing p1 means moving p0 from a perfect fit to a fit of 0: one whole grid unit of
    # fit less, one person more. The count comes first, so the certificate must break here
    # (the weight per placement exceeds any total of fits, not just one grid unit).
    monkeypatch.setattr(flow, "MARGIN", 0)
    result = max_fit_assignment(2, [1, 1], [0, 0, 1], [0, 1, 0], [1.0, 0.0, 0.0])
    assert result.target.tolist() == [1, 0]


def test_the_first_subset_holds_each_targets_best_edges_and_not_all() -> None:
    """A target's best candidates join the first subset even when they are nobody's own
    best place; a target with many edges does not bring them all."""
    n_people, n_targets = 200, 3
    people = np.repeat(np.arange(n_people), 2)
    targets = np.tile([0, 1], n_people)
    targets[1::2] = np.where(np.arange(n_people) < 100, 1, 2)
    # Everyone's best edge goes elsewhere (target 0 is everyone's second choice), and target
    # 0 sees 200 distinct fits.
    units = np.where(targets == 0, np.repeat(np.arange(n_people), 2), 10**6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "FIRST_PER_PERSON", 1)
        patch.setattr(flow, "FIRST_PER_TARGET", 5)
        first = flow._first_subset(
            n_people, np.ones(n_targets, dtype=np.int64), people, targets, units
        )
    at_zero = first[targets[first] == 0]
    assert at_zero.size > 0, "target 0's best candidates are missing"
    best = np.flatnonzero(targets == 0)[np.argsort(-units[targets == 0])]
    assert best[0] in at_zero
    assert at_zero.size < 50, at_zero.size
    assert set(first[targets[first] != 0].tolist()) == set(np.flatnonzero(targets != 0).tolist())


def test_a_targets_tied_edges_all_join_the_first_subset() -> None:
    # Every edge of target 0 has the same fit: no spread, so all of them tie with its best.
    people = np.arange(40)
    targets = np.zeros(40, dtype=np.int64)
    units = np.full(40, 7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "FIRST_PER_PERSON", 0)
        patch.setattr(flow, "FIRST_PER_TARGET", 3)
        first = flow._first_subset(40, np.ones(1, dtype=np.int64), people, targets, units)
    assert first.tolist() == list(range(40))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
@example(345)  # an edge that broke the certificate and was not added must be checked again
def test_each_check_between_solves_finds_what_a_full_check_finds(seed: int) -> None:
    """The checks between solves look only where the dual fell (or at edges still waiting
    to be added): they must find exactly the broken edges a check of every edge finds."""
    rng = np.random.default_rng(seed)
    n_people, n_targets = int(rng.integers(40, 150)), int(rng.integers(5, 30))
    per = int(rng.integers(3, n_targets + 1))
    keys = rng.random((n_people, n_targets))
    targets = np.argpartition(keys, per - 1, axis=1)[:, :per].ravel()
    people = np.repeat(np.arange(n_people), per)
    # Fits a few grid units apart: prices and surpluses then move by single units too.
    units = rng.integers(0, 4, people.size)
    capacities = rng.integers(0, 3, n_targets)
    compared: list[int] = []
    original = flow._broken

    def checked(rows, cols, units, bonus, y, z, margin=0, only=None):  # type: ignore[no-untyped-def]
        found = original(rows, cols, units, bonus, y, z, margin, only)
        if only is not None:
            every = original(rows, cols, units, bonus, y, z, margin)
            assert found[0].tolist() == every[0].tolist()
            compared.append(1)
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "_broken", checked)
        patch.setattr(flow, "_CHUNK", 7)  # several chunks: offsets must add up
        # One edge added per person per solve, no margin: more solves, and edges that broke
        # the certificate wait to be added.
        patch.setattr(flow, "ADD_PER_PERSON", 1)
        patch.setattr(flow, "MARGIN", 0)
        result = max_fit_assignment(n_people, capacities, people, targets, units / GRID)
    placed, total = networkx_optimum(
        capacities.tolist(), people.tolist(), targets.tolist(), units.tolist()
    )
    assert (result.n_placed, int(units[result.edge[result.edge >= 0]].sum())) == (placed, total)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_restricted_check_finds_every_broken_edge(seed: int) -> None:
    """Where every edge held under the old dual except the ones marked, checking only the
    edges of people whose surplus fell, of targets whose price fell, and the marked ones
    finds exactly what checking every edge finds."""
    rng = np.random.default_rng(seed)
    n_people, n_targets, n_edges = 12, 6, 40
    rows = np.sort(rng.integers(0, n_people, n_edges))
    cols = rng.integers(0, n_targets, n_edges)
    units = rng.integers(0, 10, n_edges)
    y_before = rng.integers(0, 10, n_people)
    z_before = rng.integers(0, 10, n_targets)
    marked = y_before[rows] + z_before[cols] < units  # broken before, not yet added
    # The new dual: each value a little up or down, or the same.
    y = y_before + rng.integers(-2, 3, n_people)
    z = z_before + rng.integers(-2, 3, n_targets)
    restricted = flow._broken(rows, cols, units, 0, y, z, 0, (y < y_before, z < z_before, marked))
    full = flow._broken(rows, cols, units, 0, y, z, 0)
    assert restricted[0].tolist() == full[0].tolist()
    assert restricted[1].tolist() == full[1].tolist()


def test_a_proof_in_one_round_without_margin_still_names_the_tight_edges() -> None:
    # Found while testing the checks between solves: with no margin, the first check (which
    # is then the proof) returned only broken edges, so no tight ones, and deciding ties
    # failed. The chosen edges are always tight.
    rows = np.array([0, 0, 1, 1, 2, 2])
    cols = np.array([0, 1, 0, 1, 2, 0])
    units = np.array([GRID, GRID // 3, GRID // 4, GRID // 2, GRID // 2, GRID // 5])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flow, "MARGIN", 0)
        proof = flow.proven_matching(
            3, np.array([1, 1, 1]), rows, cols, units, bonus=3 * GRID + 1, grid=GRID
        )
        result = max_fit_assignment(3, [1, 1, 1], rows, cols, units / GRID)
    assert proof.rounds == 1
    assert set(proof.chosen.tolist()) <= set(proof.tight.tolist())
    assert result.target.tolist() == [0, 1, 2]
