"""The sponsor stage's grouping of interchangeable people: the same arrays as np.unique."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from toolkit.matching import assignment
from toolkit.matching.assignment import unique_rows

SETTINGS = settings(max_examples=200, deadline=None)

tables = st.integers(0, 6).flatmap(
    lambda n_cols: arrays(
        np.int64,
        st.tuples(st.integers(0, 40), st.just(n_cols)),
        elements=st.sampled_from([0, 1, 2, 3, -1, 10**9, 2**62, -(2**62)]),
    )
)


def expected(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    groups, inverse = np.unique(table, axis=0, return_inverse=True)
    return groups, inverse.reshape(-1)


@SETTINGS
@given(table=tables)
@example(table=np.array([[1, 0], [0, 1], [1, 0]], dtype=np.int64))
def test_unique_rows_is_np_unique(table: np.ndarray) -> None:
    groups, inverse = unique_rows(table)
    want_groups, want_inverse = expected(table)
    assert np.array_equal(groups, want_groups)
    assert np.array_equal(inverse, want_inverse)


@SETTINGS
@given(table=tables)
@example(table=np.array([[1, 0], [0, 1], [1, 0]], dtype=np.int64))
def test_hash_collisions_fall_back_to_np_unique(table: np.ndarray) -> None:
    # Every row hashes to its sum: [1, 0] and [0, 1] collide.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "_ROW_HASH", np.ones(4096, dtype=np.int64))
        groups, inverse = unique_rows(table)
    want_groups, want_inverse = expected(table)
    assert np.array_equal(groups, want_groups)
    assert np.array_equal(inverse, want_inverse)
