"""Hours statements (urenopgaven) and the allowance caps they are checked against.

An organisation signs off each month how many hours a burgerbaner worked; the cooperative
records that, with the allowance it paid for the month, in ``hours/<person-id>.yaml`` (see
docs/casebook.md). The loader validates these files like any record (:class:`HoursFile`) and
cross-checks them (:func:`hours_problems`); :func:`allowance_years` then holds what was paid
against the caps of each year. The month and year caps hold at once and are summed over every
organisation; above either the *whole* allowance of that year becomes taxable income, not just
the excess, so a breach is reported per person and year in those words. The hourly cap applies
only where an hourly allowance was agreed (``placement.allowance_per_hour``), and then as the
Belastingdienst applies it: as a guide, which a higher rate may pass if the organisation can
explain it. Above it is a warning, never a verdict of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from babel.numbers import format_decimal
from pydantic import BeforeValidator, Field, model_validator

from toolkit.casebook.messages import field_path, unknown_id_message
from toolkit.casebook.numbers import Amount, Hours
from toolkit.casebook.records import Model, Person, Record, RecordId
from toolkit.casebook.rules import AllowanceCaps, Rules
from toolkit.casebook.yamlfile import YamlDocument
from toolkit.errors import Problem
from toolkit.formatting import month_year, short_date
from toolkit.i18n import _, current_language

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
#: The most hours a month can hold (31 days of 24 hours): more is a typing error.
MAX_HOURS_PER_MONTH = 31 * 24


def eur(amount: float) -> str:
    """An amount for a message, without the € sign: 2.100 or 5,75 (nl), 2,100 or 5.75 (en)."""
    pattern = "#,##0" if round(amount, 2) == round(amount) else "#,##0.00"
    return str(format_decimal(amount, format=pattern, locale=current_language()))


def hours_text(hours: float) -> str:
    return str(format_decimal(hours, format="#,##0.##", locale=current_language()))


def _month(value: Any) -> Any:
    text = str(value).strip() if isinstance(value, (str, int)) else value
    if isinstance(text, str) and _MONTH.match(text):
        return text
    # Raised while validating, so the message is in the language of the command being run.
    raise ValueError(
        _("'{value}' is not a month; write it as YYYY-MM, for example 2026-03").format(value=value)
    )


Month = Annotated[str, BeforeValidator(_month)]
StatementState = Literal["ingediend", "goedgekeurd"]


def month_start(month: str) -> dt.date:
    year, number = month.split("-")
    return dt.date(int(year), int(number), 1)


def month_end(month: str) -> dt.date:
    start = month_start(month)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


class HoursStatement(Model):
    """One month's signed-off hours at one place, and the allowance paid for them."""

    month: Month
    opportunity: RecordId | None = None
    hours: Hours = Field(ge=0, le=MAX_HOURS_PER_MONTH)
    allowance_paid: Amount = Field(ge=0)
    signed_off_by: str | None = None
    signed_off_on: dt.date | None = None
    #: ingediend (entered, not yet approved) or goedgekeurd (approved by the coordinator, ready
    #: for a payment list). Absent in statements recorded before statements had a state: their
    #: allowance was paid outside the toolkit, so no payment list takes them up.
    state: StatementState | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None

    @model_validator(mode="after")
    def _signed_after_start(self) -> HoursStatement:
        if self.signed_off_on is not None and self.signed_off_on < month_start(self.month):
            raise ValueError(_("the statement is signed off before the month began"))
        return self

    @property
    def year(self) -> int:
        return int(self.month[:4])


class HoursFile(Record):
    """``hours/<person-id>.yaml``: the hours statements of one burgerbaner."""

    record_kind: ClassVar[str] = "hours"
    folder: ClassVar[str] = "hours"

    statements: list[HoursStatement] = Field(default_factory=list)


def place_of(statement: HoursStatement, person: Person | None) -> str | None:
    """The opportunity a statement is for: its own, else the placement of its month."""
    if statement.opportunity is not None:
        return statement.opportunity
    if person is None:
        return None
    first, last = month_start(statement.month), month_end(statement.month)
    for placement in reversed(person.history()):
        if placement.start <= last and (placement.end is None or placement.end >= first):
            return placement.opportunity
    return person.placement.opportunity if person.placement else None


@dataclass(frozen=True)
class Surroundings:
    """What the hours files are checked against: the casebook as the loader has read it."""

    root: Path
    people: Mapping[str, Person]
    opportunities: Mapping[str, object]
    documents: Mapping[tuple[str, str], YamlDocument]


