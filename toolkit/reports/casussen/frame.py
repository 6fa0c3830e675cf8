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
    """The money around one case, every figure from the rules (or the casebook's override).

    The month and year caps are limits: above either the whole allowance is taxable. The hourly
    cap applies only where an allowance per hour was agreed (``placement.allowance_per_hour``),
    and then as a guide: above it is a warning, never a refusal or a taxable verdict.
    """

    year: int
    adult: bool
    per_hour: float
    per_month: float
    per_year: float
    certain: bool
    #: "" for confirmed figures, else a sentence saying they are unconfirmed and why.
    caveat: str
    hours_per_week: float | None
    hours_per_month: float | None
    #: The allowance per hour agreed in the person's placement; None when none was agreed.
    agreed_per_hour: float | None
    #: Hours × the agreed allowance per hour, a month; None without both.
    by_hours_per_month: float | None
    limited_by: Literal["hour", "month", "year"]
    payable_per_month: float
    payable_per_year: float
    sponsor_allowance_per_year: float
    overhead_per_year: float
    sponsor_cost_per_year: float
    sroi_credit_per_year: float
    check: str

    @property
    def above_hourly_guide(self) -> bool:
        """Whether the agreed rate is above the hourly cap (compared in cents)."""
        return self.agreed_per_hour is not None and round(self.agreed_per_hour * 100) > round(
            self.per_hour * 100
        )


def financial_frame(rules: Rules, person: Person) -> Frame:
    """The caps for the person's age in the rules year and what they mean for this case."""
    caps = rules.allowance
    age = person.age_in(rules.year)
    adult = age >= ADULT_AGE
    per_hour = caps.per_hour(age)
    hours = person.availability.hours_per_week if person.availability else None
    agreed = person.placement.allowance_per_hour if person.placement is not None else None
    hours_per_month = by_hours = None
    payable_month = caps.per_month
    limited_by: Literal["hour", "month", "year"] = "month"
    if hours is not None:
        hours_per_month = hours * WEEKS_PER_YEAR / MONTHS_PER_YEAR
        if agreed is not None:
            by_hours = round(hours_per_month * agreed, 2)
            if by_hours < caps.per_month:
                payable_month = by_hours
                limited_by = "hour"
    payable_year = min(caps.per_year, payable_month * MONTHS_PER_YEAR)
    if limited_by == "month" and caps.per_month * MONTHS_PER_YEAR > caps.per_year:
        limited_by = "year"
    caveat = caps.caveat()
    frame = Frame(
        year=rules.year,
        adult=adult,
        per_hour=per_hour,
        per_month=caps.per_month,
        per_year=caps.per_year,
        certain=caps.confirmed,
        caveat=(
            _("The caps for {year} are {caveat}.").format(year=rules.year, caveat=caveat)
            if caveat
            else ""
        ),
        hours_per_week=hours,
        hours_per_month=hours_per_month,
        agreed_per_hour=agreed,
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
    parts: list[str] = []
    if frame.hours_per_week is None or frame.hours_per_month is None:
        parts.append(_("No hours are known."))
    else:
        parts.append(
            _(
                "{hours} hours a week is about {month_hours} hours a month "
                "({hours} × {weeks}/{months})."
            ).format(
                hours=number(frame.hours_per_week, 1),
                month_hours=number(frame.hours_per_month, 1),
                weeks=WEEKS_PER_YEAR,
                months=MONTHS_PER_YEAR,
            )
        )
    parts.append(
        _(
            "The monthly cap of {month} and the yearly cap of {year} are limits: above either, "
            "the whole allowance is taxable."
        ).format(month=money(frame.per_month), year=money(frame.per_year))
    )
    if frame.per_month * MONTHS_PER_YEAR > frame.per_year:
        parts.append(
            _(
                "Twelve months at the monthly cap would be {twelve}, so over a year at most {year}."
            ).format(twelve=_amount(frame.per_month * MONTHS_PER_YEAR), year=money(frame.per_year))
        )
    rate = money(frame.per_hour, decimals=True)
    if frame.agreed_per_hour is None:
        parts.append(
            _(
                "The hourly cap of {rate} applies only where an allowance per hour is agreed, and "
                "then as a guide; no allowance per hour is agreed here."
            ).format(rate=rate)
        )
    else:
        agreed = money(frame.agreed_per_hour, decimals=True)
        if frame.by_hours_per_month is not None:
            parts.append(
                _(
                    "An allowance of {agreed} an hour is agreed: at these hours {amount} a month."
                ).format(agreed=agreed, amount=_amount(frame.by_hours_per_month))
            )
        else:
            parts.append(_("An allowance of {agreed} an hour is agreed.").format(agreed=agreed))
        if frame.above_hourly_guide:
            parts.append(
                _(
                    "That is above the hourly cap of {rate}, which is a guide: the organisation "
                    "must be able to explain why the rate is still no wage. A warning, not a "
                    "refusal."
                ).format(rate=rate)
            )
        else:
            parts.append(
                _("That is within the hourly cap of {rate} (a guide, not a limit).").format(
                    rate=rate
                )
            )
    return " ".join(parts)


def _amount(value: float) -> str:
    """Whole euros as € 2.100, anything else with its cents."""
    return money(value, decimals=round(value, 2) != round(value))


def figure_sources(rules: Rules) -> tuple[tuple[str, str], ...]:
    """The source of every figure in the financial frame, as the rule data names them."""
    caps = rules.allowance
    caveat = caps.caveat()
    certainty = f" ({caveat})" if caveat else ""
    return (
        (_("Allowance caps {year}").format(year=rules.year), caps.source + certainty),
        (_("Allowance a sponsor funds"), rules.sponsor_allowance_per_year.source),
        (_("Overhead"), rules.overhead_per_year.source),
        (_("Credit against an SROI obligation"), rules.sroi_credit_per_year.source),
    )
