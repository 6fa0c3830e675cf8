"""The casebook as arrays: everything the scores need, built once per loaded casebook.

People, opportunities and sponsors are indexed in the order of their ids, so the same
casebook always gives the same arrays whatever order its files were read in. Tags become
sparse 0/1 matrices over one vocabulary per kind (talents, causes, values, needs, sectors),
texts become TF-IDF rows (:class:`~toolkit.matching.text.TextSimilarity`), districts become
coordinates and a matrix of distances, availability becomes numbers and day bit masks.

"Not stated" is kept apart from "zero": a person without availability has ``nan`` hours and
no days, an opportunity without hours has ``nan`` bounds; the scores leave such parts out
instead of counting them as a mismatch.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.casebook.alerts import person_alerts
from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import DAYS, Opportunity, Person
from toolkit.matching.text import TextSimilarity

__all__ = [
    "DAY_BITS",
    "EARTH_RADIUS_KM",
    "Features",
    "Vocabulary",
    "built_once",
    "features_of",
    "haversine_km",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: One bit per weekday, Monday first: a set of days is a small integer.
DAY_BITS: dict[str, int] = {day: 1 << index for index, day in enumerate(DAYS)}
#: Mean radius of the earth (IUGG), for distances between district centroids.
EARTH_RADIUS_KM = 6371.0088
#: Above this many districts the distances are computed per block instead of held as a matrix.
_DISTANCE_MATRIX_LIMIT = 4000


@dataclass(frozen=True)
class Vocabulary:
    """The distinct tags of one kind, sorted, with their column numbers."""

    tags: tuple[str, ...]
    index: dict[str, int]

    @classmethod
    def of(cls, tag_lists: Iterable[Iterable[str]]) -> Vocabulary:
        tags = tuple(sorted({tag for tags in tag_lists for tag in tags}))
        return cls(tags=tags, index={tag: i for i, tag in enumerate(tags)})

    def __len__(self) -> int:
        return len(self.tags)

    def matrix(
        self, rows: Sequence[Iterable[str]], scale: Sequence[float] | None = None
    ) -> csr_matrix:
        """One row per tag list: ``scale[row]`` (default 1) in each tag's column."""
        indptr = [0]
        indices: list[int] = []
        for tags in rows:
            indices.extend(self.index[tag] for tag in dict.fromkeys(tags))
            indptr.append(len(indices))
        counts = np.diff(np.asarray(indptr))
        values = np.ones(len(indices)) if scale is None else np.repeat(np.asarray(scale), counts)
        return csr_matrix(
            (values, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(len(rows), len(self)),
        )


def haversine_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle distance in km between points given in radians (arrays broadcast)."""
    a = (
        np.sin((lat2 - lat1) / 2.0) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    )
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def _days_mask(days: Iterable[str]) -> int:
    mask = 0
    for day in days:
        mask |= DAY_BITS[day]
    return mask


def place_text(opportunity: Opportunity) -> str:
    """What a wish text is compared with: the title, the description and the causes."""
    return " ".join([opportunity.title, opportunity.description, *opportunity.causes])


@dataclass(frozen=True, eq=False)
class Features:
    """Arrays for scoring; rows follow ``person_ids``, ``opportunity_ids``, ``sponsor_ids``."""

    casebook: Casebook
    person_ids: tuple[str, ...]
    opportunity_ids: tuple[str, ...]
    sponsor_ids: tuple[str, ...]
    person_index: dict[str, int]
    opportunity_index: dict[str, int]
    sponsor_index: dict[str, int]

    # Talents: the person's 0/1 row against each opportunity's required and desired tags.
    talents: Vocabulary
    person_talents: csr_matrix
    required: csr_matrix
    desired: csr_matrix
    n_required: IntArray
    n_desired: IntArray

    # Causes, with rows scaled by 1/sqrt(size) so that a product is the cosine of two sets.
    causes: Vocabulary
    person_causes: csr_matrix
    opportunity_causes: csr_matrix
    n_person_causes: IntArray

    # Needs and what opportunities offer.
    needs: Vocabulary
    person_needs: csr_matrix
    opportunity_offers: csr_matrix
    n_needs: IntArray

    # Values and sectors (person x sponsor).
    values: Vocabulary
    person_values: csr_matrix
    sponsor_values: csr_matrix
    n_values: IntArray
    sectors: Vocabulary
    person_avoids: csr_matrix
    sponsor_sector: IntArray

    # Districts: names, centroids (radians, nan if unknown), distances, wished districts.
    districts: tuple[str, ...]
    district_lat: FloatArray
    district_lon: FloatArray
    district_km: FloatArray | None
    person_district: IntArray
    opportunity_district: IntArray
    person_wished: csr_matrix
    n_wished: IntArray
    max_travel_km: FloatArray

    # Availability.
    person_hours: FloatArray
    person_days: IntArray
    hours_min: FloatArray
    hours_max: FloatArray
    opportunity_days: IntArray

    # Texts: wish text against the place text; values against the sponsor's statement.
    text: TextSimilarity
    wish_text: csr_matrix
    has_wish_text: BoolArray
    place_text: csr_matrix
    values_text_model: TextSimilarity
    values_text: csr_matrix
    statement_text: csr_matrix

    # What the casebook has left, and what the opportunities ask.
    open_slots: IntArray
    sponsor_years_left: FloatArray
    sponsor_budget: IntArray
    asks_vog: BoolArray
    other_requirements: tuple[tuple[str, ...], ...]
    person_alert_codes: tuple[tuple[str, ...], ...]

    @property
    def n_people(self) -> int:
        return len(self.person_ids)

    @property
    def n_opportunities(self) -> int:
        return len(self.opportunity_ids)

    @property
    def n_sponsors(self) -> int:
        return len(self.sponsor_ids)

    def person(self, index: int) -> Person:
        return self.casebook.people[self.person_ids[index]]

    def opportunity(self, index: int) -> Opportunity:
        return self.casebook.opportunities[self.opportunity_ids[index]]

    def wish_parts_stated(self, rows: IntArray) -> FloatArray:
        """Per person, how many of the wish parts that depend on the person alone count: the
        causes, the wish text and the wished districts (each 1 when stated)."""
        return (
            (self.n_person_causes[rows] > 0).astype(np.float64)
            + self.has_wish_text[rows]
            + (self.n_wished[rows] > 0)
        )

    def distance_km(self, rows: IntArray, cols: IntArray | slice) -> FloatArray:
        """Km from the home of each person in ``rows`` to each place in ``cols`` (nan: unknown)."""
        home = self.person_district[rows]
        target = self.opportunity_district[cols]
        if self.district_km is not None:
            safe_home = np.where(home >= 0, home, 0)
            safe_target = np.where(target >= 0, target, 0)
            km = self.district_km[safe_home[:, None], safe_target[None, :]]
        else:
            km = haversine_km(
                self.district_lat[home][:, None],
                self.district_lon[home][:, None],
                self.district_lat[target][None, :],
                self.district_lon[target][None, :],
            )
        unknown = (home < 0)[:, None] | (target < 0)[None, :]
        return np.where(unknown, np.nan, km)

    def pair_distance_km(self, rows: IntArray, cols: IntArray) -> FloatArray:
        """Distance of each aligned pair ``(rows[k], cols[k])`` (nan: unknown)."""
        home = self.person_district[rows]
        target = self.opportunity_district[cols]
        if self.district_km is not None:
            km = self.district_km[np.maximum(home, 0), np.maximum(target, 0)]
        else:
            km = haversine_km(
                self.district_lat[home],
                self.district_lon[home],
                self.district_lat[target],
                self.district_lon[target],
            )
        return np.where((home < 0) | (target < 0), np.nan, km)


K = TypeVar("K")
T = TypeVar("T")

# Reentrant: building one cached value may ask for another (a text product's tables ask for
# the prepared vocabulary).
_BUILDING = threading.RLock()


def built_once(cache: MutableMapping[K, T], key: K, build: Callable[[], T]) -> T:
    """``cache[key]``, built by ``build()`` the first time it is asked for.

    Built under one lock: a search scores groups of people in threads, and each group asks
    for the same per-casebook tables; without it two threads could each build them (seconds
    at country scale) or one could see a half-filled table of another.
    """
    found = cache.get(key)
    if found is None:
        with _BUILDING:
            found = cache.get(key)
            if found is None:
                found = build()
                cache[key] = found
    return found


_CACHE: weakref.WeakKeyDictionary[Casebook, Features] = weakref.WeakKeyDictionary()


def features_of(casebook: Casebook) -> Features:
    """The arrays of ``casebook``, built on first use and kept while the casebook lives."""
    return built_once(_CACHE, casebook, lambda: build_features(casebook))


def _scaled(sizes: Sequence[int]) -> list[float]:
    return [1.0 / math.sqrt(n) if n else 0.0 for n in sizes]


def build_features(casebook: Casebook) -> Features:
    people = [casebook.people[pid] for pid in sorted(casebook.people)]
    opportunities = [casebook.opportunities[oid] for oid in sorted(casebook.opportunities)]
    sponsors = [casebook.sponsors[sid] for sid in sorted(casebook.sponsors)]

    talents = Vocabulary.of(
        [p.talents for p in people]
        + [o.talents_required for o in opportunities]
        + [o.talents_desired for o in opportunities]
    )
    causes = Vocabulary.of([p.wishes.causes for p in people] + [o.causes for o in opportunities])
    needs = Vocabulary.of([p.needs for p in people] + [o.offers for o in opportunities])
    values = Vocabulary.of([p.values for p in people] + [s.values for s in sponsors])
    sectors = Vocabulary.of([p.avoid_sectors for p in people] + [[s.sector_tag] for s in sponsors])

    n_person_causes = np.array([len(p.wishes.causes) for p in people], dtype=np.int64)
    n_opportunity_causes = [len(o.causes) for o in opportunities]

    # Districts: the casebook's map first, then any name records use without coordinates.
    coordinates = casebook.settings.districts
    named = set(coordinates)
    for p in people:
        named.add(p.district)
        named.update(p.wishes.districts)
    named.update(o.district for o in opportunities)
    districts = tuple(sorted(named))
    district_index = {name: i for i, name in enumerate(districts)}
    lat = np.array(
        [math.radians(coordinates[d][0]) if d in coordinates else np.nan for d in districts]
    )
    lon = np.array(
        [math.radians(coordinates[d][1]) if d in coordinates else np.nan for d in districts]
    )
    district_km = None
    if len(districts) <= _DISTANCE_MATRIX_LIMIT:
        district_km = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    district_vocabulary = Vocabulary(tags=districts, index=district_index)

    # Availability.
    person_hours = np.array(
        [p.availability.hours_per_week if p.availability else np.nan for p in people]
    )
    person_days = np.array(
        [_days_mask(p.availability.days) if p.availability else 0 for p in people], dtype=np.int64
    )
    hours_min = np.array(
        [o.hours_per_week.min if o.hours_per_week else np.nan for o in opportunities]
    )
    hours_max = np.array(
        [o.hours_per_week.max if o.hours_per_week else np.nan for o in opportunities]
    )

    # Texts.
    text = TextSimilarity()
    wish_texts = [p.wishes.text for p in people]
    both = text.fit_transform(wish_texts + [place_text(o) for o in opportunities])
    wish_text = csr_matrix(both[: len(people)])
    place = csr_matrix(both[len(people) :])
    has_wish_text = np.asarray(wish_text.getnnz(axis=1) > 0) if people else np.zeros(0, bool)
    values_model = TextSimilarity()
    values_both = values_model.fit_transform(
        [" ".join(p.values) for p in people] + [s.statement for s in sponsors]
    )

    # What is left: slots minus active placements, budget minus person-years in use.
    active = Counter(
        p.placement.opportunity for p in people if p.status == "actief" and p.placement is not None
    )
    used_years: dict[str, float] = defaultdict(float)
    for p in people:
        if p.placement is not None and p.placement.sponsor is not None:
            used_years[p.placement.sponsor] += p.placement.person_years()
    years_left = np.array(
        [round(max(0.0, s.budget_person_years - round(used_years[s.id], 2)), 2) for s in sponsors]
    )

    requirement_lists = [tuple(r for r in o.requires if r != "vog") for o in opportunities]
    return Features(
        casebook=casebook,
        person_ids=tuple(p.id for p in people),
        opportunity_ids=tuple(o.id for o in opportunities),
        sponsor_ids=tuple(s.id for s in sponsors),
        person_index={p.id: i for i, p in enumerate(people)},
        opportunity_index={o.id: i for i, o in enumerate(opportunities)},
        sponsor_index={s.id: i for i, s in enumerate(sponsors)},
        talents=talents,
        person_talents=talents.matrix([p.talents for p in people]),
        required=talents.matrix([o.talents_required for o in opportunities]),
        desired=talents.matrix([o.talents_desired for o in opportunities]),
        n_required=np.array([len(o.talents_required) for o in opportunities], dtype=np.int64),
        n_desired=np.array([len(o.talents_desired) for o in opportunities], dtype=np.int64),
        causes=causes,
        person_causes=causes.matrix(
            [p.wishes.causes for p in people], _scaled(n_person_causes.tolist())
        ),
        opportunity_causes=causes.matrix(
            [o.causes for o in opportunities], _scaled(n_opportunity_causes)
        ),
        n_person_causes=n_person_causes,
        needs=needs,
        person_needs=needs.matrix([p.needs for p in people]),
        opportunity_offers=needs.matrix([o.offers for o in opportunities]),
        n_needs=np.array([len(p.needs) for p in people], dtype=np.int64),
        values=values,
        person_values=values.matrix([p.values for p in people]),
        sponsor_values=values.matrix([s.values for s in sponsors]),
        n_values=np.array([len(p.values) for p in people], dtype=np.int64),
        sectors=sectors,
        person_avoids=sectors.matrix([p.avoid_sectors for p in people]),
        sponsor_sector=np.array([sectors.index[s.sector_tag] for s in sponsors], dtype=np.int64),
        districts=districts,
        district_lat=lat,
        district_lon=lon,
        district_km=district_km,
        person_district=np.array([district_index[p.district] for p in people], dtype=np.int64),
        opportunity_district=np.array(
            [district_index[o.district] for o in opportunities], dtype=np.int64
        ),
        person_wished=district_vocabulary.matrix([p.wishes.districts for p in people]),
        n_wished=np.array([len(set(p.wishes.districts)) for p in people], dtype=np.int64),
        max_travel_km=np.array(
            [p.wishes.max_travel_km if p.wishes.max_travel_km else np.nan for p in people]
        ),
        person_hours=person_hours,
        person_days=person_days,
        hours_min=hours_min,
        hours_max=hours_max,
        opportunity_days=np.array([_days_mask(o.days) for o in opportunities], dtype=np.int64),
        text=text,
        wish_text=wish_text,
        has_wish_text=has_wish_text,
        place_text=place,
        values_text_model=values_model,
        values_text=csr_matrix(values_both[: len(people)]),
        statement_text=csr_matrix(values_both[len(people) :]),
        open_slots=np.array(
            [max(0, o.slots - active[o.id]) for o in opportunities], dtype=np.int64
        ),
        sponsor_years_left=years_left,
        # Each proposal takes one burgerbaan-year (a placement without an end counts as one).
        sponsor_budget=np.floor(years_left + 1e-9).astype(np.int64),
        asks_vog=np.array(["vog" in o.requires for o in opportunities], dtype=bool),
        other_requirements=tuple(requirement_lists),
        person_alert_codes=tuple(tuple(a.code for a in person_alerts(p)) for p in people),
    )
