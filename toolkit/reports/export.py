"""The lists of a casebook as spreadsheets: ``burgerbaan export`` and the web app's downloads.

:func:`export_table` builds the table of one kind; :func:`export_bytes` gives it as the bytes of
an Excel or CSV file, the same bytes for the command and for a download. People are shown
through the public view (pseudonym, age band, district...) unless the internal list is asked
for; hours and proposals name people the same way. The internal lists of records use the
columns of an import (:mod:`toolkit.casebook.columns`), so an exported list can be edited and
imported into another casebook.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.casebook import Casebook
from toolkit.casebook.columns import COLUMNS
from toolkit.casebook.money import sponsor_accounts
from toolkit.casebook.public import public_view
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.spreadsheet import FORMATS, Column, Table, render_table

EXPORT_KINDS: tuple[str, ...] = (
    "people",
    "opportunities",
    "organisations",
    "sponsors",
    "proposals",
    "hours",
    "sponsor-figures",
    "sessions",
)
#: Cell types of the record columns (the rest is text).
_KIND_OF_FIELD: dict[str, Any] = {
    "birth_year": "int",
    "wishes.max_travel_km": "number",
    "availability.hours_per_week": "hours",
    "hours_per_week.min": "hours",
    "hours_per_week.max": "hours",
    "slots": "int",
    "budget_person_years": "number",
    "sroi_obligation": "euro",
    "sroi_deadline": "date",
    "consent.data": "date",
}
#: Fields of organisations that name a person: only in the internal list.
_CONTACT_FIELDS = frozenset({"contact.name", "contact.phone", "contact.email"})


@dataclass(frozen=True)
class Selection:
    """Which rows of a list to export, as a list on screen shows them: ``only`` the ids of the
    records shown (people, opportunities, organisations, sponsors; all when None), and for the
    proposals the round's ``method`` and whether people without a proposal are rows too."""

    only: Collection[str] | None = None
    method: str = "flow"
    unplaced: bool = False

    def keeps(self, record_id: str) -> bool:
        return self.only is None or record_id in self.only


ALL = Selection()


def export_bytes(
    casebook: Casebook,
    kind: str,
    fmt: str,
    *,
    intern: bool = False,
    day: date | None = None,
    selection: Selection = ALL,
) -> bytes:
    """The list ``kind`` as the bytes of an ``xlsx`` or ``csv`` file."""
    if fmt not in FORMATS:
        raise InvalidInputError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=fmt, formats=", ".join(FORMATS)
            )
        )
    table = export_table(casebook, kind, intern=intern, day=day, selection=selection)
    return render_table(table, fmt)


def export_table(
    casebook: Casebook,
    kind: str,
    *,
    intern: bool = False,
    day: date | None = None,
    selection: Selection = ALL,
) -> Table:
    day = day or date.today()
    if kind == "people":
        if intern:
            return _records(casebook, "people", intern, selection)
        return _people(casebook, day, selection)
    if kind in ("opportunities", "organisations", "sponsors"):
        return _records(casebook, kind, intern, selection)
    if kind == "proposals":
        return _proposals(casebook, intern, day, selection)
    if kind == "hours":
        return _hours(casebook, intern, selection)
    if kind == "sponsor-figures":
        return _sponsor_figures(casebook, day, selection)
    if kind == "sessions":
        return _sessions(casebook, selection)
    raise InvalidInputError(
        _("Unknown list '{kind}'; choose one of: {kinds}.").format(
            kind=kind, kinds=", ".join(EXPORT_KINDS)
        )
    )


def _person_key(casebook: Casebook, person_id: str, intern: bool) -> str:
    if intern:
        return person_id
    from toolkit.casebook.public import pseudonyms

    return pseudonyms(casebook).get(person_id, "?")


def _people(casebook: Casebook, day: date, selection: Selection) -> Table:
    table = Table(
        _("People"),
        [
            Column(_("Pseudonym")),
            Column(_("Age band")),
            Column(_("District")),
            Column(_("Talents")),
            Column(_("Wants to contribute to")),
            Column(_("Wished districts")),
            Column(_("Hours per week"), "hours"),
            Column(_("Days")),
            Column(_("Status")),
        ],
    )
    for person in sorted(casebook.people.values(), key=lambda p: p.id):
        if not selection.keeps(person.id):
            continue
        view = public_view(casebook, person, day.year)
        table.rows.append(
            [
                view.pseudonym,
                view.age_band,
                view.district,
                list(view.talents),
                list(view.wishes.causes),
                list(view.wishes.districts),
                view.hours_per_week,
                list(view.days),
                view.status,
            ]
        )
    table.rows.sort(key=lambda row: str(row[0]))
    return table


