"""The compiled loops give the numpy path's numbers, bit for bit.

:mod:`toolkit.matching.pair_kernel` scores pair by pair what
:class:`~toolkit.matching.group_scoring.GroupScorer` scores array by array. The oracles are
the same as for the numpy path: :func:`~toolkit.matching.ranking.rank_block` on every pair
(scores, edges) and the straightforward top-k sorted from it. The three ways the loops run
are each held to them: a whole block (``rank``, and the text of few or of many n-grams), the
top-k with bounds and the text summed in the loop, and the round's edges.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.matching import test_group_scoring as scoring
from tests.matching import test_topk_pruned as pruned
from tests.matching.generated import DISTRICTS, build
from tests.matching.test_top_pairs_oracle import wide_casebooks
from toolkit.casebook.casebook import Casebook
from toolkit.matching import group_scoring, ranking, scores
from toolkit.matching.features import build_features
from toolkit.matching.group_scoring import GroupScorer, compiled_wanted
from toolkit.matching.ranking import feasible_pairs, rank_block, top_pairs

pytest.importorskip("numba", reason="the compiled loops need numba (pip install '.[fast]')")

SETTINGS = settings(max_examples=60, deadline=None)
#: Tags (at most 4 of a kind in the generated casebooks) in the person's order, the text
#: (about a hundred n-grams) in the place's: the split a country-wide casebook has.
SPLIT = 8


@SETTINGS
@given(scoring.books(), st.data(), st.sampled_from([None, SPLIT]))
def test_the_compiled_scorer_equals_rank_block_bit_for_bit(
    book: Casebook, data: st.DataObject, small_vocabulary: int | None
) -> None:
    n_people, n = len(book.people), len(book.opportunities)
    cols = data.draw(st.permutations(list(range(n))).map(lambda p: p[: max(1, len(p) - 2)]))
    rows = data.draw(st.lists(st.integers(0, n_people - 1), min_size=1, max_size=12))
    reach = data.draw(
        st.one_of(st.none(), st.lists(scoring.REACH, min_size=len(rows), max_size=len(rows)))
    )
    scoring.check_scorer(
        book,
        False,
        cols,
        rows,
        reach,
        data.draw(st.booleans()),
        data.draw(scoring._pairs(n_people, n)),
        data.draw(st.integers(0, len(cols))),
        compiled=True,
        small_vocabulary=small_vocabulary,
    )


@pytest.mark.parametrize("small_vocabulary", [None, SPLIT])
def test_three_terms_no_common_n_gram_and_a_full_place(small_vocabulary: int | None) -> None:
    book = scoring._sparse_book()
    split = {"compiled": True, "small_vocabulary": small_vocabulary}
    scoring.check_scorer(book, False, [1, 0], [0, 0], [50.0, 1.0], True, [], 2, **split)
    scoring.check_scorer(book, False, [0, 1], [0], None, False, [(0, 0)], 2, **split)


def _over_one_book() -> Casebook:
    """A person who has everything a place asks: in floating point the talents part
    (4 required, 3 desired, added in stored order) and the causes part (3 of 3) both come
    to 1.0000000000000002, and are capped to 1. (Left uncapped, the score moves by one unit
    in the last place, which the grid of 9 decimals rounds away: no test can tell, short
    of a score that lands exactly between two grid points.)"""
    talents = ["koken", "tuinieren", "dieren", "ict", "fietsen", "schilderen", "zingen"]
    causes = ["ouderen", "natuur", "voedsel"]
    person = {
        **pruned._PERSON,
        "talents": talents,
        "wishes": {"causes": causes, "text": "tuin", "districts": ["Almere Stad"]},
    }
    place = {
        **pruned._PLACE,
        "talents_required": ["koken", "tuinieren", "dieren", "zingen"],
        "talents_desired": ["ict", "fietsen", "schilderen"],
        "causes": causes,
    }
    return build({"p0": person, "p1": pruned._PERSON}, {"o00": place, "o01": pruned._PLACE}, {})


@pytest.mark.parametrize("compiled", [False, True])
def test_parts_over_one_in_floating_point_are_capped(compiled: bool) -> None:
    book = _over_one_book()
    scorer = GroupScorer(build_features(book), np.arange(2))
    assert scorer.talents(np.arange(1), 1)[0, 0] > 1.0  # what the cap is for
    assert scorer.causes(np.arange(1), 1)[0, 0] > 1.0
    for rows in ([0, 1], [1, 0, 0]):
        scoring.check_scorer(book, False, [0, 1], rows, None, True, [], 2, compiled=compiled)


def _no_wishes_book() -> Casebook:
    """Someone without a single wish part that counts (no causes, text, districts, travel,
    hours or days: the count of wish parts is 0, and is divided by as 1), and a place that
    asks no talents (no part counts at all: the score is 0)."""
    nothing = {**pruned._PERSON, "talents": [], "wishes": {}}
    places = {"o00": pruned._PLACE, "o01": {**pruned._PLACE, "talents_required": []}}
    return build({"p0": nothing, "p1": pruned._PERSON}, places, {})


@pytest.mark.parametrize("small_vocabulary", [None, SPLIT])
def test_a_person_without_any_wish_part(small_vocabulary: int | None) -> None:
    book = _no_wishes_book()
    split = {"compiled": True, "small_vocabulary": small_vocabulary}
    for values in (False, True):
        scoring.check_scorer(book, False, [0, 1], [0, 1], None, values, [], 2, **split)
    for k in (1, 2):
        pruned.check_block(book, True, k, [1, 0], None, None, [], compiled=True)


@SETTINGS
@given(wide_casebooks(), st.data())
def test_the_compiled_top_k_is_the_top_k_of_every_pair(book: Casebook, data: st.DataObject) -> None:
    n_people, n = len(book.people), len(book.opportunities)
    pruned.check_block(
        book,
        True,  # the text over many n-grams: the top-k with bounds, summed in the loop
        data.draw(st.integers(1, 8)),
        data.draw(st.permutations(list(range(n)))),
        data.draw(st.one_of(st.none(), st.lists(pruned.VALUE, min_size=1, max_size=n_people))),
        data.draw(st.one_of(st.none(), st.lists(pruned.REACH, min_size=1, max_size=4))),
        data.draw(st.lists(st.tuples(st.integers(0, n_people), st.integers(0, n)), max_size=8)),
        compiled=True,
    )


@pytest.mark.parametrize("many_features", [False, True])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6, 9])
def test_full_ties_at_the_cut_off_go_to_the_lower_opportunity(k: int, many_features: bool) -> None:
    book = pruned._tied_book()
    for order in ([5, 4, 3, 2, 1, 0], [2, 0, 5, 1, 4, 3]):
        pruned.check_block(
            book, many_features, k, order, [0.5, float("nan")], None, [], compiled=True
        )
        pruned.check_block(
            book, many_features, k, order, None, [float("nan")], [(1, 2)], compiled=True
        )


@SETTINGS
@given(
    wide_casebooks(),
    st.integers(1, 6),
    st.lists(pruned.REACH, min_size=1, max_size=4),
    st.sampled_from([512, 3]),
)
@example(pruned._tied_book(), 2, [float("nan")], 2)
def test_compiled_top_pairs_is_the_straightforward_top_k(
    book: Casebook, k: int, reach: list[float], block_size: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "_SMALL_VOCABULARY", SPLIT)
        if block_size == 3:  # a group's rows in calls of a few rows each
            patch.setattr(ranking, "_COMPILED_ENTRIES", 40)
        patch.setattr(ranking, "_cores", lambda: 3)  # groups in threads, whatever the machine
        f = build_features(book)
        reach_km = np.resize(np.asarray(reach), f.n_people)
        values = np.resize(np.asarray([0.3, float("nan"), 1.0]), f.n_people)
        rows = np.arange(f.n_people)
        found, best = top_pairs(
            f, rows, k, person_values=values, reach_km=reach_km, block_size=block_size,
            compiled=True,
        )  # fmt: skip
        expected = pruned.oracle(f, k, np.arange(f.n_opportunities), values, reach_km, None)
        assert np.array_equal(found, expected[0])
        assert np.array_equal(best, expected[1])


@SETTINGS
@given(scoring.books(), st.lists(scoring.REACH, min_size=1, max_size=4), st.data())
def test_the_compiled_edges_are_every_feasible_pair_within_reach_in_order(
    book: Casebook, reach_choice: list[float], data: st.DataObject
) -> None:
    f = build_features(book)
    rows = np.arange(f.n_people)
    reach = np.resize(np.asarray(reach_choice), rows.size)
    excluded = scoring._excluded(
        data.draw(scoring._pairs(f.n_people, f.n_opportunities)), f.n_people, f.n_opportunities
    )
    block_size = data.draw(st.sampled_from([512, 2]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "_cores", lambda: 3)  # groups in threads, whatever the machine
        people, targets, fits = feasible_pairs(
            f, rows, excluded=excluded, reach_km=reach, block_size=block_size, compiled=True
        )
    rank = rank_block(f, rows, np.arange(f.n_opportunities), excluded=excluded, reach_km=reach)
    local, at = np.nonzero(np.isfinite(rank))
    assert people.dtype == targets.dtype == np.int32
    assert np.array_equal(people, local.astype(np.int32))
    assert np.array_equal(targets, at.astype(np.int32))
    assert np.array_equal(fits, np.clip(rank[local, at], 0.0, 1.0))


@pytest.mark.parametrize("compiled", [False, True])
def test_a_score_that_bounds_nothing_is_refused_on_both_paths(compiled: bool) -> None:
    """An infinite values fit makes every bound +inf: the loops decide nothing, and the
    pair-by-pair path refuses the score, as the numpy path does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "_SMALL_VOCABULARY", SPLIT)
        f = build_features(pruned._tied_book())
        values = np.full(f.n_people, np.inf)
        with pytest.raises(ValueError, match="NaN or \\+inf"):
            top_pairs(f, np.arange(f.n_people), 2, person_values=values, compiled=compiled)


