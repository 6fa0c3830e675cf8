"""Properties of the assignment rounds, checked against networkx flows and brute force."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.matching.assignment import (
    Assignment,
    blocking_pairs,
    budgeted_assignment,
    max_fit_assignment,
    rank_lists,
    stable_assignment,
)

SETTINGS = settings(max_examples=150, deadline=None)


@dataclass(frozen=True)
class Instance:
    n_people: int
    capacities: list[int]
    people: list[int]
    targets: list[int]
    units: list[int]  # weights in thousandths, so the flow oracle can use exact integers

    @property
    def weights(self) -> np.ndarray:
        return np.asarray(self.units, dtype=np.float64) / 1000.0


@st.composite
def instances(
    draw: st.DrawFn,
    max_people: int = 8,
    max_targets: int = 5,
    max_capacity: int = 3,
    min_unit: int = 0,
) -> Instance:
    n_people = draw(st.integers(0, max_people))
    n_targets = draw(st.integers(0, max_targets))
    capacities = draw(
        st.lists(st.integers(0, max_capacity), min_size=n_targets, max_size=n_targets)
    )
    pairs = list(itertools.product(range(n_people), range(n_targets)))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    units = draw(st.lists(st.integers(min_unit, 1000), min_size=len(chosen), max_size=len(chosen)))
    return Instance(
        n_people=n_people,
        capacities=capacities,
        people=[p for p, _ in chosen],
        targets=[t for _, t in chosen],
        units=units,
    )


def _solve(inst: Instance) -> Assignment:
    return max_fit_assignment(
        inst.n_people,
        inst.capacities,
        np.asarray(inst.people, dtype=np.int64),
        np.asarray(inst.targets, dtype=np.int64),
        inst.weights,
    )


def _flow_graph(inst: Instance, cost: dict[int, int]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node("s")
    graph.add_node("t")
    for person in range(inst.n_people):
        graph.add_edge("s", ("p", person), capacity=1, weight=0)
    for target, capacity in enumerate(inst.capacities):
        graph.add_edge(("t", target), "t", capacity=capacity, weight=0)
    for e, (person, target) in enumerate(zip(inst.people, inst.targets, strict=True)):
        graph.add_edge(("p", person), ("t", target), capacity=1, weight=cost[e])
    return graph


def _check_feasible(inst: Instance, result: Assignment) -> None:
    assert result.target.shape == (inst.n_people,)
    assert result.edge.shape == (inst.n_people,)
    load = np.zeros(len(inst.capacities), dtype=int)
    for person in range(inst.n_people):
        target, edge = int(result.target[person]), int(result.edge[person])
        assert (target == -1) == (edge == -1)
        if target >= 0:
            assert inst.people[edge] == person
            assert inst.targets[edge] == target
            load[target] += 1
    assert np.all(load <= np.asarray(inst.capacities, dtype=int))


# --- max_fit_assignment --------------------------------------------------------------


@SETTINGS
@given(instances(max_people=12, max_targets=6))
def test_capacities_hold_and_each_person_placed_at_most_once(inst: Instance) -> None:
    _check_feasible(inst, _solve(inst))


@SETTINGS
@given(instances(max_people=25, max_targets=10, max_capacity=4))
def test_number_placed_equals_maximum_flow(inst: Instance) -> None:
    graph = _flow_graph(inst, {e: 0 for e in range(len(inst.people))})
    assert _solve(inst).n_placed == nx.maximum_flow_value(graph, "s", "t")


@SETTINGS
@given(instances())
def test_total_fit_equals_min_cost_maximum_flow(inst: Instance) -> None:
    graph = _flow_graph(inst, {e: 1000 - u for e, u in enumerate(inst.units)})
    flow = nx.max_flow_min_cost(graph, "s", "t")
    oracle_units = sum(
        inst.units[e]
        for e, (p, t) in enumerate(zip(inst.people, inst.targets, strict=True))
        if flow[("p", p)][("t", t)] == 1
    )
    oracle_placed = sum(flow["s"][("p", p)] for p in range(inst.n_people))
    result = _solve(inst)
    assert result.n_placed == oracle_placed
    assert result.total(inst.weights) == pytest.approx(oracle_units / 1000.0, abs=1e-9)


def test_placing_one_more_person_outweighs_any_fit() -> None:
    # A chain where the only way to place everyone shifts 50 people from a perfect fit to
    # a fit of 0: a dummy cost that does not grow with the instance would keep the fits.
    k = 50
    people, targets, fits = [], [], []
    for i in range(k):
        people += [i, i]
        targets += [i, i + 1]
        fits += [1.0, 0.0]
    people.append(k)
    targets.append(0)
    fits.append(0.0)
    result = max_fit_assignment(k + 1, [1] * (k + 1), people, targets, fits)
    assert result.n_placed == k + 1
    assert result.total(fits) == 0.0
    assert result.target.tolist() == [i + 1 for i in range(k)] + [0]


def test_among_maximum_placements_the_fit_decides() -> None:
    #      person 0 -> target 0 (0.9) or target 1 (0.2); person 1 -> target 0 (0.3) or 1 (0.8)
    result = max_fit_assignment(2, [1, 1], [0, 0, 1, 1], [0, 1, 0, 1], [0.9, 0.2, 0.3, 0.8])
    assert result.target.tolist() == [0, 1]
    assert result.edge.tolist() == [0, 3]
    assert result.total([0.9, 0.2, 0.3, 0.8]) == pytest.approx(1.7)


def test_capacity_two_takes_the_two_best_fits() -> None:
    result = max_fit_assignment(3, [2], [0, 1, 2], [0, 0, 0], [0.5, 0.9, 0.7])
    assert result.target.tolist() == [-1, 0, 0]


@pytest.mark.parametrize(
    ("n_people", "capacities", "people", "targets", "fits"),
    [
        (0, [], [], [], []),
        (3, [], [], [], []),
        (3, [2, 1], [], [], []),
        (2, [0, 0], [0, 1], [0, 1], [1.0, 1.0]),
    ],
)
def test_empty_inputs_place_nobody(
    n_people: int, capacities: list[int], people: list[int], targets: list[int], fits: list[float]
) -> None:
    result = max_fit_assignment(n_people, capacities, people, targets, fits)
    assert result.target.tolist() == [-1] * n_people
    assert result.edge.tolist() == [-1] * n_people
    assert result.n_placed == 0


@pytest.mark.parametrize(
    ("capacities", "people", "targets", "fits", "message"),
    [
        ([1], [0, 0], [0, 0], [0.5, 0.6], "more than once"),
        ([1], [2], [0], [0.5], "person index"),
        ([1], [0], [1], [0.5], "target index"),
        ([-1], [0], [0], [0.5], "capacities"),
        ([1], [0], [0], [1.5], r"\[0, 1\]"),
        ([1], [0], [0], [float("nan")], "finite"),
        ([1], [0, 1], [0], [0.5], "same length"),
    ],
)
def test_bad_input_is_refused(
    capacities: list[int], people: list[int], targets: list[int], fits: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        max_fit_assignment(2, capacities, people, targets, fits)


def test_result_cannot_be_changed_by_accident() -> None:
    result = max_fit_assignment(1, [1], [0], [0], [0.5])
    with pytest.raises(ValueError):
        result.target[0] = -1


# --- determinism ---------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(instances(max_people=12, max_targets=5), st.randoms(use_true_random=False))
def test_same_input_same_output_whatever_the_edge_order(inst: Instance, rnd: random.Random) -> None:
    first = _solve(inst)
    again = _solve(inst)
    assert first.target.tolist() == again.target.tolist()
    assert first.edge.tolist() == again.edge.tolist()

    order = list(range(len(inst.people)))
    rnd.shuffle(order)
    shuffled = max_fit_assignment(
        inst.n_people,
        inst.capacities,
        [inst.people[e] for e in order],
        [inst.targets[e] for e in order],
        inst.weights[order] if order else [],
    )
    assert shuffled.target.tolist() == first.target.tolist()
    assert [order[e] if e >= 0 else -1 for e in shuffled.edge.tolist()] == first.edge.tolist()


def test_ties_are_broken_the_same_way_every_time() -> None:
    rng = np.random.default_rng(7)
    n, m = 200, 60
    people = np.repeat(np.arange(n), 5)
    targets = np.concatenate([rng.choice(m, 5, replace=False) for _ in range(n)])
    fits = np.full(people.size, 0.5)  # all equal: many optimal answers
    capacities = rng.integers(1, 4, m)
    runs = {
        tuple(max_fit_assignment(n, capacities, people, targets, fits).target) for _ in range(3)
    }
    assert len(runs) == 1


# --- budgeted_assignment -------------------------------------------------------------


def _budget_oracle_units(inst: Instance) -> int:
    """Maximum total value by min-cost flow where a person may bypass every sponsor."""
    graph = nx.DiGraph()
    graph.add_node("s", demand=-inst.n_people)
    graph.add_node("t", demand=inst.n_people)
    for person in range(inst.n_people):
        graph.add_edge("s", ("p", person), capacity=1, weight=0)
        graph.add_edge(("p", person), "t", capacity=1, weight=0)  # the cooperative pays
    for sponsor, budget in enumerate(inst.capacities):
        graph.add_edge(("b", sponsor), "t", capacity=budget, weight=0)
    for person, sponsor, units in zip(inst.people, inst.targets, inst.units, strict=True):
        graph.add_edge(("p", person), ("b", sponsor), capacity=1, weight=-units)
    return -int(nx.min_cost_flow_cost(graph))


@SETTINGS
@given(instances(min_unit=1))
def test_budgeted_respects_budgets_and_is_optimal(inst: Instance) -> None:
    result = budgeted_assignment(
        inst.n_people, inst.capacities, inst.people, inst.targets, inst.weights
    )
    _check_feasible(inst, result)
    assert result.total(inst.weights) == pytest.approx(
        _budget_oracle_units(inst) / 1000.0, abs=1e-9
    )


def test_budgeted_prefers_value_over_numbers() -> None:
    # One budget unit; two people of value 0.3 each or one of value 0.9: a maximum-size
    # round would not care, the sponsor stage must take the 0.9.
    result = budgeted_assignment(3, [1, 1], [0, 1, 2, 2], [0, 0, 0, 1], [0.3, 0.3, 0.9, 0.1])
    assert result.target.tolist() == [-1, -1, 0]


def test_budgeted_leaves_people_to_the_cooperative_rather_than_forcing_a_link() -> None:
    # Person 1 could take sponsor 0 only if person 0 moved to a worse sponsor; a
    # max-cardinality round would do that, the sponsor stage need not.
    values = [0.9, 0.1, 0.5]
    result = budgeted_assignment(2, [1, 1], [0, 0, 1], [0, 1, 0], values)
    assert result.target.tolist() == [0, -1]
    assert result.total(values) == pytest.approx(0.9)


def test_budgeted_ignores_zero_value_edges_and_reports_original_edges() -> None:
    values = [0.0, 0.4, 0.7]
    result = budgeted_assignment(2, [5, 5], [0, 0, 1], [0, 1, 0], values)
    assert result.target.tolist() == [1, 0]
    assert result.edge.tolist() == [1, 2]
    only_zero = budgeted_assignment(1, [1], [0], [0], [0.0])
    assert only_zero.target.tolist() == [-1]


# --- stable_assignment ---------------------------------------------------------------


@dataclass(frozen=True)
class Market:
    person_prefs: list[list[int]]
    target_prefs: list[list[int]]
    capacities: list[int]


@st.composite
def markets(draw: st.DrawFn, max_people: int = 8, max_targets: int = 4) -> Market:
    n_people = draw(st.integers(0, max_people))
    n_targets = draw(st.integers(0, max_targets))
    person_prefs = [_draw_prefix(draw, n_targets) for _ in range(n_people)]
    target_prefs = [_draw_prefix(draw, n_people) for _ in range(n_targets)]
    capacities = draw(st.lists(st.integers(0, 3), min_size=n_targets, max_size=n_targets))
    return Market(person_prefs, target_prefs, capacities)


def _draw_prefix(draw: st.DrawFn, n: int) -> list[int]:
    """A preference list: some of range(n), in a random order."""
    order = draw(st.permutations(range(n)))
    return list(order[: draw(st.integers(0, n))])


def _feasible_assignments(market: Market) -> list[tuple[int, ...]]:
    options = []
    for person, prefs in enumerate(market.person_prefs):
        options.append([-1] + [t for t in prefs if person in market.target_prefs[t]])
    out = []
    for combo in itertools.product(*options):
        load = [0] * len(market.capacities)
        for t in combo:
            if t >= 0:
                load[t] += 1
        if all(x <= c for x, c in zip(load, market.capacities, strict=True)):
            out.append(combo)
    return out


def _rank(prefs: list[int], target: int) -> int:
    return prefs.index(target) if target >= 0 else len(prefs)


@SETTINGS
@given(markets(max_people=12, max_targets=5))
def test_stable_has_no_blocking_pair_and_respects_lists(market: Market) -> None:
    result = stable_assignment(market.person_prefs, market.target_prefs, market.capacities)
    assert result.shape == (len(market.person_prefs),)
    for person, target in enumerate(result.tolist()):
        if target >= 0:
            assert target in market.person_prefs[person]
            assert person in market.target_prefs[target]
    load = np.bincount(result[result >= 0], minlength=len(market.capacities))
    assert np.all(load <= np.asarray(market.capacities, dtype=int))
    assert blocking_pairs(result, market.person_prefs, market.target_prefs, market.capacities) == []


@settings(max_examples=80, deadline=None)
@given(markets(max_people=5, max_targets=3))
def test_stable_is_person_optimal_by_brute_force(market: Market) -> None:
    result = stable_assignment(market.person_prefs, market.target_prefs, market.capacities)
    stable = [
        combo
        for combo in _feasible_assignments(market)
        if not blocking_pairs(
            list(combo), market.person_prefs, market.target_prefs, market.capacities
        )
    ]
    assert tuple(result.tolist()) in stable
    for combo in stable:
        for person, prefs in enumerate(market.person_prefs):
            assert _rank(prefs, int(result[person])) <= _rank(prefs, combo[person])


def test_blocking_pairs_names_the_pair_that_would_rather_be_together() -> None:
    person_prefs = [[0, 1], [0, 1]]
    target_prefs = [[0, 1], [0, 1]]
    # Person 0 is put at target 1 although both person 0 and target 0 prefer each other.
    assert blocking_pairs([1, 0], person_prefs, target_prefs, [1, 1]) == [(0, 0)]
    # An unplaced person who is acceptable to a target with a free slot blocks too.
    assert blocking_pairs([0, -1], person_prefs, target_prefs, [1, 1]) == [(1, 1)]
    assert blocking_pairs([0, 1], person_prefs, target_prefs, [1, 1]) == []


def test_blocking_pairs_refuses_an_infeasible_assignment() -> None:
    with pytest.raises(ValueError, match="capacity"):
        blocking_pairs([0, 0], [[0], [0]], [[0, 1]], [1])
    with pytest.raises(ValueError, match="accept each other"):
        blocking_pairs([0], [[0]], [[]], [1])


def test_stable_person_proposing_favours_people() -> None:
    # The classic 2 x 2 with opposed preferences: two stable matchings exist; the
    # person-proposing one gives every person their first choice.
    result = stable_assignment([[0, 1], [1, 0]], [[1, 0], [0, 1]], [1, 1])
    assert result.tolist() == [0, 1]


def test_rank_lists_orders_by_score_then_index() -> None:
    lists = rank_lists(3, [0, 0, 0, 2], [4, 1, 2, 0], [0.5, 0.5, 0.9, 0.1])
    assert lists == [[2, 1, 4], [], [0]]


def test_rank_lists_feed_the_stable_round() -> None:
    # Scores from edges on both sides: people rank by total fit, targets by talent fit.
    people, targets = [0, 0, 1, 1, 2], [0, 1, 0, 1, 0]
    person_prefs = rank_lists(3, people, targets, [0.9, 0.4, 0.8, 0.7, 0.6])
    target_prefs = rank_lists(2, targets, people, [0.2, 0.3, 0.9, 0.1, 0.5])
    result = stable_assignment(person_prefs, target_prefs, [1, 1])
    assert result.tolist() == [1, 0, -1]
    assert blocking_pairs(result, person_prefs, target_prefs, [1, 1]) == []
