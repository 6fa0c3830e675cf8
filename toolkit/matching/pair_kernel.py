"""Compiled loops for a reach group's scores: every pair's score in one pass, no 2-D
temporaries.

:class:`~toolkit.matching.group_scoring.GroupScorer` builds a block's score from a few dozen
array operations, each a pass over rows × columns floats; at country scale that is most of
the time. Here the same operations run pair by pair in a loop compiled by numba, reading the
same prepared tables (the tag tables, the per-class distance and hours parts; the days part
is counted in the loop), so a pair costs a few dozen floating-point operations and nothing is
written but the result.

The numbers are the same, bit for bit: each pair gets the same operations on the same
operands in the same order as in ``GroupScorer.parts`` and ``RankParts.finish`` (no fused
multiply-add: numba does not contract without ``fastmath``; division by zero as numpy does
it: ``error_model="numpy"``). A property test holds the two equal.

One loop (:func:`_run`) scores a whole block (:func:`score_block`), writes the round's edges
(:func:`edges`), or finds each row's k best (:func:`top_k`) as
:func:`toolkit.matching.topk_pruned.block_top_k` does. It holds the pair's arithmetic twice,
and both copies must change together: column by column for the top-k's lower bounds (the
score with a text part of 0, and what a text part of 1 can add), and pair by pair for every
exact score. The top-k takes the k-th largest lower bound as a threshold and sums the text,
as :class:`~toolkit.matching.text_product.TextProduct` sums it, only for the pairs whose bound
reaches it, best bound first, until the k-th best exact score lies above the next bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numba
import numpy as np

from toolkit.matching.scores import FloatArray, IntArray

if TYPE_CHECKING:
    from toolkit.matching.pair_arguments import Arguments
    from toolkit.matching.text_product import TextProduct

__all__ = ["edges", "score_block", "top_k"]

_F = TypeVar("_F", bound=Callable[..., Any])

_BLOCK, _TOP_K, _EDGES = 0, 1, 2
#: Where the person side of the arguments holds an array with one value per row.
_PER_ROW = 8
#: Two half steps of the grid of 9 decimals, and more.
_SLACK = 2e-9


def _jit(fn: _F) -> _F:
    # cache: compiled once per installation, not once per process.
    return cast(_F, numba.njit(cache=True, nogil=True, error_model="numpy")(fn))


def _inline(fn: _F) -> _F:
    # Inlined into the loop: a call would pass (and count references to) its arrays.
    return cast(_F, numba.njit(inline="always", error_model="numpy")(fn))


@_inline
def _finish(
    causes: float,
    text: float,
    district: float,
    distance: float,
    hours: float,
    days: float,
    counted: float,
    w_wishes: float,
    talents: float,
    values: float,
    has_values: bool,
    denominator: float,
    positive: bool,
) -> float:
    """``RankParts.finish`` for one pair, without marking it infeasible."""
    rank = causes + text
    rank += district
    rank += distance
    rank += hours
    rank += days
    rank /= counted
    rank *= w_wishes
    rank += talents
    if has_values:
        rank += values
    rank /= denominator
    if not positive:
        rank = 0.0
    # np.round(x, 9): times 10**9, to the nearest even integer, divided by 10**9.
    return float(np.rint(rank * 1e9) / 1e9)


@_inline
def _text_part(product: float, text_full: float) -> float:
    """``np.minimum(product / TEXT_FULL, 1.0)``: NaN stays NaN."""
    part = product / text_full
    return 1.0 if part > 1.0 else part


@_jit
def _slot_sums(
    tags: IntArray,
    values: FloatArray,
    i: int,
    table: FloatArray,
    sentinel: int,
    width: int,
    out: FloatArray,
) -> None:
    """Row i's tag product with each of the first ``width`` columns into ``out``: value ×
    table entry over the stored tags, slot by slot (GroupScorer's _slots_times)."""
    if tags.shape[1] == 0 or tags[i, 0] == sentinel:
        for j in range(width):
            out[j] = 0.0
        return
    tag = tags[i, 0]
    value = values[i, 0]
    for j in range(width):
        out[j] = table[tag, j] * value
    for s in range(1, tags.shape[1]):
        tag = tags[i, s]
        if tag == sentinel:
            break  # slots fill from the left
        value = values[i, s]
        for j in range(width):
            out[j] = out[j] + table[tag, j] * value


@_jit
def _run(
    mode: int,
    widths: IntArray,
    k: int,
    person: tuple[Any, ...],
    place: tuple[Any, ...],
    classes: tuple[Any, ...],
    text: tuple[Any, ...],
    weights: FloatArray,
    order: IntArray,
    scores: FloatArray,
    found: IntArray,
    counts: IntArray,
) -> bool:
    """The one loop over a block's pairs.

    Row i is scored against the first ``widths[i]`` columns.

    ``_BLOCK``: every pair of rows × ``width`` into ``scores``, ``-inf`` where infeasible,
    with the text products ``text[0]`` (rows × width; no rows: no text).
    ``_TOP_K``: per row the k best columns, best first, ties to the lower opportunity
    (``place[7]``), into ``found`` (opportunities) and ``scores`` (rows × k, which start
    as -1 and -inf); the text summed here. Returns True, deciding nothing, when the bound
    of a feasible pair is NaN or +inf: then the caller scores every pair the slow way.
    ``_EDGES``: as ``_BLOCK``, but only the pairs with a finite score are written, row after
    row, each row's columns in the given ``order``: the opportunity into ``found[0]``, the
    score clipped to [0, 1] into ``scores[0]``, and per row how many into ``counts``.
    """
    # Unpacked once: taking an array out of a tuple counts a reference.
    (
        t_tags,
        t_values,
        c_tags,
        c_values,
        n_tags,
        n_values,
        n_needs,
        wished,
        per_row,
        values_part,
        values_counted,
        class_d,
        class_h,
        my_days,
        excluded,
    ) = person
    (
        t_table,
        c_table,
        n_table,
        talents_counted,
        place_local,
        their_days,
        popcount,
        opportunity,
    ) = place
    d_part, d_known, d_beyond, h_part, h_known, h_few = classes
    products, w_indptr, w_numbers, w_data, p_indptr, p_indices, p_data, p_row, dense = text
    w_talents = weights[0]
    w_wishes = weights[1]
    w_values = weights[2]
    text_full = weights[3]
    has_values = values_part.shape[0] > 0
    has_products = products.shape[0] > 0
    has_beyond = d_beyond.shape[0] > 0
    has_excluded = excluded.shape[0] > 0
    n_rows = per_row.shape[0]
    # A tag product adds value × table entry over the person's stored tags, slot by slot,
    # as GroupScorer's _slots_times does (its zero terms, for the padding, change nothing).
    # Written out three times below: a helper taking the arrays would be far slower.
    t_sentinel = t_table.shape[0] - 1
    c_sentinel = c_table.shape[0] - 1
    n_sentinel = n_table.shape[0] - 1
    top_k = mode == _TOP_K
    widest = widths.max() if widths.size else 0
    low = np.empty(widest if top_k else 0)
    slack = np.empty(widest if top_k else 0)
    chosen = np.empty(widest if top_k else 0, dtype=np.int64)
    feasible = np.empty(widest if top_k else 0, dtype=np.int64)
    upper = np.empty(widest if top_k else 0)
    ordered = np.empty(widest if top_k else 0, dtype=np.int64)
    ordered_upper = np.empty(widest if top_k else 0)
    best = np.empty(max(k, 1))
    n_written = 0
    # Top-k, per row: the bounds of every pair, column by column in straight loops (no
    # branch to mispredict: half the pairs are infeasible, in no order), then the exact
    # score of the chosen pairs only, one by one.
    talents_all = np.empty(widest if top_k else 0)
    causes_all = np.empty(widest if top_k else 0)
    offered_all = np.empty(widest if top_k else 0)
    counted_as = np.empty(talents_counted.shape[0] if top_k else 0)
    for j in range(counted_as.shape[0]):
        counted_as[j] = 1.0 if talents_counted[j] else 0.0
    n_written = 0
    for i in range(n_rows):
        width = widths[i]
        cd = class_d[i]
        ch = class_h[i]
        mine = my_days[i]
        my_count = popcount[mine]
        row_values = values_part[i] if has_values else 0.0
        denominator_values = w_values * (1.0 if values_counted[i] else 0.0) if has_values else 0.0
        n_chosen = 0
        n_edges = 0
        if top_k:
            # The person's wishes, dense over the people's n-grams (TextProduct._wishes).
            for at in range(w_indptr[i], w_indptr[i + 1]):
                dense[w_numbers[at]] = w_data[at]
            # The tag products, a slot at a time over every column: the same sums.
            _slot_sums(t_tags, t_values, i, t_table, t_sentinel, width, talents_all)
            _slot_sums(c_tags, c_values, i, c_table, c_sentinel, width, causes_all)
            needy = n_needs[i] > 0
            if needy:
                _slot_sums(n_tags, n_values, i, n_table, n_sentinel, width, offered_all)
            # Which columns are feasible, as a list (written whatever the answer: no branch
            # to mispredict, half the pairs are infeasible, in no order) ...
            n_feasible = 0
            for j in range(width):
                theirs = their_days[j]
                infeasible = h_few[ch, j] | (
                    (mine != 0) & (theirs != 0) & (popcount[mine & theirs] == 0)
                )
                if has_beyond:
                    infeasible |= d_beyond[cd, j]
                if needy:
                    infeasible |= offered_all[j] + 0.5 < n_needs[i]
                if has_excluded:
                    infeasible |= excluded[i, j]
                feasible[n_feasible] = j
                n_feasible += not infeasible
            # ... and the score of those with a text part of 0 (a lower bound) and what a
            # text part of 1 could add to it.
            unbounded = False
            for q in range(n_feasible):
                j = feasible[q]
                theirs = their_days[j]
                common = popcount[mine & theirs]
                days_known = (mine != 0) & (theirs != 0)
                talents = talents_all[j]
                talents = 1.0 if talents > 1.0 else talents
                causes = causes_all[j]
                causes = 1.0 if causes > 1.0 else causes
                counted = per_row[i] + d_known[cd, j]
                counted += h_known[ch, j]
                counted += 1.0 if days_known else 0.0
                denominator = w_talents * counted_as[j] + w_wishes * (1.0 if counted > 0 else 0.0)
                if has_values:
                    denominator += denominator_values
                positive = denominator > 0
                denominator = denominator if positive else 1.0
                counted = 1.0 if counted < 1.0 else counted
                lo = _finish(
                    causes, 0.0, wished[i, place_local[j]], d_part[cd, j], h_part[ch, j],
                    common / max(min(my_count, popcount[theirs]), 1), counted, w_wishes,
                    w_talents * (talents if talents_counted[j] else 0.0), row_values,
                    has_values, denominator, positive,
                )  # fmt: skip
                unbounded |= (lo != lo) | (lo == np.inf)
                low[q] = lo
                # What a text part of 1 can add: w_wishes / counted / denominator before
                # rounding (0 where the score is 0), and each of the two scores may move by
                # half a grid step when rounded. _SLACK covers both roundings with room to
                # spare for the last-place errors of the arithmetic.
                slack[q] = w_wishes / counted / denominator if positive else 0.0
            if unbounded:
                return True
            # The k-th largest low (the infeasible count as -inf, as np.partition sees them):
            # a column whose bound lies below it has k others above it. With no more
            # columns than k, or fewer than k feasible, every feasible one is in.
            cut = -np.inf
            if width > k and n_feasible >= k:
                n_best = 0
                for q in range(n_feasible):
                    lo = low[q]
                    if n_best < k:
                        at = n_best
                        n_best += 1
                        while at > 0 and best[at - 1] > lo:
                            best[at] = best[at - 1]
                            at -= 1
                        best[at] = lo
                    elif lo > best[0]:
                        at = 0
                        while at + 1 < k and best[at + 1] < lo:
                            best[at] = best[at + 1]
                            at += 1
                        best[at] = lo
                cut = best[0]
            for q in range(n_feasible):
                bound = low[q] + slack[q] + _SLACK
                if bound >= cut:
                    chosen[n_chosen] = feasible[q]
                    upper[n_chosen] = bound
                    n_chosen += 1
            # The chosen best bound first: once the k-th best exact score so far lies above
            # a pair's bound, it lies above every later one's too.
            by_bound = np.argsort(-upper[:n_chosen])
            for q in range(n_chosen):
                ordered[q] = chosen[by_bound[q]]
                ordered_upper[q] = upper[by_bound[q]]
        for q in range(n_chosen if top_k else width):
            if top_k and ordered_upper[q] < scores[i, k - 1]:
                break  # k found score more than this pair (and every later one) can
            j = ordered[q] if top_k else order[q]
            # GroupScorer.parts for this pair, whether it is feasible first: half are not.
            theirs = their_days[j]
            common = popcount[mine & theirs]
            days_known = mine != 0 and theirs != 0
            infeasible = h_few[ch, j] or (days_known and common == 0)
            if has_beyond and d_beyond[cd, j]:
                infeasible = True
            if has_excluded and excluded[i, j]:
                infeasible = True
            if not infeasible and n_needs[i] > 0:
                offered = 0.0
                for s in range(n_tags.shape[1]):
                    tag = n_tags[i, s]
                    if tag == n_sentinel:
                        break  # slots fill from the left
                    term = n_table[tag, j] * n_values[i, s]
                    offered = term if s == 0 else offered + term
                infeasible = offered + 0.5 < n_needs[i]
            if infeasible:
                if mode == _BLOCK:
                    scores[i, j] = -np.inf
                continue
            talents = 0.0
            for s in range(t_tags.shape[1]):
                tag = t_tags[i, s]
                if tag == t_sentinel:
                    break
                term = t_table[tag, j] * t_values[i, s]
                talents = term if s == 0 else talents + term
            if talents > 1.0:
                talents = 1.0
            causes = 0.0
            for s in range(c_tags.shape[1]):
                tag = c_tags[i, s]
                if tag == c_sentinel:
                    break
                term = c_table[tag, j] * c_values[i, s]
                causes = term if s == 0 else causes + term
            if causes > 1.0:
                causes = 1.0
            district = wished[i, place_local[j]]
            counted = per_row[i] + d_known[cd, j]
            counted += h_known[ch, j]
            counted += 1.0 if days_known else 0.0
            denominator = w_talents * (1.0 if talents_counted[j] else 0.0) + w_wishes * (
                1.0 if counted > 0 else 0.0
            )
            if has_values:
                denominator += denominator_values
            positive = denominator > 0
            if not positive:
                denominator = 1.0
            if counted < 1.0:
                counted = 1.0
            talents = w_talents * (talents if talents_counted[j] else 0.0)
            distance = d_part[cd, j]
            hours = h_part[ch, j]
            # common / max(smaller, 1), both integers: as numpy divides them.
            days = common / max(min(my_count, popcount[theirs]), 1)
            if not top_k:
                t = _text_part(products[i, j], text_full) if has_products else 0.0
                score = _finish(
                    causes, t, district, distance, hours, days, counted, w_wishes,
                    talents, row_values, has_values, denominator, positive,
                )  # fmt: skip
                if mode == _BLOCK:
                    scores[i, j] = score
                elif score == score and abs(score) != np.inf:  # np.isfinite
                    at = n_written + n_edges
                    found[0, at] = opportunity[j]
                    # np.clip(score, 0.0, 1.0)
                    scores[0, at] = min(max(score, 0.0), 1.0)
                    n_edges += 1
                continue
            # The place's stored terms in order from zero, as csr_matvec adds them.
            row = p_row[j]
            product = 0.0
            for at in range(p_indptr[row], p_indptr[row + 1]):
                product += p_data[at] * dense[p_indices[at]]
            score = _finish(
                causes, _text_part(product, text_full), district, distance, hours,
                days, counted, w_wishes, talents, row_values, has_values,
                denominator, positive,
            )  # fmt: skip
            if score < cut:
                continue  # k others score at least the cut: not among the k best
            # Into the row's k best: score descending, opportunity ascending.
            place_id = opportunity[j]
            at = k - 1
            if scores[i, at] > score or (scores[i, at] == score and 0 <= found[i, at] < place_id):
                continue
            while at > 0 and (
                scores[i, at - 1] < score
                or (scores[i, at - 1] == score and found[i, at - 1] > place_id)
            ):
                scores[i, at] = scores[i, at - 1]
                found[i, at] = found[i, at - 1]
                at -= 1
            scores[i, at] = score
            found[i, at] = place_id
        if top_k:
            for at in range(w_indptr[i], w_indptr[i + 1]):
                dense[w_numbers[at]] = 0.0
        if mode == _EDGES:
            counts[i] = n_edges
            n_written += n_edges
    return False


_NO_2D = np.zeros((0, 0))
_NO_FOUND = np.zeros((0, 0), dtype=np.int64)
_NO_INT = np.zeros(1, dtype=np.int64)
_NO_FLOAT = np.zeros(0)
#: The type of the prepared place rows' positions (TextProduct's _place_rows), so that a block
#: and the top-k share one compiled loop: every other type is the same.
_NO_PLACE_INT = np.zeros(1, dtype=np.int32)


def score_block(args: Arguments, width: int, products: FloatArray | None) -> FloatArray:
    """Every pair's score, rows × ``width``, ``-inf`` where infeasible; ``products``: the
    text products (rows × width), None for no text."""
    person, place, classes, weights = args
    scores = np.empty((person[_PER_ROW].size, width))
    text = (
        _NO_2D if products is None else np.ascontiguousarray(products, dtype=np.float64),
        _NO_INT, _NO_INT, _NO_FLOAT, _NO_PLACE_INT, _NO_PLACE_INT, _NO_FLOAT, _NO_INT, _NO_FLOAT,
    )  # fmt: skip
    _run(
        _BLOCK, np.full(scores.shape[0], width), 0, person, place, classes, text, weights,
        np.arange(width), scores, _NO_FOUND, _NO_INT,
    )  # fmt: skip
    return scores


def edges(
    args: Arguments, width: int, products: FloatArray | None, order: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """The pairs with a finite score, row after row, each row's columns in ``order``: per
    row how many, and per pair the opportunity and the score clipped to [0, 1]."""
    person, place, classes, weights = args
    n_rows = person[_PER_ROW].size
    scores = np.empty((1, n_rows * width))
    found = np.empty((1, n_rows * width), dtype=np.int64)
    counts = np.empty(n_rows, dtype=np.int64)
    text = (
        _NO_2D if products is None else np.ascontiguousarray(products, dtype=np.float64),
        _NO_INT, _NO_INT, _NO_FLOAT, _NO_PLACE_INT, _NO_PLACE_INT, _NO_FLOAT, _NO_INT, _NO_FLOAT,
    )  # fmt: skip
    _run(
        _EDGES, np.full(n_rows, width), 0, person, place, classes, text, weights,
        np.ascontiguousarray(order, dtype=np.int64), scores, found, counts,
    )  # fmt: skip
    n = int(counts.sum())
    return counts, found[0, :n], scores[0, :n]


def top_k(
    args: Arguments,
    product: TextProduct,
    rows: IntArray,
    widths: IntArray,
    k: int,
    found: IntArray,
    scores: FloatArray,
) -> bool:
    """Each row's k best of its first ``widths[i]`` columns into ``found``
    (opportunities) and ``scores``, best first, ties to the lower opportunity; both start
    as -1 and -inf. Returns False, leaving both as they were, when the bounds say nothing
    (a NaN or +inf score): then every pair must be scored."""
    person, place, classes, weights = args
    w_indptr, w_numbers, w_data = product.wish_rows(rows)
    p = product.rows
    text = (
        _NO_2D, w_indptr, w_numbers, w_data, p.indptr, p.indices, p.data,
        product.column_rows, product.scratch(),
    )  # fmt: skip
    mine_found = np.full_like(found, -1)
    mine_scores = np.full_like(scores, -np.inf)
    widest = int(widths.max()) if widths.size else 0
    if _run(
        _TOP_K, np.ascontiguousarray(widths, dtype=np.int64), k, person, place, classes, text,
        weights, np.arange(widest), mine_scores, mine_found, _NO_INT,
    ):  # fmt: skip
        product.scratch().fill(0.0)  # left half-filled where the loop stopped
        return False
    found[...] = mine_found
    scores[...] = mine_scores
    return True