@pytest.mark.parametrize("compiled", [False, True])
def test_a_refused_score_in_a_group_scored_in_a_thread_reaches_the_caller(compiled: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "_SMALL_VOCABULARY", SPLIT)
        patch.setattr(ranking, "_cores", lambda: 2)
        homes = list(DISTRICTS)  # three homes: three groups, scored in threads
        people = {f"p{i}": {**pruned._PERSON, "district": homes[i % 3]} for i in range(6)}
        f = build_features(build(people, pruned._tied_book_places(), {}))
        reach = np.full(f.n_people, 30.0)
        values = np.full(f.n_people, np.inf)
        with pytest.raises(ValueError, match="NaN or \\+inf"):
            top_pairs(
                f, np.arange(f.n_people), 2, person_values=values, reach_km=reach,
                compiled=compiled,
            )  # fmt: skip


def test_groups_in_threads_keep_their_order_and_their_errors() -> None:
    groups = [ranking._ReachGroup(np.arange(n), []) for n in range(40)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "_cores", lambda: 4)
        assert ranking._each(lambda g: g.cols.size, groups, True) == list(range(40))
        threads: set[str] = set()

        def where(group: ranking._ReachGroup) -> None:
            threads.add(threading.current_thread().name)
            if group.cols.size == 39:
                raise KeyError("the last group")

        with pytest.raises(KeyError, match="the last group"):
            ranking._each(where, groups, True)
        assert all(name.startswith("burgerbaan-group") for name in threads)
        threads.clear()
        ranking._each(where, groups[:39], False)  # the numpy path: one thread
        assert threads == {threading.current_thread().name}

        # After an error the groups not yet started are dropped (Executor.map cancels them): a
        # search that fails, or is interrupted, in its first group does not score the whole
        # country first.
        started: list[int] = []

        def first_fails(group: ranking._ReachGroup) -> None:
            started.append(group.cols.size)
            if group.cols.size == 0:
                raise KeyError("the first group")
            time.sleep(0.05)

        with pytest.raises(KeyError, match="the first group"):
            ranking._each(first_fails, groups, True)
        assert len(started) < len(groups) / 2


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity")
def test_as_many_threads_as_the_process_may_use_cores() -> None:
    # In a process of its own: limiting this one would slow every test after it.
    script = (
        "import os; from toolkit.matching import ranking; "
        "print(ranking._cores()); os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "print(ranking._cores())"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(os.sched_getaffinity(0))), "1"]


def test_the_loops_are_used_for_large_searches_when_numba_is_there() -> None:
    f = build_features(pruned._tied_book())
    assert compiled_wanted(f, 10**9, True) and not compiled_wanted(f, 10**9, False)
    assert not compiled_wanted(f, 3, None)  # 3 people × 6 places: not worth loading them
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(group_scoring, "COMPILED_FROM_PAIRS", 18)
        assert compiled_wanted(f, 3, None)
        assert not compiled_wanted(f, 2, None)


def test_the_loops_are_not_used_where_a_tag_product_adds_in_the_places_order() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "_SMALL_VOCABULARY", 0)
        f = build_features(pruned._tied_book())
        scorer = GroupScorer(f, np.arange(f.n_opportunities), compiled=True)
        assert not scorer.compiled
