"""Why an option fits, and why a person has none: plain sentences in the active language.

Every sentence is built from the same arrays the ranking used (a detailed
:class:`~toolkit.matching.scores.BlockScores` of the pair) and from the records' tags, so an
explanation can never disagree with the score it explains.

Each reason and warning carries a stable code. Reports for the public leave out the codes in
:data:`PERSONAL_REASONS` and :data:`PERSONAL_WARNINGS`: they reveal a person's needs (health),
values (beliefs) or situation (benefits, residence status), which the public view keeps out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.casebook.alerts import person_alerts
from toolkit.casebook.records import Opportunity
from toolkit.formatting import number
from toolkit.i18n import _, current_language, ngettext, translations
from toolkit.matching.features import DAY_BITS, Features
from toolkit.matching.options import PART_NAMES, NoOption, Option, Parts
from toolkit.matching.scores import (
    LIMITS,
    BlockScores,
    PairScore,
    SponsorScores,
    score_block,
)

__all__ = [
    "PERSONAL_REASONS",
    "PERSONAL_WARNINGS",
    "REASON_CODES",
    "WARNING_CODES",
    "SponsorChoice",
    "SponsorChoices",
    "explain_option",
    "explain_options",
    "no_option",
    "no_option_sentences",
    "sponsor_choice",
    "sponsor_choices",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Every reason code, in the order reasons are given.
REASON_CODES: tuple[str, ...] = (
    "talents",
    "missing_required",
    "missing_desired",
    "no_talents_asked",
    "causes",
    "no_shared_cause",
    "text",
    "district",
    "not_wished_district",
    "distance",
    "hours",
    "hours_partly",
    "days",
    "needs",
    "values",
    "statement",
    "sponsor_no_values",
    "cooperative",
)
#: Every warning code: first those from the person's record, then the pair's.
WARNING_CODES: tuple[str, ...] = (
    "no_bsn",
    "asylum_seeker",
    "pgb",
    "wajong",
    "vog",
    "requires",
    "travel",
)
#: Reasons that show a person's needs or values: internal outputs only.
PERSONAL_REASONS: frozenset[str] = frozenset({"needs", "values", "statement"})
#: Warnings that follow from a person's situation (special-category data): internal only.
PERSONAL_WARNINGS: frozenset[str] = frozenset({"no_bsn", "asylum_seeker", "pgb", "wajong"})

#: A text or statement part from this score on counts as a met wish in the sentences.
_CLEARLY = 0.5
#: Closer than this (km) is "in their home district": distances are between centroids.
_SAME_PLACE_KM = 0.05


@dataclass(frozen=True)
class SponsorChoice:
    """Who funds an option: a sponsor index (``-1``: the cooperative) and why."""

    index: int
    fit: float  # the values fit; nan when it does not count
    shared: float = float("nan")
    statement: float = float("nan")
    # Why the cooperative: "no_sponsors", "no_budget" (none acceptable has budget left),
    # "no_fit" (no sponsor with budget shares the person's values or is not avoided),
    # "taken" (in a round, the budget of those that fit went to others).
    cooperative_because: str = ""


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue; it is translated where it is used."""
    return message


_COOPERATIVE = N_("Funded by the cooperative.")
#: Why the cooperative funds an option (:attr:`SponsorChoice.cooperative_because`).
_COOPERATIVE_BECAUSE = {
    "no_sponsors": N_("Funded by the cooperative: the casebook has no sponsors."),
    "no_budget": N_("Funded by the cooperative: no suitable sponsor has budget left."),
    "no_fit": N_(
        "Funded by the cooperative: no sponsor with budget left shares their values "
        "or fits how they stand."
    ),
    "taken": N_(
        "Funded by the cooperative: the budget of the sponsors that fit them went to "
        "others in this round."
    ),
}


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _days(mask: int) -> list[str]:
    return [day for day, bit in DAY_BITS.items() if mask & bit]


@dataclass(frozen=True)
class SponsorChoices:
    """:class:`SponsorChoice` for many options at once, as arrays (one entry per option)."""

    index: IntArray  # a sponsor index, or -1: the cooperative
    fit: FloatArray  # the values fit; nan when it does not count
    statement: FloatArray
    cooperative_because: tuple[str, ...]  # "" where a sponsor funds the option

    @classmethod
    def of(cls, choices: Sequence[SponsorChoice]) -> SponsorChoices:
        return cls(
            index=np.asarray([c.index for c in choices], dtype=np.int64),
            fit=np.asarray([c.fit for c in choices], dtype=np.float64),
            statement=np.asarray([c.statement for c in choices], dtype=np.float64),
            cooperative_because=tuple(c.cooperative_because for c in choices),
        )


