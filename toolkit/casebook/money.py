"""The pilot's money: sponsors and their SROI credit, the sponsor plan, agreements and own cost.

Pure functions over a loaded casebook and its rules; every figure (cost and SROI credit per
burgerbaan-year, overhead) comes from the rule data or the casebook's override, with its source.

- A sponsor pays ``rules.sponsor_cost_per_year`` (allowance plus overhead) per burgerbaan-year it
  funds; the years a sponsor funds are those its placements take from its budget
  (:meth:`Casebook.sponsor_years_used`).
- Against an SROI obligation, each burgerbaan-year agreed up to the deadline is credited with
  ``rules.sroi_credit_per_year``; years after the deadline do not count.
- A plan rounds the number of burgerbanen *up*: a burgerbaan is a person, not a fraction, so a
  plan meets the obligation at least, and says by how much it goes over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.records import Placement
from toolkit.casebook.rules import Figure, Rules
from toolkit.errors import InvalidInputError, NotFoundError, Remedy
from toolkit.i18n import _

#: Days in a year as placements count them (see :meth:`Placement.person_years`).
DAYS_PER_YEAR = 365.25


def _whole(value: float) -> int:
    """Round up to a whole number, ignoring float noise (20.000000001 is 20)."""
    return math.ceil(round(value, 6))


def _years_between(start: date, end: date) -> float:
    return round(((end - start).days + 1) / DAYS_PER_YEAR, 2)


def years_until(placement: Placement, deadline: date | None) -> float:
    """Burgerbaan-years of ``placement`` up to ``deadline`` (all of them without a deadline).

    An agreement without an end counts as one year from its start, as against a budget.
    """
    if deadline is None:
        return placement.person_years()
    if placement.start > deadline:
        return 0.0
    if placement.end is None:
        end = placement.start.replace(year=placement.start.year + 1) - timedelta(days=1)
        full = 1.0
    else:
        end = placement.end
        full = placement.person_years()
    if end <= deadline:
        return full
    return _years_between(placement.start, deadline)


def sroi_missing(obligation: float | None, credited: float) -> float | None:
    """The part of an SROI obligation that ``credited`` euros leave open (None: no obligation)."""
    if obligation is None:
        return None
    return round(max(0.0, obligation - credited), 2)


def years_of_credit(amount: float | None, credit: Figure) -> float | None:
    """How many burgerbaan-years ``amount`` euros of SROI credit are (None: nothing to count)."""
    if amount is None or credit.value <= 0:
        return None
    return round(amount / credit.value, 2)


@dataclass(frozen=True)
class SponsorAccount:
    """One sponsor's burgerbaan-years, what they cost, and the SROI credit they earn."""

    sponsor_id: str
    name: str
    budget_years: float
    funded_years: float
    cost_per_year: float
    credit: Figure
    obligation: float | None
    deadline: date | None
    credited_years: float
    day: date

    @property
    def left_years(self) -> float:
        return round(max(0.0, self.budget_years - self.funded_years), 2)

    @property
    def budget_cost(self) -> float:
        return round(self.budget_years * self.cost_per_year, 2)

    @property
    def funded_cost(self) -> float:
        return round(self.funded_years * self.cost_per_year, 2)

    @property
    def credited(self) -> float:
        return round(self.credited_years * self.credit.value, 2)

    @property
    def missing(self) -> float | None:
        """The part of the obligation not yet met (None: the sponsor has no obligation)."""
        return sroi_missing(self.obligation, self.credited)

    @property
    def missing_years(self) -> float | None:
        """Burgerbaan-years still needed to meet the obligation (None: no obligation or credit)."""
        return years_of_credit(self.missing, self.credit)

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline < self.day

    @property
    def obligation_met(self) -> bool:
        return self.missing is not None and self.missing <= 0


def sponsor_accounts(casebook: Casebook, day: date) -> list[SponsorAccount]:
    """Every sponsor's account on ``day``, in the order of their ids."""
    rules = casebook.rules
    accounts = []
    for sponsor_id, sponsor in sorted(casebook.sponsors.items()):
        placements = [
            placement
            for p in casebook.people.values()
            for placement in p.history()
            if placement.sponsor == sponsor_id
        ]
        accounts.append(
            SponsorAccount(
                sponsor_id=sponsor_id,
                name=sponsor.name,
                budget_years=sponsor.budget_person_years,
                funded_years=casebook.sponsor_years_used(sponsor_id),
                cost_per_year=rules.sponsor_cost_per_year,
                credit=rules.sroi_credit_per_year,
                obligation=sponsor.sroi_obligation,
                deadline=sponsor.sroi_deadline,
                credited_years=round(
                    sum(years_until(p, sponsor.sroi_deadline) for p in placements), 2
                ),
                day=day,
            )
        )
    return accounts


