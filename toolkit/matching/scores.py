"""How well a person fits an opportunity and a sponsor: pure, vectorised scoring.

Every function here takes :class:`~toolkit.matching.features.Features` and index arrays and
returns arrays; nothing is looked up per pair in Python. The same function scores one pair
for an explanation and a block of a hundred thousand people for the top options, so what a
coordinator reads always matches what was ranked.

**The parts**, each in [0, 1]; a part that cannot be judged is ``nan`` and does not count:

* *talents*: the share of the opportunity's required talents the person has, weighing
  twice the share of its desired talents. Not counted when the opportunity asks for none.
* *wishes*: the mean of those of these that apply: causes shared (cosine of the two tag
  sets), the wish text against the place's title, description and causes (TF-IDF cosine,
  full at :data:`TEXT_FULL`), a wished district (1 or 0), the distance from home
  (1 at home, falling to 0 at twice ``max_travel_km``), hours (1 when the person's hours
  fit the range, else the share of them the place can use) and days (the share of the
  smaller set of days that the two have in common). Each applies only when both sides state
  it; a person who states no wishes and no availability has no wishes part.
* *values* (person × sponsor): three quarters the share of the person's values the
  sponsor shares, one quarter its statement against those values (TF-IDF cosine, full at
  :data:`TEXT_FULL`). **Not counted** when the person names no values (they stated no
  preference, so any sponsor they do not avoid is fine) and when the option is **funded
  by the cooperative**: the cooperative is the pilot itself, neutral, so funding through it
  neither raises nor lowers a total. A sponsor whose sector the person avoids is never
  proposed; to a person who names values, neither is a sponsor below :data:`MIN_VALUES_FIT`
  (no value shared and a statement that does not speak to them).

**The total**, 0–100: the casebook's weights over the parts that count, renormalised over
those parts (``100 · Σ wᵢ·partᵢ / Σ wᵢ``). So a total is always "how well what can be judged
fits", and the sponsor never changes the order of a person's places: financing is decoupled
from the work, the sponsor is chosen per person, not per place.

**Hard limits** (the pair is not proposed): a need the opportunity does not offer, fewer
hours available than the place's minimum, no day in common, no open slot, an excluded pair.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.matching.features import Features, built_once

__all__ = [
    "DESIRED_WEIGHT",
    "LIMITS",
    "MIN_VALUES_FIT",
    "REQUIRED_WEIGHT",
    "TEXT_FULL",
    "BlockScores",
    "PairScore",
    "SponsorScores",
    "best_sponsors",
    "choose_sponsors",
    "combine",
    "score_block",
    "score_pairs",
    "sponsor_scores",
    "total_fit",
    "total_of",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Int32Array = NDArray[np.int32]
BoolArray = NDArray[np.bool_]

#: Required talents weigh this much against desired ones.
REQUIRED_WEIGHT = 2.0
DESIRED_WEIGHT = 1.0
#: A TF-IDF cosine at which a text part is full. Character n-gram cosines of a short wish and
#: a place description are low: on the example casebook the median is 0.02, the 99th
#: percentile 0.21 and the highest 0.35; 0.3 makes a clearly related text count fully.
TEXT_FULL = 0.3
#: The values part: shared values against the statement.
SHARED_VALUES_SHARE = 0.75
STATEMENT_SHARE = 0.25
#: Below this values fit a sponsor is not proposed to a person who names values.
MIN_VALUES_FIT = 0.1
#: The hard limits, in the order explanations name them.
LIMITS: tuple[str, ...] = ("needs", "hours", "days", "full", "excluded")

#: Scores are rounded to this many decimals before ranking, so that fits that are equal on
#: paper (0.8333 + 0.1667 and 1.0) tie exactly and the tie goes to the lower id, whatever
#: the floating-point noise of the sums.
_TIE_DECIMALS = 9
#: Up to this many features of a kind (tags), products are sparse times sparse; above it
#: (text n-grams) sparse times the block's own features, densely.
_SMALL_VOCABULARY = 256

_POPCOUNT = np.array([bin(i).count("1") for i in range(128)], dtype=np.int64)


@dataclass(frozen=True)
class BlockScores:
    """Scores of every pair of ``rows`` (people) × ``cols`` (opportunities); arrays are b × c.

    ``nan`` marks a part or sub-part that does not count for that pair.
    """

    rows: IntArray
    cols: IntArray
    feasible: BoolArray
    talents: FloatArray
    wishes: FloatArray
    place: FloatArray
    """Talents and wishes by the casebook's weights, in [0, 1]: the fit of the place itself.
    With ``person_values`` given to the scoring: the total fit / 100 with those values."""
    limits: dict[str, BoolArray]
    """Per hard limit, where it rules the pair out."""
    required: FloatArray | None = None
    desired: FloatArray | None = None
    causes: FloatArray | None = None
    text: FloatArray | None = None
    district: FloatArray | None = None
    distance: FloatArray | None = None
    hours: FloatArray | None = None
    days: FloatArray | None = None
    distance_km: FloatArray | None = None
    travel: BoolArray | None = None
    """Where the distance is beyond the person's maximum (a warning, not a limit)."""

    def pair(self, i: int, j: int | None = None) -> PairScore:
        """Pair ``(i, j)`` of an outer block, or pair ``i`` of aligned pairs (detail needed)."""
        outer = self.feasible.ndim == 2
        if outer and j is None:
            raise ValueError("an outer block needs both indices")
        at: tuple[int, ...] = (i, j) if outer and j is not None else (i,)
        person = int(self.rows[i])
        opportunity = int(self.cols[j if outer and j is not None else i])

        def get(array: np.ndarray | None) -> float:
            return float("nan") if array is None else float(array[at])

        return PairScore(
            person=person,
            opportunity=opportunity,
            feasible=bool(self.feasible[at]),
            talents=get(self.talents),
            wishes=get(self.wishes),
            place=get(self.place),
            required=get(self.required),
            desired=get(self.desired),
            causes=get(self.causes),
            text=get(self.text),
            district=get(self.district),
            distance=get(self.distance),
            hours=get(self.hours),
            days=get(self.days),
            distance_km=get(self.distance_km),
            travel=bool(self.travel[at]) if self.travel is not None else False,
        )


