"""The round against independent solvers: networkx min-cost flow and the `matching` library.

The flow method must place as many people as networkx's ``max_flow_min_cost`` and reach the
same total fit on the same edges, also above the old 3,000-candidate limit and when only
places within reach count; the stable method must equal the resident-optimal stable matching
that the `matching` library computes from preference lists built by the documented rules.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from tests.matching.generated import DISTRICTS, TALENTS, build, casebooks
from toolkit.casebook.casebook import Casebook
from toolkit.matching import Matcher
from toolkit.matching.assignment import (
    GRID,
    budgeted_assignment,
    max_fit_assignment,
    rank_lists,
    stable_assignment,
    to_grid,
)
from toolkit.matching.round import reach_km
from toolkit.matching.scores import score_block, score_pairs

SETTINGS = settings(max_examples=40, deadline=None)


def networkx_optimum(
    capacities: list[int], people: list[int], targets: list[int], units: list[int]
) -> tuple[int, int]:
    """(number placed, total fit in grid units) of a networkx maximum flow of minimum cost."""
    graph = nx.DiGraph()
    graph.add_node("s")
    graph.add_node("z")
    for person in set(people):
        graph.add_edge("s", ("p", person), capacity=1, weight=0)
    for target, capacity in enumerate(capacities):
        graph.add_edge(("t", target), "z", capacity=capacity, weight=0)
    for person, target, unit in zip(people, targets, units, strict=True):
        graph.add_edge(("p", person), ("t", target), capacity=1, weight=GRID - unit)
    flow = nx.max_flow_min_cost(graph, "s", "z")
    placed = sum(flow["s"].values())
    total = sum(
        unit
        for person, target, unit in zip(people, targets, units, strict=True)
        if flow[("p", person)][("t", target)]
    )
    return placed, total


def round_edges(book: Casebook, within_reach: bool) -> tuple[Matcher, list[tuple[int, int, int]]]:
    """Every feasible (person, place, fit units) pair, scored pair by pair with score_block."""
    matcher = Matcher(book)
    f = matcher.features
    rows = np.asarray(sorted(f.person_index[p.id] for p in book.candidates()), dtype=np.int64)
    edges = []
    block = score_block(f, rows, excluded=matcher.excluded)
    limit = reach_km(f, rows) if within_reach else np.full(rows.size, np.inf)
    for i in range(rows.size):
        for j in range(f.n_opportunities):
            km = block.distance_km[i, j] if block.distance_km is not None else np.nan
            if block.feasible[i, j] and not km > limit[i]:
                units = round(float(np.clip(block.place[i, j], 0, 1)) * GRID)
                edges.append((i, j, units))
    return matcher, edges


@SETTINGS
@given(casebooks(max_people=10, max_opportunities=6), st.booleans())
def test_the_flow_round_equals_a_networkx_min_cost_flow(book: Casebook, above: bool) -> None:
    matcher, edges = round_edges(book, within_reach=above)
    # ``above``: the round as it runs past the old limit (here: any size), within reach.
    result = matcher.round("flow") if not above else _round_above_limit(matcher)
    f = matcher.features
    capacities = [int(c) for c in f.open_slots]
    placed, total = networkx_optimum(
        capacities, [e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges]
    )
    rows = sorted(f.person_index[p.id] for p in book.candidates())
    units = {(f.person_ids[rows[i]], f.opportunity_ids[j]): u for i, j, u in edges}
    assert result.n_placed == placed
    ours = sum(units[(o.person_id, o.opportunity_id)] for o in result.proposals)
    assert ours == total
    assert result.pruned == (above and result.n_candidates > 0)


def _round_above_limit(matcher: Matcher) -> Any:
    matcher.exact_limit = 0
    return matcher.round("flow")


def test_the_flow_round_is_exact_above_the_old_limit_of_3000() -> None:
    """3,200 people × 600 places, 6 edges each, scarce slots: the pruned round lost places."""
    rng = np.random.default_rng(14)
    n_people, n_targets, per_person = 3_200, 600, 6
    keys = rng.random((n_people, n_targets))
    targets = np.argpartition(keys, per_person, axis=1)[:, :per_person].ravel()
    people = np.repeat(np.arange(n_people), per_person)
    units = rng.integers(0, 40, people.size) * (GRID // 40)  # many ties
    capacities = rng.integers(0, 4, n_targets)
    result = max_fit_assignment(n_people, capacities, people, targets, units / GRID)
    placed, total = networkx_optimum(
        capacities.tolist(), people.tolist(), targets.tolist(), units.tolist()
    )
    assert result.n_placed == placed
    assert int(units[result.edge[result.edge >= 0]].sum()) == total


# --- the stable method -----------------------------------------------------------------


def resident_optimal(
    person_prefs: list[list[int]], target_prefs: list[list[int]], capacities: list[int]
) -> list[int]:
    """The `matching` library's resident-optimal stable matching, as one target per person."""
    residents = {f"r{i}": [f"h{j}" for j in prefs] for i, prefs in enumerate(person_prefs)}
    hospitals = {f"h{j}": [f"r{i}" for i in prefs] for j, prefs in enumerate(target_prefs)}
    game = HospitalResident.create_from_dictionaries(
        residents, hospitals, {f"h{j}": c for j, c in enumerate(capacities)}, clean=True
    )
    solution = game.solve(optimal="resident")
    target = [-1] * len(person_prefs)
    for hospital, matched in solution.items():
        for resident in matched:
            target[int(str(resident)[1:])] = int(str(hospital)[1:])
    return target


