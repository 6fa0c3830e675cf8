"""The sponsor stage's exact reductions, against networkx on every edge.

Two ways the sponsor stage gives the solver less than every (person, sponsor) edge, each
exact by an exchange argument (``toolkit.matching.assignment``): people with the same value
at every sponsor are one node with a supply (``_link_groups``), and otherwise each sponsor
keeps only its best edges up to the total budget (``_within_total_budget``). Both are
compared with networkx's min-cost flow over all the edges: the same total value, within the
budgets, one link per person; and within a group the lower indices are linked first.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.matching import assignment
from toolkit.matching.assignment import GRID, budgeted_assignment

SETTINGS = settings(max_examples=150, deadline=None)

# (people's kinds, per kind a row of value levels per sponsor (0: no edge), budgets)
Case = tuple[list[int], list[list[int]], list[int]]


def cases() -> st.SearchStrategy[Case]:
    """Few kinds of people, so many are interchangeable; small budgets, so sponsors crowd."""
    return st.integers(1, 4).flatmap(
        lambda n_sponsors: st.tuples(
            st.lists(st.integers(0, 3), min_size=1, max_size=14),
            st.lists(
                st.lists(st.integers(0, 3), min_size=n_sponsors, max_size=n_sponsors),
                min_size=4,
                max_size=4,
            ),
            st.lists(st.integers(0, 3), min_size=n_sponsors, max_size=n_sponsors),
        )
    )


def _edges(case: Case) -> tuple[int, list[int], list[int], list[int], list[int]]:
    kinds, rows, budgets = case
    people, sponsors, units = [], [], []
    for person, kind in enumerate(kinds):
        for sponsor, level in enumerate(rows[kind]):
            if level:
                people.append(person)
                sponsors.append(sponsor)
                units.append(level * (GRID // 4))
    return len(kinds), budgets, people, sponsors, units


def _optimum(
    n: int, budgets: list[int], people: list[int], sponsors: list[int], units: list[int]
) -> int:
    graph = nx.DiGraph()
    graph.add_node("s", demand=-n)
    graph.add_node("t", demand=n)
    for person in range(n):
        graph.add_edge("s", ("p", person), capacity=1, weight=0)
        graph.add_edge(("p", person), "t", capacity=1, weight=0)
    for sponsor, budget in enumerate(budgets):
        graph.add_edge(("b", sponsor), "t", capacity=budget, weight=0)
    for person, sponsor, unit in zip(people, sponsors, units, strict=True):
        graph.add_edge(("p", person), ("b", sponsor), capacity=1, weight=-unit)
    return -int(nx.min_cost_flow_cost(graph))


def _check(case: Case) -> np.ndarray:
    n, budgets, people, sponsors, units = _edges(case)
    result = budgeted_assignment(n, budgets, people, sponsors, np.asarray(units) / GRID)
    chosen = result.edge[result.edge >= 0]
    # The edge named is the person's own edge to the sponsor named.
    for person in np.flatnonzero(result.target >= 0).tolist():
        e = int(result.edge[person])
        assert (people[e], sponsors[e]) == (person, int(result.target[person]))
    load = np.bincount(result.target[result.target >= 0], minlength=len(budgets))
    assert np.all(load <= np.asarray(budgets))
    total = int(np.asarray(units, dtype=np.int64)[chosen].sum()) if chosen.size else 0
    assert total == _optimum(n, budgets, people, sponsors, units)
    return result.target


@SETTINGS
@given(cases())
@example(([0, 0, 0], [[2], [0], [0], [0]], [2]))  # one group, two of three linked
@example(([0, 1, 0, 1], [[1, 3], [3, 1], [0, 0], [0, 0]], [1, 1]))  # two groups, crossed
@example(([0, 0], [[1], [0], [0], [0]], [0]))  # no budget at all
def test_one_node_per_group_equals_networkx_and_links_the_lower_indices_first(case: Case) -> None:
    target = _check(case)
    kinds, _rows, _budgets = case
    # Within a group (the same row), nobody is linked while a lower index is not, and the
    # lower index has the lower sponsor.
    for kind in set(kinds):
        members = [p for p, k in enumerate(kinds) if k == kind]
        got = [int(target[p]) for p in members]
        linked = [t for t in got if t >= 0]
        assert got[: len(linked)] == sorted(linked), (kind, got)


@SETTINGS
@given(cases())
@example(([0, 0, 0], [[2], [0], [0], [0]], [1]))  # a crowded sponsor: one of three kept
@example(([0, 1, 2], [[1, 0], [2, 0], [2, 3], [0, 0]], [1, 1]))
@example(([0, 0], [[1], [0], [0], [0]], [0]))  # no budget at all: nothing is kept
def test_each_sponsors_best_up_to_the_total_budget_equal_networkx(case: Case) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "GROUP_CELLS", 0)  # one node per person
        _check(case)


def test_the_total_budget_bounds_what_each_sponsor_keeps() -> None:
    cols = np.array([0, 0, 0, 0, 1, 1])
    units = np.array([5, 9, 7, 9, 0, 3])
    # Total budget 2: sponsor 0 keeps its two best (9, 9); sponsor 1 its one edge worth
    # something; the edge worth nothing goes.
    assert assignment._within_total_budget(cols, units, 2).tolist() == [1, 3, 5]
    # A tie with the last kept one is kept too.
    assert assignment._within_total_budget(cols, units, 3).tolist() == [1, 2, 3, 5]
    assert assignment._within_total_budget(cols, units, 0).tolist() == []