def explain_option(f: Features, pair: PairScore, sponsor: SponsorChoice) -> Option:
    """The option of one scored pair (from a block scored with ``detail=True``)."""
    common = int(f.person_days[pair.person]) & int(f.opportunity_days[pair.opportunity])

    def one(value: float) -> FloatArray:
        return np.array([value], dtype=np.float64)

    return _Explainer(f).options(
        np.array([pair.person], dtype=np.int64),
        np.array([pair.opportunity], dtype=np.int64),
        _PairValues(
            text=one(pair.text),
            km=one(pair.distance_km),
            travel=np.array([pair.travel], dtype=bool),
            hours=one(pair.hours),
            days=one(pair.days),
            common_days=np.array([common], dtype=np.int64),
            talents=one(pair.talents),
            wishes=one(pair.wishes),
        ),
        SponsorChoices.of([sponsor]),
    )[0]


def explain_options(f: Features, pairs: BlockScores, sponsors: SponsorChoices) -> list[Option]:
    """The options of aligned pairs scored with ``detail=True`` (:func:`score_pairs`), one
    sponsor choice each: the same options as :func:`explain_option` pair by pair."""
    if pairs.feasible.ndim != 1:
        raise ValueError("explain_options needs aligned pairs (score_pairs)")
    rows = pairs.rows
    cols = pairs.cols
    missing = np.full(rows.size, np.nan)

    def values(array: FloatArray | None) -> FloatArray:
        return missing if array is None else np.asarray(array, dtype=np.float64)

    return _Explainer(f).options(
        rows,
        cols,
        _PairValues(
            text=values(pairs.text),
            km=values(pairs.distance_km),
            travel=np.zeros(rows.size, dtype=bool) if pairs.travel is None else pairs.travel,
            hours=values(pairs.hours),
            days=values(pairs.days),
            common_days=f.person_days[rows] & f.opportunity_days[cols],
            talents=values(pairs.talents),
            wishes=values(pairs.wishes),
        ),
        sponsors,
    )


@dataclass(frozen=True)
class _PairValues:
    """The scores an explanation reads, one entry per option."""

    text: FloatArray
    km: FloatArray
    travel: NDArray[np.bool_]
    hours: FloatArray
    days: FloatArray
    common_days: IntArray
    talents: FloatArray
    wishes: FloatArray


#: Which parts count (talents, wishes, values), as a number from 0 to 7: the names.
_COUNTED: tuple[tuple[str, ...], ...] = tuple(
    tuple(name for bit, name in zip((4, 2, 1), PART_NAMES, strict=True) if code & bit)
    for code in range(8)
)


def _totals(f: Features, talents: FloatArray, wishes: FloatArray, values: FloatArray) -> FloatArray:
    """:func:`~toolkit.matching.scores.total_of` of many options: the same operations in the
    same order per option, so every total is the same float, bit for bit."""
    weights = f.casebook.settings.weights
    numerator = np.zeros(talents.shape)
    denominator = np.zeros(talents.shape)
    for part, weight in (
        (talents, weights.talents),
        (wishes, weights.wishes),
        (values, weights.values),
    ):
        known = ~np.isnan(part)
        numerator = np.where(known, numerator + part * weight, numerator)
        denominator = np.where(known, denominator + weight, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = 100.0 * numerator / np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, np.minimum(100.0, np.maximum(0.0, ratio)), 0.0)


def _rounded(values: FloatArray, digits: int) -> list[float]:
    """``round(value, digits)`` of each (nan: 0.0). Python's own rounding (exact decimal),
    not numpy's (scaled), so the figures are those one option at a time gave."""
    return [round(value, digits) for value in np.where(np.isnan(values), 0.0, values).tolist()]


