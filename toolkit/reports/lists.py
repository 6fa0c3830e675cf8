"""The records of one kind as a table (header and rows), as ``burgerbaan list`` shows them.

People appear by their public view (pseudonym, age band, district, talents, status) unless
``intern`` is asked; every other kind holds no personal data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from toolkit.casebook import Casebook
from toolkit.casebook.kinds import folder_of, kind_named, kind_words
from toolkit.casebook.public import public_view
from toolkit.errors import InvalidInputError
from toolkit.formatting import short_date
from toolkit.i18n import _

LIST_KINDS = ("people", "opportunities", "organisations", "sponsors", "sessions")


def record_table(
    book: Casebook, kind: str, *, intern: bool, today: date
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows that ``list`` shows for ``kind`` (in Dutch or English, singular or
    plural: ``personen``, ``people``)."""
    named = kind_named(kind)
    if named is None:
        raise InvalidInputError(
            _("Unknown kind '{kind}'; choose one of: {kinds}.").format(
                kind=kind, kinds=", ".join(kind_words(plural=True))
            ),
            field="kind",
        )
    kind = folder_of(named)
    if kind == "people":
        if intern:
            return (
                [_("id"), _("name"), _("district"), _("situation"), _("status")],
                [
                    [p.id, p.name, p.district, ", ".join(p.situation), p.status]
                    for p in sorted(book.people.values(), key=lambda p: p.id)
                ],
            )
        views = sorted(
            (public_view(book, p, today.year) for p in book.people.values()),
            key=lambda v: v.pseudonym,
        )
        return (
            [_("pseudonym"), _("age"), _("district"), _("talents"), _("status")],
            [[v.pseudonym, v.age_band, v.district, ", ".join(v.talents), v.status] for v in views],
        )
    if kind == "opportunities":
        return (
            [_("id"), _("title"), _("organisation"), _("district"), _("open slots")],
            [
                [o.id, o.title, o.organisation, o.district, f"{book.open_slots(o.id)}/{o.slots}"]
                for o in sorted(book.opportunities.values(), key=lambda o: o.id)
            ],
        )
    if kind == "organisations":
        return (
            [_("id"), _("name"), _("kind"), _("district")],
            [
                [o.id, o.name, o.kind_, o.district or ""]
                for o in sorted(book.organisations.values(), key=lambda o: o.id)
            ],
        )
    if kind == "sponsors":
        return (
            [_("id"), _("name"), _("sector"), _("budget"), _("left")],
            [
                [
                    s.id,
                    s.name,
                    s.sector,
                    f"{s.budget_person_years:g}",
                    f"{book.sponsor_years_left(s.id):g}",
                ]
                for s in sorted(book.sponsors.values(), key=lambda s: s.id)
            ],
        )
    return (
        [_("id"), _("date"), _("title"), _("status")],
        [[s.id, short_date(s.date), s.title, s.status] for s in book.sessions_by_date()],
    )
