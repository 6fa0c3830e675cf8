"""What the compiled scoring loops read (:mod:`toolkit.matching.pair_kernel`), gathered from a
group scorer for a block of rows: the person side (tags as slots, wishes, classes, days), the
columns (tag tables, districts, days) and the tables per class of people (distance, hours).
Plain numpy: deciding whether and what to compile loads no compiler.

The scorer is :class:`~toolkit.matching.group_scoring.GroupScorer`, which calls this module:
what is read of it is stated as :class:`Scorer`, so that this module does not import it.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from scipy.sparse import csr_matrix

from toolkit.matching.features import Features
from toolkit.matching.scores import _POPCOUNT, TEXT_FULL, BoolArray, FloatArray, IntArray

__all__ = ["Arguments", "Scorer", "arguments", "usable"]


class _Slots(Protocol):
    @property
    def tags(self) -> IntArray: ...
    @property
    def values(self) -> FloatArray: ...


class _TagSide(Protocol):
    @property
    def slots(self) -> _Slots: ...
    @property
    def table(self) -> FloatArray: ...
    @property
    def person_order(self) -> bool: ...


class Scorer(Protocol):
    """What the loops read of a group scorer (read only)."""

    @property
    def f(self) -> Features: ...
    @property
    def cols(self) -> IntArray: ...
    @property
    def excluded(self) -> csr_matrix | None: ...
    @property
    def talents(self) -> _TagSide: ...
    @property
    def causes(self) -> _TagSide: ...
    @property
    def needs(self) -> _TagSide: ...
    @property
    def talents_counted(self) -> BoolArray: ...
    @property
    def place_local(self) -> IntArray: ...
    @property
    def theirs(self) -> IntArray: ...

    def distance_classes(
        self, rows: IntArray, w: int, reach_km: FloatArray | None
    ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray | None]: ...

    def hours_classes(
        self, rows: IntArray, w: int
    ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]: ...

    def wished(self, rows: IntArray) -> FloatArray: ...


Arguments = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], FloatArray]
"""What the loop reads: the block's person side, the columns, the classes and the weights."""

_NO_ROWS_BOOL = np.zeros((0, 0), dtype=bool)
_NO_ROWS = np.zeros(0)
_NO_ROWS_COUNTED = np.zeros(0, dtype=bool)


def usable(scorer: Scorer) -> bool:
    """Whether the loops can score for this scorer: every tag product adds in the
    person's stored order (few tags), which is the order the loops add in."""
    return (
        scorer.talents.person_order and scorer.causes.person_order and (scorer.needs.person_order)
    )


def arguments(
    scorer: Scorer,
    rows: IntArray,
    w: int,
    person_values: FloatArray | None,
    reach_km: FloatArray | None,
) -> Arguments:
    """The loops' arguments for ``rows`` against the first ``w`` columns of ``scorer``."""
    f = scorer.f
    weights = f.casebook.settings.weights
    per_row = f.wish_parts_stated(rows)
    values_part, values_counted = _NO_ROWS, _NO_ROWS_COUNTED
    if person_values is not None:
        values_counted = ~np.isnan(person_values)
        values_part = weights.values * np.where(values_counted, person_values, 0.0)
    excluded = _NO_ROWS_BOOL
    if scorer.excluded is not None:
        excluded = np.ascontiguousarray(scorer.excluded[rows][:, scorer.cols[:w]].toarray() != 0)
    d_class, d_part, d_known, beyond = scorer.distance_classes(rows, w, reach_km)
    h_class, h_part, h_known, h_few = scorer.hours_classes(rows, w)
    talents, causes, needs = scorer.talents.slots, scorer.causes.slots, scorer.needs.slots
    person = (
        np.ascontiguousarray(talents.tags[rows]),
        np.ascontiguousarray(talents.values[rows]),
        np.ascontiguousarray(causes.tags[rows]),
        np.ascontiguousarray(causes.values[rows]),
        np.ascontiguousarray(needs.tags[rows]),
        np.ascontiguousarray(needs.values[rows]),
        f.n_needs[rows].astype(np.float64),
        scorer.wished(rows),
        per_row,
        values_part,
        values_counted,
        d_class,
        h_class,
        f.person_days[rows].astype(np.int64),
        excluded,
    )
    place = (
        scorer.talents.table,
        scorer.causes.table,
        scorer.needs.table,
        np.ascontiguousarray(scorer.talents_counted[0]),
        scorer.place_local,
        np.ascontiguousarray(scorer.theirs[0], dtype=np.int64),
        _POPCOUNT,
        scorer.cols,
    )
    classes = (
        d_part,
        d_known,
        _NO_ROWS_BOOL if beyond is None else beyond,
        np.ascontiguousarray(h_part),
        np.ascontiguousarray(h_known),
        np.ascontiguousarray(h_few),
    )
    return (
        person,
        place,
        classes,
        np.array([weights.talents, weights.wishes, weights.values, TEXT_FULL]),
    )