class _Explainer:
    """Writes options in the active language. A round explains thousands of options: every
    sentence template is looked up once, and what depends only on the place or the sponsor
    is worked out once per place or sponsor, not once per option."""

    def __init__(self, f: Features) -> None:
        self.f = f
        language = current_language()
        self.language = language
        _ = translations(language).gettext
        self.talents = _("Talents that match: {talents}.")
        self.missing_required = _("Required talents they do not list: {talents}.")
        self.missing_desired = _("Desired talents they do not list: {talents}.")
        self.no_talents_asked = _("The place asks for no particular talent.")
        self.causes = _("Shared causes: {causes}.")
        self.no_shared_cause = _("None of their causes is among the place's causes.")
        self.text = _("Their wish in their own words is close to the description ({percent}).")
        self.district = _("In a district they wish: {district}.")
        self.not_wished_district = _("Not in a district they wish ({district}).")
        self.home = _("In their home district.")
        self.distance_max = _("{km} km from home (they travel up to {max} km).")
        self.distance = _("{km} km from home.")
        self.hours = _("Their {hours} hours a week fit the place's {min} to {max}.")
        self.hours_partly = _("The place uses at most {max} of their {hours} hours a week.")
        self.days = _("Days in common: {days}.")
        self.needs = _("Offers what they need: {needs}.")
        self.values = _("{sponsor} shares their values: {values}.")
        self.statement = _("The statement of {sponsor} speaks to their values.")
        self.no_values = _("{sponsor} funds it; they named no values, so values do not count.")
        self.neutral = _("The cooperative is neutral: values do not count.")
        self.vog = _("The place asks for a VOG (certificate of conduct): request it in time.")
        self.requires = _("The place also asks for: {requirements}; check this with them.")
        self.travel = _("{km} km from home, beyond their maximum of {max} km.")
        self._gettext = _
        self._places: dict[int, _Place] = {}
        self._sponsors: dict[int, _Backer] = {}
        self._cooperative: dict[str, str] = {}
        self._days: dict[int, str] = {}
        self._districts: dict[str | None, tuple[str, str]] = {}
        self._texts: dict[int, str] = {}
        self._alerts: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}

    def num(self, value: float, digits: int = 0) -> str:
        return number(value, digits, self.language)

    def districts(self, district: str | None) -> tuple[str, str]:
        """The sentences for a place in ``district``: in a wished district, and not."""
        found = self._districts.get(district)
        if found is None:
            found = (
                self.district.format(district=district),
                self.not_wished_district.format(district=district),
            )
            self._districts[district] = found
        return found

    def close_text(self, percent: int) -> str:
        """The sentence for a wish text close to the description, at ``percent`` (0-100):
        a hundred sentences at most, not one per option."""
        found = self._texts.get(percent)
        if found is None:
            found = self.text.format(percent=f"{number(percent, language=self.language)}%")
            self._texts[percent] = found
        return found

    def alerts(self, p: int) -> tuple[list[str], list[str]]:
        """The codes and sentences of the alerts of person ``p``'s record. Each code stands
        for one sentence, so people with the same codes share them."""
        codes = self.f.person_alert_codes[p]
        found = self._alerts.get(codes)
        if found is None:
            alerts = person_alerts(self.f.person(p))
            found = ([a.code for a in alerts], [a.message for a in alerts])
            self._alerts[codes] = found
        return found

    def place(self, o: int) -> _Place:
        found = self._places.get(o)
        if found is None:
            f = self.f
            place = f.opportunity(o)
            required = list(place.talents_required)
            hours = place.hours_per_week
            found = _Place(
                record=place,
                asked=list(dict.fromkeys([*required, *place.talents_desired])),
                required=required,
                # Desired and not also required: the only ones a missing-desired line names.
                desired=[t for t in place.talents_desired if t not in place.talents_required],
                causes=list(place.causes),
                district=place.district,
                in_district=self.districts(place.district)[0],
                not_in_district=self.districts(place.district)[1],
                hours=(self.num(hours.min, 1), self.num(hours.max, 1)) if hours else None,
                vog=bool(f.asks_vog[o]),
                other=f.other_requirements[o],
            )
            self._places[o] = found
        return found

    def backer(self, index: int) -> _Backer:
        found = self._sponsors.get(index)
        if found is None:
            f = self.f
            sponsor_id = f.sponsor_ids[index]
            backer = f.casebook.sponsors[sponsor_id]
            found = _Backer(
                id=sponsor_id,
                name=backer.name,
                values=frozenset(backer.values),
                statement=self.statement.format(sponsor=backer.name),
                no_values=self.no_values.format(sponsor=backer.name),
            )
            self._sponsors[index] = found
        return found

    def cooperative(self, because: str) -> str:
        found = self._cooperative.get(because)
        if found is None:
            why = self._gettext(_COOPERATIVE_BECAUSE.get(because, _COOPERATIVE))
            found = why + " " + self.neutral
            self._cooperative[because] = found
        return found

    def days_in_common(self, mask: int) -> str:
        found = self._days.get(mask)
        if found is None:
            found = self.days.format(days=_join(_days(mask)))
            self._days[mask] = found
        return found

    def options(
        self, persons: IntArray, places: IntArray, v: _PairValues, s: SponsorChoices
    ) -> list[Option]:
        f = self.f
        isnan = math.isnan
        language = self.language
        people = f.casebook.people
        person_ids = f.person_ids
        known_places = self._places
        texts = v.text.tolist()
        kms = v.km.tolist()
        travels = v.travel.tolist()
        hours_fits = v.hours.tolist()
        days_known = (~np.isnan(v.days)).tolist()
        common_days = v.common_days.tolist()
        # Python's round of 100 times the fit, as the sentence shows it (half to even).
        percents = np.rint(100.0 * np.nan_to_num(v.text)).astype(np.int64).tolist()
        sponsors = s.index.tolist()
        statements = s.statement.tolist()
        because = s.cooperative_because
        # The figures of every option at once.
        totals = _rounded(_totals(f, v.talents, v.wishes, s.fit), 1)
        talent_parts = _rounded(v.talents, 3)
        wish_parts = _rounded(v.wishes, 3)
        value_parts = _rounded(s.fit, 3)
        counted = (
            4 * ~np.isnan(v.talents) + 2 * ~np.isnan(v.wishes) + 1 * ~np.isnan(s.fit)
        ).tolist()
        distances = np.isnan(v.km).tolist()
        distance_km = _rounded(v.km, 1)
        options = []
        for k, (p, o) in enumerate(zip(persons.tolist(), places.tolist(), strict=True)):
            person = people[person_ids[p]]
            place = known_places.get(o) or self.place(o)
            wishes = person.wishes
            codes: list[str] = []
            reasons: list[str] = []

            # Talents.
            mine = set(person.talents)
            matched = [t for t in place.asked if t in mine]
            if matched:
                codes.append("talents")
                reasons.append(self.talents.format(talents=", ".join(matched)))
            missing = [t for t in place.required if t not in mine]
            if missing:
                codes.append("missing_required")
                reasons.append(self.missing_required.format(talents=", ".join(missing)))
            missing = [t for t in place.desired if t not in mine]
            if missing:
                codes.append("missing_desired")
                reasons.append(self.missing_desired.format(talents=", ".join(missing)))
            if not place.asked:
                codes.append("no_talents_asked")
                reasons.append(self.no_talents_asked)

            # Wishes.
            if wishes.causes:
                wished = set(wishes.causes)
                shared = [c for c in place.causes if c in wished]
                if shared:
                    codes.append("causes")
                    reasons.append(self.causes.format(causes=", ".join(shared)))
                else:
                    codes.append("no_shared_cause")
                    reasons.append(self.no_shared_cause)
            text = texts[k]
            if not isnan(text) and text >= _CLEARLY:
                codes.append("text")
                reasons.append(self.close_text(percents[k]))
            if wishes.districts:
                if place.district in wishes.districts:
                    codes.append("district")
                    reasons.append(place.in_district)
                else:
                    codes.append("not_wished_district")
                    reasons.append(place.not_in_district)
            km = kms[k]
            travel = travels[k]
            if not isnan(km) and not travel:
                codes.append("distance")
                if km < _SAME_PLACE_KM:
                    reasons.append(self.home)
                elif wishes.max_travel_km:
                    reasons.append(
                        self.distance_max.format(
                            km=number(km, 1, language),
                            max=number(wishes.max_travel_km, 1, language),
                        )
                    )
                else:
                    reasons.append(self.distance.format(km=number(km, 1, language)))
            hours = hours_fits[k]
            if not isnan(hours) and person.availability and place.hours:
                low, high = place.hours
                have = number(person.availability.hours_per_week, 1, language)
                if hours >= 1.0:
                    codes.append("hours")
                    reasons.append(self.hours.format(hours=have, min=low, max=high))
                else:
                    codes.append("hours_partly")
                    reasons.append(self.hours_partly.format(hours=have, min=low, max=high))
            if days_known[k]:
                codes.append("days")
                reasons.append(self.days_in_common(common_days[k]))
            if person.needs:
                codes.append("needs")
                reasons.append(self.needs.format(needs=", ".join(person.needs)))

            # The sponsor.
            sponsor = sponsors[k]
            sponsor_id = None
            if sponsor >= 0:
                backer = self.backer(sponsor)
                sponsor_id = backer.id
                if person.values:
                    shared = [value for value in person.values if value in backer.values]
                    if shared:
                        codes.append("values")
                        reasons.append(
                            self.values.format(sponsor=backer.name, values=", ".join(shared))
                        )
                    statement = statements[k]
                    if not isnan(statement) and statement >= _CLEARLY:
                        codes.append("statement")
                        reasons.append(backer.statement)
                else:
                    codes.append("sponsor_no_values")
                    reasons.append(backer.no_values)
            else:
                codes.append("cooperative")
                reasons.append(self.cooperative(because[k]))

            # Warnings.
            alert_codes, alert_texts = self.alerts(p)
            warning_codes = [*alert_codes]
            warnings = [*alert_texts]
            if place.vog:
                warning_codes.append("vog")
                warnings.append(self.vog)
            if place.other:
                other = [r for r in place.other if r not in mine]
                if other:
                    warning_codes.append("requires")
                    warnings.append(self.requires.format(requirements=", ".join(other)))
            if travel and wishes.max_travel_km:
                warning_codes.append("travel")
                warnings.append(
                    self.travel.format(
                        km=number(km, 1, language), max=number(wishes.max_travel_km, 1, language)
                    )
                )

            options.append(
                Option(
                    person_id=person.id,
                    opportunity_id=place.record.id,
                    sponsor_id=sponsor_id,
                    total=totals[k],
                    parts=Parts(
                        talents=talent_parts[k],
                        wishes=wish_parts[k],
                        values=value_parts[k],
                        counted=_COUNTED[counted[k]],
                    ),
                    reasons=tuple(reasons),
                    warnings=tuple(warnings),
                    warning_codes=tuple(warning_codes),
                    distance_km=None if distances[k] else distance_km[k],
                    reason_codes=tuple(codes),
                )
            )
        return options


