"""The sponsor statement (sponsorverklaring): a sponsor's burgerbanen of one year, for the
municipality.

Per sponsor and year: the burgerbaan-years it funded, the hours worked in them, the allowance paid
out, its contribution (allowance plus overhead per burgerbaan-year, from the rule data), and the
SROI credit those years earn against its obligation and deadline, with what is still missing and
the assumption behind the credit with its source. A public document: people appear only by their
pseudonym and age band, and the privacy guard passes every text before the document is made.
Both formats (:func:`sponsor_statement_html`, :func:`sponsor_statement_docx`) return bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docx.shared import Pt

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.hours import month_end, month_start, place_of
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.money import (
    DAYS_PER_YEAR,
    sponsor_accounts,
    sroi_missing,
    years_of_credit,
)
from toolkit.casebook.payments import paid_keys, read_payment_lists
from toolkit.casebook.placements import one_year_from
from toolkit.casebook.public import public_view
from toolkit.casebook.records import Placement
from toolkit.casebook.rules import Figure, rule_data
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.formatting import long_date, money, number
from toolkit.i18n import _
from toolkit.reports import word
from toolkit.reports.docx import document_bytes
from toolkit.reports.environment import make_environment, render
from toolkit.reports.privacy import check_public, texts_of


def years_within(placement: Placement, first: dt.date, last: dt.date) -> float:
    """Burgerbaan-years of ``placement`` that fall between ``first`` and ``last`` (inclusive).

    An agreement without an end counts one year from its start, as against a budget.
    """
    end = placement.end if placement.end is not None else one_year_from(placement.start)
    start, stop = max(placement.start, first), min(end, last)
    if stop < start:
        return 0.0
    return round(((stop - start).days + 1) / DAYS_PER_YEAR, 2)


@dataclass(frozen=True)
class FundedPlace:
    """One funded placement in the year, as the public may see it."""

    pseudonym: str
    age_band: str
    opportunity: str
    organisation: str
    start: dt.date
    end: dt.date | None
    years: float
    hours: float
    paid: float


@dataclass(frozen=True)
class SponsorStatement:
    sponsor_name: str
    sector: str
    year: int
    day: dt.date
    cooperative: str
    places: tuple[FundedPlace, ...]
    allowance_per_year: Figure
    overhead_per_year: Figure
    credit: Figure
    credited_years: float
    obligation: float | None
    deadline: dt.date | None
    credited_total_years: float

    @property
    def funded_years(self) -> float:
        return round(sum(p.years for p in self.places), 2)

    @property
    def hours(self) -> float:
        return round(sum(p.hours for p in self.places), 2)

    @property
    def paid(self) -> float:
        return round(sum(p.paid for p in self.places), 2)

    @property
    def cost_per_year(self) -> float:
        return self.allowance_per_year.value + self.overhead_per_year.value

    @property
    def owed_allowance(self) -> float:
        return round(self.funded_years * self.allowance_per_year.value, 2)

    @property
    def owed_overhead(self) -> float:
        return round(self.funded_years * self.overhead_per_year.value, 2)

    @property
    def owed(self) -> float:
        return round(self.owed_allowance + self.owed_overhead, 2)

    @property
    def credited(self) -> float:
        return round(self.credited_years * self.credit.value, 2)

    @property
    def credited_total(self) -> float:
        return round(self.credited_total_years * self.credit.value, 2)

    @property
    def missing(self) -> float | None:
        return sroi_missing(self.obligation, self.credited_total)

    @property
    def missing_years(self) -> float | None:
        return years_of_credit(self.missing, self.credit)

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline < self.day


def sponsor_statement(
    casebook: Casebook, sponsor_id: str, year: int, day: dt.date
) -> SponsorStatement:
    """The figures of ``sponsor_id`` for calendar ``year``, as known on ``day``."""
    if sponsor_id not in casebook.sponsors:
        raise NotFoundError(unknown_id_message("sponsors", sponsor_id, casebook.sponsors))
    if not 2000 <= year <= 2100:
        raise InvalidInputError(_("Choose a year between 2000 and 2100."))
    sponsor = casebook.sponsors[sponsor_id]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    credit_last = min(last, sponsor.sroi_deadline) if sponsor.sroi_deadline else last
    paid = paid_keys(read_payment_lists(casebook.root))
    places: list[FundedPlace] = []
    credited_years = 0.0
    for person in sorted(casebook.people.values(), key=lambda p: p.id):
        for placement in person.history():
            if placement.sponsor != sponsor_id:
                continue
            years = years_within(placement, first, last)
            if years <= 0:
                continue
            credited_years += years_within(placement, first, credit_last)
            hours, amount = _worked(casebook, person.id, placement, year, paid)
            view = public_view(casebook, person, year)
            opportunity = casebook.opportunities[placement.opportunity]
            organisation = casebook.organisations.get(opportunity.organisation)
            places.append(
                FundedPlace(
                    pseudonym=view.pseudonym,
                    age_band=view.age_band,
                    opportunity=opportunity.title,
                    organisation=organisation.name if organisation else "",
                    start=placement.start,
                    end=placement.end,
                    years=years,
                    hours=hours,
                    paid=amount,
                )
            )
    account = next(a for a in sponsor_accounts(casebook, day) if a.sponsor_id == sponsor_id)
    return SponsorStatement(
        sponsor_name=sponsor.name,
        sector=sponsor.sector,
        year=year,
        day=day,
        cooperative=casebook.settings.name,
        places=tuple(sorted(places, key=lambda p: (p.start, p.pseudonym))),
        allowance_per_year=casebook.rules.sponsor_allowance_per_year,
        overhead_per_year=casebook.rules.overhead_per_year,
        credit=casebook.rules.sroi_credit_per_year,
        credited_years=round(credited_years, 2),
        obligation=sponsor.sroi_obligation,
        deadline=sponsor.sroi_deadline,
        credited_total_years=account.credited_years,
    )


def _worked(
    casebook: Casebook,
    person_id: str,
    placement: Placement,
    year: int,
    paid: dict[tuple[str, str, str], int],
) -> tuple[float, float]:
    """Hours signed off in ``year`` at this placement, and the allowance paid for them.

    Paid: recorded before statements had a state (paid outside the toolkit), or on a kept
    payment list.
    """
    hours_file = casebook.hours.get(person_id)
    person = casebook.people[person_id]
    hours = amount = 0.0
    for statement in hours_file.statements if hours_file else []:
        if statement.year != year or place_of(statement, person) != placement.opportunity:
            continue
        if month_end(statement.month) < placement.start or (
            placement.end is not None and month_start(statement.month) > placement.end
        ):
            continue
        hours += statement.hours
        key = (person_id, statement.month, placement.opportunity)
        if statement.state is None or key in paid:
            amount += statement.allowance_paid
    return round(hours, 2), round(amount, 2)


def _years(value: float) -> str:
    return number(value, 0 if round(value, 2) == round(value) else 2)


def statement_rows(statement: SponsorStatement) -> list[tuple[str, str]]:
    """The figures as (label, value) lines, the same in both formats."""
    rows = [
        (
            _("Burgerbaan-years funded in {year}").format(year=statement.year),
            _years(statement.funded_years),
        ),
        (_("Hours worked in them"), number(statement.hours, 0)),
        (_("Allowance paid out to the burgerbaners"), money(statement.paid, decimals=True)),
        (
            _(
                "Contribution for {year}: {years} × ({allowance} allowance + {overhead} overhead)"
            ).format(
                year=statement.year,
                years=_years(statement.funded_years),
                allowance=money(statement.allowance_per_year.value),
                overhead=money(statement.overhead_per_year.value),
            ),
            money(statement.owed, decimals=True),
        ),
        (
            _("SROI credit for {year}: {years} × {credit}").format(
                year=statement.year,
                years=_years(statement.credited_years),
                credit=money(statement.credit.value),
            ),
            money(statement.credited, decimals=True),
        ),
    ]
    if statement.obligation is not None:
        deadline = long_date(statement.deadline) if statement.deadline else _("no deadline")
        rows += [
            (
                _("SROI obligation (deadline {deadline})").format(deadline=deadline),
                money(statement.obligation),
            ),
            (
                _("Credited towards it: every agreed burgerbaan-year up to the deadline"),
                money(statement.credited_total, decimals=True),
            ),
            (_("Still missing"), money(statement.missing or 0.0, decimals=True)),
        ]
        if statement.missing_years:
            rows.append((_("That is, in burgerbaan-years"), _years(statement.missing_years)))
    return rows


def assumption_text(statement: SponsorStatement) -> str:
    text = _(
        "Assumption: each burgerbaan-year is credited with {credit} against an SROI obligation, "
        "for the years up to the deadline (source: {source}). The municipality sets its own "
        "valuation; the contribution per burgerbaan-year is {allowance} allowance (source: "
        "{allowance_source}) plus {overhead} overhead (source: {overhead_source})."
    ).format(
        credit=money(statement.credit.value),
        source=statement.credit.source,
        allowance=money(statement.allowance_per_year.value),
        allowance_source=statement.allowance_per_year.source,
        overhead=money(statement.overhead_per_year.value),
        overhead_source=statement.overhead_per_year.source,
    )
    shipped = shipped_credit_text(statement)
    return f"{text} {shipped}" if shipped else text


def shipped_credit_text(statement: SponsorStatement) -> str:
    """Where the casebook sets its own credit: the shipped figure and its source, for comparison."""
    shipped = rule_data().sroi_credit_per_year
    if statement.credit.source == shipped.source:
        return ""
    return _("The toolkit's own figure is {credit} per burgerbaan-year (source: {source}).").format(
        credit=money(shipped.value), source=shipped.source
    )


def title_of(statement: SponsorStatement) -> str:
    return _("Sponsor statement {year}: {sponsor}").format(
        year=statement.year, sponsor=statement.sponsor_name
    )


def _place_cells(place: FundedPlace) -> list[str]:
    period = f"{long_date(place.start)} – {long_date(place.end) if place.end else '…'}"
    return [
        place.pseudonym,
        place.age_band,
        f"{place.opportunity} ({place.organisation})" if place.organisation else place.opportunity,
        period,
        _years(place.years),
        number(place.hours, 0),
        money(place.paid, decimals=True),
    ]


def _place_headers() -> list[str]:
    return [
        _("Burgerbaner (pseudonym)"),
        _("Age"),
        _("Place"),
        _("Agreement"),
        _("Years"),
        _("Hours"),
        _("Paid"),
    ]


def _guard(casebook: Casebook, statement: SponsorStatement, texts: list[str], fmt: str) -> None:
    sources = [
        (f"sponsorverklaring.{fmt}", field, text) for field, text in texts_of(statement.places)
    ]
    sources += [(f"sponsorverklaring.{fmt}", "text", text) for text in texts]
    check_public(casebook, sources)


def sponsor_statement_html(casebook: Casebook, statement: SponsorStatement) -> bytes:
    """The statement as one self-contained HTML page, after the privacy guard passed it."""
    environment = make_environment()
    text = render(
        environment,
        "sponsor/sponsorverklaring.html.j2",
        s=statement,
        title=title_of(statement),
        rows=statement_rows(statement),
        headers=_place_headers(),
        places=[_place_cells(p) for p in statement.places],
        assumption=assumption_text(statement),
        made_on=long_date(statement.day),
    )
    _guard(casebook, statement, [text], "html")
    return text.encode("utf-8")


def sponsor_statement_docx(casebook: Casebook, statement: SponsorStatement) -> bytes:
    """The statement as a Word document, after the privacy guard passed its texts."""
    title = title_of(statement)
    rows = statement_rows(statement)
    places = [_place_cells(p) for p in statement.places]
    intro = intro_text(statement)
    assumption = assumption_text(statement)
    texts = [title, intro, assumption, *(t for row in rows for t in row)]
    texts += [cell for row in places for cell in row]
    _guard(casebook, statement, texts, "docx")

    # The shared builder: A4, one font family from the styles, tables fitted to their content.
    document = word.new_document(title)
    document.core_properties.author = statement.cooperative
    # A fixed date, so the same statement gives the same file.
    document.core_properties.created = dt.datetime.combine(statement.day, dt.time())
    document.core_properties.modified = document.core_properties.created
    word.heading(document, title, 1)
    word.styled(document, "Normal", intro)
    word.table(document, None, rows)
    word.heading(document, _("The burgerbanen funded"), 2)
    if places:
        word.table(document, _place_headers(), places)
    else:
        word.styled(
            document,
            "Normal",
            _("No burgerbaan was funded by this sponsor in {year}.").format(year=statement.year),
        )
    paragraph = word.styled(document, "Normal", assumption)
    for run in paragraph.runs:
        run.font.size = Pt(9)
    word.styled(document, "Normal", privacy_note())
    return document_bytes(document)


def intro_text(statement: SponsorStatement) -> str:
    return _(
        "{cooperative} declares that {sponsor} funded the burgerbanen below in {year}. "
        "Drawn up on {day}."
    ).format(
        cooperative=statement.cooperative,
        sponsor=statement.sponsor_name,
        year=statement.year,
        day=long_date(statement.day),
    )


def privacy_note() -> str:
    return _(
        "Burgerbaners are named by pseudonym only; the cooperative keeps who they are, and can "
        "show it to an auditor with their consent."
    )
