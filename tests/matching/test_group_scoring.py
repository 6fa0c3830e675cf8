"""The group scorer gives rank_block's numbers bit for bit, and the round's edges are the
straightforward ones.

:class:`~toolkit.matching.group_scoring.GroupScorer` prepares a group's columns once, walks
tag products slot by slot, computes distance, hours and days per class of people and scores a
prefix of its columns. The oracle is :func:`~toolkit.matching.ranking.rank_block` on the same
rows and columns: equal, not close (a last-bit difference can move a fit across the rounding
grid). Both orders of adding a product are exercised: the person's (few features) and the
opportunity's (many), the latter by lowering the threshold between them for both.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from tests.matching.generated import build, open_casebooks
from toolkit.casebook.casebook import Casebook
from toolkit.matching import ranking, scores, text_product
from toolkit.matching.features import Features, build_features
from toolkit.matching.group_scoring import GroupScorer
from toolkit.matching.ranking import feasible_pairs, rank_block
from toolkit.matching.scores import _prepared, _Shape, best_sponsors, sponsor_scores

SETTINGS = settings(max_examples=60, deadline=None)
REACH = st.sampled_from([float("nan"), 1.0, 4.0, 10.0, 50.0])


def books() -> st.SearchStrategy[Casebook]:
    return open_casebooks(16, 20)


def _pairs(n_people: int, n_opportunities: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(
        st.tuples(st.integers(0, n_people - 1), st.integers(0, n_opportunities - 1)), max_size=6
    )


def _excluded(
    pairs: list[tuple[int, int]], n_people: int, n_opportunities: int
) -> csr_matrix | None:
    if not pairs:
        return None
    rows, cols = zip(*pairs, strict=True)
    return csr_matrix(
        (np.ones(len(pairs)), (np.asarray(rows), np.asarray(cols))),
        shape=(n_people, n_opportunities),
    )


def _sparse_book() -> Casebook:
    """A person with three talents (three terms to add), a place they share no n-gram
    with, and a full place."""
    person = {
        "name": "Iemand",
        "birth_year": 1980,
        "district": "Almere Stad",
        "has_bsn": True,
        "situation": ["geen"],
        # Added in this order, the talents part is 0.9999999999999999; sorted, it is 1.0.
        "talents": ["ict", "koken", "dieren"],
        "wishes": {"causes": ["natuur"], "text": "tuin", "districts": ["Almere Stad"]},
        "status": "kandidaat",
    }
    place = {"organisation": "org", "title": "Plek", "district": "Almere Haven", "slots": 1}
    return build(
        {"p0": person},
        {
            "o00": {
                **place,
                "description": "computer",
                "talents_required": ["koken"],
                "talents_desired": ["ict", "dieren"],
                "causes": ["natuur"],
            },
            "o01": {**place, "description": "tuin", "slots": 0},
        },
        {},
    )


def check_scorer(
    book: Casebook,
    many_features: bool,
    cols: list[int],
    rows: list[int],
    reach: list[float] | None,
    with_values: bool,
    excluded_pairs: list[tuple[int, int]],
    given_width: int,
    *,
    compiled: bool = False,
    small_vocabulary: int | None = None,
) -> None:
    """``compiled``: the scorer's compiled loops (which need every tag product in the
    person's order); ``small_vocabulary``: where the two orders of adding split."""
    with pytest.MonkeyPatch.context() as patch:
        if many_features:
            # Every product adds in the opportunity's stored order, as text n-grams do.
            patch.setattr(scores, "_SMALL_VOCABULARY", 0)
        if small_vocabulary is not None:
            patch.setattr(scores, "_SMALL_VOCABULARY", small_vocabulary)
        f = build_features(book)
        c = np.asarray(cols, dtype=np.int64)
        r = np.asarray(rows, dtype=np.int64)
        reach_km = None if reach is None else np.asarray(reach)
        values = best_sponsors(f, sponsor_scores(f, r))[1] if with_values else None
        excluded = _excluded(excluded_pairs, f.n_people, f.n_opportunities)
        # The place text as runs of the rows prepared once per features, however many (one
        # per column when the columns follow neither order), and as a copy of the rows.
        # With many n-grams, a few people's wishes at a time (here: one, and two).
        for runs_per_column, dense in ((1.0, text_product._DENSE_ENTRIES), (0.0, 1), (1.0, 60)):
            patch.setattr(text_product, "_MAX_RUNS_PER_COLUMN", runs_per_column)
            patch.setattr(text_product, "_DENSE_ENTRIES", dense)
            scorer = GroupScorer(f, c, excluded, compiled=compiled)
            assert scorer.compiled == compiled
            check_one(f, scorer, c, r, given_width, values, reach_km, excluded)


