"""The top-k per person gives exactly the straightforward answer, bit for bit.

:func:`~toolkit.matching.ranking.top_pairs` groups people by home and reach and keeps the k
best of each block as it goes. The oracle here is the straightforward computation: every pair
of every person scored in one block with no grouping, then sorted by score (descending) and
opportunity index. Ids, order and scores must be equal, not close.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.matching.generated import build, open_casebooks
from toolkit.casebook.casebook import Casebook
from toolkit.matching.features import build_features
from toolkit.matching.ranking import rank_block, top_pairs
from toolkit.matching.scores import best_sponsors, sponsor_scores

SETTINGS = settings(max_examples=60, deadline=None)


def wide_casebooks() -> st.SearchStrategy[Casebook]:
    """Casebooks with more places than options asked, so that pruning has work to do."""
    # Up to 24 people in three districts: blocks where people share their home, reach,
    # hours and days, so that the parts computed per class of people are exercised.
    return open_casebooks(24, 30)


def straightforward_top(
    book: Casebook, k: int, reach: np.ndarray, with_values: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    f = build_features(book)
    rows = np.arange(f.n_people)
    values = best_sponsors(f, sponsor_scores(f, rows))[1] if with_values else None
    cols = np.arange(f.n_opportunities)
    rank = rank_block(f, rows, cols, person_values=values, reach_km=reach)
    order = np.lexsort((np.broadcast_to(cols, rank.shape), -rank), axis=1)[:, :k]
    best = np.take_along_axis(rank, order, axis=1)
    found = np.where(np.isfinite(best), order, -1)
    padded_found = np.full((f.n_people, k), -1)
    padded_best = np.full((f.n_people, k), -np.inf)
    padded_found[:, : found.shape[1]] = found
    padded_best[:, : best.shape[1]] = best
    return rows, padded_found, padded_best, values


def check_top(
    book: Casebook, k: int, reach_choice: list[float], with_values: bool, block_size: int = 512
) -> None:
    f = build_features(book)
    reach = np.resize(np.asarray(reach_choice, dtype=np.float64), f.n_people)
    rows, expected_found, expected_scores, values = straightforward_top(book, k, reach, with_values)
    found, scores = top_pairs(
        f, rows, k, person_values=values, reach_km=reach, block_size=block_size
    )
    assert np.array_equal(found, expected_found)
    assert np.array_equal(scores, expected_scores)
    # The scores are on the grid: as stored, they are their own rounding.
    finite = np.isfinite(scores)
    assert np.array_equal(np.round(scores[finite], 9), scores[finite])


_PERSON = {
    "name": "Iemand",
    "birth_year": 1980,
    "district": "Almere Stad",
    "has_bsn": True,
    "situation": ["geen"],
    "talents": ["koken"],
    "wishes": {"causes": ["natuur"], "text": "tuin koken", "districts": ["Almere Stad"]},
    "status": "kandidaat",
}
_PLACE = {
    "organisation": "org",
    "title": "Plek",
    "description": "tuin koken",
    "talents_required": ["koken"],
    "causes": ["natuur"],
    "district": "Almere Stad",
    "slots": 1,
}


@SETTINGS
@given(
    wide_casebooks(),
    st.integers(1, 6),
    st.lists(st.sampled_from([float("nan"), 1.0, 4.0, 10.0, 50.0]), min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from([512, 3]),
)
@example(  # nothing within reach of anyone: top_pairs used to fail on the empty group
    build({"p0": {**_PERSON, "district": "Almere Haven"}}, {"o00": _PLACE}, {}),
    1,
    [1.0],
    False,
    512,
)
def test_the_top_k_is_the_straightforward_top_k(
    book: Casebook, k: int, reach: list[float], with_values: bool, block_size: int
) -> None:
    check_top(book, k, reach, with_values, block_size)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_full_ties_go_to_the_lower_index_as_in_the_straightforward_top_k(k: int) -> None:
    book = _tied_book()
    check_top(book, k, [float("nan"), 10.0], True)
    found, _scores = top_pairs(build_features(book), np.arange(2), 3)
    assert found.tolist() == [[0, 1, 2], [0, 1, 2]]


def _tied_book() -> Casebook:
    """Two people and five places that are equal in every respect."""
    return build({"p0": _PERSON, "p1": _PERSON}, {f"o{i}": _PLACE for i in range(5)}, {})