@dataclass(slots=True)
class _Place:
    """What an explanation reads of a place, the same for everyone proposed there."""

    record: Opportunity
    asked: list[str]
    required: list[str]
    desired: list[str]
    causes: list[str]
    district: str | None
    in_district: str
    not_in_district: str
    hours: tuple[str, str] | None  # its least and most hours a week, written out
    vog: bool
    other: tuple[str, ...]


@dataclass(frozen=True)
class _Backer:
    """What an explanation says of a sponsor, the same for everyone it funds."""

    id: str
    name: str
    values: frozenset[str]
    statement: str
    no_values: str


def sponsor_choice(
    f: Features,
    scores: SponsorScores,
    i: int,
    index: int,
    budget: np.ndarray | None = None,
    *,
    taken: bool = False,
) -> SponsorChoice:
    """Describe sponsor ``index`` (``-1``: cooperative) for row ``i`` of ``scores``.

    ``taken``: a sponsor could have funded them, but a round gave its budget to others.
    """
    if index >= 0:
        return SponsorChoice(
            index=index,
            fit=float(scores.fit[i, index]),
            shared=float(scores.shared[i, index]),
            statement=float(scores.statement[i, index]),
        )
    left = f.sponsor_budget if budget is None else budget
    if taken:
        because = "taken"
    elif f.n_sponsors == 0:
        because = "no_sponsors"
    elif bool((scores.acceptable[i] & (left <= 0)).any()) and not bool(
        (scores.acceptable[i] & (left > 0)).any()
    ):
        because = "no_budget"
    else:
        because = "no_fit"
    return SponsorChoice(index=-1, fit=float("nan"), cooperative_because=because)