@dataclass(frozen=True)
class PairScore:
    """The scores of one pair as plain numbers (``nan``: does not count), for explanations."""

    person: int
    opportunity: int
    feasible: bool
    talents: float
    wishes: float
    place: float
    required: float
    desired: float
    causes: float
    text: float
    district: float
    distance: float
    hours: float
    days: float
    distance_km: float
    travel: bool


@dataclass(frozen=True)
class SponsorScores:
    """Person × sponsor: the values fit (``nan``: not counted) and who may be proposed."""

    rows: IntArray
    fit: FloatArray
    shared: FloatArray
    statement: FloatArray
    avoided: BoolArray
    acceptable: BoolArray


def combine(parts: Sequence[FloatArray], weights: Sequence[float]) -> FloatArray:
    """The weighted mean of the parts that count (not ``nan``); 0 where none counts."""
    numerator = np.zeros(np.shape(parts[0]))
    denominator = np.zeros(np.shape(parts[0]))
    for part, weight in zip(parts, weights, strict=True):
        counts = ~np.isnan(part)
        numerator += np.where(counts, part, 0.0) * weight
        denominator += counts * weight
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 0.0)


def total_fit(
    features: Features, talents: FloatArray, wishes: FloatArray, values: FloatArray
) -> FloatArray:
    """The total fit, 0–100, from the casebook's weights over the parts that count."""
    weights = features.casebook.settings.weights
    combined = combine([talents, wishes, values], [weights.talents, weights.wishes, weights.values])
    return np.clip(100.0 * combined, 0.0, 100.0)