def _records(casebook: Casebook, folder: str, intern: bool, selection: Selection) -> Table:
    # An organisation's contact is a person: named only in the internal list.
    columns = [c for c in COLUMNS[folder] if intern or c.field not in _CONTACT_FIELDS]
    table = Table(
        _title(folder),
        [Column("id"), *(Column(c.header, _KIND_OF_FIELD.get(c.field, "text")) for c in columns)],
    )
    for record_id, record in sorted(casebook.records(folder).items()):
        if not selection.keeps(record_id):
            continue
        data = record.model_dump(mode="python", by_alias=True)
        table.rows.append([record_id, *(_at(data, column.field) for column in columns)])
    return table


def _title(folder: str) -> str:
    titles = {
        "people": _("People"),
        "opportunities": _("Opportunities"),
        "organisations": _("Organisations"),
        "sponsors": _("Sponsors"),
    }
    return titles[folder]


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _proposals(casebook: Casebook, intern: bool, day: date, selection: Selection) -> Table:
    from toolkit.matching import Matcher

    table = Table(
        _("Proposals"),
        [
            Column(_("Person")),
            Column(_("Place")),
            Column(_("Organisation")),
            Column(_("District")),
            Column(_("Funded by")),
            Column(_("Fit (0-100)"), "number"),
            Column(_("Distance (km)"), "number"),
            Column(_("Warnings")),
            Column(_("Reasons")),
        ],
    )
    if not casebook.opportunities:
        return table
    from toolkit.matching import PersonOptions
    from toolkit.reports.matches import match_report

    matcher = Matcher(casebook)
    candidates = matcher.candidate_ids()
    if not candidates:
        return table
    # Through the match report, so the export leaves out what a public report leaves out.
    report = match_report(
        casebook,
        {person: PersonOptions(person, ()) for person in candidates},
        round_result=matcher.round(selection.method),  # type: ignore[arg-type]
        intern=intern,
        today=day,
    )
    for person in report.people:
        option = person.proposal
        if option is None:
            if selection.unplaced:
                reasons = " | ".join(person.reasons)
                table.rows.append([person.key, None, None, None, None, None, None, None, reasons])
            continue
        table.rows.append(
            [
                person.key,
                option.title,
                option.organisation,
                option.district,
                option.sponsor,
                option.total,
                option.distance_km,
                " | ".join(w.text for w in option.warnings),
                " | ".join(option.reasons),
            ]
        )
    table.rows.sort(key=lambda row: str(row[0]))
    return table


def _hours(casebook: Casebook, intern: bool, selection: Selection) -> Table:
    table = Table(
        _("Hours"),
        [
            Column(_("Person")),
            Column(_("Month")),
            Column(_("Place")),
            Column(_("Hours"), "hours"),
            Column(_("Allowance paid"), "euro"),
        ],
    )
    for person_id, hours in sorted(casebook.hours.items()):
        if not selection.keeps(person_id):
            continue
        person = casebook.people.get(person_id)
        for statement in hours.statements:
            place = statement.opportunity or (
                person.placement.opportunity if person and person.placement else ""
            )
            opportunity = casebook.opportunities.get(place or "")
            table.rows.append(
                [
                    _person_key(casebook, person_id, intern),
                    statement.month,
                    opportunity.title if opportunity else place,
                    statement.hours,
                    statement.allowance_paid,
                ]
            )
    table.rows.sort(key=lambda row: (str(row[0]), str(row[1])))
    return table


def _sponsor_figures(casebook: Casebook, day: date, selection: Selection) -> Table:
    table = Table(
        _("Sponsor figures"),
        [
            Column(_("Sponsor")),
            Column(_("Budget (burgerbaan-years)"), "number"),
            Column(_("Funded (burgerbaan-years)"), "number"),
            Column(_("Left (burgerbaan-years)"), "number"),
            Column(_("Cost per burgerbaan-year"), "euro"),
            Column(_("SROI obligation"), "euro"),
            Column(_("SROI credited"), "euro"),
            Column(_("SROI still needed"), "euro"),
            Column(_("SROI deadline"), "date"),
        ],
    )
    for account in sponsor_accounts(casebook, day):
        if not selection.keeps(account.sponsor_id):
            continue
        table.rows.append(
            [
                account.name,
                account.budget_years,
                account.funded_years,
                account.left_years,
                account.cost_per_year,
                account.obligation,
                account.credited,
                account.missing,
                account.deadline,
            ]
        )
    return table


def _sessions(casebook: Casebook, selection: Selection) -> Table:
    """The sessions, the latest first (as the list of sessions shows them)."""
    table = Table(
        _("Sessions"),
        [
            Column(_("Title")),
            Column(_("Date"), "date"),
            Column(_("Kind")),
            Column(_("Status")),
            Column(_("Venue")),
            Column(_("Attendance"), "int"),
        ],
    )
    for found in reversed(casebook.sessions_by_date()):
        if not selection.keeps(found.id):
            continue
        table.rows.append(
            [
                found.title,
                found.date,
                found.kind_,
                found.status,
                found.venue,
                found.attendance.total,
            ]
        )
    return table
