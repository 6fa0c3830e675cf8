"""The best k columns per row of a score matrix too large to hold at once.

At city scale every (person, opportunity) pair is scored; at 100,000 × 50,000 the full
matrix would not fit in memory, so rows are scored a block at a time by a callback and
only the k best columns per row are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

__all__ = ["ScoreBlock", "top_k_blocks"]

_Candidates: TypeAlias = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], int]

ScoreBlock: TypeAlias = Any
"""What the callback returns for rows ``start:stop``, one of:

* a dense 2-D float array; ``-inf`` marks an infeasible pair;
* a tuple ``(scores, feasible)`` of a dense float array and a boolean array of the same
  shape; pairs where ``feasible`` is False are dropped;
* a scipy sparse matrix or array: only *stored* entries are candidates, absent ones are
  infeasible (not score 0). That suits pruned candidate lists and sparse TF-IDF products,
  where a pair with nothing in common should not be proposed. Densify first if absent
  entries should count as 0.

(``Any`` because scipy ships no type information for its sparse classes.)
"""


def top_k_blocks(
    score_block_fn: Callable[[int, int], ScoreBlock],
    n_rows: int,
    k: int,
    block_size: int = 1024,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The k best feasible columns per row, best first, ties broken by lower column.

    ``score_block_fn(start, stop)`` returns the scores of rows ``start:stop`` (see
    :data:`ScoreBlock`); it is called with at most ``block_size`` rows, in order. Returns
    ``(indices, scores)``, both of shape ``(n_rows, k)``; a row with fewer than k feasible
    columns is padded with index ``-1`` and score ``-inf``. Working memory beyond the
    callback's own block is a few arrays of ``block_size × n_cols``.
    """
    if n_rows < 0 or k < 0:
        raise ValueError("n_rows and k must be >= 0")
    if block_size < 1:
        raise ValueError("block_size must be >= 1")
    indices = np.full((n_rows, k), -1, dtype=np.int64)
    scores = np.full((n_rows, k), -np.inf, dtype=np.float64)
    if k == 0:
        return indices, scores
    n_cols: int | None = None
    for start in range(0, n_rows, block_size):
        stop = min(start + block_size, n_rows)
        block = score_block_fn(start, stop)
        if sparse.issparse(block):
            rows, cols, vals, width = _sparse_candidates(block, stop - start)
        else:
            rows, cols, vals, width = _dense_candidates(block, stop - start, k)
        if n_cols is None:
            n_cols = width
        elif width != n_cols:
            raise ValueError(f"block {start}:{stop} has {width} columns, earlier ones {n_cols}")
        _keep_best(rows, cols, vals, k, indices[start:stop], scores[start:stop])
    return indices, scores


def _dense_candidates(block: ScoreBlock, n_block_rows: int, k: int) -> _Candidates:
    """Per row, the k best feasible entries (a tie at the cut-off resolved by column
    index), as flat row, column and score arrays, plus the block's width."""
    if isinstance(block, tuple):
        raw, feasible = block
        values = _as_float(raw)
        mask = np.asarray(feasible, dtype=bool)
        if mask.shape != values.shape:
            raise ValueError("the feasibility mask must have the shape of the scores")
        values = np.where(mask, values, -np.inf)
    else:
        values = _as_float(block)
    if values.ndim != 2 or values.shape[0] != n_block_rows:
        raise ValueError(f"expected a block of {n_block_rows} rows, got shape {values.shape}")
    n_cols = values.shape[1]
    kk = min(k, n_cols)
    if kk == 0 or values.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64), n_cols
    highest = values.max()  # one pass that also catches NaN, which max propagates
    if np.isnan(highest) or highest == np.inf:
        raise ValueError("scores must not be NaN or +inf")
    # The kth largest score per row is the cut-off; everything at or above it is a
    # candidate. Where more entries tie at the cut-off than there is room for (argpartition
    # would pick arbitrary ones), keep only the lowest columns among the ties. Rows with
    # continuous scores rarely tie, so that slower pass usually touches few rows.
    cutoff = np.partition(values, n_cols - kk, axis=1)[:, n_cols - kk, None]
    chosen = values >= cutoff
    crowded = np.flatnonzero(np.count_nonzero(chosen, axis=1) > kk)
    if crowded.size:
        sub, sub_cutoff = values[crowded], cutoff[crowded]
        above = sub > sub_cutoff
        at_cutoff = sub == sub_cutoff
        still_needed = kk - np.count_nonzero(above, axis=1)[:, None]
        tie_order = np.cumsum(at_cutoff, axis=1, dtype=np.int32)
        chosen[crowded] = above | (at_cutoff & (tie_order <= still_needed))
    # flatnonzero is an order of magnitude faster than a 2-D nonzero on wide blocks.
    rows, cols = np.divmod(np.flatnonzero(chosen), n_cols)
    picked = values[rows, cols].astype(np.float64)
    feasible_pick = picked > -np.inf
    return rows[feasible_pick], cols[feasible_pick], picked[feasible_pick], n_cols


def _sparse_candidates(block: ScoreBlock, n_block_rows: int) -> _Candidates:
    """Every stored entry of a sparse block that is not ``-inf``, duplicates summed."""
    if block.shape[0] != n_block_rows:
        raise ValueError(f"expected a block of {n_block_rows} rows, got shape {block.shape}")
    coo = sparse.coo_matrix(sparse.csr_matrix(block))
    vals = np.asarray(coo.data, dtype=np.float64)
    if np.isnan(vals).any() or np.isposinf(vals).any():
        raise ValueError("scores must not be NaN or +inf")
    keep = vals > -np.inf
    return (
        np.asarray(coo.row[keep], dtype=np.int64),
        np.asarray(coo.col[keep], dtype=np.int64),
        vals[keep],
        int(block.shape[1]),
    )


def _keep_best(
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    vals: NDArray[np.float64],
    k: int,
    out_indices: NDArray[np.int64],
    out_scores: NDArray[np.float64],
) -> None:
    """Write each row's k best (score descending, column ascending) into the outputs."""
    if rows.size == 0:
        return
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    counts = np.bincount(rows, minlength=out_indices.shape[0])
    first = np.cumsum(counts) - counts
    position = np.arange(rows.size) - first[rows]
    keep = position < k
    out_indices[rows[keep], position[keep]] = cols[keep]
    out_scores[rows[keep], position[keep]] = vals[keep]


def _as_float(values: Any) -> NDArray[np.floating[Any]]:
    array = np.asarray(values)
    # Keep float32 as float32: the block is the memory budget and doubling it is waste.
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float64)
