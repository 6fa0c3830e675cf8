"""Monthly hours statements as they are entered: checked while typed, then approved.

An organisation signs off each month how many hours a burgerbaner worked; the coordinator enters
it (:func:`record_statement`, state *ingediend*) and approves it (:func:`approve_statement`,
*goedgekeurd*); only approved statements reach a payment list (:mod:`toolkit.casebook.payments`).

:func:`check_statement` says, before anything is written, what the entry means against the caps
of its year, summed over every place of that person: per month, per year so far, per hour for
the person's age (a limit where an hourly rate was agreed; otherwise the Belastingdienst treats
it as a guide, and so do we: said, not refused), and what the person's benefit asks
(:func:`benefit_rules`). Going over a cap is not refused either: it is the person's and the
cooperative's choice, but the warning says in plain words that the *whole* allowance of the year
then becomes taxable income.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.hours import (
    MAX_HOURS_PER_MONTH,
    HoursStatement,
    _month,
    eur,
    hours_text,
    month_end,
    month_start,
    place_of,
)
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.path import find_person
from toolkit.casebook.records import Person, Placement
from toolkit.casebook.rules import AllowanceCaps
from toolkit.casebook.year_edits import (
    Edit,
    apply_edits,
    bases,
    block,
    edited_text,
    locked_casebook,
)
from toolkit.casebook.year_edits import new_text as new_yaml_text
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.i18n import _

#: From this age a person on bijstand keeps an allowance within the caps (and reports it to the
#: municipality); below it the allowance is deducted (Participatiewet art. 31 lid 5).
BIJSTAND_KEEP_AGE = 27
#: Months in a year: a placement's allowance per year is paid in twelve equal parts by default.
MONTHS_PER_YEAR = 12

Level = Literal["warning", "guide", "notice"]
#: The findings that mean a cap was exceeded (and so the whole year's allowance is taxable).
CAP_CODES = frozenset({"per_month", "per_year", "per_hour"})


@dataclass(frozen=True)
class Finding:
    """One thing the coordinator should know about an entry: a cap, a guide or a benefit rule."""

    code: str
    level: Level
    message: str


@dataclass(frozen=True)
class StatementCheck:
    """An entry of hours and allowance, with the totals it gives and what they mean."""

    person_id: str
    month: str
    opportunity: str
    hours: float
    amount: float
    age: int
    caps: AllowanceCaps | None
    month_total: float
    year_total: float
    hourly_rate: float | None
    findings: tuple[Finding, ...]

    @property
    def over_cap(self) -> bool:
        return any(f.code in CAP_CODES for f in self.findings)

    def messages(self, level: Level | None = None) -> list[str]:
        return [f.message for f in self.findings if level is None or f.level == level]


def cents(amount: float) -> int:
    """Money compared in whole cents, so an amount exactly at a cap is within it."""
    return round(amount * 100)


def parse_month(text: str) -> str:
    """``YYYY-MM`` as given by a user, or :class:`InvalidInputError` saying how to write it."""
    try:
        value: str = _month(text)
    except ValueError as exc:
        raise InvalidInputError(str(exc), field="month") from None
    return value


def placement_in(person: Person, month: str, opportunity: str | None) -> Placement | None:
    """The person's placement (at ``opportunity`` if given) that covers part of ``month``."""
    first, last = month_start(month), month_end(month)
    for placement in reversed(person.history()):
        if opportunity is not None and placement.opportunity != opportunity:
            continue
        if placement.start <= last and (placement.end is None or placement.end >= first):
            return placement
    return None


def default_amount(placement: Placement, hours: float) -> float:
    """The allowance for a month: hours × the agreed rate, else a twelfth of the year's."""
    if placement.allowance_per_hour is not None:
        return round(hours * placement.allowance_per_hour, 2)
    return round(placement.allowance_per_year / MONTHS_PER_YEAR, 2)


