"""Scoring one reach group at a time, with nothing computed twice.

A round or a country-wide search scores people in groups that share a home district and a
set of opportunities within reach (:func:`toolkit.matching.ranking._reach_groups`). The
opportunity side of a group is the same for each of its blocks, so :class:`GroupScorer`
prepares it once: the columns' arrays, and the tag products as dense tables (one row per
tag); the place text is prepared once per features (:mod:`toolkit.matching.text_product`).
The parts that depend on a person only through a few values (home, travel and reach for
the distance; hours; days) are computed once per *class* of people with the same values and
copied to each row of the class.

The numbers are :func:`toolkit.matching.ranking.rank_block`'s, bit for bit (a property test
holds them equal): every floating-point operation is the same, on the same operands, in the
same order. Two facts make that possible:

* a sparse product adds its terms in the stored order of one side's row (the person's row for
  the tag products, the opportunity's row for the text product), starting from zero; adding
  a zero term (a tag the other side lacks) changes nothing, so walking the person's stored
  tags one *slot* at a time over a dense table, or multiplying sparse by sparse with the
  opportunity's row outermost, adds the same terms in the same order;
* an elementwise formula gives the same result on a class's representative as on each member,
  and on a pair taken out of the block (:meth:`RankParts.take`) as on the pair in it.
"""

from __future__ import annotations

import importlib.util
import weakref
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.matching import pair_arguments, scores
from toolkit.matching.features import Features, built_once
from toolkit.matching.scores import (
    _POPCOUNT,
    _TIE_DECIMALS,
    TEXT_FULL,
    BoolArray,
    FloatArray,
    IntArray,
    _prepared,
)
from toolkit.matching.text_product import TextProduct, row_positions

__all__ = ["COMPILED_FROM_PAIRS", "GroupScorer", "RankParts", "compiled_wanted"]


@dataclass(frozen=True)
class _Slots:
    """A person × tag matrix as slots: the s-th stored tag of each row and its value.

    Rows with fewer tags are padded with the tag ``n_tags``, whose table row is all zeros.
    """

    tags: IntArray
    values: FloatArray
    unit: bool
    """Every value is 1.0, so multiplying by it can be skipped (``1.0 * x == x``)."""

    @classmethod
    def of(cls, matrix: csr_matrix) -> _Slots:
        lengths = np.diff(matrix.indptr)
        width = int(lengths.max()) if lengths.size else 0
        tags = np.full((matrix.shape[0], width), matrix.shape[1], dtype=np.int64)
        values = np.zeros((matrix.shape[0], width))
        row = np.repeat(np.arange(matrix.shape[0]), lengths)
        slot = np.arange(matrix.nnz) - np.repeat(matrix.indptr[:-1], lengths)
        tags[row, slot] = matrix.indices
        values[row, slot] = matrix.data
        return cls(tags=tags, values=values, unit=bool(np.all(matrix.data == 1.0)))


@dataclass(frozen=True)
class _PersonSide:
    """The person side of the tag products, built once per features."""

    talents: _Slots
    causes: _Slots
    needs: _Slots


_PERSON_SIDE: weakref.WeakKeyDictionary[Features, _PersonSide] = weakref.WeakKeyDictionary()


def _person_side(f: Features) -> _PersonSide:
    return built_once(
        _PERSON_SIDE,
        f,
        lambda: _PersonSide(
            talents=_Slots.of(f.person_talents),
            causes=_Slots.of(f.person_causes),
            needs=_Slots.of(f.person_needs),
        ),
    )


def _person_order(left: csr_matrix) -> bool:
    """Whether :meth:`~toolkit.matching.scores._Shape.product` adds in the person's stored
    order (sparse times sparse, few features) or the opportunity's (sparse times dense)."""
    return bool(left.shape[1] <= scores._SMALL_VOCABULARY)


