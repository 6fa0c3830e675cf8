"""The lists (with search and filters) and a page per record.

People appear by their public view (pseudonym, age band, district, talents, wishes, hours) to
everyone but the coordinator, in lists, pages and addresses alike. Opening a person's page is
written to the access log (the record id and who opened it, never the data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g, render_template, request, url_for

from toolkit.casebook import Casebook
from toolkit.casebook.alerts import alerts_on
from toolkit.casebook.public import public_view
from toolkit.casebook.viewlog import record_view
from toolkit.i18n import _
from toolkit.web.common import book, derived, person_by_key, person_key, private, today

blueprint = Blueprint("records", __name__)


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    href: str
    cells: tuple[str, ...]
    facets: dict[str, tuple[str, ...]]  # filter name -> the row's values


@dataclass(frozen=True)
class Listing:
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    filters: tuple[Filter, ...]


def _choices(rows: Iterable[Row], name: str) -> tuple[str, ...]:
    return tuple(sorted({value for row in rows for value in row.facets.get(name, ()) if value}))


def _listing(
    title: str, headers: Sequence[str], rows: list[Row], filters: dict[str, str]
) -> Listing:
    return Listing(
        title,
        tuple(headers),
        tuple(rows),
        tuple(Filter(name, label, _choices(rows, name)) for name, label in filters.items()),
    )


def _apply(listing: Listing) -> tuple[list[Row], dict[str, str], str]:
    """The rows that match the search words and every chosen filter."""
    query = request.args.get("q", "").strip()
    words = query.casefold().split()
    chosen = {f.name: request.args.get(f.name, "") for f in listing.filters}
    rows = []
    for row in listing.rows:
        text = " ".join(row.cells).casefold()
        if not all(word in text for word in words):
            continue
        if any(value and value not in row.facets.get(name, ()) for name, value in chosen.items()):
            continue
        rows.append(row)
    return rows, chosen, query


def _render_list(listing: Listing, endpoint: str) -> Any:
    rows, chosen, query = _apply(listing)
    template = "list_rows.html.j2" if request.headers.get("HX-Request") else "list.html.j2"
    return render_template(
        template,
        listing=listing,
        rows=rows,
        chosen=chosen,
        query=query,
        action=url_for(endpoint),
    )


def people_listing(casebook: Casebook, day: dt.date) -> Listing:
    if private():
        rows = [
            Row(
                url_for("records.person", key=p.id),
                (p.name, p.id, p.district, ", ".join(p.situation), p.status),
                {"status": (p.status,), "district": (p.district,), "situation": tuple(p.situation)},
            )
            for p in sorted(casebook.people.values(), key=lambda p: p.id)
        ]
        headers = (_("name"), _("id"), _("district"), _("situation"), _("status"))
        filters = {"status": _("status"), "district": _("district"), "situation": _("situation")}
        return _listing(_("People"), headers, rows, filters)
    views = sorted(
        (public_view(casebook, p, day.year) for p in casebook.people.values()),
        key=lambda v: v.pseudonym,
    )
    rows = [
        Row(
            url_for("records.person", key=v.pseudonym),
            (v.pseudonym, v.age_band, v.district, ", ".join(v.talents), v.status),
            {"status": (v.status,), "district": (v.district,)},
        )
        for v in views
    ]
    headers = (_("pseudonym"), _("age"), _("district"), _("talents"), _("status"))
    return _listing(_("People"), headers, rows, {"status": _("status"), "district": _("district")})


@blueprint.route("/mensen")
def people() -> Any:
    return _render_list(people_listing(book(), today()), "records.people")


@blueprint.route("/mensen/<path:key>")
def person(key: str) -> Any:
    casebook = book()
    found = person_by_key(casebook, key)
    day = today()
    from toolkit.web.app import state

    record_view(state().store.root, g.user, g.role, found.id, dt.datetime.now())
    if private():
        return render_template(
            "person.html.j2",
            person=found,
            key=found.id,
            view=public_view(casebook, found, day.year),
            alerts=alerts_on(casebook, found, day),
            casebook=casebook,
        )
    return render_template(
        "person_public.html.j2",
        key=person_key(casebook, found),
        view=public_view(casebook, found, day.year),
        is_candidate=found.status == "kandidaat",
    )


def opportunities_listing(casebook: Casebook) -> Listing:
    rows = []
    for o in sorted(casebook.opportunities.values(), key=lambda o: o.id):
        organisation = casebook.organisations.get(o.organisation)
        rows.append(
            Row(
                url_for("records.opportunity", record_id=o.id),
                (
                    o.title,
                    organisation.name if organisation else o.organisation,
                    o.district,
                    ", ".join(o.causes),
                    f"{casebook.open_slots(o.id)}/{o.slots}",
                ),
                {"district": (o.district,), "cause": tuple(o.causes)},
            )
        )
    headers = (_("title"), _("organisation"), _("district"), _("causes"), _("open slots"))
    return _listing(
        _("Opportunities"), headers, rows, {"district": _("district"), "cause": _("cause")}
    )


@blueprint.route("/plekken")
def opportunities() -> Any:
    return _render_list(opportunities_listing(book()), "records.opportunities")


@blueprint.route("/plekken/<record_id>")
def opportunity(record_id: str) -> Any:
    casebook = book()
    found = _get(casebook.opportunities, record_id)
    return render_template(
        "opportunity.html.j2",
        record=found,
        organisation=casebook.organisations.get(found.organisation),
        open_slots=casebook.open_slots(found.id),
    )


def organisations_listing(casebook: Casebook) -> Listing:
    rows = [
        Row(
            url_for("records.organisation", record_id=o.id),
            (o.name, o.kind_, o.district or ""),
            {"kind": (o.kind_,), "district": (o.district or "",)},
        )
        for o in sorted(casebook.organisations.values(), key=lambda o: o.id)
    ]
    headers = (_("name"), _("kind"), _("district"))
    return _listing(
        _("Organisations"), headers, rows, {"kind": _("kind"), "district": _("district")}
    )


@blueprint.route("/organisaties")
def organisations() -> Any:
    return _render_list(organisations_listing(book()), "records.organisations")


@blueprint.route("/organisaties/<record_id>")
def organisation(record_id: str) -> Any:
    casebook = book()
    found = _get(casebook.organisations, record_id)
    places = sorted(
        (o for o in casebook.opportunities.values() if o.organisation == found.id),
        key=lambda o: o.id,
    )
    return render_template("organisation.html.j2", record=found, places=places)


def sponsors_listing(casebook: Casebook) -> Listing:
    rows = [
        Row(
            url_for("records.sponsor", record_id=s.id),
            (
                s.name,
                s.sector,
                f"{s.budget_person_years:g}",
                f"{casebook.sponsor_years_left(s.id):g}",
            ),
            {"sector": (s.sector,)},
        )
        for s in sorted(casebook.sponsors.values(), key=lambda s: s.id)
    ]
    headers = (_("name"), _("sector"), _("budget"), _("left"))
    return _listing(_("Sponsors"), headers, rows, {"sector": _("sector")})


@blueprint.route("/sponsors")
def sponsors() -> Any:
    return _render_list(sponsors_listing(book()), "records.sponsors")


@blueprint.route("/sponsors/<record_id>")
def sponsor(record_id: str) -> Any:
    casebook = book()
    found = _get(casebook.sponsors, record_id)
    return render_template(
        "sponsor.html.j2",
        record=found,
        used=casebook.sponsor_years_used(found.id),
        left=casebook.sponsor_years_left(found.id),
    )


def sessions_listing(casebook: Casebook) -> Listing:
    rows = [
        Row(
            url_for("records.session", record_id=s.id),
            (s.title, s.date.isoformat(), s.kind_, s.status),
            {"status": (s.status,), "kind": (s.kind_,)},
        )
        for s in reversed(casebook.sessions_by_date())
    ]
    headers = (_("title"), _("date"), _("kind"), _("status"))
    return _listing(_("Sessions"), headers, rows, {"status": _("status"), "kind": _("kind")})


@blueprint.route("/bijeenkomsten")
def sessions() -> Any:
    return _render_list(sessions_listing(book()), "records.sessions")


@blueprint.route("/bijeenkomsten/<record_id>")
def session(record_id: str) -> Any:
    """The verslag as a page (the public one: the same Markdown the command writes), with the
    downloads this role may have."""
    from toolkit.reports.verslag import VerslagOptions, render_verslag

    casebook = book()
    found = _get(casebook.sessions, record_id)
    # Rendering runs the privacy guard over the whole text (a fifth of a second): once per
    # loaded casebook and language.
    text = derived(
        f"verslag:{found.id}:{g.language}",
        lambda: render_verslag(casebook, found.id, VerslagOptions(format="md")),
    )
    assert isinstance(text, str)
    return render_template("session.html.j2", record=found, verslag=text)


def _get(records: dict[str, Any], record_id: str) -> Any:
    found = records.get(record_id)
    if found is None:
        abort(404)
    return found


LISTINGS: dict[str, Callable[[Casebook], Listing]] = {
    "opportunities": opportunities_listing,
    "organisations": organisations_listing,
    "sponsors": sponsors_listing,
    "sessions": sessions_listing,
}