def benefit_rules(person: Person, year: int) -> list[Finding]:
    """What the person's benefit asks of an allowance in ``year`` (by the age reached then)."""
    age = person.age_in(year)
    found = []
    if "wajong" in person.situation:
        found.append(
            Finding(
                "wajong",
                "notice",
                _(
                    "Wajong: the volunteer work must be reported to UWV within a week of "
                    "starting; an allowance above the caps counts as income."
                ),
            )
        )
    if "ww" in person.situation:
        found.append(
            Finding(
                "ww",
                "notice",
                _(
                    "WW: volunteer work needs UWV's permission before it starts; make sure that "
                    "permission was given before the first day."
                ),
            )
        )
    if "bijstand" in person.situation:
        if age < BIJSTAND_KEEP_AGE:
            found.append(
                Finding(
                    "bijstand_under_27",
                    "notice",
                    _(
                        "Bijstand, under {age}: the allowance is deducted from the benefit; "
                        "report it to the municipality."
                    ).format(age=BIJSTAND_KEEP_AGE),
                )
            )
        else:
            found.append(
                Finding(
                    "bijstand_27_plus",
                    "notice",
                    _(
                        "Bijstand, {age} or over: an allowance within the caps may be kept; "
                        "report it to the municipality."
                    ).format(age=BIJSTAND_KEEP_AGE),
                )
            )
    return found


def _others(casebook: Casebook, person: Person, month: str, place: str) -> list[HoursStatement]:
    """The person's statements other than the one for ``month`` at ``place``."""
    hours = casebook.hours.get(person.id)
    if hours is None:
        return []
    return [s for s in hours.statements if not (s.month == month and place_of(s, person) == place)]


def existing_statement(
    casebook: Casebook, person: Person, month: str, place: str
) -> HoursStatement | None:
    hours = casebook.hours.get(person.id)
    if hours is None:
        return None
    for statement in hours.statements:
        if statement.month == month and place_of(statement, person) == place:
            return statement
    return None


def check_statement(
    casebook: Casebook,
    person_id: str,
    month: str,
    hours: float,
    amount: float | None = None,
    opportunity: str | None = None,
) -> StatementCheck:
    """What an entry of ``hours`` (and ``amount``) for ``month`` means; nothing is written."""
    month = parse_month(month)
    person = find_person(casebook, person_id)
    if opportunity is not None and opportunity not in casebook.opportunities:
        raise NotFoundError(
            unknown_id_message("opportunities", opportunity, casebook.opportunities)
        )
    if not 0 <= hours <= MAX_HOURS_PER_MONTH:
        raise InvalidInputError(
            _("Hours must lie between 0 and {most} for one month.").format(
                most=MAX_HOURS_PER_MONTH
            ),
            field="hours",
        )
    placement = placement_in(person, month, opportunity)
    if placement is None:
        raise InvalidInputError(
            _(
                "{id} had no placement in {month}{at}; hours belong to a month of a placement."
            ).format(
                id=person_id,
                month=month,
                at=f" ({opportunity})" if opportunity else "",
            ),
            field="month",
        )
    if amount is None:
        amount = default_amount(placement, hours)
    if amount < 0:
        raise InvalidInputError(_("The amount cannot be negative."), field="amount")
    year = int(month[:4])
    age = person.age_in(year)
    others = _others(casebook, person, month, placement.opportunity)
    month_total = round(amount + sum(s.allowance_paid for s in others if s.month == month), 2)
    month_hours = round(hours + sum(s.hours for s in others if s.month == month), 2)
    year_total = round(amount + sum(s.allowance_paid for s in others if s.year == year), 2)
    caps = casebook.rules.caps_for(year)
    findings: list[Finding] = []
    if caps is None:
        findings.append(
            Finding(
                "not_checked",
                "notice",
                _(
                    "No allowance caps are known for {year}, so this entry is not checked; add "
                    "them under allowance_caps in casebook.yaml."
                ).format(year=year),
            )
        )
    else:
        findings.extend(
            _cap_findings(caps, age, placement, hours, amount, month_hours, month_total, year_total)
        )
        if any(f.code in CAP_CODES for f in findings):
            findings.append(
                Finding(
                    "taxable",
                    "warning",
                    _(
                        "Above any cap the WHOLE allowance of {year} becomes taxable income "
                        "(now € {total}), not only the part above the cap. Lower the amount, "
                        "or tell the person before it is paid."
                    ).format(year=year, total=eur(year_total)),
                )
            )
    findings.extend(benefit_rules(person, year))
    return StatementCheck(
        person_id=person_id,
        month=month,
        opportunity=placement.opportunity,
        hours=hours,
        amount=amount,
        age=age,
        caps=caps,
        month_total=month_total,
        year_total=year_total,
        hourly_rate=placement.allowance_per_hour,
        findings=tuple(findings),
    )


