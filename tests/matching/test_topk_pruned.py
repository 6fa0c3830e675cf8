"""The k best with the text computed only where it can matter are the k best, bit for bit.

:func:`~toolkit.matching.topk_pruned.block_top_k` bounds every score by its text part at 0
and at 1 and computes the text only for the pairs whose upper bound reaches the k-th lower
bound of their row. Two oracles: :func:`~toolkit.matching.ranking.rank_block` on every pair
of the block, sorted by score (descending) and opportunity (the straightforward top-k, no
grouping, no pruning), and the same scorer's unpruned path on the same block. Both orders of
adding a product are run: the opportunity's (many n-grams, where the pruning works: forced
here by lowering the threshold between the two) and the person's (few, where every pair is
scored). The per-pair text must equal the full product's at every pair it is asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from tests.matching.generated import build
from tests.matching.test_top_pairs_oracle import _PERSON, _PLACE, wide_casebooks
from toolkit.casebook.casebook import Casebook
from toolkit.matching import scores, text_product
from toolkit.matching.features import Features, build_features
from toolkit.matching.group_scoring import GroupScorer
from toolkit.matching.ranking import rank_block, top_pairs
from toolkit.matching.topk_pruned import _every_pair, block_top_k

SETTINGS = settings(max_examples=80, deadline=None)
REACH = st.sampled_from([float("nan"), 1.0, 4.0, 10.0, 50.0])
VALUE = st.one_of(st.just(float("nan")), st.sampled_from([0.0, 0.25, 0.5, 1.0]))


def oracle(
    f: Features,
    k: int,
    cols: np.ndarray,
    values: np.ndarray | None,
    reach: np.ndarray | None,
    excluded: csr_matrix | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of every person against ``cols`` scored at once, sorted by score
    (descending), then opportunity (ascending): opportunity indices and scores, padded."""
    rows = np.arange(f.n_people)
    ordered = np.sort(cols)
    rank = rank_block(f, rows, ordered, excluded=excluded, person_values=values, reach_km=reach)
    order = np.lexsort((np.broadcast_to(ordered, rank.shape), -rank), axis=1)[:, :k]
    best = np.take_along_axis(rank, order, axis=1)
    found = np.where(np.isfinite(best), ordered[order], -1)
    padded_found = np.full((f.n_people, k), -1)
    padded_best = np.full((f.n_people, k), -np.inf)
    padded_found[:, : found.shape[1]] = found
    padded_best[:, : best.shape[1]] = np.where(np.isfinite(best), best, -np.inf)
    return padded_found, padded_best


def _excluded(pairs: list[tuple[int, int]], f: Features) -> csr_matrix | None:
    if not pairs:
        return None
    rows, cols = zip(*pairs, strict=True)
    return csr_matrix(
        (np.ones(len(pairs)), (np.asarray(rows), np.asarray(cols))),
        shape=(f.n_people, f.n_opportunities),
    )


