"""The coordinator's year, part two: hours statements, approval, payment lists, sponsor statements.

The hours form is checked as it is typed (htmx posts it to :func:`hours_check`, which answers
with the library's findings: the caps per month, per year so far and per hour, the age and the
benefit rules); without JavaScript the form still saves and shows the same findings after.
Payment lists are made by :func:`toolkit.casebook.payments.make_payment_list` (numbered, kept,
never a month twice) and offered as the same Excel file the command writes.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from toolkit.casebook.editing import RecordConflictError
from toolkit.casebook.payments import (
    draft_payment_list,
    kept_payment_list,
    make_payment_list,
    read_payment_lists,
)
from toolkit.casebook.records import Person
from toolkit.casebook.statements import (
    StatementCheck,
    approve_statement,
    approve_statements,
    check_statement,
    record_statement,
    waiting_statements,
)
from toolkit.casebook.year_edits import current_hash
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.i18n import _, ngettext
from toolkit.web import common
from toolkit.web.year import root
from toolkit.web.year_forms import FormRefused, month_field, number_field, refused_page

blueprint = Blueprint("money", __name__)

_MONTH = re.compile(r"^\d{4}-\d{2}$")
#: A month after every statement: a draft up to it holds every approved statement not yet paid.
LAST_MONTH = "9999-12"
#: The order findings are shown in: what must change first.
LEVELS = ("warning", "guide", "notice")


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"year_waiting": _waiting}


def _waiting() -> list[Any]:
    """The statements waiting for approval, for the problems page (none if it does not load)."""
    casebook = common.loaded().casebook
    return waiting_statements(casebook) if casebook is not None else []


def _hours_path(person: Person) -> Any:
    return root() / "hours" / f"{person.id}.yaml"


def _hours_context(person: Person, values: dict[str, str] | None = None) -> dict[str, Any]:
    casebook = common.book()
    hours_file = casebook.hours.get(person.id)
    statements = list(hours_file.statements) if hours_file else []
    titles = {o.id: o.title for o in casebook.opportunities.values()}
    day = common.today()
    defaults = {"month": f"{day.month:02d}-{day.year}", "hours": "", "amount": ""}
    return {
        "person": person,
        "statements": sorted(statements, key=lambda s: s.month, reverse=True),
        "places": [
            (p.opportunity, titles.get(p.opportunity, p.opportunity)) for p in person.history()
        ],
        "titles": titles,
        "values": {**defaults, **(values or {})},
        "errors": {},
        "check": None,
        "error": "",
        "findings": [],
        "base_hash": current_hash(_hours_path(person)),
    }


def _parse_hours(form: Any) -> tuple[str, float, float | None, str | None]:
    month = month_field(form)
    hours = number_field(form, "hours", kind="hours")
    if hours is None:
        raise InvalidInputError(
            _("Give the number of hours, for example 32 or 32,5."), field="hours"
        )
    amount = number_field(form, "amount")
    return month, hours, amount, form.get("opportunity") or None


def sorted_findings(check: StatementCheck) -> list[Any]:
    return sorted(check.findings, key=lambda f: LEVELS.index(f.level))


@blueprint.route("/mensen/<path:key>/uren", methods=["GET", "POST"])
def hours(key: str) -> Any:
    """The month's hours statement of one person, and their statements with their state."""
    person = common.person_by_key(common.book(), key)
    if request.method == "GET":
        return render_template("year_hours.html.j2", **_hours_context(person))
    form = request.form
    context = _hours_context(person, dict(form))
    context.pop("errors")
    try:
        month, hours_worked, amount, opportunity = _parse_hours(form)
        check = record_statement(
            root(),
            person.id,
            month,
            hours_worked,
            amount=amount,
            opportunity=opportunity,
            signed_off_by=form.get("signed_off_by") or None,
            by=g.user,
            base_hash=form.get("base_hash", ""),
        )
    except (NotFoundError, RecordConflictError):
        raise
    except InvalidInputError as exc:
        return refused_page(
            "year_hours.html.j2", FormRefused({exc.field or "form": str(exc)}), **context
        )
    except ConflictError as exc:
        return refused_page("year_hours.html.j2", FormRefused({"form": str(exc)}, 409), **context)
    flash(
        _("The hours of {month} are entered (ingediend); they are paid once approved.").format(
            month=check.month
        ),
        "success",
    )
    for finding in sorted_findings(check):
        flash(finding.message, finding.level)
    return redirect(url_for("money.hours", key=person.id), 303)


@blueprint.route("/mensen/<path:key>/uren/controle", methods=["POST"])
def hours_check(key: str) -> Any:
    """What the typed entry means, for the form to show as it is typed (htmx); writes nothing."""
    casebook = common.book()
    person = common.person_by_key(casebook, key)
    check = None
    error = ""
    try:
        month, hours_worked, amount, opportunity = _parse_hours(request.form)
        check = check_statement(casebook, person.id, month, hours_worked, amount, opportunity)
    except (InvalidInputError, NotFoundError) as exc:
        error = str(exc)
    return render_template(
        "_year_check.html.j2",
        check=check,
        error=error,
        findings=sorted_findings(check) if check else [],
    )