def total_of(features: Features, talents: float, wishes: float, values: float) -> float:
    """:func:`total_fit` of one pair, in plain floats (``nan``: the part does not count)."""
    weights = features.casebook.settings.weights
    numerator = denominator = 0.0
    for part, weight in (
        (talents, weights.talents),
        (wishes, weights.wishes),
        (values, weights.values),
    ):
        if not math.isnan(part):
            numerator += part * weight
            denominator += weight
    return min(100.0, max(0.0, 100.0 * numerator / denominator)) if denominator > 0 else 0.0


class _Prepared:
    """Matrices derived from the features for scoring, built once per features."""

    def __init__(self, f: Features) -> None:
        n_req = f.n_required.astype(np.float64)
        n_des = f.n_desired.astype(np.float64)
        both = (n_req > 0) & (n_des > 0)
        total = REQUIRED_WEIGHT + DESIRED_WEIGHT
        with np.errstate(divide="ignore"):
            alpha = np.where(n_req > 0, 1.0 / np.maximum(n_req, 1), 0.0)
            beta = np.where(n_des > 0, 1.0 / np.maximum(n_des, 1), 0.0)
        self.required_share = _scale_rows(f.required, alpha)
        self.desired_share = _scale_rows(f.desired, beta)
        # One product gives the talents part: each row folds in its own weights.
        self.talent_coef = csr_matrix(
            _scale_rows(f.required, np.where(both, alpha * REQUIRED_WEIGHT / total, alpha))
            + _scale_rows(f.desired, np.where(both, beta * DESIRED_WEIGHT / total, beta))
        )
        self.talents_counted = (n_req > 0) | (n_des > 0)
        n_districts = len(f.districts)
        self.opportunity_place = csr_matrix(
            (
                np.ones(f.n_opportunities),
                np.where(f.opportunity_district >= 0, f.opportunity_district, 0),
                np.arange(f.n_opportunities + 1),
            ),
            shape=(f.n_opportunities, n_districts),
        )
        self.sponsor_sector = csr_matrix(
            (np.ones(f.n_sponsors), f.sponsor_sector, np.arange(f.n_sponsors + 1)),
            shape=(f.n_sponsors, len(f.sectors)),
        )


_PREPARED: weakref.WeakKeyDictionary[Features, _Prepared] = weakref.WeakKeyDictionary()


def _prepared(f: Features) -> _Prepared:
    return built_once(_PREPARED, f, lambda: _Prepared(f))


def _scale_rows(matrix: csr_matrix, factors: FloatArray) -> csr_matrix:
    scaled = csr_matrix(matrix, copy=True)
    scaled.data = scaled.data * np.repeat(factors, np.diff(scaled.indptr))
    return scaled


