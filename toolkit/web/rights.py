"""The coordinator's pages about people's rights: inzage, vergeet, the access log, accounts.

``vergeet`` works as the command does: the page shows the plan, and only a confirmation of *that*
plan carries it out. The form carries a digest of the plan; when the casebook changed between
showing and confirming, the digest differs and nothing is erased (409), so the coordinator
never confirms a plan they have not seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import Blueprint, abort, render_template, request

from toolkit.casebook.accounts import read_accounts
from toolkit.casebook.erasure import ERASURE_LOG
from toolkit.casebook.viewlog import read_views
from toolkit.errors import ConflictError
from toolkit.i18n import _
from toolkit.web.common import book, download, today

blueprint = Blueprint("rights", __name__)


def _root() -> Any:
    from toolkit.web.app import state

    return state().store.root


def _access_report(person_id: str) -> Any:
    from toolkit.casebook.access import gather_access
    from toolkit.casebook.rights import snapshot

    casebook = book()
    if person_id not in casebook.people:
        abort(404)
    return gather_access(casebook, snapshot(_root()), person_id, today())


@blueprint.route("/inzage/<person_id>")
def inzage(person_id: str) -> Any:
    from toolkit.reports.inzage import render_access

    report = _access_report(person_id)
    return render_template("inzage.html.j2", person_id=person_id, text=render_access(report, "md"))


@blueprint.route("/inzage/<person_id>.<fmt>")
def inzage_download(person_id: str, fmt: str) -> Any:
    from toolkit.reports.documents import AccessRequest

    if person_id not in book().people:
        abort(404)
    return download("inzage", AccessRequest(person=person_id, format=fmt, day=today()))


def _plan(person_id: str) -> Any:
    from toolkit.casebook.rights import plan_erasure, snapshot

    return plan_erasure(snapshot(_root()), person_id)


def plan_digest(lines: list[str], person_id: str) -> str:
    return hashlib.sha256("\n".join([person_id, *lines]).encode("utf-8")).hexdigest()


@blueprint.route("/vergeet/<person_id>")
def vergeet(person_id: str) -> Any:
    from toolkit.casebook.rights import plan_lines

    plan = _plan(person_id)
    lines = plan_lines(plan)
    return render_template(
        "vergeet.html.j2",
        plan=plan,
        lines=lines,
        digest=plan_digest(lines, person_id),
        log=ERASURE_LOG,
        done=None,
    )


@blueprint.route("/vergeet/<person_id>", methods=["POST"])
def vergeet_confirm(person_id: str) -> Any:
    from toolkit.casebook.lock import casebook_lock
    from toolkit.casebook.rights import apply_erasure, check_allowed, plan_lines

    force = request.form.get("force") == "1"
    with casebook_lock(_root()):
        plan = _plan(person_id)
        lines = plan_lines(plan)
        if request.form.get("digest") != plan_digest(lines, person_id):
            raise ConflictError(
                _(
                    "The casebook changed since the plan was shown; nothing was erased. Look "
                    "at the new plan and confirm again."
                )
            )
        check_allowed(plan, force=force)
        log = apply_erasure(plan, force=force, today=dt.date.today())
    return render_template(
        "vergeet.html.j2",
        plan=plan,
        lines=lines,
        digest="",
        log=log.name,
        done={
            "removed": len(plan.of("delete")),
            "edited": len(plan.of("edit")),
            "manual": plan.of("manual"),
        },
    )


@blueprint.route("/inzagelog")
def views() -> Any:
    return render_template("views.html.j2", views=read_views(_root()))


@blueprint.route("/gebruikers")
def accounts() -> Any:
    listed = sorted(read_accounts(_root()).values(), key=lambda a: a.name)
    return render_template("accounts.html.j2", accounts=listed)