def _cap_findings(
    caps: AllowanceCaps,
    age: int,
    placement: Placement,
    hours: float,
    amount: float,
    month_hours: float,
    month_total: float,
    year_total: float,
) -> list[Finding]:
    found = []
    if cents(month_total) > cents(caps.per_month):
        found.append(
            Finding(
                "per_month",
                "warning",
                _("Over the cap per month: € {paid} this month, the cap is € {cap}.").format(
                    paid=eur(month_total), cap=eur(caps.per_month)
                ),
            )
        )
    if cents(year_total) > cents(caps.per_year):
        found.append(
            Finding(
                "per_year",
                "warning",
                _("Over the cap per year: € {paid} so far this year, the cap is € {cap}.").format(
                    paid=eur(year_total), cap=eur(caps.per_year)
                ),
            )
        )
    hourly = caps.per_hour(age)
    if placement.allowance_per_hour is not None:
        limit = round(month_hours * hourly, 2)
        if cents(month_total) > cents(limit):
            found.append(
                Finding(
                    "per_hour",
                    "warning",
                    _(
                        "Over the cap per hour: € {paid} for {hours} hours is more than € {cap} "
                        "an hour (the cap at age {age}; an hourly rate was agreed)."
                    ).format(
                        paid=eur(month_total),
                        hours=hours_text(month_hours),
                        cap=eur(hourly),
                        age=age,
                    ),
                )
            )
    elif cents(amount) > cents(round(hours * hourly, 2)):
        found.append(
            Finding(
                "hourly_guide",
                "guide",
                _(
                    "€ {paid} for {hours} hours is more than € {cap} an hour (the cap at age "
                    "{age}). No hourly rate was agreed, so the Belastingdienst treats the hourly "
                    "cap as a guide: this is allowed, but note why the amount is fair."
                ).format(paid=eur(amount), hours=hours_text(hours), cap=eur(hourly), age=age),
            )
        )
    return found


HOURS_HEADER = (
    "Urenopgaven van deze burgerbaner: per maand de afgetekende uren en de vergoeding.\n"
    "Ingevoerd met burgerbaan uren; intern houden."
)


def _statement_data(check: StatementCheck, signed_off_by: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "month": check.month,
        "opportunity": check.opportunity,
        "hours": _plain(check.hours),
        "allowance_paid": _plain(check.amount),
    }
    if signed_off_by:
        data["signed_off_by"] = signed_off_by
    data["state"] = "ingediend"
    return data


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def record_statement(
    root: Path | str,
    person_id: str,
    month: str,
    hours: float,
    *,
    amount: float | None = None,
    opportunity: str | None = None,
    signed_off_by: str | None = None,
    by: str = "",
    base_hash: str | None = None,
) -> StatementCheck:
    """Enter (or correct, while not yet approved) a month's statement as *ingediend*.

    ``base_hash``: the hash of the person's hours file the form was made from (``ABSENT`` when
    there was none; None: not checked). ``by``: who entered it, for the change history.
    """
    with locked_casebook(root) as casebook:
        check = check_statement(casebook, person_id, month, hours, amount, opportunity)
        person = casebook.people[person_id]
        existing = existing_statement(casebook, person, check.month, check.opportunity)
        if existing is not None and existing.state != "ingediend":
            raise ConflictError(
                _(
                    "The statement of {month} is already {state}; an approved or paid month "
                    "cannot be changed."
                ).format(month=check.month, state=existing.state or _("paid"))
            )
        entry = _statement_data(check, signed_off_by)
        hours_file = casebook.hours.get(person_id)
        if hours_file is None:
            path = casebook.root / "hours" / f"{person_id}.yaml"
            text = new_yaml_text({"statements": [entry]}, HOURS_HEADER)
            edits = [Edit(path, text, private=True, fields=("statements",))]
        else:
            path = casebook.path_of(hours_file)

            index = next(
                (
                    i
                    for i, s in enumerate(hours_file.statements)
                    if s.month == check.month and place_of(s, person) == check.opportunity
                ),
                None,
            )

            def change(data: Any) -> None:
                if data.get("statements") is None:
                    data["statements"] = block([entry])
                elif index is None:
                    data["statements"].append(block(entry))
                else:
                    data["statements"][index] = block(entry)

            edits = [Edit(path, edited_text(path, change), fields=("statements",))]
        apply_edits(casebook.root, edits, actor=by, base_hashes=bases(path, base_hash))
        return check


