"""The start page (figures, charts, alerts), the casebook's problems and the language switch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from toolkit.casebook.alerts import RENEWAL_WINDOW_DAYS, casebook_alerts, casebook_notices
from toolkit.casebook.summary import summarise
from toolkit.errors import CasebookError, Problem
from toolkit.i18n import LANGUAGES, _
from toolkit.web import permissions
from toolkit.web.common import book, derived, loaded, match_results, today

blueprint = Blueprint("main", __name__)

#: Folders whose files are about one person: their names and values stay with the coordinator.
PERSONAL_FOLDERS = ("people", "hours")


@blueprint.route("/")
def home() -> Any:
    casebook = book()
    day = today()
    summary = summarise(casebook)
    alerts = casebook_alerts(casebook, day) if permissions.can(g.role, "people.private") else []
    notices = casebook_notices(casebook) if permissions.can(g.role, "people.private") else []
    charts = _charts()
    return render_template(
        "home.html.j2",
        casebook=casebook,
        summary=summary,
        alerts=alerts,
        notices=notices,
        charts=charts,
        day=day,
    )


def _overview() -> Any:
    from toolkit.reports.overview import build_overview

    casebook = book()
    day = today()
    return derived(
        f"overview:{g.language}:{day}",
        lambda: build_overview(casebook, day, window=RENEWAL_WINDOW_DAYS, matches=match_results()),
    )


def _charts() -> dict[str, Any]:
    from toolkit.reports.charts import organisation_chart, progress_chart, sponsor_chart

    def make() -> dict[str, Any]:
        overview = _overview()
        charts = [
            progress_chart(overview.progress, overview.goal.count, overview.goal.due, overview.day),
            organisation_chart([(row.label, row.count) for row in overview.by_organisation]),
            sponsor_chart([(s.name, s.funded_years, s.budget_years) for s in overview.sponsors]),
        ]
        return {chart.key: chart for chart in charts}

    result: dict[str, Any] = derived(f"charts:{g.language}:{today()}", make)
    return result


@blueprint.route("/grafiek/<key>.svg")
def chart(key: str) -> Any:
    charts = _charts()
    if key not in charts:
        abort(404)
    g.raw_document = True
    return Response(charts[key].svg, mimetype="image/svg+xml")


@dataclass(frozen=True)
class ShownProblem:
    where: str
    field: str
    message: str


def shown_problems(error: CasebookError, root: Path, full: bool) -> list[ShownProblem]:
    """The problems as the role may see them: without names and values from a person's file
    (the file name is the person's id, the message may quote a value) unless ``full``."""
    shown = []
    for problem in error.problems:
        where = _relative(problem, root)
        folder = where.split("/", 1)[0] if "/" in where else ""
        if full or folder not in PERSONAL_FOLDERS:
            shown.append(ShownProblem(_place(problem, root), problem.field or "", problem.message))
        else:
            shown.append(
                ShownProblem(
                    f"{folder}/…" + (f":{problem.line}" if problem.line else ""),
                    problem.field or "",
                    _("A problem in a person's file; the coordinator sees the details."),
                )
            )
    return shown


def _relative(problem: Problem, root: Path) -> str:
    if problem.file is None:
        return ""
    try:
        return problem.file.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return problem.file.name


def _place(problem: Problem, root: Path) -> str:
    where = _relative(problem, root)
    return f"{where}:{problem.line}" if problem.line else where


def problems_page(error: CasebookError) -> Any:
    from toolkit.web.app import state

    full = permissions.can(g.get("role"), "problems.full")
    return render_template(
        "problems.html.j2",
        heading=error.heading if full else _("The casebook has problems."),
        problems=shown_problems(error, state().store.root, full),
    )


@blueprint.route("/problemen")
def problems() -> Any:
    current = loaded()
    if current.error is None:
        return render_template("problems.html.j2", heading=_("The casebook is valid."), problems=[])
    return problems_page(current.error)


@blueprint.route("/taal", methods=["POST"])
def language() -> Any:
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    return redirect(target)