@st.composite
def scored_markets(
    draw: st.DrawFn,
) -> tuple[int, list[int], list[int], list[int], list[int], list[int]]:
    n_people = draw(st.integers(1, 12))
    n_targets = draw(st.integers(1, 5))
    pairs = [(p, t) for p in range(n_people) for t in range(n_targets)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1))
    # Few distinct scores: ties are common, and the documented rule must break them.
    person_score = draw(st.lists(st.integers(0, 3), min_size=len(chosen), max_size=len(chosen)))
    target_score = draw(st.lists(st.integers(0, 3), min_size=len(chosen), max_size=len(chosen)))
    capacities = draw(st.lists(st.integers(1, 3), min_size=n_targets, max_size=n_targets))
    return (
        n_people,
        capacities,
        [p for p, _ in chosen],
        [t for _, t in chosen],
        person_score,
        target_score,
    )


@settings(max_examples=300, deadline=None)
@given(scored_markets())
@example((2, [1], [0, 1], [0, 0], [1, 1], [2, 2]))  # a full tie: the lower index wins
def test_stable_assignment_equals_the_matching_library(
    market: tuple[int, list[int], list[int], list[int], list[int], list[int]],
) -> None:
    n_people, capacities, people, targets, person_score, target_score = market
    person_prefs = rank_lists(n_people, people, targets, person_score)
    target_prefs = rank_lists(len(capacities), targets, people, target_score)
    ours = stable_assignment(person_prefs, target_prefs, capacities).tolist()
    assert ours == resident_optimal(person_prefs, target_prefs, capacities)


@SETTINGS
@given(casebooks(max_people=10, max_opportunities=5))
def test_the_stable_round_equals_the_matching_library_on_the_documented_lists(
    book: Casebook,
) -> None:
    """Lists built here by the documented rules from grid-rounded scores, pair by pair."""
    matcher = Matcher(book)
    f = matcher.features
    rows = sorted(f.person_index[p.id] for p in book.candidates())
    block = score_block(f, rows, excluded=matcher.excluded)
    person_prefs: list[list[int]] = []
    target_lists: list[list[tuple[float, float, int]]] = [[] for _ in range(f.n_opportunities)]
    for i, person in enumerate(rows):
        mine = []
        for j in range(f.n_opportunities):
            if not block.feasible[i, j]:
                continue
            fit = round(float(np.clip(block.place[i, j], 0, 1)), 9)
            talents = score_pairs(f, [person], [j], detail=False).talents[0]
            talents = 0.0 if np.isnan(talents) else round(float(talents), 9)
            mine.append((-fit, j))
            target_lists[j].append((-talents, -fit, i))
        person_prefs.append([j for _, j in sorted(mine)])
    target_prefs = [[i for *_, i in sorted(entries)] for entries in target_lists]
    capacities = [int(c) for c in f.open_slots]
    expected = resident_optimal(
        person_prefs,
        [prefs if capacities[j] > 0 else [] for j, prefs in enumerate(target_prefs)],
        [max(c, 1) for c in capacities],
    )
    result = matcher.round("stable")
    got = {o.person_id: o.opportunity_id for o in result.proposals}
    want = {f.person_ids[rows[i]]: f.opportunity_ids[j] for i, j in enumerate(expected) if j >= 0}
    assert got == want


# --- ties --------------------------------------------------------------------------------


