"""Micro benchmark: the proposal round's assignment against networkx min-cost flow.

Run from the repository root::

    python -m benchmarks.bench_assignment            # networkx baseline at 1,000 x 500
    python -m benchmarks.bench_assignment --full-networkx   # also networkx at full size

Prints, in one run, the time of ``max_fit_assignment`` on 10,000 people x 5,000 places with
20 candidate places per person and 1-3 open slots per place, the same with scarce slots,
the sponsor stage, and networkx ``max_flow_min_cost`` on a smaller instance next to
``max_fit_assignment`` on that same instance, with the ratio. Both must agree on how many
are placed and on the total fit, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import networkx as nx
import numpy as np

from toolkit.matching.assignment import Assignment, budgeted_assignment, max_fit_assignment

T = TypeVar("T")


@dataclass(frozen=True)
class Round:
    n_people: int
    capacities: np.ndarray
    people: np.ndarray
    targets: np.ndarray
    units: np.ndarray  # fit in thousandths, so networkx can use exact integer costs

    @property
    def fits(self) -> np.ndarray:
        return self.units / 1000.0


def synthetic_round(
    n_people: int, n_targets: int, per_person: int, cap_low: int, cap_high: int, seed: int
) -> Round:
    rng = np.random.default_rng(seed)
    # Distinct targets per person without a Python loop: sort random keys per row.
    keys = rng.random((n_people, n_targets), dtype=np.float32)
    targets = np.argpartition(keys, per_person, axis=1)[:, :per_person].ravel()
    return Round(
        n_people=n_people,
        capacities=rng.integers(cap_low, cap_high + 1, n_targets),
        people=np.repeat(np.arange(n_people), per_person),
        targets=targets.astype(np.int64),
        units=rng.integers(0, 1001, n_people * per_person),
    )


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return result, best


def solve(r: Round) -> Assignment:
    return max_fit_assignment(r.n_people, r.capacities, r.people, r.targets, r.fits)


def networkx_round(r: Round) -> tuple[int, int]:
    """Placed count and total fit (thousandths) by networkx max-flow min-cost."""
    graph = nx.DiGraph()
    for p in range(r.n_people):
        graph.add_edge("s", ("p", p), capacity=1, weight=0)
    for t, cap in enumerate(r.capacities.tolist()):
        graph.add_edge(("t", t), "z", capacity=cap, weight=0)
    for p, t, u in zip(r.people.tolist(), r.targets.tolist(), r.units.tolist(), strict=True):
        graph.add_edge(("p", p), ("t", t), capacity=1, weight=1000 - u)
    flow = nx.max_flow_min_cost(graph, "s", "z")
    placed = sum(flow["s"][("p", p)] for p in range(r.n_people))
    total = sum(
        u
        for p, t, u in zip(r.people.tolist(), r.targets.tolist(), r.units.tolist(), strict=True)
        if flow[("p", p)][("t", t)]
    )
    return placed, total


def compare(r: Round, label: str) -> None:
    ours, t_ours = timed(lambda: solve(r), repeat=3)
    (nx_placed, nx_units), t_nx = timed(lambda: networkx_round(r))
    ours_units = int(r.units[ours.edge[ours.edge >= 0]].sum())
    if (ours.n_placed, ours_units) != (nx_placed, nx_units):
        raise SystemExit(
            f"disagreement on {label}: ours {ours.n_placed} placed, fit {ours_units}; "
            f"networkx {nx_placed}, {nx_units}"
        )
    print(f"{label}: networkx max_flow_min_cost {t_nx:7.2f} s")
    print(f"{label}: max_fit_assignment          {t_ours:7.2f} s  (same count and fit)")
    print(f"{label}: ratio networkx / ours       {t_nx / t_ours:7.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-networkx", action="store_true", help="networkx at full size too")
    args = parser.parse_args()

    big = synthetic_round(10_000, 5_000, 20, 1, 3, seed=1)
    result, elapsed = timed(lambda: solve(big), repeat=3)
    print(
        f"round 10,000 x 5,000, 20 edges/person, slots 1-3 ({int(big.capacities.sum())} slots): "
        f"{elapsed:.2f} s, {result.n_placed} placed"
    )

    scarce = synthetic_round(10_000, 5_000, 20, 0, 2, seed=2)
    result, elapsed = timed(lambda: solve(scarce), repeat=3)
    print(
        f"round 10,000 x 5,000, 20 edges/person, slots 0-2 ({int(scarce.capacities.sum())} slots): "
        f"{elapsed:.2f} s, {result.n_placed} placed"
    )

    sponsors = synthetic_round(10_000, 200, 5, 5, 60, seed=3)
    result, elapsed = timed(
        lambda: budgeted_assignment(
            sponsors.n_people,
            sponsors.capacities,
            sponsors.people,
            sponsors.targets,
            np.maximum(sponsors.units, 1) / 1000.0,
        ),
        repeat=3,
    )
    print(
        f"sponsor stage 10,000 people x 200 sponsors, 5 edges/person, budgets 5-60: "
        f"{elapsed:.2f} s, {result.n_placed} linked"
    )

    compare(synthetic_round(1_000, 500, 20, 1, 3, seed=4), "1,000 x 500")
    if args.full_networkx:
        compare(big, "10,000 x 5,000")


if __name__ == "__main__":
    main()