def check_one(
    f: Features,
    scorer: GroupScorer,
    c: np.ndarray,
    r: np.ndarray,
    given_width: int,
    values: np.ndarray | None,
    reach_km: np.ndarray | None,
    excluded: csr_matrix | None,
) -> None:
    width = scorer.width(given_width)
    assert width == int((f.open_slots[c[:given_width]] > 0).sum())
    fast = scorer.rank(r, width=width, person_values=values, reach_km=reach_km)
    columns = scorer.columns(width)
    assert np.all(np.diff(columns) > 0)
    assert set(columns.tolist()) == {x for x in c[:given_width].tolist() if f.open_slots[x] > 0}
    expected = rank_block(f, r, columns, excluded=excluded, person_values=values, reach_km=reach_km)
    assert fast.shape == expected.shape
    assert np.array_equal(fast, expected, equal_nan=True)
    # The products before any rounding, in the scorer's own column order: the same sums
    # as the sparse products of the detailed scoring.
    shape = _Shape(f, r, scorer.cols[:width], True)
    prep = _prepared(f)
    for mine, left, right in (
        (scorer.talents(r, width), f.person_talents, prep.talent_coef),
        (scorer.causes(r, width), f.person_causes, f.opportunity_causes),
        (scorer.needs(r, width), f.person_needs, f.opportunity_offers),
        (scorer._text(r, width), f.wish_text, f.place_text),
    ):
        assert np.array_equal(mine, shape.product(left, right))
    district = np.minimum(shape.product(f.person_wished, prep.opportunity_place), 1.0)
    assert np.array_equal(scorer._district(r, width), district)


@pytest.mark.parametrize("many_features", [False, True])
def test_three_terms_no_common_n_gram_and_a_full_place(many_features: bool) -> None:
    check_scorer(_sparse_book(), many_features, [1, 0], [0, 0], [50.0, 1.0], True, [], 2)
    check_scorer(_sparse_book(), many_features, [0, 1], [0], None, False, [(0, 0)], 2)


@SETTINGS
@given(books(), st.data(), st.booleans())
def test_the_group_scorer_equals_rank_block_bit_for_bit(
    book: Casebook, data: st.DataObject, many_features: bool
) -> None:
    n_people, n = len(book.people), len(book.opportunities)
    cols = data.draw(st.permutations(list(range(n))).map(lambda p: p[: max(1, len(p) - 2)]))
    rows = data.draw(st.lists(st.integers(0, n_people - 1), min_size=1, max_size=12))
    reach = data.draw(st.one_of(st.none(), st.lists(REACH, min_size=len(rows), max_size=len(rows))))
    check_scorer(
        book,
        many_features,
        cols,
        rows,
        reach,
        data.draw(st.booleans()),
        data.draw(_pairs(n_people, n)),
        data.draw(st.integers(0, len(cols))),
    )


@SETTINGS
@given(books(), st.lists(REACH, min_size=1, max_size=4), st.data())
def test_the_edges_are_every_feasible_pair_within_reach_in_order(
    book: Casebook, reach_choice: list[float], data: st.DataObject
) -> None:
    f = build_features(book)
    rows = np.arange(f.n_people)
    reach = np.resize(np.asarray(reach_choice), rows.size)
    excluded = _excluded(
        data.draw(_pairs(f.n_people, f.n_opportunities)), f.n_people, f.n_opportunities
    )
    people, targets, fits = feasible_pairs(
        f, rows, excluded=excluded, reach_km=reach, block_size=data.draw(st.sampled_from([512, 2]))
    )
    rank = rank_block(f, rows, np.arange(f.n_opportunities), excluded=excluded, reach_km=reach)
    local, at = np.nonzero(np.isfinite(rank))
    assert np.array_equal(people, local.astype(np.int32))
    assert np.array_equal(targets, at.astype(np.int32))
    assert np.array_equal(fits, np.clip(rank[local, at], 0.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(st.data(), st.integers(0, 12))
def test_the_edges_are_put_in_person_order_as_a_stable_sort_would(
    data: st.DataObject, n_rows: int
) -> None:
    """The round's edges leave the blocks one run per person (some empty, some people in no
    block at all), the blocks in any order of people; put in person order they must be what a
    stable sort of all the edges by person gives, each person's edges in their own order."""
    positions = data.draw(st.permutations(list(range(n_rows))))
    positions = positions[: data.draw(st.integers(0, n_rows))]  # the rest: in no block
    cuts = sorted(data.draw(st.lists(st.integers(0, len(positions)), max_size=4)))
    blocks = [positions[i:j] for i, j in zip([0, *cuts], [*cuts, len(positions)], strict=True)]
    parts = []
    edges: list[tuple[int, int, float]] = []  # (person, target, fit) as the blocks give them
    for block in blocks:
        lengths = [data.draw(st.integers(0, 4)) for _ in block]
        runs = [
            (p, 100 * p + k, p + k / 10)
            for p, n in zip(block, lengths, strict=True)
            for k in range(n)
        ]
        edges += runs
        parts.append(
            (
                np.asarray(block, dtype=np.int64),
                np.asarray(lengths, dtype=np.int64),
                np.asarray([t for _p, t, _f in runs], dtype=np.int32),
                np.asarray([f for _p, _t, f in runs], dtype=np.float64),
            )
        )
    people, targets, fits = ranking._in_person_order(parts, n_rows)
    assert parts == []  # every part freed once written
    expected = sorted(edges, key=lambda edge: edge[0])  # stable: a person's own order kept
    assert people.dtype == targets.dtype == np.int32
    assert people.tolist() == [p for p, _t, _f in expected]
    assert targets.tolist() == [t for _p, t, _f in expected]
    assert fits.tolist() == [f for _p, _t, f in expected]
