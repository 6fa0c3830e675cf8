"""The coordinator's year, part one: the person's answer, the path, the placements, renewals.

Nothing is placed without the explicit step of :func:`accept` (the person chose); a declined pair
goes to the exclusions (:func:`decline`). Every form carries the hash of the file it was made
from, so a save from an older version gets the 409 page (no lost update). The views parse the
form and call the library (:mod:`toolkit.casebook.placements`, :mod:`toolkit.casebook.path`);
what they show the person page includes (``_year_person.html.j2``) through :func:`person_panel`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from toolkit.casebook import Casebook
from toolkit.casebook.editing import RecordConflictError
from toolkit.casebook.money import Agreement
from toolkit.casebook.path import PLACEABLE, next_steps, reason_label, set_status, status_label
from toolkit.casebook.placements import (
    allowance_cap,
    decline,
    one_year_from,
    place,
    renew,
    renewals_due,
)
from toolkit.casebook.records import STOP_REASONS, Person, Placement, StatusChange
from toolkit.casebook.year_edits import current_hash
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.formatting import number
from toolkit.i18n import _
from toolkit.web import common
from toolkit.web.year_forms import (
    FormRefused,
    collect,
    day_field,
    dutch_day,
    number_field,
    refused_page,
)

blueprint = Blueprint("year", __name__)

#: How far ahead the renewals page looks by default, in days.
RENEWAL_WINDOW_DAYS = 60


def root() -> Path:
    from toolkit.web.state import state

    return state().store.root


def person_hash(casebook: Casebook, person: Person) -> str:
    return current_hash(casebook.path_of(person))


@dataclass(frozen=True)
class PersonPanel:
    """What the person page shows of the year: the path, its next steps, every placement."""

    person: Person
    path: tuple[StatusChange, ...]
    steps: tuple[str, ...]
    placements: tuple[Placement, ...]
    titles: dict[str, str]
    sponsors: dict[str, str]
    reasons: tuple[tuple[str, str], ...]
    opportunities: tuple[tuple[str, str], ...]
    base_hash: str
    can_place: bool


def person_panel(person: Person) -> PersonPanel:
    casebook = common.book()
    return PersonPanel(
        person=person,
        path=tuple(person.status_history),
        steps=tuple(next_steps(person.status)),
        placements=tuple(person.history()),
        titles={o.id: o.title for o in casebook.opportunities.values()},
        sponsors={s.id: s.name for s in casebook.sponsors.values()},
        reasons=tuple((r, reason_label(r)) for r in STOP_REASONS),
        opportunities=common.derived("year.open_places", lambda: _open_places(casebook)),
        base_hash=person_hash(casebook, person),
        can_place=person.status in PLACEABLE,
    )


def _open_places(casebook: Casebook) -> tuple[tuple[str, str], ...]:
    """Places with an open slot and how many, once per load of the casebook (every person page
    offers them; counting slots walks every placement)."""
    found = []
    for opportunity in sorted(casebook.opportunities.values(), key=lambda o: o.title):
        left = casebook.open_slots(opportunity.id)
        if left > 0:
            found.append((opportunity.id, f"{opportunity.title} ({left})"))
    return tuple(found)


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "year_panel": person_panel,
        "status_label": status_label,
        "reason_label": reason_label,
    }


# --- the person's answer ------------------------------------------------------------------------


def _answer_context(
    person: Person, opportunity_id: str, values: dict[str, str] | None = None
) -> dict[str, Any]:
    casebook = common.book()
    opportunity = casebook.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFoundError(_("There is no opportunity '{id}'.").format(id=opportunity_id))
    day = common.today()
    start = day
    cap = allowance_cap(casebook, start, one_year_from(start))
    allowance = casebook.rules.sponsor_allowance_per_year.value
    if cap is not None:
        allowance = min(allowance, cap)
    current = person.placement if person.status == "actief" else None
    # The round's proposed funder (``sponsor`` in the address), else the one that carries over.
    proposed = request.args.get("sponsor")
    defaults = {
        "sponsor": proposed if proposed is not None else (current.sponsor or "") if current else "",
        "start": dutch_day(start),
        "end": "",
        "allowance_per_year": number(allowance, 2),
        "hourly_rate": "",
        "reason": "",
    }
    sponsors = [
        (
            s.id,
            s.name,
            round(s.budget_person_years - casebook.sponsor_years_used(s.id), 2),
        )
        for s in sorted(casebook.sponsors.values(), key=lambda s: s.name)
    ]
    return {
        "person": person,
        "opportunity": opportunity,
        "open_slots": casebook.open_slots(opportunity.id),
        "sponsors": sponsors,
        "cap": cap,
        "age": person.age_in(start.year),
        "values": {**defaults, **(values or {})},
        "errors": {},
        "base_hash": person_hash(casebook, person),
    }


@blueprint.route("/mensen/<path:key>/antwoord")
def answer(key: str) -> Any:
    person = common.person_by_key(common.book(), key)
    chosen = request.args.get("plek", "")
    return render_template("year_answer.html.j2", **_answer_context(person, chosen))


def _refuse_answer(person: Person, opportunity_id: str, error: FormRefused) -> Any:
    context = _answer_context(person, opportunity_id, dict(request.form))
    context.pop("errors")
    return refused_page("year_answer.html.j2", error, **context)


@blueprint.route("/mensen/<path:key>/plaatsen", methods=["POST"])
def accept(key: str) -> Any:
    """The person accepted the place: the placement is written, slot and budget taken."""
    casebook = common.book()
    person = common.person_by_key(casebook, key)
    form = request.form
    opportunity_id = form.get("opportunity", "")
    parsed: dict[str, Any] = {}

    def read(name: str, parse: Any) -> Any:
        return lambda: parsed.__setitem__(name, parse())

    errors = collect(
        read("start", lambda: day_field(form, "start", common.today())),
        read("end", lambda: day_field(form, "end", None)),
        read("allowance_per_year", lambda: number_field(form, "allowance_per_year")),
        read("hourly_rate", lambda: number_field(form, "hourly_rate")),
    )
    if errors:
        return _refuse_answer(person, opportunity_id, FormRefused(errors))
    try:
        plan = place(
            root(),
            person.id,
            opportunity_id,
            by=g.user,
            day=common.today(),
            sponsor_id=form.get("sponsor") or None,
            base_hash=form.get("base_hash", ""),
            **parsed,
        )
    except InvalidInputError as exc:
        return _refuse_answer(person, opportunity_id, FormRefused({exc.field or "form": str(exc)}))
    except (NotFoundError, RecordConflictError):
        raise
    except ConflictError as exc:
        return _refuse_answer(person, opportunity_id, FormRefused({"form": str(exc)}, 409))
    title = casebook.opportunities[opportunity_id].title
    flash(
        _("{name} accepted {title}: the placement is recorded.").format(
            name=person.name, title=title
        ),
        "success",
    )
    for notice in plan.notices:
        flash(notice, "notice")
    return redirect(url_for("records.person", key=person.id), 303)


@blueprint.route("/mensen/<path:key>/afwijzen", methods=["POST"])
def refuse(key: str) -> Any:
    """The person declined the place: the pair goes to the exclusions with the reason."""
    casebook = common.book()
    person = common.person_by_key(casebook, key)
    opportunity_id = request.form.get("opportunity", "")
    try:
        decline(
            root(),
            person.id,
            opportunity_id,
            reason=request.form.get("reason", ""),
            by=g.user,
            day=common.today(),
            base_hash=request.form.get("base_hash", ""),
        )
    except InvalidInputError as exc:
        return _refuse_answer(person, opportunity_id, FormRefused({exc.field or "form": str(exc)}))
    except (NotFoundError, RecordConflictError):
        raise
    except ConflictError as exc:
        return _refuse_answer(person, opportunity_id, FormRefused({"form": str(exc)}, 409))
    flash(
        _("Recorded: {name} declined {title}; later rounds leave this pair out.").format(
            name=person.name, title=casebook.opportunities[opportunity_id].title
        ),
        "success",
    )
    return redirect(url_for("records.person", key=person.id), 303)


# --- the path -------------------------------------------------------------------------------


@blueprint.route("/mensen/<path:key>/pad")
def path(key: str) -> Any:
    person = common.person_by_key(common.book(), key)
    return render_template("year_path.html.j2", person=person, errors={}, values={})


@blueprint.route("/mensen/<path:key>/status", methods=["POST"])
def status(key: str) -> Any:
    person = common.person_by_key(common.book(), key)
    form = request.form
    new = form.get("status", "")
    try:
        set_status(
            root(),
            person.id,
            new,
            by=g.user,
            day=common.today(),
            reason=form.get("reason") or None,
            note=form.get("note", ""),
            base_hash=form.get("base_hash", ""),
        )
    except InvalidInputError as exc:
        error = FormRefused({exc.field or "form": str(exc)})
        return refused_page("year_path.html.j2", error, person=person, values=dict(form))
    except (NotFoundError, RecordConflictError):
        raise
    except ConflictError as exc:
        error = FormRefused({"form": str(exc)}, 409)
        return refused_page("year_path.html.j2", error, person=person, values=dict(form))
    flash(
        _("{name} is now {status}.").format(name=person.name, status=status_label(new)), "success"
    )
    return redirect(url_for("records.person", key=person.id), 303)


# --- renewals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalRow:
    agreement: Agreement
    person: Person
    title: str
    base_hash: str
    new_end: dt.date


@blueprint.route("/verlengingen")
def renewals() -> Any:
    casebook = common.book()
    try:
        window = int(request.args.get("dagen", RENEWAL_WINDOW_DAYS))
    except ValueError:
        window = RENEWAL_WINDOW_DAYS
    window = max(0, min(window, 366 * 2))
    rows = []
    for agreement in renewals_due(casebook, common.today(), window):
        person = casebook.people[agreement.person_id]
        opportunity = casebook.opportunities.get(agreement.opportunity_id)
        rows.append(
            RenewalRow(
                agreement,
                person,
                opportunity.title if opportunity else agreement.opportunity_id,
                person_hash(casebook, person),
                one_year_from(agreement.end + dt.timedelta(days=1)),
            )
        )
    return render_template("year_renewals.html.j2", rows=rows, window=window, errors={})


@blueprint.route("/mensen/<path:key>/verlengen", methods=["POST"])
def renew_agreement(key: str) -> Any:
    person = common.person_by_key(common.book(), key)
    renewed = renew(
        root(),
        person.id,
        by=g.user,
        day=common.today(),
        base_hash=request.form.get("base_hash", ""),
    )
    flash(
        _("The agreement of {name} now runs until {end}.").format(
            name=person.name, end=dutch_day(renewed.end or common.today())
        ),
        "success",
    )
    return redirect(url_for("year.renewals"), 303)