class _Shape:
    """Scores either every pair of ``rows`` × ``cols`` (outer, b × c) or the aligned pairs
    ``(rows[k], cols[k])`` (length n): one scoring code for both, only the shapes differ."""

    def __init__(self, f: Features, rows: IntArray, cols: IntArray, outer: bool) -> None:
        self.f = f
        self.r = rows
        self.c = cols
        self.outer = outer
        self.shape: tuple[int, ...] = (rows.size, cols.size) if outer else (rows.size,)

    def p(self, values: np.ndarray) -> np.ndarray:
        """A per-person array, shaped to broadcast against the pairs."""
        picked = values[self.r]
        return picked[:, None] if self.outer else picked

    def p_of(self, values: np.ndarray) -> np.ndarray:
        """An array with one value per row (not per person index), shaped like :meth:`p`."""
        return values[:, None] if self.outer else values

    def o(self, values: np.ndarray) -> np.ndarray:
        """A per-opportunity array, shaped to broadcast against the pairs."""
        picked = values[self.c]
        return picked[None, :] if self.outer else picked

    def product(self, left: csr_matrix, right: csr_matrix) -> FloatArray:
        """``left[person] · right[opportunity]`` for every pair."""
        if left.shape[1] == 0 or self.r.size == 0 or self.c.size == 0:
            return np.zeros(self.shape)
        if self.outer:
            mine = left[self.r]
            if left.shape[1] <= _SMALL_VOCABULARY:
                return np.asarray((mine @ right[self.c].T).toarray(), dtype=np.float64)
            # Many features (text n-grams), few of them in this block's rows: only those
            # columns matter, and a sparse-times-dense product over them beats building a
            # sparse result that is nearly dense anyway.
            used = np.unique(mine.indices)
            if used.size == 0:
                return np.zeros(self.shape)
            theirs = right[self.c][:, used]
            return np.asarray(theirs @ mine[:, used].toarray().T, dtype=np.float64).T
        rowwise = left[self.r].multiply(right[self.c]).sum(axis=1)
        return np.asarray(rowwise, dtype=np.float64).reshape(-1)

    def distance_km(self) -> FloatArray:
        if self.outer:
            return self.f.distance_km(self.r, self.c)
        return self.f.pair_distance_km(self.r, self.c)

    def excluded(self, excluded: csr_matrix | None) -> BoolArray:
        if excluded is None or excluded.nnz == 0 or self.r.size == 0 or self.c.size == 0:
            return np.zeros(self.shape, dtype=bool)
        if self.outer:
            return np.asarray(excluded[self.r][:, self.c].toarray() != 0)
        return np.asarray(excluded[self.r, self.c] != 0).reshape(-1)


def _as_index(values: IntArray | Sequence[int] | None, n: int) -> IntArray:
    if values is None:
        return np.arange(n, dtype=np.int64)
    return np.asarray(values, dtype=np.int64).reshape(-1)


def score_block(
    f: Features,
    rows: IntArray | Sequence[int],
    cols: IntArray | Sequence[int] | None = None,
    *,
    excluded: csr_matrix | None = None,
    detail: bool = False,
    person_values: FloatArray | None = None,
) -> BlockScores:
    """Score every pair of people ``rows`` × opportunities ``cols`` (default: all).

    ``excluded`` is an n_people × n_opportunities matrix whose stored entries are declined
    or banned pairs. With ``detail`` the sub-parts are kept for explanations. With
    ``person_values`` (one values fit per row, ``nan``: not counted) ``place`` holds the
    total fit / 100 instead, for ranking. Arrays are ``len(rows) × len(cols)``.
    """
    shape = _Shape(f, _as_index(rows, f.n_people), _as_index(cols, f.n_opportunities), True)
    return _score(shape, excluded, detail, person_values)


def score_pairs(
    f: Features,
    rows: IntArray | Sequence[int],
    cols: IntArray | Sequence[int],
    *,
    excluded: csr_matrix | None = None,
    detail: bool = True,
) -> BlockScores:
    """Score the pairs ``(rows[k], cols[k])``; arrays have one entry per pair.

    The same scoring as :func:`score_block`, for explaining thousands of chosen pairs at once.
    """
    r = _as_index(rows, f.n_people)
    c = _as_index(cols, f.n_opportunities)
    if r.shape != c.shape:
        raise ValueError("rows and cols must have the same length")
    return _score(_Shape(f, r, c, False), excluded, detail)


