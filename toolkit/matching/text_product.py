"""The wish text against the place text, for a group's columns, with the place side prepared
once per features instead of once per group.

The text vocabulary is large (tens of thousands of n-grams), so
:meth:`~toolkit.matching.scores._Shape.product` multiplies the places' sparse rows by the
block's people as a dense matrix over the n-grams they have, and so adds each pair's terms in
the *place's* stored order, starting from zero. A term whose n-gram the person lacks is a zero
and adding it changes nothing, so any set of n-grams that holds every n-gram of the people
gives the same sums, bit for bit.

Here that set is the n-grams that *some* person of the casebook has, numbered 0..n-1 once per
features, and the places' rows restricted to them are kept once, in two orders of the places:
by index, and by district (places without a known location first), each leaving out the
places without an open slot, which are never scored. A reach group's columns (the nearest
first: whole districts, or every open place in index order) are then a few runs of
consecutive rows in one of the two orders, and each run is a slice of the prepared arrays: a
group needs no copy of the place text. A group whose columns break into many runs gets its
own copy of the rows (still without filtering the vocabulary again).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from scipy.sparse import _sparsetools

from toolkit.matching.features import Features, built_once
from toolkit.matching.scores import FloatArray, IntArray

__all__ = ["TextProduct", "row_positions"]

#: At most this many entries (8,192 n-grams × 512 people, 32 MB) in the dense matrix of a
#: block's wishes over the people's n-grams: with more n-grams, fewer people at a time.
_DENSE_ENTRIES = 8_192 * 512
#: Above this many runs per column (one run per 16 columns), a group copies its rows instead.
_MAX_RUNS_PER_COLUMN = 1 / 16


@dataclass(frozen=True)
class _PlaceRows:
    """The open places' text rows over the people's n-grams, in one order of the places."""

    indptr: IntArray
    indices: IntArray
    data: FloatArray
    row_of: IntArray
    """Per place, its row here (-1: no open slot)."""


@dataclass
class _Prepared:
    number: IntArray
    """Per n-gram, its number among the n-grams some person has (-1: nobody has it)."""
    n_used: int
    nonnegative: bool
    """Every weight of the wish and place texts is at least 0."""
    orders: dict[bool, _PlaceRows]
    """By district (True) or by index (False), built when first asked for."""


_PREPARED: weakref.WeakKeyDictionary[Features, _Prepared] = weakref.WeakKeyDictionary()


def _prepared(f: Features) -> _Prepared:
    return built_once(_PREPARED, f, lambda: _new_prepared(f))


def _new_prepared(f: Features) -> _Prepared:
    mine = np.zeros(f.wish_text.shape[1], dtype=bool)
    mine[f.wish_text.indices] = True
    number = np.where(mine, np.cumsum(mine) - 1, -1)
    return _Prepared(
        number=number,
        n_used=int(mine.sum()),
        nonnegative=bool(np.all(f.wish_text.data >= 0) and np.all(f.place_text.data >= 0)),
        orders={},
    )


def _place_rows(f: Features, prepared: _Prepared, by_district: bool) -> _PlaceRows:
    return built_once(
        prepared.orders, by_district, lambda: _new_place_rows(f, prepared, by_district)
    )


def _new_place_rows(f: Features, prepared: _Prepared, by_district: bool) -> _PlaceRows:
    open_places = np.flatnonzero(f.open_slots > 0)
    if by_district:
        district = f.opportunity_district[open_places]
        located = district >= 0
        located[located] = ~np.isnan(f.district_lat[district[located]])
        key = np.where(located, district, -1)
        open_places = open_places[np.argsort(key, kind="stable")]
    place = f.place_text
    starts = place.indptr[open_places]
    lengths = place.indptr[open_places + 1] - starts
    at = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(
        starts - (np.cumsum(lengths) - lengths), lengths
    )
    numbers = prepared.number[place.indices[at]]
    used = numbers >= 0
    # Rows keep their stored order: a stable filter of each row's entries.
    kept = np.zeros(open_places.size + 1, dtype=np.int64)
    row = np.repeat(np.arange(open_places.size), lengths)
    np.cumsum(np.bincount(row[used], minlength=open_places.size), out=kept[1:])
    row_of = np.full(f.n_opportunities, -1, dtype=np.int64)
    row_of[open_places] = np.arange(open_places.size)
    # The kernel wants one index type for positions and n-grams.
    index_type = np.int32 if kept[-1] < np.iinfo(np.int32).max else np.int64
    return _PlaceRows(
        indptr=kept.astype(index_type),
        indices=numbers[used].astype(index_type),
        data=place.data[at][used],
        row_of=row_of,
    )


def _runs(rows: IntArray) -> IntArray:
    """Where each run of consecutive rows starts (positions in ``rows``)."""
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(([0], np.flatnonzero(np.diff(rows) != 1) + 1)).astype(np.int64)


class TextProduct:
    """``wish_text[rows] · place_text[cols]`` for every pair of a block, adding in the
    places' stored order as ``_Shape.product`` does; ``cols`` are places with an open slot."""

    def __init__(self, f: Features, cols: IntArray) -> None:
        self.f = f
        self.prepared = _prepared(f)
        self._scratch: FloatArray | None = None
        if cols.size == 0:
            self.rows = _PlaceRows(
                np.zeros(1, dtype=np.int32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0),
                np.zeros(0, dtype=np.int64),
            )
            self.run_starts = np.zeros(0, dtype=np.int64)
            self.run_rows = np.zeros(0, dtype=np.int64)
            self.column_rows = np.zeros(0, dtype=np.int64)
            return
        # Columns in ascending order (every open place, as without a reach) are one run of
        # the places by index; a reach group's, nearest first, are runs of whole districts.
        # Only the order used is built.
        by_district = not bool(np.all(np.diff(cols) > 0))
        place_rows = _place_rows(f, self.prepared, by_district)
        rows = place_rows.row_of[cols]
        starts = _runs(rows)
        first_rows = rows[starts]
        if starts.size > max(1.0, cols.size * _MAX_RUNS_PER_COLUMN):
            place_rows = _copy_rows(place_rows, place_rows.row_of[cols])
            starts = np.zeros(1, dtype=np.int64)
            first_rows = np.zeros(1, dtype=np.int64)
        self.rows = place_rows
        self.run_starts = starts
        self.run_rows = first_rows
        # Per column, its row in ``self.rows``.
        lengths = np.diff(np.append(starts, cols.size))
        self.column_rows = np.arange(cols.size, dtype=np.int64) + np.repeat(
            first_rows - starts, lengths
        )

    def __call__(self, rows: IntArray, w: int) -> FloatArray:
        """The product with the first ``w`` columns, rows × w."""
        step = self._step()
        if rows.size <= step:
            return self._product(rows, w)
        return np.concatenate(
            [self._product(rows[i : i + step], w) for i in range(0, rows.size, step)]
        )

    def _step(self) -> int:
        """How many people's wishes at most are made dense at once."""
        return max(1, _DENSE_ENTRIES // max(1, self.prepared.n_used))

    def _product(self, rows: IntArray, w: int) -> FloatArray:
        n_used = self.prepared.n_used
        if rows.size == 0 or w == 0 or n_used == 0:
            return np.zeros((rows.size, w))
        mine = self._wishes(rows, by_person=False)
        if mine is None:
            return np.zeros((rows.size, w))
        out = np.zeros((w, rows.size))
        flat_out = out.reshape(-1)  # a view: the kernel writes through it
        place = self.rows
        ends = np.append(self.run_starts[1:], np.iinfo(np.int64).max)
        for start, end, first in zip(
            self.run_starts.tolist(), ends.tolist(), self.run_rows.tolist(), strict=True
        ):
            if start >= w:
                break
            n = min(end, w) - start
            # Sparse times dense, each place's row outermost in its stored order: the kernel
            # behind scipy's ``csr_matrix @ ndarray``, called on a slice of the prepared rows
            # (positions need not start at zero) and adding into ``out`` as ``@`` would into
            # its own zeros, so that no matrix is built or checked per run.
            _sparsetools.csr_matvecs(
                n,
                n_used,
                rows.size,
                place.indptr[first : first + n + 1],
                place.indices,
                place.data,
                mine.reshape(-1),
                flat_out[start * rows.size : (start + n) * rows.size],
            )
        return np.ascontiguousarray(out.T)

    @property
    def nonnegative(self) -> bool:
        """Whether every product is at least 0 (every weight of both texts is)."""
        return self.prepared.nonnegative

    def pairs(self, rows: IntArray, person: IntArray, column: IntArray) -> FloatArray:
        """The product for some pairs only: ``rows[person[i]]`` with the column at position
        ``column[i]``, each the same sum as :meth:`__call__` gives for that pair."""
        step = self._step()
        if rows.size <= step:
            return self._pairs(rows, person, column)
        result = np.zeros(person.size)
        for start in range(0, rows.size, step):
            these = (person >= start) & (person < start + step)
            result[these] = self._pairs(
                rows[start : start + step], person[these] - start, column[these]
            )
        return result

    def _pairs(self, rows: IntArray, person: IntArray, column: IntArray) -> FloatArray:
        """:meth:`pairs` for people few enough to make their wishes dense at once.

        Each pair is one row of the kernel that multiplies a sparse matrix by a vector
        (the person's wishes, dense), adding the place's terms in its stored order from
        zero, as ``csr_matvecs`` adds them. One call per person: the matrix rows are the
        person's places, given as ranges of the prepared arrays. Between two places the
        kernel also sees a row from the end of one range to the start of the next, whose
        sum is thrown away; with the places in *descending* order of position that row runs
        backwards and costs nothing, instead of visiting every place in between.
        """
        result = np.zeros(person.size)
        if person.size == 0 or self.prepared.n_used == 0:
            return result
        mine = self._wishes(rows, by_person=True)
        if mine is None:
            return result
        place_row = self.column_rows[column]
        order = np.lexsort((-place_row, person))
        indptr = self.rows.indptr
        ranges = np.empty(2 * person.size, dtype=indptr.dtype)
        ranges[0::2] = indptr[place_row[order]]
        ranges[1::2] = indptr[place_row[order] + 1]
        sums = np.zeros(2 * person.size)
        counts = np.bincount(person, minlength=rows.size)
        firsts = np.cumsum(counts) - counts
        n_used = self.prepared.n_used
        first_list, count_list = (2 * firsts).tolist(), (2 * counts).tolist()
        for who in np.flatnonzero(counts).tolist():
            a, m = first_list[who], count_list[who]
            _sparsetools.csr_matvec(
                m - 1,
                n_used,
                ranges[a : a + m],
                self.rows.indices,
                self.rows.data,
                mine[who],
                sums[a : a + m - 1],
            )
        result[order] = sums[0::2]
        return result

    def wish_rows(self, rows: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        """The rows' wish texts over the people's n-grams as CSR arrays (indptr, n-gram
        numbers, weights), each row's stored order kept."""
        wish = self.f.wish_text
        indptr, at = row_positions(wish.indptr, rows)
        return indptr, self.prepared.number[wish.indices[at]], wish.data[at]

    def scratch(self) -> FloatArray:
        """A row of zeros over the people's n-grams, for one person's wishes at a time;
        whoever fills it sets it back to zeros."""
        if self._scratch is None:
            self._scratch = np.zeros(self.prepared.n_used)
        return self._scratch

    def _wishes(self, rows: IntArray, *, by_person: bool) -> FloatArray | None:
        """The rows' wish texts as a dense matrix over the people's n-grams: people × n-grams
        or n-grams × people; None when they have no wish text."""
        wish = self.f.wish_text
        indptr, at = row_positions(wish.indptr, rows)
        if at.size == 0:
            return None
        numbers = self.prepared.number[wish.indices[at]]
        people = np.repeat(np.arange(rows.size), np.diff(indptr))
        n_used = self.prepared.n_used
        if by_person:
            mine = np.zeros((rows.size, n_used))
            mine[people, numbers] = wish.data[at]
        else:
            mine = np.zeros((n_used, rows.size))
            mine[numbers, people] = wish.data[at]
        return mine


def row_positions(indptr: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Where the stored entries of ``rows`` of a CSR matrix with this ``indptr`` lie, row
    after row, each row's stored order kept: the new ``indptr`` (64-bit) and the positions."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    new = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=new[1:])
    at = np.arange(int(new[-1]), dtype=np.int64) + np.repeat(starts - new[:-1], lengths)
    return new, at


def _copy_rows(place_rows: _PlaceRows, rows: IntArray) -> _PlaceRows:
    """The given rows, in that order, as arrays of their own."""
    indptr, at = row_positions(place_rows.indptr, rows)
    return _PlaceRows(
        indptr=indptr.astype(place_rows.indices.dtype),
        indices=place_rows.indices[at],
        data=place_rows.data[at],
        row_of=np.zeros(0, dtype=np.int64),
    )
