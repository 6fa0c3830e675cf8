"""The k best columns of a block, with the text computed only for the pairs that can still
make it.

The text is the costliest part of a score (a product over hundreds of n-grams per pair), and
for the k best of each row most pairs never need it. The score never decreases as the text
part grows (:meth:`~toolkit.matching.group_scoring.RankParts.finish`), and the text part,
``min(product / TEXT_FULL, 1)``, lies between 0 and 1 when no weight is negative. So the
score with a text part of 0 is a lower bound of the real one, and with 1 an upper bound, both
as floating-point numbers, not only on paper. Per row, the k-th largest lower bound is a
threshold: a column whose upper bound lies below it has k others strictly above it, so it is
neither among the k best nor tied with the k-th (ties go to the lower index, but only between
equal scores). Only the other pairs get their text, exactly as the full product would add it
(:meth:`~toolkit.matching.text_product.TextProduct.pairs`), and their score is finished with
the same operations as every pair's would be: the k best are the same, bit for bit.
"""

from __future__ import annotations

import numpy as np

from toolkit.matching.group_scoring import GroupScorer
from toolkit.matching.scores import TEXT_FULL, FloatArray, IntArray
from toolkit.matching.topk import _dense_candidates, _keep_best

__all__ = ["block_top_k", "compiled_top_k"]


def block_top_k(
    scorer: GroupScorer,
    rows: IntArray,
    width: int,
    k: int,
    out_indices: IntArray,
    out_scores: FloatArray,
    *,
    person_values: FloatArray | None = None,
    reach_km: FloatArray | None = None,
) -> None:
    """Write the k best of the first ``width`` columns of ``scorer`` for each of ``rows``
    into ``out_indices`` (opportunities) and ``out_scores``, best first, ties to the lower
    opportunity; the outputs start as ``-1`` and ``-inf`` (the padding of a row with fewer
    feasible columns)."""
    if rows.size == 0 or width == 0 or k == 0:
        return
    text = scorer.text
    if text is None or not text.nonnegative:
        # Nothing to prune (no text), or no bounds (a negative weight): score every pair.
        _every_pair(scorer, rows, width, k, out_indices, out_scores, person_values, reach_km)
        return
    if scorer.compiled:
        widths = np.full(rows.size, width)
        compiled_top_k(scorer, rows, widths, k, out_indices, out_scores, person_values, reach_km)
        return
    parts = scorer.parts(rows, width, person_values, reach_km)
    low = parts.finish(0.0)
    high = parts.finish(1.0, mark_infeasible=False)  # the infeasible are left out below
    highest = high.max()
    if np.isnan(highest) or highest == np.inf:
        # The bounds say nothing; scoring every pair reports the bad score as before.
        _every_pair(scorer, rows, width, k, out_indices, out_scores, person_values, reach_km)
        return
    if width > k:
        threshold = np.partition(low, width - k, axis=1)[:, width - k]
    else:
        threshold = np.full(rows.size, -np.inf)  # every feasible column is among the k best
    del low
    chosen = high >= threshold[:, None]
    del high
    chosen &= ~parts.infeasible
    flat = np.flatnonzero(chosen)
    del chosen
    person, column = np.divmod(flat, width)
    product = text.pairs(rows, person, column)
    exact = parts.take(flat).finish(np.minimum(product / TEXT_FULL, 1.0))
    # Below the threshold, k columns score higher: not among the k best either.
    keep = exact >= threshold[person]
    _keep_best(
        person[keep],
        scorer.cols[column[keep]],
        exact[keep],
        k,
        out_indices,
        out_scores,
    )


def _every_pair(
    scorer: GroupScorer,
    rows: IntArray,
    width: int,
    k: int,
    out_indices: IntArray,
    out_scores: FloatArray,
    person_values: FloatArray | None,
    reach_km: FloatArray | None,
) -> None:
    rank = scorer.rank(rows, width=width, person_values=person_values, reach_km=reach_km)
    # In ascending opportunity order, so a tie at the cut-off keeps the lower opportunity.
    person, column, values, _width = _dense_candidates(rank, rows.size, k)
    _keep_best(person, scorer.columns(width)[column], values, k, out_indices, out_scores)


def compiled_top_k(
    scorer: GroupScorer,
    rows: IntArray,
    widths: IntArray,
    k: int,
    out_indices: IntArray,
    out_scores: FloatArray,
    person_values: FloatArray | None,
    reach_km: FloatArray | None,
) -> None:
    """:func:`block_top_k` by the compiled loops, for rows of a group that need different
    widths (row i: the first ``widths[i]`` columns) at once. The scorer must be compiled,
    with a text whose weights are nonnegative."""
    from toolkit.matching import pair_arguments, pair_kernel

    text = scorer.text
    assert scorer.compiled and text is not None and text.nonnegative
    widest = int(widths.max()) if widths.size else 0
    args = pair_arguments.arguments(scorer, rows, widest, person_values, reach_km)
    if pair_kernel.top_k(args, text, rows, widths, k, out_indices, out_scores):
        return
    # The bounds say nothing: every pair, a width at a time (reports the bad score).
    for width in np.unique(widths).tolist():
        these = np.flatnonzero(widths == width)
        found = np.full((these.size, k), -1, dtype=np.int64)
        best = np.full((these.size, k), -np.inf)
        _every_pair(
            scorer,
            rows[these],
            width,
            k,
            found,
            best,
            None if person_values is None else person_values[these],
            None if reach_km is None else reach_km[these],
        )
        out_indices[these] = found
        out_scores[these] = best