def hours_problems(hours_files: Iterable[HoursFile], around: Surroundings) -> list[Problem]:
    """What ties hours files to the rest: the person, the placement, the place, a month once."""
    problems: list[Problem] = []
    for hours in hours_files:
        problems.extend(_file_problems(around, hours))
    return problems


def _file_problems(casebook: Surroundings, hours: HoursFile) -> list[Problem]:
    problems: list[Problem] = []
    document = casebook.documents.get((HoursFile.folder, hours.id))
    path = document.path if document else casebook.root / HoursFile.folder / f"{hours.id}.yaml"

    def at(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(
            Problem(
                file=path,
                line=document.line_of(loc) if document else None,
                field=field_path(loc) or None,
                message=message,
            )
        )

    person = casebook.people.get(hours.id)
    if person is None:
        if any(
            (casebook.root / "people" / f"{hours.id}{suffix}").is_file()
            for suffix in (".yaml", ".yml")
        ):
            return problems  # the person's own file is invalid, and says so; no echo here
        at(
            (),
            _("Hours are recorded for a person who is not in the casebook. ")
            + unknown_id_message("people", hours.id, casebook.people),
        )
        return problems
    placement = person.placement
    if placement is None:
        at(
            (),
            _(
                "{id} has no placement, so there can be no hours statements; add the "
                "placement to people/{id}.yaml first."
            ).format(id=person.id),
        )
        return problems
    seen: dict[tuple[str, str | None], int] = {}
    for index, statement in enumerate(hours.statements):
        place = place_of(statement, person)
        if statement.opportunity is not None and place not in casebook.opportunities:
            at(
                ("statements", index, "opportunity"),
                unknown_id_message("opportunities", place or "", casebook.opportunities),
            )
        key = (statement.month, place)
        if key in seen:
            at(
                ("statements", index, "month"),
                _(
                    "The month {month} appears twice for the same place (also in "
                    "statements[{other}]); put a month's hours at one place in one entry."
                ).format(month=statement.month, other=seen[key] + 1),
            )
        else:
            seen[key] = index
        # A month at a place the person had before needs only lie within one of its placements.
        spans = [p for p in person.history() if p.opportunity == place] or [placement]
        outside = all(
            month_end(statement.month) < span.start
            or (span.end is not None and month_start(statement.month) > span.end)
            for span in spans
        )
        if place == placement.opportunity and outside:
            at(
                ("statements", index, "month"),
                _(
                    "The month {month} lies outside the placement ({start} to {end}); "
                    "for an earlier place, name its opportunity."
                ).format(
                    month=statement.month,
                    start=short_date(placement.start),
                    end=short_date(placement.end) if placement.end else "…",
                ),
            )
    return problems


CapKind = Literal["per_month", "per_hour", "per_year"]


@dataclass(frozen=True)
class CapBreach:
    """One cap exceeded: ``paid`` is above ``limit`` (for the hourly cap: hours × hourly cap)."""

    cap: CapKind
    year: int
    month: str | None
    paid: float
    limit: float
    hours: float | None = None
    hourly_cap: float | None = None

    @property
    def guide(self) -> bool:
        """The hourly cap is a guide: above it the organisation may still explain the rate."""
        return self.cap == "per_hour"

    def _month(self) -> str:
        return month_year(month_start(self.month)) if self.month else ""

    def describe(self) -> str:
        if self.cap == "per_month":
            return _("cap per month exceeded in {month}: € {paid}, more than € {limit}").format(
                month=self._month(), paid=eur(self.paid), limit=eur(self.limit)
            )
        if self.cap == "per_hour":
            return _(
                "above the hourly guide in {month}: € {paid} for {hours} hours, more than "
                "€ {limit} (€ {hourly} an hour)"
            ).format(
                month=self._month(),
                paid=eur(self.paid),
                hours=hours_text(self.hours or 0),
                limit=eur(self.limit),
                hourly=eur(self.hourly_cap or 0),
            )
        return _("cap per year exceeded: € {paid}, more than € {limit}").format(
            paid=eur(self.paid), limit=eur(self.limit)
        )


@dataclass(frozen=True)
class MonthTotal:
    month: str
    hours: float
    paid: float


@dataclass(frozen=True)
class YearAllowance:
    """What one person was paid in one year, against that year's caps for their age."""

    person_id: str
    year: int
    age: int
    months: tuple[MonthTotal, ...]
    caps: AllowanceCaps | None
    breaches: tuple[CapBreach, ...]
    unsigned: int

    @property
    def hours(self) -> float:
        return round(sum(m.hours for m in self.months), 2)

    @property
    def paid(self) -> float:
        return round(sum(m.paid for m in self.months), 2)

    @property
    def checked(self) -> bool:
        """False when the rule data has no caps for this year."""
        return self.caps is not None

    @property
    def taxable(self) -> bool:
        """Above the month or year cap the whole allowance of the year is taxable income."""
        return any(not b.guide for b in self.breaches)

    @property
    def above_guide(self) -> bool:
        """Above the hourly cap of an agreed hourly rate: taxable unless the organisation can
        explain the rate."""
        return any(b.guide for b in self.breaches)

    def verdict(self) -> str:
        """The outcome for the person in plain words, saying when the caps are unconfirmed."""
        text = self._verdict()
        if self.caps is not None and not self.caps.confirmed:
            text += " " + _("(Caps {year} {caveat}.)").format(
                year=self.year, caveat=self.caps.caveat()
            )
        return text

    def _verdict(self) -> str:
        if self.caps is None:
            return _(
                "{year}: no allowance caps are known for this year, so € {paid} was not "
                "checked; add them under allowance_caps in casebook.yaml."
            ).format(year=self.year, paid=eur(self.paid))
        if not self.breaches:
            return _("{year}: € {paid} for {hours} hours, within every cap.").format(
                year=self.year, paid=eur(self.paid), hours=hours_text(self.hours)
            )
        if self.taxable:
            reasons = "; ".join(b.describe() for b in self.breaches)
            return _(
                "{year}: {reasons}. So the WHOLE allowance of € {paid} for {year} is taxable "
                "income, not only the part above the cap."
            ).format(year=self.year, reasons=reasons, paid=eur(self.paid))
        reasons = "; ".join(b.describe() for b in self.breaches)
        return _(
            "{year}: {reasons}. The hourly cap is a guide: if the organisation can explain "
            "why the higher rate is still no wage, the allowance may stay free of tax; if not, "
            "the WHOLE allowance of € {paid} for {year} is taxable income."
        ).format(year=self.year, reasons=reasons, paid=eur(self.paid))


def _cents(amount: float) -> int:
    # Money is compared in whole cents, so that a payment exactly at a cap is within it.
    return round(amount * 100)


def allowance_years(person: Person, hours: HoursFile, rules: Rules) -> list[YearAllowance]:
    """Each year of ``person``'s statements, with the caps of that year and what exceeds them."""
    by_month: dict[str, list[HoursStatement]] = defaultdict(list)
    for statement in hours.statements:
        by_month[statement.month].append(statement)
    years: dict[int, list[MonthTotal]] = defaultdict(list)
    unsigned: dict[int, int] = defaultdict(int)
    for month in sorted(by_month):
        entries = by_month[month]
        total = MonthTotal(
            month=month,
            hours=round(sum(s.hours for s in entries), 2),
            paid=round(sum(s.allowance_paid for s in entries), 2),
        )
        year = int(month[:4])
        years[year].append(total)
        unsigned[year] += sum(1 for s in entries if s.signed_off_on is None)

    # The hourly cap holds only where an hourly allowance was agreed (Belastingdienst).
    hourly_agreed = person.placement is not None and person.placement.allowance_per_hour is not None
    result = []
    for year in sorted(years):
        months = tuple(years[year])
        age = person.age_in(year)
        caps = rules.caps_for(year)
        breaches: list[CapBreach] = []
        if caps is not None:
            hourly = caps.per_hour(age)
            for total in months:
                if _cents(total.paid) > _cents(caps.per_month):
                    breaches.append(
                        CapBreach("per_month", year, total.month, total.paid, caps.per_month)
                    )
                limit = round(total.hours * hourly, 2)
                if hourly_agreed and _cents(total.paid) > _cents(limit):
                    breaches.append(
                        CapBreach(
                            "per_hour", year, total.month, total.paid, limit, total.hours, hourly
                        )
                    )
            paid = round(sum(m.paid for m in months), 2)
            if _cents(paid) > _cents(caps.per_year):
                breaches.append(CapBreach("per_year", year, None, paid, caps.per_year))
        result.append(
            YearAllowance(
                person_id=person.id,
                year=year,
                age=age,
                months=months,
                caps=caps,
                breaches=tuple(breaches),
                unsigned=unsigned[year],
            )
        )
    return result


def allowance_report(
    hours: Mapping[str, HoursFile],
    people: Mapping[str, Person],
    rules: Rules,
    year: int | None = None,
) -> list[YearAllowance]:
    """Every person's years with hours statements (only ``year`` if given), by person id."""
    report = []
    for person_id in sorted(hours):
        person = people.get(person_id)
        if person is None:
            continue
        for entry in allowance_years(person, hours[person_id], rules):
            if year is None or entry.year == year:
                report.append(entry)
    return report
