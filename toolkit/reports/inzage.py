"""The inzage document: a personal document for one person's request for access (AVG art. 15).

Unlike every public output, it shows personal and special-category data on purpose, so it is
marked as such at the top and bottom. Text from case files is escaped in both formats: in HTML
by autoescaping (and Markdown fields through the environment's safe ``markdown`` filter), in
Markdown by :func:`md_text` and :func:`md_cell`, so a name such as ``<script>`` stays text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from toolkit.casebook.access import AccessReport
from toolkit.casebook.records import Person
from toolkit.formatting import long_date, money
from toolkit.i18n import _
from toolkit.reports.environment import make_environment, render

FORMATS = ("md", "html")

# Characters that make Markdown formatting; "_" only where it can start or end emphasis, so
# that field names such as allowance_paid stay readable as plain text.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|]|(?<!\w)_|_(?!\w))")


def md_text(value: Any) -> str:
    """Text from a case file, safe inside Markdown: no raw HTML, no accidental formatting."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_cell(value: Any) -> str:
    """:func:`md_text` on one line, for a Markdown table cell."""
    return " ".join(md_text(value).split())


def md_code(value: Any) -> str:
    """A field path or file name as inline code: nothing in it is formatting."""
    text = " ".join(str(value).split()).replace("`", "'")
    return f"`{text}`"


def md_verbatim(text: str) -> Markup:
    """A file's text for inside a fence from :func:`md_fence`, to be shown exactly as stored.

    Marked safe so that no later escaping changes it: inside a fence that cannot be closed
    early, a Markdown renderer shows everything as text. Markdown templates only; an HTML
    template escapes the text instead.
    """
    return Markup(text.rstrip("\n"))


def md_fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so it cannot be closed early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("not recorded")
    return _("yes") if value else _("no")


def _listed(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "—"


def person_rows(person: Person) -> list[tuple[str, str]]:
    """Every field of the person's file as (label, value), in the order of the file format."""
    contact = person.contact
    wishes = person.wishes
    availability = person.availability
    consent = person.consent
    rows = [
        (_("name"), person.name),
        (_("phone"), (contact.phone if contact else None) or "—"),
        (_("e-mail"), (contact.email if contact else None) or "—"),
        (_("contact person"), (contact.name if contact else None) or "—"),
        (_("year of birth"), str(person.birth_year)),
        (_("district"), person.district),
        (
            _("has a BSN"),
            _yes_no(person.has_bsn) + " " + _("(the number itself is never recorded)"),
        ),
        (_("situation (special category: internal only)"), _listed(person.situation)),
        (_("talents"), _listed(person.talents)),
        (_("wishes: causes"), _listed(wishes.causes)),
        (_("wishes: in your own words"), wishes.text or "—"),
        (_("wishes: districts"), _listed(wishes.districts)),
        (
            _("wishes: maximum travel distance"),
            f"{wishes.max_travel_km:g} km" if wishes.max_travel_km is not None else "—",
        ),
        (
            _("hours per week"),
            f"{availability.hours_per_week:g}" if availability else "—",
        ),
        (_("days"), _listed(availability.days) if availability else "—"),
        (_("what a sponsor should stand for"), _listed(person.values)),
        (_("sectors never proposed as sponsor"), _listed(person.avoid_sectors)),
        (_("needs"), _listed(person.needs)),
        (_("status"), person.status),
        (
            _("consent to data processing"),
            long_date(consent.data) if consent and consent.data else _("not recorded"),
        ),
        (
            _("consent to photo and video"),
            _yes_no(consent.photo_video if consent else None),
        ),
        (_("notes"), person.notes or "—"),
    ]
    return rows


def placement_rows(report: AccessReport) -> list[tuple[str, str]]:
    view = report.placement
    placement = report.person.placement
    if view is None or placement is None:
        return []
    opportunity = view.opportunity
    return [
        (
            _("volunteer place"),
            f"{opportunity.title} ({view.opportunity_id})" if opportunity else view.opportunity_id,
        ),
        (_("organisation"), view.organisation.name if view.organisation else "—"),
        (
            _("sponsor"),
            view.sponsor.name
            if view.sponsor
            else (view.sponsor_id or _("none: funded by the cooperative")),
        ),
        (_("start"), long_date(placement.start)),
        (_("end"), long_date(placement.end) if placement.end else _("no end date")),
        (_("allowance per year"), money(placement.allowance_per_year)),
        (
            _("allowance per hour"),
            money(placement.allowance_per_hour, decimals=True)
            if placement.allowance_per_hour is not None
            else _("none agreed"),
        ),
    ]


def nested_rows(value: Any, label: str = "") -> list[tuple[str, str]]:
    """Any YAML data (an hours statement of unknown shape) as (field, value) rows."""
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for key, item in value.items():
            rows.extend(nested_rows(item, f"{label}.{key}" if label else str(key)))
        return rows
    if isinstance(value, list):
        rows = []
        for index, item in enumerate(value, start=1):
            rows.extend(nested_rows(item, f"{label}[{index}]"))
        return rows or [(label, "—")]
    if isinstance(value, date):
        return [(label, long_date(value))]
    return [(label, "—" if value is None else str(value))]


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]


def field_labels() -> dict[str, str]:
    """Readable names for the fields of an hours file (docs/casebook.md), in the language of
    the run; a field the toolkit does not know keeps its name as stored."""
    return {
        "statements": _("statements"),
        "month": _("month"),
        "opportunity": _("volunteer place"),
        "hours": _("hours"),
        "allowance_paid": _("allowance paid"),
        "signed_off_by": _("signed off by"),
        "signed_off_on": _("signed off on"),
    }


def data_tables(data: Any) -> list[Table]:
    """YAML data of unknown shape as tables: a list of groups (such as monthly statements)
    becomes one table with a column per field; everything else becomes (field, value) rows."""
    labels = field_labels()
    if not isinstance(data, dict):
        return [
            Table("", [_("field"), _("what is recorded")], [list(r) for r in nested_rows(data)])
        ]
    tables: list[Table] = []
    loose: list[list[str]] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            headers = list(dict.fromkeys(k for item in value for k in item))
            rows = [[_cell_value(item.get(h)) for h in headers] for item in value]
            named = [labels.get(str(h), str(h)) for h in headers]
            tables.append(Table(labels.get(str(key), str(key)), named, rows))
        else:
            loose.extend(list(r) for r in nested_rows(value, str(key)))
    if loose:
        tables.insert(0, Table("", [_("field"), _("what is recorded")], loose))
    return tables


def _cell_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "; ".join(
            f"{label}: {text}" if label else text for label, text in nested_rows(value)
        )
    return nested_rows(value)[0][1]


def render_access(report: AccessReport, fmt: str) -> str:
    """The inzage document in ``fmt`` (``md`` or ``html``), in the active language."""
    environment = make_environment()
    environment.filters.update(
        md=md_text, cell=md_cell, code=md_code, fence=md_fence, verbatim=md_verbatim
    )
    return render(
        environment,
        f"inzage/inzage.{fmt}.j2",
        report=report,
        person_rows=person_rows(report.person),
        placement_rows=placement_rows(report),
        hours=[(view, data_tables(view.data)) for view in report.hours],
        fence=md_fence(report.file_text),
        made_on=long_date(report.made_on),
    )