class _TagProduct:
    """``left[rows] · right[cols]`` for every pair of a block, ``right[cols]`` prepared once.

    In the person's order: each stored tag of the person (a slot) picks a row of a dense
    (tags + 1) × cols table, the last row all zeros for rows with fewer tags. In the
    opportunity's order: the same with the roles swapped, a column of the person's dense row
    per stored tag of the opportunity.
    """

    def __init__(self, left: csr_matrix, slots: _Slots, right: csr_matrix, cols: IntArray) -> None:
        self.left = left
        self.slots = slots
        self.n_cols = cols.size
        self.person_order = _person_order(left)
        n_tags = right.shape[1]
        picked = _take_rows(right, cols) if cols.size and n_tags else None
        if self.person_order:
            self.table = np.zeros((n_tags + 1, cols.size))
            if picked is not None:
                self.table[:-1] = picked.toarray().T
        else:
            empty = csr_matrix((cols.size, n_tags))
            self.theirs = _Slots.of(picked if picked is not None else empty)

    def __call__(self, rows: IntArray, width: int) -> FloatArray:
        """The product with the first ``width`` columns."""
        if self.person_order:
            return _slots_times(
                self.slots.tags[rows],
                self.slots.values[rows],
                self.slots.unit,
                self.table[:, :width],
                rows_first=True,
            )
        dense = np.zeros((rows.size, self.left.shape[1] + 1))
        if self.left.shape[1]:
            dense[:, :-1] = _take_rows(self.left, rows).toarray()
        return _slots_times(
            self.theirs.tags[:width],
            self.theirs.values[:width],
            self.theirs.unit,
            dense,
            rows_first=False,
        )


def _slots_times(
    tags: IntArray, values: FloatArray, unit: bool, table: FloatArray, *, rows_first: bool
) -> FloatArray:
    """Add ``value · table[tag]`` slot by slot; ``rows_first``: the slots are the block's
    rows' and the table is tags × cols, else the slots are the columns' and the table is
    rows × tags."""
    sentinel = table.shape[0 if rows_first else 1] - 1
    total: FloatArray | None = None
    for s in range(tags.shape[1]):
        at = tags[:, s]
        if np.all(at == sentinel):
            break  # slots fill from the left: nobody has a tag in this slot or later ones
        if rows_first:
            term = table[at]
            if not unit:
                term *= values[:, s][:, None]
        else:
            term = table[:, at]
            if not unit:
                term *= values[:, s][None, :]
        if total is None:
            total = term
        else:
            total += term
    if total is None:
        n_rows = tags.shape[0] if rows_first else table.shape[0]
        n_cols = table.shape[1] if rows_first else tags.shape[0]
        return np.zeros((n_rows, n_cols))
    return total