def check_block(
    book: Casebook,
    many_features: bool,
    k: int,
    order: list[int],
    values: list[float] | None,
    reach: list[float] | None,
    excluded_pairs: list[tuple[int, int]],
    *,
    compiled: bool = False,
) -> None:
    """``compiled``: the compiled loops, with the tags added in the person's order (their
    vocabularies are tiny) and the text, with ``many_features``, in the place's."""
    with pytest.MonkeyPatch.context() as patch:
        if many_features:
            patch.setattr(scores, "_SMALL_VOCABULARY", 8 if compiled else 0)
        f = build_features(book)
        n = f.n_people
        cols = np.asarray([c for c in order if c < f.n_opportunities], dtype=np.int64)
        pv = None if values is None else np.resize(np.asarray(values), n)
        reach_km = None if reach is None else np.resize(np.asarray(reach), n)
        excluded = _excluded([(p % n, c % f.n_opportunities) for p, c in excluded_pairs], f)
        # Every column its own run of the prepared place text (no copy of the rows).
        patch.setattr(text_product, "_MAX_RUNS_PER_COLUMN", 1.0)
        if len(order) % 2:  # as with many n-grams: one person's wishes dense at a time
            patch.setattr(text_product, "_DENSE_ENTRIES", 1)
        scorer = GroupScorer(f, cols, excluded, compiled=compiled)
        assert scorer.compiled == compiled
        rows = np.arange(n)
        width = scorer.width(cols.size)
        pruned = (np.full((n, k), -1), np.full((n, k), -np.inf))
        every = (np.full((n, k), -1), np.full((n, k), -np.inf))
        block_top_k(scorer, rows, width, k, *pruned, person_values=pv, reach_km=reach_km)
        _every_pair(scorer, rows, width, k, *every, pv, reach_km)
        expected = oracle(f, k, scorer.cols[:width], pv, reach_km, excluded)
        assert np.array_equal(pruned[0], expected[0])
        assert np.array_equal(pruned[1], expected[1])
        assert np.array_equal(every[0], expected[0])
        assert np.array_equal(every[1], expected[1])
        if scorer.text is not None and width:
            # The text of single pairs, in any order, repeated: the full product's.
            full = scorer._text(rows, width)
            person, column = np.divmod(np.arange(n * width)[::-1], width)
            person, column = np.r_[person, person[:3]], np.r_[column, column[:3]]
            assert np.array_equal(scorer.text.pairs(rows, person, column), full[person, column])


@SETTINGS
@given(wide_casebooks(), st.data(), st.booleans())
def test_the_pruned_top_k_is_the_top_k_of_every_pair(
    book: Casebook, data: st.DataObject, many_features: bool
) -> None:
    n_people, n = len(book.people), len(book.opportunities)
    check_block(
        book,
        many_features,
        data.draw(st.integers(1, 8)),  # k above the width too
        data.draw(st.permutations(list(range(n)))),  # the group's order: not ascending
        data.draw(st.one_of(st.none(), st.lists(VALUE, min_size=1, max_size=n_people))),
        data.draw(st.one_of(st.none(), st.lists(REACH, min_size=1, max_size=4))),
        data.draw(st.lists(st.tuples(st.integers(0, n_people), st.integers(0, n)), max_size=8)),
    )


def _tied_book() -> Casebook:
    """Three people and six places equal in every respect but the text of two of them."""
    return build({f"p{i}": _PERSON for i in range(3)}, _tied_book_places(), {})


def _tied_book_places() -> dict[str, dict[str, Any]]:
    places = {f"o{i}": _PLACE for i in range(4)}
    places["o4"] = {**_PLACE, "description": "computer"}
    places["o5"] = {**_PLACE, "description": "tuin"}
    return places


@pytest.mark.parametrize("many_features", [False, True])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6, 9])
def test_full_ties_at_the_cut_off_go_to_the_lower_opportunity(k: int, many_features: bool) -> None:
    for order in ([5, 4, 3, 2, 1, 0], [2, 0, 5, 1, 4, 3]):
        check_block(_tied_book(), many_features, k, order, [0.5, float("nan")], None, [])
        check_block(_tied_book(), many_features, k, order, None, [float("nan")], [(1, 2)])


@SETTINGS
@given(
    wide_casebooks(),
    st.integers(1, 6),
    st.lists(REACH, min_size=1, max_size=4),
    st.sampled_from([512, 3]),
)
@example(_tied_book(), 2, [float("nan")], 2)
def test_top_pairs_with_many_n_grams_is_the_straightforward_top_k(
    book: Casebook, k: int, reach: list[float], block_size: int
) -> None:
    """top_pairs as a whole (groups by home and reach, blocks) on the pruned path."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "_SMALL_VOCABULARY", 0)
        f = build_features(book)
        reach_km = np.resize(np.asarray(reach), f.n_people)
        values = np.resize(np.asarray([0.3, float("nan"), 1.0]), f.n_people)
        found, best = top_pairs(
            f,
            np.arange(f.n_people),
            k,
            person_values=values,
            reach_km=reach_km,
            block_size=block_size,
        )
        expected = oracle(f, k, np.arange(f.n_opportunities), values, reach_km, None)
        assert np.array_equal(found, expected[0])
        assert np.array_equal(best, expected[1])
