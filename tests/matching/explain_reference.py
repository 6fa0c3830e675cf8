"""The explanations as they were written one pair at a time, kept verbatim as the oracle of
the batched :func:`toolkit.matching.explain.explain_options` (same sentences, same figures).

Copied from ``toolkit/matching/explain.py`` at dad45d1 (``explain_option`` and
``sponsor_choice``); only the imports differ. Do not speed this up: it is the reference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from toolkit.casebook.alerts import person_alerts
from toolkit.formatting import number
from toolkit.i18n import current_language, translations
from toolkit.matching.features import DAY_BITS, Features
from toolkit.matching.options import PART_NAMES, Option, Parts
from toolkit.matching.scores import PairScore, SponsorScores, total_of

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


def _percent(value: float, language: str | None = None) -> str:
    # Rounded first (as the whole-number format would, half to even), so that the cache of
    # formatted numbers sees a hundred values instead of one per pair.
    return f"{number(round(100 * value), language=language)}%"


def _days(mask: int) -> list[str]:
    return [day for day, bit in DAY_BITS.items() if mask & bit]


def explain_option(f: Features, pair: PairScore, sponsor: SponsorChoice) -> Option:
    """The option of one scored pair (from a block scored with ``detail=True``)."""
    # A round explains thousands of options: look the language up once per option, not once
    # per sentence and number (that lookup was most of the time).
    language = current_language()
    _ = translations(language).gettext

    def num(value: float, digits: int = 0) -> str:
        return number(value, digits, language)

    p = pair.person
    o = pair.opportunity
    person = f.person(p)
    place = f.opportunity(o)
    reasons: list[tuple[str, str]] = []

    def say(code: str, text: str) -> None:
        reasons.append((code, text))

    # Talents.
    mine = set(person.talents)
    asked = list(dict.fromkeys([*place.talents_required, *place.talents_desired]))
    matched = [t for t in asked if t in mine]
    if matched:
        say("talents", _("Talents that match: {talents}.").format(talents=_join(matched)))
    missing_required = [t for t in place.talents_required if t not in mine]
    if missing_required:
        say(
            "missing_required",
            _("Required talents they do not list: {talents}.").format(
                talents=_join(missing_required)
            ),
        )
    missing_desired = [
        t for t in place.talents_desired if t not in mine and t not in place.talents_required
    ]
    if missing_desired:
        say(
            "missing_desired",
            _("Desired talents they do not list: {talents}.").format(
                talents=_join(missing_desired)
            ),
        )
    if not asked:
        say("no_talents_asked", _("The place asks for no particular talent."))

    # Wishes.
    if person.wishes.causes:
        wished = set(person.wishes.causes)
        shared = [c for c in place.causes if c in wished]
        if shared:
            say("causes", _("Shared causes: {causes}.").format(causes=_join(shared)))
        else:
            say("no_shared_cause", _("None of their causes is among the place's causes."))
    text = pair.text
    if not math.isnan(text) and text >= _CLEARLY:
        say(
            "text",
            _("Their wish in their own words is close to the description ({percent}).").format(
                percent=_percent(text, language)
            ),
        )
    if person.wishes.districts:
        if place.district in person.wishes.districts:
            say(
                "district",
                _("In a district they wish: {district}.").format(district=place.district),
            )
        else:
            say(
                "not_wished_district",
                _("Not in a district they wish ({district}).").format(district=place.district),
            )
    km = pair.distance_km
    travel = pair.travel
    if not math.isnan(km) and not travel:
        if km < _SAME_PLACE_KM:
            say("distance", _("In their home district."))
        elif person.wishes.max_travel_km:
            say(
                "distance",
                _("{km} km from home (they travel up to {max} km).").format(
                    km=num(km, 1), max=num(person.wishes.max_travel_km, 1)
                ),
            )
        else:
            say("distance", _("{km} km from home.").format(km=num(km, 1)))
    hours = pair.hours
    if not math.isnan(hours) and person.availability and place.hours_per_week:
        values = {
            "hours": num(person.availability.hours_per_week, 1),
            "min": num(place.hours_per_week.min, 1),
            "max": num(place.hours_per_week.max, 1),
        }
        if hours >= 1.0:
            say(
                "hours",
                _("Their {hours} hours a week fit the place's {min} to {max}.").format(**values),
            )
        else:
            say(
                "hours_partly",
                _("The place uses at most {max} of their {hours} hours a week.").format(**values),
            )
    days = pair.days
    if not math.isnan(days):
        common = _days(int(f.person_days[p]) & int(f.opportunity_days[o]))
        say("days", _("Days in common: {days}.").format(days=_join(common)))
    if person.needs:
        say("needs", _("Offers what they need: {needs}.").format(needs=_join(person.needs)))

    # The sponsor.
    values_fit = sponsor.fit
    if sponsor.index >= 0:
        backer = f.casebook.sponsors[f.sponsor_ids[sponsor.index]]
        if person.values:
            backed = set(backer.values)
            shared_values = [v for v in person.values if v in backed]
            if shared_values:
                say(
                    "values",
                    _("{sponsor} shares their values: {values}.").format(
                        sponsor=backer.name, values=_join(shared_values)
                    ),
                )
            if not math.isnan(sponsor.statement) and sponsor.statement >= _CLEARLY:
                say(
                    "statement",
                    _("The statement of {sponsor} speaks to their values.").format(
                        sponsor=backer.name
                    ),
                )
        else:
            say(
                "sponsor_no_values",
                _("{sponsor} funds it; they named no values, so values do not count.").format(
                    sponsor=backer.name
                ),
            )
    else:
        # Only the sentence that applies is translated: most options of a round are here.
        because = _(_COOPERATIVE_BECAUSE.get(sponsor.cooperative_because, _COOPERATIVE))
        say("cooperative", because + " " + _("The cooperative is neutral: values do not count."))

    # Warnings.
    warnings: list[tuple[str, str]] = [(a.code, a.message) for a in person_alerts(person)]
    if f.asks_vog[o]:
        warnings.append(
            ("vog", _("The place asks for a VOG (certificate of conduct): request it in time."))
        )
    other = [r for r in f.other_requirements[o] if r not in mine]
    if other:
        warnings.append(
            (
                "requires",
                _("The place also asks for: {requirements}; check this with them.").format(
                    requirements=_join(other)
                ),
            )
        )
    if travel and person.wishes.max_travel_km:
        warnings.append(
            (
                "travel",
                _("{km} km from home, beyond their maximum of {max} km.").format(
                    km=num(km, 1), max=num(person.wishes.max_travel_km, 1)
                ),
            )
        )

    talents = pair.talents
    wishes = pair.wishes
    total = total_of(f, talents, wishes, values_fit)
    counted = tuple(
        name
        for name, value in zip(PART_NAMES, (talents, wishes, values_fit), strict=True)
        if not math.isnan(value)
    )
    return Option(
        person_id=person.id,
        opportunity_id=place.id,
        sponsor_id=f.sponsor_ids[sponsor.index] if sponsor.index >= 0 else None,
        total=round(total, 1),
        parts=Parts(
            talents=_zero_if_nan(talents),
            wishes=_zero_if_nan(wishes),
            values=_zero_if_nan(values_fit),
            counted=counted,
        ),
        reasons=tuple(text for _code, text in reasons),
        warnings=tuple(text for _code, text in warnings),
        warning_codes=tuple(code for code, _text in warnings),
        distance_km=None if math.isnan(km) else round(km, 1),
        reason_codes=tuple(code for code, _text in reasons),
    )


def _zero_if_nan(value: float) -> float:
    return 0.0 if math.isnan(value) else round(value, 3)


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