@blueprint.route("/uren")
def statements() -> Any:
    """Every statement waiting for approval, with a button per statement, month and placement."""
    casebook = common.book()
    waiting = waiting_statements(casebook)
    months = sorted({w.month for w in waiting})
    placements = sorted({(w.person_id, w.opportunity) for w in waiting})
    titles = {o.id: o.title for o in casebook.opportunities.values()}
    names = {p.id: p.name for p in casebook.people.values()}
    hashes = {w.person_id: current_hash(root() / "hours" / f"{w.person_id}.yaml") for w in waiting}
    # Approved and not yet on a kept list: what the next payment list takes up.
    approved = draft_payment_list(casebook, LAST_MONTH, by=g.user, day=common.today()).rows
    return render_template(
        "year_statements.html.j2",
        waiting=waiting,
        months=months,
        placements=placements,
        titles=titles,
        names=names,
        errors={},
        hashes=hashes,
        approved=approved,
    )


@blueprint.route("/uren/goedkeuren", methods=["POST"])
def approve() -> Any:
    """Approve one statement (person and month), all of a month, or all of a placement."""
    form = request.form
    month = form.get("month") or None
    person_id = form.get("person") or None
    if person_id is not None and person_id not in common.book().people:
        abort(404)
    opportunity = form.get("opportunity") or None
    if person_id is not None and month is not None and "base_hash" in form:
        # One statement, from a page that showed its file as it was then (no lost update).
        approved = [
            approve_statement(
                root(),
                person_id,
                month,
                by=g.user,
                day=common.today(),
                opportunity=opportunity,
                base_hash=form["base_hash"],
            )
        ]
    else:
        approved = approve_statements(
            root(),
            by=g.user,
            day=common.today(),
            month=month,
            person_id=person_id,
            opportunity=opportunity,
        )
    flash(
        ngettext(
            "Approved: {count} statement.", "Approved: {count} statements.", len(approved)
        ).format(count=len(approved)),
        "success",
    )
    back = form.get("next", "")
    if person_id is not None and back == "person":
        return redirect(url_for("money.hours", key=person_id), 303)
    return redirect(url_for("money.statements"), 303)


# --- payment lists --------------------------------------------------------------------------


def _payments_context(month: str = "") -> dict[str, Any]:
    day = common.today()
    previous = f"{day.year}-{day.month - 1:02d}" if day.month > 1 else f"{day.year - 1}-12"
    return {
        "kept": sorted(read_payment_lists(root()), key=lambda k: k.number, reverse=True),
        "values": {"month": month or f"{previous[5:]}-{previous[:4]}"},
        "errors": {},
    }


@blueprint.route("/betaallijsten", methods=["GET", "POST"])
def payments() -> Any:
    if request.method == "GET":
        return render_template("year_payments.html.j2", **_payments_context())
    context = _payments_context(request.form.get("month", ""))
    context.pop("errors")
    try:
        view = make_payment_list(root(), month_field(request.form), by=g.user, day=common.today())
    except InvalidInputError as exc:
        return refused_page(
            "year_payments.html.j2", FormRefused({exc.field or "month": str(exc)}), **context
        )
    except ConflictError as exc:
        return refused_page(
            "year_payments.html.j2", FormRefused({"month": str(exc)}, 409), **context
        )
    flash(_("Payment list {number} is made and kept.").format(number=view.number), "success")
    return redirect(url_for("money.payment", record_id=str(view.number)), 303)


def _payment_request(record_id: str) -> Any:
    from toolkit.reports.documents import PaymentListRequest

    if record_id.isdigit():
        return PaymentListRequest(number=int(record_id), format="xlsx")
    if _MONTH.match(record_id):
        return PaymentListRequest(month=record_id, by=g.user, format="xlsx", day=common.today())
    abort(404)


@blueprint.route("/betaallijsten/<record_id>")
def payment(record_id: str) -> Any:
    """A kept list by its number, or the draft of a month (``2026-11``: nothing is kept)."""
    casebook = common.book()
    asked = _payment_request(record_id)
    if asked.number is not None:
        view = kept_payment_list(casebook, asked.number)
    else:
        view = draft_payment_list(casebook, asked.month, by=g.user, day=common.today())
    return render_template("year_payment.html.j2", view=view, record_id=record_id)


@blueprint.route("/betaallijsten/<record_id>.<fmt>")
def payment_download(record_id: str, fmt: str) -> Any:
    asked = _payment_request(record_id)
    if fmt != "xlsx":
        abort(404)
    return common.download("betaallijst", asked)


# --- the sponsor statement --------------------------------------------------------------------


def _year() -> int:
    text = request.args.get("jaar", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return common.today().year


@blueprint.route("/sponsors/<record_id>/verklaring")
def sponsor_statement(record_id: str) -> Any:
    from toolkit.reports.sponsor_statement import (
        assumption_text,
        intro_text,
        sponsor_statement,
        statement_rows,
        title_of,
    )

    casebook = common.book()
    if record_id not in casebook.sponsors:
        abort(404)
    year = _year()
    statement = sponsor_statement(casebook, record_id, year, common.today())
    return render_template(
        "year_sponsor.html.j2",
        sponsor=casebook.sponsors[record_id],
        year=year,
        title=title_of(statement),
        intro=intro_text(statement),
        rows=statement_rows(statement),
        assumption=assumption_text(statement),
        statement=statement,
    )


@blueprint.route("/sponsors/<record_id>/verklaring.<fmt>")
def sponsor_statement_download(record_id: str, fmt: str) -> Any:
    from toolkit.reports.documents import SponsorStatementRequest

    if record_id not in common.book().sponsors:
        abort(404)
    return common.download(
        "sponsorverklaring", SponsorStatementRequest(record_id, _year(), fmt, common.today())
    )
