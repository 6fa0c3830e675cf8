"""The matcher in the browser: a candidate's options, and the proposal round as a table.

The same library calls as ``burgerbaan match``: :class:`~toolkit.matching.Matcher` and
:func:`~toolkit.reports.matches.match_report`, internal (names) for the coordinator and by
pseudonym for a facilitator, who also does not see reasons and warnings about a person's
situation. The secretaris has no route here (see the permission table).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request

from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.web.common import (
    book,
    derived,
    download,
    matcher,
    person_by_key,
    person_key,
    private,
    today,
)

blueprint = Blueprint("matching", __name__)

METHODS = ("flow", "stable")
TOP_CHOICES = (3, 5, 10)


@blueprint.route("/mensen/<path:key>/opties")
def options(key: str) -> Any:
    from toolkit.reports.matches import match_report

    casebook = book()
    person = person_by_key(casebook, key)
    top = request.args.get("top", "3")
    if not top.isdigit() or int(top) not in TOP_CHOICES:
        raise InvalidInputError(
            _("Choose how many options to show: {choices}.").format(
                choices=", ".join(str(n) for n in TOP_CHOICES)
            )
        )
    found = matcher()
    if not casebook.opportunities:
        raise InvalidInputError(
            _("The casebook has no opportunities (opportunities/): there is nothing to propose.")
        )
    person_options = found.options(person.id, int(top))
    report = match_report(
        casebook,
        {person.id: person_options},
        top=int(top),
        intern=private(),
        today=today(),
        notes=found.notes(),
        only=person.id,
    )
    return render_template(
        "options.html.j2",
        report=report,
        shown=report.people[0],
        key=person_key(casebook, person),
        top=int(top),
        top_choices=TOP_CHOICES,
    )


#: The match report's formats that are files (the terminal table is not offered).
DOWNLOAD_FORMATS = ("md", "html", "csv", "json")


def _top() -> int:
    top = request.args.get("top", "3")
    if not top.isdigit() or int(top) not in TOP_CHOICES:
        raise InvalidInputError(
            _("Choose how many options to show: {choices}.").format(
                choices=", ".join(str(n) for n in TOP_CHOICES)
            ),
            field="top",
        )
    return int(top)


def _method() -> str:
    method = request.args.get("method", "flow")
    if method not in METHODS:
        raise InvalidInputError(
            _("Unknown method '{method}'; choose one of: {methods}.").format(
                method=method, methods=", ".join(METHODS)
            ),
            field="method",
        )
    return method


def _match_download(fmt: str, **asked: Any) -> Any:
    """The report ``burgerbaan match ... --format FMT`` writes, byte for byte; ``?intern=1`` for
    the internal version (``--intern``), else by pseudonym as the command's default."""
    from toolkit.reports.documents import MatchDocumentRequest
    from toolkit.reports.matchrun import MatchRequest

    if fmt not in DOWNLOAD_FORMATS:
        abort(404)
    intern = request.args.get("intern") == "1"
    match = MatchRequest(intern=intern, **asked)
    return download("match", MatchDocumentRequest(match=match, format=fmt, day=today()))


@blueprint.route("/mensen/<path:key>/opties.<fmt>")
def options_download(key: str, fmt: str) -> Any:
    person = person_by_key(book(), key)
    return _match_download(fmt, person=person.id, top=_top())


@blueprint.route("/ronde.<fmt>")
def round_download(fmt: str) -> Any:
    return _match_download(fmt, method=_method())


@blueprint.route("/ronde")
def round() -> Any:
    from toolkit.matching import PersonOptions
    from toolkit.reports.matches import match_report

    casebook = book()
    method = request.args.get("method", "flow")
    if method not in METHODS:
        raise InvalidInputError(
            _("Unknown method '{method}'; choose one of: {methods}.").format(
                method=method, methods=", ".join(METHODS)
            )
        )
    found = matcher()
    if not casebook.opportunities or not found.candidate_ids():
        return render_template("round.html.j2", report=None, method=method, methods=METHODS)
    result = derived(f"round:{method}:{g.language}", lambda: found.round(method))  # type: ignore[arg-type]
    report = match_report(
        casebook,
        {pid: PersonOptions(pid, ()) for pid in found.candidate_ids()},
        round_result=result,
        intern=private(),
        today=today(),
        notes=found.notes(),
    )
    # A shown person's key is their id in the internal report and their pseudonym otherwise:
    # the same key the person's address uses for this role.
    return render_template("round.html.j2", report=report, method=method, methods=METHODS)
