"""Ranking at scale: every pair of a block by its ranking score, the best k per person, and the
feasible pairs of a round, grouped by home district and reach so a country-wide casebook scores
only what is within reach.

The numbers are :mod:`toolkit.matching.scores`' (a test holds :func:`rank_block` equal to
:func:`~toolkit.matching.scores.score_block`); this module only decides which pairs are
scored and in which blocks, and keeps the k best as it goes, computing the text only for
the pairs that can still be among them (:mod:`toolkit.matching.topk_pruned`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy.sparse import csr_matrix

from toolkit.matching.features import Features
from toolkit.matching.group_scoring import GroupScorer, compiled_wanted
from toolkit.matching.scores import (
    _POPCOUNT,
    _TIE_DECIMALS,
    TEXT_FULL,
    FloatArray,
    Int32Array,
    IntArray,
    _as_index,
    _prepared,
    _Shape,
)
from toolkit.matching.topk_pruned import block_top_k, compiled_top_k

__all__ = ["feasible_pairs", "rank_block", "top_pairs"]


def rank_block(
    f: Features,
    rows: IntArray,
    cols: IntArray,
    *,
    excluded: csr_matrix | None = None,
    person_values: FloatArray | None = None,
    reach_km: FloatArray | None = None,
) -> FloatArray:
    """The ranking score of every pair of ``rows`` × ``cols``: ``-inf`` where infeasible.

    The same numbers as :func:`score_block` (``place``, or the total / 100 with
    ``person_values``; a test holds them equal), computed with as few passes over the
    block as possible: a sub-part that does not apply is a zero that is not counted, and
    what applies per person is counted once per row instead of once per pair. ``reach_km``
    (per row) also rules out places farther than that. This is the inner loop of a
    country-wide search.
    """
    s = _Shape(f, rows, cols, True)
    prep = _prepared(f)
    weights = f.casebook.settings.weights

    talents = np.minimum(s.product(f.person_talents, prep.talent_coef), 1.0)
    talents_counted = prep.talents_counted[cols][None, :]

    # Wishes: causes, text and wished district are zero for a person who states none, and
    # counted per row; distance, hours and days per pair.
    summed = np.minimum(s.product(f.person_causes, f.opportunity_causes), 1.0)
    summed += np.minimum(s.product(f.wish_text, f.place_text) / TEXT_FULL, 1.0)
    summed += np.minimum(s.product(f.person_wished, prep.opportunity_place), 1.0)
    per_row = f.wish_parts_stated(rows)
    km = s.distance_km()
    travel = f.max_travel_km[rows][:, None]
    distance_known = ~np.isnan(km) & ~np.isnan(travel)
    with np.errstate(invalid="ignore", divide="ignore"):
        summed += np.where(distance_known, np.clip(1.0 - km / (2.0 * travel), 0.0, 1.0), 0.0)
    counted = per_row[:, None] + distance_known

    have = f.person_hours[rows]
    have_safe = np.where(np.isnan(have), np.inf, have)[:, None]
    low = f.hours_min[cols][None, :]
    high = f.hours_max[cols]
    high_safe = np.where(np.isnan(high), 0.0, high)[None, :]
    summed += np.minimum(high_safe / have_safe, 1.0)
    counted += (~np.isnan(have))[:, None] & (~np.isnan(high))[None, :]
    too_few_hours = have_safe < low  # False where either is unknown (inf, nan)
    infeasible = too_few_hours & ~np.isinf(have_safe)

    mine = f.person_days[rows]
    theirs = f.opportunity_days[cols]
    common = _POPCOUNT[mine[:, None] & theirs[None, :]]
    smaller = np.minimum(_POPCOUNT[mine][:, None], _POPCOUNT[theirs][None, :])
    summed += common / np.maximum(smaller, 1)
    days_known = (mine != 0)[:, None] & (theirs != 0)[None, :]
    counted += days_known
    infeasible |= days_known & (common == 0)

    wishes_counted = counted > 0
    wishes = summed / np.maximum(counted, 1.0)
    numerator = weights.talents * np.where(talents_counted, talents, 0.0)
    numerator += weights.wishes * wishes
    denominator = weights.talents * talents_counted + weights.wishes * wishes_counted
    if person_values is not None:
        values_counted = ~np.isnan(person_values)
        numerator += (weights.values * np.where(values_counted, person_values, 0.0))[:, None]
        denominator = denominator + (weights.values * values_counted)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        rank = np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0
        )

    offered = s.product(f.person_needs, f.opportunity_offers)
    infeasible |= offered + 0.5 < f.n_needs[rows][:, None]
    infeasible |= (f.open_slots[cols] <= 0)[None, :]
    if excluded is not None and excluded.nnz:
        infeasible |= s.excluded(excluded)
    if reach_km is not None:
        with np.errstate(invalid="ignore"):
            infeasible |= km > reach_km[:, None]
    rank = np.round(rank, _TIE_DECIMALS)
    rank[infeasible] = -np.inf
    return np.asarray(rank)


def top_pairs(
    f: Features,
    rows: IntArray | Sequence[int],
    k: int,
    *,
    person_values: FloatArray | None = None,
    excluded: csr_matrix | None = None,
    reach_km: FloatArray | None = None,
    block_size: int = 512,
    compiled: bool | None = None,
) -> tuple[IntArray, FloatArray]:
    """Per person in ``rows``, the k best feasible opportunities: (indices, scores), b × k.

    Scored by the total fit with ``person_values`` (one values fit per row, ``nan``: not
    counted), or by the place fit alone when it is None. ``reach_km`` (one per row, ``nan``:
    no limit) prunes opportunities farther from home than that: people are then grouped by
    home district and each group scores only the opportunities within its reach, which is
    what makes a country-wide casebook fast. Ties go to the lower opportunity index. Rows
    with fewer feasible opportunities are padded with ``-1`` and ``-inf``. ``compiled``:
    score with the compiled loops (the same numbers; :func:`~toolkit.matching.group_scoring.
    compiled_wanted` decides when None).
    """
    r = _as_index(rows, f.n_people)
    indices = np.full((r.size, k), -1, dtype=np.int64)
    scores = np.full((r.size, k), -np.inf)
    if r.size == 0 or k == 0 or f.n_opportunities == 0:
        return indices, scores
    use_compiled = compiled_wanted(f, r.size, compiled)

    def one_group(group: _ReachGroup) -> None:
        scorer = GroupScorer(f, group.cols, excluded, compiled=use_compiled)
        if scorer.compiled and scorer.text is not None and scorer.text.nonnegative:
            # The compiled loops take each row's own width: all levels at once.
            _compiled_group(scorer, group, r, k, indices, scores, person_values, reach_km)
            return
        for positions, given in group.levels:
            width = scorer.width(given)
            if width == 0:
                continue  # nothing open within reach: these rows keep the padding
            # The text only for the pairs that can still be among the k best.
            for start in range(0, positions.size, block_size):
                chunk = positions[start : start + block_size]
                found = np.full((chunk.size, k), -1, dtype=np.int64)
                best = np.full((chunk.size, k), -np.inf)
                block_top_k(
                    scorer,
                    r[chunk],
                    width,
                    k,
                    found,
                    best,
                    person_values=None if person_values is None else person_values[chunk],
                    reach_km=None if reach_km is None else reach_km[chunk],
                )
                indices[chunk] = found
                scores[chunk] = best

    # Groups hold disjoint rows: each writes only its own rows of the result.
    _each(one_group, _reach_groups(f, r, reach_km), use_compiled)
    return indices, scores


T = TypeVar("T")
Item = TypeVar("Item")


def _each(work: Callable[[Item], T], items: Sequence[Item], compiled: bool) -> list[T]:
    """``work`` on every item (a group of people), the results in the items' order.

    With the compiled loops, in as many threads as this process may use cores: the loops let
    go of the interpreter's lock while they run, so one group is scored while the next is
    prepared (numpy and Python), and on two cores both run at once. Each item's numbers are
    computed as they are alone, so the result is the same whatever the count of threads. The
    numpy path stays in one thread: its blocks are large, and two at once would double the
    memory for little gain.
    """
    workers = min(len(items), _cores()) if compiled else 1
    if workers <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="burgerbaan-group") as pool:
        return list(pool.map(work, items))


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU limit)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _compiled_group(
    scorer: GroupScorer,
    group: _ReachGroup,
    r: IntArray,
    k: int,
    indices: IntArray,
    scores: FloatArray,
    person_values: FloatArray | None,
    reach_km: FloatArray | None,
) -> None:
    """:func:`top_pairs` for one group by the compiled loops, a few thousand rows a call."""
    levels = [(positions, scorer.width(given)) for positions, given in group.levels]
    positions = np.concatenate([p for p, width in levels if width] or [np.zeros(0, np.int64)])
    widths = np.concatenate(
        [np.full(p.size, width) for p, width in levels if width] or [np.zeros(0, np.int64)]
    )
    widest = int(widths.max()) if widths.size else 0
    # Rows per call: their class tables and exclusions are rows × the widest width.
    step = max(1, min(_COMPILED_ROWS, _COMPILED_ENTRIES // max(widest, 1)))
    for start in range(0, positions.size, step):
        chunk = positions[start : start + step]
        found = np.full((chunk.size, k), -1, dtype=np.int64)
        best = np.full((chunk.size, k), -np.inf)
        compiled_top_k(
            scorer,
            r[chunk],
            widths[start : start + step],
            k,
            found,
            best,
            None if person_values is None else person_values[chunk],
            None if reach_km is None else reach_km[chunk],
        )
        indices[chunk] = found
        scores[chunk] = best


def feasible_pairs(
    f: Features,
    rows: IntArray | Sequence[int],
    *,
    excluded: csr_matrix | None = None,
    reach_km: FloatArray | None = None,
    block_size: int = 512,
    compiled: bool | None = None,
) -> tuple[Int32Array, Int32Array, FloatArray]:
    """Every feasible pair of ``rows`` × opportunities: (position in ``rows``, opportunity,
    place fit), sorted by position, then opportunity; indices are 32-bit.

    The place fit is :func:`rank_block`'s (equal to :func:`score_block`'s ``place``), on the
    grid. ``reach_km`` (one per row) also rules out places farther from home than that,
    scoring only the opportunities within each group's reach, as :func:`top_pairs` does.
    ``compiled`` as in :func:`top_pairs`.
    """
    r = _as_index(rows, f.n_people)
    use_compiled = compiled_wanted(f, r.size, compiled)

    def one_group(group: _ReachGroup) -> list[tuple[IntArray, IntArray, Int32Array, FloatArray]]:
        """The group's edges as runs: (rows' positions, their counts of edges, targets, fits)."""
        parts: list[tuple[IntArray, IntArray, Int32Array, FloatArray]] = []
        scorer = GroupScorer(f, group.cols, excluded, compiled=use_compiled)
        for positions, given in group.levels:
            width = scorer.width(given)
            if width == 0:
                continue
            cols = scorer.columns(width)
            for start in range(0, positions.size, block_size):
                chunk = positions[start : start + block_size]
                if scorer.compiled:
                    lengths, found, fits = scorer.edges(
                        r[chunk], width, None if reach_km is None else reach_km[chunk]
                    )
                    parts.append((chunk, lengths, found.astype(np.int32), fits))
                    continue
                rank = scorer.rank(
                    r[chunk],
                    width=width,
                    reach_km=None if reach_km is None else reach_km[chunk],
                )
                feasible = np.isfinite(rank)
                # A flat nonzero is several times faster than a 2-D one on a wide block.
                flat = np.flatnonzero(feasible)
                # Each row's edges are one run, in target order: the run's person and length
                # say whose each edge is. 32-bit indices: at country scale there are tens of
                # millions of edges.
                parts.append(
                    (
                        chunk,
                        np.count_nonzero(feasible, axis=1),
                        cols[flat % rank.shape[1]].astype(np.int32),
                        np.clip(rank.ravel()[flat], 0.0, 1.0),
                    )
                )
                del rank, feasible, flat
        return parts

    groups = _each(one_group, _reach_groups(f, r, reach_km), use_compiled)
    parts = [part for found in groups for part in found]
    del groups
    return _in_person_order(parts, r.size)


_Runs = tuple[IntArray, IntArray, Int32Array, FloatArray]


def _in_person_order(parts: list[_Runs], n_rows: int) -> tuple[Int32Array, Int32Array, FloatArray]:
    """The edges of ``parts`` in person order: per edge its person (position), target and fit.

    A part is a block of positions, each position's edges one run (its count), the runs one
    after the other. Every position is in one part only (the groups, their levels and their
    blocks split the rows), so a person's edges are one run and keep their order. Each part's
    runs are written straight to where they belong instead of joining every part and then
    gathering the edges in order, and each part is freed once written (``parts`` is emptied):
    at country scale every copy of the edges is hundreds of megabytes. (Writing the parts in
    threads was measured: no faster at 100,000 people, 11.99 against 11.80 s.)
    """
    counts = np.zeros(n_rows, dtype=np.int64)
    for positions, lengths, _targets, _fits in parts:
        counts[positions] = lengths
    start = np.cumsum(counts) - counts
    total = int(counts.sum())
    people = np.repeat(np.arange(n_rows, dtype=np.int32), counts)
    targets = np.empty(total, dtype=np.int32)
    fits = np.empty(total)
    while parts:
        positions, lengths, found, fit = parts.pop()
        # Each run's first edge goes to its person's start, the next ones after it.
        at = np.repeat(start[positions] - (np.cumsum(lengths) - lengths), lengths)
        at += np.arange(at.size)
        targets[at] = found
        fits[at] = fit
        del positions, lengths, found, fit, at
    return people, targets, fits


#: What scoring one more level of reach costs, counted in pairs (the calls of a block): people
#: with a shorter reach are scored against fewer of their district's columns only when that
#: saves more than this.
_LEVEL_OVERHEAD_PAIRS = 5_000
#: Rows per call of the compiled loops, and at most this many rows × columns: their class
#: tables (up to one per row) and exclusions are rows × the widest width. A search without a
#: reach has every place as its width.
_COMPILED_ROWS = 4_096
_COMPILED_ENTRIES = 4_000_000


@dataclass(frozen=True)
class _ReachGroup:
    """People who share the columns to score, and how many of them each level needs."""

    cols: IntArray
    """Opportunities: those at an unknown distance first, then the nearest first."""
    levels: list[tuple[IntArray, int]]
    """(positions in ``rows``, how many of the first ``cols`` they need)."""


def _reach_groups(f: Features, rows: IntArray, reach_km: FloatArray | None) -> list[_ReachGroup]:
    """The people of ``rows`` grouped to score together.

    People are grouped by home district: everyone in a group shares the district's
    distances, so the district's opportunities ordered nearest first serve them all, and a
    level of reach needs only the ones within it (an opportunity without coordinates is never
    ruled out). Levels that would save too little on their own are merged with the next wider.
    """
    every = np.arange(f.n_opportunities, dtype=np.int64)
    if reach_km is None or f.district_km is None:
        return [_ReachGroup(every, [(np.arange(rows.size, dtype=np.int64), every.size)])]
    groups: list[_ReachGroup] = []
    home = f.person_district[rows]
    order = np.lexsort((rows, home))
    boundaries = np.flatnonzero(np.diff(home[order])) + 1
    for positions in np.split(order, boundaries):
        district = int(home[positions[0]])
        reach = reach_km[positions]
        if district < 0 or np.isnan(reach).any() or np.isnan(f.district_lat[district]):
            groups.append(_ReachGroup(every, [(positions.astype(np.int64), every.size)]))
            continue
        km = f.district_km[district][f.opportunity_district]
        levels, counts = np.unique(reach, return_counts=True)
        # Only what lies within the widest reach (or at an unknown distance) is ever scored:
        # those first by distance, unknown distances first; ties by index (a stable sort).
        candidates = np.flatnonzero(~(km > levels[-1]))
        candidate_km = km[candidates]
        unknown = np.isnan(candidate_km)
        n_unknown = int(unknown.sum())
        nearest = candidates[np.argsort(np.where(unknown, -np.inf, candidate_km), kind="stable")]
        known_km = km[nearest[n_unknown:]]
        width = np.searchsorted(known_km, levels, side="right") + n_unknown
        # Merge levels from the widest down while a separate block would save fewer pairs
        # than it costs.
        merged: list[tuple[int, list[float]]] = []
        for level, n_people, n_cols in zip(
            levels[::-1].tolist(), counts[::-1].tolist(), width[::-1].tolist(), strict=True
        ):
            if merged:
                top_width, members = merged[-1]
                if n_people * (top_width - n_cols) < _LEVEL_OVERHEAD_PAIRS:
                    members.append(level)
                    continue
            merged.append((n_cols, [level]))
        widest = merged[0][0] if merged else 0
        groups.append(
            _ReachGroup(
                nearest[:widest].astype(np.int64),
                [
                    (positions[np.isin(reach, members)].astype(np.int64), top_width)
                    for top_width, members in merged
                ],
            )
        )
    return groups