def sponsor_choices(
    f: Features,
    scores: SponsorScores,
    positions: IntArray,
    index: IntArray,
    budget: np.ndarray | None = None,
    *,
    taken: NDArray[np.bool_] | None = None,
) -> SponsorChoices:
    """:func:`sponsor_choice` for many options: option ``k`` is funded by sponsor
    ``index[k]`` (``-1``: the cooperative) and is person ``positions[k]`` of ``scores``."""
    positions = np.asarray(positions, dtype=np.int64)
    index = np.asarray(index, dtype=np.int64)
    n = positions.size
    sponsored = index >= 0
    at = np.maximum(index, 0)
    fit = np.full(n, np.nan)
    statement = np.full(n, np.nan)
    if f.n_sponsors:
        fit = np.where(sponsored, scores.fit[positions, at], np.nan)
        statement = np.where(sponsored, scores.statement[positions, at], np.nan)
    left = f.sponsor_budget if budget is None else budget
    was_taken = np.zeros(n, dtype=bool) if taken is None else np.asarray(taken, dtype=bool)
    no_budget: NDArray[np.bool_] = np.zeros(n, dtype=bool)
    if f.n_sponsors:
        acceptable = scores.acceptable[positions]
        spent = (acceptable & (left <= 0)[None, :]).any(axis=1)
        available = (acceptable & (left > 0)[None, :]).any(axis=1)
        no_budget = np.asarray(spent & ~available)
    because = np.where(
        was_taken,
        "taken",
        np.where(f.n_sponsors == 0, "no_sponsors", np.where(no_budget, "no_budget", "no_fit")),
    )
    because = np.where(sponsored, "", because)
    return SponsorChoices(
        index=np.where(sponsored, index, -1),
        fit=fit,
        statement=statement,
        cooperative_because=tuple(because.tolist()),
    )


