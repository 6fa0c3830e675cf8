"""The financial frame of a case: every figure from the rules, and where it comes from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from toolkit.casebook.records import Person
from toolkit.casebook.rules import ADULT_AGE, Rules
from toolkit.formatting import money, number
from toolkit.i18n import _

#: A calendar fact, not a rule figure: the hours check turns weekly hours into monthly hours.
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Frame:
    """The money around one case, every figure from the rules (or the casebook's override)."""

    year: int
    adult: bool
    per_hour: float
    per_month: float
    per_year: float
    certain: bool
    hours_per_week: float | None
    hours_per_month: float | None
    by_hours_per_month: float | None
    limited_by: Literal["hour", "month", "year"] | None
    payable_per_month: float | None
    payable_per_year: float | None
    sponsor_allowance_per_year: float
    overhead_per_year: float
    sponsor_cost_per_year: float
    sroi_credit_per_year: float
    check: str


def financial_frame(rules: Rules, person: Person) -> Frame:
    """The caps for the person's age in the rules year and the hours × rate check."""
    caps = rules.allowance
    age = person.age_in(rules.year)
    adult = age >= ADULT_AGE
    per_hour = caps.per_hour(age)
    hours = person.availability.hours_per_week if person.availability else None
    hours_per_month = by_hours = payable_month = payable_year = None
    limited_by: Literal["hour", "month", "year"] | None = None
    if hours is not None:
        hours_per_month = hours * WEEKS_PER_YEAR / MONTHS_PER_YEAR
        by_hours = round(hours_per_month * per_hour, 2)
        payable_month = min(caps.per_month, by_hours)
        payable_year = min(caps.per_year, payable_month * MONTHS_PER_YEAR)
        if by_hours < caps.per_month:
            limited_by = "hour"
        elif caps.per_month * MONTHS_PER_YEAR > caps.per_year:
            limited_by = "year"
        else:
            limited_by = "month"
    frame = Frame(
        year=rules.year,
        adult=adult,
        per_hour=per_hour,
        per_month=caps.per_month,
        per_year=caps.per_year,
        certain=caps.certainty == "zeker",
        hours_per_week=hours,
        hours_per_month=hours_per_month,
        by_hours_per_month=by_hours,
        limited_by=limited_by,
        payable_per_month=payable_month,
        payable_per_year=payable_year,
        sponsor_allowance_per_year=rules.sponsor_allowance_per_year.value,
        overhead_per_year=rules.overhead_per_year.value,
        sponsor_cost_per_year=rules.sponsor_cost_per_year,
        sroi_credit_per_year=rules.sroi_credit_per_year.value,
        check="",
    )
    return dataclasses.replace(frame, check=_check_sentence(frame))


def _check_sentence(frame: Frame) -> str:
    if frame.hours_per_week is None or frame.by_hours_per_month is None:
        return _("No hours are known, so the hours × rate check cannot be made.")
    assert frame.hours_per_month is not None and frame.payable_per_year is not None
    start = _(
        "{hours} hours a week is about {month_hours} hours a month ({hours} × {weeks}/{months}); "
        "at the hourly cap of {rate} that is {amount} a month."
    ).format(
        hours=number(frame.hours_per_week, 1),
        month_hours=number(frame.hours_per_month, 1),
        weeks=WEEKS_PER_YEAR,
        months=MONTHS_PER_YEAR,
        rate=money(frame.per_hour, decimals=True),
        amount=_amount(frame.by_hours_per_month),
    )
    if frame.limited_by == "hour":
        rest = _(
            "That is below the monthly cap of {cap}: the hourly cap limits the allowance."
        ).format(cap=money(frame.per_month))
        if frame.payable_per_year < frame.per_year:
            rest += " " + _(
                "Over a year that is at most {amount}, below the yearly cap of {cap}."
            ).format(amount=_amount(frame.payable_per_year), cap=money(frame.per_year))
        else:
            rest += " " + _("Over a year the yearly cap of {cap} is still reached.").format(
                cap=money(frame.per_year)
            )
    elif frame.limited_by == "year":
        rest = _(
            "That reaches the monthly cap of {cap}; over a whole year the yearly cap of {year} "
            "is reached first."
        ).format(cap=money(frame.per_month), year=money(frame.per_year))
    else:
        rest = _("That reaches the monthly cap of {cap}, so at most {year} a year.").format(
            cap=money(frame.per_month), year=_amount(frame.payable_per_year)
        )
    return f"{start} {rest}"


def _amount(value: float) -> str:
    """Whole euros as € 2.100, anything else with its cents."""
    return money(value, decimals=round(value, 2) != round(value))


def figure_sources(rules: Rules) -> tuple[tuple[str, str], ...]:
    """The source of every figure in the financial frame, as the rule data names them."""
    caps = rules.allowance
    certainty = "" if caps.certainty == "zeker" else f" ({_('not certain')})"
    return (
        (_("Allowance caps {year}").format(year=rules.year), caps.source + certainty),
        (_("Allowance a sponsor funds"), rules.sponsor_allowance_per_year.source),
        (_("Overhead"), rules.overhead_per_year.source),
        (_("Credit against an SROI obligation"), rules.sroi_credit_per_year.source),
    )
