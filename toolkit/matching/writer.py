"""Writes the options of many scored pairs at once: the sentences of every reason and warning,
the parts and the total, exactly as :func:`toolkit.matching.explain.explain_option` documents
them.

A round explains thousands of options. Every sentence template is looked up once per batch,
what depends only on the place, the sponsor, the district, the days or the person's alert
codes is worked out once, and the figures (totals, parts, distances) are computed as arrays
with the same floating-point operations and Python's own rounding as one option at a time,
so a batch writes the same options, bit for bit, as pair by pair.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from toolkit.casebook.alerts import person_alerts
from toolkit.casebook.records import Opportunity
from toolkit.formatting import number
from toolkit.i18n import current_language, translations
from toolkit.matching.features import DAY_BITS, Features
from toolkit.matching.options import PART_NAMES, Option, Parts

__all__ = ["OptionWriter", "PairValues", "rounded", "totals"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: A text or statement part from this score on counts as a met wish in the sentences.
_CLEARLY = 0.5
#: Closer than this (km) is "in their home district": distances are between centroids.
_SAME_PLACE_KM = 0.05


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
class PairValues:
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


def totals(f: Features, talents: FloatArray, wishes: FloatArray, values: FloatArray) -> FloatArray:
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


def rounded(values: FloatArray, digits: int) -> list[float]:
    """``round(value, digits)`` of each (nan: 0.0). Python's own rounding (exact decimal),
    not numpy's (scaled), so the figures are those one option at a time gave."""
    return [round(value, digits) for value in np.where(np.isnan(values), 0.0, values).tolist()]


class OptionWriter:
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
        self,
        persons: IntArray,
        places: IntArray,
        v: PairValues,
        sponsors: IntArray,
        fits: FloatArray,
        statements: FloatArray,
        because: Sequence[str],
    ) -> list[Option]:
        """The options of pairs ``(persons[k], places[k])``, option ``k`` funded by sponsor
        ``sponsors[k]`` (``-1``: the cooperative, for the reason ``because[k]``) with values
        fit ``fits[k]`` and statement part ``statements[k]``."""
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
        sponsor_list = sponsors.tolist()
        statement_list = statements.tolist()
        # The figures of every option at once.
        option_totals = rounded(totals(f, v.talents, v.wishes, fits), 1)
        talent_parts = rounded(v.talents, 3)
        wish_parts = rounded(v.wishes, 3)
        value_parts = rounded(fits, 3)
        counted = (
            4 * ~np.isnan(v.talents) + 2 * ~np.isnan(v.wishes) + 1 * ~np.isnan(fits)
        ).tolist()
        distances = np.isnan(v.km).tolist()
        distance_km = rounded(v.km, 1)
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
            sponsor = sponsor_list[k]
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
                    statement = statement_list[k]
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
                    total=option_totals[k],
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