def approve_statement(
    root: Path | str,
    person_id: str,
    month: str,
    *,
    by: str,
    day: dt.date,
    opportunity: str | None = None,
    base_hash: str | None = None,
) -> HoursStatement:
    """Approve an entered statement (*ingediend* → *goedgekeurd*) so it can be paid."""
    month = parse_month(month)
    if not by.strip():
        raise InvalidInputError(_("Say who approves the statement."))
    if day < month_start(month):
        raise InvalidInputError(
            _("The hours of {month} cannot be approved before that month has begun.").format(
                month=month
            )
        )
    with locked_casebook(root) as casebook:
        person = find_person(casebook, person_id)
        hours_file = casebook.hours.get(person_id)
        found = [
            (index, s)
            for index, s in enumerate(hours_file.statements if hours_file else [])
            if s.month == month and (opportunity is None or place_of(s, person) == opportunity)
        ]
        waiting = [(index, s) for index, s in found if s.state == "ingediend"]
        if not waiting:
            if found:
                raise ConflictError(
                    _("The statement of {month} is already {state}.").format(
                        month=month, state=found[0][1].state or _("paid")
                    )
                )
            raise NotFoundError(
                _("There is no statement of {month} for {id}; enter the hours first.").format(
                    month=month, id=person_id
                )
            )
        if len(waiting) > 1:
            raise InvalidInputError(
                _("{id} has statements at more than one place in {month}; name the place.").format(
                    id=person_id, month=month
                )
            )
        index = waiting[0][0]
        assert hours_file is not None
        path = casebook.path_of(hours_file)

        def change(data: Any) -> None:
            item = data["statements"][index]
            item["state"] = "goedgekeurd"
            item["approved_by"] = by.strip()
            item["approved_on"] = day

        edit = Edit(path, edited_text(path, change), fields=("statements",))
        after = apply_edits(casebook.root, [edit], actor=by, base_hashes=bases(path, base_hash))
        return after.hours[person_id].statements[index]


@dataclass(frozen=True)
class Waiting:
    """An entered statement that waits for the coordinator's approval."""

    person_id: str
    month: str
    opportunity: str
    statement: HoursStatement


def waiting_statements(casebook: Casebook) -> list[Waiting]:
    """Every statement still *ingediend*, by month, person and place."""
    found = []
    for person_id, hours_file in casebook.hours.items():
        person = casebook.people.get(person_id)
        for statement in hours_file.statements:
            place = place_of(statement, person)
            if statement.state == "ingediend" and place is not None:
                found.append(Waiting(person_id, statement.month, place, statement))
    return sorted(found, key=lambda w: (w.month, w.person_id, w.opportunity))


def approve_statements(
    root: Path | str,
    *,
    by: str,
    day: dt.date,
    month: str | None = None,
    person_id: str | None = None,
    opportunity: str | None = None,
) -> list[HoursStatement]:
    """Approve every waiting statement of ``month`` and/or of one placement (``person_id`` and
    ``opportunity``) that may be approved on ``day``; refused when that is none."""
    if month is None and person_id is None:
        raise InvalidInputError(_("Name a month or a person whose statements to approve."))
    if month is not None:
        month = parse_month(month)
    with locked_casebook(root) as casebook:
        chosen = [
            w
            for w in waiting_statements(casebook)
            if (month is None or w.month == month)
            and (person_id is None or w.person_id == person_id)
            and (opportunity is None or w.opportunity == opportunity)
            and day >= month_start(w.month)
        ]
        if not chosen:
            raise ConflictError(_("There are no entered statements to approve here."))
        # Under one hold of the lock: no other writer comes between the approvals of one form.
        return [
            approve_statement(root, w.person_id, w.month, by=by, day=day, opportunity=w.opportunity)
            for w in chosen
        ]