def no_option(f: Features, person: int, excluded: csr_matrix | None = None) -> NoOption:
    """Why person ``person`` has no option: per hard limit, how many places it rules out."""
    block = score_block(f, [person], excluded=excluded)
    counts = {limit: int(block.limits[limit][0].sum()) for limit in LIMITS}
    stacked = np.stack([block.limits[limit][0] for limit in LIMITS])
    only = stacked & (stacked.sum(axis=0) == 1)
    only_counts = {limit: int(only[k].sum()) for k, limit in enumerate(LIMITS)}
    record = f.person(person)
    offered = f.opportunity_offers
    missing_needs: Counter[str] = Counter()
    for o in np.flatnonzero(block.limits["needs"][0]):
        have = {f.needs.tags[t] for t in offered.indices[offered.indptr[o] : offered.indptr[o + 1]]}
        missing_needs.update(n for n in record.needs if n not in have)
    hours = record.availability.hours_per_week if record.availability else None
    detail = {
        "needs": _join(f"{need} ({count})" for need, count in missing_needs.most_common()),
        "hours": number(hours, 1) if hours is not None else "",
    }
    kept = {limit: n for limit, n in counts.items() if n}
    return NoOption(
        person_id=record.id,
        counts=kept,
        sentences=no_option_sentences(kept, only_counts, f.n_opportunities, detail),
        public_sentences=no_option_sentences(kept, only_counts, f.n_opportunities, None),
    )


def no_option_sentences(
    counts: dict[str, int],
    only: dict[str, int],
    n_places: int,
    detail: dict[str, str] | None,
) -> tuple[str, ...]:
    """The counts in plain words; without ``detail`` no needs or hours are named."""
    sentences = [
        ngettext(
            "None of the {count} place fits; per limit, how many places it rules out:",
            "None of the {count} places fits; per limit, how many places it rules out:",
            n_places,
        ).format(count=n_places)
    ]
    for limit in LIMITS:
        count = counts.get(limit, 0)
        if not count:
            continue
        if limit == "needs":
            text = ngettext(
                "{count} place does not offer what they need",
                "{count} places do not offer what they need",
                count,
            )
            if detail and detail["needs"]:
                text += " " + _("(missing: {needs})").format(needs=detail["needs"])
        elif limit == "hours":
            if detail and detail["hours"]:
                text = ngettext(
                    "{count} place asks more than the {hours} hours a week they have",
                    "{count} places ask more than the {hours} hours a week they have",
                    count,
                )
            else:
                text = ngettext(
                    "{count} place asks more hours a week than they have",
                    "{count} places ask more hours a week than they have",
                    count,
                )
        elif limit == "days":
            text = ngettext(
                "{count} place has no day in common with theirs",
                "{count} places have no day in common with theirs",
                count,
            )
        elif limit == "full":
            text = ngettext("{count} place is full", "{count} places are full", count)
        else:
            text = ngettext(
                "{count} place was declined or excluded",
                "{count} places were declined or excluded",
                count,
            )
        sentence = text.format(count=count, hours=(detail or {}).get("hours", ""))
        alone = only.get(limit, 0)
        if alone:
            sentence += "; " + ngettext(
                "for {count} of them it is the only limit",
                "for {count} of them it is the only limit",
                alone,
            ).format(count=alone)
        sentences.append(sentence + ".")
    return tuple(sentences)