def _row_arrays(matrix: csr_matrix, rows: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
    """``matrix[rows]`` as (indptr, indices, data), each row's stored order kept."""
    indptr, at = row_positions(matrix.indptr, rows)
    return indptr, matrix.indices[at], matrix.data[at]


def _take_rows(matrix: csr_matrix, rows: IntArray) -> csr_matrix:
    """``matrix[rows]`` (each row's stored order kept), without scipy's fancy indexing."""
    indptr, indices, data = _row_arrays(matrix, rows)
    return csr_matrix((data, indices, indptr), shape=(rows.size, matrix.shape[1]))


def _weighted(weight: float, part: FloatArray, counted: BoolArray) -> FloatArray:
    """``weight * np.where(counted, part, 0.0)``, in place when every column counts."""
    if counted.all():
        part *= weight
        return part
    return weight * np.where(counted, part, 0.0)


def _classes(*keys: NDArray[np.generic]) -> tuple[IntArray, IntArray]:
    """Per row, its class (rows with the same bits in every key), and one row per class."""
    columns = [
        np.ascontiguousarray(k).view(np.int64) if k.dtype == np.float64 else k.astype(np.int64)
        for k in keys
    ]
    order = np.lexsort(columns[::-1])
    starts = np.ones(order.size, dtype=bool)
    starts[1:] = False
    for column in columns:
        ordered = column[order]
        starts[1:] |= ordered[1:] != ordered[:-1]
    inverse = np.empty(order.size, dtype=np.int64)
    inverse[order] = np.cumsum(starts) - 1
    return inverse, order[starts].astype(np.int64)


@dataclass(frozen=True)
class RankParts:
    """A block's ranking score before the text is added, pair by pair (rows × columns), or
    for some pairs only (flat, :meth:`take`): :meth:`finish` adds the text part where
    ``_rank`` adds it and does the rest of its arithmetic, operation for operation."""

    causes: FloatArray
    """``min(causes, 1)``: what the text part is added to."""
    district: FloatArray
    distance: FloatArray
    hours: FloatArray
    days: FloatArray
    counted: FloatArray
    """How many wish parts count, at least 1 (what the wishes' sum is divided by)."""
    talents: FloatArray
    """The talents' weighted part: where the numerator starts."""
    wishes_weight: float
    values: FloatArray | None
    """The values' weighted part (one per row), added to the numerator last."""
    positive: BoolArray | None
    """Where the denominator is positive (elsewhere the score is 0); None: everywhere."""
    denominator: FloatArray
    """The denominator where positive, else 1."""
    infeasible: BoolArray

    def finish(self, text: FloatArray | float, *, mark_infeasible: bool = True) -> FloatArray:
        """The rounded score with this text part (``min(text / TEXT_FULL, 1)``), ``-inf``
        where infeasible. The score never decreases as the text part grows: every step is
        an addition, a division by a positive number, a product with a weight (never
        negative) or the rounding, each monotone in floating point as well.
        ``mark_infeasible=False`` leaves the infeasible pairs' numbers as they come."""
        # One array, every step in place (``a + b`` and ``b + a`` are the same number).
        rank = self.causes + text
        rank += self.district
        rank += self.distance
        rank += self.hours
        rank += self.days
        rank /= self.counted  # the wishes part
        rank *= self.wishes_weight
        rank += self.talents  # the numerator
        if self.values is not None:
            rank += self.values
        rank /= self.denominator
        if self.positive is not None:
            rank[~self.positive] = 0.0
        np.round(rank, _TIE_DECIMALS, out=rank)
        if mark_infeasible:
            rank[self.infeasible] = -np.inf
        return np.asarray(rank)

    def take(self, flat: IntArray) -> RankParts:
        """These parts for some pairs only: ``flat`` indexes the rows × columns block in
        row-major order. The pairs taken must be feasible."""
        n_cols = self.causes.shape[1]

        def at(part: FloatArray) -> FloatArray:
            return np.asarray(part.reshape(-1)[flat])

        return RankParts(
            causes=at(self.causes),
            district=at(self.district),
            distance=at(self.distance),
            hours=at(self.hours),
            days=at(self.days),
            counted=at(self.counted),
            talents=at(self.talents),
            wishes_weight=self.wishes_weight,
            values=None if self.values is None else self.values[flat // n_cols, 0],
            positive=None if self.positive is None else self.positive.reshape(-1)[flat],
            denominator=at(self.denominator),
            infeasible=np.zeros(flat.size, dtype=bool),
        )


class GroupScorer:
    """:func:`~toolkit.matching.ranking.rank_block` for many blocks of rows against the same
    columns, with the columns' side prepared once.

    Columns without an open slot are never feasible for anyone, so they are left out:
    :attr:`cols` is the columns actually scored, in the order given. A block may score only
    the first ``width`` of them (the nearest, when the columns come nearest first): people
    with a shorter reach need fewer columns. :meth:`rank` returns the columns of
    :meth:`columns` (ascending opportunity index, as ``rank_block`` would).
    """

    def __init__(
        self,
        f: Features,
        cols: IntArray,
        excluded: csr_matrix | None = None,
        *,
        compiled: bool = False,
    ) -> None:
        self.f = f
        open_ = f.open_slots[cols] > 0
        c = cols[open_]
        self.cols: IntArray = c
        # How many of the first w given columns are kept, for every w.
        self._kept_before = np.concatenate(([0], np.cumsum(open_)))
        self._ascending = bool(np.all(np.diff(c) > 0))
        self._restore: dict[int, IntArray] = {}
        prep = _prepared(f)
        self.excluded = excluded if excluded is not None and excluded.nnz else None
        side = _person_side(f)
        self.talents = _TagProduct(f.person_talents, side.talents, prep.talent_coef, c)
        self.causes = _TagProduct(f.person_causes, side.causes, f.opportunity_causes, c)
        self.needs = _TagProduct(f.person_needs, side.needs, f.opportunity_offers, c)
        self.talents_counted = prep.talents_counted[c][None, :]
        self.place_text: csr_matrix | None = None
        self.text: TextProduct | None = None
        if f.place_text.shape[1] and c.size:
            if _person_order(f.wish_text):
                self.place_text = _take_rows(f.place_text, c)
            else:
                self.text = TextProduct(f, c)
        district = f.opportunity_district[c]
        place_district = np.where(district >= 0, district, 0)
        # The districts of the columns, numbered 0..: a person's wishes over only these.
        districts, place_local = np.unique(place_district, return_inverse=True)
        self.place_local: IntArray = place_local.astype(np.int64)
        self._n_local = districts.size
        self._local_of = np.full(f.person_wished.shape[1], -1, dtype=np.int64)
        if self._local_of.size:
            self._local_of[districts] = np.arange(districts.size)
        self.low = f.hours_min[c][None, :]
        high = f.hours_max[c]
        self.high_safe = np.where(np.isnan(high), 0.0, high)[None, :]
        self.high_known = (~np.isnan(high))[None, :]
        self.theirs = f.opportunity_days[c][None, :]
        self.compiled = compiled and _compiled_usable(self)
        """Score with :mod:`toolkit.matching.pair_kernel`'s compiled loops."""

    def width(self, given: int) -> int:
        """How many scored columns the first ``given`` columns passed in hold."""
        return int(self._kept_before[given])

    def columns(self, width: int | None = None) -> IntArray:
        """The opportunities of :meth:`rank`'s columns for this width, ascending."""
        w = self.cols.size if width is None else width
        return self.cols[:w][self._order(w)] if not self._ascending else self.cols[:w]

    def _order(self, width: int) -> IntArray:
        found = self._restore.get(width)
        if found is None:
            found = np.argsort(self.cols[:width], kind="stable")
            self._restore[width] = found
        return found

    def rank(
        self,
        rows: IntArray,
        *,
        width: int | None = None,
        person_values: FloatArray | None = None,
        reach_km: FloatArray | None = None,
    ) -> FloatArray:
        """``rank_block(f, rows, columns(width), ...)``, bit for bit."""
        rank = self._rank(rows, self.cols.size if width is None else width, person_values, reach_km)
        if self._ascending:
            return rank
        return np.asarray(rank[:, self._order(rank.shape[1])])

    def edges(
        self, rows: IntArray, width: int, reach_km: FloatArray | None
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """The pairs of :meth:`rank` with a finite score, by the compiled loops: per row how
        many, and row after row (opportunity ascending) the opportunity and the score
        clipped to [0, 1]."""
        from toolkit.matching import pair_kernel  # numba: only when compiled

        args = pair_arguments.arguments(self, rows, width, None, reach_km)
        order = np.arange(width) if self._ascending else self._order(width)
        return pair_kernel.edges(args, width, self._products(rows, width), order)

    def _products(self, rows: IntArray, w: int) -> FloatArray | None:
        if self.place_text is None and self.text is None:
            return None
        return self._text(rows, w)

    def _rank(
        self,
        rows: IntArray,
        w: int,
        person_values: FloatArray | None,
        reach_km: FloatArray | None,
    ) -> FloatArray:
        if rows.size == 0 or w == 0:
            return np.full((rows.size, w), -np.inf)
        if self.compiled:
            from toolkit.matching import pair_kernel  # numba: only when compiled

            args = pair_arguments.arguments(self, rows, w, person_values, reach_km)
            return pair_kernel.score_block(args, w, self._products(rows, w))
        parts = self.parts(rows, w, person_values, reach_km)
        return parts.finish(np.minimum(self._text(rows, w) / TEXT_FULL, 1.0))

    def parts(
        self,
        rows: IntArray,
        w: int,
        person_values: FloatArray | None,
        reach_km: FloatArray | None,
    ) -> RankParts:
        """Everything of :meth:`rank` for the first ``w`` columns but the text."""
        f = self.f
        weights = f.casebook.settings.weights
        talents_counted = self.talents_counted[:, :w]

        # The products are new arrays of their own: capped in place.
        talents = self.talents(rows, w)
        np.minimum(talents, 1.0, out=talents)
        causes = self.causes(rows, w)
        np.minimum(causes, 1.0, out=causes)
        district = self._district(rows, w)
        distance, distance_known, beyond = self._distance(rows, w, reach_km)
        hours, hours_known, too_few_hours = self._hours(rows, w)
        days, days_known, no_common_day = self._days(rows, w)

        per_row = f.wish_parts_stated(rows)
        counted = per_row[:, None] + distance_known
        counted += hours_known
        counted += days_known

        wishes_counted = counted > 0
        denominator = weights.talents * talents_counted + weights.wishes * wishes_counted
        values = None
        if person_values is not None:
            values_counted = ~np.isnan(person_values)
            values = (weights.values * np.where(values_counted, person_values, 0.0))[:, None]
            denominator += (weights.values * values_counted)[:, None]

        infeasible = too_few_hours | no_common_day
        if beyond is not None:
            infeasible |= beyond
        needy = np.flatnonzero(f.n_needs[rows] > 0)
        if needy.size:
            offered = self.needs(rows[needy], w)
            infeasible[needy] |= offered + 0.5 < f.n_needs[rows[needy]][:, None]
        if self.excluded is not None:
            infeasible |= np.asarray(self.excluded[rows][:, self.cols[:w]].toarray() != 0)
        positive: BoolArray | None = denominator > 0
        if positive is not None and positive.all():
            positive = None  # the usual case: nothing to set to 0, no denominator to replace
        return RankParts(
            causes=causes,
            district=district,
            distance=distance,
            hours=hours,
            days=days,
            counted=np.maximum(counted, 1.0, out=counted),
            talents=_weighted(weights.talents, talents, talents_counted),
            wishes_weight=weights.wishes,
            values=values,
            positive=positive,
            denominator=denominator if positive is None else np.where(positive, denominator, 1.0),
            infeasible=infeasible,
        )

    def _text(self, rows: IntArray, w: int) -> FloatArray:
        """The wish text against the place text, adding in the order ``_Shape.product`` adds."""
        if self.place_text is not None:
            wish = _take_rows(self.f.wish_text, rows)
            return np.asarray((wish @ self.place_text[:w].T).toarray(), dtype=np.float64)
        if self.text is None:
            return np.zeros((rows.size, w))
        return self.text(rows, w)

    def _district(self, rows: IntArray, w: int) -> FloatArray:
        """1 where the place lies in a district the person wishes: one stored value per
        opportunity, so the product is that value of the person's row."""
        if self.f.person_wished.shape[1] == 0:
            return np.zeros((rows.size, w))
        return np.asarray(np.take(self.wished(rows), self.place_local[:w], axis=1))

    def wished(self, rows: IntArray) -> FloatArray:
        """Per row, ``min(wish, 1)`` for each of the columns' districts (numbered as in
        :attr:`place_local`): the person's dense row of district wishes, over only these."""
        dense = np.zeros((rows.size, self._n_local))
        wished = self.f.person_wished
        if wished.shape[1] == 0:
            return dense
        indptr, indices, data = _row_arrays(wished, rows)
        local = self._local_of[indices]
        row = np.repeat(np.arange(rows.size), np.diff(indptr))
        mine = local >= 0
        # Duplicates add up in stored order from zero, as a dense copy of the rows would.
        np.add.at(dense, (row[mine], local[mine]), data[mine])
        return np.minimum(dense, 1.0, out=dense)

    def _distance(
        self, rows: IntArray, w: int, reach_km: FloatArray | None
    ) -> tuple[FloatArray, FloatArray, BoolArray | None]:
        """The distance part, whether it counts, and whether the place is beyond reach."""
        inverse, part, known, beyond = self.distance_classes(rows, w, reach_km)
        return part[inverse], known[inverse], None if beyond is None else beyond[inverse]

    def distance_classes(
        self, rows: IntArray, w: int, reach_km: FloatArray | None
    ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray | None]:
        """Per class of (home, travel, reach): the distance part, whether it counts, and
        whether the place is beyond reach; and each row's class."""
        f = self.f
        travel_all = f.max_travel_km[rows]
        keys = [f.person_district[rows], travel_all]
        if reach_km is not None:
            keys.append(np.asarray(reach_km, dtype=np.float64))
        inverse, first = _classes(*keys)
        km = f.distance_km(rows[first], self.cols[:w])
        travel = travel_all[first][:, None]
        distance_known = ~np.isnan(km) & ~np.isnan(travel)
        with np.errstate(invalid="ignore", divide="ignore"):
            part = np.where(distance_known, np.clip(1.0 - km / (2.0 * travel), 0.0, 1.0), 0.0)
        beyond = None
        if reach_km is not None:
            with np.errstate(invalid="ignore"):
                beyond = km > reach_km[first][:, None]
        return inverse, part, distance_known.astype(np.float64), beyond

    def _hours(self, rows: IntArray, w: int) -> tuple[FloatArray, FloatArray, BoolArray]:
        inverse, part, known, too_few = self.hours_classes(rows, w)
        return part[inverse], known[inverse], too_few[inverse]

    def hours_classes(
        self, rows: IntArray, w: int
    ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
        have_all = self.f.person_hours[rows]
        inverse, first = _classes(have_all)
        have = have_all[first]
        have_safe = np.where(np.isnan(have), np.inf, have)[:, None]
        part = np.minimum(self.high_safe[:, :w] / have_safe, 1.0)
        known = (~np.isnan(have))[:, None] & self.high_known[:, :w]
        too_few = (have_safe < self.low[:, :w]) & ~np.isinf(have_safe)
        return inverse, part, known.astype(np.float64), too_few

    def _days(self, rows: IntArray, w: int) -> tuple[FloatArray, FloatArray, BoolArray]:
        inverse, part, known, no_common = self._days_classes(rows, w)
        return part[inverse], known[inverse], no_common[inverse]

    def _days_classes(
        self, rows: IntArray, w: int
    ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
        mine_all = self.f.person_days[rows]
        inverse, first = _classes(mine_all)
        mine = mine_all[first]
        theirs = self.theirs[:, :w]
        common = _POPCOUNT[mine[:, None] & theirs]
        smaller = np.minimum(_POPCOUNT[mine][:, None], _POPCOUNT[theirs])
        part = common / np.maximum(smaller, 1)
        known = (mine != 0)[:, None] & (theirs != 0)
        no_common = known & (common == 0)
        return inverse, part, known.astype(np.float64), no_common


#: From this many pairs (people × open places) on, a search scores with the compiled loops
#: when numba is installed: loading them costs about 0.6 s, which smaller searches would not
#: win back. Either way the numbers are the same, bit for bit.
COMPILED_FROM_PAIRS = 200_000_000


def compiled_wanted(f: Features, n_rows: int, compiled: bool | None) -> bool:
    """Whether a search over ``n_rows`` people scores with the compiled loops: as asked, or
    (None) when numba is installed and the search is large."""
    if compiled is not None:
        return compiled
    n_pairs = n_rows * int(np.count_nonzero(f.open_slots > 0))
    return n_pairs >= COMPILED_FROM_PAIRS and importlib.util.find_spec("numba") is not None


def _compiled_usable(scorer: GroupScorer) -> bool:
    return pair_arguments.usable(scorer)