@dataclass(frozen=True)
class SponsorPlan:
    """How many burgerbanen, for how many years, meet an obligation, and what that costs."""

    obligation: float
    years: int
    credit: Figure
    allowance: Figure
    overhead: Figure
    start: date
    sponsor: SponsorAccount | None = None

    @property
    def cost_per_year(self) -> float:
        """What a sponsor pays per burgerbaan-year: the allowance plus the overhead."""
        return self.allowance.value + self.overhead.value

    @property
    def person_years_needed(self) -> float:
        return self.obligation / self.credit.value

    @property
    def burgerbanen(self) -> int:
        return _whole(self.person_years_needed / self.years)

    @property
    def person_years(self) -> int:
        return self.burgerbanen * self.years

    @property
    def rounded_up(self) -> bool:
        return self.person_years > round(self.person_years_needed, 6)

    @property
    def cost(self) -> float:
        return round(self.person_years * self.cost_per_year, 2)

    @property
    def credited(self) -> float:
        return round(self.person_years * self.credit.value, 2)

    @property
    def surplus(self) -> float:
        return round(self.credited - self.obligation, 2)

    @property
    def end(self) -> date:
        """The last day of the plan's burgerbanen, if they start on ``start``."""
        try:
            return self.start.replace(year=self.start.year + self.years) - timedelta(days=1)
        except ValueError:  # 29 February
            return self.start.replace(year=self.start.year + self.years, day=28)

    @property
    def past_deadline(self) -> bool:
        """Whether the plan runs beyond the sponsor's deadline (years after it do not count)."""
        deadline = self.sponsor.deadline if self.sponsor else None
        return deadline is not None and self.end > deadline


#: An SROI obligation runs for the length of a contract; no plan runs longer than this, and the
#: calendar (which ends in the year 9999) is never reached.
MAX_PLAN_YEARS = 50


def plan(
    obligation: float,
    years: int,
    rules: Rules,
    *,
    start: date,
    sponsor: SponsorAccount | None = None,
) -> SponsorPlan:
    """The plan that meets ``obligation`` with burgerbanen of ``years`` years each."""
    if obligation < 0:
        raise InvalidInputError(_("The obligation cannot be negative."), field="obligation")
    if not 1 <= years <= MAX_PLAN_YEARS:
        raise InvalidInputError(
            _("The number of years must be between 1 and {most}.").format(most=MAX_PLAN_YEARS),
            field="years",
        )
    if rules.sroi_credit_per_year.value <= 0:
        raise InvalidInputError(
            _(
                "The SROI credit per burgerbaan-year is 0 ({source}), so no number of "
                "burgerbanen meets an obligation; set sroi_credit_per_year in casebook.yaml."
            ).format(source=rules.sroi_credit_per_year.source),
            field="sroi_credit_per_year",
        )
    return SponsorPlan(
        obligation=obligation,
        years=years,
        credit=rules.sroi_credit_per_year,
        allowance=rules.sponsor_allowance_per_year,
        overhead=rules.overhead_per_year,
        start=start,
        sponsor=sponsor,
    )


def years_to_deadline(start: date, deadline: date) -> int:
    """Whole years from ``start`` up to ``deadline``, at least 1."""
    return max(1, int(((deadline - start).days + 1) // DAYS_PER_YEAR))


def plan_for_sponsor(
    casebook: Casebook, sponsor_id: str, years: int | None, start: date
) -> SponsorPlan:
    """The plan for what a sponsor still misses of its obligation.

    Without ``years``: the whole years from ``start`` to the sponsor's deadline, else one year.
    """

    if sponsor_id not in casebook.sponsors:
        raise NotFoundError(unknown_id_message("sponsors", sponsor_id, casebook.sponsors))
    account = next(a for a in sponsor_accounts(casebook, start) if a.sponsor_id == sponsor_id)
    if account.missing is None:
        raise InvalidInputError(
            _(
                "The sponsor {name} has no SROI obligation (sroi_obligation in sponsors/{id}.yaml)."
            ).format(name=account.name, id=sponsor_id),
            field="sponsor",
            remedy=Remedy.GIVE_OBLIGATION,
        )
    if years is None:
        years = years_to_deadline(start, account.deadline) if account.deadline else 1
    return plan(account.missing, years, casebook.rules, start=start, sponsor=account)


@dataclass(frozen=True)
class Agreement:
    """An active placement whose agreement ends soon (or has ended without being renewed)."""

    person_id: str
    opportunity_id: str
    sponsor_id: str | None
    start: date
    end: date
    days_left: int

    @property
    def ended(self) -> bool:
        return self.days_left < 0


def agreements_ending(casebook: Casebook, day: date, window_days: int) -> list[Agreement]:
    """Active placements ending within ``window_days`` of ``day``, or already ended, by end date."""
    if window_days < 0:
        raise InvalidInputError(_("The window must be 0 days or more."), field="window")
    try:
        horizon = day + timedelta(days=window_days)
    except OverflowError:  # a window beyond the calendar takes in every agreement
        horizon = date.max
    found = []
    for person in casebook.active():
        placement = person.placement
        if placement is None or placement.end is None or placement.end > horizon:
            continue
        found.append(
            Agreement(
                person_id=person.id,
                opportunity_id=placement.opportunity,
                sponsor_id=placement.sponsor,
                start=placement.start,
                end=placement.end,
                days_left=(placement.end - day).days,
            )
        )
    return sorted(found, key=lambda a: (a.end, a.person_id))


@dataclass(frozen=True)
class OwnCost:
    """What an unsponsored burgerbaan costs the cooperative per year: allowance and overhead."""

    person_id: str
    opportunity_id: str
    allowance_per_year: float
    overhead_per_year: float

    @property
    def per_year(self) -> float:
        return round(self.allowance_per_year + self.overhead_per_year, 2)


def cooperative_costs(casebook: Casebook) -> list[OwnCost]:
    """The active burgerbanen without a sponsor, whose cost the cooperative carries itself."""
    overhead = casebook.rules.overhead_per_year.value
    return [
        OwnCost(
            person_id=person.id,
            opportunity_id=person.placement.opportunity,
            allowance_per_year=person.placement.allowance_per_year,
            overhead_per_year=overhead,
        )
        for person in sorted(casebook.active(), key=lambda p: p.id)
        if person.placement is not None and person.placement.sponsor is None
    ]