def _score(
    s: _Shape, excluded: csr_matrix | None, detail: bool, values: FloatArray | None = None
) -> BlockScores:
    f = s.f
    prep = _prepared(f)

    # Talents: one product with the weights folded into the opportunity's rows.
    talents = np.minimum(s.product(f.person_talents, prep.talent_coef), 1.0)
    talents = np.where(s.o(prep.talents_counted), talents, np.nan)

    # Wishes: each sub-part, nan where it does not apply.
    causes = np.minimum(s.product(f.person_causes, f.opportunity_causes), 1.0)
    causes = np.where(s.p(f.n_person_causes) > 0, causes, np.nan)
    text = np.minimum(s.product(f.wish_text, f.place_text) / TEXT_FULL, 1.0)
    text = np.where(s.p(f.has_wish_text), text, np.nan)
    district = np.minimum(s.product(f.person_wished, prep.opportunity_place), 1.0)
    district = np.where(s.p(f.n_wished) > 0, district, np.nan)
    km = s.distance_km()
    reach = s.p(f.max_travel_km)
    unknown_km = np.isnan(km) | np.isnan(reach)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.where(unknown_km, np.nan, np.clip(1.0 - km / (2.0 * reach), 0.0, 1.0))
        travel = ~unknown_km & (km > reach)

    have = s.p(f.person_hours)
    low = s.o(f.hours_min)
    high = s.o(f.hours_max)
    hours_known = ~np.isnan(have) & ~np.isnan(low)
    with np.errstate(invalid="ignore", divide="ignore"):
        too_few_hours = hours_known & (have < low)
        usable = np.clip(np.where(have <= high, 1.0, high / have), 0.0, 1.0)
    hours = np.where(hours_known, np.where(too_few_hours, 0.0, usable), np.nan)

    mine = s.p(f.person_days)
    theirs = s.o(f.opportunity_days)
    days_known = (mine != 0) & (theirs != 0)
    common = _POPCOUNT[mine & theirs]
    smaller = np.minimum(_POPCOUNT[mine], _POPCOUNT[theirs])
    days = np.where(days_known, common / np.maximum(smaller, 1), np.nan)
    no_common_day = days_known & (common == 0)

    subparts = np.broadcast_arrays(causes, text, district, distance, hours, days)
    counted = np.zeros(s.shape)
    summed = np.zeros(s.shape)
    for part in subparts:
        known = ~np.isnan(part)
        counted += known
        summed += np.where(known, part, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        wishes = np.where(counted > 0, summed / np.maximum(counted, 1), np.nan)
    weights = f.casebook.settings.weights
    if values is None:
        place = combine(
            [np.broadcast_to(talents, s.shape), wishes], [weights.talents, weights.wishes]
        )
    else:
        place = combine(
            [np.broadcast_to(talents, s.shape), wishes, np.broadcast_to(s.p_of(values), s.shape)],
            [weights.talents, weights.wishes, weights.values],
        )
    place = np.round(place, _TIE_DECIMALS)

    # Hard limits.
    offered = s.product(f.person_needs, f.opportunity_offers)
    limits = {
        "needs": np.broadcast_to(offered + 0.5 < s.p(f.n_needs), s.shape),
        "hours": np.broadcast_to(too_few_hours, s.shape),
        "days": np.broadcast_to(no_common_day, s.shape),
        "full": np.broadcast_to(s.o(f.open_slots) <= 0, s.shape),
        "excluded": s.excluded(excluded),
    }
    feasible = ~(
        limits["needs"] | limits["hours"] | limits["days"] | limits["full"] | limits["excluded"]
    )
    talents = np.broadcast_to(talents, s.shape)
    if not detail:
        return BlockScores(s.r, s.c, feasible, talents, wishes, place, limits, distance_km=km)
    required = np.minimum(s.product(f.person_talents, prep.required_share), 1.0)
    desired = np.minimum(s.product(f.person_talents, prep.desired_share), 1.0)
    return BlockScores(
        s.r,
        s.c,
        feasible,
        talents,
        wishes,
        place,
        limits,
        required=np.broadcast_to(np.where(s.o(f.n_required) > 0, required, np.nan), s.shape),
        desired=np.broadcast_to(np.where(s.o(f.n_desired) > 0, desired, np.nan), s.shape),
        causes=np.broadcast_to(causes, s.shape),
        text=np.broadcast_to(text, s.shape),
        district=np.broadcast_to(district, s.shape),
        distance=np.broadcast_to(distance, s.shape),
        hours=np.broadcast_to(hours, s.shape),
        days=np.broadcast_to(days, s.shape),
        distance_km=np.broadcast_to(km, s.shape),
        travel=np.broadcast_to(travel, s.shape),
    )


def _outer(left: csr_matrix, rows: IntArray, right: csr_matrix) -> FloatArray:
    """``left[rows] · rightᵀ`` as a dense array."""
    if left.shape[1] == 0 or rows.size == 0 or right.shape[0] == 0:
        return np.zeros((rows.size, right.shape[0]))
    return np.asarray((left[rows] @ right.T).toarray(), dtype=np.float64)


def sponsor_scores(f: Features, rows: IntArray | Sequence[int]) -> SponsorScores:
    """Values fit of each person in ``rows`` with every sponsor, and who may be proposed."""
    r = _as_index(rows, f.n_people)
    prep = _prepared(f)
    n_values = f.n_values[r].astype(np.float64)[:, None]
    shared_count = _outer(f.person_values, r, f.sponsor_values)
    with np.errstate(invalid="ignore", divide="ignore"):
        shared = np.where(n_values > 0, shared_count / np.maximum(n_values, 1.0), np.nan)
    statement_cos = _outer(f.values_text, r, f.statement_text)
    statement = np.where(n_values > 0, np.minimum(statement_cos / TEXT_FULL, 1.0), np.nan)
    fit = SHARED_VALUES_SHARE * shared + STATEMENT_SHARE * statement
    avoided = _outer(f.person_avoids, r, prep.sponsor_sector) > 0
    acceptable = ~avoided & (np.isnan(fit) | (fit >= MIN_VALUES_FIT))
    return SponsorScores(r, fit, shared, statement, avoided, acceptable)


def best_sponsors(
    f: Features, scores: SponsorScores, budget: IntArray | None = None
) -> tuple[IntArray, FloatArray]:
    """Per person, the sponsor to propose (``-1``: the cooperative) and its values fit.

    Among acceptable sponsors with budget left: the best values fit, ties to the lower id;
    for a person who names no values (fit not counted) the sponsor with the most years left,
    ties to the lower id, and a values fit of ``nan``.
    """
    left = f.sponsor_budget if budget is None else budget
    n = scores.rows.size
    if f.n_sponsors == 0:
        return np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    usable = scores.acceptable & (left > 0)[None, :]
    no_values: BoolArray = np.asarray(np.isnan(scores.fit).all(axis=1))
    # The key: values fit where the person names values, else years left (scaled below 1 so
    # that it only orders sponsors, never competes with a fit).
    years = f.sponsor_years_left
    years_key = years / (years.max() + 1.0) if years.size else years
    key = np.where(no_values[:, None], years_key[None, :], np.nan_to_num(scores.fit, nan=0.0))
    key = np.where(usable, key, -np.inf)
    # argmax takes the first maximum, which is the lower sponsor id.
    choice = np.argmax(key, axis=1).astype(np.int64)
    has_one = usable.any(axis=1)
    choice = np.where(has_one, choice, -1)
    fit = np.where(has_one, scores.fit[np.arange(n), np.maximum(choice, 0)], np.nan)
    return choice, fit


def choose_sponsors(
    f: Features, rows: IntArray | Sequence[int], block_size: int = 8192
) -> tuple[IntArray, FloatArray]:
    """:func:`best_sponsors` for many people, a block of rows at a time (bounded memory)."""
    r = _as_index(rows, f.n_people)
    choice = np.full(r.size, -1, dtype=np.int64)
    fit = np.full(r.size, np.nan)
    for start in range(0, r.size, block_size):
        stop = min(start + block_size, r.size)
        choice[start:stop], fit[start:stop] = best_sponsors(f, sponsor_scores(f, r[start:stop]))
    return choice, fit
