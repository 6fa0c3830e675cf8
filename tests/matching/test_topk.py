"""Block-wise top-k against a plain sort of the whole matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import sparse

from toolkit.matching.topk import top_k_blocks

# Few distinct values so that ties, including ties at the cut-off, are common.
SCORES = st.sampled_from([-np.inf, 0.0, 0.25, 0.5, 1.0])


def _expected(matrix: np.ndarray, k: int) -> tuple[list[list[int]], list[list[float]]]:
    indices, scores = [], []
    for row in matrix:
        ranked = sorted((-v, c) for c, v in enumerate(row.tolist()) if v > -np.inf)[:k]
        pad = k - len(ranked)
        indices.append([c for _, c in ranked] + [-1] * pad)
        scores.append([-v for v, _ in ranked] + [-np.inf] * pad)
    return indices, scores


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, int, int]:
    n_rows = draw(st.integers(0, 20))
    n_cols = draw(st.integers(0, 12))
    matrix = draw(hnp.arrays(np.float64, (n_rows, n_cols), elements=SCORES))
    return matrix, draw(st.integers(0, 7)), draw(st.integers(1, 8))


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(["dense", "mask", "sparse", "float32"]))
def test_matches_a_full_sort_with_ties_by_column(
    problem: tuple[np.ndarray, int, int], mode: str
) -> None:
    matrix, k, block_size = problem
    calls: list[tuple[int, int]] = []

    def block(start: int, stop: int) -> object:
        calls.append((start, stop))
        part = matrix[start:stop]
        if mode == "mask":
            feasible = part > -np.inf
            return np.where(feasible, part, 0.75), feasible
        if mode == "sparse":
            stored = part > -np.inf
            rows, cols = np.nonzero(stored)
            # Explicit zeros are stored entries, so they stay candidates.
            return sparse.csr_matrix((part[rows, cols], (rows, cols)), shape=part.shape)
        if mode == "float32":
            return part.astype(np.float32)
        return part

    indices, scores = top_k_blocks(block, matrix.shape[0], k, block_size)
    want_indices, want_scores = _expected(matrix, k)
    assert indices.tolist() == want_indices
    assert scores.tolist() == want_scores
    assert all(stop - start <= block_size for start, stop in calls)
    if k:
        covered = [r for start, stop in calls for r in range(start, stop)]
        assert covered == list(range(matrix.shape[0]))


def test_ties_at_the_cut_off_go_to_the_lowest_columns() -> None:
    row = np.array([[0.5, 0.9, 0.5, 0.5, 0.1, 0.5]])
    indices, scores = top_k_blocks(lambda a, b: row[a:b], 1, 3, 1)
    assert indices.tolist() == [[1, 0, 2]]
    assert scores.tolist() == [[0.9, 0.5, 0.5]]


def test_sparse_absent_entries_are_not_candidates() -> None:
    block = sparse.csr_matrix(np.array([[0.0, 0.3, 0.0], [0.0, 0.0, 0.0]]))
    indices, scores = top_k_blocks(lambda a, b: block[a:b], 2, 2, 10)
    assert indices.tolist() == [[1, -1], [-1, -1]]
    assert scores[0, 0] == pytest.approx(0.3)


def test_same_input_same_output() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.integers(0, 4, size=(500, 300)).astype(np.float64)
    first = top_k_blocks(lambda a, b: matrix[a:b], 500, 10, 64)
    again = top_k_blocks(lambda a, b: matrix[a:b], 500, 10, 37)
    assert np.array_equal(first[0], again[0])
    assert np.array_equal(first[1], again[1])


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (np.array([[np.nan, 1.0]]), "NaN"),
        (np.array([[np.inf, 1.0]]), r"\+inf"),
        (np.array([[1.0, 2.0], [3.0, 4.0]]), "1 rows"),
        ((np.array([[1.0, 2.0]]), np.array([True])), "mask"),
    ],
)
def test_bad_blocks_are_refused(block: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        top_k_blocks(lambda a, b: block, 1, 1, 1)


def test_blocks_of_changing_width_are_refused() -> None:
    with pytest.raises(ValueError, match="columns"):
        top_k_blocks(lambda a, b: np.zeros((b - a, 3 + a)), 2, 1, 1)