def _same_talents_book(order_a: list[str], order_b: list[str]) -> Casebook:
    place: dict[str, Any] = {
        "organisation": "org",
        "title": "Plek",
        "description": "",
        "talents_required": TALENTS[:3],
        "talents_desired": TALENTS[3:6],
        "causes": [],
        "district": next(iter(DISTRICTS)),
        "days": [],
        "slots": 1,
        "offers": [],
        "requires": [],
    }
    people = {
        pid: {
            "name": "Iemand",
            "birth_year": 1980,
            "district": next(iter(DISTRICTS)),
            "has_bsn": True,
            "situation": ["geen"],
            "talents": talents,
            "wishes": {"causes": [], "text": "", "districts": [], "max_travel_km": None},
            "values": [],
            "avoid_sectors": [],
            "needs": [],
            "status": "kandidaat",
        }
        for pid, talents in (("p0", order_a), ("p1", order_b))
    }
    return build(people, {"o0": place}, {})


def test_the_same_talents_in_another_order_score_and_rank_the_same() -> None:
    # Three of three required and two of three desired: sums of thirds, in any order.
    talents = [*TALENTS[:3], *TALENTS[3:5]]
    for order_a, order_b in ((talents, talents[::-1]), (talents[::-1], talents)):
        book = _same_talents_book(order_a, order_b)
        matcher = Matcher(book)
        f = matcher.features
        block = score_block(f, [f.person_index["p0"], f.person_index["p1"]])
        assert block.place[0, 0] == block.place[1, 0]
        assert block.talents[0, 0] == block.talents[1, 0]
        for method in ("flow", "stable"):
            result = matcher.round(method)  # type: ignore[arg-type]
            # A full tie for the one slot: the lower id gets it, in both methods.
            assert [o.person_id for o in result.proposals] == ["p0"], method


def test_fits_go_to_the_nearest_point_of_the_grid() -> None:
    assert to_grid([0.123, 1 / 3, 2 / 3, 1.0, 0.0]).tolist() == [
        123_000_000,
        333_333_333,
        666_666_667,
        GRID,
        0,
    ]
    # Equal on paper, unequal in floating point: equal on the grid.
    assert to_grid([0.1 + 0.2])[0] == to_grid([0.3])[0]


def test_a_full_tie_for_one_slot_goes_to_the_lowest_index() -> None:
    for n in range(2, 9):
        result = max_fit_assignment(n, [1], list(range(n)), [0] * n, [0.5] * n)
        assert result.target.tolist() == [0] + [-1] * (n - 1)


def test_a_full_tie_between_places_goes_to_the_lower_place() -> None:
    for n in range(2, 9):
        result = max_fit_assignment(1, [1] * n, [0] * n, list(range(n))[::-1], [0.5] * n)
        assert result.target.tolist() == [0]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 10).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.integers(0, 2), min_size=3, max_size=3),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 2)), unique=True),
            st.lists(st.integers(0, 2), min_size=30, max_size=30),
        )
    )
)
def test_no_exchange_that_keeps_count_and_total_favours_a_lower_index(
    case: tuple[int, list[int], list[tuple[int, int]], list[int]],
) -> None:
    """After the flow, the documented tie rule leaves no exchange to make."""
    n, capacities, pairs, levels = case
    people = [p for p, _ in pairs]
    targets = [t for _, t in pairs]
    fits = [levels[i % len(levels)] / 2 for i in range(len(pairs))]  # few values: many ties
    result = max_fit_assignment(n, capacities, people, targets, fits)
    fit = {(p, t): f for p, t, f in zip(people, targets, fits, strict=True)}
    load = [0] * len(capacities)
    for t in result.target.tolist():
        if t >= 0:
            load[t] += 1
    for (p, t), f in fit.items():
        mine = int(result.target[p])
        if mine < 0:
            # Nobody with a higher index holds this place at the same fit.
            holders = [q for q in range(n) if result.target[q] == t and fit[(q, t)] == f]
            assert all(q < p for q in holders), (p, t, holders)
        elif t < mine and fit[(p, mine)] == f:
            assert load[t] >= capacities[t], (p, t, mine)


def test_the_sponsor_stage_maximises_value_not_the_number_linked() -> None:
    # One link worth 0.9 beats two worth 0.85 together.
    result = budgeted_assignment(2, [1, 1], [0, 0, 1], [0, 1, 0], [0.9, 0.05, 0.8])
    assert result.target.tolist() == [0, -1]
